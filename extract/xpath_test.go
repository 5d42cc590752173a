package extract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// productPage is a shop's product page: the price and stock are what a
// watcher wants, among navigation, recommendations and tracking.
const productPage = `<!DOCTYPE html><html lang="en"><head><title>Aeropress Go - Brewshop</title>
<meta property="og:price:amount" content="39.95">
<script type="application/ld+json">{"@type":"Product","offers":{"price":"39.95"}}</script></head>
<body>
<nav><a href="/">Home</a> <a href="/brewers">Brewers</a></nav>
<main>
  <h1 itemprop="name">Aeropress Go</h1>
  <div class="product" data-sku="AP-GO-01">
    <p class="price"><span class="currency">€</span><span class="amount">39.95</span></p>
    <p class="price old"><s>44.95</s></p>
    <div id="stock" data-qty="12"><span class="label">In stock</span> – ships in 1–2 days</div>
    <ul class="variants"><li data-color="red">Red</li><li data-color="grey" aria-disabled="true">Grey</li></ul>
  </div>
  <section class="recommended"><h2>You may also like</h2><p class="price">12.00</p></section>
</main>
<!-- rendered by shop-7f3a at 12:00:01 -->
<footer>© Brewshop</footer>
</body></html>`

// statusPage is a hosted status page: components and their states, then an
// incident history.
const statusPage = `<!DOCTYPE html><html><head><title>Example Status</title></head><body>
<div class="page-status status-minor"><span class="status">Partially Degraded Service</span></div>
<div class="components-container">
  <div class="component-container" data-component-status="operational"><span class="name">API</span> <span class="component-status">Operational</span></div>
  <div class="component-container" data-component-status="degraded_performance"><span class="name">Dashboard</span> <span class="component-status">Degraded Performance</span></div>
  <div class="component-container" data-component-status="operational"><span class="name">Webhooks</span> <span class="component-status">Operational</span></div>
</div>
<div class="incidents-list">
  <div class="incident"><h3>Elevated error rates on the dashboard</h3><p><strong>Investigating</strong> - We are looking into it.</p><small>Posted <span data-relative>3 minutes ago</span></small></div>
</div>
<p class="updated">Last refreshed 12:00:04</p>
</body></html>`

func TestXPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts Options
		body string
		want []string // the paragraphs
	}{{
		name: "price and stock by XPath",
		opts: Options{Mode: ModeSelector, Select: []string{
			`//div[@class="product"]/p[@class="price"]`,
			`//*[@id="stock"]`,
		}},
		body: productPage,
		want: []string{"€39.95", "In stock – ships in 1–2 days"},
	}, {
		name: "XPath and CSS mixed keep document order",
		opts: Options{Mode: ModeSelector, Select: []string{`#stock`, `//h1`}},
		body: productPage,
		want: []string{"Aeropress Go", "In stock – ships in 1–2 days"},
	}, {
		name: "nested matches are not repeated",
		opts: Options{Mode: ModeSelector, Select: []string{`//div[@class="product"]`, `//span[@class="amount"]`}},
		body: productPage,
		want: []string{"€39.95", "44.95", "In stock – ships in 1–2 days", "Red", "Grey"},
	}, {
		name: "text nodes",
		opts: Options{Mode: ModeSelector, Select: []string{`//span[@class="amount"]/text()`, `//div[@id="stock"]/text()`}},
		body: productPage,
		want: []string{"39.95", "– ships in 1–2 days"},
	}, {
		name: "attributes, in document order",
		opts: Options{Mode: ModeSelector, Select: []string{`//li/@data-color`, `//div[@id="stock"]/@data-qty`, `//meta[@property="og:price:amount"]/@content`}},
		body: productPage,
		want: []string{"39.95", "12", "red", "grey"},
	}, {
		name: "an attribute inside a selected element is kept",
		opts: Options{Mode: ModeSelector, Select: []string{`//div[@class="product"]/@data-sku`, `//div[@id="stock"]`, `//div[@id="stock"]/@data-qty`}},
		body: productPage,
		want: []string{"AP-GO-01", "12", "In stock – ships in 1–2 days"},
	}, {
		name: "text nodes inside a selected element are not repeated",
		opts: Options{Mode: ModeSelector, Select: []string{`//div[@id="stock"]`, `//div[@id="stock"]//text()`}},
		body: productPage,
		want: []string{"In stock – ships in 1–2 days"},
	}, {
		name: "a comment",
		opts: Options{Mode: ModeSelector, Select: []string{`//comment()`}},
		body: productPage,
		want: []string{"rendered by shop-7f3a at 12:00:01"},
	}, {
		name: "a positional XPath in parentheses",
		opts: Options{Mode: ModeSelector, Select: []string{`(//p[contains(@class,"price")])[1]`}},
		body: productPage,
		want: []string{"€39.95"},
	}, {
		name: "relative XPath from the document",
		opts: Options{Mode: ModeSelector, Select: []string{`.//h1`}},
		body: productPage,
		want: []string{"Aeropress Go"},
	}, {
		name: "value XPaths come last, in select order",
		opts: Options{Mode: ModeSelector, Select: []string{`(count(//li[not(@aria-disabled)]))`, `//h1`, `(number(//div[@id="stock"]/@data-qty) > 0)`, `(normalize-space(//span[@class="label"]))`}},
		body: productPage,
		want: []string{"Aeropress Go", "1", "true", "In stock"},
	}, {
		name: "status page components",
		opts: Options{Mode: ModeSelector, Select: []string{
			`//div[@class="page-status"]//span`,
			`//div[@data-component-status!="operational"]`,
		}},
		body: strings.Replace(statusPage, `class="page-status status-minor"`, `class="page-status"`, 1),
		want: []string{"Partially Degraded Service", "Dashboard Degraded Performance"},
	}, {
		name: "status page with XPath exclude",
		opts: Options{Mode: ModeSelector, Select: []string{`.incidents-list`, `//div[contains(@class,"components-container")]`}, Exclude: []string{
			`//span[@data-relative]/..`,
			`//div[@data-component-status="operational"]`,
		}},
		body: statusPage,
		want: []string{"Dashboard Degraded Performance", "Elevated error rates on the dashboard", "Investigating - We are looking into it."},
	}, {
		name: "exclude text nodes and attributes",
		opts: Options{Mode: ModeSelector, Select: []string{`#stock`, `//li/@data-color`}, Exclude: []string{`//div[@id="stock"]/text()`, `//li/@data-color[.="grey"]`}},
		body: productPage,
		want: []string{"In stock", "red"},
	}, {
		name: "XPath exclude in text mode",
		opts: Options{Mode: ModeText, Exclude: []string{`//nav | //footer | //section[@class="recommended"]`, `//p[contains(@class,"old")]`, `//ul`}},
		body: productPage,
		want: []string{"Aeropress Go", "€39.95", "In stock – ships in 1–2 days"},
	}, {
		name: "XPath exclude in article mode keeps the rest",
		opts: Options{Mode: ModeArticle, Exclude: []string{`//div[@class="product"]`, `//section`}},
		body: `<html><body><article><h1>Title</h1><p>` + strings.Repeat("Body text of the article. ", 20) + `</p><div class="product">Buy now</div></article></body></html>`,
		want: []string{strings.TrimSpace(strings.Repeat("Body text of the article. ", 20))},
	}, {
		name: "an XPath that matches nothing",
		opts: Options{Mode: ModeSelector, Select: []string{`//table`}},
		body: productPage,
		want: nil,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ex, err := New(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ex.Extract(Input{Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, doc.Paragraphs, cmp.Comparer(func(a, b []string) bool {
				return strings.Join(a, "\n") == strings.Join(b, "\n")
			})); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
			checkCanonical(t, doc)
		})
	}
}

// TestXPathLikeCSS checks that an XPath and the equivalent CSS selector
// extract the same text, so choosing either is a matter of taste.
func TestXPathLikeCSS(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{`.price`, `//*[contains(concat(" ", normalize-space(@class), " "), " price ")]`},
		{`#stock`, `//*[@id="stock"]`},
		{`main h1, footer`, `//main//h1 | //footer`},
		{`ul.variants > li`, `//ul[@class="variants"]/li`},
		{`body`, `/html/body`},
	} {
		var got [2]Document
		for i, s := range pair {
			ex, err := New(Options{Mode: ModeSelector, Select: []string{s}})
			if err != nil {
				t.Fatal(err)
			}
			if got[i], err = ex.Extract(Input{Body: []byte(productPage)}); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(got[0], got[1]); diff != "" {
			t.Errorf("%q and %q differ (-css +xpath):\n%s", pair[0], pair[1], diff)
		}
		if len(got[0].Paragraphs) == 0 {
			t.Errorf("%q matched nothing", pair[0])
		}
	}
}

func TestXPathErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Mode: ModeSelector, Select: []string{`//div[@class="price"`}}, `extract: select: invalid XPath "//div[@class=\"price\""`},
		{Options{Mode: ModeSelector, Select: []string{`p`, `//p[`}}, `invalid XPath "//p["`},
		{Options{Mode: ModeSelector, Select: []string{`(//p`}}, `invalid XPath "(//p"`},
		{Options{Mode: ModeSelector, Select: []string{`//p[nosuchfn()]`}}, `invalid XPath "//p[nosuchfn()]"`},
		{Options{Mode: ModeSelector, Select: []string{`./`}}, `invalid XPath "./"`},
		{Options{Mode: ModeText, Exclude: []string{`//nav`, `//*[@id=]`}}, `extract: exclude: invalid XPath "//*[@id=]"`},
		{Options{Mode: ModeText, Exclude: []string{`(count(//p))`}}, `extract: exclude: XPath "(count(//p))" gives a value, not nodes to remove`},
		{Options{Mode: ModeText, Exclude: []string{`div[`}}, `extract: exclude: invalid CSS selector "div["`},
	} {
		_, err := New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) error = %v, want one containing %s", tc.opts, err, tc.want)
		}
	}
}

func TestIsXPath(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		`//div`: true, `/html/body`: true, `./p`: true, `.//p`: true, `(//p)[1]`: true, `  //p`: true,
		`div`: false, `.price`: false, `#id`: false, `div > p`: false, `*`: false, `[data-x]`: false, `..`: false,
	} {
		if got := isXPath(s); got != want {
			t.Errorf("isXPath(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestXPathConcurrent checks that one Extractor with XPath selectors is
// safe for concurrent use (run with -race): antchfx/xpath expressions keep
// evaluation state, so each extraction must use its own.
func TestXPathConcurrent(t *testing.T) {
	t.Parallel()
	ex, err := New(Options{Mode: ModeSelector,
		Select:  []string{`//div[@id="stock"]`, `(count(//li))`, `//li/@data-color`, `(//p[contains(@class,"price")])[1]`},
		Exclude: []string{`//nav`, `//li[@aria-disabled]/text()`}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ex.Extract(Input{Body: []byte(productPage)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan Document)
	for range 8 {
		go func() {
			var d Document
			for range 20 {
				d, _ = ex.Extract(Input{Body: []byte(productPage)})
			}
			done <- d
		}()
	}
	for range 8 {
		if got := <-done; !cmp.Equal(want, got) {
			t.Errorf("concurrent extraction differs:\n%s", cmp.Diff(want, got))
		}
	}
}
