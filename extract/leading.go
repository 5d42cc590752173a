package extract

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// A wordGate rejects cheaply most of the texts an anchored expression of
// phrases cannot match, by the text's first word: the expression is only
// run on a text whose first word (up to the first space, in lower case)
// can start a match, or is not plain ASCII (whose case folding the gate
// does not model). Nested wrappers and short links give a page a few
// hundred short texts to test against label, nearly all of them
// headlines and names.
type wordGate struct {
	words   map[string]bool // in lower case
	longest int             // bytes in the longest word
}

// newWordGate returns the gate of the expression pattern, compiled with
// the flags of regexp.Compile, which must begin with ^ and spell out every
// first word it matches, ending with a space or the end of the text. It
// panics when the expression can start with anything else (a class, a
// repetition) before its first space, or stop inside its first word, so
// that the gate can never turn away a text the expression would match.
func newWordGate(pattern string) wordGate {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err)
	}
	if re.Op != syntax.OpConcat || len(re.Sub) == 0 || re.Sub[0].Op != syntax.OpBeginText {
		panic("word gate: " + pattern + " is not anchored at the start")
	}
	open, done := leadingWords(re, []string{""})
	if len(open) > 0 {
		// A match may end inside the text's first word ("read" in
		// "reading"): the first word is not known.
		panic("word gate: " + pattern + " can end a match inside a word")
	}
	g := wordGate{words: make(map[string]bool)}
	for _, w := range done {
		g.words[w] = true
		g.longest = max(g.longest, len(w))
	}
	return g
}

// allows reports whether text may match.
func (g wordGate) allows(text string) bool {
	first, _, _ := strings.Cut(text, " ")
	for i := 0; i < len(first); i++ {
		if first[i] >= 0x80 {
			return true
		}
	}
	if len(first) > g.longest {
		return false
	}
	// Lower case without allocating: most texts start with a capital.
	var buf [32]byte
	if len(first) > len(buf) {
		return g.words[strings.ToLower(first)]
	}
	lower := buf[:len(first)]
	for i := 0; i < len(first); i++ {
		c := first[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return g.words[string(lower)]
}

// leadingWords follows re from the prefixes in open, the first words read
// so far: it returns those still open after re, and those that a space in
// re (or the end of the text) completed.
func leadingWords(re *syntax.Regexp, open []string) (stillOpen, done []string) {
	if len(open) == 0 {
		return nil, nil
	}
	switch re.Op {
	case syntax.OpBeginText, syntax.OpEmptyMatch:
		return open, nil
	case syntax.OpEndText:
		return nil, open
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == ' ' {
				return nil, open
			}
			next := make([]string, len(open))
			for i, w := range open {
				next[i] = w + string(unicode.ToLower(r))
			}
			open = next
		}
		return open, nil
	case syntax.OpCapture:
		return leadingWords(re.Sub[0], open)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			var d []string
			open, d = leadingWords(sub, open)
			done = append(done, d...)
		}
		return open, done
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			o, d := leadingWords(sub, open)
			stillOpen, done = append(stillOpen, o...), append(done, d...)
		}
		return stillOpen, done
	case syntax.OpQuest:
		o, d := leadingWords(re.Sub[0], open)
		return append(o, open...), d
	}
	panic("word gate: cannot list the first words through " + re.String())
}
