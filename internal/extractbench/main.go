// Command extractbench runs redline's article extraction over the shared
// 181-page benchmark and writes a predictions file for score.py:
//
//	go run ./internal/extractbench -out /tmp/pred.json
//	python3 ../shared/bench/extraction/score.py /tmp/pred.json
//
// It also scores its predictions and plain go-trafilatura's (with
// fallback) with internal/f1 (score.py's metric, without the bootstrap),
// times both on the same pages in the same run, and counts the pages whose canonical text changes when
// teasers, an ad slot, a "Read more" box, a comment counter and a stamp are
// injected around and inside the article (package internal/noise).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	nurl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/internal/f1"
	"github.com/redlinehq/redline/internal/noise"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extractbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "../shared/bench/extraction", "benchmark directory (ground-truth.json, html/)")
	out := fs.String("out", "/tmp/pred.json", "predictions file to write")
	trafOut := fs.String("traf-out", "", "if set, also write go-trafilatura's predictions here")
	verbose := fs.Bool("v", false, "list the pages whose canonical text changes under injection")
	show := fs.String("show", "", "print the canonical text of the pages whose id starts with this and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *show != "" {
		if err := showPages(*dir, *show, stdout); err != nil {
			fmt.Fprintln(stderr, "extractbench:", err)
			return 1
		}
		return 0
	}
	if err := bench(*dir, *out, *trafOut, *verbose, stdout); err != nil {
		fmt.Fprintln(stderr, "extractbench:", err)
		return 1
	}
	return 0
}

type truthEntry struct {
	URL         string `json:"url"`
	ArticleBody string `json:"articleBody"`
}

type prediction struct {
	ArticleBody string `json:"articleBody"`
}

func bench(dir, out, trafOut string, verbose bool, stdout io.Writer) error {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return err
	}
	var truth map[string]truthEntry
	if err := json.Unmarshal(raw, &truth); err != nil {
		return fmt.Errorf("ground truth: %w", err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	ex, err := extract.New(extract.Options{})
	if err != nil {
		return err
	}
	ours, theirs := map[string]prediction{}, map[string]prediction{}
	var counts, trafCounts []f1.Counts
	var tOurs, tTheirs []float64
	changedInjected, changedRotated, injected := 0, 0, 0
	for _, id := range ids {
		page, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return err
		}
		in := extract.Input{Body: page, URL: truth[id].URL, ContentType: "text/html"}

		start := time.Now()
		doc, err := ex.Extract(in)
		tOurs = append(tOurs, ms(time.Since(start)))
		if err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", id, err)
		}
		ours[id] = prediction{strings.Join(doc.Paragraphs, "\n\n")}
		counts = append(counts, f1.Match(truth[id].ArticleBody, ours[id].ArticleBody))

		start = time.Now()
		text := plainTrafilatura(page, truth[id].URL)
		tTheirs = append(tTheirs, ms(time.Since(start)))
		theirs[id] = prediction{text}
		trafCounts = append(trafCounts, f1.Match(truth[id].ArticleBody, text))

		base, a, b, ok := variants(page)
		if !ok {
			continue
		}
		injected++
		canon := func(p []byte) string {
			d, err := ex.Extract(extract.Input{Body: p, URL: truth[id].URL})
			if err != nil {
				return "error: " + err.Error()
			}
			return d.Canonical()
		}
		cb, ca, cc := canon(base), canon(a), canon(b)
		if cb != ca {
			changedInjected++
			if verbose {
				fmt.Fprintf(stdout, "injection changes %s\n%s", id, lineDiff(cb, ca))
			}
		}
		if ca != cc {
			changedRotated++
			if verbose {
				fmt.Fprintf(stdout, "rotation changes %s\n%s", id, lineDiff(ca, cc))
			}
		}
	}
	if err := writeJSON(out, ours); err != nil {
		return err
	}
	if trafOut != "" {
		if err := writeJSON(trafOut, theirs); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "pages: %d, predictions: %s\n", len(ids), out)
	for _, s := range []struct {
		name string
		f1.Score
	}{{"redline", f1.Aggregate(counts)}, {"go-trafilatura (fallback)", f1.Aggregate(trafCounts)}} {
		fmt.Fprintf(stdout, "score (internal/f1) %s: F1 %.3f, precision %.3f, recall %.3f, exact %.3f\n",
			s.name, s.F1, s.Precision, s.Recall, s.Exact)
	}
	fmt.Fprintf(stdout, "median ms/page: redline %.1f, go-trafilatura (fallback) %.1f\n", median(tOurs), median(tTheirs))
	fmt.Fprintf(stdout, "stability: canonical text changed by injection on %d of %d pages, by rotating the injected teasers on %d\n",
		changedInjected, injected, changedRotated)
	return nil
}

// variants returns the page re-rendered unchanged and with two different
// injections of rotating noise (seeds 1 and 2, every kind).
func variants(page []byte) (base, a, b []byte, ok bool) {
	var okBase, okA, okB bool
	base, okBase = noise.Rerender(page)
	a, okA = noise.InjectHTML(page, 1, noise.All)
	b, okB = noise.InjectHTML(page, 2, noise.All)
	return base, a, b, okBase && okA && okB
}

func plainTrafilatura(page []byte, pageURL string) string {
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true}
	if u, err := nurl.Parse(pageURL); err == nil {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(page), opts)
	if err != nil || res == nil {
		return ""
	}
	return res.ContentText
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var sb strings.Builder
	for _, l := range al {
		if !slices.Contains(bl, l) {
			fmt.Fprintf(&sb, "  - %.160s\n", l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			fmt.Fprintf(&sb, "  + %.160s\n", l)
		}
	}
	return sb.String()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// showPages prints our canonical text for the pages whose id has prefix.
func showPages(dir, prefix string, stdout io.Writer) error {
	paths, err := filepath.Glob(filepath.Join(dir, "html", prefix+"*.html.gz"))
	if err != nil {
		return err
	}
	ex, err := extract.New(extract.Options{})
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return err
	}
	var truth map[string]truthEntry
	if err := json.Unmarshal(raw, &truth); err != nil {
		return err
	}
	for _, p := range paths {
		page, err := readGzip(p)
		if err != nil {
			return err
		}
		doc, err := ex.Extract(extract.Input{Body: page, URL: truth[strings.TrimSuffix(filepath.Base(p), ".html.gz")].URL})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "==> %s\n%s", filepath.Base(p), doc.Canonical())
	}
	return nil
}
