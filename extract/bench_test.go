package extract

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchDir is the shared 181-page extraction benchmark, a sibling of the
// repository; benchmarks over it skip when it is absent.
const benchDir = "../../shared/bench/extraction/html"

func loadBenchPages(b *testing.B) [][]byte {
	b.Helper()
	paths, _ := filepath.Glob(filepath.Join(benchDir, "*.html.gz"))
	if len(paths) == 0 {
		b.Skipf("no benchmark pages in %s", benchDir)
	}
	pages := make([][]byte, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
	}
	return pages
}

// BenchmarkExtract181 extracts the article of each benchmark page; one
// iteration is all 181 pages.
func BenchmarkExtract181(b *testing.B) {
	pages := loadBenchPages(b)
	ex, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := ex.Extract(Input{Body: p}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/page")
}

// BenchmarkText181 is the same in text mode, for comparison.
func BenchmarkText181(b *testing.B) {
	pages := loadBenchPages(b)
	ex, err := New(Options{Mode: ModeText})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := ex.Extract(Input{Body: p}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
