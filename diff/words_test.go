package diff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sergi/go-diff/diffmatchpatch"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Putin's 'diplomatic end'", []string{"Putin's", " ", "'", "diplomatic", " ", "end", "'"}},
		{"don’t stop", []string{"don’t", " ", "stop"}},
		{"2014-03-30", []string{"2014", "-", "03", "-", "30"}},
		{"Hello, world...  ok", []string{"Hello", ",", " ", "world", "...", "  ", "ok"}},
		{"Café naïve", []string{"Café", " ", "naïve"}},
		{"東京で会談", []string{"東", "京", "で", "会", "談"}},
		{"abc東京", []string{"abc", "東", "京"}},
		{"a\xffb", []string{"a", "\xff", "b"}},
		{"x'", []string{"x", "'"}},
		{"extra\u00ADordinary \u200Bzero", []string{"extra\u00ADordinary", " \u200B", "zero"}},
		{"a \u200B b\u2060", []string{"a", " \u200B ", "b\u2060"}},
		{"\u200B", []string{"\u200B"}},
		{"東\u200B京", []string{"東\u200B", "京"}},
		{"don\u2018t l\u2032a", []string{"don\u2018t", " ", "l\u2032a"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tokenize(tt.in) {
			got = append(got, tok.text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{" ... ", 0},
		{"Updated: 2014-03-30", 4},
		{"Putin's 'diplomatic end'", 3},
		{"東京で会談", 5},
	}
	for _, tt := range tests {
		if got := countWords(tt.in); got != tt.want {
			t.Errorf("countWords(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestTokenRune(t *testing.T) {
	for _, i := range []int{0, 1, 0xD800 - tokenRuneBase - 1, 0xD800 - tokenRuneBase, maxTokens - 1} {
		r := tokenRune(i)
		if r < tokenRuneBase || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000) {
			t.Errorf("tokenRune(%d) = %U, not a valid rune above the base", i, r)
		}
		if got := runeToken(r); got != i {
			t.Errorf("runeToken(tokenRune(%d)) = %d", i, got)
		}
	}
	for _, r := range []rune{0, 'a', 0xD800, 0xDFFF, 0x110000} {
		if got := runeToken(r); got != -1 {
			t.Errorf("runeToken(%U) = %d, want -1", r, got)
		}
	}
}

func TestDiffWords(t *testing.T) {
	tests := []struct {
		a, b           string
		wantOld        []Span
		wantNew        []Span
		wantSimilarity float64
	}{
		{
			a:              "Updated: 2014-03-30",
			b:              "Updated: 2014-03-31",
			wantOld:        []Span{{Equal, "Updated: 2014-03-"}, {Delete, "30"}},
			wantNew:        []Span{{Equal, "Updated: 2014-03-"}, {Insert, "31"}},
			wantSimilarity: 12.0 / 14,
		},
		{
			// Semantic cleanup merges a lone shared space into the edit.
			a:              "one two three",
			b:              "four five six",
			wantOld:        []Span{{Delete, "one two three"}},
			wantNew:        []Span{{Insert, "four five six"}},
			wantSimilarity: 0,
		},
	}
	dmp := diffmatchpatch.New()
	for _, tt := range tests {
		wd, ok := diffWords(dmp, tt.a, tt.b)
		if !ok {
			t.Fatalf("diffWords(%q, %q) failed", tt.a, tt.b)
		}
		if diff := cmp.Diff(tt.wantOld, wd.old); diff != "" {
			t.Errorf("diffWords(%q, %q) old mismatch (-want +got):\n%s", tt.a, tt.b, diff)
		}
		if diff := cmp.Diff(tt.wantNew, wd.new); diff != "" {
			t.Errorf("diffWords(%q, %q) new mismatch (-want +got):\n%s", tt.a, tt.b, diff)
		}
		if wd.similarity != tt.wantSimilarity {
			t.Errorf("diffWords(%q, %q) similarity = %v, want %v", tt.a, tt.b, wd.similarity, tt.wantSimilarity)
		}
	}
}
