package main

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// headlines are the rotating teaser headlines injected around articles.
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

// container returns the element with the most paragraph text in direct
// <p> children: the article's container, as far as injection goes.
func container(root *html.Node) *html.Node {
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

// inject adds, for variant v, the noise a news page rotates between
// fetches: a "Don't miss" teaser list before the article container, a
// "Read more: <headline>" box and a comment counter inside it, an ad slot
// and a related-stories block after it, and a generation stamp at the end
// of the body. It reports false when the page has no container.
func inject(root *html.Node, v int) bool {
	c := container(root)
	if c == nil || c.Parent == nil {
		return false
	}
	h := func(i int) string { return html.EscapeString(headlines[(v*5+i)%len(headlines)]) }
	before := fmt.Sprintf(`<section class="c-list"><h2>Don't miss</h2><ul>`+
		`<li><a href="/en/a%d">%s</a></li><li><a href="/en/b%d">%s</a></li><li><a href="/en/c%d">%s</a></li></ul></section>`,
		v, h(0), v, h(1), v, h(2))
	for _, n := range fragment(c.Parent, before) {
		c.Parent.InsertBefore(n, c)
	}
	after := fmt.Sprintf(`<div id="div-gpt-ad-%d" class="o-slot"><span>Advertisement</span></div>`+
		`<div class="c-more"><h3>Related</h3><div><a href="/en/d%d"><h4>%s</h4></a><a href="/en/e%d"><h4>%s</h4></a></div></div>`,
		1000+v, v, h(3), v, h(4))
	next := c.NextSibling
	for _, n := range fragment(c.Parent, after) {
		c.Parent.InsertBefore(n, next)
	}
	// Inside the container: after its second paragraph, a "Read more" box.
	ps := 0
	for n := c.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.P {
			if ps++; ps == 2 {
				box := fmt.Sprintf(`<p><strong>Read more:</strong> <a href="/en/f%d">%s</a></p>`, v, h(5))
				nn := n.NextSibling
				for _, f := range fragment(c, box) {
					c.InsertBefore(f, nn)
				}
				break
			}
		}
	}
	counter := fmt.Sprintf(`<div class="meta"><a href="#comments">%d comments</a></div>`, 10+7*v)
	first := c.FirstChild
	for _, f := range fragment(c, counter) {
		c.InsertBefore(f, first)
	}
	if body := find(root, atom.Body); body != nil {
		for _, f := range fragment(body, fmt.Sprintf(`<p class="stamp">Page generated at 2024-01-0%dT10:%02d:00Z</p>`, 1+v%9, v%60)) {
			body.AppendChild(f)
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
