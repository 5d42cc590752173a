package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Boilerplate is removed in two passes. Before go-trafilatura runs, whole
// elements go: navigation, ad slots, labelled teaser boxes ("Don't miss",
// "Read more", "Related", newsletter sign-ups), lists made of links, and
// "Read more: <headline>" lines inside the article. After it, single
// paragraphs go: leftover labels, date and byline lines, "generated at"
// stamps and comment counters. An element that holds real prose (see
// nodeStats.protected) is never removed by a class, id or label rule, so an
// unlucky class name on the article's own wrapper cannot empty the page.

// label matches the whole text of a boilerplate heading or label.
var label = regexp.MustCompile(`(?i)^(?:` +
	`don'?t miss|do not miss|must read|read more|more|read also|also read|more to read|` +
	`related(?: articles?| stories| story| news| content| posts?| coverage| links| topics| reading| videos?)?|` +
	`more (?:on|about) (?:this|the) (?:story|topic|subject)|more from [^.]{1,40}|more (?:stories|news|articles|videos)|` +
	`(?:most|top) (?:read|popular|viewed|shared|watched)(?: (?:stories|articles|now|today))?|popular(?: now| stories)?|trending(?: now| stories)?|` +
	`recommended(?: for you| stories| articles| reading| videos?)?|(?:you|we think you) (?:may|might|will) (?:also )?(?:like|enjoy|be interested in)(?: this)?|` +
	`see also|further reading|latest (?:news|stories|videos)|top stories|editor'?s picks?|in (?:other|case you missed it) news|` +
	`advertisements?|advertising|sponsored(?: content| links| stories)?|promoted(?: content| stories)?|paid content|ad|ads|` +
	`story continues below(?: advertisement)?|continue reading(?: below| the main story)?|scroll (?:down )?to continue(?: with content)?|` +
	`anzeige|werbung|publicité|publicidad|pubblicità|publicidade|реклама|` +
	`(?:à )?lire (?:aussi|également)|sur le même sujet|nos articles|` +
	`lesen sie (?:auch|mehr)|mehr zum thema|das könnte sie (?:auch )?interessieren|` +
	`te puede interesar|leer más|lee también|noticias relacionadas|leggi anche|ti potrebbe interessare|articoli correlati|` +
	`leia (?:também|mais)|veja também|читайте также|` +
	`(?:sign up|subscribe)(?: (?:to|for)(?: our| the)? [^.]{0,30}newsletters?)?|newsletters?|` +
	`share(?: this)?(?: (?:article|story|page|post))?(?: on [a-z]+)?|follow us(?: on [a-z]+)?|` +
	`comments?|leave a (?:comment|reply)|show comments|` +
	`(?:this|the) (?:story|article) continues below` +
	`)$`)

// labelGate lets through to label only the texts that can match it.
var labelGate = newWordGate(label.String())

// readMore matches a "Read more: <headline>" box; the rest must be a link.
var readMore = regexp.MustCompile(`(?i)^(?:read more|read also|also read|more|related|see also|watch|listen|must read|` +
	`(?:à )?lire (?:aussi|également)|voir aussi|lesen sie (?:auch|mehr)|mehr zum thema|leer más|lee también|` +
	`leggi anche|leia (?:também|mais)|veja também|читайте также)\s*[:：›»|\-–—]*\s*(.+)$`)

// readMoreFirst are the first letters of readMore's phrases, lower case.
const readMoreFirst = "ramwlsvàч"

// mayReadMore reports whether t can match readMore, by its first letter: a
// cheap test run before the expression on every short linked block.
func mayReadMore(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return strings.ContainsRune(readMoreFirst, unicode.ToLower(r))
}

// readMoreText matches such a box once links are gone; a colon is required.
var readMoreText = regexp.MustCompile(`(?i)^(?:read more|read also|also read|see also|related|must read|` +
	`(?:à )?lire (?:aussi|également)|lesen sie (?:auch|mehr)|mehr zum thema|leer más|lee también|leggi anche|leia (?:também|mais)|читайте также)\s*[:：]\s*\S.{0,200}$`)

// stampLine matches page-generation stamps, view and comment counters.
var stampLine = regexp.MustCompile(`(?i)^(?:(?:this )?page (?:was )?(?:generated|rendered|built|served|cached)\b.{0,80}|` +
	`(?:generated|rendered) (?:at|on|in) .{0,60}|` +
	`\(?\d[\d,.  ]*\)?\s*(?:comments?|replies|responses|views|shares|reads)|(?:comments?|replies|views|shares)\s*[:(]?\s*\d[\d,.  ]*\)?)$`)

// taxonomyLine matches the category and tag lines under a post.
var taxonomyLine = regexp.MustCompile(`(?i)^(?:filed under|posted in|categor(?:y|ies)|tags|tagged(?: with)?|topics|` +
	`schlagwörter|étiquettes|mots-clés|catégories|etiquetas|categorías|tag|argomenti)\s*:`)

// boilerWords are class or id words that mark ads, teasers and widgets.
var boilerWords = map[string]bool{
	"ad": true, "ads": true, "adv": true, "advert": true, "adverts": true, "advertisement": true,
	"advertising": true, "adslot": true, "adunit": true, "adbox": true, "adblock": true, "adsense": true,
	"adsbygoogle": true, "dfp": true, "gpt": true, "googleads": true, "sponsor": true, "sponsored": true,
	"outbrain": true, "taboola": true, "newsletter": true, "related": true, "recommended": true,
	"recommendations": true, "trending": true, "mostread": true, "mostpopular": true, "popular": true,
	"share": true, "sharing": true, "sharebar": true, "social": true, "subscribe": true, "signup": true,
	"breadcrumb": true, "breadcrumbs": true, "cookie": true, "consent": true, "promo": true, "promoted": true,
	"dontmiss": true, "readmore": true, "more-stories": true, "comments": true, "disqus": true,
}

// boilerPrefixes catch camel-cased or glued class names ("relatedArticles").
var boilerPrefixes = []string{"advert", "related", "sponsor", "outbrain", "taboola", "newsletter", "recommend", "mostread", "mostpopular", "dontmiss", "googleads", "adslot", "adunit", "div-gpt-ad"}

// nodeStats are the text measures of an element, taken once before any
// removal.
type nodeStats struct {
	text  int // runes of text
	link  int // runes of text inside links
	prose int // runes in paragraphs that look like prose (long, few links)
	links int // number of links
}

// protected reports whether an element holds enough prose to be part of
// the article; such an element is never removed as boilerplate.
func (s nodeStats) protected() bool { return s.prose >= 400 }

// linkDense reports whether most of an element's text is link text.
func (s nodeStats) linkDense(ratio float64) bool {
	return s.text > 0 && float64(s.link) >= ratio*float64(s.text)
}

func measure(n *html.Node, m map[*html.Node]nodeStats, inLink bool, depth int) nodeStats {
	var s nodeStats
	if depth > maxDepth {
		return s
	}
	switch n.Type {
	case html.TextNode:
		c := utf8.RuneCountInString(strings.TrimSpace(n.Data))
		s.text = c
		if inLink {
			s.link = c
		} else if c >= 100 {
			s.prose = c // a long run of text outside a <p> is prose too
		}
		return s
	case html.ElementNode:
		if skipped[tag(n)] {
			m[n] = s
			return s
		}
		if tag(n) == atom.A {
			inLink = true
			s.links = 1
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := measure(c, m, inLink, depth+1)
		s.text += cs.text
		s.link += cs.link
		s.prose += cs.prose
		s.links += cs.links
	}
	if tag(n) == atom.P && s.text >= 80 && !s.linkDense(0.3) {
		s.prose = s.text
	}
	m[n] = s
	return s
}

// removeBoilerplate detaches boilerplate elements from the page, telling
// tr (which may be nil) why and ed (which may be nil) what changed, and
// returns them.
func removeBoilerplate(root *html.Node, tr *trace, ed *edits) []*html.Node {
	v := &boilerView{stats: make(map[*html.Node]nodeStats, 1024), texts: make(map[string]textKind, 256)}
	measure(root, v.stats, false, 0)
	var gone []doomed
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode {
			if targets := boilerTargets(n, v); len(targets) > 0 {
				gone = append(gone, targets...)
				if targets[0].n == n || isAncestor(targets[0].n, n) {
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	// Paragraphs written as bare text runs are wrapped first, while the
	// doomed blocks still stand between them as separators.
	wrapTextRuns(root, 0, ed)
	removed := make([]*html.Node, 0, len(gone))
	for _, d := range gone {
		if d.n.Parent != nil {
			tr.drop(d.n, d.why)
			ed.remove(d.n)
			removed = append(removed, d.n)
		}
	}
	return removed
}

// runContainers are the elements whose bare text runs wrapTextRuns wraps.
var runContainers = map[atom.Atom]bool{
	atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Blockquote: true, atom.Center: true, atom.Body: true,
}

// wrapTextRuns wraps each run of text and inline elements that stands
// directly in a container beside block elements or <br> into a <p> of its
// own, dropping the <br>s. Pages that write an article as
// `text<br><br>text<div class="fake-br"></div>text` then read as the
// paragraphs they show: go-trafilatura would otherwise glue the runs
// together ("Wednesday.The") once a separating block is gone, or emit the
// whole container twice.
func wrapTextRuns(n *html.Node, depth int, ed *edits) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		wrapTextRuns(c, depth+1, ed)
	}
	if n.Type != html.ElementNode || !runContainers[tag(n)] || !hasBareText(n) {
		return
	}
	var run []*html.Node
	flush := func(before *html.Node) {
		if hasText(run) {
			p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
			ed.insertBefore(n, p, before)
			for _, r := range run {
				ed.remove(r)
				ed.insertBefore(p, r, nil)
			}
		}
		run = run[:0]
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.ElementNode && blocks[tag(c)]:
			flush(c)
			if tag(c) == atom.Br {
				ed.remove(c)
			}
		case c.Type == html.TextNode || c.Type == html.ElementNode:
			run = append(run, c)
		}
		c = next
	}
	flush(nil)
}

// hasBareText reports whether n has a non-blank text node as a child.
func hasBareText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return true
		}
	}
	return false
}

// hasText reports whether any of the nodes holds non-blank text.
func hasText(ns []*html.Node) bool {
	for _, n := range ns {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" || n.Type == html.ElementNode && textOf(n) != "" {
			return true
		}
	}
	return false
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// boilerTargets returns the elements to remove because of n: n itself or
// an ancestor, and for a label that heads nothing else, the link lists
// that follow it ("More:" then three single-link lists).
func boilerTargets(n *html.Node, v *boilerView) []doomed {
	t, why := boilerTarget(n, v)
	if t == nil {
		return nil
	}
	out := []doomed{{t, why}}
	if !isLabel(t, v) {
		return out
	}
	for sib := t.NextSibling; sib != nil; sib = sib.NextSibling {
		switch {
		case sib.Type == html.TextNode && strings.TrimSpace(sib.Data) == "":
		case sib.Type == html.CommentNode:
		case sib.Type == html.ElementNode && v.st(sib).text <= 300 && v.st(sib).linkDense(0.6):
			out = append(out, doomed{sib, "link list after the label " + strconv.Quote(textOf(t))})
		default:
			return out
		}
	}
	return out
}

// boilerView is what the boilerplate rules read about one page: the text
// measures of its elements, and what the label, stamp and date-line tests
// said about each short text seen so far. Nested wrappers repeat their
// child's text (on the benchmark pages 60,000 short elements hold 25,000
// distinct texts), so each text is tested once.
type boilerView struct {
	stats map[*html.Node]nodeStats
	texts map[string]textKind
	// heir and heirText carry a label text down a chain of wrappers: the
	// text of an element whose only content is one element is that
	// element's text, which the walk asks for next.
	heir     *html.Node
	heirText string
}

// labelText returns the text of n as the label tests read it: folded and
// trimmed of labelTrim.
func (v *boilerView) labelText(n *html.Node) string {
	var t string
	if n == v.heir {
		t = v.heirText
	} else {
		t = strings.Trim(textOf(n), labelTrim)
	}
	v.heir, v.heirText = onlyElement(n), t
	return t
}

// onlyElement returns the one element child of n when every other child is
// blank text or a comment, else nil; nil too when n is an element whose
// content is no text (skipped), whatever its child's text.
func onlyElement(n *html.Node) *html.Node {
	if skipped[tag(n)] {
		return nil
	}
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && only == nil:
			only = c
		case c.Type == html.CommentNode:
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		default:
			return nil
		}
	}
	return only
}

// textKind is what the tests of a short text found, as bits.
type textKind uint8

const (
	labelText textKind = 1 << iota // the whole text is a label (label)
	stampText                      // a stamp or counter (stampLine)
	dateText                       // a date line (dateLine)
)

// st returns the measures of n (zero for an element not measured).
func (v *boilerView) st(n *html.Node) nodeStats {
	return v.stats[n]
}

// kind tests a short text, trimmed of labelTrim; "" is none of them.
func (v *boilerView) kind(text string) textKind {
	if text == "" {
		return 0
	}
	k, ok := v.texts[text]
	if ok {
		return k
	}
	if labelGate.allows(text) && label.MatchString(text) {
		k |= labelText
	}
	if stampLine.MatchString(text) {
		k |= stampText
	}
	if _, _, ok := dateLine(text); ok {
		k |= dateText
	}
	v.texts[text] = k
	return k
}

// doomed is an element to remove and why, in words for Extractor.Explain.
type doomed struct {
	n   *html.Node
	why string
}

// isLabel reports whether n is a short element whose text is a label.
func isLabel(n *html.Node, v *boilerView) bool {
	if s := v.st(n); s.text == 0 || s.text > 60 {
		return false // no text runes: textOf is "" too
	}
	return v.kind(v.labelText(n))&labelText != 0
}

// labelTrim are the characters around a label's words.
const labelTrim = " :：›»|•·-–—▶►→"

// boilerTarget returns the element to remove because of n, or nil, and
// why (a constant phrase, or one naming the label that gave it away).
func boilerTarget(n *html.Node, v *boilerView) (*html.Node, string) {
	s := v.st(n)
	switch tag(n) {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe:
		return n, "not text"
	case atom.Nav:
		return n, "navigation (<nav>)"
	case atom.Aside, atom.Footer, atom.Form, atom.Menu:
		if !s.protected() {
			return n, "<" + n.Data + "> outside the prose"
		}
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return nil, ""
	}
	if isHidden(n) {
		// Not shown to the reader: a copy for machines (see declared.go),
		// a collapsed menu, a template.
		return n, "hidden"
	}
	if s.protected() {
		return nil, ""
	}
	if hasBoilerClass(n) && !isEmbeddedPost(n) {
		return n, "class or id names an ad, teaser or widget"
	}
	text := ""
	if s.text > 0 && s.text <= 60 { // no text runes: textOf is "" too
		text = v.labelText(n)
	}
	k := v.kind(text)
	if k&labelText != 0 {
		return widenLabel(n, v), "box labelled " + strconv.Quote(text)
	}
	if k&stampText != 0 {
		return widenLabel(n, v), "time stamp or counter " + strconv.Quote(text)
	}
	// A visible date line ("Latest update : 2014-03-29") was read as
	// metadata before this step; left in the tree, a line added under the
	// headline is enough to send go-trafilatura's content scoring
	// elsewhere.
	if k&dateText != 0 && s.links == 0 && tag(n) != atom.Time {
		return n, "date line, read as metadata"
	}
	if s.text > 0 && s.text <= 300 && s.links > 0 {
		switch tag(n) {
		case atom.P, atom.Div, atom.Li, atom.Aside, atom.Strong, atom.Section, atom.Span, atom.Em, atom.B:
			if t := textOf(n); mayReadMore(t) {
				if m := readMore.FindStringSubmatch(t); m != nil &&
					float64(s.link) >= 0.5*float64(utf8.RuneCountInString(m[1])) {
					return n, `"Read more" teaser link`
				}
			}
		}
	}
	switch tag(n) {
	case atom.Ul, atom.Ol, atom.Dl:
		if s.links >= 3 && s.linkDense(0.7) {
			return n, "link list"
		}
	case atom.Div, atom.Section, atom.Table:
		if s.links >= 3 && s.linkDense(0.8) && s.text-s.link < 200 {
			return n, "link-dominated block"
		}
	}
	return nil, ""
}

// widenLabel climbs from a label element to the box it heads: as long as
// the parent holds little besides the label and links, the parent is the
// box. A label alone (an "Advertisement" line) is removed by itself.
func widenLabel(n *html.Node, v *boilerView) *html.Node {
	target := n
	for p := target.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		switch tag(p) {
		case atom.Body, atom.Html, atom.Main, atom.Article:
			return target
		}
		ps, ts := v.st(p), v.st(target)
		if ps.protected() {
			return target
		}
		rest := ps.text - ts.text
		restLink := ps.link - ts.link
		if rest <= 5 || (rest <= 1500 && float64(restLink) >= 0.6*float64(rest)) {
			target = p
			continue
		}
		break
	}
	return target
}

// isWordJoiner reports whether r joins the words of a class name
// ("related-articles", "ad_slot").
func isWordJoiner(r rune) bool { return r == '-' || r == '_' }

// hasBoilerClass reports whether n's class, id or data attributes name it
// as an ad, teaser box or widget.
func hasBoilerClass(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id":
		case "data-ad", "data-ad-slot", "data-ad-unit", "data-google-query-id":
			return true
		default:
			continue
		}
		for tok := range strings.FieldsSeq(a.Val) {
			tok = strings.ToLower(tok)
			if strings.Contains(tok, "--") {
				continue // a BEM modifier says how it looks, not what it is
			}
			if boilerWords[tok] {
				return true
			}
			for w := range strings.FieldsFuncSeq(tok, isWordJoiner) {
				if boilerWords[w] {
					return true
				}
			}
			for _, pre := range boilerPrefixes {
				if strings.HasPrefix(tok, pre) {
					return true
				}
			}
		}
	}
	return false
}
