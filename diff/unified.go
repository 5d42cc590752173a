package diff

import "strings"

// noNewline is GNU diff's marker for a line without a final newline.
const noNewline = `\ No newline at end of file`

// Unified renders the change as a unified diff: "--- oldName" and
// "+++ newName" headers, then "@@ -a,b +c,d @@" hunks with up to context
// unchanged lines around each change (a negative context counts as 0).
// Blank lines are lines like any other. A line at the end of a text without
// a final newline is followed by "\ No newline at end of file", as GNU diff
// does, so that patch(1) turns the old text into the new one exactly.
// Line texts are written as they are, bytes included. It returns "" when the
// texts are equal.
func (c Change) Unified(oldName, newName string, context int) string {
	hs := c.hunks(context)
	if len(hs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("--- " + oldName + "\n+++ " + newName + "\n")
	for _, h := range hs {
		b.WriteString(h.header())
		b.WriteByte('\n')
		for _, l := range c.Lines[h.start:h.end] {
			b.WriteByte(unifiedPrefix(l.Op))
			b.WriteString(l.Text)
			b.WriteByte('\n')
			if l.NoNewline {
				b.WriteString(noNewline + "\n")
			}
		}
	}
	return b.String()
}

// unifiedPrefix returns the first column of a hunk line.
func unifiedPrefix(op Op) byte {
	switch op {
	case Insert:
		return '+'
	case Delete:
		return '-'
	}
	return ' '
}
