package extract

import (
	"regexp"
	"strings"
)

// bylineLine matches a visible credit line: "By Jane Doe", "Text by FRANCE
// 24", "Par Jean Dupont", "Von Hans Müller".
var bylineLine = regexp.MustCompile(`(?i)^(?:text|words|story|written|reporting|report|article|interview|photos? and text)?\s*` +
	`(?:by|par|von|por|di|door|av|от)\s*:?\s+(\S.{0,78})$`)

// bylinePrefix strips a leading "By " from a declared author.
var bylinePrefix = regexp.MustCompile(`(?i)^(?:(?:text |written )?(?:by|par|von|por)|текст|автор)\s*:?\s+`)

// byline picks the article's credit: JSON-LD author, meta author, a visible
// "By …" line near the top of the page, a rel=author link, or the author
// go-trafilatura found.
func (pm pageMeta) byline(fallback string) string {
	if len(pm.ld.authors) > 0 {
		return cleanByline(strings.Join(dedupe(pm.ld.authors), ", "))
	}
	for _, k := range []string{"author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator"} {
		if v := pm.meta[k]; v != "" && !strings.Contains(v, "://") {
			return cleanByline(v)
		}
	}
	for _, l := range pm.lines {
		if name := visibleByline(l); name != "" {
			return name
		}
	}
	if pm.relAuthor != "" {
		return cleanByline(pm.relAuthor)
	}
	return cleanByline(fallback)
}

// visibleByline returns the name in a "By …" line, or "".
func visibleByline(line string) string {
	parts := splitStamp(line)
	if len(parts) == 0 {
		return ""
	}
	m := bylineLine.FindStringSubmatch(parts[0])
	if m == nil {
		return ""
	}
	name := cleanByline(m[1])
	// A name is a few words, most of them capitalised; "By Friday, the
	// troops had left" is prose.
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 6 || strings.ContainsAny(name, ".!?;") && !strings.Contains(name, ". ") {
		return ""
	}
	caps := 0
	for _, w := range words {
		r := []rune(w)[0]
		if strings.ToUpper(string(r)) == string(r) {
			caps++
		}
	}
	if caps*2 < len(words) {
		return ""
	}
	return name
}

func cleanByline(s string) string {
	s = normalizeText(s)
	s = bylinePrefix.ReplaceAllString(s, "")
	return strings.TrimRight(s, " ,;|")
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		x = normalizeText(x)
		if x != "" && !seen[strings.ToLower(x)] {
			seen[strings.ToLower(x)] = true
			out = append(out, x)
		}
	}
	return out
}

// isBylineParagraph reports whether paragraph i of n is the credit line.
func isBylineParagraph(p string, i, n int, byline string) bool {
	if len(p) > 100 {
		return false
	}
	edge := i < 4 || i >= n-2
	if byline != "" && strings.EqualFold(p, byline) && edge {
		return true
	}
	name := visibleByline(p)
	if name == "" {
		return false
	}
	if edge {
		return true
	}
	lp, lb := strings.ToLower(name), strings.ToLower(byline)
	return lb != "" && (strings.Contains(lp, lb) || strings.Contains(lb, lp))
}
