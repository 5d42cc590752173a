package extract

import "strings"

// Document is what the extractor sees in a page: the article's metadata and
// its body paragraphs, in reading order, as plain text.
type Document struct {
	Title      string   `json:"title,omitempty"`
	Byline     string   `json:"byline,omitempty"`
	Published  string   `json:"published,omitempty"` // as normalised by the extractor, e.g. "2014-03-29" or RFC 3339
	Updated    string   `json:"updated,omitempty"`
	Lang       string   `json:"lang,omitempty"`
	Paragraphs []string `json:"paragraphs"`
}

// Canonical returns the document's canonical text, the form that is stored
// and compared:
//
//	# <headline>
//	By: <byline>
//	Published: <date>
//	Updated: <date>
//
//	<paragraph>
//
//	<paragraph>
//
// Absent fields are omitted; paragraphs are separated by one blank line; the
// text ends with a single newline (an empty document gives "").
func (d Document) Canonical() string {
	var b strings.Builder
	head := false
	field := func(prefix, v string) {
		if v != "" {
			b.WriteString(prefix)
			b.WriteString(v)
			b.WriteByte('\n')
			head = true
		}
	}
	field("# ", d.Title)
	field("By: ", d.Byline)
	field("Published: ", d.Published)
	field("Updated: ", d.Updated)
	for i, p := range d.Paragraphs {
		if head || i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.String()
}
