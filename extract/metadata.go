package extract

import (
	"encoding/json"
	nurl "net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/redlinehq/redline/internal/notes"
)

// pageMeta is what the page says about its article outside the body text:
// JSON-LD, meta tags, headings, <time> elements and short visible lines.
// It is read from the whole page, before boilerplate is removed.
type pageMeta struct {
	ld       linkedData
	meta     map[string]string // lower-cased name/property/itemprop -> first content
	title    string            // <title>
	h1       []string
	itemHead string // the text of the first element marked itemprop=headline
	// structured is the article's structured copy, one line per block
	// (see structuredCopy).
	structured []string
	lang       string // <html lang>
	relAuthor  string
	timePub    string // <time itemprop=datePublished> or <time pubdate>
	timeMod    string // <time itemprop=dateModified>
	canonical  string // the href of the first <link rel=canonical>
	base       string // the href of the first <base>
	lines      []string
}

// linkedData is the article object of the page's JSON-LD.
type linkedData struct {
	headline, published, modified, lang, description string
	body                                             string // articleBody
	authors                                          []string
}

// maxLineLen bounds the visible lines kept for date and byline detection.
const maxLineLen = 160

func readMeta(root *html.Node) pageMeta {
	pm := pageMeta{meta: map[string]string{}, title: pageTitle(root), lang: htmlLang(root)}
	var lds []linkedData
	var bodyCopy *html.Node
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		switch tag(n) {
		case atom.Meta:
			key := attr(n, "property")
			if key == "" {
				key = attr(n, "name")
			}
			if key == "" {
				key = attr(n, "itemprop")
			}
			key = strings.ToLower(strings.TrimSpace(key))
			if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
				if _, dup := pm.meta[key]; !dup {
					pm.meta[key] = v
				}
			}
			return
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				lds = append(lds, parseLinkedData(n.FirstChild.Data)...)
			}
			return
		case atom.H1:
			if t := textOf(n); t != "" {
				pm.h1 = append(pm.h1, t)
			}
		case atom.Time:
			v := attr(n, "datetime")
			if v == "" {
				v = textOf(n)
			}
			switch ip := strings.ToLower(attr(n, "itemprop")); {
			case ip == "datemodified" && pm.timeMod == "":
				pm.timeMod = v
			case (ip == "datepublished" || hasAttr(n, "pubdate")) && pm.timePub == "":
				pm.timePub = v
			}
		case atom.A, atom.Link:
			if strings.EqualFold(attr(n, "rel"), "author") && pm.relAuthor == "" && tag(n) == atom.A {
				pm.relAuthor = textOf(n)
			}
			if tag(n) == atom.Link && pm.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
				pm.canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Base:
			if pm.base == "" {
				pm.base = strings.TrimSpace(attr(n, "href"))
			}
		}
		if ip := attr(n, "itemprop"); ip != "" && n.Type == html.ElementNode {
			if pm.itemHead == "" && strings.EqualFold(ip, "headline") {
				pm.itemHead = textOf(n)
			}
			if bodyCopy == nil && hasToken(ip, "articlebody") {
				bodyCopy = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	pm.ld = pickLinkedData(lds)
	pm.structured = structuredCopy(bodyCopy, pm.ld)
	if body := findElement(root, atom.Body); body != nil {
		pm.lines = shortParagraphs(body, maxLineLen)
	}
	return pm
}

// hasToken reports whether the space-separated list v holds tok, ignoring
// case (rel="canonical", rel="Canonical alternate").
func hasToken(v, tok string) bool {
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// first returns the first non-empty meta value among keys.
func (pm pageMeta) first(keys ...string) string {
	for _, k := range keys {
		if v := pm.meta[k]; v != "" {
			return v
		}
	}
	return ""
}

// parseLinkedData returns the typed objects of one JSON-LD script,
// following arrays and @graph.
func parseLinkedData(src string) []linkedData {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return nil
	}
	var out []linkedData
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				visit(e, depth+1)
			}
		case map[string]any:
			if g, ok := x["@graph"]; ok {
				visit(g, depth+1)
			}
			if !isArticleType(x["@type"]) {
				return
			}
			out = append(out, linkedData{
				headline:    str(x["headline"]),
				published:   str(x["datePublished"]),
				modified:    str(x["dateModified"]),
				lang:        str(x["inLanguage"]),
				description: str(x["description"]),
				body:        str(x["articleBody"]),
				authors:     names(x["author"], 0),
			})
		}
	}
	visit(v, 0)
	return out
}

// pickLinkedData merges the article objects of a page, first one first.
func pickLinkedData(lds []linkedData) linkedData {
	var ld linkedData
	for _, x := range lds {
		if ld.headline == "" {
			ld.headline = x.headline
		}
		if ld.published == "" {
			ld.published = x.published
		}
		if ld.modified == "" {
			ld.modified = x.modified
		}
		if ld.lang == "" {
			ld.lang = x.lang
		}
		if ld.description == "" {
			ld.description = x.description
		}
		if ld.body == "" {
			ld.body = x.body
		}
		if len(ld.authors) == 0 {
			ld.authors = x.authors
		}
	}
	return ld
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.HasSuffix(x, "Article") || strings.HasSuffix(x, "Posting") || x == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return str(x[0])
		}
	case map[string]any:
		return str(x["@value"])
	}
	return ""
}

// names returns the person or organisation names in a JSON-LD author.
func names(v any, depth int) []string {
	if depth > 4 {
		return nil
	}
	switch x := v.(type) {
	case string:
		if x = strings.TrimSpace(x); x != "" && !strings.Contains(x, "://") {
			return []string{x}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, names(e, depth+1)...)
		}
		return out
	case map[string]any:
		return names(x["name"], depth+1)
	}
	return nil
}

// headline picks the article's headline: the first <h1> (other than a
// site-name banner) that agrees with a headline the page declares in its
// metadata or with itemprop=headline (visible text wins: metadata often
// lags behind an edited headline), else the itemprop=headline element, else the declared headline, else a lone <h1>,
// else the <title> without its " - Site" suffix.
func (pm pageMeta) headline(fallback string) string {
	itemHead := ""
	if len(pm.itemHead) <= 300 {
		itemHead = pm.itemHead
	}
	declared := []string{itemHead, pm.ld.headline, pm.first("og:title", "twitter:title", "headline"), fallback}
	sites := pm.siteNames()
	for _, h := range pm.h1 {
		if len(h) < 10 || sites[strings.ToLower(h)] {
			continue // a site-name banner, not the story's headline
		}
		for _, d := range declared {
			if d = normalizeText(d); d != "" && sameHeadline(d, h) {
				return h
			}
		}
	}
	if itemHead != "" {
		return itemHead
	}
	if d := normalizeText(pm.ld.headline); d != "" {
		return d
	}
	if d := normalizeText(pm.first("og:title", "twitter:title")); d != "" {
		return d
	}
	if len(pm.h1) == 1 {
		return pm.h1[0]
	}
	t := normalizeText(pm.title)
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(t, sep); i > 0 && len(t)-i < len(t)/2 {
			t = t[:i]
		}
	}
	if t == "" {
		t = fallback
	}
	return t
}

// titleSeparators split a <title> into the story and the site's name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · "}

// sameHeadline reports whether a visible heading h and a declared headline
// d name the same story: one contains the other, or most of the shorter
// one's words are in the longer (a revised headline keeps most words).
func sameHeadline(d, h string) bool {
	d, h = strings.ToLower(d), strings.ToLower(h)
	if strings.Contains(d, h) || strings.Contains(h, d) {
		return true
	}
	dw, hw := strings.Fields(d), strings.Fields(h)
	if len(dw) > len(hw) {
		dw, hw = hw, dw
	}
	if len(dw) < 3 {
		return false
	}
	in := make(map[string]bool, len(hw))
	for _, w := range hw {
		in[w] = true
	}
	shared := 0
	for _, w := range dw {
		if in[w] {
			shared++
		}
	}
	return shared*10 >= len(dw)*7
}

// siteNames returns the lower-cased names the page gives its site: the
// og:site_name and application-name metas, and the suffix of the <title>
// after its last separator ("Story - The Site").
func (pm pageMeta) siteNames() map[string]bool {
	names := map[string]bool{}
	for _, k := range []string{"og:site_name", "application-name"} {
		if v := normalizeText(pm.meta[k]); v != "" {
			names[strings.ToLower(v)] = true
		}
	}
	t := normalizeText(pm.title)
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(t, sep); i > 0 {
			names[strings.ToLower(strings.TrimSpace(t[i+len(sep):]))] = true
		}
	}
	return names
}

// canonicalURL is the page's <link rel=canonical>, else its og:url,
// resolved against the page's URL (and its <base href>, if any). When the
// page URL is unknown a relative reference is returned as written; a URL
// whose scheme is not http or https is dropped.
func (pm pageMeta) canonicalURL(pageURL string) string {
	ref := pm.canonical
	if ref == "" {
		ref = pm.first("og:url")
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := nurl.Parse(ref)
	if err != nil {
		return ""
	}
	base, _ := nurl.Parse(strings.TrimSpace(pageURL))
	if pm.base != "" {
		if b, err := nurl.Parse(pm.base); err == nil {
			if base != nil {
				b = base.ResolveReference(b)
			}
			base = b
		}
	}
	if base != nil && base.IsAbs() {
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.String()
	case "":
		return ref // no page URL to resolve it against
	}
	return ""
}

// description picks the article's standfirst: the visible standfirst
// when it agrees with a description the page declares (visible text wins,
// as for the headline: metadata is often truncated or stale), else the
// first declared one of JSON-LD description, og:description,
// twitter:description and the description meta, else the visible one. A
// description that repeats the headline or a site name is not one; a
// description that is the first body paragraph (or a truncation of it,
// ending in "…") is omitted.
func (pm pageMeta) description(visible, headline string, body []string) string {
	sites := pm.siteNames()
	var declared []string
	for _, v := range []string{pm.ld.description, pm.first("og:description"), pm.first("twitter:description"),
		pm.first("description"), pm.first("dc.description", "dcterms.description")} {
		v = plainText(v)
		if v == "" || strings.EqualFold(v, headline) || sites[strings.ToLower(v)] {
			continue
		}
		declared = append(declared, v)
	}
	visible = normalizeText(visible)
	if strings.EqualFold(visible, headline) {
		visible = ""
	}
	desc := ""
	for _, d := range declared {
		if visible != "" && sameHeadline(trimEllipsis(d), visible) {
			desc = visible
			break
		}
	}
	switch {
	case desc != "":
	case len(declared) > 0:
		desc = declared[0]
	default:
		desc = visible
	}
	if desc != "" && opensBody(desc, body) {
		return ""
	}
	return desc
}

// opensBody reports whether desc merely repeats the opening of the body,
// case aside: it is the first paragraph (or the first few, joined), or,
// marked as cut with an ellipsis, a prefix of the body's text.
func opensBody(desc string, body []string) bool {
	d := strings.ToLower(desc)
	t := trimEllipsis(d)
	var b strings.Builder
	for _, p := range body {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(p))
		if b.String() == d {
			return true
		}
		if b.Len() >= len(d) {
			break
		}
	}
	return t != d && utf8.RuneCountInString(t) >= 20 && strings.HasPrefix(b.String(), t)
}

// trimEllipsis removes a trailing "…", "..." or "[…]" marking a cut.
func trimEllipsis(s string) string {
	t := strings.TrimSpace(s)
	for _, suf := range []string{"[…]", "[...]", "(…)", "…", "..."} {
		t = strings.TrimSpace(strings.TrimSuffix(t, suf))
	}
	return t
}

// plainText is s as one line of text; markup and character references,
// which JSON-LD descriptions sometimes carry, are resolved.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return normalizeText(s)
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return normalizeText(html.UnescapeString(s))
	}
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if n.Type == html.TextNode {
			parts = append(parts, n.Data)
		} else {
			parts = append(parts, textOf(n))
		}
	}
	return normalizeText(strings.Join(parts, " "))
}

// surroundings is what the page shows around its headline: a visible
// standfirst and correction notes, wherever they are. They are read from
// the whole page, before boilerplate is removed.
type surroundings struct {
	standfirst string
	notes      []string
}

// Limits of the visible standfirst.
const (
	standfirstBefore = 10  // elements before the headline it may start at
	standfirstAfter  = 40  // elements after the headline it may start at
	maxStandfirst    = 600 // runes
	maxOutsideNote   = 1500
)

// standfirstClasses mark a standfirst in a class, id or itemprop.
var standfirstClasses = []string{"standfirst", "dek", "summary", "lede", "intro", "description"}

// standfirstNot mark what only looks like one: a caption, a list.
var standfirstNot = []string{"caption", "credit", "image", "photo", "media", "video", "figure", "list", "teaser", "related"}

// noteClasses mark a correction box in a class or id ("_" read as "-").
var noteClasses = []string{"correction", "clarification", "editors-note", "editor-note", "editorsnote", "editornote", "editor-s-note", "eds-note"}

// readSurroundings finds the visible standfirst and the notes outside the
// body. The anchor is the <h1> whose text is headline, else the element
// marked itemprop=headline. The standfirst is the first element (by
// distance in document order: up to 40 elements after the anchor, else up
// to 10 before it) whose class, id or itemprop has a word that starts or
// ends with one of standfirstClasses ("article__dek", "articleSummary",
// itemprop=description), whose class and id name nothing of standfirstNot
// ("image-description"), and that is short prose: at most two paragraphs,
// 4 words or more, at most 600 runes, mostly not link text, not the
// headline, not a date or credit line, not inside a <figure>, <nav>,
// <aside>, <footer>, <form> or list. The notes are read from the
// article's area: the nearest <article>, <main>, role=main or
// role=article element around the anchor (the first <article> or <main>
// of the page when there is no anchor, else the <body>), together with its
// siblings when its parent is not the <body>. In that area, a note is an
// element whose class or id names one (noteClasses) and that holds 5 words
// or more of text, mostly not links, at most 1,500 runes; or a paragraph
// that notes.Is recognises (its update labels aside, which count only at the
// edges of the body).
func readSurroundings(root *html.Node, headline string) surroundings {
	var sr surroundings
	anchor := headlineElement(root, headline)
	area := articleArea(root, anchor)
	if anchor != nil {
		sr.standfirst = findStandfirst(root, anchor, headline)
	}
	if area == nil {
		return sr
	}
	seen := map[string]bool{}
	inBox := map[string]bool{} // the paragraphs of the boxes, seen as a whole
	add := func(n string) {
		if k := strings.ToLower(n); n != "" && !seen[k] {
			seen[k] = true
			sr.notes = append(sr.notes, n)
		}
	}
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || n.Type != html.ElementNode || skipped[tag(n)] || isHidden(n) {
			return
		}
		switch tag(n) {
		case atom.Nav, atom.Form, atom.A, atom.Button:
			return
		}
		if hasClass(n, noteClasses) {
			for _, note := range boxNotes(n) {
				add(note)
			}
			for _, p := range paragraphs(n) {
				inBox[strings.ToLower(p)] = true
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	for _, n := range area {
		walk(n, 0)
		for _, p := range paragraphs(n) {
			if !inBox[strings.ToLower(p)] && notes.Is(p, false) {
				add(p)
			}
		}
	}
	return sr
}

// headlineElement is the first <h1> whose text is headline, else the first
// element marked itemprop=headline, or nil.
func headlineElement(root *html.Node, headline string) *html.Node {
	var h1, item *html.Node
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || h1 != nil {
			return
		}
		if n.Type == html.ElementNode {
			if skipped[tag(n)] {
				return
			}
			if tag(n) == atom.H1 && headline != "" && strings.EqualFold(textOf(n), headline) {
				h1 = n
				return
			}
			if item == nil && strings.EqualFold(attr(n, "itemprop"), "headline") {
				item = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	if h1 != nil {
		return h1
	}
	return item
}

// articleArea returns the elements where the article's notes are looked
// for (see readSurroundings).
func articleArea(root, anchor *html.Node) []*html.Node {
	isArea := func(n *html.Node) bool {
		switch tag(n) {
		case atom.Article, atom.Main:
			return true
		}
		r := strings.ToLower(attr(n, "role"))
		return r == "main" || r == "article"
	}
	var box *html.Node
	if anchor != nil {
		for p := anchor.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
			if isArea(p) {
				box = p
				break
			}
		}
	}
	if box == nil {
		if box = findElement(root, atom.Article); box == nil {
			box = findElement(root, atom.Main)
		}
	}
	if box == nil {
		if b := findElement(root, atom.Body); b != nil {
			return []*html.Node{b}
		}
		return nil
	}
	if p := box.Parent; p != nil && p.Type == html.ElementNode && tag(p) != atom.Body && tag(p) != atom.Html {
		var out []*html.Node
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				out = append(out, c)
			}
		}
		return out
	}
	return []*html.Node{box}
}

// findStandfirst returns the text of the visible standfirst near anchor,
// or "".
func findStandfirst(root, anchor *html.Node, headline string) string {
	type cand struct {
		at   int
		text string
	}
	var before, after *cand
	i, anchorAt := 0, -1
	var walk func(n *html.Node, depth int, banned bool)
	walk = func(n *html.Node, depth int, banned bool) {
		if depth > maxDepth || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if n.Type == html.ElementNode {
			if skipped[tag(n)] || isHidden(n) {
				return
			}
			i++
			switch tag(n) {
			case atom.Figure, atom.Figcaption, atom.Nav, atom.Aside, atom.Footer, atom.Form, atom.Ul, atom.Ol:
				banned = true
			}
			if n == anchor {
				anchorAt = i
				return // not inside the headline
			}
			if !banned && !contains(n, anchor) && hasClassWord(n, standfirstClasses) && !hasClass(n, standfirstNot) {
				if t := standfirstText(n, headline); t != "" {
					switch {
					case anchorAt < 0:
						before = &cand{i, t} // the last one before the anchor
					case anchorAt >= 0 && after == nil && i-anchorAt <= standfirstAfter:
						after = &cand{i, t}
					}
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, banned)
			if after != nil {
				return
			}
		}
	}
	walk(root, 0, false)
	switch {
	case after != nil:
		return after.text
	case before != nil && anchorAt >= 0 && anchorAt-before.at <= standfirstBefore:
		return before.text
	}
	return ""
}

// standfirstText returns the text of a standfirst candidate, or "" when it
// is not short prose.
func standfirstText(n *html.Node, headline string) string {
	ps := paragraphs(n)
	if len(ps) == 0 || len(ps) > 2 {
		return ""
	}
	t := strings.Join(ps, " ")
	if utf8.RuneCountInString(t) > maxStandfirst || letterWords(t) < 4 || strings.EqualFold(t, headline) ||
		linkRunes(n)*2 > utf8.RuneCountInString(t) {
		return ""
	}
	if _, _, ok := dateLine(t); ok || visibleByline(t) != "" || isBareDate(t) {
		return ""
	}
	return t
}

// boxNotes returns the notes of an element marked as a correction box: its
// paragraphs that are notes, when two or more are, else all of its text as
// one note (a heading such as "Correction" joined to what follows by a
// colon).
func boxNotes(n *html.Node) []string {
	ps := paragraphs(n)
	var found []string
	for _, p := range ps {
		if notes.Is(p, false) {
			found = append(found, p)
		}
	}
	if len(found) >= 2 {
		return found
	}
	if len(ps) == 0 {
		return nil
	}
	t := ps[0]
	if len(ps) > 1 {
		sep := " "
		if letterWords(ps[0]) <= 4 && !strings.ContainsAny(ps[0][len(ps[0])-1:], ".:!?—–-") {
			sep = ": "
		}
		t += sep + strings.Join(ps[1:], " ")
	}
	if utf8.RuneCountInString(t) > maxOutsideNote || letterWords(t) < 5 || linkRunes(n)*2 > utf8.RuneCountInString(t) {
		return nil
	}
	return []string{t}
}

// hasClass reports whether n's class or id contains one of names,
// lower-cased, "_" read as "-".
func hasClass(n *html.Node, names []string) bool {
	v := attr(n, "class") + " " + attr(n, "id")
	if strings.TrimSpace(v) == "" {
		return false
	}
	v = strings.ReplaceAll(strings.ToLower(v), "_", "-")
	for _, name := range names {
		if strings.Contains(v, name) {
			return true
		}
	}
	return false
}

// hasClassWord reports whether a word of n's class, id or itemprop (split
// at anything but letters and digits, lower-cased) starts or ends with one
// of names: "article__dek" and "articleDek" name a dek, "sidekick" does not.
func hasClassWord(n *html.Node, names []string) bool {
	v := strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop"))
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for _, name := range names {
			if strings.HasPrefix(w, name) || strings.HasSuffix(w, name) {
				return true
			}
		}
	}
	return false
}

// contains reports whether n is an ancestor of m (or m itself).
func contains(n, m *html.Node) bool {
	for ; m != nil; m = m.Parent {
		if m == n {
			return true
		}
	}
	return false
}

// linkRunes counts the runes of visible text inside links under n.
func linkRunes(n *html.Node) int {
	total := 0
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && tag(n) == atom.A {
			total += utf8.RuneCountInString(textOf(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return total
}

// letterWords counts the words of s that hold a letter, as the diff
// package counts them: a word is a run of letters, digits and marks (an
// apostrophe between letters stays inside it), or a single Han, Hiragana
// or Katakana character.
func letterWords(s string) int {
	words, inWord, letter := 0, false, false
	end := func() {
		if inWord && letter {
			words++
		}
		inWord, letter = false, false
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			end()
			words++
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			inWord = true
			letter = letter || unicode.IsLetter(r)
		case (r == '\'' || r == '’') && inWord && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			// inside the word
		default:
			end()
		}
	}
	end()
	return words
}

// bodyNotes returns the paragraphs of the body that are correction notes.
func bodyNotes(ps []string) []string {
	var out []string
	for i, p := range ps {
		if notes.Is(p, i == 0 || i == len(ps)-1) {
			out = append(out, p)
		}
	}
	return out
}
