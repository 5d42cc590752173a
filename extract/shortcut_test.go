package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/redlinehq/redline/internal/noise"
	"github.com/redlinehq/redline/internal/testsite"
)

// TestShortcut: on every golden page a shortcut can be made; the page
// itself is Unchanged; a page with noise injected that Unchanged accepts
// extracts to exactly the same canonical text (the shortcut's promise),
// except on the pages whose full extraction noise outside the article
// changes (knownUnstable), where the shortcut keeps the clean page's text;
// and an edit in the body or the headline is never Unchanged.
func TestShortcut(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(goldenPages))
	for name := range goldenPages {
		names = append(names, name)
	}
	slices.Sort(names)
	made, accepted := 0, 0
	for _, name := range names {
		var page []byte
		if name == "france24" {
			page = testsite.France24(testsite.France24Page{GeneratedAt: "2014-03-29T18:00:00Z", Comments: 3})
		} else if page, err = os.ReadFile(filepath.Join("testdata", name+".html")); err != nil {
			t.Fatal(err)
		}
		in := Input{Body: page, URL: goldenPages[name]}
		doc, err := ex.Extract(in)
		if err != nil {
			t.Fatal(err)
		}
		sc, ok := ex.MakeShortcut(in, doc)
		if !ok {
			t.Logf("%s: no shortcut", name)
			continue
		}
		made++
		if back, ok := ParseShortcut(sc.String()); !ok || back != sc {
			t.Errorf("%s: shortcut does not survive String/ParseShortcut: %q", name, sc.String())
		}
		if !ex.Unchanged(in, sc) {
			t.Errorf("%s: the page itself is not Unchanged under its shortcut %q", name, sc.Container)
		}
		for _, seed := range []int{1, 2, 3} {
			noisy, ok := noise.InjectHTML(page, seed, noise.All)
			if !ok {
				continue
			}
			nin := Input{Body: noisy, URL: in.URL}
			if !ex.Unchanged(nin, sc) {
				continue
			}
			accepted++
			got, err := ex.Extract(nin)
			if err != nil {
				t.Fatal(err)
			}
			if got.Canonical() != doc.Canonical() {
				if _, unstable := knownUnstable[name]; unstable {
					// Noise outside the article changes the full
					// extraction of this page (see knownUnstable); the
					// shortcut keeps the text of the clean page.
					continue
				}
				t.Errorf("%s, noise seed %d: Unchanged, but a full extraction gives another text", name, seed)
			}
		}
		// An edited body paragraph and an edited headline are changes.
		if edited, ok := editParagraph(page, doc.Paragraphs[len(doc.Paragraphs)/2]); ok {
			if ex.Unchanged(Input{Body: edited, URL: in.URL}, sc) {
				t.Errorf("%s: a word edited in the body is Unchanged", name)
			}
		} else {
			t.Errorf("%s: found no element to edit", name)
		}
		if i := strings.Index(string(page), doc.Title); doc.Title != "" && i >= 0 {
			edited := strings.ReplaceAll(string(page), doc.Title, doc.Title+": what we know")
			if ex.Unchanged(Input{Body: []byte(edited), URL: in.URL}, sc) {
				t.Errorf("%s: an edited headline is Unchanged", name)
			}
		}
	}
	if made < len(names)*3/4 {
		t.Errorf("shortcuts made for %d of %d golden pages, want most", made, len(names))
	}
	if accepted == 0 {
		t.Error("Unchanged accepted no noisy page: the shortcut never saves work")
	}
	t.Logf("shortcuts on %d of %d pages; %d noisy variants accepted", made, len(names), accepted)
}

// editParagraph appends a word to the first text node of the element
// holding paragraph p.
func editParagraph(page []byte, p string) ([]byte, bool) {
	root, err := parseHTML(page)
	if err != nil {
		return nil, false
	}
	el := elementContaining(root, p)
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
