package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Mode selects what part of a page the extractor keeps.
type Mode string

// The extraction modes. The zero value "" means ModeArticle.
const (
	ModeArticle  Mode = "article"  // the article: headline, byline, dates, language, body
	ModeText     Mode = "text"     // all visible text, one paragraph per block
	ModeSelector Mode = "selector" // the text of the elements matching Options.Select
	ModeRaw      Mode = "raw"      // the body as plain text, one paragraph per line
)

// Options configures an Extractor. The zero value extracts the article.
type Options struct {
	// Mode is the extraction mode; "" means ModeArticle.
	Mode Mode
	// Select lists CSS selectors; in selector mode the text of the matching
	// elements is kept, in document order. Required in selector mode, and
	// rejected in the other modes.
	Select []string
	// Exclude lists CSS selectors; matching elements are removed before
	// extraction in every HTML mode (not in raw mode).
	Exclude []string
	// Ignore lists regular expressions (Go RE2 syntax); a paragraph that
	// any of them matches (anywhere in it, unless anchored) is dropped.
	// They apply to paragraphs only, never to the headline, byline or dates.
	Ignore []string
}

// Input is one fetched page.
type Input struct {
	Body        []byte // the page, already decoded to UTF-8
	URL         string // the page's final URL; may be empty
	ContentType string // the media type from the response; may be empty
}

// Extractor turns pages into Documents according to its Options. It is
// immutable once built and safe for concurrent use.
type Extractor struct {
	mode    Mode
	sel     []cascadia.Matcher // Options.Select, compiled
	exclude []cascadia.Matcher // Options.Exclude, compiled
	ignore  []*regexp.Regexp
}

// New validates opts and compiles its selectors and regular expressions.
// The error names the offending mode, selector or expression.
func New(opts Options) (*Extractor, error) {
	e := &Extractor{mode: opts.Mode}
	switch opts.Mode {
	case "":
		e.mode = ModeArticle
	case ModeArticle, ModeText, ModeSelector, ModeRaw:
	default:
		return nil, fmt.Errorf("extract: unknown mode %q (want article, text, selector or raw)", opts.Mode)
	}
	switch {
	case e.mode == ModeSelector && len(opts.Select) == 0:
		return nil, fmt.Errorf("extract: selector mode needs at least one select selector")
	case e.mode != ModeSelector && len(opts.Select) > 0:
		return nil, fmt.Errorf("extract: select selectors %q need selector mode, not %s mode", opts.Select, e.mode)
	case e.mode == ModeRaw && len(opts.Exclude) > 0:
		return nil, fmt.Errorf("extract: exclude selectors %q do not apply in raw mode", opts.Exclude)
	}
	var err error
	if e.sel, err = compileSelectors("select", opts.Select); err != nil {
		return nil, err
	}
	if e.exclude, err = compileSelectors("exclude", opts.Exclude); err != nil {
		return nil, err
	}
	for _, expr := range opts.Ignore {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("extract: ignore: invalid regular expression %q: %w", expr, err)
		}
		e.ignore = append(e.ignore, re)
	}
	return e, nil
}

func compileSelectors(what string, list []string) ([]cascadia.Matcher, error) {
	var out []cascadia.Matcher
	for _, s := range list {
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("extract: %s: empty CSS selector", what)
		}
		sel, err := cascadia.ParseGroup(s)
		if err != nil {
			return nil, fmt.Errorf("extract: %s: invalid CSS selector %q: %w", what, s, err)
		}
		out = append(out, sel)
	}
	return out, nil
}

// Extract builds the Document of one page. It returns an error only when
// the page cannot be parsed at all; a page with no recognisable text gives
// a Document without paragraphs, and the caller decides what that means.
func (e *Extractor) Extract(in Input) (Document, error) {
	var doc Document
	if e.mode == ModeRaw {
		doc = extractRaw(in.Body)
	} else {
		root, err := parseHTML(in.Body)
		if err != nil {
			return Document{}, err
		}
		removeMatching(root, e.exclude)
		switch e.mode {
		case ModeText:
			doc = extractText(root)
		case ModeSelector:
			doc = extractSelected(root, e.sel)
		default:
			doc = extractArticle(root, in.Body, in.URL)
		}
	}
	doc = normalizeDocument(doc)
	doc.Paragraphs = e.dropIgnored(doc.Paragraphs)
	return doc, nil
}

// dropIgnored removes the paragraphs matched by an Ignore expression.
func (e *Extractor) dropIgnored(ps []string) []string {
	if len(e.ignore) == 0 {
		return ps
	}
	out := ps[:0]
next:
	for _, p := range ps {
		for _, re := range e.ignore {
			if re.MatchString(p) {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
}

// parseHTML parses a page. The x/net/html parser rejects trees nested more
// than 512 elements deep; that, and only that kind of failure, is an error.
func parseHTML(body []byte) (root *html.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("extract: parse html: %v", r)
		}
	}()
	root, err = html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	return root, nil
}

// removeMatching detaches every element matched by one of sels.
func removeMatching(root *html.Node, sels []cascadia.Matcher) {
	for _, s := range sels {
		for _, n := range cascadia.QueryAll(root, s) {
			if n.Parent != nil {
				n.Parent.RemoveChild(n)
			}
		}
	}
}
