package diff

import (
	"strings"

	"github.com/redlinehq/redline/internal/notes"
)

// Class is what kind of edit a new revision is, as [Classify] sees it.
// The zero value "" means no class: the texts are equal, or there is no
// old text to compare with.
type Class string

// The classes, from the most to the least important: when several apply,
// [Classify] returns the first of this list.
const (
	// ClassCorrection: a correction or editor's note appeared (or an
	// existing one was reworded), whatever else changed.
	ClassCorrection Class = "correction"
	// ClassMajorRewrite: most of the body changed: at least half of the
	// old body's words are gone, or at least half of its paragraphs.
	ClassMajorRewrite Class = "major-rewrite"
	// ClassHeadline: the headline changed; the body may have changed
	// too, but less than a major rewrite.
	ClassHeadline Class = "headline"
	// ClassDeclaredUpdate: the body changed and the Published or Updated
	// date moved, so the page says it was updated.
	ClassDeclaredUpdate Class = "declared-update"
	// ClassAppendOnly: new paragraphs were added before the first or after
	// the last paragraph of the body (a live page), and nothing was
	// removed, edited or moved.
	ClassAppendOnly Class = "append-only"
	// ClassSilentEdit: the body changed and no date moved: the edit the
	// page does not admit to.
	ClassSilentEdit Class = "silent-edit"
	// ClassMetadataOnly: the words of the headline and of the body are as
	// before; only the byline, the dates, the page title, the structured
	// copy of the article or white space changed.
	ClassMetadataOnly Class = "metadata-only"
	// ClassExtractorUpdate is not returned by Classify: the monitor gives
	// it to the first revision after an upgrade of redline changed the
	// canonical form (extract.FormatVersion), since the texts then differ
	// whether or not the page changed. It is recorded, shown, and not
	// notified unless a route asks for it by name.
	ClassExtractorUpdate Class = "extractor-update"
)

// Describe returns a short phrase for people, e.g. "silent edit: the body
// changed and no date moved"; "" for the zero Class, and the class itself
// for a Class it does not know.
func (c Class) Describe() string {
	switch c {
	case "":
		return ""
	case ClassCorrection:
		return "correction: a correction or editor's note appeared"
	case ClassMajorRewrite:
		return "major rewrite: most of the body changed"
	case ClassHeadline:
		return "headline: the headline changed"
	case ClassDeclaredUpdate:
		return "declared update: the body changed and the page's date moved"
	case ClassAppendOnly:
		return "append only: paragraphs were added at the start or end of the body, nothing else changed in it"
	case ClassSilentEdit:
		return "silent edit: the body changed and no date moved"
	case ClassExtractorUpdate:
		return "extractor update: redline's canonical form changed since the last revision; the page may not have"
	case ClassMetadataOnly:
		return "metadata only: the byline, dates, page title, structured data or spacing changed; headline and body as before"
	}
	return string(c)
}

const (
	// rewriteMinWords is the size of the smallest old body, in words, that
	// the word rule of a major rewrite applies to: replacing "$10" by "$12"
	// in a watched price is an edit, not a rewrite.
	rewriteMinWords = 10
	// rewriteMinParagraphs is the same for the paragraph rule.
	rewriteMinParagraphs = 4
)

// Classify says what kind of edit newText is of oldText. c must be
// Compare(oldText, newText); Classify reads its lines rather than diffing
// again. A zero Change is also accepted, and then Classify calls Compare.
//
// It returns "" when the texts are equal, typographic variants aside
// (c.Equal()), or when oldText is empty (a first capture: there is nothing
// to classify), and otherwise exactly one Class, the first that applies in
// this order:
//
//  1. [ClassCorrection]: a body paragraph that the old body does not have
//     (as a whole line) is a correction note (see below).
//  2. [ClassMajorRewrite]: of an old body of at least 10 words, at least
//     half are gone (the words of removed paragraphs and the words deleted
//     inside edited ones; a paragraph that only moved is not removed); or,
//     of an old body of at least 4 paragraphs, at least half were removed
//     (not merely edited or moved).
//  3. [ClassHeadline]: the "# " header line changed.
//  4. [ClassDeclaredUpdate]: the body changed and the "Published: " or
//     "Updated: " header line changed.
//  5. [ClassAppendOnly]: the body changed only by paragraphs added before
//     its first or after its last kept paragraph.
//  6. [ClassSilentEdit]: the body changed.
//  7. [ClassMetadataOnly]: anything else: the byline, the dates, the
//     page title, the structured copy or white space changed.
//
// The header is as Compare sees it: the lines before the first blank line
// that start with "# ", "Page title: ", "By: ", "Published: ", "Updated: "
// or "Structured data: "; every other
// non-blank line is a body paragraph. A text without a header has no dates
// that could move, so its body changes are silent edits, append-only,
// major rewrites or corrections. A header line that appears or disappears
// has changed. Header values and paragraphs are compared by their
// non-space tokens, folded (see [Fold]), so a change of white space alone
// (inside a line, blank lines, the final newline) or of typographic
// variants changes neither; only a change of words or punctuation does. A
// paragraph that moved (Line.MovedTo) is a change of the body, but neither
// removed for the major-rewrite rule nor added for the append-only rule
// (which a move rules out) or the correction rule.
//
// A correction note is a paragraph that, once leading punctuation such as
// "*", "[" or "(" is skipped, starts (case-insensitively) with either
//   - a label, then optionally a parenthesis or ", …" or a number, then a
//     colon or a dash, then at least 3 words: "Correction (8 March 2024):
//     An earlier version of this article …", "Editor's note: …",
//     "Clarification — …", "Rectificatif : …", "Korrektur: …",
//     "Corrección: …", "Correção: …" (package internal/notes has them
//     all); the labels "Update", "Mise à jour", "Aktualisierung",
//     "Actualización", "Atualização" and "Aggiornamento" count only in the
//     first or the last paragraph of the new body, where live pages and
//     articles put them;
//   - or a phrase such as "An earlier version of this …" or "This article
//     was amended …" (internal/notes has them all too).
func Classify(oldText, newText string, c Change) Class {
	if oldText == "" {
		return ""
	}
	if c.Lines == nil && oldText != newText {
		c = Compare(oldText, newText)
	}
	if c.Equal() {
		return ""
	}
	s := survey(c, headerEnd(oldText), headerEnd(newText))
	switch {
	case s.newNote():
		return ClassCorrection
	case s.majorRewrite():
		return ClassMajorRewrite
	case s.fieldChanged("# "):
		return ClassHeadline
	case s.bodyChanged() && (s.fieldChanged("Published: ") || s.fieldChanged("Updated: ")):
		return ClassDeclaredUpdate
	case s.bodyChanged() && s.appendOnly():
		return ClassAppendOnly
	case s.bodyChanged():
		return ClassSilentEdit
	}
	return ClassMetadataOnly
}

// paragraph is a body paragraph added on the new side.
type paragraph struct {
	text  string
	index int // among the new body's paragraphs
}

// bodyEvent is what happened to one body paragraph, in the order of
// Change.Lines.
type bodyEvent uint8

const (
	kept     bodyEvent = iota // in both bodies, the same words
	edited                    // a removed line paired with an added one, words changed
	removed                   // in the old body only
	inserted                  // in the new body only
	moved                     // removed in one place and added in another (each side is an event)
)

// classSurvey is what Classify needs to know of a Change. It keeps the
// texts it needs rather than sets of all paragraphs, and counts the words
// of the kept paragraphs only if the rewrite rule needs them, so that a
// small edit of a large page costs little more than its changed lines.
type classSurvey struct {
	oldHeader, newHeader map[string][]string // field key → values

	events   []bodyEvent
	kept     []string    // kept paragraphs, old side
	gone     []string    // removed paragraphs (not moved)
	movedOut []string    // moved paragraphs, old side
	added    []paragraph // inserted and edited paragraphs, new side (not moved)
	newParas int         // paragraphs in the new body

	editedParas        int // edited paragraphs
	editedWords        int // words of edited paragraphs, old side
	editedWordsRemoved int // words deleted inside edited paragraphs
}

// survey walks the lines of c once, sorting header from body with the
// header ends of the old and the new text.
func survey(c Change, oldEnd, newEnd int) *classSurvey {
	s := &classSurvey{
		oldHeader: make(map[string][]string),
		newHeader: make(map[string][]string),
	}
	oldSide := func(text string, no int) {
		if isBlank(text) {
			return
		}
		if k := fieldKey(text, no, oldEnd); k != "" {
			s.oldHeader[k] = append(s.oldHeader[k], text[len(k):])
			return
		}
		s.events = append(s.events, removed)
		s.gone = append(s.gone, text)
	}
	newSide := func(text string, no int) {
		if isBlank(text) {
			return
		}
		if k := fieldKey(text, no, newEnd); k != "" {
			s.newHeader[k] = append(s.newHeader[k], text[len(k):])
			return
		}
		s.events = append(s.events, inserted)
		s.added = append(s.added, paragraph{text, s.newParas})
		s.newParas++
	}
	keep := func(oldText string) {
		s.events = append(s.events, kept)
		s.kept = append(s.kept, oldText)
		s.newParas++
	}
	lines := c.Lines
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if isBlank(l.Text) {
			continue // and so is its old text if it is a Variant
		}
		switch l.Op {
		case Equal:
			old := oldText(l)
			if fieldKey(old, l.OldNo, oldEnd) != "" || fieldKey(l.Text, l.NewNo, newEnd) != "" {
				// Header on either side: record each side as it is, which
				// turns a line crossing the header's end into a removed or
				// added paragraph.
				oldSide(old, l.OldNo)
				newSide(l.Text, l.NewNo)
				continue
			}
			keep(old)
		case Delete:
			if l.MovedTo != 0 {
				s.events = append(s.events, moved)
				s.movedOut = append(s.movedOut, l.Text)
				continue
			}
			if l.Words == nil || i+1 >= len(lines) || lines[i+1].Op != Insert || lines[i+1].Words == nil {
				oldSide(l.Text, l.OldNo)
				continue
			}
			a := lines[i+1]
			i++
			if fieldKey(l.Text, l.OldNo, oldEnd) != "" || fieldKey(a.Text, a.NewNo, newEnd) != "" {
				oldSide(l.Text, l.OldNo)
				newSide(a.Text, a.NewNo)
				continue
			}
			deleted, changed := spanChanges(l.Words)
			_, addedWords := spanChanges(a.Words)
			if !changed && !addedWords {
				keep(l.Text)
				continue
			}
			s.events = append(s.events, edited)
			s.editedParas++
			s.editedWords += countWords(l.Text)
			s.editedWordsRemoved += deleted
			s.added = append(s.added, paragraph{a.Text, s.newParas})
			s.newParas++
		case Insert:
			if l.MovedFrom != 0 {
				s.events = append(s.events, moved)
				s.newParas++
				continue
			}
			newSide(l.Text, l.NewNo)
		}
	}
	return s
}

// spanChanges returns the number of words in the changed spans of a paired
// line, and whether any changed span holds more than white space.
func spanChanges(spans []Span) (words int, changed bool) {
	for _, w := range spans {
		if w.Op != Equal && !isBlank(w.Text) {
			changed = true
			words += countWords(w.Text)
		}
	}
	return words, changed
}

// bodyChanged reports whether a body paragraph was removed, added, edited
// or moved.
func (s *classSurvey) bodyChanged() bool {
	return len(s.kept) != len(s.events)
}

// fieldChanged reports whether a header field differs, white space aside.
func (s *classSurvey) fieldChanged(key string) bool {
	a, b := s.oldHeader[key], s.newHeader[key]
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		if !sameWords(a[i], b[i]) {
			return true
		}
	}
	return false
}

// sameWords reports whether a and b differ at most in white space and
// typographic variants.
func sameWords(a, b string) bool {
	for {
		a = strings.TrimLeftFunc(a, isSpaceOrIgnorable)
		b = strings.TrimLeftFunc(b, isSpaceOrIgnorable)
		if a == "" || b == "" {
			return a == b
		}
		na, ka := nextToken(a)
		nb, kb := nextToken(b)
		if ka != kb || !sameFolded(a[:na], b[:nb]) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
}

// appendOnly reports whether the body changed only by paragraphs added
// before the first or after the last kept paragraph.
func (s *classSurvey) appendOnly() bool {
	if len(s.gone) > 0 || len(s.movedOut) > 0 || s.editedParas > 0 {
		return false
	}
	first, last := -1, -1
	for i, e := range s.events {
		if e == kept {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i, e := range s.events {
		if e == inserted && first < i && i < last {
			return false
		}
	}
	return true
}

// majorRewrite reports whether most of the old body is gone. A paragraph
// that only moved is not gone.
func (s *classSurvey) majorRewrite() bool {
	lost, total := s.editedWordsRemoved, s.editedWords
	for _, p := range s.gone {
		n := countWords(p)
		total += n
		lost += n
	}
	for _, p := range s.movedOut {
		total += countWords(p)
	}
	oldParas := len(s.kept) + len(s.gone) + len(s.movedOut) + s.editedParas
	if oldParas >= rewriteMinParagraphs && 2*len(s.gone) >= oldParas {
		return true
	}
	for _, p := range s.kept {
		if 2*lost < total {
			return false // and adding words will not change that
		}
		total += countWords(p)
	}
	return total >= rewriteMinWords && 2*lost >= total
}

// newNote reports whether the new body has a correction note that the old
// body does not have.
func (s *classSurvey) newNote() bool {
	var old map[string]bool // built for the first note found
	for _, p := range s.added {
		if !notes.Is(p.text, p.index == 0 || p.index == s.newParas-1) {
			continue
		}
		if old == nil {
			old = make(map[string]bool, len(s.kept)+len(s.gone))
			for _, q := range s.kept {
				old[Fold(q)] = true
			}
			for _, q := range s.gone {
				old[Fold(q)] = true
			}
		}
		if !old[Fold(p.text)] {
			return true
		}
	}
	return false
}
