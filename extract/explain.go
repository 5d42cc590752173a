package extract

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Block is one block of a page as [Extractor.Explain] sees it: text the page
// shows as a paragraph, where it sits, and what the extractor did with it.
type Block struct {
	// Selector is a CSS selector that matches the block's element in the
	// page as fetched, built from the nearest ancestor with an id (or from
	// body) down, with class names that look hand-written and
	// :nth-of-type where siblings share a tag; it can be put in an
	// exclude list as it is.
	Selector string `json:"selector"`
	// Text is the block's own text, normalised as paragraphs are (the text
	// of blocks nested in it belongs to them).
	Text string `json:"text"`
	// Kept reports whether the text is part of the Document: one of its
	// paragraphs, inside one, or its headline, byline or dates.
	Kept bool `json:"kept"`
	// Reason says why a block that is not kept was dropped, for example
	// "exclude: .ticker", "navigation (<nav>)", `box labelled "Don't miss"`,
	// "hidden", "ignore: ^Updated" or "not part of the article". Empty
	// for kept blocks.
	Reason string `json:"reason,omitempty"`
}

// Explain extracts the Document exactly as Extract does and also returns
// every visible block of the page, in document order, saying which ones
// the Document kept and why the others were dropped. Blocks are nil in raw
// and json mode, which have no page structure.
func (e *Extractor) Explain(in Input) (Document, []Block, error) {
	a, err := e.Analyze(in, AnalyzeOptions{Explain: true})
	if err != nil {
		return Document{}, nil, err
	}
	return a.Document, a.Blocks, nil
}

// trace follows one extraction for Explain: the page's blocks as parsed,
// and why each element that left the tree was removed. A nil *trace does
// nothing, so the extraction code calls it unconditionally.
type trace struct {
	blocks []tracedBlock
	why    map[*html.Node]string
}

type tracedBlock struct {
	n        *html.Node // the block element (or the document)
	selector string
	text     string
	hidden   bool
}

// drop records why n is being removed, unless a reason is already known.
func (tr *trace) drop(n *html.Node, why string) {
	if tr == nil {
		return
	}
	if _, ok := tr.why[n]; !ok {
		tr.why[n] = why
	}
}

// collect records the blocks of the page before anything is removed.
func (tr *trace) collect(root *html.Node) {
	if tr == nil {
		return
	}
	c := blockCollector{tr: tr, sel: make(map[*html.Node]string)}
	c.walk(root, root, 0)
	c.flush(root)
}

// blockCollector walks a page like blockWriter does and attributes each
// paragraph to the innermost block element around its text.
type blockCollector struct {
	tr  *trace
	buf strings.Builder
	sel map[*html.Node]string // memoised selectors
	nth map[*html.Node][2]int // element → its :nth-of-type index and its parent's count of that tag
}

func (c *blockCollector) flush(owner *html.Node) {
	if p := normalizeText(c.buf.String()); p != "" {
		c.tr.blocks = append(c.tr.blocks, tracedBlock{n: owner, selector: c.selector(owner), text: p})
	}
	c.buf.Reset()
}

func (c *blockCollector) walk(n, owner *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	var a atom.Atom
	switch n.Type {
	case html.TextNode:
		c.buf.WriteString(n.Data)
		return
	case html.ElementNode:
		a = tag(n)
		if skipped[a] || a == atom.Img {
			return
		}
		if isHidden(n) {
			if t := textOf(n); t != "" {
				c.tr.blocks = append(c.tr.blocks, tracedBlock{n: n, selector: c.selector(n), text: t, hidden: true})
			}
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	cell := a == atom.Td || a == atom.Th
	block := blocks[a]
	inner := owner
	if block {
		c.flush(owner)
		if a != atom.Br {
			inner = n
		}
	} else if cell {
		c.buf.WriteByte(' ')
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch, inner, depth+1)
	}
	if block {
		c.flush(inner)
	} else if cell {
		c.buf.WriteByte(' ')
	}
}

// selector builds Block.Selector for n: its parent's selector and its own
// step, both memoised, so a page costs one step per element.
func (c *blockCollector) selector(n *html.Node) string {
	if s, ok := c.sel[n]; ok {
		return s
	}
	var s string
	switch a := tag(n); {
	case n.Type != html.ElementNode || a == atom.Html:
		s = ""
	case a == atom.Body:
		s = "body"
	default:
		if id := attr(n, "id"); isIdent(id) && !hasDigitRun(id) {
			s = "#" + id
			break
		}
		step := strings.ToLower(n.Data)
		for _, cl := range strings.Fields(attr(n, "class")) {
			if isIdent(cl) && !hasDigitRun(cl) {
				step += "." + cl
			}
		}
		if k, of := c.nthOfType(n); of > 1 {
			step += ":nth-of-type(" + strconv.Itoa(k) + ")"
		}
		s = step
		if n.Parent != nil {
			if p := c.selector(n.Parent); p != "" {
				s = p + " > " + step
			}
		}
	}
	if s == "" && n.Type == html.ElementNode && tag(n) != atom.Html {
		s = ":root"
	}
	c.sel[n] = s
	return s
}

// nthOfType returns the 1-based position of e among its parent's children
// of the same tag, and how many there are, counting each parent's children
// once.
func (c *blockCollector) nthOfType(e *html.Node) (k, of int) {
	if e.Parent == nil {
		return 1, 1
	}
	if c.nth == nil {
		c.nth = make(map[*html.Node][2]int)
	}
	if v, ok := c.nth[e]; ok {
		return v[0], v[1]
	}
	counts := make(map[string]int)
	for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			counts[s.Data]++
			c.nth[s] = [2]int{counts[s.Data], 0}
		}
	}
	for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			v := c.nth[s]
			c.nth[s] = [2]int{v[0], counts[s.Data]}
		}
	}
	v := c.nth[e]
	return v[0], v[1]
}

// isIdent reports whether s can be written in a CSS selector without
// escaping: a letter, '_' or '-' followed by letters, digits, '_' and '-'.
func isIdent(s string) bool {
	if s == "" || s == "-" || s[0] >= '0' && s[0] <= '9' || strings.HasPrefix(s, "--") || strings.HasPrefix(s, "-") && len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		return false
	}
	for _, r := range s {
		switch {
		case r == '_', r == '-', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// hasDigitRun reports whether s has three digits in a row: ids and
// classes such as "ad-slot-81723" or "css-1q2w3e4" are generated, change
// from page to page and would make the selector useless.
func hasDigitRun(s string) bool {
	run := 0
	for i := range len(s) {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run >= 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// explain turns the trace into Blocks, judged against the final Document.
func (tr *trace) explain(doc Document, e *Extractor) []Block {
	if tr.blocks == nil {
		return nil
	}
	kept := make(map[string]bool, len(doc.Paragraphs)+4)
	for _, p := range doc.Paragraphs {
		kept[p] = true
	}
	for _, f := range []string{doc.Title, doc.Byline, doc.PublishedText, doc.UpdatedText} {
		if f != "" {
			kept[f] = true
		}
	}
	out := make([]Block, 0, len(tr.blocks))
	for _, b := range tr.blocks {
		blk := Block{Selector: b.selector, Text: b.text}
		switch {
		case b.hidden:
			blk.Reason = "hidden"
		case kept[b.text] || insideParagraph(b.text, doc.Paragraphs):
			blk.Kept = true
		default:
			blk.Reason = tr.reason(b, e)
		}
		out = append(out, blk)
	}
	return out
}

// insideParagraph reports whether text, long enough to be telling, is part
// of one of the paragraphs (inline blocks merged into their neighbours).
func insideParagraph(text string, ps []string) bool {
	if utf8.RuneCountInString(text) < 20 {
		return false
	}
	for _, p := range ps {
		if len(p) > len(text) && strings.Contains(p, text) {
			return true
		}
	}
	return false
}

// reason says why a block's text is not in the Document.
func (tr *trace) reason(b tracedBlock, e *Extractor) string {
	for n := b.n; n != nil; n = n.Parent {
		if why, ok := tr.why[n]; ok {
			return why
		}
	}
	for _, re := range e.ignore {
		if re.MatchString(b.text) {
			return "ignore: " + re.String()
		}
	}
	switch e.mode {
	case ModeSelector:
		return "not selected"
	case ModeArticle:
		return "not part of the article"
	}
	return "dropped"
}
