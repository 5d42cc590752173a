package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Shortcut lets a later fetch of the same page skip the article
// extraction when nothing it depends on has changed: where the article
// sat and a hash of its text and of the header the page's metadata gives.
// It is made by MakeShortcut after a full extraction and checked by
// Unchanged; the zero Shortcut never matches.
type Shortcut struct {
	// Container is a CSS selector naming the smallest element that holds
	// every body paragraph, in the page as fetched.
	Container string
	// Sum is the hex SHA-256 of the container's visible text (white space
	// removed) and of the headline, byline and dates the page's metadata
	// gives.
	Sum string
}

// String encodes the shortcut for storage; ParseShortcut decodes it.
func (s Shortcut) String() string {
	if s.Container == "" || s.Sum == "" {
		return ""
	}
	return "v1 " + s.Sum + " " + s.Container
}

// ParseShortcut decodes a Shortcut written by String. It reports false for
// anything else (an empty string, another version).
func ParseShortcut(v string) (Shortcut, bool) {
	rest, ok := strings.CutPrefix(v, "v1 ")
	if !ok {
		return Shortcut{}, false
	}
	sum, sel, ok := strings.Cut(rest, " ")
	if !ok || len(sum) != 64 || sel == "" {
		return Shortcut{}, false
	}
	return Shortcut{Container: sel, Sum: sum}, true
}

// MakeShortcut returns the shortcut for a page whose Document doc an
// article-mode extraction just gave, or false when none can be made:
// another mode, no paragraphs, or paragraphs the page holds in no single
// element (text runs go-trafilatura or this package stitched together),
// so that Unchanged could not find them again. It parses the page once
// more, as it came, so that the shortcut describes what a later fetch
// will see before any cleaning.
func (e *Extractor) MakeShortcut(in Input, doc Document) (Shortcut, bool) {
	if e.mode != ModeArticle || len(doc.Paragraphs) == 0 || len(e.exclude) > 0 {
		return Shortcut{}, false
	}
	root, err := parseHTML(in.Body)
	if err != nil {
		return Shortcut{}, false
	}
	first := elementContaining(root, doc.Paragraphs[0])
	last := first
	if len(doc.Paragraphs) > 1 {
		last = elementContaining(root, doc.Paragraphs[len(doc.Paragraphs)-1])
	}
	if first == nil || last == nil {
		return Shortcut{}, false
	}
	container := commonAncestor(first, last)
	if container == nil || container.Type != html.ElementNode {
		return Shortcut{}, false
	}
	c := blockCollector{sel: make(map[*html.Node]string)}
	sel := c.selector(container)
	if sel == "" || sel == ":root" {
		return Shortcut{}, false
	}
	// The selector must find this element and no other, or Unchanged
	// would hash something else.
	m, err := cascadia.Compile(sel)
	if err != nil {
		return Shortcut{}, false
	}
	if found := cascadia.QueryAll(root, m); len(found) != 1 || found[0] != container {
		return Shortcut{}, false
	}
	return Shortcut{Container: sel, Sum: shortcutSum(root, container)}, true
}

// elementContaining returns the innermost element whose visible text
// holds text, white space aside, or nil.
func elementContaining(root *html.Node, text string) *html.Node {
	want := squeeze(text)
	if want == "" {
		return nil
	}
	var found *html.Node
	var walk func(n *html.Node, depth int) string
	walk = func(n *html.Node, depth int) string {
		if depth > maxDepth || found != nil {
			return ""
		}
		switch n.Type {
		case html.TextNode:
			return squeeze(n.Data)
		case html.ElementNode:
			if skipped[tag(n)] {
				return ""
			}
		case html.DocumentNode:
		default:
			return ""
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(walk(c, depth+1))
		}
		if found == nil && n.Type == html.ElementNode && b.Len() >= len(want) && strings.Contains(b.String(), want) {
			found = n
		}
		return b.String()
	}
	walk(root, 0)
	return found
}

// Unchanged reports whether a page, parsed but not extracted, still has
// the container and the sum sc was made from: then its extraction gives
// the same canonical text as the one sc was made with (same Extractor
// options assumed; the caller keys shortcuts by them). It costs a parse
// and a walk of the page, a fraction of an extraction.
func (e *Extractor) Unchanged(in Input, sc Shortcut) bool {
	if e.mode != ModeArticle || sc.Container == "" || len(e.exclude) > 0 {
		return false
	}
	m, err := cascadia.Compile(sc.Container)
	if err != nil {
		return false
	}
	root, err := parseHTML(in.Body)
	if err != nil {
		return false
	}
	found := cascadia.QueryAll(root, m)
	return len(found) == 1 && shortcutSum(root, found[0]) == sc.Sum
}

// shortcutSum hashes what the canonical text of an article depends on:
// the container's visible text, white space aside, and the header read
// from the page's metadata.
func shortcutSum(root, container *html.Node) string {
	h := sha256.New()
	pm := readMeta(root)
	dt := pm.dates()
	for _, f := range []string{pm.headline(""), pm.byline(""), dt.published, dt.updated, pm.language("")} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			h.Write([]byte(squeeze(n.Data)))
			return
		case html.ElementNode:
			a := tag(n)
			if skipped[a] {
				return
			}
			if blocks[a] {
				h.Write([]byte{1}) // block boundaries are paragraph boundaries
			}
			if isHidden(n) {
				h.Write([]byte{2})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(container, 0)
	return hex.EncodeToString(h.Sum(nil))
}
