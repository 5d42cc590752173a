package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"

	"golang.org/x/net/html"

	"github.com/redlinehq/redline/internal/jsonpath"
)

// Mode selects what part of a page the extractor keeps.
type Mode string

// The extraction modes. The zero value "" means ModeArticle.
const (
	ModeArticle  Mode = "article"  // the article: headline, byline, dates, language, body
	ModeText     Mode = "text"     // all visible text, one paragraph per block
	ModeSelector Mode = "selector" // the text of the elements matching Options.Select
	ModeRaw      Mode = "raw"      // the body as plain text, one paragraph per line
	ModeJSON     Mode = "json"     // the body as JSON: the values at Options.Select, or every leaf
)

// Options configures an Extractor. The zero value extracts the article.
type Options struct {
	// Mode is the extraction mode; "" means ModeArticle.
	Mode Mode
	// Select lists, in selector mode, CSS selectors and XPath 1.0
	// expressions (an entry starting with "/", "./" or "(" is XPath); the
	// text of the matching elements is kept, in document order. In json
	// mode it lists gjson paths whose values are kept. Required in selector
	// mode, optional in json mode, rejected in the other modes.
	Select []string
	// Exclude lists CSS selectors and XPath expressions, as Select does;
	// matching elements are removed before extraction in every HTML mode
	// (not in raw or json mode).
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
	sel     []selector // Options.Select, compiled (selector mode)
	paths   []string   // Options.Select, checked (json mode)
	exclude []selector // Options.Exclude, compiled
	ignore  []*regexp.Regexp
}

// New validates opts and compiles its selectors and regular expressions.
// The error names the offending mode, selector or expression.
func New(opts Options) (*Extractor, error) {
	e := &Extractor{mode: opts.Mode}
	switch opts.Mode {
	case "":
		e.mode = ModeArticle
	case ModeArticle, ModeText, ModeSelector, ModeRaw, ModeJSON:
	default:
		return nil, fmt.Errorf("extract: unknown mode %q (want article, text, selector, raw or json)", opts.Mode)
	}
	switch {
	case e.mode == ModeSelector && len(opts.Select) == 0:
		return nil, fmt.Errorf("extract: selector mode needs at least one select selector")
	case e.mode != ModeSelector && e.mode != ModeJSON && len(opts.Select) > 0:
		return nil, fmt.Errorf("extract: select selectors %q need selector mode (or json mode, for JSON paths), not %s mode", opts.Select, e.mode)
	case (e.mode == ModeRaw || e.mode == ModeJSON) && len(opts.Exclude) > 0:
		return nil, fmt.Errorf("extract: exclude selectors %q do not apply in %s mode", opts.Exclude, e.mode)
	}
	var err error
	if e.mode == ModeJSON {
		for _, p := range opts.Select {
			if err := jsonpath.Check(p); err != nil {
				return nil, fmt.Errorf("extract: select: invalid JSON path %q: %w", p, err)
			}
		}
		e.paths = slices.Clone(opts.Select)
	} else if e.sel, err = compileSelectors("select", opts.Select); err != nil {
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

// Extract builds the Document of one page. It returns an error only when
// the page cannot be parsed at all (in json mode, when the body is not one
// valid JSON document; the error names the byte offset) or when an XPath
// fails on it; a page with no recognisable text gives a Document without
// paragraphs, and the caller decides what that means.
func (e *Extractor) Extract(in Input) (Document, error) {
	doc, _, _, err := e.extract(in, nil, "")
	return doc, err
}

// Analysis is what Analyze found in a page.
type Analysis struct {
	// Unchanged reports that the page's fingerprint is the one given in
	// AnalyzeOptions.Fingerprint: its canonical text is the one of the page
	// that fingerprint came from, and the extraction stopped there. Only
	// Fingerprint is set then.
	Unchanged bool
	// Fingerprint is the page's fingerprint (see fingerprint.go): in article
	// mode, a hash of the header its metadata gives and of the cleaned
	// page go-trafilatura receives. "" in the other modes.
	Fingerprint string
	Document    Document
	// Blocks are set when AnalyzeOptions.Explain is (see Explain).
	Blocks []Block
}

// AnalyzeOptions says what Analyze does besides extracting.
type AnalyzeOptions struct {
	// Explain asks for the page's blocks, as Explain gives them.
	Explain bool
	// Fingerprint, when not "", is the fingerprint of a page extracted
	// before with this Extractor's options: a page with the same one is
	// not extracted further (Analysis.Unchanged).
	Fingerprint string
}

// Analyze is Extract, or Explain, that also returns the page's
// fingerprint and stops early on a known one: what the monitor runs on
// each changed page, so that a page whose bytes changed around an
// unchanged article (rotated teasers, new ad ids, stamps) costs a fraction
// of an extraction.
func (e *Extractor) Analyze(in Input, o AnalyzeOptions) (Analysis, error) {
	var tr *trace
	if o.Explain {
		tr = &trace{why: make(map[*html.Node]string)}
	}
	doc, fp, same, err := e.extract(in, tr, o.Fingerprint)
	if err != nil || same {
		return Analysis{Unchanged: same, Fingerprint: fp}, err
	}
	a := Analysis{Document: doc, Fingerprint: fp}
	if tr != nil {
		a.Blocks = tr.explain(doc, e)
	}
	return a, nil
}

// extract is Extract, telling tr (which may be nil) what it sees and drops,
// and returning the page's fingerprint in article mode. A page whose
// fingerprint is known is not extracted further: extract reports same.
func (e *Extractor) extract(in Input, tr *trace, known string) (doc Document, fp string, same bool, err error) {
	switch e.mode {
	case ModeRaw:
		doc = extractRaw(in.Body)
	case ModeJSON:
		var err error
		if doc, err = extractJSON(in.Body, e.paths); err != nil {
			return Document{}, "", false, err
		}
	default:
		var root *html.Node
		if e.mode == ModeArticle && known != "" {
			// The fingerprint first, without the Explain walk or the look
			// around the headline: most pages stop here. A page that goes
			// on is extracted from the probe's tree, put back as parsed.
			pr, err := e.probe(in.Body)
			if err != nil || pr.fingerprint == known {
				return Document{}, pr.fingerprint, err == nil, err
			}
			pr.edits.undo()
			root = pr.root
		} else if root, err = parseHTML(in.Body); err != nil {
			return Document{}, "", false, err
		}
		tr.collect(root)
		if err := removeMatching(root, e.exclude, tr, nil); err != nil {
			return Document{}, "", false, err
		}
		switch e.mode {
		case ModeText:
			doc = extractText(root)
		case ModeSelector:
			if doc, err = extractSelected(root, e.sel); err != nil {
				return Document{}, "", false, err
			}
		default:
			doc, fp = extractArticle(root, in.Body, in.URL, tr)
		}
	}
	doc = normalizeDocument(doc)
	doc.Paragraphs = e.dropIgnored(doc.Paragraphs)
	return doc, fp, false, nil
}

// probed is what probe found: the page's fingerprint, and its tree with
// the changes that cleaning it made, to undo when the page is extracted.
type probed struct {
	fingerprint string
	root        *html.Node
	edits       edits
}

// probe computes the fingerprint of an article-mode page: what
// extractArticle computes before go-trafilatura, without what only the
// rest of the extraction needs.
func (e *Extractor) probe(body []byte) (probed, error) {
	root, err := parseHTML(body)
	if err != nil {
		return probed{}, err
	}
	pr := probed{root: root}
	if err := removeMatching(root, e.exclude, nil, &pr.edits); err != nil {
		return probed{}, err
	}
	pm := readMeta(root)
	removeBoilerplate(root, nil, &pr.edits)
	pr.fingerprint = fingerprint(pm, root)
	return pr, nil
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
