package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunsSeparatedByBlocks covers article bodies written as bare text runs
// separated by block elements instead of <p>: whether the separator is an
// empty "fake br" div or an ad slot that redline removes, the runs stay
// separate paragraphs, and an ad slot appearing between them changes
// nothing.
func TestRunsSeparatedByBlocks(t *testing.T) {
	t.Parallel()
	runs := []string{
		"The son of a former president was stabbed to death on Tuesday evening, while another man was critically injured trying to stop the assailant, police said.",
		"The attack took place during a lecture at a Berlin clinic where the victim worked as a chief physician, and the hall was full of colleagues and patients.",
		"Police arrested a 57-year-old man at the scene and said his motive was not yet known, though they did not suspect a political background at this stage.",
	}
	page := func(sep string) []byte {
		return []byte(fmt.Sprintf(`<html><head><title>Son of former president stabbed</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<h1>Son of former president stabbed</h1>
<div class="article-body" itemprop="articleBody">%s</div>
<footer>© 2019 The Post</footer></body></html>`, strings.Join(runs, sep)))
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, sep := range map[string]string{
		"fake br":        `<div class="fake-br-for-article-body"></div>`,
		"br":             `<br/><br/>`,
		"ad slot":        `<div id="div-gpt-ad-1700258848768-7" class="ad-slot"><span class="ad-slot__label">Advertisement</span></div>`,
		"fake br and ad": `<div class="fake-br"></div><div id="div-gpt-ad-42" class="ad-slot">Advertisement</div>`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, err := ex.Extract(Input{Body: page(sep), URL: "https://example.org/a", ContentType: "text/html"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(runs, doc.Paragraphs); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBodySplitAroundAds covers sites that split the article into sibling
// containers of one class with ads and promos between them: every chunk is
// the article, and an author box sharing the class is not.
func TestBodySplitAroundAds(t *testing.T) {
	t.Parallel()
	paras := []string{
		"The first chunk of the story opens with a long paragraph about the banks that many people say they hate, and why.",
		"It goes on for a while, explaining how the industry changed over the last decade and what customers now expect.",
		"After the advertisement the second chunk continues the argument with a long paragraph that nobody should lose.",
		"And it closes with a final paragraph of the same length, so the story ends where the writer meant it to end.",
	}
	page := fmt.Sprintf(`<html><head><title>Banks</title></head><body>
<h1>Why people hate banks</h1>
<div class="article__chunks">
  <div class="body article__body"><p>%s</p><p>%s</p></div>
  <div class="ad ad--mid-content"><div class="ad__slot">Advertisement</div></div>
  <div class="body article__body"><p>%s</p><p>%s</p></div>
  <div class="body article__body"><p>About the Author</p><p><a href="/a">Jane Doe</a></p><p><a href="/t">@janedoe</a></p></div>
</div>
<footer>© The Site</footer></body></html>`, paras[0], paras[1], paras[2], paras[3])
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ex.Extract(Input{Body: []byte(page), URL: "https://example.org/banks", ContentType: "text/html"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(paras, doc.Paragraphs); diff != "" {
		t.Errorf("paragraphs (-want +got):\n%s", diff)
	}
}
