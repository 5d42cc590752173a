package extract

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/redlinehq/redline/internal/noise"
)

// TestFingerprint: on every golden page, the page's own fingerprint stops
// the extraction; a page with noise injected whose fingerprint is the same
// extracts to exactly the same canonical text (the fingerprint's promise);
// an edit in the body or the headline changes the fingerprint.
func TestFingerprint(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(goldenPages))
	for name := range goldenPages {
		names = append(names, name)
	}
	slices.Sort(names)
	accepted := 0
	for _, name := range names {
		page := goldenPage(t, name)
		in := Input{Body: page, URL: goldenPages[name]}
		first, err := ex.Analyze(in, AnalyzeOptions{})
		if err != nil || first.Fingerprint == "" || first.Unchanged {
			t.Fatalf("%s: Analyze = %+v, %v", name, first, err)
		}
		if want, _ := ex.Extract(in); want.Canonical() != first.Document.Canonical() {
			t.Errorf("%s: Analyze's document differs from Extract's", name)
		}
		if again, err := ex.Analyze(in, AnalyzeOptions{Fingerprint: first.Fingerprint}); err != nil || !again.Unchanged {
			t.Errorf("%s: the page itself does not match its fingerprint", name)
		}
		for _, seed := range []int{1, 2, 3} {
			noisy, ok := noise.InjectHTML(page, seed, noise.All)
			if !ok {
				continue
			}
			nin := Input{Body: noisy, URL: in.URL}
			if a, err := ex.Analyze(nin, AnalyzeOptions{Fingerprint: first.Fingerprint}); err != nil || !a.Unchanged {
				continue
			}
			accepted++
			if got, _ := ex.Extract(nin); got.Canonical() != first.Document.Canonical() {
				t.Errorf("%s, noise seed %d: same fingerprint, but a full extraction gives another text", name, seed)
			}
		}
		if edited, ok := editParagraph(page, first.Document.Paragraphs[len(first.Document.Paragraphs)/2]); !ok {
			t.Errorf("%s: found no element to edit", name)
		} else if a, _ := ex.Analyze(Input{Body: edited, URL: in.URL}, AnalyzeOptions{Fingerprint: first.Fingerprint}); a.Unchanged {
			t.Errorf("%s: a word edited in the body keeps the fingerprint", name)
		}
		if title := first.Document.Title; title != "" && strings.Contains(string(page), title) {
			edited := strings.ReplaceAll(string(page), title, title+": what we know")
			if a, _ := ex.Analyze(Input{Body: []byte(edited), URL: in.URL}, AnalyzeOptions{Fingerprint: first.Fingerprint}); a.Unchanged {
				t.Errorf("%s: an edited headline keeps the fingerprint", name)
			}
		}
	}
	if accepted == 0 {
		t.Error("no noisy page kept its fingerprint: the fingerprint never saves work")
	}
	t.Logf("%d noisy variants kept their page's fingerprint", accepted)
}

// TestAnalyzeFingerprint: an excluded element (CSS or XPath) is left out of
// the fingerprint, so its changes keep it; a body edit does not, and is
// extracted; other modes have no fingerprint.
func TestAnalyzeFingerprint(t *testing.T) {
	page := func(tick, body string) []byte {
		return []byte(`<html><head><title>Budget vote delayed - Example</title></head><body><article><h1>Budget vote delayed</h1>
<div class="ticker" data-slot="ad-` + tick + `1234">Updated ` + tick + ` minutes ago</div>
<p>The vote on the budget was delayed on Tuesday after the coalition partners failed to agree on the spending cuts.</p>
<p>` + body + `</p>
<p>The finance minister said a new date would be set later this week, after talks with the opposition leaders.</p>
</article></body></html>`)
	}
	const body = "Opposition parties called the delay a sign that the government had lost its majority in parliament."
	for _, excl := range []string{".ticker", "//div[@class='ticker']"} {
		ex, err := New(Options{Exclude: []string{excl}})
		if err != nil {
			t.Fatal(err)
		}
		first, err := ex.Analyze(Input{Body: page("3", body)}, AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := ex.Analyze(Input{Body: page("4", body)}, AnalyzeOptions{Fingerprint: first.Fingerprint, Explain: true})
		if err != nil || !a.Unchanged || a.Blocks != nil {
			t.Errorf("exclude %s, ticker changed: Analyze = %+v, %v; want Unchanged and nothing else", excl, a, err)
		}
		edited := strings.Replace(body, "lost", "nearly lost", 1)
		a, err = ex.Analyze(Input{Body: page("4", edited)}, AnalyzeOptions{Fingerprint: first.Fingerprint, Explain: true})
		if err != nil || a.Unchanged || !slices.Contains(a.Document.Paragraphs, edited) || len(a.Blocks) == 0 {
			t.Errorf("exclude %s, edited body: Analyze = unchanged %v, paragraphs %q, %d blocks, %v", excl, a.Unchanged, a.Document.Paragraphs, len(a.Blocks), err)
		}
	}
	text, err := New(Options{Mode: ModeText})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := text.Analyze(Input{Body: page("1", body)}, AnalyzeOptions{}); err != nil || a.Fingerprint != "" {
		t.Errorf("text mode: fingerprint %q, %v; want none", a.Fingerprint, err)
	}
}

// editParagraph appends a word to the first text node of the innermost
// element holding paragraph p.
func editParagraph(page []byte, p string) ([]byte, bool) {
	root, err := parseHTML(page)
	if err != nil {
		return nil, false
	}
	want := squeeze(p)
	var el *html.Node
	var walk func(n *html.Node) string
	walk = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return squeeze(n.Data)
		}
		if n.Type == html.ElementNode && skipped[tag(n)] {
			return ""
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(walk(c))
		}
		if el == nil && n.Type == html.ElementNode && strings.Contains(b.String(), want) {
			el = n
		}
		return b.String()
	}
	walk(root)
	for n := el; n != nil; n = n.FirstChild {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			n.Data += " edited"
			var b bytes.Buffer
			if err := html.Render(&b, root); err != nil {
				return nil, false
			}
			return b.Bytes(), true
		}
	}
	return nil, false
}

// TestFingerprintSpaces: a space added or removed between words is an
// edit; white space re-indented or added between elements is not.
func TestFingerprintSpaces(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	fp := func(page string) string {
		t.Helper()
		a, err := ex.Analyze(Input{Body: []byte(page)}, AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return a.Fingerprint
	}
	const tmpl = "<html><body><article><h1>Hiring</h1>%s<p>You are never going to have 100 %s complete information when you hire, the manager said in the interview.</p>%s<p>Second paragraph of the article, long enough to be read as prose by the extractor.</p></article></body></html>"
	base := fp(fmt.Sprintf(tmpl, "", "percent", ""))
	if fp(fmt.Sprintf(tmpl, "", "per cent", "")) == base {
		t.Error(`"percent" -> "per cent" kept the fingerprint`)
	}
	if fp(fmt.Sprintf(tmpl, "\n\n   ", "percent", "\n\t")) != base {
		t.Error("white space between elements changed the fingerprint")
	}
	if fp(strings.Replace(fmt.Sprintf(tmpl, "", "percent", ""), "the manager said", "the  manager\n said", 1)) != base {
		t.Error("a run of white space inside a paragraph changed the fingerprint")
	}
}
