package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/store"
)

// extractJSON is `redline extract --format json`.
// The fields after Lang are the document's metadata outside the canonical
// text (filled in article mode only); Canonical is what is compared.
type extractJSON struct {
	Title         string   `json:"title"`
	PageTitle     string   `json:"page_title"`
	Byline        string   `json:"byline"`
	Published     string   `json:"published"`
	Updated       string   `json:"updated"`
	Lang          string   `json:"lang"`
	PublishedText string   `json:"published_text"`
	UpdatedText   string   `json:"updated_text"`
	Description   string   `json:"description"`
	CanonicalURL  string   `json:"canonical_url"`
	Notes         []string `json:"notes"`
	Structured    []string `json:"structured"`
	Paragraphs    []string `json:"paragraphs"`
	Canonical     string   `json:"canonical"`
}

func runExtract(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("extract")
	var (
		format, mode, watchRef string
		explain                bool
		sel, exclude, ignore   stringList
	)
	fs.StringVar(&format, "format", "text", "output `format`: text (the canonical text) or json")
	fs.StringVar(&mode, "mode", "", "extraction `mode`: article (default), text, selector, raw or json")
	fs.Var(&sel, "select", "CSS `selector` or XPath (starting /, ./ or \"(\") whose text is kept; in json mode a gjson path (repeatable; implies selector mode without --mode)")
	fs.Var(&exclude, "exclude", "CSS `selector` or XPath of elements to drop, in HTML modes (repeatable)")
	fs.Var(&ignore, "ignore", "`regexp`; matching lines are dropped (repeatable)")
	fs.BoolVar(&explain, "explain", false, "list every block of the page: kept, or dropped and why, with a selector for exclude")
	fs.StringVar(&watchRef, "watch", "", "use the settings of the stored watch `URL|ID|NAME` (--mode and --select replace them, --exclude and --ignore add to them), fetch its URL when no page is given, and with --explain show the blocks learned to change on most fetches")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline extract URL|FILE|- [flags]\n       redline extract --watch URL|ID|NAME [--explain] [URL|FILE|-] [flags]\n\nShow what the extractor sees in a page: the canonical text that redline\nstores and compares. Use it to tune --select, --exclude and --ignore;\n--explain shows why each block of the page was kept or dropped.")
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 || len(pos) == 0 && watchRef == "" {
		return a.usageError("extract", "give one URL or file (- for standard input), or --watch")
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
	settings := store.Extraction{Mode: mode, Select: sel, Exclude: exclude, Ignore: ignore}
	var watch *store.Watch
	if watchRef != "" {
		var s store.Store
		if cfg, s, err = a.open(ctx); err != nil {
			return a.fail(err)
		}
		w, err := findWatch(ctx, s, watchRef)
		_ = s.Close()
		if err != nil {
			return a.fail(err)
		}
		watch = &w
		settings = w.Extract
		if mode != "" {
			settings.Mode, settings.Select = mode, sel
		}
		settings.Exclude = append(slices.Clone(settings.Exclude), exclude...)
		settings.Ignore = append(slices.Clone(settings.Ignore), ignore...)
		if len(pos) == 0 {
			pos = []string{w.URL}
		}
	}
	ex, err := extract.New(monitor.ExtractOptions(settings, configDefaults(cfg)))
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
	if explain {
		doc, blocks, err := ex.Explain(in)
		if err != nil {
			return a.fail(fmt.Errorf("extract %s: %w", pos[0], err))
		}
		if err := a.writeExplain(format, doc, blocks, watch); err != nil {
			return a.fail(err)
		}
		return exitOK
	}
	doc, err := ex.Extract(in)
	if err != nil {
		return a.fail(fmt.Errorf("extract %s: %w", pos[0], err))
	}
	if format == "json" {
		out := extractJSON{
			Title: doc.Title, PageTitle: doc.PageTitle, Byline: doc.Byline, Published: doc.Published, Updated: doc.Updated, Lang: doc.Lang,
			PublishedText: doc.PublishedText, UpdatedText: doc.UpdatedText,
			Description: doc.Description, CanonicalURL: doc.CanonicalURL, Notes: doc.Notes,
			Structured: doc.Structured, Paragraphs: doc.Paragraphs, Canonical: doc.Canonical(),
		}
		if out.Paragraphs == nil {
			out.Paragraphs = []string{}
		}
		if out.Notes == nil {
			out.Notes = []string{}
		}
		if out.Structured == nil {
			out.Structured = []string{}
		}
		if err := a.writeJSON(out); err != nil {
			return a.fail(err)
		}
		return exitOK
	}
	if _, err := io.WriteString(a.out, doc.Canonical()); err != nil {
		return a.fail(err)
	}
	return exitOK
}

// writeJSON writes v as indented JSON, HTML characters unescaped.
func (a *app) writeJSON(v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// explainJSON is `redline extract --explain --format json`.
type explainJSON struct {
	Blocks     []extract.Block  `json:"blocks"`
	Volatility []volatilityJSON `json:"volatility,omitempty"`
	Canonical  string           `json:"canonical"`
}

type volatilityJSON struct {
	Selector string `json:"selector"`
	Changed  int    `json:"changed"`
	Of       int    `json:"of"`
	Volatile bool   `json:"volatile"`
}

// writeExplain prints the blocks of a page and, for a watch, what was
// learned about them.
func (a *app) writeExplain(format string, doc extract.Document, blocks []extract.Block, w *store.Watch) error {
	var vols []monitor.Volatility
	if w != nil {
		stats, err := w.State.Blocks.Decode()
		if err != nil {
			// The next check learns them again; the page is still explained.
			fmt.Fprintf(a.err, "redline extract: watch %d (%s): what was learned about its blocks is damaged and will be learned again: %v\n", w.ID, w.URL, err)
		}
		vols = monitor.Volatilities(stats)
	}
	if format == "json" {
		out := explainJSON{Blocks: blocks, Canonical: doc.Canonical()}
		if out.Blocks == nil {
			out.Blocks = []extract.Block{}
		}
		for _, v := range vols {
			out.Volatility = append(out.Volatility, volatilityJSON{Selector: v.Selector, Changed: v.Changed, Of: v.Window, Volatile: v.Volatile})
		}
		return a.writeJSON(out)
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	if blocks == nil {
		fmt.Fprintln(tw, "(this mode has no page structure: every line of the body is a paragraph)")
	}
	for _, b := range blocks {
		if b.Kept {
			fmt.Fprintf(tw, "kept\t%s\t%s\t\n", b.Selector, excerpt(b.Text, 60))
		} else {
			fmt.Fprintf(tw, "dropped\t%s\t%s\t(%s)\n", b.Selector, excerpt(b.Text, 60), b.Reason)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if w == nil {
		return nil
	}
	var volatile []string
	for _, v := range vols {
		if v.Volatile {
			volatile = append(volatile, v.Selector)
		}
	}
	label := w.URL
	if w.Name != "" {
		label = strconv.Quote(w.Name)
	}
	fmt.Fprintf(a.out, "\nWatch %s: ", label)
	switch {
	case len(vols) == 0:
		_, err := fmt.Fprintln(a.out, "nothing learned yet (its page has not been extracted since it was added, or volatile is off).")
		return err
	case len(volatile) == 0:
		_, err := fmt.Fprintf(a.out, "no block changed on most of the last fetches (%d blocks followed).\n", len(vols))
		return err
	}
	fmt.Fprintln(a.out, "blocks that changed on most of the last fetches:")
	tw = tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	for _, v := range vols {
		if v.Volatile {
			fmt.Fprintf(tw, "  %s\tchanged on %d of the last %d fetches\n", v.Selector, v.Changed, v.Window)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	quoted := make([]string, len(volatile))
	for i, s := range volatile {
		quoted[i] = strconv.Quote(s)
	}
	_, err := fmt.Fprintf(a.out, "To drop them, add to the watch in the config:\n  exclude: [%s]\nor set volatile: ignore to stop changes confined to them from making revisions.\n", strings.Join(quoted, ", "))
	return err
}

// excerpt returns s cut to about n characters, with an ellipsis.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
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
