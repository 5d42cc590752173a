package diff

import (
	"strings"
	"testing"
)

// FuzzCompare checks, for any two strings (invalid UTF-8 included), that
// Compare does not panic, that a text compared with itself is Equal with
// zero stats and no diff, and that every Change holds the invariants of
// checkChange, above all that its unified diff patches old into new.
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
		if c.Equal() != (old == new) {
			t.Fatalf("Equal() = %v for old == new %v", c.Equal(), old == new)
		}
		checkChange(t, old, new, c)
		_ = c.Terminal(3)
		_ = c.Stats.String()
	})
}
