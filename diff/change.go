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
	// Op is Equal for a line kept as is, Delete for a line of the old text
	// only, Insert for a line of the new text only.
	Op Op
	// Text is the line without its trailing newline.
	Text string
	// OldNo and NewNo are the 1-based line numbers in the old and the new
	// text; 0 on the side where the line is absent.
	OldNo, NewNo int
	// NoNewline is set on the last line of a text that does not end with a
	// newline (for an Equal line: of both texts).
	NoNewline bool
	// Words is set on a removed line paired with the added line that follows
	// it, and on that added line: the line's text as spans, Equal for the
	// words both share and Delete (on the removed line) or Insert (on the
	// added line) for the rest. The spans' texts concatenate to Text.
	// Words is nil for kept lines and for unpaired removed or added lines.
	Words []Span
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

// Equal reports whether the two texts were identical.
func (c Change) Equal() bool {
	for _, l := range c.Lines {
		if l.Op != Equal {
			return false
		}
	}
	return true
}
