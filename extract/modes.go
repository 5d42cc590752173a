package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// extractText keeps all visible text of the page, one paragraph per block.
// The title is the <title> element's text.
func extractText(root *html.Node) Document {
	d := Document{Title: pageTitle(root), Lang: htmlLang(root)}
	if body := findElement(root, atom.Body); body != nil {
		d.Paragraphs = paragraphs(body)
	} else {
		d.Paragraphs = paragraphs(root)
	}
	return d
}

// extractSelected keeps the text selected by sels (see selection.paragraphs):
// the text of the matched elements in document order, one paragraph per
// block; an element inside another matched element is not repeated.
func extractSelected(root *html.Node, sels []selector) (Document, error) {
	s, err := selectNodes(root, sels)
	if err != nil {
		return Document{}, err
	}
	return Document{Title: pageTitle(root), Lang: htmlLang(root), Paragraphs: s.paragraphs(root)}, nil
}

// extractRaw treats the body as plain text: each non-blank line is one
// paragraph. No HTML parsing is done and the document has no title.
func extractRaw(body []byte) Document {
	var d Document
	for line := range strings.Lines(string(body)) {
		if line = strings.TrimRight(line, " \t\r\n\v\f"); strings.TrimSpace(line) != "" {
			d.Paragraphs = append(d.Paragraphs, line)
		}
	}
	return d
}

// findElement returns the first element of type a under n, depth first.
func findElement(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if found != nil || depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && tag(n) == a {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return found
}

// pageTitle is the text of the <title> element.
func pageTitle(root *html.Node) string {
	if t := findElement(root, atom.Title); t != nil {
		var b strings.Builder
		for c := t.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
		return b.String()
	}
	return ""
}

// htmlLang is the lang attribute of the <html> element.
func htmlLang(root *html.Node) string {
	if h := findElement(root, atom.Html); h != nil {
		return strings.TrimSpace(attr(h, "lang"))
	}
	return ""
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}
