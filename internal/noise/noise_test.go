package noise

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

const page = `<!DOCTYPE html><html><head><title>T</title></head><body>
<nav><p>Home</p></nav>
<div id="main"><article id="art"><h1>Headline</h1>
<p>First paragraph of the article, long enough to matter.</p>
<p>Second paragraph of the article.</p>
<p>Third paragraph.</p>
</article></div>
</body></html>`

func inject(t *testing.T, seed int, kinds Kind) string {
	t.Helper()
	out, ok := InjectHTML([]byte(page), seed, kinds)
	if !ok {
		t.Fatalf("InjectHTML(seed %d, %v) found no container", seed, kinds)
	}
	return string(out)
}

func TestContainer(t *testing.T) {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	c := Container(root)
	if c == nil || c.Data != "article" {
		t.Fatalf("Container = %v, want the <article>", c)
	}
	root, _ = html.Parse(strings.NewReader(`<div><span>no paragraphs</span></div>`))
	if c := Container(root); c != nil {
		t.Errorf("Container of a page without <p> = <%s>, want nil", c.Data)
	}
	if _, ok := InjectHTML([]byte(`<div>nothing</div>`), 1, All); ok {
		t.Error("InjectHTML reported success on a page without a container")
	}
}

func TestInjectAll(t *testing.T) {
	got := inject(t, 1, All)
	h := Headlines()
	escape := html.EscapeString
	// Each kind in its place, in document order.
	want := []string{
		`<section class="c-list"><h2>Don&#39;t miss</h2>`,
		escape(h[5]), escape(h[6]), escape(h[7]),
		`<article id="art"><div class="meta"><a href="#comments">17 comments</a></div>`,
		`Second paragraph of the article.</p><p><strong>Read more:</strong> <a href="/en/f1">` + escape(h[10]),
		`Third paragraph.`,
		`</article><div id="div-gpt-ad-1001" class="o-slot"><span>Advertisement</span></div>`,
		`<div class="c-more"><h3>Related</h3>`, escape(h[8]), escape(h[9]),
		`<p class="stamp">Page generated at 2024-01-02T10:01:00Z</p></body>`,
	}
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q after the previous pieces:\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}

func TestKinds(t *testing.T) {
	base, ok := Rerender([]byte(page))
	if !ok {
		t.Fatal("Rerender failed")
	}
	if got := inject(t, 3, 0); got != string(base) {
		t.Errorf("no kinds changed the page:\n%s\nwant\n%s", got, base)
	}
	marks := map[Kind]string{
		Teasers:  "Don&#39;t miss",
		AdSlot:   "Advertisement",
		Related:  "<h3>Related</h3>",
		ReadMore: "Read more:",
		Comments: " comments</a>",
		Stamp:    "Page generated at",
	}
	for k := range marks {
		got := inject(t, 3, k)
		for k2, mark2 := range marks {
			if has := strings.Contains(got, mark2); has != (k == k2) {
				t.Errorf("kind %v: output has %q = %v", k, mark2, has)
			}
		}
	}
}

func TestSeeds(t *testing.T) {
	a, b := inject(t, 1, All), inject(t, 2, All)
	if a != inject(t, 1, All) {
		t.Error("same seed, different output")
	}
	if a == b {
		t.Error("seeds 1 and 2 give the same output")
	}
	for _, seed := range []int{-1, 0, 1 << 40, -(1 << 62)} {
		inject(t, seed, All) // no panic for any seed
	}
}

func TestInjectDoesNotTouchInput(t *testing.T) {
	in := []byte(page)
	orig := bytes.Clone(in)
	InjectHTML(in, 5, All)
	if !bytes.Equal(in, orig) {
		t.Error("InjectHTML modified its input")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		0:                "none",
		Teasers | Stamp:  "teasers+stamp",
		All:              "teasers+ad-slot+related+read-more+comments+stamp",
		ReadMore | 1<<10: "read-more+0x400",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint(k), got, want)
		}
	}
}
