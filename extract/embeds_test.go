package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const tweetPage = `<html><head><title>Slogan - Example News</title></head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
<article><h1>South Dakota doubles down on its slogan</h1>
<div class="entry-content">
<p>The governor of South Dakota launched an anti-drug campaign on Monday, and its slogan drew a flood of attention on social media.</p>
<p>Many people on Twitter pointed out what might be wrong with it, and the slogan soon became a top trend across the country.</p>
<div class="social-media-embed"><blockquote class="twitter-tweet"><p>%s</p>— A reader (@reader) November 19, 2019</blockquote></div>
<p>The governor answered the critics on Tuesday, saying that the whole point of the campaign was to raise awareness of the problem.</p>
<p>The state has paid the advertising agency nearly half a million dollars so far this year, according to a local newspaper report.</p>
</div>
<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Follow us for more news</p>— Example News (@example) November 19, 2019</blockquote></div>
</article></body></html>`

// TestEmbeddedPosts: a tweet between the article's paragraphs is part of
// the article, in place, so an edit to it is a change; one after the
// article is not.
func TestEmbeddedPosts(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(tweet string) []string {
		doc, err := ex.Extract(Input{Body: fmt.Appendf(nil, tweetPage, tweet)})
		if err != nil {
			t.Fatal(err)
		}
		return doc.Paragraphs
	}
	got := get("meth. we're. on. it.")
	want := []string{
		"The governor of South Dakota launched an anti-drug campaign on Monday, and its slogan drew a flood of attention on social media.",
		"Many people on Twitter pointed out what might be wrong with it, and the slogan soon became a top trend across the country.",
		"meth. we're. on. it.",
		"— A reader (@reader) November 19, 2019",
		"The governor answered the critics on Tuesday, saying that the whole point of the campaign was to raise awareness of the problem.",
		"The state has paid the advertising agency nearly half a million dollars so far this year, according to a local newspaper report.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paragraphs (-want +got):\n%s", diff)
	}
	if edited := get("meth. we're. so. on. it."); !strings.Contains(strings.Join(edited, "\n"), "so. on. it.") {
		t.Errorf("an edit to the embedded tweet does not show: %q", edited)
	}
}
