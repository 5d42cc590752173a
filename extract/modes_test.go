package extract

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

const modesPage = `<!DOCTYPE html><html lang="fr"><head><title>Prix - Boutique</title>
<style>p{color:red}</style><script>var x = "script text";</script></head>
<body>
<nav><a href="/">Accueil</a></nav>
<h1>Nos  prix</h1>
<div class="price"><span>Café</span> <b>2,50 €</b></div>
<div class="price">The&nbsp;<i>cafe&#x301;</i> 3 €</div>
<p hidden>hidden text</p><p style="display: none">also hidden</p>
<noscript>enable js</noscript><template><p>template</p></template>
<table><tr><td>a</td><td>b</td></tr></table>
<p>Line one<br>line two</p>
<div class="ad">Publicité</div>
<p class="stamp">Generated at 12:00:01</p>
</body></html>`

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		body string
		want Document
	}{{
		name: "text",
		opts: Options{Mode: ModeText},
		body: modesPage,
		want: Document{Title: "Prix - Boutique", Lang: "fr", Paragraphs: []string{
			"Accueil", "Nos prix", "Café 2,50 €", "The café 3 €", "a b", "Line one", "line two", "Publicité", "Generated at 12:00:01"}},
	}, {
		name: "text with exclude and ignore",
		opts: Options{Mode: ModeText, Exclude: []string{"nav", ".ad"}, Ignore: []string{`^Generated at`, `(?i)line TWO`}},
		body: modesPage,
		want: Document{Title: "Prix - Boutique", Lang: "fr", Paragraphs: []string{
			"Nos prix", "Café 2,50 €", "The café 3 €", "a b", "Line one"}},
	}, {
		name: "selector",
		opts: Options{Mode: ModeSelector, Select: []string{".price", "h1"}},
		body: modesPage,
		want: Document{Title: "Prix - Boutique", Lang: "fr", Paragraphs: []string{"Nos prix", "Café 2,50 €", "The café 3 €"}},
	}, {
		name: "selector with exclude",
		opts: Options{Mode: ModeSelector, Select: []string{"body"}, Exclude: []string{"nav", "table, .ad, .stamp", "p"}},
		body: modesPage,
		want: Document{Title: "Prix - Boutique", Lang: "fr", Paragraphs: []string{"Nos prix", "Café 2,50 €", "The café 3 €"}},
	}, {
		name: "selector nested matches once",
		opts: Options{Mode: ModeSelector, Select: []string{"div", "span"}},
		body: `<div><span>x</span> y</div>`,
		want: Document{Paragraphs: []string{"x y"}},
	}, {
		name: "raw",
		opts: Options{Mode: ModeRaw},
		body: "{\n  \"price\":   2.5,  \r\n\n\n\n  \"name\": \"cafe\u0301\"\t\n}\n",
		want: Document{Paragraphs: []string{"{", `"price": 2.5,`, `"name": "café"`, "}"}},
	}, {
		name: "raw keeps markup as text",
		opts: Options{Mode: ModeRaw, Ignore: []string{`^#`}},
		body: "<p>not parsed</p>\n# comment\n",
		want: Document{Paragraphs: []string{"<p>not parsed</p>"}},
	}, {
		name: "article ignore applies to paragraphs only",
		opts: Options{Ignore: []string{"Putin"}},
		body: `<html><head><title>Putin speaks</title></head><body><article><h1>Putin speaks</h1>
<p>` + strings.Repeat("Putin said many things about the situation today. ", 8) + `</p>
<p>` + strings.Repeat("Others answered him at length on the same subject. ", 8) + `</p></article></body></html>`,
		want: Document{Title: "Putin speaks", Paragraphs: []string{strings.TrimSpace(strings.Repeat("Others answered him at length on the same subject. ", 8))}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := New(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ex.Extract(Input{Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.opts.Mode == "" {
				got.Lang = "" // detected, not under test here
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string // must appear in the error
	}{
		{Options{Mode: "articel"}, `"articel"`}, //nolint:misspell // the typo is the test
		{Options{Mode: ModeSelector}, "selector mode needs"},
		{Options{Mode: ModeSelector, Select: []string{"div..x"}}, `"div..x"`},
		{Options{Mode: ModeSelector, Select: []string{"p", "  "}}, "empty CSS selector"},
		{Options{Select: []string{"p"}}, "need selector mode"},
		{Options{Exclude: []string{"p", "a[href"}}, `"a[href"`},
		{Options{Mode: ModeRaw, Exclude: []string{"p"}}, "raw mode"},
		{Options{Ignore: []string{`ok`, `a(b`}}, `"a(b"`},
		{Options{Ignore: []string{`(?P<x`}}, `"(?P<x"`},
	} {
		_, err := New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) error = %v, want one containing %s", tc.opts, err, tc.want)
		}
	}
	for _, opts := range []Options{{}, {Mode: ModeText, Exclude: []string{"nav"}}, {Mode: ModeSelector, Select: []string{"main p"}}, {Mode: ModeRaw, Ignore: []string{`^\d+$`}}} {
		if _, err := New(opts); err != nil {
			t.Errorf("New(%+v): %v", opts, err)
		}
	}
}

// TestMayReadMore: the first-letter test in front of readMore lets every
// phrase of it through, in either case.
func TestMayReadMore(t *testing.T) {
	for _, p := range []string{"read more", "read also", "also read", "more", "related", "see also", "watch", "listen",
		"must read", "à lire aussi", "lire également", "voir aussi", "lesen sie auch", "mehr zum thema", "leer más",
		"lee también", "leggi anche", "leia também", "veja também", "читайте также"} {
		r := []rune(p)
		upper := string(unicode.ToUpper(r[0])) + string(r[1:])
		for _, line := range []string{p + ": A headline", upper + " » A headline"} {
			if !readMore.MatchString(line) {
				t.Errorf("readMore does not match %q", line)
			}
			if !mayReadMore(line) {
				t.Errorf("mayReadMore(%q) = false, but readMore matches it", line)
			}
		}
	}
}
