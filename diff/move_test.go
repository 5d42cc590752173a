package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCompareMoves checks that a paragraph removed in one place and added
// in another is reported as a move, on both lines and in the stats, while
// the unified diff still removes and adds it.
func TestCompareMoves(t *testing.T) {
	const obama = "Obama urged Russia to pull back its troops from the Ukrainian border."
	tests := []struct {
		name      string
		old, new  string
		wantMoves [][2]int // old line → new line
		wantStats string
	}{
		{
			name: "paragraph moved to the end",
			old:  article,
			new: edit(t,
				obama+"\n\n", "",
				"next steps.\n", "next steps.\n\n"+obama+"\n"),
			wantMoves: [][2]int{{10, 12}},
			wantStats: "1 paragraph moved",
		},
		{
			name: "paragraph moved to the top, typographic variants aside",
			old:  article,
			new: edit(t,
				obama+"\n\n", "",
				"Updated: 2014-03-30\n\n", "Updated: 2014-03-30\n\n"+strings.ReplaceAll(obama, " ", "\u00A0")+"\n\n"),
			wantMoves: [][2]int{{10, 6}},
			wantStats: "1 paragraph moved",
		},
		{
			name: "moved and another edited",
			old:  article,
			new: edit(t,
				"initiated by Putin", "initiated by the Kremlin",
				obama+"\n\n", "",
				"next steps.\n", "next steps.\n\n"+obama+"\n"),
			wantMoves: [][2]int{{10, 12}},
			wantStats: "1 paragraph changed, 1 moved, +2 −1 words",
		},
		{
			name:      "two paragraphs swapped",
			old:       "# T\n\nFirst one here.\n\nSecond one here.\n\nThird.\n",
			new:       "# T\n\nSecond one here.\n\nFirst one here.\n\nThird.\n",
			wantMoves: [][2]int{{3, 5}},
			wantStats: "1 paragraph moved",
		},
		{
			name:      "a repeated paragraph moves once",
			old:       "# T\n\nSponsored content.\n\nThe story goes on.\n\nIt ends here.\n",
			new:       "# T\n\nThe story goes on.\n\nSponsored content.\n\nIt ends here.\n\nSponsored content.\n",
			wantMoves: [][2]int{{3, 5}},
			wantStats: "1 paragraph added, 1 moved, +2 −0 words",
		},
		{
			name:      "moved and edited is removed and added",
			old:       "# T\n\nAlpha beta gamma.\n\nMiddle.\n",
			new:       "# T\n\nMiddle.\n\nAlpha beta delta.\n",
			wantStats: "1 paragraph added, 1 removed, +3 −3 words",
		},
		{
			name:      "header lines do not move",
			old:       "# Title\nBy: Jane\n\nBody.\n",
			new:       "# Title\n\nBody.\n\nBy: Jane\n",
			wantStats: "1 paragraph added, 1 removed, +2 −2 words",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.old, tt.new)
			checkChange(t, tt.old, tt.new, c)
			var moves [][2]int
			for _, l := range c.Lines {
				if l.MovedTo != 0 {
					moves = append(moves, [2]int{l.OldNo, l.MovedTo})
				}
			}
			if diff := cmp.Diff(tt.wantMoves, moves); diff != "" {
				t.Errorf("moves mismatch (-want +got):\n%s\n%s", diff, c.Unified("old", "new", 0))
			}
			if got := c.Stats.String(); got != tt.wantStats {
				t.Errorf("Stats = %q, want %q", got, tt.wantStats)
			}
			if c.OnlyNumbers() {
				t.Errorf("OnlyNumbers() = true")
			}
		})
	}
}

// TestTerminalMoved checks that a moved paragraph is shown in yellow, with
// its -/+ prefix, and a dim note after the reset naming where it went.
func TestTerminalMoved(t *testing.T) {
	c := Compare("# T\n\nFirst \x1b[2J.\n\nSecond.\n", "# T\n\nSecond.\n\nFirst \x1b[2J.\n")
	want := "\x1b[36m@@ -2,4 +2,4 @@\x1b[0m\n" +
		" \n" +
		"\x1b[33m-First ␛[2J.\x1b[0m \x1b[2m(moved to line 5)\x1b[0m\n" +
		"\x1b[31m-\x1b[0m\n" +
		" Second.\n" +
		"\x1b[32m+\x1b[0m\n" +
		"\x1b[33m+First ␛[2J.\x1b[0m \x1b[2m(moved from line 3)\x1b[0m\n"
	if diff := cmp.Diff(want, c.Terminal(1)); diff != "" {
		t.Errorf("Terminal() mismatch (-want +got):\n%s", diff)
	}
	wantUnified := "--- a\n+++ b\n@@ -3,2 +2,0 @@\n-First \x1b[2J.\n-\n@@ -5,0 +4,2 @@\n+\n+First \x1b[2J.\n"
	if diff := cmp.Diff(wantUnified, c.Unified("a", "b", 0)); diff != "" {
		t.Errorf("Unified() mismatch (-want +got):\n%s", diff)
	}
}
