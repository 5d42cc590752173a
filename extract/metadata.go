package extract

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the page says about its article outside the body text:
// JSON-LD, meta tags, headings, <time> elements and short visible lines.
// It is read from the whole page, before boilerplate is removed.
type pageMeta struct {
	ld        linkedData
	meta      map[string]string // lower-cased name/property/itemprop -> first content
	title     string            // <title>
	h1        []string
	itemHead  string // the text of the first element marked itemprop=headline
	lang      string // <html lang>
	relAuthor string
	timePub   string // <time itemprop=datePublished> or <time pubdate>
	timeMod   string // <time itemprop=dateModified>
	lines     []string
}

// linkedData is the article object of the page's JSON-LD.
type linkedData struct {
	headline, published, modified, lang string
	authors                             []string
}

// maxLineLen bounds the visible lines kept for date and byline detection.
const maxLineLen = 160

func readMeta(root *html.Node) pageMeta {
	pm := pageMeta{meta: map[string]string{}, title: pageTitle(root), lang: htmlLang(root)}
	var lds []linkedData
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
		}
		if pm.itemHead == "" && n.Type == html.ElementNode && strings.EqualFold(attr(n, "itemprop"), "headline") {
			pm.itemHead = textOf(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	pm.ld = pickLinkedData(lds)
	if body := findElement(root, atom.Body); body != nil {
		for _, p := range paragraphs(body) {
			if len(p) <= maxLineLen {
				pm.lines = append(pm.lines, p)
			}
		}
	}
	return pm
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
				headline:  str(x["headline"]),
				published: str(x["datePublished"]),
				modified:  str(x["dateModified"]),
				lang:      str(x["inLanguage"]),
				authors:   names(x["author"], 0),
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
