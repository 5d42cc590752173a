package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// minWords is how many words (with a letter in them) must follow the
	// label of a note, so that "Update: 8 March 2024" is not one.
	minWords = 3
	// maxLead bounds, in bytes, what may stand between a note's label and
	// its colon or dash: "(8 March 2024)", ", March 8", " 2".
	maxLead = 60
	// maxPrefix is how much of a paragraph is read: the label and what
	// follows it.
	maxPrefix = 200
)

// labels start a correction note when followed by a colon or a dash;
// lower case, apostrophes as "'".
var labels = []string{
	"correction", "corrections", "clarification", "clarifications",
	"editor's note", "editors' note", "editors note", "editor note", "note from the editor",
	"erratum", "errata",
	// French
	"rectificatif", "rectification", "correctif", "note de la rédaction",
	// German
	"korrektur", "berichtigung", "richtigstellung", "anmerkung der redaktion",
	// Spanish
	"corrección", "correcciones", "aclaración", "fe de errores", "fe de erratas",
	"nota del editor", "nota de la redacción",
	// Portuguese
	"correção", "correções", "esclarecimento", "nota do editor",
	"nota da redação", "nota da redacção",
	// Italian
	"correzione", "rettifica", "precisazione", "nota della redazione",
}

// updateLabels start a note as labels do, but only in the first or the
// last paragraph of the body, where live pages and articles put them.
var updateLabels = []string{
	"update", "updates", "mise à jour", "aktualisierung", "actualización",
	"atualização", "aggiornamento",
}

// phrases start a correction note on their own; lower case.
var phrases = []string{
	"an earlier version of this", "a previous version of this",
	"this article was amended", "this article has been amended",
	"this article was corrected", "this article has been corrected",
	"this story was amended", "this story has been amended",
	"this story was corrected", "this story has been corrected",
}

// Is reports whether paragraph p is a correction note (see the package
// documentation). edge says that p is the first or the last paragraph of
// its body: only then do updateLabels count.
func Is(p string, edge bool) bool {
	p = strings.TrimLeftFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(p) > maxPrefix {
		n := maxPrefix
		for n > 0 && !utf8.RuneStart(p[n]) {
			n-- // do not cut a rune
		}
		p = p[:n]
	}
	p = strings.ReplaceAll(strings.ToLower(p), "’", "'")
	for _, ph := range phrases {
		if strings.HasPrefix(p, ph) {
			return true
		}
	}
	for _, l := range labels {
		if labelled(p, l) {
			return true
		}
	}
	if edge {
		for _, l := range updateLabels {
			if labelled(p, l) {
				return true
			}
		}
	}
	return false
}

// labelled reports whether p is label, then optionally "(…)", then a lead
// that is empty, starts with a comma or starts with a digit, then a colon
// or a dash, then at least minWords words.
func labelled(p, label string) bool {
	rest, ok := strings.CutPrefix(p, label)
	if !ok {
		return false
	}
	if r := strings.TrimLeft(rest, " "); strings.HasPrefix(r, "(") {
		end := strings.IndexByte(r, ')')
		if end < 0 || end > maxLead {
			return false
		}
		rest = r[end+1:]
	}
	at, size := separator(rest)
	if at < 0 || at > maxLead {
		return false
	}
	if lead := strings.TrimSpace(rest[:at]); lead != "" && lead[0] != ',' && (lead[0] < '0' || lead[0] > '9') {
		return false
	}
	return letterWords(rest[at+size:], minWords) >= minWords
}

// separator returns the offset and the length of the first colon or dash
// in s, or -1.
func separator(s string) (int, int) {
	at, size := -1, 0
	for _, sep := range [...]string{":", "：", "—", "–", " - "} {
		if i := strings.Index(s, sep); i >= 0 && (at < 0 || i < at) {
			at, size = i, len(sep)
		}
	}
	return at, size
}

// letterWords counts the words of s that hold a letter, stopping at
// limit. A word is what the diff package's tokenizer calls one: a maximal
// run of letters, digits and marks, in which an apostrophe followed by a
// letter (not an ideograph) stays, or a single Han, Hiragana or Katakana
// character; so an ideograph that is not a letter ("〇", a CJK radical)
// is a word without a letter, and an invalid byte ends a word.
func letterWords(s string, limit int) int {
	words := 0
	for s != "" && words < limit {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case isIdeograph(r):
			if unicode.IsLetter(r) {
				words++
			}
		case isWordRune(r):
			letter := unicode.IsLetter(r)
			for n < len(s) {
				r, size := utf8.DecodeRuneInString(s[n:])
				if isApostrophe(r) && n+size < len(s) {
					next, nsize := utf8.DecodeRuneInString(s[n+size:])
					if unicode.IsLetter(next) && !isIdeograph(next) {
						n += size + nsize
						letter = true
						continue
					}
				}
				if !isWordRune(r) || isIdeograph(r) {
					break
				}
				letter = letter || unicode.IsLetter(r)
				n += size
			}
			if letter {
				words++
			}
		}
		s = s[n:]
	}
	return words
}

// isIdeograph reports whether r is written without spaces between words,
// so each character is a word of its own.
func isIdeograph(r rune) bool {
	return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }
