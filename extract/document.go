package extract

import "strings"

// Document is what the extractor sees in a page: the article's metadata and
// its body paragraphs, in reading order, as plain text.
//
// Only Title, PageTitle, Byline, Published, Updated, Structured and
// Paragraphs are part of the canonical text (see Canonical), the text that
// is compared; the other fields are kept with the stored document and
// shown, but a change in them alone is not a change of the page.
// PageTitle, Structured, Description, CanonicalURL, PublishedText,
// UpdatedText and Notes are filled in article mode only.
type Document struct {
	// Version is the canonical form's version the document was made with:
	// the extractor leaves it 0, and whoever stores the document sets it
	// to FormatVersion, so that a stored revision tells a change of the
	// page from a change of the extractor.
	Version int    `json:"version,omitempty"`
	Title   string `json:"title,omitempty"`
	// PageTitle is the page's <title>, without a " - Site" suffix, when
	// it is not the headline (a search-engine headline); "" when it is.
	PageTitle string `json:"page_title,omitempty"`
	Byline    string `json:"byline,omitempty"`
	// Published and Updated are as normalised by the extractor:
	// "2014-03-29" when only the day is known, RFC 3339 when a time is. A
	// time the page gives without a zone is taken as UTC (see
	// PublishedText for what the page said).
	Published string `json:"published,omitempty"`
	Updated   string `json:"updated,omitempty"`
	// PublishedText and UpdatedText are the text the dates were read from,
	// white space folded: a visible line as shown ("Latest update :
	// 2014-03-29"), or a JSON-LD, meta or <time datetime> value as written
	// ("2014-03-29T10:23:00"). Empty when the date is.
	PublishedText string `json:"published_text,omitempty"`
	UpdatedText   string `json:"updated_text,omitempty"`
	Lang          string `json:"lang,omitempty"`
	// Description is the article's standfirst or summary, from its
	// metadata (JSON-LD description, og:description, twitter:description,
	// meta description) or a visible standfirst near the headline; omitted
	// when it merely repeats the first paragraph.
	Description string `json:"description,omitempty"`
	// CanonicalURL is the page's <link rel=canonical>, else its og:url,
	// resolved against Input.URL.
	CanonicalURL string `json:"canonical_url,omitempty"`
	// Notes are the correction and editor's notes of the article, one
	// line each: body paragraphs that are notes (they stay in Paragraphs
	// too) and notes found outside the body, near the article.
	Notes []string `json:"notes,omitempty"`
	// Structured holds the sentences of the article's structured copy
	// (schema.org itemprop=articleBody, often hidden, or JSON-LD
	// articleBody) that the visible article does not contain: nothing
	// when the copy repeats the article, the edited sentence when the
	// copy alone was edited. At most 20.
	Structured []string `json:"structured,omitempty"`
	Paragraphs []string `json:"paragraphs"`
}

// FormatVersion is the version of the canonical form. It goes up whenever a
// change of the extractor changes the canonical text of pages that did not
// change (a field added to the header, a rule that keeps or drops other
// blocks), so that the first revision after an upgrade can be told apart
// from an edit. Documents stored without a version are version 1.
//
//   - 2: the "Page title: " and "Structured data: " header fields.
const FormatVersion = 2

// Canonical returns the document's canonical text, the form that is stored
// and compared:
//
//	# <headline>
//	Page title: <title>
//	By: <byline>
//	Published: <date>
//	Updated: <date>
//	Structured data: <sentence>
//	Structured data: <sentence>
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
	field("Page title: ", d.PageTitle)
	field("By: ", d.Byline)
	field("Published: ", d.Published)
	field("Updated: ", d.Updated)
	for _, s := range d.Structured {
		field("Structured data: ", s)
	}
	for i, p := range d.Paragraphs {
		if head || i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.String()
}
