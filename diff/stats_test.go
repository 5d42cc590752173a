package diff

import "testing"

func TestStatsString(t *testing.T) {
	tests := []struct {
		s    Stats
		want string
	}{
		{Stats{}, "no changes"},
		{Stats{ParagraphsChanged: 1, WordsAdded: 1, WordsRemoved: 1}, "1 paragraph changed, +1 −1 words"},
		{Stats{ParagraphsChanged: 1, ParagraphsAdded: 2, WordsAdded: 14, WordsRemoved: 9}, "1 paragraph changed, 2 added, +14 −9 words"},
		{Stats{ParagraphsAdded: 2, ParagraphsRemoved: 1, WordsAdded: 30, WordsRemoved: 12}, "2 paragraphs added, 1 removed, +30 −12 words"},
		{Stats{ParagraphsRemoved: 1, WordsRemoved: 5}, "1 paragraph removed, +0 −5 words"},
		{Stats{ParagraphsChanged: 3}, "3 paragraphs changed"},
		{Stats{ParagraphsMoved: 1}, "1 paragraph moved"},
		{Stats{ParagraphsChanged: 1, ParagraphsRemoved: 1, ParagraphsMoved: 2, WordsAdded: 1, WordsRemoved: 9}, "1 paragraph changed, 1 removed, 2 moved, +1 −9 words"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
		}
	}
}
