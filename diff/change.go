package diff

import "strconv"

// Op says what happened to a line or a span of words.
type Op int8

// The operations. The zero value is Equal.
const (
	Equal  Op = iota // present in both texts
	Insert           // present only in the new text
	Delete           // present only in the old text
)

// String returns "equal", "insert" or "delete".
func (o Op) String() string {
	switch o {
	case Equal:
		return "equal"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Span is a run of whole tokens (words, spaces, punctuation) inside a
// changed line.
type Span struct {
	Op   Op
	Text string
}

// Line is one line of the old text, the new text, or both.
type Line struct {
	// Op is Equal for a line kept as is or changed only in typographic
	// variants (see Fold), Delete for a line of the old text only, Insert
	// for a line of the new text only.
	Op Op
	// Text is the line without its trailing newline; for an Equal line, the
	// new text's line.
	Text string
	// Variant is set on an Equal line whose old and new bytes differ, only
	// in typographic variants: Text is the new line and OldText the old
	// one. [Change.Unified] writes such a line as removed and added, so
	// that the patch stays exact; [Change.Terminal] shows it as kept.
	Variant bool
	// OldText is the old text's line, without its newline, on a Variant
	// line; "" on any other line.
	OldText string
	// OldNo and NewNo are the 1-based line numbers in the old and the new
	// text; 0 on the side where the line is absent.
	OldNo, NewNo int
	// NoNewline is set on the last line of a text that does not end with a
	// newline (for an Equal line: of both texts).
	NoNewline bool
	// Words is set on a removed line paired with the added line that follows
	// it, and on that added line: the line's text as spans, Equal for the
	// words both share (typographic variants aside) and Delete (on the
	// removed line) or Insert (on the added line) for the rest. The spans'
	// texts concatenate to Text.
	// Words is nil for kept lines and for unpaired removed or added lines.
	Words []Span
	// MovedTo is set on an unpaired removed paragraph whose text (folded)
	// is that of an unpaired added paragraph elsewhere in the change: the
	// NewNo of that added line. MovedFrom is set on the added line: the
	// OldNo of the removed one. Both are 0 on a line that did not move.
	MovedTo, MovedFrom int
}

// Change is the difference between two texts: every line of both, in order,
// and what the change amounts to.
type Change struct {
	// Lines holds every line of the old and the new text. Removed lines come
	// before added lines within a run of changes, except that a removed line
	// paired with an added line (Words != nil) is immediately followed by it.
	Lines []Line
	// Stats counts the changed paragraphs and words.
	Stats Stats
}

// Equal reports whether the two texts are the same but for typographic
// variants (see Fold): every line is Equal. Such a Change has zero Stats,
// no [Change.Numbers] and no class ([Classify]).
func (c Change) Equal() bool {
	for _, l := range c.Lines {
		if l.Op != Equal {
			return false
		}
	}
	return true
}

// Identical reports whether the two texts were the same byte for byte:
// every line is Equal and none is a Variant. [Change.Unified] returns ""
// exactly when Identical is true.
func (c Change) Identical() bool {
	for _, l := range c.Lines {
		if l.Op != Equal || l.Variant {
			return false
		}
	}
	return true
}

// oldText returns the old text's side of a line that has one.
func oldText(l Line) string {
	if l.Variant {
		return l.OldText
	}
	return l.Text
}
