package testsite

import (
	"strings"
	"testing"
)

func TestFrance24(t *testing.T) {
	page := string(France24(France24Page{
		DontMiss:     []string{"Teaser A"},
		ReadMore:     []string{"Teaser B"},
		InlineTeaser: "Inline teaser",
		GeneratedAt:  "2024-05-01T10:00:00Z",
		Comments:     12,
		LatestUpdate: "2014-03-30",
		Replace:      map[int]string{1: "Edited <paragraph> & more."},
		Extra:        "An extra paragraph.",
	}))
	for _, want := range []string{
		"<h1 class=\"t-content__title a-page-title\">Putin and Obama discuss &#39;diplomatic end&#39; to Ukraine crisis</h1>",
		"Text by <a", "Latest update : 2014-03-30", "Date created : 2014-03-29",
		"Teaser A", "Teaser B", "Read more:</strong> <a href=\"/en/inline\">Inline teaser</a>",
		"Page generated at 2024-05-01T10:00:00Z", "12 comments",
		"<p>Edited &lt;paragraph&gt; &amp; more.</p>", "<p>An extra paragraph.</p>",
		"<h2>Russian troops directly involved in Crimea</h2>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Seven hour Burkina") {
		t.Error("page has the default teasers although others were chosen")
	}
	if got := len(France24Paragraphs()); got != 18 {
		t.Errorf("France24Paragraphs() has %d blocks, want 18", got)
	}
	ps := France24Paragraphs()
	ps[0] = "changed"
	if France24Paragraphs()[0] == "changed" {
		t.Error("France24Paragraphs shares its backing array")
	}
}
