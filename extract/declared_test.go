package extract

import (
	"slices"
	"strings"
	"testing"
)

// declaredPage is a news page whose template repeats the article in a
// hidden schema.org block, as Business Insider's does; hidden is the text
// of that copy's articleBody.
func declaredPage(title, hidden string) []byte {
	return []byte(`<!doctype html><html lang="en"><head><title>` + title + `</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="Council approves the new bridge after a long debate"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Council approves the new bridge after a long debate</h1>
<p>The city council approved the construction of a new bridge over the river on Tuesday, ending a debate that lasted three years.</p>
<p>The bridge will cost 40 million euros and should open in 2027. Opponents said the money would be better spent on buses.</p>
<p>The mayor called the vote a turning point for the eastern districts, which have waited decades for a direct link to the centre.</p>
<p>Work is due to start in the spring, once the last permits are signed.</p>
<p>Residents of the eastern districts gathered outside the town hall during the vote, some carrying banners that had been painted years ago.</p>
<p>The transport department expects around twelve thousand crossings a day once the bridge opens, most of them by bicycle and tram.</p>
<p>A lawsuit filed by a group of boat owners, who fear the bridge will be too low for their masts, is still pending before the regional court.</p>
</article>
<div style="display:none" itemscope itemtype="http://schema.org/NewsArticle">
<h1 itemprop="name">Council approves the new bridge after a long debate</h1>
<div itemprop="headline">Council approves the new bridge after a long debate</div>
<div itemprop="articleBody">` + hidden + `</div>
</div>
<footer>© The Daily Example</footer>
</body></html>`)
}

const hiddenCopy = `
The city council approved the construction of a new bridge over the river on Tuesday, ending a debate that lasted three years.
The bridge will cost 40 million euros and should open in 2027. Opponents said the money would be better spent on buses.
The mayor called the vote a turning point for the eastern districts, which have waited decades for a direct link to the centre.
Work is due to start in the spring, once the last permits are signed.
Residents of the eastern districts gathered outside the town hall during the vote, some carrying banners that had been painted years ago.
The transport department expects around twelve thousand crossings a day once the bridge opens, most of them by bicycle and tram.
A lawsuit filed by a group of boat owners, who fear the bridge will be too low for their masts, is still pending before the regional court.
`

// TestDeclaredHiddenCopy: a hidden structured copy that repeats the
// article adds nothing to the canonical text; an edit made in the copy
// alone shows as the sentence that now differs, and the fingerprint sees
// it, so the shortcut cannot skip it.
func TestDeclaredHiddenCopy(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	title := "Council approves the new bridge after a long debate - The Daily Example"
	base, err := ex.Analyze(Input{Body: declaredPage(title, hiddenCopy)}, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := base.Document; d.PageTitle != "" || len(d.Structured) != 0 || len(d.Paragraphs) != 7 {
		t.Fatalf("unedited page: PageTitle %q, Structured %q, %d paragraphs; want none, none, 7\n%s", d.PageTitle, d.Structured, len(d.Paragraphs), d.Canonical())
	}
	if strings.Contains(base.Document.Canonical(), "Structured data") {
		t.Errorf("canonical text of the unedited page mentions structured data:\n%s", base.Document.Canonical())
	}

	edited := strings.Replace(hiddenCopy, "40 million euros", "55 million euros", 1)
	got, err := ex.Analyze(Input{Body: declaredPage(title, edited)}, AnalyzeOptions{Fingerprint: base.Fingerprint})
	if err != nil {
		t.Fatal(err)
	}
	if got.Unchanged {
		t.Fatal("the fingerprint did not see an edit of the hidden copy")
	}
	want := []string{"The bridge will cost 55 million euros and should open in 2027."}
	if !slices.Equal(got.Document.Structured, want) {
		t.Errorf("Structured = %q, want %q", got.Document.Structured, want)
	}
	if !slices.Equal(got.Document.Paragraphs, base.Document.Paragraphs) {
		t.Errorf("the visible paragraphs changed with the hidden copy:\n%q\n%q", base.Document.Paragraphs, got.Document.Paragraphs)
	}
	if c := got.Document.Canonical(); !strings.Contains(c, "\nStructured data: The bridge will cost 55 million euros") {
		t.Errorf("canonical text does not show the edited sentence:\n%s", c)
	}
}

// TestDeclaredPageTitle: a <title> that is the headline and the site's
// name is not kept; a search-engine headline is, without the site's name,
// and an edit of it changes the canonical text.
func TestDeclaredPageTitle(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ title, want string }{
		{"Council approves the new bridge after a long debate - The Daily Example", ""},
		{"Council approves the new bridge after a long debate | The Daily Example", ""},
		{"Council approves the new bridge after a long debate", ""},
		{"Council approves the new bridge after a long debate | World | The Daily Example", ""},
		{"New bridge approved: what it means for commuters - The Daily Example", "New bridge approved: what it means for commuters"},
		{"New bridge approved: what it means for commuters and cyclists | The Daily Example", "New bridge approved: what it means for commuters and cyclists"},
	} {
		d, err := ex.Extract(Input{Body: declaredPage(tc.title, hiddenCopy)})
		if err != nil {
			t.Fatal(err)
		}
		if d.PageTitle != tc.want {
			t.Errorf("title %q: PageTitle = %q, want %q", tc.title, d.PageTitle, tc.want)
		}
		if tc.want != "" && !strings.Contains(d.Canonical(), "\nPage title: "+tc.want+"\n") {
			t.Errorf("title %q: canonical text lacks the page title:\n%s", tc.title, d.Canonical())
		}
	}
}

// TestDeclaredVisibleArticleBody: an itemprop=articleBody on the visible
// article is the article itself; its share buttons and teasers, which the
// extractor drops, must not come back as structured data.
func TestDeclaredVisibleArticleBody(t *testing.T) {
	page := []byte(`<html><head><title>Council approves the new bridge</title></head><body>
<article itemscope itemtype="http://schema.org/NewsArticle"><h1 itemprop="headline">Council approves the new bridge</h1>
<div itemprop="articleBody">
<p>The city council approved the construction of a new bridge over the river on Tuesday, ending a debate that lasted three years.</p>
<ul class="share"><li><a href="#">Share on Facebook</a></li><li><a href="#">Share on Twitter</a></li></ul>
<p>The bridge will cost 40 million euros and should open in 2027. Opponents said the money would be better spent on buses.</p>
<aside class="related"><h3>Read more</h3><ul><li><a href="/a">Bus fares to rise in May</a></li><li><a href="/b">Storm closes the harbour</a></li></ul></aside>
<p>The mayor called the vote a turning point for the eastern districts, which have waited decades for a direct link to the centre.</p>
</div></article></body></html>`)
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ex.Extract(Input{Body: page})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Structured) != 0 {
		t.Errorf("Structured = %q, want none: the visible article is not a copy", d.Structured)
	}
}

// TestDeclaredLinkedData: a JSON-LD articleBody written as escaped HTML,
// or as a summary cut short with an ellipsis, adds nothing when it agrees
// with the article; an edited sentence in it shows.
func TestDeclaredLinkedData(t *testing.T) {
	page := func(body string) []byte {
		return []byte(`<html><head><title>Council approves the new bridge</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves the new bridge","articleBody":` + body + `}</script>
</head><body><article><h1>Council approves the new bridge</h1>
<p>The city council approved the construction of a new bridge over the river on Tuesday, ending a debate that lasted three years.</p>
<p>The bridge will cost 40 million euros and should open in 2027. Opponents said the money would be better spent on buses.</p>
<p>The mayor&#39;s office called the vote a turning point for the eastern districts, which have waited decades for a direct link.</p>
</article></body></html>`)
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"escaped HTML", `"&lt;p&gt;The city council approved the construction of a new bridge over the river on Tuesday, ending a debate that lasted three years.&lt;/p&gt;&lt;p&gt;The bridge will cost 40 million euros and should open in 2027.&lt;/p&gt;"`, nil},
		{"entities", `"The mayor&apos;s office called the vote a turning point for the eastern districts, which have waited decades for a direct link."`, nil},
		{"cut short", `"The city council approved the construction of a new bridge over the river on Tuesday, ending a deb&hellip;"`, nil},
		{"edited", `"The bridge will cost 40 million euros and should open in 2028. Opponents said the money would be better spent on buses."`,
			[]string{"The bridge will cost 40 million euros and should open in 2028."}},
	} {
		d, err := ex.Extract(Input{Body: page(tc.body)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.Structured, tc.want) {
			t.Errorf("%s: Structured = %q, want %q", tc.name, d.Structured, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"One. Two! Three? four", []string{"One.", "Two!", "Three? four"}},
		{`He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		{"It cost $3.50 in 2019. 2020 was worse.", []string{"It cost $3.50 in 2019.", "2020 was worse."}},
		{"No end", []string{"No end"}},
	} {
		if got := sentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
