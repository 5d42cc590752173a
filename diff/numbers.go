package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberChange is a number of an edited paragraph that became another
// number, e.g. "4" → "5" or "$1,200" → "$1,350".
type NumberChange struct {
	// Old and New are the whole numbers as the old and the new text write
	// them, e.g. "1,200" rather than the "200" that changed in it.
	Old, New string
	// OldNo and NewNo are the line numbers of the edited paragraph in the
	// old and the new text.
	OldNo, NewNo int
}

// String returns "Old → New", e.g. "4 → 5".
func (n NumberChange) String() string { return n.Old + " → " + n.New }

// maxSummaryNumbers is how many number changes Summary lists.
const maxSummaryNumbers = 3

// Numbers lists the numbers that changed into other numbers inside edited
// paragraphs (a removed line paired with an added one), in the order of
// Lines. Each place where the word diff of a pair removed text, added text
// or both counts when, widened to the whole number around it, the text
// removed is part of a number and the text added part of another; a number
// changed in two places is listed once. Where the word diff replaced a run
// of tokens by as many tokens ("3 comments" → "4 replies"), they are
// compared one to one, so "3 → 4" is found there too.
//
// A number is a run of digits, whose groups or decimals may be separated
// by ',', '.', a thin space (U+2009) or a narrow no-break space (U+202F)
// between two digits, with optionally a sign (+, - or −) and a currency
// symbol (Unicode category Sc: $ € £ ¥ …) right before it, and a percent
// sign or a currency symbol right after it: "42", "-3.5", "1,200,000",
// "€249.00", "12%". A sign right after a letter or a digit is a hyphen,
// not a sign, so in "COVID-19" the number is "19", and a date such as
// 2014-03-30 is three numbers. Digits inside a word ("A4", "3rd") are not
// a number. Numbers returns nil when the texts are equal.
func (c Change) Numbers() []NumberChange {
	var ns []NumberChange
	c.eachPair(func(del, ins Line) bool {
		es, ok := pairEdits(del, ins)
		if !ok {
			return true
		}
		var last [4]int // the last number change found in this pair, as old and new ranges
		for _, e := range es {
			for _, sub := range splitEdit(del, ins, e) {
				n, r, ok := numberEdit(del, ins, sub)
				if ok && r != last {
					ns = append(ns, n)
					last = r
				}
			}
		}
		return true
	})
	return ns
}

// OnlyNumbers reports whether the texts differ and every difference is a
// number that changed into another number inside an edited paragraph (see
// [Change.Numbers]), e.g. "3 comments" → "4 comments": no paragraph was
// added, removed or moved, and no other word or punctuation changed.
// Changes of white space and layout (blank lines, the final newline), which
// no reader notices, are allowed alongside; typographic variants are no
// change at all. A change of layout alone is not only numbers: there must
// be a number change.
func (c Change) OnlyNumbers() bool {
	if c.Equal() {
		return false
	}
	for i, l := range c.Lines {
		switch {
		case l.Op == Equal || isBlank(l.Text):
		case l.Words == nil:
			return false // added, removed or moved
		case l.Op == Delete && (i+1 >= len(c.Lines) || c.Lines[i+1].Words == nil):
			return false // not expected: a pair is adjacent
		}
	}
	numbers := false
	c.eachPair(func(del, ins Line) bool {
		es, ok := pairEdits(del, ins)
		if !ok {
			numbers = false
			return false
		}
		for _, e := range es {
			for _, sub := range splitEdit(del, ins, e) {
				if isBlank(del.Text[sub.a0:sub.a1]) && isBlank(ins.Text[sub.b0:sub.b1]) {
					continue
				}
				if _, _, ok := numberEdit(del, ins, sub); !ok {
					numbers = false
					return false
				}
				numbers = true
			}
		}
		return true
	})
	return numbers
}

// Summary returns [Stats.String] followed by up to three number changes
// and "…" if there are more, e.g.
// "1 paragraph changed, +1 −1 words, 4 → 5", or "no changes".
func (c Change) Summary() string {
	var b strings.Builder
	b.WriteString(c.Stats.String())
	for i, n := range c.Numbers() {
		if i == maxSummaryNumbers {
			b.WriteString(", …")
			break
		}
		b.WriteString(", " + n.String())
	}
	return b.String()
}

// eachPair calls f with each removed line paired with an added line, and
// that added line, until f returns false.
func (c Change) eachPair(f func(del, ins Line) bool) {
	for i, l := range c.Lines {
		if l.Op != Delete || l.Words == nil || i+1 >= len(c.Lines) {
			continue
		}
		if a := c.Lines[i+1]; a.Op == Insert && a.Words != nil && !f(l, a) {
			return
		}
	}
}

// wordEdit is one place where a paired line changed: the bytes [a0, a1) of the
// removed line became the bytes [b0, b1) of the added line; one of the two
// ranges may be empty.
type wordEdit struct{ a0, a1, b0, b1 int }

// pairEdits returns the edits of a pair, in order. The Equal spans of both
// lines hold the same tokens (folded), so the changed spans of both sides
// line up by the number of equal tokens before them. It returns false if
// the spans do not match the lines' tokens (not expected).
func pairEdits(del, ins Line) ([]wordEdit, bool) {
	ga, okA := sideGaps(del)
	gb, okB := sideGaps(ins)
	if !okA || !okB || len(ga.eqEnd) != len(gb.eqEnd) {
		return nil, false
	}
	var es []wordEdit
	for i, j := 0, 0; i < len(ga.changes) || j < len(gb.changes); {
		switch {
		case j == len(gb.changes) || i < len(ga.changes) && ga.changes[i].at < gb.changes[j].at:
			a := ga.changes[i]
			p := gb.eqEnd[a.at]
			es = append(es, wordEdit{a.start, a.end, p, p})
			i++
		case i == len(ga.changes) || gb.changes[j].at < ga.changes[i].at:
			b := gb.changes[j]
			p := ga.eqEnd[b.at]
			es = append(es, wordEdit{p, p, b.start, b.end})
			j++
		default:
			a, b := ga.changes[i], gb.changes[j]
			es = append(es, wordEdit{a.start, a.end, b.start, b.end})
			i++
			j++
		}
	}
	return es, true
}

// gaps is one side of a pair: its changed spans and where its equal tokens
// end.
type gaps struct {
	changes []changedSpan
	eqEnd   []int // eqEnd[k]: the byte offset after the first k equal tokens
}

// changedSpan is a Delete or Insert span of a paired line.
type changedSpan struct {
	at         int // equal tokens before it
	start, end int // byte offsets in the line
}

// sideGaps locates the changed spans of a paired line among its tokens.
func sideGaps(l Line) (gaps, bool) {
	toks := tokenize(l.Text)
	g := gaps{eqEnd: []int{0}}
	off, t := 0, 0 // byte offset, next token
	for _, w := range l.Words {
		end := off + len(w.Text)
		if w.Op != Equal {
			g.changes = append(g.changes, changedSpan{len(g.eqEnd) - 1, off, end})
		}
		for off < end {
			if t == len(toks) {
				return g, false
			}
			off += len(toks[t].text)
			t++
			if w.Op == Equal {
				g.eqEnd = append(g.eqEnd, off)
			}
		}
		if off != end {
			return g, false
		}
	}
	return g, off == len(l.Text) && t == len(toks)
}

// splitEdit returns e alone if it turns a number into another, or if its
// two sides hold different numbers of tokens; otherwise, the word diff
// having merged neighbouring replacements into one edit ("3 comments" →
// "4 replies"), the edits of its tokens compared one to one, those that
// fold alike left out.
func splitEdit(del, ins Line, e wordEdit) []wordEdit {
	if _, _, ok := numberEdit(del, ins, e); ok {
		return []wordEdit{e}
	}
	ta, tb := tokenize(del.Text[e.a0:e.a1]), tokenize(ins.Text[e.b0:e.b1])
	if len(ta) != len(tb) || len(ta) < 2 {
		return []wordEdit{e}
	}
	var subs []wordEdit
	a, b := e.a0, e.b0
	for k := range ta {
		na, nb := len(ta[k].text), len(tb[k].text)
		if !sameFolded(ta[k].text, tb[k].text) {
			subs = append(subs, wordEdit{a, a + na, b, b + nb})
		}
		a, b = a+na, b+nb
	}
	return subs
}

// numberEdit reports whether edit e of a pair turns a number into another,
// and returns them and their byte ranges (old start and end, new start and
// end).
func numberEdit(del, ins Line, e wordEdit) (NumberChange, [4]int, bool) {
	a0, a1, okA := numberAround(del.Text, e.a0, e.a1)
	b0, b1, okB := numberAround(ins.Text, e.b0, e.b1)
	if !okA || !okB || del.Text[a0:a1] == ins.Text[b0:b1] {
		return NumberChange{}, [4]int{}, false
	}
	n := NumberChange{Old: del.Text[a0:a1], New: ins.Text[b0:b1], OldNo: del.OldNo, NewNo: ins.NewNo}
	return n, [4]int{a0, a1, b0, b1}, true
}

// numberAround widens the bytes [start, end) of s to the whole number
// around them and reports whether that is a number.
func numberAround(s string, start, end int) (int, int, bool) {
	lo, hi := start, end
	// Digits and separators between two digits, to the left.
	for lo > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:lo])
		if isDigit(r) || isGroupSep(r) && digitBefore(s, lo-n) && digitAfter(s, lo) {
			lo -= n
			continue
		}
		break
	}
	// A sign and a currency symbol, in either order.
signs:
	for sign, cur := false, false; lo > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:lo])
		switch {
		case !cur && unicode.Is(unicode.Sc, r):
			cur = true
		case !sign && isSign(r):
			sign = true
		default:
			break signs
		}
		lo -= n
	}
	// Digits and separators to the right, then a percent or currency sign.
	for hi < len(s) {
		r, n := utf8.DecodeRuneInString(s[hi:])
		if isDigit(r) || isGroupSep(r) && digitBefore(s, hi) && digitAfter(s, hi+n) {
			hi += n
			continue
		}
		break
	}
	if r, n := utf8.DecodeRuneInString(s[hi:]); hi < len(s) && digitBefore(s, hi) && (r == '%' || unicode.Is(unicode.Sc, r)) {
		hi += n
	}
	// Drop a leading sign that is a hyphen after a word.
	if r, n := utf8.DecodeRuneInString(s[lo:hi]); lo < hi && isSign(r) && lo > 0 {
		if p, _ := utf8.DecodeLastRuneInString(s[:lo]); isWordRune(p) {
			lo += n
		}
	}
	if lo > start || !isNumber(s[lo:hi]) {
		return 0, 0, false
	}
	return lo, hi, true
}

// isNumber reports whether t is exactly one number, as Numbers defines it.
func isNumber(t string) bool {
	i := 0
prefix:
	for sign, cur := false, false; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		switch {
		case !sign && isSign(r):
			sign = true
		case !cur && unicode.Is(unicode.Sc, r):
			cur = true
		default:
			break prefix
		}
		i += n
	}
	digits := 0
	for i < len(t) {
		r, n := utf8.DecodeRuneInString(t[i:])
		if isDigit(r) || digits > 0 && isGroupSep(r) && digitBefore(t, i) && digitAfter(t, i+n) {
			if isDigit(r) {
				digits++
			}
			i += n
			continue
		}
		break
	}
	if digits == 0 {
		return false
	}
	if r, n := utf8.DecodeRuneInString(t[i:]); i < len(t) && (r == '%' || unicode.Is(unicode.Sc, r)) {
		i += n
	}
	return i == len(t)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

// isGroupSep reports whether r can separate the digit groups or the
// decimals of a number.
func isGroupSep(r rune) bool {
	return r == ',' || r == '.' || r == '\u2009' || r == '\u202F'
}

func isSign(r rune) bool { return r == '+' || r == '-' || r == '−' }

// digitBefore reports whether the rune ending at byte i of s is a digit.
func digitBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isDigit(r)
}

// digitAfter reports whether the rune starting at byte i of s is a digit.
func digitAfter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isDigit(r)
}
