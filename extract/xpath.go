package extract

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xpath"
	"golang.org/x/net/html"
)

// selector is one compiled Select or Exclude entry: a CSS selector group,
// or an XPath 1.0 expression.
type selector struct {
	src   string           // as given
	css   cascadia.Matcher // nil for XPath
	xpath *xpath.Expr      // nil for CSS; compiled, never evaluated (see evalXPath)
}

// isXPath reports whether a Select or Exclude entry is an XPath expression:
// one that starts, after leading white space, with "/", "./" or "(". No CSS
// selector can start so.
func isXPath(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n\f")
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "(")
}

// compileSelectors compiles Select or Exclude entries; what ("select" or
// "exclude") prefixes the error, which names the offending entry.
func compileSelectors(what string, list []string) ([]selector, error) {
	var out []selector
	for _, s := range list {
		switch {
		case strings.TrimSpace(s) == "":
			return nil, fmt.Errorf("extract: %s: empty CSS selector", what)
		case isXPath(s):
			expr, scalar, err := compileXPath(s)
			if err != nil {
				return nil, fmt.Errorf("extract: %s: invalid XPath %q: %w", what, s, err)
			}
			if scalar && what == "exclude" {
				return nil, fmt.Errorf("extract: %s: XPath %q gives a value, not nodes to remove", what, s)
			}
			out = append(out, selector{src: s, xpath: expr})
		default:
			sel, err := cascadia.ParseGroup(s)
			if err != nil {
				return nil, fmt.Errorf("extract: %s: invalid CSS selector %q: %w", what, s, err)
			}
			out = append(out, selector{src: s, css: sel})
		}
	}
	return out, nil
}

// compileXPath compiles an XPath 1.0 expression and tells whether it is
// known to give a value (string, number, boolean) rather than a node set,
// by evaluating it on an empty document (the result type of an XPath
// expression does not depend on the document; an evaluation that fails
// there leaves the question to Extract).
func compileXPath(s string) (expr *xpath.Expr, scalar bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			expr, scalar, err = nil, false, fmt.Errorf("%v", r)
		}
	}()
	expr, err = xpath.Compile(strings.TrimSpace(s))
	if err != nil {
		return nil, false, err
	}
	empty := &html.Node{Type: html.DocumentNode}
	_, isValue, _, err := evalXPath(selector{src: s, xpath: expr}, empty)
	return expr, err == nil && isValue, nil
}

// xpathNode is one node an XPath expression selected.
type xpathNode struct {
	n    *html.Node // the node; for an attribute, its element
	kind xpath.NodeType
	attr string // the attribute's key, for an attribute
}

// evalXPath runs an XPath expression on the tree under root. It gives the
// nodes selected or, for an expression whose result is a string, number or
// boolean, that value formatted (a number as a decimal without exponent,
// "3" or "12.5"; a boolean as true or false) and isValue true. A panic in
// the XPath engine (some expressions fail on some documents, such as
// comparing an empty string with a number) becomes an error naming the
// expression.
func evalXPath(s selector, root *html.Node) (nodes []xpathNode, isValue bool, value string, err error) {
	defer func() {
		if r := recover(); r != nil {
			nodes, isValue, value, err = nil, false, "", fmt.Errorf("extract: XPath %q: %v", s.src, r)
		}
	}()
	// An xpath.Expr keeps evaluation state (Evaluate, unlike Select, does
	// not clone it), so each evaluation compiles its own: the Extractor is
	// shared between goroutines, and compiling costs microseconds.
	expr, err := xpath.Compile(s.xpath.String())
	if err != nil {
		return nil, false, "", fmt.Errorf("extract: XPath %q: %w", s.src, err)
	}
	switch r := expr.Evaluate(htmlquery.CreateXPathNavigator(root)).(type) {
	case *xpath.NodeIterator:
		for r.MoveNext() {
			nav, ok := r.Current().(*htmlquery.NodeNavigator)
			if !ok {
				continue
			}
			x := xpathNode{n: nav.Current(), kind: nav.NodeType()}
			if x.kind == xpath.AttributeNode {
				x.attr = nav.LocalName()
			}
			nodes = append(nodes, x)
		}
		return nodes, false, "", nil
	case string:
		return nil, true, r, nil
	case float64:
		return nil, true, strconv.FormatFloat(r, 'f', -1, 64), nil
	case bool:
		return nil, true, strconv.FormatBool(r), nil
	default:
		return nil, true, fmt.Sprint(r), nil
	}
}

// removeMatching detaches every node matched by one of sels, in order:
// each selector sees the tree the previous ones left. An XPath that selects
// text or comment nodes removes them; one that selects attributes removes
// those attributes.
func removeMatching(root *html.Node, sels []selector, tr *trace, ed *edits) error {
	for _, s := range sels {
		if s.css != nil {
			for _, n := range cascadia.QueryAll(root, s.css) {
				if n.Parent != nil {
					tr.drop(n, "exclude: "+s.src)
					ed.remove(n)
				}
			}
			continue
		}
		nodes, isValue, _, err := evalXPath(s, root)
		if err != nil {
			return err
		}
		if isValue {
			return fmt.Errorf("extract: exclude: XPath %q gives a value, not nodes to remove", s.src)
		}
		for _, x := range nodes {
			switch {
			case x.kind == xpath.AttributeNode:
				ed.setAttr(x.n, deleteAttr(x.n.Attr, x.attr))
			case x.n.Parent != nil && x.n.Type != html.DocumentNode:
				tr.drop(x.n, "exclude: "+s.src)
				ed.remove(x.n)
			}
		}
	}
	return nil
}

func deleteAttr(attrs []html.Attribute, key string) []html.Attribute {
	out := make([]html.Attribute, 0, len(attrs))
	for _, a := range attrs {
		if a.Key != key {
			out = append(out, a)
		}
	}
	return out
}

// selection is what the Select entries matched in one page.
type selection struct {
	css    []cascadia.Matcher
	elems  map[*html.Node]bool            // elements (or the document) whose text is kept
	texts  map[*html.Node]bool            // text and comment nodes whose value is kept
	attrs  map[*html.Node]map[string]bool // element → keys of the attributes kept
	values []string                       // results of value XPaths, in Select order
}

// selectNodes evaluates sels on the tree under root.
func selectNodes(root *html.Node, sels []selector) (*selection, error) {
	s := &selection{elems: map[*html.Node]bool{}, texts: map[*html.Node]bool{}, attrs: map[*html.Node]map[string]bool{}}
	for _, sel := range sels {
		if sel.css != nil {
			s.css = append(s.css, sel.css)
			continue
		}
		nodes, isValue, v, err := evalXPath(sel, root)
		if err != nil {
			return nil, err
		}
		if isValue {
			s.values = append(s.values, v)
			continue
		}
		for _, x := range nodes {
			switch x.kind {
			case xpath.AttributeNode:
				if s.attrs[x.n] == nil {
					s.attrs[x.n] = map[string]bool{}
				}
				s.attrs[x.n][x.attr] = true
			case xpath.TextNode, xpath.CommentNode:
				s.texts[x.n] = true
			default:
				s.elems[x.n] = true
			}
		}
	}
	return s, nil
}

// matches reports whether n is a selected element (or document).
func (s *selection) matches(n *html.Node) bool {
	if s.elems[n] {
		return true
	}
	if n.Type != html.ElementNode {
		return false
	}
	for _, m := range s.css {
		if m.Match(n) {
			return true
		}
	}
	return false
}

// paragraphs collects the selected text under root in document order: a
// selected element gives its paragraphs (and nothing under it is repeated),
// a selected text or comment node its value, a selected attribute its
// value, at its element's place (attributes are never part of an element's
// text, so they are kept even inside a selected element). The values of
// value XPaths come last.
func (s *selection) paragraphs(root *html.Node) []string {
	var out []string
	var walk func(n *html.Node, depth int, inside bool)
	walk = func(n *html.Node, depth int, inside bool) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode, html.CommentNode:
			if !inside && s.texts[n] {
				out = append(out, n.Data)
			}
			return
		case html.ElementNode:
			if keys := s.attrs[n]; keys != nil {
				for _, a := range n.Attr {
					if keys[a.Key] {
						out = append(out, a.Val)
					}
				}
			}
		}
		if !inside && s.matches(n) {
			out = append(out, paragraphs(n)...)
			if len(s.attrs) == 0 {
				return
			}
			inside = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, inside)
		}
	}
	walk(root, 0, false)
	return append(out, s.values...)
}
