package extract

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"

	"github.com/redlinehq/redline/internal/testsite"
)

// checkCanonical asserts the properties every canonical text has.
func checkCanonical(t *testing.T, d Document) {
	t.Helper()
	c := d.Canonical()
	if strings.Contains(c, "\n\n\n") {
		t.Errorf("canonical text has a run of blank lines: %q", c)
	}
	if !utf8.ValidString(c) || !norm.NFC.IsNormalString(c) {
		t.Errorf("canonical text is not valid NFC UTF-8: %q", c)
	}
	for _, p := range d.Paragraphs {
		if p == "" || strings.ContainsAny(p, "\n\r\t") || strings.TrimSpace(p) != p {
			t.Errorf("paragraph not folded: %q", p)
		}
	}
	if again := normalizeDocument(d); !cmp.Equal(again, d) {
		t.Errorf("normalising twice differs from once: %s", cmp.Diff(d, again))
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(""), uint8(0))
	f.Add([]byte("<html><body><p>Hello</p></body></html>"), uint8(0))
	f.Add([]byte("\xff\xfe\x00binary\x00junk"), uint8(1))
	f.Add([]byte("<p>e\u0301 \u200b<br>x\r\n\n\n\ny</p>"), uint8(3))
	f.Add([]byte(`<script type="application/ld+json">{"@type":"NewsArticle","author":[{"name":{}}],"datePublished":7}</script>`), uint8(0))
	f.Add(testsite.France24(testsite.France24Page{}), uint8(0))
	modes := []Mode{ModeArticle, ModeText, ModeSelector, ModeRaw}
	exs := make([]*Extractor, len(modes))
	for i, m := range modes {
		opts := Options{Mode: m}
		if m == ModeSelector {
			opts.Select = []string{"p", "div > span"}
		}
		ex, err := New(opts)
		if err != nil {
			f.Fatal(err)
		}
		exs[i] = ex
	}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		ex := exs[int(mode)%len(exs)]
		doc, err := ex.Extract(Input{Body: body})
		if err != nil {
			return // only a tree too deep to parse is refused
		}
		checkCanonical(t, doc)
		if ex.mode == ModeRaw {
			// Raw extraction of a canonical text gives it back.
			again, err := ex.Extract(Input{Body: []byte(doc.Canonical())})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(doc.Canonical(), again.Canonical()); diff != "" {
				t.Errorf("canonicalising twice differs from once (-once +twice):\n%s", diff)
			}
		}
	})
}

func TestHostileInput(t *testing.T) {
	deep := bytes.Repeat([]byte("<div>"), 2_000_000) // 10 MB of nested divs
	wide := []byte("<html><body>" + strings.Repeat("<div><p>word word</p><a href=x>l</a></div>", 20_000) + "</body></html>")
	for name, body := range map[string][]byte{
		"empty":          nil,
		"binary":         {0x00, 0xff, 0xfe, 0x89, 'P', 'N', 'G', 0x00, 0x1b},
		"nested divs":    deep,
		"wide page":      wide,
		"unclosed":       []byte("<html><body><p>one<p>two<table><tr><td>three"),
		"only script":    []byte("<script>alert(1)</script>"),
		"bad json-ld":    []byte(`<script type="application/ld+json">{"@graph": [[[[[[[[[[[{}]]]]]]]]]]]}</script><p>x</p>`),
		"invalid utf-8":  []byte("<p>caf\xe9 \xc3\x28</p>"),
		"huge attribute": []byte(`<p class="` + strings.Repeat("ad ", 100_000) + `">text</p>`),
	} {
		for _, m := range []Mode{ModeArticle, ModeText, ModeRaw} {
			t.Run(name+"/"+string(m), func(t *testing.T) {
				ex, err := New(Options{Mode: m})
				if err != nil {
					t.Fatal(err)
				}
				doc, err := ex.Extract(Input{Body: body})
				if err != nil {
					if name != "nested divs" {
						t.Fatalf("Extract: %v", err)
					}
					return
				}
				checkCanonical(t, doc)
			})
		}
	}
}

func TestConcurrentExtract(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := testsite.France24(testsite.France24Page{})
	want, err := ex.Extract(Input{Body: page})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			got, err := ex.Extract(Input{Body: page})
			if err != nil {
				errs <- err.Error()
				return
			}
			errs <- cmp.Diff(want, got)
		}()
	}
	for range 8 {
		if d := <-errs; d != "" {
			t.Error(d)
		}
	}
}

// FuzzFoldSpace: foldSpace is strings.Join(strings.Fields(s), " ").
func FuzzFoldSpace(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a ", " a", "a  b", "a\tb", "a\u00a0b", "a b ", "x y z", "\n", "a\u2003 b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := foldSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("foldSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzNormalizeASCII: the ASCII fast path of normalizeText gives what the
// general path gives.
func FuzzNormalizeASCII(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\tb", "a\n", "a ", "\v\f\r", "x y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isASCII(s) {
			return
		}
		if got, want := foldSpaceASCII(s), foldSpace(s); got != want {
			t.Errorf("foldSpaceASCII(%q) = %q, foldSpace gives %q", s, got, want)
		}
	})
}

// FuzzAppendFolded: appendFolded's ASCII fast path folds as the plain
// rune loop it replaced does, so stored fingerprints stay valid.
func FuzzAppendFolded(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\tb\n", "\u00a0", "é\u2003 b", "\xff a", "a\u0085", " \t "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := []byte("<p>")
		if strings.TrimSpace(s) != "" {
			space := false
			for _, r := range s {
				if unicode.IsSpace(r) {
					space = true
					continue
				}
				if space {
					want = append(want, ' ')
					space = false
				}
				want = utf8.AppendRune(want, r)
			}
			if space {
				want = append(want, ' ')
			}
		}
		if got := appendFolded([]byte("<p>"), s); !bytes.Equal(got, want) {
			t.Errorf("appendFolded(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzNormalizeText: normalizeText's one-pass cleaning gives what the
// steps it replaced give one after the other (strings.ToValidUTF8,
// dropping invisible characters, foldSpace, then NFC), so stored texts and
// fingerprints stay valid.
func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"", " ", "é", " é ", "a\u00a0b", "\xff\xfe a", "\xff\u200b\xfe", "a \u200b b", "\u00ad", "e\u0301", "\u0301a", "x\ufffd\xff", "a\u2003\u2003b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ToValidUTF8(s, "\ufffd")
		want = dropInvisible(want)
		want = foldSpace(want)
		if want != "" && !norm.NFC.IsNormalString(want) {
			want = foldSpace(norm.NFC.String(want))
		}
		if got := normalizeText(s); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", s, got, want)
		}
	})
}
