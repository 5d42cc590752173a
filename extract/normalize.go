package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// normalizeText returns s as one canonical line: valid UTF-8, invisible
// characters removed, every run of white space (newlines included) folded
// into one space, no leading or trailing space, Unicode NFC.
func normalizeText(s string) string {
	if isASCII(s) {
		// Most text nodes: valid, nothing invisible, already NFC.
		return foldSpaceASCII(s)
	}
	if s = cleanLine(s); s == "" || norm.NFC.IsNormalString(s) {
		return s
	}
	// Composition cannot create white space, but a combining mark at the
	// very start may compose with nothing; fold once more to be certain.
	return foldSpace(norm.NFC.String(s))
}

// cleanLine is normalizeText before composition, in one pass over s: each
// run of invalid bytes becomes one U+FFFD (as strings.ToValidUTF8 does),
// invisible characters go, and white space is folded as foldSpace does.
// It returns s itself when it is clean already.
func cleanLine(s string) string {
	if isCleanLine(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space, invalid := false, false // a space is due; the last byte was invalid
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case size == 1 && r == utf8.RuneError:
			if invalid {
				continue
			}
			invalid = true
		case isInvisible(r):
			invalid = false
			continue
		case r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r):
			invalid = false
			space = len(b) > 0
			continue
		default:
			invalid = false
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// isCleanLine reports whether cleanLine would leave s as it is: valid
// UTF-8, nothing invisible, single spaces between words and none at the
// ends.
func isCleanLine(s string) bool {
	prevSpace := true // a space at the start is not clean
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			sp := asciiSpace[c]
			if sp && (prevSpace || c != ' ') {
				return false
			}
			prevSpace = sp
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || isInvisible(r) || unicode.IsSpace(r) {
			return false
		}
		i += size
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// isInvisible reports whether r renders as nothing. Such characters are
// dropped, so that a page that adds or removes them does not change.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', // zero width space
		'\u200c', // zero width non-joiner
		'\u200d', // zero width joiner
		'\u2060', // word joiner
		'\ufeff', // byte order mark
		'\u00ad': // soft hyphen
		return true
	}
	return false
}

// dropInvisible returns s without its invisible characters.
func dropInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiSpace are the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// foldSpaceASCII is foldSpace for an ASCII s.
func foldSpaceASCII(s string) string {
	prevSpace := true // a space at the start is not folded
	for i := 0; i < len(s); i++ {
		sp := asciiSpace[s[i]]
		if sp && (prevSpace || s[i] != ' ') {
			return joinFieldsASCII(s)
		}
		prevSpace = sp
	}
	if prevSpace && s != "" {
		return s[:len(s)-1] // only a trailing single space
	}
	return s
}

// joinFieldsASCII is strings.Join(strings.Fields(s), " ") for an ASCII s:
// a slice of s when it holds one field, else one allocation.
func joinFieldsASCII(s string) string {
	var b strings.Builder
	first := ""
	for i := 0; i < len(s); {
		for i < len(s) && asciiSpace[s[i]] {
			i++
		}
		j := i
		for j < len(s) && !asciiSpace[s[j]] {
			j++
		}
		switch {
		case i == j:
		case first == "":
			first = s[i:j]
		default:
			if b.Len() == 0 {
				b.Grow(len(s))
				b.WriteString(first)
			}
			b.WriteByte(' ')
			b.WriteString(s[i:j])
		}
		i = j
	}
	if b.Len() == 0 {
		return first
	}
	return b.String()
}

// foldSpace is strings.Join(strings.Fields(s), " "), without allocating
// when s is already folded (the common case: most text nodes are).
func foldSpace(s string) string {
	folded := true
	prevSpace := true // a space at the start is not folded
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			folded = false
			break
		}
		prevSpace = sp
	}
	if folded && !prevSpace || s == "" {
		return s
	}
	if folded && prevSpace {
		// Only a trailing single space.
		return s[:len(s)-1]
	}
	return strings.Join(strings.Fields(s), " ")
}

// normalizeDocument normalises every field and drops empty paragraphs.
func normalizeDocument(d Document) Document {
	d.Title = normalizeText(d.Title)
	d.Byline = normalizeText(d.Byline)
	d.Published = normalizeText(d.Published)
	d.Updated = normalizeText(d.Updated)
	d.Lang = normalizeText(d.Lang)
	out := make([]string, 0, len(d.Paragraphs))
	for _, p := range d.Paragraphs {
		if p = normalizeText(p); p != "" {
			out = append(out, p)
		}
	}
	d.Paragraphs = out
	return d
}

// skipped are the elements whose content is never visible text.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Select: true,
	atom.Datalist: true, atom.Audio: true, atom.Video: true, atom.Picture: true,
	atom.Title: true, atom.Button: true, atom.Textarea: true,
}

// blocks are the elements that start and end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Dir: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Legend: true,
	atom.Li: true, atom.Main: true, atom.Menu: true, atom.Nav: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true,
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Tr: true, atom.Ul: true, atom.Br: true, atom.Html: true, atom.Option: true,
}

// isHidden reports whether an element is hidden from readers by its markup.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			if styleHides(a.Val) {
				return true
			}
		}
	}
	return false
}

// styleHides reports whether a style attribute holds "display:none" or
// "visibility:hidden", white space and case aside. It reads v as
// strings.ToLower(strings.Join(strings.Fields(v), "")) would give it,
// without building that string: the first letter of each phrase occurs
// nowhere else in it, so a mismatch restarts the match at that letter.
func styleHides(v string) bool {
	const none, hidden = "display:none", "visibility:hidden"
	i, j := 0, 0
	for _, r := range v {
		if unicode.IsSpace(r) {
			continue
		}
		r = unicode.ToLower(r)
		if i = nextMatch(none, i, r); i == len(none) {
			return true
		}
		if j = nextMatch(hidden, j, r); j == len(hidden) {
			return true
		}
	}
	return false
}

// nextMatch returns how much of phrase is matched after r, when matched
// was before it; phrase's first letter must occur only once in it.
func nextMatch(phrase string, matched int, r rune) int {
	if rune(phrase[matched]) == r {
		return matched + 1
	}
	if rune(phrase[0]) == r {
		return 1
	}
	return 0
}

// paragraphs collects the visible text under n, one paragraph per block
// element, in document order. Table cells and inline elements are joined
// with the text around them; a <br> ends a paragraph.
func paragraphs(n *html.Node) []string {
	var w blockWriter
	w.walk(n, 0)
	w.flush()
	return w.out
}

// shortParagraphs is paragraphs without those longer than limit bytes. A
// paragraph is dropped as soon as it holds more than limit bytes that
// normalizeText keeps as they are (ASCII other than white space), without
// gathering and normalising the rest of it: the long paragraphs of an
// article are most of a page's text.
func shortParagraphs(n *html.Node, limit int) []string {
	w := blockWriter{limit: limit}
	w.walk(n, 0)
	w.flush()
	return w.out
}

type blockWriter struct {
	// The paragraph being gathered is first while it is one text, and
	// buf, when not empty, once more text is added: most paragraphs are
	// one text node, and take no copy.
	first string
	buf   []byte
	out   []string
	// limit, when not 0, is the longest paragraph kept, in bytes; solid
	// counts the ASCII bytes other than white space written to the
	// paragraph. Once it passes limit, the paragraph stays empty until
	// flush.
	limit int
	solid int
}

func (w *blockWriter) flush() {
	text := w.first
	if len(w.buf) > 0 {
		text = string(w.buf)
	}
	if p := normalizeText(text); p != "" && (w.limit == 0 || len(p) <= w.limit) {
		w.out = append(w.out, p)
	}
	w.first, w.buf = "", w.buf[:0]
	w.solid = 0
}

// write adds text to the paragraph being gathered.
func (w *blockWriter) write(text string) {
	if w.limit != 0 {
		if w.solid > w.limit {
			return // too long already
		}
		// Normalising never removes an ASCII byte other than white
		// space, nor merges two of them: each is at least one byte of
		// the paragraph.
		for i := 0; i < len(text); i++ {
			if c := text[i]; c < utf8.RuneSelf && !asciiSpace[c] {
				w.solid++
			}
		}
		if w.solid > w.limit {
			w.first, w.buf = "", w.buf[:0]
			return
		}
	}
	switch {
	case len(w.buf) > 0:
		w.buf = append(w.buf, text...)
	case w.first == "":
		w.first = text
	default:
		w.buf = append(append(w.buf, w.first...), text...)
	}
}

// maxDepth bounds the recursion; the HTML parser already refuses deeper
// trees, this only guards trees built by other means.
const maxDepth = 1000

func (w *blockWriter) walk(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	var a atom.Atom
	switch n.Type {
	case html.TextNode:
		w.write(n.Data)
		return
	case html.ElementNode:
		a = tag(n)
		if skipped[a] || a == atom.Img || isHidden(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	cell := a == atom.Td || a == atom.Th
	block := blocks[a]
	if block {
		w.flush()
	} else if cell {
		w.write(" ")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, depth+1)
	}
	if block {
		w.flush()
	} else if cell {
		w.write(" ")
	}
}

// textOf returns the folded text under n, ignoring block boundaries.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[tag(n)] {
				return
			}
			if blocks[tag(n)] {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if n.Type == html.ElementNode && blocks[tag(n)] {
			b.WriteByte(' ')
		}
	}
	walk(n, 0)
	return normalizeText(b.String())
}

// tag returns the atom of an element. Trees built by go-trafilatura carry
// only the tag name, so the atom is looked up when it is missing.
func tag(n *html.Node) atom.Atom {
	if n.DataAtom != 0 || n.Type != html.ElementNode {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}
