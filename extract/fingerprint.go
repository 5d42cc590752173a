package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Fingerprints. In article mode the extraction reads the page's metadata,
// removes the boilerplate and hands what is left to go-trafilatura, which
// costs most of the time. The fingerprint is a hash of exactly what that
// step receives: the header the metadata gives (headline, byline, dates,
// language, read without go-trafilatura's fallbacks) and the cleaned page
// tree (element names, class and id words, hidden marks, text with each
// run of white space read as one space, and white-space-only text left
// out: "per cent" and "percent" differ, re-indented markup does not). Two pages with the same fingerprint hand go-trafilatura
// the same input, so their canonical texts are the same; Analyze stops
// there when the fingerprint is the one it was given. Two things are left
// out on purpose, as noise that does not move the extraction: class and id
// words with a run of three digits (generated ad-slot and build ids) and
// the attributes other than class and id.

// fingerprint hashes the header of pm and the cleaned tree under root.
func fingerprint(pm pageMeta, root *html.Node) string {
	h := sha256.New()
	dt := pm.dates()
	for _, f := range []string{pm.headline(""), pm.byline(""), dt.published, dt.updated, pm.language(""), pm.title} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	for _, l := range pm.structured {
		h.Write([]byte(l))
		h.Write([]byte{0})
	}
	var b []byte
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			b = appendFolded(b, n.Data)
			return
		case html.ElementNode:
			if skipped[tag(n)] {
				return
			}
			b = append(b, '<')
			b = append(b, n.Data...)
			if isHidden(n) {
				b = append(b, " hidden"...)
			}
			for _, a := range n.Attr {
				if a.Key != "class" && a.Key != "id" {
					continue
				}
				for w := range strings.FieldsSeq(a.Val) {
					if !hasDigitRun(w) {
						b = append(b, ' ')
						b = append(b, w...)
					}
				}
			}
			b = append(b, '>')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if n.Type == html.ElementNode {
			b = append(b, '<', '/', '>')
		}
		if len(b) > 32<<10 {
			h.Write(b)
			b = b[:0]
		}
	}
	walk(root, 0)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// appendFolded appends text with each run of white space (as
// unicode.IsSpace sees it) as one space; a text of white space only
// appends nothing. Invalid UTF-8 bytes append U+FFFD each.
func appendFolded(b []byte, text string) []byte {
	start := len(b)
	seen, space := false, false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			// Most of a page's text: no decoding.
			i++
			if asciiSpace[c] {
				space = true
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
			seen = true
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, r)
		seen = true
	}
	if !seen {
		return b[:start]
	}
	if space {
		b = append(b, ' ')
	}
	return b
}
