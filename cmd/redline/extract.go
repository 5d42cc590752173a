package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/store"
)

// extractJSON is `redline extract --format json`.
// The fields after Lang are the document's metadata outside the canonical
// text (filled in article mode only); Canonical is what is compared.
type extractJSON struct {
	Title         string   `json:"title"`
	Byline        string   `json:"byline"`
	Published     string   `json:"published"`
	Updated       string   `json:"updated"`
	Lang          string   `json:"lang"`
	PublishedText string   `json:"published_text"`
	UpdatedText   string   `json:"updated_text"`
	Description   string   `json:"description"`
	CanonicalURL  string   `json:"canonical_url"`
	Notes         []string `json:"notes"`
	Paragraphs    []string `json:"paragraphs"`
	Canonical     string   `json:"canonical"`
}

func runExtract(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("extract")
	var (
		format, mode         string
		sel, exclude, ignore stringList
	)
	fs.StringVar(&format, "format", "text", "output `format`: text (the canonical text) or json")
	fs.StringVar(&mode, "mode", "", "extraction `mode`: article (default), text, selector, raw or json")
	fs.Var(&sel, "select", "CSS `selector` or XPath (starting /, ./ or \"(\") whose text is kept; in json mode a gjson path (repeatable; implies selector mode without --mode)")
	fs.Var(&exclude, "exclude", "CSS `selector` or XPath of elements to drop, in HTML modes (repeatable)")
	fs.Var(&ignore, "ignore", "`regexp`; matching lines are dropped (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline extract URL|FILE|- [flags]\n\nShow what the extractor sees in a page: the canonical text that redline\nstores and compares. Use it to tune --select, --exclude and --ignore.")
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return a.usageError("extract", "give one URL or file (- for standard input)")
	}
	if format != "text" && format != "json" {
		return a.usageError("extract", "--format must be text or json, not %q", format)
	}
	if mode == "" && len(sel) > 0 {
		mode = string(extract.ModeSelector)
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return a.fail(err)
	}
	ex, err := extract.New(monitor.ExtractOptions(store.Extraction{Mode: mode, Select: sel, Exclude: exclude, Ignore: ignore}, configDefaults(cfg)))
	if err != nil {
		return a.fail(err)
	}

	var in extract.Input
	if validateURL(pos[0]) == nil {
		f, err := newFetcher(cfg)
		if err != nil {
			return a.fail(err)
		}
		page, err := f.Fetch(ctx, monitor.FetchRequest{URL: pos[0]})
		if err != nil {
			return a.fail(err)
		}
		in = extract.Input{Body: page.Body, URL: page.FinalURL, ContentType: page.ContentType}
	} else {
		body, err := a.readInput(pos[0], cfg.Defaults.MaxBody)
		if err != nil {
			return a.fail(err)
		}
		in = extract.Input{Body: body, ContentType: http.DetectContentType(body)}
	}
	doc, err := ex.Extract(in)
	if err != nil {
		return a.fail(fmt.Errorf("extract %s: %w", pos[0], err))
	}
	if format == "json" {
		enc := json.NewEncoder(a.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		out := extractJSON{
			Title: doc.Title, Byline: doc.Byline, Published: doc.Published, Updated: doc.Updated, Lang: doc.Lang,
			PublishedText: doc.PublishedText, UpdatedText: doc.UpdatedText,
			Description: doc.Description, CanonicalURL: doc.CanonicalURL, Notes: doc.Notes,
			Paragraphs: doc.Paragraphs, Canonical: doc.Canonical(),
		}
		if out.Paragraphs == nil {
			out.Paragraphs = []string{}
		}
		if out.Notes == nil {
			out.Notes = []string{}
		}
		if err := enc.Encode(out); err != nil {
			return a.fail(err)
		}
		return exitOK
	}
	if _, err := io.WriteString(a.out, doc.Canonical()); err != nil {
		return a.fail(err)
	}
	return exitOK
}

// readInput reads a file (or standard input for "-"), gunzipping it when it
// is gzip-compressed and refusing more than limit bytes.
func (a *app) readInput(path string, limit int64) ([]byte, error) {
	f, err := a.openInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s is larger than the %d-byte body limit", path, limit)
	}
	return body, nil
}

func runVersion(_ context.Context, a *app, args []string) int {
	fs := a.flagSet("version")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	fmt.Fprintf(a.out, "redline %s\n", version)
	return exitOK
}
