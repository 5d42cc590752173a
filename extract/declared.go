package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Declared data. A page says more about its article than the reader sees:
// the <title> in the browser tab and search results (often a different,
// search-engine headline), and a structured copy of the article for
// machines (schema.org microdata itemprop=articleBody, often in a hidden
// block, or JSON-LD articleBody). Publishers edit these too, sometimes
// apart from the visible text, and an edit there is an edit of what the
// page declares. The canonical text therefore carries
//
//   - the page title, when it is not the headline (once a " - Site" suffix,
//     or a " | Section" after the headline, is taken off), and
//   - the sentences of the structured copy that the visible article does
//     not contain,
//
// as header fields. Only what differs from the visible article is kept, so
// a page whose declared data repeats its article (most pages) shows nothing
// more, and an edit made in the hidden copy alone shows as the sentence
// that now differs.

// maxDeclared bounds the sentences of a structured copy that are kept as
// differing from the visible article: a copy that is another text
// altogether (a stale version, another story) is shown by its first
// sentences, not in full.
const maxDeclared = 20

// pageTitleField returns the page's <title>, without site names and
// without what follows the headline itself (a section), when it is not
// the headline; "" otherwise.
func (pm pageMeta) pageTitleField(headline string) string {
	t := normalizeText(pm.title)
	hw := words(headline)
	if words(t) == hw {
		// The headline itself: whatever follows a dash in it is no
		// site name, though siteNames reads it as one.
		return ""
	}
	sites := pm.siteNames()
	// Take off, from the end, site names and what follows the headline
	// itself ("Headline - World - Site").
	for cut := true; cut; {
		cut = false
		for _, sep := range titleSeparators {
			i := strings.LastIndex(t, sep)
			if i > 0 && (sites[strings.ToLower(strings.TrimSpace(t[i+len(sep):]))] || words(t[:i]) == hw) {
				t, cut = strings.TrimSpace(t[:i]), true
			}
		}
	}
	if t == "" || words(t) == hw {
		return ""
	}
	return t
}

// structuredCopy returns the lines of the article's structured copy: the
// text of n, the first element marked itemprop=articleBody, when it is
// hidden (a copy for machines; a visible one is the article itself, read
// as such), else the JSON-LD articleBody; one line per block element or
// line break.
func structuredCopy(n *html.Node, ld linkedData) []string {
	if n != nil && hiddenWithin(n) {
		var b strings.Builder
		linesOf(n, &b, 0)
		return splitLines(b.String())
	}
	body := ld.body
	if strings.ContainsRune(body, '&') {
		// JSON-LD text is often HTML-escaped ("&apos;", "&hellip;"),
		// sometimes markup and all ("&lt;p&gt;").
		body = html.UnescapeString(body)
	}
	if !strings.ContainsRune(body, '<') {
		return splitLines(body)
	}
	// Some sites put the article's HTML in the JSON-LD string.
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var b strings.Builder
	linesOf(root, &b, 0)
	return splitLines(b.String())
}

// hiddenWithin reports whether n or one of its ancestors is hidden.
func hiddenWithin(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && isHidden(n) {
			return true
		}
	}
	return false
}

// linesOf writes the text under n with a line break around each block
// element and <br>; hidden elements are read too.
func linesOf(n *html.Node, b *strings.Builder, depth int) {
	if depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		a := tag(n)
		if skipped[a] {
			return
		}
		if a == atom.Br {
			b.WriteByte('\n')
			return
		}
		if blocks[a] {
			b.WriteByte('\n')
			defer b.WriteByte('\n')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		linesOf(c, b, depth+1)
	}
}

// splitLines splits s at line breaks and normalises each line, dropping
// empty ones.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = normalizeText(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// declaredOnly returns the sentences of copy that the visible text does
// not contain, in order and without repeats, at most maxDeclared of them.
// A sentence is found when its words, in order, are a run of the visible
// text's words (case, punctuation and spacing aside), so the two may break
// lines and paragraphs differently.
func declaredOnly(copy []string, visible []string) []string {
	if len(copy) == 0 {
		return nil
	}
	var vb strings.Builder
	vb.WriteByte(' ')
	for _, v := range visible {
		vb.WriteString(words(v))
		vb.WriteByte(' ')
	}
	seen := vb.String()
	var out []string
	shown := map[string]bool{}
	for _, line := range copy {
		for _, s := range sentences(line) {
			w := words(s)
			if cut, ok := truncated(s); ok {
				// A summary cut short ("… and sources of…"): its last
				// word may be cut too.
				cw := words(cut)
				if i := strings.LastIndexByte(cw, ' '); i > 0 {
					w = cw[:i]
				}
			}
			if w == "" || shown[w] || strings.Contains(seen, " "+w+" ") {
				continue
			}
			shown[w] = true
			out = append(out, s)
			if len(out) == maxDeclared {
				return out
			}
		}
	}
	return out
}

// truncated reports whether s ends with an ellipsis, and returns s
// without it.
func truncated(s string) (string, bool) {
	for _, e := range []string{"…", "..."} {
		if strings.HasSuffix(s, e) {
			return strings.TrimSuffix(s, e), true
		}
	}
	return s, false
}

// words returns the letters and digits of s, lower-cased, as words
// separated by single spaces.
func words(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space && !unicode.Is(unicode.Mn, r) && r != '\'' && r != '’' && r != '\u00ad' {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// sentences splits a line after each ".", "!" or "?" (optionally followed
// by closing quotes or brackets) that is followed by a space and an upper
// case letter, a digit or an opening quote.
func sentences(line string) []string {
	var out []string
	start := 0
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		i += n
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		j := i
		for j < len(line) {
			c, m := utf8.DecodeRuneInString(line[j:])
			if !strings.ContainsRune(`"')]”’»`, c) {
				break
			}
			j += m
		}
		if j >= len(line) || line[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(line[j+1:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'“‘«(`, next) {
			out = append(out, strings.TrimSpace(line[start:j]))
			start = j + 1
			i = j + 1
		}
	}
	if s := strings.TrimSpace(line[start:]); s != "" {
		out = append(out, s)
	}
	return out
}
