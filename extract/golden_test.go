package extract

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt from the extractor's output")

// goldenPages are the saved pages of testdata/, with the URL they were
// fetched from (from the extraction benchmark), plus the France 24 page.
var goldenPages = map[string]string{
	"aljazeera":    "https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash-191120070028895.html",
	"bbc":          "https://www.bbc.com/news/world-europe-50473792",
	"jeongdong":    "http://jeongdongtheater.com/blog/2018/10/12/palace-tale-jang-noksu-reviews-klook-visitors/",
	"kabarislamia": "https://kabarislamia.com/2015/03/30/jangan-membenci-satu-kaum-secara-berlebihan/",
	"remember8090": "http://www.remember8090.it/black-friday-per-nostalgici-le-occasioni-da-non-perdere/",
	"wday":         "http://www.wday.ru/articles/53-letnyaya-model-posmotri-na-krasotku-kotoraya-prevratilas-v-staruhu-id120424",
	"france24":     testsite.France24URL,
}

func TestGolden(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, url := range goldenPages {
		t.Run(name, func(t *testing.T) {
			var page []byte
			if name == "france24" {
				page = testsite.France24(testsite.France24Page{GeneratedAt: "2014-03-29T18:00:00Z", Comments: 3})
			} else if page, err = os.ReadFile(filepath.Join("testdata", name+".html")); err != nil {
				t.Fatal(err)
			}
			doc, err := ex.Extract(Input{Body: page, URL: url, ContentType: "text/html"})
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Canonical()
			golden := filepath.Join("testdata", name+".golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("canonical text differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
