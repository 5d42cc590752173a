package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shortArticle is a news brief shorter than minBody, with a nav, a stamp,
// a "Read more" box inside the article, a hidden copy and a footer.
const shortArticle = `<html><body><nav><a href=/>Home</a> <a href=/w>World</a></nav>
<div id="ticker">Updated 5 minutes ago</div>
<article><h1>Minister resigns over budget</h1>
<p>The minister resigned on Tuesday after weeks of pressure over the budget, officials said in a statement.</p>
<div class="related"><h3>Read more</h3><ul><li><a href=/a>%s</a></li><li><a href=/b>%s</a></li><li><a href=/c>Three</a></li></ul></div>
<p>Her successor will be named next week, according to the prime minister's office and two aides.</p>
<p style="display:none">Hidden copy of the text</p>
</article><footer>© 2014 Example News</footer></body></html>`

func shortPage(teaser1, teaser2 string) []byte {
	return fmt.Appendf(nil, shortArticle, teaser1, teaser2)
}

// TestShortArticle: a brief under minBody keeps its paragraphs apart and
// leaves out the teasers, the hidden copy and the stamp, so rotating the
// teasers changes nothing.
func TestShortArticle(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "# Minister resigns over budget\n\n" +
		"The minister resigned on Tuesday after weeks of pressure over the budget, officials said in a statement.\n\n" +
		"Her successor will be named next week, according to the prime minister's office and two aides.\n"
	for _, teasers := range [][2]string{{"Floods hit the north", "Markets rally"}, {"A new cabinet is sworn in", "Storm warning for the coast"}} {
		doc, err := ex.Extract(Input{Body: shortPage(teasers[0], teasers[1])})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, doc.Canonical()); diff != "" {
			t.Errorf("teasers %q: canonical text (-want +got):\n%s", teasers, diff)
		}
	}
}

// TestExplainReasons: every visible block is listed once, in order, kept or
// with the reason it was dropped.
func TestExplainReasons(t *testing.T) {
	ex, err := New(Options{Exclude: []string{"#ticker"}, Ignore: []string{"^Her successor"}})
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, err := ex.Explain(Input{Body: shortPage("Floods hit the north", "Markets rally")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{Selector: "body > nav", Text: "Home World", Reason: "navigation (<nav>)"},
		{Selector: "#ticker", Text: "Updated 5 minutes ago", Reason: "exclude: #ticker"},
		{Selector: "body > article > h1", Text: "Minister resigns over budget", Kept: true},
		{Selector: "body > article > p:nth-of-type(1)", Text: "The minister resigned on Tuesday after weeks of pressure over the budget, officials said in a statement.", Kept: true},
		{Selector: "body > article > div.related > h3", Text: "Read more", Reason: "class or id names an ad, teaser or widget"},
		{Selector: "body > article > div.related > ul > li:nth-of-type(1)", Text: "Floods hit the north", Reason: "class or id names an ad, teaser or widget"},
		{Selector: "body > article > div.related > ul > li:nth-of-type(2)", Text: "Markets rally", Reason: "class or id names an ad, teaser or widget"},
		{Selector: "body > article > div.related > ul > li:nth-of-type(3)", Text: "Three", Reason: "class or id names an ad, teaser or widget"},
		{Selector: "body > article > p:nth-of-type(2)", Text: "Her successor will be named next week, according to the prime minister's office and two aides.", Reason: "ignore: ^Her successor"},
		{Selector: "body > article > p:nth-of-type(3)", Text: "Hidden copy of the text", Reason: "hidden"},
		{Selector: "body > footer", Text: "© 2014 Example News", Reason: "<footer> outside the prose"},
	}
	if diff := cmp.Diff(want, blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

// TestExplainSelectorsExclude: each block's selector, put in an exclude
// list, removes that block's text and no other.
func TestExplainSelectorsExclude(t *testing.T) {
	page := shortPage("Floods hit the north", "Markets rally")
	text, err := New(Options{Mode: ModeText})
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, err := text.Explain(Input{Body: page})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if !b.Kept {
			continue
		}
		ex, err := New(Options{Mode: ModeText, Exclude: []string{b.Selector}})
		if err != nil {
			t.Fatalf("selector %q: %v", b.Selector, err)
		}
		doc, err := ex.Extract(Input{Body: page})
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range blocks {
			if !other.Kept {
				continue
			}
			has := strings.Contains(doc.Canonical(), other.Text)
			if other.Selector == b.Selector && has {
				t.Errorf("exclude %q keeps %q", b.Selector, other.Text)
			}
			if other.Selector != b.Selector && !has && !strings.HasPrefix(other.Selector, b.Selector+" ") {
				t.Errorf("exclude %q also drops %q (%s)", b.Selector, other.Text, other.Selector)
			}
		}
	}
}

// TestExplainSameDocument: Explain's Document is Extract's, on every golden
// page and in every HTML mode.
func TestExplainSameDocument(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	for _, opts := range []Options{{}, {Mode: ModeText}, {Mode: ModeSelector, Select: []string{"p"}}} {
		ex, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			page, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in := Input{Body: page, URL: goldenPages[strings.TrimSuffix(filepath.Base(f), ".html")]}
			want, err := ex.Extract(in)
			if err != nil {
				t.Fatal(err)
			}
			got, blocks, err := ex.Explain(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, mode %q: Explain's document differs (-Extract +Explain):\n%s", f, opts.Mode, diff)
			}
			kept := 0
			for _, b := range blocks {
				if b.Kept {
					kept++
				} else if b.Reason == "" {
					t.Errorf("%s: block %q dropped without a reason", f, b.Selector)
				}
			}
			if kept == 0 && len(got.Paragraphs) > 0 {
				t.Errorf("%s, mode %q: no block kept", f, opts.Mode)
			}
		}
	}
}

// TestExplainNoBlocksOutsideHTML: raw and json mode have no blocks.
func TestExplainNoBlocksOutsideHTML(t *testing.T) {
	for _, opts := range []Options{{Mode: ModeRaw}, {Mode: ModeJSON}} {
		ex, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		doc, blocks, err := ex.Explain(Input{Body: []byte(`{"a": 1}`)})
		if err != nil {
			t.Fatal(err)
		}
		if blocks != nil || len(doc.Paragraphs) == 0 {
			t.Errorf("mode %s: blocks %v, paragraphs %q", opts.Mode, blocks, doc.Paragraphs)
		}
	}
}
