package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHiddenByStyle(t *testing.T) {
	page := `<html><body><p>shown</p>
<p style="display:none">a</p><p style="DISPLAY : None ;">b</p><p style="color:red;
  visibility:
  hidden">c</p><p style="ddisplay:none">d</p><p style="display:nonE">e</p>
<p style="display:no ne">f</p><p style="visibility:visible">shown too</p>
<p style="display:inline">and this</p><p style="visibility:hidde">and this one</p>
</body></html>`
	ex, err := New(Options{Mode: ModeText})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ex.Extract(Input{Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"shown", "shown too", "and this", "and this one"}
	if !slices.Equal(doc.Paragraphs, want) {
		t.Errorf("paragraphs = %q, want %q (every spelling of display:none and visibility:hidden hides)", doc.Paragraphs, want)
	}
}

// TestShortParagraphs checks that the lines read for dates and bylines
// are the short paragraphs of the page, however its text is spelled.
func TestShortParagraphs(t *testing.T) {
	long := strings.Repeat("word ", 40)
	pages := []string{
		`<body><p>` + long + `</p><p>Latest update : 2014-03-29</p><div>a<br>` + long + `<br>b</div></body>`,
		// Spaces, invisible characters and combining marks that
		// normalising removes or merges, around the 160-byte limit.
		`<body><p>` + strings.Repeat("x ", 79) + `</p><p>` + strings.Repeat("x\u200b", 80) + `</p><p>` +
			strings.Repeat("e\u0301", 60) + `</p><p>` + strings.Repeat("\t\n x", 80) + `</p><p>` +
			strings.Repeat("é", 81) + `</p><td>` + strings.Repeat("y", 161) + `</td></body>`,
		"<body><p>\xff\xfe" + strings.Repeat("z", 158) + `</p></body>`,
	}
	files, err := filepath.Glob("testdata/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(b))
	}
	for i, page := range pages {
		root, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, p := range paragraphs(root) {
			if len(p) <= maxLineLen {
				want = append(want, p)
			}
		}
		if got := shortParagraphs(root, maxLineLen); !slices.Equal(got, want) {
			t.Errorf("page %d: short paragraphs = %q, want %q", i, got, want)
		}
	}
}

func TestNormalizeSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		" \n\t ":           "",
		"one":              "one",
		"\n    Home\n  ":   "Home",
		"a  b\tc\r\nd  ":   "a b c d",
		"already folded":   "already folded",
		"trailing ":        "trailing",
		" café  au  lait ": "café au lait",
	} {
		if got := normalizeText(in); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}
