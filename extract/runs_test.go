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
