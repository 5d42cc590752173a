package diff

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ANSI SGR sequences used by Terminal.
const (
	sgrReset    = "\x1b[0m"
	sgrRed      = "\x1b[31m"
	sgrGreen    = "\x1b[32m"
	sgrYellow   = "\x1b[33m"
	sgrCyan     = "\x1b[36m"
	sgrDim      = "\x1b[2m"
	sgrEmphasis = "\x1b[1;7m"   // bold, inverse
	sgrPlain    = "\x1b[22;27m" // normal intensity, not inverse
)

// Terminal renders the change for a colour terminal: the hunks of
// [Change.Unified] (without the file headers) with hunk headers in cyan,
// removed lines in red and added lines in green, and, within a removed line
// paired with an added one, the changed words alone in bold inverse video.
// A moved paragraph is shown in yellow, still with its "-" or "+" prefix,
// followed by a dim note "(moved to line N)", N a line of the new text, or
// "(moved from line N)", N a line of the old text. Context lines are plain;
// a line changed only in typographic variants (Variant) is a context line,
// shown as in the new text. Every coloured line ends with a reset.
//
// Control characters in the texts are shown as Unicode control pictures
// (U+2400…) and invalid UTF-8 as U+FFFD, so a page cannot send escape
// sequences to the terminal; tabs are kept. It returns "" when the texts are
// equal ([Change.Equal]).
func (c Change) Terminal(context int) string {
	var b strings.Builder
	for _, h := range c.hunks(context, false) {
		b.WriteString(sgrCyan + h.header() + sgrReset + "\n")
		for _, l := range c.Lines[h.start:h.end] {
			switch l.Op {
			case Equal:
				b.WriteByte(' ')
				writeSafe(&b, l.Text)
			default:
				colour := sgrRed
				switch {
				case l.MovedTo != 0 || l.MovedFrom != 0:
					colour = sgrYellow
				case l.Op == Insert:
					colour = sgrGreen
				}
				b.WriteString(colour)
				b.WriteByte(unifiedPrefix(l.Op))
				if l.Words == nil {
					writeSafe(&b, l.Text)
				}
				for _, w := range l.Words {
					if w.Op == Equal {
						writeSafe(&b, w.Text)
						continue
					}
					b.WriteString(sgrEmphasis)
					writeSafe(&b, w.Text)
					b.WriteString(sgrPlain)
				}
				b.WriteString(sgrReset)
				switch {
				case l.MovedTo != 0:
					b.WriteString(" " + sgrDim + "(moved to line " + strconv.Itoa(l.MovedTo) + ")" + sgrReset)
				case l.MovedFrom != 0:
					b.WriteString(" " + sgrDim + "(moved from line " + strconv.Itoa(l.MovedFrom) + ")" + sgrReset)
				}
			}
			b.WriteByte('\n')
			if l.NoNewline {
				b.WriteString(noNewline + "\n")
			}
		}
	}
	return b.String()
}

// writeSafe writes s with control characters made visible and invalid
// UTF-8 replaced, so that it cannot drive the terminal.
func writeSafe(b *strings.Builder, s string) {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\t':
			b.WriteByte('\t')
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀…␟
		case r == 0x7f:
			b.WriteRune(0x2421) // ␡
		case r >= 0x80 && r < 0xa0: // C1 controls, including CSI
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
}
