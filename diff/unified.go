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
// Line texts are written as they are, bytes included: a Variant line, kept
// but for typographic variants, is written as its old line removed and its
// new line added. Moved paragraphs are removed and added lines. It returns
// "" when the texts are identical byte for byte ([Change.Identical]).
func (c Change) Unified(oldName, newName string, context int) string {
	hs := c.hunks(context, true)
	if len(hs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("--- " + oldName + "\n+++ " + newName + "\n")
	for _, h := range hs {
		b.WriteString(h.header())
		b.WriteByte('\n')
		for _, l := range c.Lines[h.start:h.end] {
			if l.Variant {
				writeUnifiedLine(&b, '-', l.OldText, l.NoNewline)
				writeUnifiedLine(&b, '+', l.Text, l.NoNewline)
				continue
			}
			writeUnifiedLine(&b, unifiedPrefix(l.Op), l.Text, l.NoNewline)
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

// writeUnifiedLine writes one hunk line and its newline marker.
func writeUnifiedLine(b *strings.Builder, prefix byte, text string, noNL bool) {
	b.WriteByte(prefix)
	b.WriteString(text)
	b.WriteByte('\n')
	if noNL {
		b.WriteString(noNewline + "\n")
	}
}
