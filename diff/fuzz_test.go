package diff

import (
	"slices"
	"strings"
	"testing"
)

// foldedLines returns the lines of text, newline included, folded.
func foldedLines(text string) []string {
	lines := splitLines(text)
	for i, l := range lines {
		lines[i] = Fold(l)
	}
	return lines
}

// FuzzCompare checks, for any two strings (invalid UTF-8 included), that
// Compare does not panic, that a text compared with itself is Equal with
// zero stats and no diff, that two texts are Equal exactly when their lines
// fold alike, that Fold is idempotent, and that every Change holds the
// invariants of checkChange, above all that its unified diff patches old
// into new even when lines differ only in typographic variants.
func FuzzCompare(f *testing.F) {
	seeds := [][2]string{
		{"", ""},
		{"", "a\n"},
		{"a\n", ""},
		{"a", "a\n"},
		{"a\nb", "a\nc"},
		{article, article},
		{article, strings.Replace(article, "initiated", "requested", 1)},
		{article, strings.Replace(article, "Obama urged Russia to pull back its troops from the Ukrainian border.\n\n", "", 1) + "\nNew.\n"},
		{"x\r\ny\r\n", "x\r\nz\r\n"},
		{"caf\xc3\xa9 \xff\xfe\n\nend", "caf\xc3 \xff\n\nend\n"},
		{"東京で会談\n", "大阪で会談\n"},
		{"\n\n\n", "\n\n"},
		{"a b c\n\nd e f\n", "d e f\n\na b c\n"},
		{"He said \"no\" \u2013 don't.\n", "He said \u201cno\u201d \u2013 don\u2019t\u2026\n"},
		{"Caf\u00e9\u00a0 au lait\u200b\n\nx", "Cafe\u0301 au\u00adlait\n\nx"},
		{"a\n\nb c d\n\ne\n", "b c d\n\na\n\ne\n"},
		{"3 comments, 1,200 views\n", "4 comments, 1,350 views\n"},
		{"Price: -$5.00 (12%)\n", "Price: +$6.50 (15%)\n"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, old, new string) {
		same := Compare(old, old)
		if !same.Equal() || same.Stats != (Stats{}) {
			t.Fatalf("Compare(a, a): Equal() = %v, Stats = %+v", same.Equal(), same.Stats)
		}
		if u := same.Unified("a", "b", 3); u != "" {
			t.Fatalf("Compare(a, a).Unified() = %q, want \"\"", u)
		}
		c := Compare(old, new)
		if want := slices.Equal(foldedLines(old), foldedLines(new)); c.Equal() != want {
			t.Fatalf("Equal() = %v, want %v: the lines fold alike", c.Equal(), want)
		}
		if f := Fold(old); Fold(f) != f {
			t.Fatalf("Fold(Fold(%q)) = %q, want %q", old, Fold(f), f)
		}
		checkChange(t, old, new, c)
		_ = c.Terminal(3)
		_ = c.Summary()
	})
}
