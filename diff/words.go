package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// tokenKind classifies a token.
type tokenKind uint8

const (
	tokenSpace tokenKind = iota // a run of white space
	tokenWord                   // a run of letters, digits and marks, or one ideograph
	tokenPunct                  // a run of anything else, invalid UTF-8 included
)

// isIdeograph reports whether r is written without spaces between words,
// so each character is a token of its own.
func isIdeograph(r rune) bool {
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isApostrophe reports whether r is ' or one of its typographic variants.
func isApostrophe(r rune) bool { return r == '\'' || r >= 'ʼ' && foldRune(r) == "'" }

// nextToken returns the length in bytes and the kind of the token at the
// start of s, which must not be empty. Tokens are maximal: a word run ends
// at the first rune that is not a letter, digit or mark, except that an
// apostrophe between two letters stays inside the word ("don't"). Ignorable
// runes (soft hyphen, zero-width characters) belong to the token before
// them, or at the start of s to the token after them, so that
// "extra\u00ADordinary" is one word as "extraordinary" is.
func nextToken(s string) (int, tokenKind) {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !isIgnorable(r) {
			break
		}
		n += size
	}
	if n == len(s) {
		return n, tokenPunct
	}
	r, size := utf8.DecodeRuneInString(s[n:])
	n += size
	switch {
	case unicode.IsSpace(r):
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if !unicode.IsSpace(r) && !isIgnorable(r) {
				break
			}
			n += size
		}
		return n, tokenSpace
	case isIdeograph(r):
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if !isIgnorable(r) {
				break
			}
			n += size
		}
		return n, tokenWord
	case isWordRune(r):
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if isApostrophe(r) && n+size < len(s) {
				next, nsize := utf8.DecodeRuneInString(s[n+size:])
				if unicode.IsLetter(next) && !isIdeograph(next) {
					n += size + nsize
					continue
				}
			}
			if isIgnorable(r) {
				n += size
				continue
			}
			if !isWordRune(r) || isIdeograph(r) {
				break
			}
			n += size
		}
		return n, tokenWord
	default:
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if unicode.IsSpace(r) || isWordRune(r) {
				break
			}
			n += size
		}
		return n, tokenPunct
	}
}

// token is a piece of a line.
type token struct {
	text string
	kind tokenKind
}

// tokenize splits s into tokens; their texts concatenate to s.
func tokenize(s string) []token {
	var toks []token
	for s != "" {
		n, k := nextToken(s)
		toks = append(toks, token{s[:n], k})
		s = s[n:]
	}
	return toks
}

// countWords returns the number of word tokens in s.
func countWords(s string) int {
	words := 0
	for s != "" {
		n, k := nextToken(s)
		if k == tokenWord {
			words++
		}
		s = s[n:]
	}
	return words
}

// Tokens are mapped to runes from tokenRuneBase up, skipping the surrogate
// range, so that an encoded line is valid UTF-8 and no token maps to an
// ASCII character that go-diff's semantic cleanup would treat specially.
const (
	tokenRuneBase = 0x100
	surrogateMin  = 0xD800
	surrogateEnd  = 0xE000 // first rune after the surrogates
	maxTokens     = unicode.MaxRune + 1 - tokenRuneBase - (surrogateEnd - surrogateMin)
)

func tokenRune(i int) rune {
	r := rune(i) + tokenRuneBase
	if r >= surrogateMin {
		r += surrogateEnd - surrogateMin
	}
	return r
}

// runeToken is the inverse of tokenRune; it returns -1 for a rune that
// tokenRune never produces.
func runeToken(r rune) int {
	switch {
	case r < tokenRuneBase || r > unicode.MaxRune || (r >= surrogateMin && r < surrogateEnd):
		return -1
	case r >= surrogateEnd:
		r -= surrogateEnd - surrogateMin
	}
	return int(r - tokenRuneBase)
}

// wordDiff is the word-level difference between a removed and an added line.
type wordDiff struct {
	old, new   []Span  // the removed line as Equal/Delete spans, the added one as Equal/Insert spans
	similarity float64 // 2 × equal tokens / all tokens, spaces not counted
}

// diffWords diffs two lines token by token, tokens comparing by their
// folded form (see Fold), so that a token that changed only by a
// typographic variant is in an Equal span, shown with each side's own
// bytes. It returns false when the lines have more distinct tokens than
// runes can encode.
func diffWords(dmp *diffmatchpatch.DiffMatchPatch, a, b string) (wordDiff, bool) {
	ta, tb := tokenize(a), tokenize(b)
	ids := make(map[string]int, len(ta)+len(tb))
	encode := func(toks []token) ([]rune, bool) {
		rs := make([]rune, len(toks))
		for i, t := range toks {
			key := Fold(t.text)
			id, ok := ids[key]
			if !ok {
				if len(ids) >= maxTokens {
					return nil, false
				}
				id = len(ids)
				ids[key] = id
			}
			rs[i] = tokenRune(id)
		}
		return rs, true
	}
	ra, ok := encode(ta)
	if !ok {
		return wordDiff{}, false
	}
	rb, ok := encode(tb)
	if !ok {
		return wordDiff{}, false
	}

	raw := dmp.DiffMainRunes(ra, rb, false)
	diffs := dmp.DiffCleanupSemantic(append([]diffmatchpatch.Diff(nil), raw...))
	if !tokenAligned(diffs, ra, rb, len(ids)) {
		// DiffCleanupSemanticLossless (go-diff v1.4.0) uses a rune count
		// as a byte offset when it shifts an edit over multi-byte runes.
		// Its walk has repaired that in every case tried, but keep the
		// uncleaned diff rather than ever return a corrupt one.
		diffs = raw
		if !tokenAligned(diffs, ra, rb, len(ids)) {
			return wordDiff{}, false
		}
	}

	var (
		wd           wordDiff
		eq, sa, sb   int // non-space tokens: equal, in a, in b
		i, j         int // next token of a and of b
		oldB, newB   strings.Builder
		oldOp, newOp Op
	)
	flush := func(spans []Span, b *strings.Builder, op Op) []Span {
		if b.Len() > 0 {
			spans = append(spans, Span{Op: op, Text: b.String()})
			b.Reset()
		}
		return spans
	}
	for _, d := range diffs {
		op := fromDMP(d.Type)
		if op != Insert && op != oldOp {
			wd.old = flush(wd.old, &oldB, oldOp)
			oldOp = op
		}
		if op != Delete && op != newOp {
			wd.new = flush(wd.new, &newB, newOp)
			newOp = op
		}
		for range utf8.RuneCountInString(d.Text) {
			switch op {
			case Equal:
				oldB.WriteString(ta[i].text)
				newB.WriteString(tb[j].text)
				if ta[i].kind != tokenSpace {
					eq++
					sa++
					sb++
				}
				i++
				j++
			case Delete:
				oldB.WriteString(ta[i].text)
				if ta[i].kind != tokenSpace {
					sa++
				}
				i++
			case Insert:
				newB.WriteString(tb[j].text)
				if tb[j].kind != tokenSpace {
					sb++
				}
				j++
			}
		}
	}
	wd.old = flush(wd.old, &oldB, oldOp)
	wd.new = flush(wd.new, &newB, newOp)
	if sa+sb > 0 {
		wd.similarity = 2 * float64(eq) / float64(sa+sb)
	}
	return wd, true
}

// tokenAligned reports whether diffs is a diff of ra into rb made of whole
// encoded tokens below n.
func tokenAligned(diffs []diffmatchpatch.Diff, ra, rb []rune, n int) bool {
	i, j := 0, 0
	for _, d := range diffs {
		if !utf8.ValidString(d.Text) {
			return false
		}
		for _, r := range d.Text {
			if id := runeToken(r); id < 0 || id >= n {
				return false
			}
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				if i >= len(ra) || j >= len(rb) || ra[i] != r || rb[j] != r {
					return false
				}
				i++
				j++
			case diffmatchpatch.DiffDelete:
				if i >= len(ra) || ra[i] != r {
					return false
				}
				i++
			case diffmatchpatch.DiffInsert:
				if j >= len(rb) || rb[j] != r {
					return false
				}
				j++
			}
		}
	}
	return i == len(ra) && j == len(rb)
}

func fromDMP(op diffmatchpatch.Operation) Op {
	switch op {
	case diffmatchpatch.DiffInsert:
		return Insert
	case diffmatchpatch.DiffDelete:
		return Delete
	}
	return Equal
}
