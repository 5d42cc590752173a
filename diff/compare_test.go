package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// article is a canonical text as the extractor writes it.
const article = `# Putin and Obama discuss 'diplomatic end' to Ukraine crisis
By: FRANCE 24
Published: 2014-03-29
Updated: 2014-03-30

Russian President Vladimir Putin on Friday called US President Barack Obama to discuss a diplomatic resolution to the crisis in Ukraine, the White House said.

The hour-long conversation was initiated by Putin.

Obama urged Russia to pull back its troops from the Ukrainian border.

Kerry and Lavrov are to meet to discuss next steps.
`

// edit returns article with each old string replaced by its new string.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := article
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("article has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// TestCompare checks what a user sees for typical edits of an article: the
// unified diff with one line of context, and the one-line summary.
func TestCompare(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string
		wantDiff  string
		wantStats string
	}{
		{
			name:      "identical",
			old:       article,
			new:       article,
			wantDiff:  "",
			wantStats: "no changes",
		},
		{
			name: "one word changed",
			old:  article,
			new:  edit(t, "was initiated by Putin", "was requested by Putin"),
			wantDiff: `--- old
+++ new
@@ -7,3 +7,3 @@
 
-The hour-long conversation was initiated by Putin.
+The hour-long conversation was requested by Putin.
 
`,
			wantStats: "1 paragraph changed, +1 −1 words",
		},
		{
			name: "paragraph added at end",
			old:  article,
			new:  article + "\nThe talks are set for Sunday in Paris.\n",
			wantDiff: `--- old
+++ new
@@ -12 +12,3 @@
 Kerry and Lavrov are to meet to discuss next steps.
+
+The talks are set for Sunday in Paris.
`,
			wantStats: "1 paragraph added, +8 −0 words",
		},
		{
			name: "paragraph removed",
			old:  article,
			new:  edit(t, "Obama urged Russia to pull back its troops from the Ukrainian border.\n\n", ""),
			wantDiff: `--- old
+++ new
@@ -9,4 +9,2 @@
 
-Obama urged Russia to pull back its troops from the Ukrainian border.
-
 Kerry and Lavrov are to meet to discuss next steps.
`,
			wantStats: "1 paragraph removed, +0 −12 words",
		},
		{
			name: "headline changed",
			old:  article,
			new:  edit(t, "'diplomatic end'", "'diplomatic solution'"),
			wantDiff: `--- old
+++ new
@@ -1,2 +1,2 @@
-# Putin and Obama discuss 'diplomatic end' to Ukraine crisis
+# Putin and Obama discuss 'diplomatic solution' to Ukraine crisis
 By: FRANCE 24
`,
			wantStats: "1 paragraph changed, +1 −1 words",
		},
		{
			name: "headline rewritten still pairs",
			old:  article,
			new:  edit(t, "Putin and Obama discuss 'diplomatic end' to Ukraine crisis", "Kremlin says talks went well"),
			wantDiff: `--- old
+++ new
@@ -1,2 +1,2 @@
-# Putin and Obama discuss 'diplomatic end' to Ukraine crisis
+# Kremlin says talks went well
 By: FRANCE 24
`,
			wantStats: "1 paragraph changed, +5 −9 words",
		},
		{
			name: "updated date bumped",
			old:  article,
			new:  edit(t, "Updated: 2014-03-30", "Updated: 2014-03-31"),
			wantDiff: `--- old
+++ new
@@ -3,3 +3,3 @@
 Published: 2014-03-29
-Updated: 2014-03-30
+Updated: 2014-03-31
 
`,
			wantStats: "1 paragraph changed, +1 −1 words",
		},
		{
			name: "updated field added",
			old:  edit(t, "Updated: 2014-03-30\n", ""),
			new:  article,
			wantDiff: `--- old
+++ new
@@ -3,2 +3,3 @@
 Published: 2014-03-29
+Updated: 2014-03-30
 
`,
			wantStats: "1 paragraph added, +4 −0 words",
		},
		{
			name: "paragraph moved",
			old:  article,
			new: edit(t,
				"Obama urged Russia to pull back its troops from the Ukrainian border.\n\n", "",
				"next steps.\n", "next steps.\n\nObama urged Russia to pull back its troops from the Ukrainian border.\n"),
			wantDiff: `--- old
+++ new
@@ -9,4 +9,4 @@
 
-Obama urged Russia to pull back its troops from the Ukrainian border.
-
 Kerry and Lavrov are to meet to discuss next steps.
+
+Obama urged Russia to pull back its troops from the Ukrainian border.
`,
			// A move: the unified diff still removes and adds the line.
			wantStats: "1 paragraph moved",
		},
		{
			name: "two paragraphs edited, one between them removed",
			old:  article,
			new: edit(t,
				"was initiated by Putin.\n\nObama urged Russia to pull back its troops from the Ukrainian border.\n\n", "was initiated by the Kremlin.\n\n",
				"next steps.", "next steps on Sunday."),
			wantDiff: `--- old
+++ new
@@ -7,6 +7,4 @@
 
-The hour-long conversation was initiated by Putin.
+The hour-long conversation was initiated by the Kremlin.
-
-Obama urged Russia to pull back its troops from the Ukrainian border.
 
-Kerry and Lavrov are to meet to discuss next steps.
+Kerry and Lavrov are to meet to discuss next steps on Sunday.
`,
			wantStats: "2 paragraphs changed, 1 removed, +4 −13 words",
		},
		{
			// A one-pass line diff aligns the blank lines and shows the last
			// paragraph as removed and added again.
			name: "paragraph removed in the middle, another added at the end",
			old:  article,
			new: edit(t,
				"Obama urged Russia to pull back its troops from the Ukrainian border.\n\n", "",
				"next steps.\n", "next steps.\n\nThe talks are set for Sunday in Paris.\n"),
			wantDiff: `--- old
+++ new
@@ -9,4 +9,4 @@
 
-Obama urged Russia to pull back its troops from the Ukrainian border.
-
 Kerry and Lavrov are to meet to discuss next steps.
+
+The talks are set for Sunday in Paris.
`,
			wantStats: "1 paragraph added, 1 removed, +8 −12 words",
		},
		{
			name: "rewritten paragraph is removed and added",
			old:  article,
			new:  edit(t, "The hour-long conversation was initiated by Putin.", "Markets rallied in Moscow on the news."),
			wantDiff: `--- old
+++ new
@@ -7,3 +7,3 @@
 
-The hour-long conversation was initiated by Putin.
+Markets rallied in Moscow on the news.
 
`,
			wantStats: "1 paragraph added, 1 removed, +7 −8 words",
		},
		{
			name: "empty old",
			old:  "",
			new:  "# Title\n\nBody text.\n",
			wantDiff: `--- old
+++ new
@@ -0,0 +1,3 @@
+# Title
+
+Body text.
`,
			wantStats: "2 paragraphs added, +3 −0 words",
		},
		{
			name: "empty new",
			old:  "# Title\n\nBody text.\n",
			new:  "",
			wantDiff: `--- old
+++ new
@@ -1,3 +0,0 @@
-# Title
-
-Body text.
`,
			wantStats: "2 paragraphs removed, +0 −3 words",
		},
		{
			name: "final newline removed",
			old:  "a b\n\nc d\n",
			new:  "a b\n\nc d",
			wantDiff: `--- old
+++ new
@@ -2,2 +2,2 @@
 
-c d
+c d
\ No newline at end of file
`,
			wantStats: "1 paragraph changed",
		},
		{
			name: "edit to a last line without newline",
			old:  "a b\n\nc d",
			new:  "a b\n\nc e",
			wantDiff: `--- old
+++ new
@@ -2,2 +2,2 @@
 
-c d
\ No newline at end of file
+c e
\ No newline at end of file
`,
			wantStats: "1 paragraph changed, +1 −1 words",
		},
		{
			name: "blank lines only",
			old:  "a\n\nb\n",
			new:  "a\n\n\nb\n",
			wantDiff: `--- old
+++ new
@@ -2,2 +2,3 @@
 
+
 b
`,
			wantStats: "no changes",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.old, tt.new)
			if diff := cmp.Diff(tt.wantDiff, c.Unified("old", "new", 1)); diff != "" {
				t.Errorf("Unified() mismatch (-want +got):\n%s", diff)
			}
			if got := c.Stats.String(); got != tt.wantStats {
				t.Errorf("Stats = %q, want %q", got, tt.wantStats)
			}
			if got, want := c.Identical(), tt.old == tt.new; got != want {
				t.Errorf("Identical() = %v, want %v", got, want)
			}
			if got, want := c.Equal(), tt.old == tt.new; got != want {
				t.Errorf("Equal() = %v, want %v", got, want)
			}
			checkChange(t, tt.old, tt.new, c)
		})
	}
}

// TestCompareLines checks the structure a renderer relies on: numbering,
// the pairing order, and the word spans of a changed line.
func TestCompareLines(t *testing.T) {
	c := Compare("# Old title\n\nSame.\n\nThe quick brown fox.\n", "# Old title\n\nSame.\n\nThe quick red fox jumps.\n")
	want := Change{
		Lines: []Line{
			{Op: Equal, Text: "# Old title", OldNo: 1, NewNo: 1},
			{Op: Equal, Text: "", OldNo: 2, NewNo: 2},
			{Op: Equal, Text: "Same.", OldNo: 3, NewNo: 3},
			{Op: Equal, Text: "", OldNo: 4, NewNo: 4},
			{Op: Delete, Text: "The quick brown fox.", OldNo: 5, Words: []Span{
				{Equal, "The quick "}, {Delete, "brown"}, {Equal, " fox."},
			}},
			{Op: Insert, Text: "The quick red fox jumps.", NewNo: 5, Words: []Span{
				{Equal, "The quick "}, {Insert, "red"}, {Equal, " fox"}, {Insert, " jumps"}, {Equal, "."},
			}},
		},
		Stats: Stats{ParagraphsChanged: 1, WordsAdded: 2, WordsRemoved: 1},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Compare() mismatch (-want +got):\n%s", diff)
	}
}

// TestComparePairsInOrder checks that in a run of changes each pair is
// shown together, and unrelated lines keep their place.
func TestComparePairsInOrder(t *testing.T) {
	old := "x\n\nalpha beta gamma delta\nto be dropped entirely\none two three four\n"
	new := "x\n\nalpha beta gamma epsilon\nsomething new here\none two three five\n"
	c := Compare(old, new)
	var got []string
	for _, l := range c.Lines[2:] {
		got = append(got, l.Op.String()+" "+l.Text)
	}
	want := []string{
		"delete alpha beta gamma delta",
		"insert alpha beta gamma epsilon",
		"delete to be dropped entirely",
		"insert something new here",
		"delete one two three four",
		"insert one two three five",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("line order mismatch (-want +got):\n%s", diff)
	}
	if got, want := c.Stats.String(), "2 paragraphs changed, 1 added, 1 removed, +5 −6 words"; got != want {
		t.Errorf("Stats = %q, want %q", got, want)
	}
}

// TestUnifiedContext checks hunk splitting and merging with the context.
func TestUnifiedContext(t *testing.T) {
	old := "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
	new := "1\nII\n3\n4\n5\n6\n7\nVIII\n9\n"
	tests := []struct {
		context int
		want    string
	}{
		{-1, "--- a\n+++ b\n@@ -2 +2 @@\n-2\n+II\n@@ -8 +8 @@\n-8\n+VIII\n"},
		{0, "--- a\n+++ b\n@@ -2 +2 @@\n-2\n+II\n@@ -8 +8 @@\n-8\n+VIII\n"},
		{2, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n 1\n-2\n+II\n 3\n 4\n@@ -6,4 +6,4 @@\n 6\n 7\n-8\n+VIII\n 9\n"},
		{3, "--- a\n+++ b\n@@ -1,9 +1,9 @@\n 1\n-2\n+II\n 3\n 4\n 5\n 6\n 7\n-8\n+VIII\n 9\n"},
		{100, "--- a\n+++ b\n@@ -1,9 +1,9 @@\n 1\n-2\n+II\n 3\n 4\n 5\n 6\n 7\n-8\n+VIII\n 9\n"},
	}
	c := Compare(old, new)
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, c.Unified("a", "b", tt.context)); diff != "" {
			t.Errorf("Unified(context %d) mismatch (-want +got):\n%s", tt.context, diff)
		}
	}
}

// checkChange verifies the invariants every Change must hold: both texts
// can be rebuilt from its lines, line numbers count up, Variant lines and
// moved lines fold alike, word spans concatenate to their line, pairs are
// adjacent, the stats are not negative, the number changes are consistent,
// and the unified diff patches old into new.
func checkChange(t *testing.T, old, new string, c Change) {
	t.Helper()
	var rebuiltOld, rebuiltNew strings.Builder
	oldNo, newNo := 0, 0
	newLine := make(map[int]Line) // by NewNo
	for _, l := range c.Lines {
		if l.Op != Delete {
			newLine[l.NewNo] = l
		}
	}
	for i, l := range c.Lines {
		nl := "\n"
		if l.NoNewline {
			nl = ""
		}
		if l.Op != Insert {
			oldNo++
			if l.OldNo != oldNo {
				t.Fatalf("line %d: OldNo = %d, want %d", i, l.OldNo, oldNo)
			}
			if l.Variant {
				rebuiltOld.WriteString(l.OldText + nl)
			} else {
				rebuiltOld.WriteString(l.Text + nl)
			}
		}
		if l.Op != Delete {
			newNo++
			if l.NewNo != newNo {
				t.Fatalf("line %d: NewNo = %d, want %d", i, l.NewNo, newNo)
			}
			rebuiltNew.WriteString(l.Text + nl)
		}
		switch {
		case l.Variant && (l.Op != Equal || l.OldText == l.Text || Fold(l.OldText) != Fold(l.Text)):
			t.Fatalf("line %d: bad Variant line %+v", i, l)
		case !l.Variant && l.OldText != "":
			t.Fatalf("line %d: OldText on a line that is not a Variant", i)
		case l.MovedTo != 0:
			to := newLine[l.MovedTo]
			if l.Op != Delete || to.Op != Insert || to.MovedFrom != l.OldNo || Fold(to.Text) != Fold(l.Text) || l.Words != nil {
				t.Fatalf("line %d: moved to line %d: %+v, %+v", i, l.MovedTo, l, to)
			}
		case l.MovedFrom != 0 && l.Op != Insert:
			t.Fatalf("line %d: MovedFrom on a %v line", i, l.Op)
		}
		if l.Words != nil {
			var b strings.Builder
			for _, w := range l.Words {
				if w.Op != Equal && w.Op != l.Op {
					t.Fatalf("line %d (%v): span op %v", i, l.Op, w.Op)
				}
				b.WriteString(w.Text)
			}
			if b.String() != l.Text {
				t.Fatalf("line %d: spans give %q, want %q", i, b.String(), l.Text)
			}
			switch {
			case l.Op == Delete && (i+1 >= len(c.Lines) || c.Lines[i+1].Op != Insert || c.Lines[i+1].Words == nil):
				t.Fatalf("line %d: paired removed line not followed by its added line", i)
			case l.Op == Insert && (i == 0 || c.Lines[i-1].Op != Delete || c.Lines[i-1].Words == nil):
				t.Fatalf("line %d: paired added line not preceded by its removed line", i)
			case l.Op == Equal:
				t.Fatalf("line %d: kept line has word spans", i)
			}
		}
	}
	if rebuiltOld.String() != old {
		t.Fatalf("lines rebuild old text %q, want %q", rebuiltOld.String(), old)
	}
	if rebuiltNew.String() != new {
		t.Fatalf("lines rebuild new text %q, want %q", rebuiltNew.String(), new)
	}
	s := c.Stats
	if s.ParagraphsAdded < 0 || s.ParagraphsRemoved < 0 || s.ParagraphsChanged < 0 || s.ParagraphsMoved < 0 || s.WordsAdded < 0 || s.WordsRemoved < 0 {
		t.Fatalf("negative stats %+v", s)
	}
	if c.Equal() && (s != Stats{} || c.Numbers() != nil || c.OnlyNumbers()) {
		t.Fatalf("Equal change with stats %+v, numbers %v, OnlyNumbers %v", s, c.Numbers(), c.OnlyNumbers())
	}
	if c.OnlyNumbers() && (len(c.Numbers()) == 0 || s.ParagraphsAdded+s.ParagraphsRemoved+s.ParagraphsMoved > 0) {
		t.Fatalf("OnlyNumbers with numbers %v, stats %+v", c.Numbers(), s)
	}
	for _, n := range c.Numbers() {
		if !isNumber(n.Old) || !isNumber(n.New) || n.Old == n.New {
			t.Fatalf("bad number change %+v", n)
		}
	}
	if u := c.Unified("old", "new", 3); (u == "") != c.Identical() || c.Identical() != (old == new) {
		t.Fatalf("Identical() = %v for old == new %v, Unified() = %q", c.Identical(), old == new, u)
	}
	if term := c.Terminal(3); (term == "") != c.Equal() {
		t.Fatalf("Equal() = %v, Terminal() = %q", c.Equal(), term)
	}
	for _, context := range []int{0, 3} {
		u := c.Unified("old", "new", context)
		got, err := applyUnified(old, u)
		if err != nil {
			t.Fatalf("applying Unified(context %d): %v\n%s", context, err, u)
		}
		if got != new {
			t.Fatalf("applying Unified(context %d) gives %q, want %q\n%s", context, got, new, u)
		}
	}
}

// TestCompareStructuredLines: the "Structured data: " header lines, which
// may repeat, pair by their words like body lines, not by position: the
// edited sentence pairs with its old self, and a sentence that is new
// stands alone.
func TestCompareStructuredLines(t *testing.T) {
	old := "# Bridge approved\nStructured data: The bridge will cost 40 million euros.\nStructured data: Work starts in spring.\n\nBody.\n"
	new := "# Bridge approved\nStructured data: Opponents said the money would be better spent on buses.\nStructured data: Work starts in the autumn.\n\nBody.\n"
	c := Compare(old, new)
	var got []string
	for _, l := range c.Lines {
		if l.Op != Equal {
			got = append(got, fmt.Sprintf("%s %s (words %t)", l.Op, l.Text, l.Words != nil))
		}
	}
	want := []string{
		"delete Structured data: The bridge will cost 40 million euros. (words false)",
		"insert Structured data: Opponents said the money would be better spent on buses. (words false)",
		"delete Structured data: Work starts in spring. (words true)",
		"insert Structured data: Work starts in the autumn. (words true)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
