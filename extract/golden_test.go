package extract

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/internal/noise"
	"github.com/redlinehq/redline/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt from the extractor's output")

// goldenPages are the saved pages of testdata/, with the URL they were
// fetched from, plus the France 24 page of internal/testsite. All but
// France 24 are pages of the shared extraction benchmark
// (../shared/bench/extraction/html), chosen for variety of site, language
// and layout; a few are pages where our F1 against the benchmark's ground
// truth was low when they were added (autoracing 0.65, wired 0.52, nbcdfw
// 0.75, ascom 0.82, note100yen 0.83), so that improvements show as well as
// regressions.
var goldenPages = map[string]string{
	"aljazeera":    "https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash-191120070028895.html",
	"bbc":          "https://www.bbc.com/news/world-europe-50473792",
	"jeongdong":    "http://jeongdongtheater.com/blog/2018/10/12/palace-tale-jang-noksu-reviews-klook-visitors/",
	"kabarislamia": "https://kabarislamia.com/2015/03/30/jangan-membenci-satu-kaum-secara-berlebihan/",
	"remember8090": "http://www.remember8090.it/black-friday-per-nostalgici-le-occasioni-da-non-perdere/",
	"wday":         "http://www.wday.ru/articles/53-letnyaya-model-posmotri-na-krasotku-kotoraya-prevratilas-v-staruhu-id120424",
	"france24":     testsite.France24URL,

	"albawaba":     "https://www.albawaba.com/news/world-community-lashes-out-us-no-longer-considering-israeli-settlements-illegal-1322354",
	"appleinsider": "https://appleinsider.com/articles/19/11/18/16-inch-macbook-pro-review-the-keyboard-is-probably-enough-to-convince-those-waiting",
	"ascom":        "https://www.ascom.com/news-and-events/Ascom-business-news/Ascom-announces-a-strategic-distribution-partnership-with-GE-Healthcare-in-Europe-for-intensive-care-units.html",
	"autoracing":   "http://www.autoracing.com.br/calendario-stock-car-2018/",
	"comwrap":      "https://blog.comwrap.com/die-elektronische-patientenakte-der-lange-marsch-ins-digitale-gesundheitswesen",
	"digg":         "https://digg.com/2019/is-stadia-good-worth-it-reviews",
	"healthline":   "https://www.healthline.com/nutrition/how-to-overcome-binge-eating",
	"lhpat":        "https://www.lhpat-tm.com/blog/decision-info/index-2726.html",
	"mensagens":    "https://www.mensagensreflexao.com.br/quem-se-ama",
	"nbcdfw":       "https://www.nbcdfw.com/news/local/We-Got-Her-Video-Shows-Dramatic-Rescue-of-Kidnapped-Fort-Worth-Girl-565107452.html",
	"note100yen":   "http://note100yen.com/en-180816.html",
	"panarmenian":  "http://www.panarmenian.net/eng/news/275221/",
	"vsediety":     "http://vse-diety.com/dieta-atkinsa.html",
	"wired":        "https://www.wired.com/story/instagram-business-accounts-analytics/",
}

// goldenPage returns the page of goldenPages saved as name.
func goldenPage(t *testing.T, name string) []byte {
	t.Helper()
	if name == "france24" {
		return testsite.France24(testsite.France24Page{GeneratedAt: "2014-03-29T18:00:00Z", Comments: 3})
	}
	page, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// knownUnstable are the golden pages whose canonical text changes today
// when internal/noise injects noise, with the reason. TestGolden fails
// both when another page becomes unstable and when one of these becomes
// stable (remove it from here then).
var knownUnstable = map[string]string{
	// The ad slot alone (noise.AdSlot; the other kinds change nothing)
	// drops the first "[PC World]" source credit, a paragraph that is only
	// a bracketed link, from the body.
	"digg": "an ad slot after the article drops a [PC World] credit line",
	// The ad slot alone (noise.AdSlot) adds the "Review" category label,
	// which sits above the <h1> inside div.article, as the body's first
	// paragraph.
	"appleinsider": "an ad slot after the article adds the \"Review\" label to the body",
}

// noiseSeeds are the two injections of noise each golden page is checked
// against.
var noiseSeeds = []int{1, 2}

// TestGolden checks the canonical text of each golden page against its
// testdata/<name>.golden.txt, and that injecting noise (internal/noise,
// every kind, two seeds) leaves it unchanged.
func TestGolden(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name := range knownUnstable {
		if _, ok := goldenPages[name]; !ok {
			t.Errorf("knownUnstable lists %s, which is not a golden page", name)
		}
	}
	names := make([]string, 0, len(goldenPages))
	for name := range goldenPages {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		url := goldenPages[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			page := goldenPage(t, name)
			canonical := func(body []byte) string {
				t.Helper()
				doc, err := ex.Extract(Input{Body: body, URL: url, ContentType: "text/html"})
				if err != nil {
					t.Fatal(err)
				}
				return doc.Canonical()
			}
			got := canonical(page)
			golden := filepath.Join("testdata", name+".golden.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./extract -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("canonical text differs from %s (-want +got):\n%s", golden, diff)
				}
			}

			var diffs []string
			for _, seed := range noiseSeeds {
				noisy, ok := noise.InjectHTML(page, seed, noise.All)
				if !ok {
					t.Fatalf("internal/noise finds no article container to inject noise around")
				}
				if diff := cmp.Diff(got, canonical(noisy)); diff != "" {
					diffs = append(diffs, diff)
				}
			}
			why, known := knownUnstable[name]
			switch {
			case len(diffs) > 0 && !known:
				t.Errorf("injected noise changes the canonical text (-without +with noise):\n%s", diffs[0])
			case len(diffs) == 0 && known:
				t.Errorf("injected noise no longer changes the canonical text: remove %s from knownUnstable (%q)", name, why)
			}
		})
	}
}
