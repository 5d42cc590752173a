package diff

import (
	"strconv"
	"strings"
)

// Stats counts what a Change amounts to, in paragraphs and words. Every
// non-blank line counts as a paragraph, header lines included; blank lines
// (paragraph separators) are not counted, so a change of layout alone
// (blank lines, a missing final newline) gives zero Stats on a Change that
// is not Equal.
type Stats struct {
	// ParagraphsAdded and ParagraphsRemoved count unpaired added and removed
	// lines that did not move; ParagraphsChanged counts removed lines paired
	// with an added one.
	ParagraphsAdded, ParagraphsRemoved, ParagraphsChanged int
	// WordsAdded and WordsRemoved count word tokens (runs of letters and
	// digits) in added and removed paragraphs, and in the inserted and
	// deleted spans of changed ones. The words of moved paragraphs are not
	// counted.
	WordsAdded, WordsRemoved int
	// ParagraphsMoved counts paragraphs removed in one place and added,
	// the same but for typographic variants, in another (Line.MovedTo).
	ParagraphsMoved int
}

// String summarises the stats on one line, e.g.
// "1 paragraph changed, 2 added, 1 moved, +14 −9 words", or "no changes".
// [Change.Summary] adds the numbers that changed.
func (s Stats) String() string {
	if s == (Stats{}) {
		return "no changes"
	}
	var parts []string
	for _, p := range [...]struct {
		n    int
		verb string
	}{
		{s.ParagraphsChanged, "changed"},
		{s.ParagraphsAdded, "added"},
		{s.ParagraphsRemoved, "removed"},
		{s.ParagraphsMoved, "moved"},
	} {
		if p.n == 0 {
			continue
		}
		part := strconv.Itoa(p.n) + " " + p.verb
		if len(parts) == 0 {
			noun := " paragraphs "
			if p.n == 1 {
				noun = " paragraph "
			}
			part = strconv.Itoa(p.n) + noun + p.verb
		}
		parts = append(parts, part)
	}
	if s.WordsAdded != 0 || s.WordsRemoved != 0 {
		parts = append(parts, "+"+strconv.Itoa(s.WordsAdded)+" −"+strconv.Itoa(s.WordsRemoved)+" words")
	}
	return strings.Join(parts, ", ")
}

// countStats counts the paragraphs and words of lines.
func countStats(lines []Line) Stats {
	var s Stats
	for _, l := range lines {
		if l.Op == Equal || isBlank(l.Text) {
			continue
		}
		switch {
		case l.MovedTo != 0:
			s.ParagraphsMoved++
		case l.MovedFrom != 0:
			// Counted on its removed side.
		case l.Words != nil:
			if l.Op == Delete {
				s.ParagraphsChanged++
			}
			for _, w := range l.Words {
				switch w.Op {
				case Delete:
					s.WordsRemoved += countWords(w.Text)
				case Insert:
					s.WordsAdded += countWords(w.Text)
				}
			}
		case l.Op == Delete:
			s.ParagraphsRemoved++
			s.WordsRemoved += countWords(l.Text)
		default:
			s.ParagraphsAdded++
			s.WordsAdded += countWords(l.Text)
		}
	}
	return s
}
