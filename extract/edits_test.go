package extract

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// TestProbeUndo: the probe cleans its tree, and undoing its edits gives
// back the page exactly as parsed, so a page whose fingerprint changed
// extracts from the probe's tree to what a fresh parse gives: the same
// document, fingerprint and blocks. Exclusions (elements and attributes)
// are undone too.
func TestProbeUndo(t *testing.T) {
	names := slices.Sorted(maps.Keys(goldenPages))
	for _, opts := range []Options{{}, {Exclude: []string{"nav, footer", "//div/@class", "//aside"}}} {
		ex, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			page := goldenPage(t, name)
			parsed, err := parseHTML(page)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := ex.probe(page)
			if err != nil {
				t.Fatal(err)
			}
			if render(t, pr.root) == render(t, parsed) {
				t.Fatalf("%s, exclude %q: the probe left the page as parsed", name, opts.Exclude)
			}
			pr.edits.undo()
			if render(t, pr.root) != render(t, parsed) {
				t.Errorf("%s, exclude %q: after undo the page differs from the parsed page", name, opts.Exclude)
			}

			in := Input{Body: page, URL: goldenPages[name]}
			fresh, err := ex.Analyze(in, AnalyzeOptions{Explain: true})
			if err != nil {
				t.Fatal(err)
			}
			probed, err := ex.Analyze(in, AnalyzeOptions{Explain: true, Fingerprint: "an older page's"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fresh, probed); diff != "" {
				t.Errorf("%s, exclude %q: extracted after a probe (+) vs from a fresh parse (-):\n%s", name, opts.Exclude, diff)
			}
		}
	}
}

func render(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
