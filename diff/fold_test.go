package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ASCII, one space.\n", "plain ASCII, one space.\n"},
		{"don\u2019t \u2018quote\u2019 \u201Ahere\u201B 5\u2032 \u02BCx", "don't 'quote' 'here' 5' 'x"},
		{"\u201Cdouble\u201D \u201Elow\u201F 5\u2033", `"double" "low" 5"`},
		{"\u00ABguillemets\u00BB stay", "\u00ABguillemets\u00BB stay"},
		{"wait\u2026", "wait..."},
		{"well\u2010known non\u2011breaking 555\u20120199 1990\u20131995", "well-known non-breaking 555-0199 1990-1995"},
		{"em\u2014dash stays", "em\u2014dash stays"},
		{"a\u00A0b\u202Fc\u2009d  e\tf \u3000 g", "a b c d e f g"},
		{"extra\u00ADordinary zero\u200Bwidth\u200C\u200D\u2060\uFEFF", "extraordinary zerowidth"},
		{"a \u200B b", "a b"},
		{"Cafe\u0301", "Caf\u00E9"},
		{"e\u200B\u0301", "\u00E9"},
		{"line one \n\n  line two\n", "line one \n\n line two\n"},
		{"bad \xff\xfe  utf8", "bad \xff\xfe utf8"},
		{"x\r\n", "x \n"},
	}
	for _, tt := range tests {
		got := Fold(tt.in)
		if got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := Fold(got); again != got {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", tt.in, again, got)
		}
	}
}

// TestCompareTypographic checks that texts differing only in typographic
// variants compare Equal, with nothing to report, while Unified still turns
// the old text into the new one, and that real edits next to variants are
// still changes.
func TestCompareTypographic(t *testing.T) {
	tests := []struct {
		name, old, new string
		wantEqual      bool
		wantStats      string
		wantNewWords   []Span // the Words of the first changed line of the new text, if any
	}{
		{name: "curly apostrophe", old: "# Talks\n\nPutin's aide said it's over.\n", new: "# Talks\n\nPutin\u2019s aide said it\u02BCs over.\n", wantEqual: true},
		{name: "curly quotes in the headline", old: "# Obama: \"no deal\"\n\nText.\n", new: "# Obama: \u201Cno deal\u201D\n\nText.\n", wantEqual: true},
		{name: "ellipsis", old: "# T\n\nAnd then...\n", new: "# T\n\nAnd then\u2026\n", wantEqual: true},
		{name: "hyphens and en dash", old: "# T\n\nA well-known 1990-1995 run.\n", new: "# T\n\nA well\u2011known 1990\u20131995 run.\n", wantEqual: true},
		{name: "spaces", old: "# T\nBy: Jane Smith\n\nA b  c.\n", new: "# T\nBy: Jane\u00A0Smith\n\nA\u202Fb c.\n", wantEqual: true},
		{name: "soft hyphen and zero width", old: "# T\n\nAn extraordinary day.\n", new: "\uFEFF# T\n\nAn extra\u00ADordinary\u200B day.\n", wantEqual: true},
		{name: "NFD", old: "# Caf\u00E9\n\nD\u00E9j\u00E0 vu.\n", new: "# Cafe\u0301\n\nDe\u0301ja\u0300 vu.\n", wantEqual: true},
		{name: "guillemets are a change", old: "# T\n\nIl a dit \"non\".\n", new: "# T\n\nIl a dit \u00ABnon\u00BB.\n", wantStats: "1 paragraph changed, +1 −1 words",
			wantNewWords: []Span{{Equal, "Il a dit "}, {Insert, "\u00ABnon\u00BB."}}},
		{name: "punctuation is a change", old: "# T\n\nWill he resign.\n", new: "# T\n\nWill he resign?\n", wantStats: "1 paragraph changed",
			wantNewWords: []Span{{Equal, "Will he resign"}, {Insert, "?"}}},
		{name: "em dash is a change", old: "# T\n\nYes - and no.\n", new: "# T\n\nYes \u2014 and no.\n", wantStats: "1 paragraph changed",
			wantNewWords: []Span{{Equal, "Yes "}, {Insert, "\u2014"}, {Equal, " and no."}}},
		{
			name:         "a real word next to changed quotes",
			old:          "# T\n\nHe said \"no\" to the 'deal' today.\n",
			new:          "# T\n\nHe said \u201Cyes\u201D to the \u2018deal\u2019 today.\n",
			wantStats:    "1 paragraph changed, +1 −1 words",
			wantNewWords: []Span{{Equal, "He said \u201C"}, {Insert, "yes"}, {Equal, "\u201D to the \u2018deal\u2019 today."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.old, tt.new)
			checkChange(t, tt.old, tt.new, c)
			if got := c.Equal(); got != tt.wantEqual {
				t.Fatalf("Equal() = %v, want %v\n%s", got, tt.wantEqual, c.Unified("old", "new", 0))
			}
			if c.Identical() {
				t.Errorf("Identical() = true for texts that differ")
			}
			if tt.wantEqual {
				if c.Stats != (Stats{}) || c.Summary() != "no changes" {
					t.Errorf("Stats = %+v, Summary() = %q, want none", c.Stats, c.Summary())
				}
				if got := Classify(tt.old, tt.new, c); got != "" {
					t.Errorf("Classify() = %q, want no class", got)
				}
				if got := c.Terminal(3); got != "" {
					t.Errorf("Terminal() = %q, want \"\"", got)
				}
				if c.Unified("old", "new", 3) == "" {
					t.Errorf("Unified() = \"\", want a patch of the variants")
				}
				return
			}
			if got := c.Stats.String(); got != tt.wantStats {
				t.Errorf("Stats = %q, want %q", got, tt.wantStats)
			}
			for _, l := range c.Lines {
				if l.Op == Insert {
					if diff := cmp.Diff(tt.wantNewWords, l.Words); diff != "" {
						t.Errorf("Words mismatch (-want +got):\n%s", diff)
					}
					break
				}
			}
		})
	}
}

// TestCompareVariantLines checks how a line kept but for typographic
// variants appears: an Equal line with the new text and the old one, a
// context line for the terminal, a removed and added line in the patch.
func TestCompareVariantLines(t *testing.T) {
	old := "# T\n\nIt's \"fine\".\n\nOne two.\n"
	new := "# T\n\nIt\u2019s \u201Cfine\u201D.\n\nOne three.\n"
	c := Compare(old, new)
	checkChange(t, old, new, c)
	want := Line{Op: Equal, Text: "It\u2019s \u201Cfine\u201D.", Variant: true, OldText: "It's \"fine\".", OldNo: 3, NewNo: 3}
	if diff := cmp.Diff(want, c.Lines[2]); diff != "" {
		t.Errorf("line 3 mismatch (-want +got):\n%s", diff)
	}
	wantUnified := "--- old\n+++ new\n@@ -2,4 +2,4 @@\n \n-It's \"fine\".\n+It\u2019s \u201Cfine\u201D.\n \n-One two.\n+One three.\n"
	if diff := cmp.Diff(wantUnified, c.Unified("old", "new", 1)); diff != "" {
		t.Errorf("Unified() mismatch (-want +got):\n%s", diff)
	}
	term := c.Terminal(1)
	if !strings.Contains(term, "\x1b[36m@@ -4,2 +4,2 @@\x1b[0m\n \n") || strings.Contains(term, "It's") {
		t.Errorf("Terminal() = %q, want the variant line outside the hunk", term)
	}
	if got := c.Summary(); got != "1 paragraph changed, +1 −1 words" {
		t.Errorf("Summary() = %q", got)
	}
}

// TestFolded checks the fast path of Fold against a plain byte loop.
func TestFolded(t *testing.T) {
	slow := func(s string) bool {
		s = strings.TrimSuffix(s, "\n")
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 || s[i] < ' ' || s[i] == ' ' && i > 0 && s[i-1] == ' ' {
				return false
			}
		}
		return true
	}
	for _, s := range []string{
		"", "\n", "a", "a b", "a  b", "1234567 9", "1234567  9", "12345678  ", "1234567\t1234", "abcdefg!hij",
		"1234567 !234567", "1234567 ! 34567", "a \n", "a\nb", "12345678\xc3\xa9", "The quick brown fox jumps over  the lazy dog.",
		"The quick brown fox jumps over the lazy dog.\n", "0123456 " + " 0123456", "~~~~~~~~\x7f",
	} {
		if got, want := folded(s), slow(s); got != want {
			t.Errorf("folded(%q) = %v, want %v", s, got, want)
		}
		if folded(s) && Fold(s) != s {
			t.Errorf("folded(%q) but Fold changes it", s)
		}
	}
}
