package extract

import (
	"fmt"
	nurl "net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// extractArticle finds the article in a parsed page. The metadata is read
// from the whole page first; boilerplate is then removed from the tree,
// go-trafilatura picks the main content, and the paragraphs it returns are
// filtered once more (see boilerplate.go). It also returns the fingerprint
// of what go-trafilatura receives (see fingerprint.go); Extractor.probe
// computes the same one in fewer steps.
func extractArticle(root *html.Node, page []byte, pageURL string, tr *trace) (d Document, fp string) {
	pm := readMeta(root)
	// What surrounds the headline (standfirst, correction boxes) is read
	// before boilerplate removal, which may take it away.
	sr := readSurroundings(root, pm.headline(""))
	gone := removeBoilerplate(root, tr, nil)
	fp = fingerprint(pm, root)

	opts := trafilatura.Options{
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // dates are ours; htmldate is slow
		Focus:           trafilatura.Balanced,
	}
	if u, err := nurl.Parse(pageURL); err == nil && u.Scheme != "" && u.Host != "" {
		opts.OriginalURL = u
	}
	var body []string
	var tm trafilatura.Metadata
	if res, err := safeTrafilatura(root, opts); err == nil && res != nil {
		tm = res.Metadata
		if res.ContentNode != nil {
			body = paragraphs(res.ContentNode)
		}
	}
	// When go-trafilatura falls back to its baseline it returns a whole
	// <article> as one paragraph; the paragraphs are taken from the page.
	if len(body) == 1 {
		if el := elementWithText(root, body[0]); el != nil {
			body = paragraphs(el)
		}
	}
	body = withSiblingChunks(root, body)
	body = withEmbeddedPosts(root, body)
	// go-trafilatura's scoring sometimes falls over once the boilerplate is
	// gone (a paywalled stub next to a big footer). When the cleaned page
	// gives almost nothing, the untouched page is tried as well; what the
	// cleaning removed stays out, so a short page's teasers cannot come
	// back through this door.
	if runes(body) < minBody {
		if orig, err := parseHTML(page); err == nil {
			if res, err := safeTrafilatura(orig, opts); err == nil && res != nil && res.ContentNode != nil {
				alt := paragraphs(res.ContentNode)
				if len(alt) == 1 {
					// One glued block (go-trafilatura's baseline) is taken
					// apart on the page, and not trusted if it cannot be.
					if el := elementWithText(orig, alt[0]); el != nil {
						alt = paragraphs(el)
					} else if len(body) > 0 {
						alt = nil
					}
				}
				if alt = withoutTexts(alt, gone); runes(alt) > runes(body) {
					body, tm = alt, res.Metadata
				}
			}
		}
	}

	d = Document{
		Title:  pm.headline(tm.Title),
		Byline: pm.byline(tm.Author),
		Lang:   pm.language(tm.Language),
	}
	dt := pm.dates()
	d.Published, d.Updated = dt.published, dt.updated
	d.PublishedText, d.UpdatedText = normalizeText(dt.publishedText), normalizeText(dt.updatedText)
	d.Paragraphs = filterBody(body, d)
	d.Description = pm.description(sr.standfirst, d.Title, d.Paragraphs)
	d.CanonicalURL = normalizeText(pm.canonicalURL(pageURL))
	d.Notes = mergeNotes(bodyNotes(d.Paragraphs), sr.notes)
	d.PageTitle = pm.pageTitleField(d.Title)
	visible := append([]string{d.Title, d.Description}, d.Paragraphs...)
	d.Structured = declaredOnly(pm.structured, append(visible, d.Notes...))
	return d, fp
}

// withoutTexts drops from ps the paragraphs found in the removed elements.
func withoutTexts(ps []string, removed []*html.Node) []string {
	if len(removed) == 0 || len(ps) == 0 {
		return ps
	}
	drop := make(map[string]bool)
	for _, n := range removed {
		for _, p := range paragraphs(n) {
			drop[p] = true
		}
	}
	out := ps[:0:0]
	for _, p := range ps {
		if !drop[p] {
			out = append(out, p)
		}
	}
	return out
}

// mergeNotes returns the body's notes, then those found outside it that
// are not among them (case aside).
func mergeNotes(body, outside []string) []string {
	seen := make(map[string]bool, len(body))
	out := make([]string, 0, len(body)+len(outside))
	for _, n := range body {
		seen[strings.ToLower(n)] = true
		out = append(out, n)
	}
	for _, n := range outside {
		if n = normalizeText(n); n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// minBody is the body length, in runes, under which extraction is retried
// on the page as it came.
const minBody = 250

func runes(ps []string) int {
	n := 0
	for _, p := range ps {
		n += utf8.RuneCountInString(p)
	}
	return n
}

// safeTrafilatura runs go-trafilatura and turns a panic inside it into an
// error: the extractor must not crash on hostile input.
func safeTrafilatura(root *html.Node, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("extract: trafilatura panicked: %v", r)
		}
	}()
	return trafilatura.ExtractDocument(root, opts)
}

// language is <html lang>, else JSON-LD inLanguage, else the language
// go-trafilatura detected.
func (pm pageMeta) language(detected string) string {
	for _, l := range []string{pm.lang, pm.ld.lang, pm.first("og:locale", "content-language", "language", "dc.language"), detected} {
		if l = strings.TrimSpace(l); l != "" {
			return strings.ReplaceAll(l, "_", "-")
		}
	}
	return ""
}

// dates returns the published and updated dates, each from the first
// source that has one: visible lines, JSON-LD, meta tags, <time>; with the
// text each was read from.
func (pm pageMeta) dates() dateStamp {
	mf := pm.monthFirst()
	var line dateStamp
	for _, l := range pm.lines {
		if st, ok := readDateLine(l, mf); ok {
			if line.published == "" {
				line.published, line.publishedText = st.published, st.publishedText
			}
			if line.updated == "" {
				line.updated, line.updatedText = st.updated, st.updatedText
			}
		}
	}
	// What the reader sees comes first: a visible "Latest update : …" line
	// is the page's own account of its edits, while structured data is
	// often stale or regenerated with the page.
	var st dateStamp
	st.published, st.publishedText = line.published, line.publishedText
	if st.published == "" {
		st.published, st.publishedText = firstDate(mf, pm.ld.published,
			pm.first("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
				"publish-date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date", "parsely-pub-date",
				"sailthru.date", "date", "article.published", "cxenseparse:recs:publishtime"),
			pm.timePub)
	}
	st.updated, st.updatedText = line.updated, line.updatedText
	if st.updated == "" {
		st.updated, st.updatedText = firstDate(mf, pm.ld.modified,
			pm.first("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
				"dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated"),
			pm.timeMod)
	}
	return st
}

// monthFirst reports whether the page's declared language names a region
// that writes numeric dates month first (see monthFirstRegions). The
// language is looked for as in language, detection aside.
func (pm pageMeta) monthFirst() bool {
	for _, l := range []string{pm.lang, pm.ld.lang, pm.first("og:locale", "content-language", "language", "dc.language")} {
		if l = strings.TrimSpace(l); l != "" {
			return monthFirst(l)
		}
	}
	return false
}

// firstDate returns the first candidate that is a date, normalised, and
// the candidate as written.
func firstDate(monthFirst bool, candidates ...string) (date, text string) {
	for _, c := range candidates {
		if v := parseDate(c, monthFirst); v != "" {
			return v, c
		}
	}
	return "", ""
}

// filterBody drops the paragraphs of the extracted body that are not
// article text: the headline repeated, date and credit lines, labels,
// "Read more: …" boxes, stamps and counters.
func filterBody(ps []string, d Document) []string {
	out := make([]string, 0, len(ps))
	for i, p := range ps {
		p = normalizeText(p)
		switch {
		case p == "":
		case i < 4 && d.Title != "" && strings.EqualFold(p, d.Title):
		case len(p) <= 60 && label.MatchString(strings.Trim(p, labelTrim)):
		case readMoreText.MatchString(p) && len(p) < 220:
		case len(p) <= 120 && (stampLine.MatchString(p) || taxonomyLine.MatchString(p)):
		case isBylineParagraph(p, i, len(ps), d.Byline):
		default:
			if _, _, ok := dateLine(p); ok || isBareDate(p) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// elementWithText returns the innermost element whose visible text is
// text, white space aside, or nil.
func elementWithText(root *html.Node, text string) *html.Node {
	want := squeeze(text)
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
		if found == nil && n.Type == html.ElementNode && b.Len() == len(want) && b.String() == want {
			found = n
		}
		return b.String()
	}
	walk(root, 0)
	return found
}

// squeeze removes all white space from s, after normalising it.
func squeeze(s string) string {
	return strings.Join(strings.Fields(dropInvisible(norm.NFC.String(s))), "")
}

// isBareDate reports whether a paragraph is nothing but a date, with an
// optional time ("23 Nov 2017", "NOVEMBER 20, 2019 10:43"): a dateline the
// Published and Updated fields already carry, not article text.
func isBareDate(p string) bool {
	if len(p) > 40 || normalizeDate(p) == "" {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if months[w] == 0 && months[strings.TrimSuffix(w, ".")] == 0 && !clockWords[w] {
			return false
		}
	}
	return true
}

// clockWords may stand beside a time in a bare dateline.
var clockWords = map[string]bool{"am": true, "pm": true, "utc": true, "gmt": true, "h": true}

// withSiblingChunks adds the chunks of a body that the page split into
// sibling containers of one kind, interleaved with ads or promos
// (div.article__body, ad, div.article__body): go-trafilatura keeps the
// richest chunk only. Starting from the element holding the first body
// paragraph, it looks up to maxChunkDepth ancestors for one that has
// same-tag, same-class siblings, and when that chunk holds the whole body,
// adds the other chunks that read as prose.
func withSiblingChunks(root *html.Node, body []string) []string {
	if len(body) == 0 {
		return body
	}
	e := elementWithText(root, body[0])
	for depth := 0; e != nil && e.Parent != nil && depth < maxChunkDepth; e, depth = e.Parent, depth+1 {
		class := attr(e, "class")
		if class == "" || blocks[tag(e)] && tag(e) != atom.Div && tag(e) != atom.Section {
			continue
		}
		var chunks []*html.Node
		for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && s.Data == e.Data && attr(s, "class") == class {
				chunks = append(chunks, s)
			}
		}
		if len(chunks) < 2 {
			continue
		}
		// go-trafilatura's own paragraphs stand for e's chunk (it has
		// filtered captions and promos there); the others are added around
		// them in page order.
		var before, after []string
		seen := false
		for _, c := range chunks {
			switch ps := paragraphs(c); {
			case c == e:
				seen = true
				if !coversAll(ps, body) {
					return body
				}
			case !isProseChunk(c, ps):
			case seen:
				after = append(after, withoutLinkLines(c, ps)...)
			default:
				before = append(before, withoutLinkLines(c, ps)...)
			}
		}
		if runes(before)+runes(after) < minChunkGain {
			return body
		}
		return append(append(before, body...), after...)
	}
	return body
}

const (
	// maxChunkDepth bounds how far above the first paragraph the chunk
	// container may be.
	maxChunkDepth = 4
	// minChunkGain is how much prose, in runes, other chunks must add.
	minChunkGain = 200
	// minChunkParagraph is the mean paragraph length, in runes, of a chunk
	// that reads as article text.
	minChunkParagraph = 80
)

// isProseChunk reports whether a sibling chunk reads as article text: long
// paragraphs on average, few of its words in links. An author box or a
// share bar that shares the body's class does not.
func isProseChunk(n *html.Node, ps []string) bool {
	total := runes(ps)
	if len(ps) == 0 || total/len(ps) < minChunkParagraph {
		return false
	}
	return linkRunes(n)*4 < total
}

// withoutLinkLines drops the paragraphs of n that are at least half link
// text or items of a list of links, and the heading before them, such as a
// "More stories" list at the end of a chunk.
func withoutLinkLines(n *html.Node, ps []string) []string {
	linky := map[string]bool{}
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if blocks[tag(n)] {
			if t := textOf(n); t != "" && linkRunes(n)*2 >= utf8.RuneCountInString(t) {
				linky[squeeze(t)] = true
			}
		}
		if a := tag(n); (a == atom.Ul || a == atom.Ol) && isLinkList(n) {
			for li := n.FirstChild; li != nil; li = li.NextSibling {
				if t := textOf(li); t != "" {
					linky[squeeze(t)] = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	out := ps[:0:0]
	for i, p := range ps {
		switch {
		case linky[squeeze(p)]:
		case i+1 < len(ps) && linky[squeeze(ps[i+1])] && isHeading(p):
			// The heading of a link list ("More Great Stories").
		default:
			out = append(out, p)
		}
	}
	return out
}

// isLinkList reports whether every item of a list holds a link and links
// make at least 40% of its text: a list of stories, not of points.
func isLinkList(n *html.Node) bool {
	items := 0
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || tag(li) != atom.Li {
			continue
		}
		items++
		if linkRunes(li) == 0 {
			return false
		}
	}
	t := utf8.RuneCountInString(textOf(n))
	return items >= 2 && linkRunes(n)*5 >= t*2
}

// isHeading reports whether a paragraph reads as a short heading: no
// sentence punctuation at its end, at most 60 runes.
func isHeading(p string) bool {
	return utf8.RuneCountInString(p) <= 60 && !strings.ContainsAny(p[len(p)-1:], ".!?:;,\"”")
}

// coversAll reports whether every paragraph of want is among have.
func coversAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, p := range have {
		set[squeeze(p)] = true
	}
	for _, p := range want {
		if !set[squeeze(p)] {
			return false
		}
	}
	return true
}
