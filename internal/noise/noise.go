package noise

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kind is a set of kinds of noise.
type Kind uint

// The kinds of noise; see the package documentation for where each goes.
const (
	Teasers Kind = 1 << iota
	AdSlot
	Related
	ReadMore
	Comments
	Stamp

	// All is every kind.
	All = Teasers | AdSlot | Related | ReadMore | Comments | Stamp
)

var kindNames = []string{"teasers", "ad-slot", "related", "read-more", "comments", "stamp"}

// String lists the kinds in k, joined with "+", such as "teasers+stamp".
func (k Kind) String() string {
	var names []string
	for i, n := range kindNames {
		if k&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if rest := k &^ All; rest != 0 {
		names = append(names, fmt.Sprintf("0x%x", uint(rest)))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "+")
}

// headlines are the rotating teaser headlines.
var headlines = []string{
	"Seven hour Burkina anti-terror raid leaves four dead",
	"From Foe to Friend? Iraq: The makeover of Muqtada al-Sadr",
	"France's newest political parties go to school",
	"Hugh Coltman serves up a New Orleans-inspired musical gumbo",
	"'Macron sees high earners as key to getting the French economy moving again'",
	"'Shut Up and Drive': Saudi's paradoxical stance after female activists arrested",
	"$2.3bn for two million songs: Sony buys majority stake in EMI",
	"Burundi approves new constitution allowing president to extend time in power",
	"Populist takeover: Italy approves unprecedented coalition",
	"Will 'seized' Ukrainian combat dolphins switch allegiance to Russia?",
	"UN votes to reject Russian annexation of Crimea",
	"Maidan square: Battleground turned shrine",
}

// Headlines returns the teaser headlines noise draws from, unescaped.
func Headlines() []string { return append([]string(nil), headlines...) }

// Container returns the element with the most text in direct <p>
// children, the first such element in document order on a tie, or nil if
// no element has a <p> child with text.
func Container(root *html.Node) *html.Node {
	var best *html.Node
	bestLen := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			l := 0
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.DataAtom == atom.P {
					l += len(text(c))
				}
			}
			if l > bestLen {
				best, bestLen = n, l
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return best
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

func fragment(ctx *html.Node, src string) []*html.Node {
	nodes, err := html.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		panic(err) // our own markup
	}
	return nodes
}

// Inject adds the given kinds of noise, drawn from seed, to the tree under
// root (a document node from html.Parse). It reports false, and leaves the
// tree alone, when the page has no container or the container has no
// parent.
func Inject(root *html.Node, seed int, kinds Kind) bool {
	c := Container(root)
	if c == nil || c.Parent == nil {
		return false
	}
	s := uint64(seed) // a negative seed is as good as any other
	h := func(i uint64) string { return html.EscapeString(headlines[(s*5+i)%uint64(len(headlines))]) }
	if kinds&Teasers != 0 {
		before := fmt.Sprintf(`<section class="c-list"><h2>Don't miss</h2><ul>`+
			`<li><a href="/en/a%d">%s</a></li><li><a href="/en/b%d">%s</a></li><li><a href="/en/c%d">%s</a></li></ul></section>`,
			s, h(0), s, h(1), s, h(2))
		for _, n := range fragment(c.Parent, before) {
			c.Parent.InsertBefore(n, c)
		}
	}
	var after string
	if kinds&AdSlot != 0 {
		after += fmt.Sprintf(`<div id="div-gpt-ad-%d" class="o-slot"><span>Advertisement</span></div>`, 1000+s)
	}
	if kinds&Related != 0 {
		after += fmt.Sprintf(`<div class="c-more"><h3>Related</h3><div><a href="/en/d%d"><h4>%s</h4></a><a href="/en/e%d"><h4>%s</h4></a></div></div>`,
			s, h(3), s, h(4))
	}
	if after != "" {
		next := c.NextSibling
		for _, n := range fragment(c.Parent, after) {
			c.Parent.InsertBefore(n, next)
		}
	}
	if kinds&ReadMore != 0 {
		ps := 0
		for n := c.FirstChild; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode && n.DataAtom == atom.P {
				if ps++; ps == 2 {
					box := fmt.Sprintf(`<p><strong>Read more:</strong> <a href="/en/f%d">%s</a></p>`, s, h(5))
					nn := n.NextSibling
					for _, f := range fragment(c, box) {
						c.InsertBefore(f, nn)
					}
					break
				}
			}
		}
	}
	if kinds&Comments != 0 {
		counter := fmt.Sprintf(`<div class="meta"><a href="#comments">%d comments</a></div>`, 10+7*(s%10000))
		first := c.FirstChild
		for _, f := range fragment(c, counter) {
			c.InsertBefore(f, first)
		}
	}
	if kinds&Stamp != 0 {
		if body := find(root, atom.Body); body != nil {
			stamp := fmt.Sprintf(`<p class="stamp">Page generated at 2024-01-0%dT10:%02d:00Z</p>`, 1+s%9, s%60)
			for _, f := range fragment(body, stamp) {
				body.AppendChild(f)
			}
		}
	}
	return true
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// InjectHTML parses page, injects the given kinds of noise drawn from seed
// and renders the result. It reports false when the page cannot be parsed
// or rendered or Inject finds no place for the noise.
func InjectHTML(page []byte, seed int, kinds Kind) ([]byte, bool) {
	return render(page, func(root *html.Node) bool { return Inject(root, seed, kinds) })
}

// Rerender parses page and renders it again without noise: the baseline
// that InjectHTML's output differs from by the noise alone. It reports
// false when the page cannot be parsed or rendered.
func Rerender(page []byte) ([]byte, bool) {
	return render(page, func(*html.Node) bool { return true })
}

func render(page []byte, change func(*html.Node) bool) ([]byte, bool) {
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil || !change(root) {
		return nil, false
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}
