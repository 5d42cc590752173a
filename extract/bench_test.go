package extract

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redlinehq/redline/internal/f1"
	"github.com/redlinehq/redline/internal/noise"
)

// benchDir is the shared 181-page extraction benchmark (pages in html/,
// ground-truth.json, score.py), a sibling of the repository; benchmarks
// over it skip when it is absent.
const benchDir = "../../shared/bench/extraction"

// benchPage is one page of the benchmark with its hand-checked body.
type benchPage struct {
	id, url, truth string
	body           []byte
}

func (p benchPage) input() Input {
	return Input{Body: p.body, URL: p.url, ContentType: "text/html"}
}

// loadBenchPages reads the benchmark's pages, in id order.
func loadBenchPages(b *testing.B) []benchPage {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(benchDir, "ground-truth.json"))
	if os.IsNotExist(err) {
		b.Skipf("no extraction benchmark in %s", benchDir)
	}
	if err != nil {
		b.Fatal(err)
	}
	var truth map[string]struct {
		URL         string `json:"url"`
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		b.Fatalf("ground truth: %v", err)
	}
	pages := make([]benchPage, 0, len(truth))
	for id, t := range truth {
		body, err := readGzip(filepath.Join(benchDir, "html", id+".html.gz"))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, benchPage{id: id, url: t.URL, truth: t.ArticleBody, body: body})
	}
	slices.SortFunc(pages, func(a, b benchPage) int { return strings.Compare(a.id, b.id) })
	return pages
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// benchQuality is what one pass over the benchmark measures.
type benchQuality struct {
	score    f1.Score
	injected int // pages where internal/noise found a place for noise
	unstable int // of those, pages whose canonical text the noise changes
}

// measureQuality extracts every page once as it is and once with every
// kind of internal/noise injected (seed 1), on all CPUs. The body is
// scored as extractbench does for score.py: the paragraphs joined by
// blank lines, against the ground truth.
func measureQuality(b *testing.B, ex *Extractor, pages []benchPage) benchQuality {
	b.Helper()
	counts := make([]f1.Counts, len(pages))
	injected := make([]bool, len(pages))
	unstable := make([]bool, len(pages))
	errs := make([]error, len(pages))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				p := pages[i]
				doc, err := ex.Extract(p.input())
				if err != nil {
					errs[i] = err
					continue
				}
				counts[i] = f1.Match(p.truth, strings.Join(doc.Paragraphs, "\n\n"))
				noisy, ok := noise.InjectHTML(p.body, 1, noise.All)
				if !ok {
					continue
				}
				injected[i] = true
				in := p.input()
				in.Body = noisy
				nd, err := ex.Extract(in)
				unstable[i] = err != nil || nd.Canonical() != doc.Canonical()
			}
		})
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()
	var q benchQuality
	for i, err := range errs {
		if err != nil {
			b.Fatalf("%s: %v", pages[i].id, err)
		}
		if injected[i] {
			q.injected++
		}
		if unstable[i] {
			q.unstable++
		}
	}
	q.score = f1.Aggregate(counts)
	return q
}

// BenchmarkExtract181 extracts the article of each benchmark page; one
// iteration is all 181 pages. Besides the time per page it reports,
// measured once outside the timed loop, the quality of the extraction:
// F1, precision and recall as score.py computes them (internal/f1), and
// unstable-pages, the number of pages whose canonical text changes when
// internal/noise injects teasers, an ad slot, a "Read more" box, a comment
// counter and a stamp, out of injected-pages, those where it could.
func BenchmarkExtract181(b *testing.B) {
	pages := loadBenchPages(b)
	ex, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	q := measureQuality(b, ex, pages)
	for b.Loop() {
		for _, p := range pages {
			if _, err := ex.Extract(p.input()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/page")
	b.ReportMetric(q.score.F1, "F1")
	b.ReportMetric(q.score.Precision, "precision")
	b.ReportMetric(q.score.Recall, "recall")
	b.ReportMetric(float64(q.unstable), "unstable-pages")
	b.ReportMetric(float64(q.injected), "injected-pages")
}

// BenchmarkText181 is the same in text mode, for comparison.
func BenchmarkText181(b *testing.B) {
	pages := loadBenchPages(b)
	ex, err := New(Options{Mode: ModeText})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, p := range pages {
			if _, err := ex.Extract(p.input()); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAnalyze181 times Analyze over the benchmark pages as a monitor
// runs it on each fetch, with the fingerprint of the page's last revision:
// unchanged gives each page its own fingerprint (the probe stops there),
// changed an older page's (the probe, then the whole extraction with the
// Explain walk).
func BenchmarkAnalyze181(b *testing.B) {
	pages := loadBenchPages(b)
	ex, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	own := make([]string, len(pages))
	for i, p := range pages {
		a, err := ex.Analyze(p.input(), AnalyzeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		own[i] = a.Fingerprint
	}
	for _, c := range []struct {
		name string
		fp   func(i int) string
	}{
		{"unchanged", func(i int) string { return own[i] }},
		{"changed", func(int) string { return "an older page's" }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for i, p := range pages {
					a, err := ex.Analyze(p.input(), AnalyzeOptions{Explain: true, Fingerprint: c.fp(i)})
					if err != nil || a.Unchanged != (c.name == "unchanged") {
						b.Fatalf("%s: Analyze = unchanged %v, %v", p.id, a.Unchanged, err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/page")
		})
	}
}
