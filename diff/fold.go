package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns text with its typographic variants folded, the form in which
// Compare compares lines and words:
//
//   - curly single quotes and apostrophes (‘ ’ ‚ ‛ ′ ʼ) become ';
//   - curly double quotes („ “ ” ‟ ″) become "; guillemets (« ») are kept,
//     they are the punctuation of a language rather than a typographic
//     variant;
//   - the ellipsis … becomes "...";
//   - the hyphen U+2010, the non-breaking hyphen U+2011, the figure dash
//     U+2012 and the en dash U+2013 become "-"; the em dash is kept;
//   - a run of white space (any unicode.IsSpace rune but the newline: no-break,
//     narrow no-break and thin spaces, tabs…) becomes one space;
//   - the soft hyphen U+00AD and the zero-width characters U+200B, U+200C,
//     U+200D, U+2060 and U+FEFF are removed;
//   - the result is in Unicode normalisation form C, so text in NFD folds
//     as the same text in NFC.
//
// Newlines are kept as they are, so Fold of a text is the concatenation of
// Fold of its lines. Invalid UTF-8 is kept byte for byte. Fold is
// idempotent.
func Fold(text string) string {
	if folded(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	space := false // the last rune written was a folded space
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(text[i])
			i++
			space = false
			continue
		}
		i += n
		switch {
		case r == '\n':
			b.WriteByte('\n')
			space = false
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case isIgnorable(r):
			// Removed; a space run goes on through it.
		default:
			space = false
			if s := foldRune(r); s != "" {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		}
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// folded reports cheaply whether Fold would return s unchanged: ASCII with
// no control character but a final newline and no two spaces in a row.
func folded(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	const (
		ones  = 0x0101010101010101
		lows  = 0x7F * ones
		highs = 0x80 * ones
	)
	space := false // the previous byte was a space
	i := 0
	// Eight bytes at a time (SWAR).
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		v := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if (v|(v-0x20*ones))&highs != 0 {
			return false // a byte at or above 0x80, or below 0x20
		}
		x := v ^ 0x20*ones                           // spaces become zero bytes
		spaces := ^(((x & lows) + lows) | x) & highs // the high bit of each zero byte
		if spaces&(spaces<<8) != 0 || space && spaces&0x80 != 0 {
			return false
		}
		space = spaces>>63 != 0
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < ' ' || space && c == ' ' {
			return false
		}
		space = c == ' '
	}
	return true
}

// foldRune returns what a typographic variant folds to, or "" for a rune
// that folds to itself (white space and ignorable runes aside).
func foldRune(r rune) string {
	switch r {
	case '‘', '’', '‚', '‛', '′', 'ʼ':
		return "'"
	case '“', '”', '„', '‟', '″':
		return `"`
	case '…':
		return "..."
	case '\u2010', '\u2011', '\u2012', '\u2013':
		return "-"
	}
	return ""
}

// isIgnorable reports whether r is invisible and folds to nothing: the soft
// hyphen and the zero-width characters.
func isIgnorable(r rune) bool {
	if r < '\u00AD' {
		return false
	}
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// isSpaceOrIgnorable reports whether r is white space or folds to nothing.
func isSpaceOrIgnorable(r rune) bool { return unicode.IsSpace(r) || isIgnorable(r) }

// sameFolded reports whether a and b are equal once folded.
func sameFolded(a, b string) bool {
	return a == b || Fold(a) == Fold(b)
}
