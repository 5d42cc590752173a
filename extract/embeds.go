package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// embedClasses are the classes of the <blockquote> an embedded post (a
// tweet, an Instagram or Threads post, a TikTok or Bluesky one) is
// published as, before the platform's script replaces it.
var embedClasses = []string{"twitter-tweet", "instagram-media", "text-post-media", "tiktok-embed", "bluesky-embed", "reddit-embed-bq"}

// isEmbed reports whether n is an embedded post's blockquote.
func isEmbed(n *html.Node) bool {
	return n.Type == html.ElementNode && tag(n) == atom.Blockquote && hasClass(n, embedClasses)
}

// isEmbeddedPost reports whether n is, or closely wraps, an embedded post:
// a quote the article shows its readers, even when the wrapper's class
// says "social" ("social-media-embed"), so boilerplate removal keeps it.
func isEmbeddedPost(n *html.Node) bool {
	var walk func(c *html.Node, depth int) bool
	walk = func(c *html.Node, depth int) bool {
		if depth > 4 || c.Type != html.ElementNode {
			return false
		}
		if isEmbed(c) {
			return true
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if walk(k, depth+1) {
				return true
			}
		}
		return false
	}
	return walk(n, 0)
}

// withEmbeddedPosts puts back the embedded posts that stand between the
// article's paragraphs: readers see them as quotes in the article, and an
// edit to one is an edit of the page, but go-trafilatura discards them. The
// article is the smallest element holding the body's first and last
// paragraphs; each post's paragraphs are inserted after the body paragraph
// that precedes it in the page. Posts before the first or after the last
// paragraph are left out, as outside the article.
func withEmbeddedPosts(root *html.Node, body []string) []string {
	if len(body) < 2 || !hasEmbed(root, 0) {
		return body
	}
	first, last := elementWithText(root, body[0]), elementWithText(root, body[len(body)-1])
	if first == nil || last == nil {
		return body
	}
	article := commonAncestor(first, last)
	if article == nil {
		return body
	}
	at := make(map[string]int, len(body))
	for i, p := range body {
		if _, ok := at[p]; !ok {
			at[p] = i
		}
	}
	// Walk the article in page order: body paragraphs move the cursor,
	// embedded posts are collected at it.
	inserts := make(map[int][]string) // body index → posts' paragraphs after it
	cursor, done := -1, false
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || done || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if isEmbed(n) {
			if cursor >= 0 {
				inserts[cursor] = append(inserts[cursor], paragraphs(n)...)
			}
			return
		}
		if blocks[tag(n)] {
			if i, ok := at[textOf(n)]; ok && i >= cursor {
				cursor, done = i, i == len(body)-1
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(article, 0)
	if len(inserts) == 0 {
		return body
	}
	out := make([]string, 0, len(body)+2*len(inserts))
	for i, p := range body {
		out = append(out, p)
		out = append(out, inserts[i]...)
	}
	return out
}

// hasEmbed reports whether the page holds an embedded post at all, so that
// pages without one cost one walk.
func hasEmbed(n *html.Node, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if isEmbed(n) {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasEmbed(c, depth+1) {
			return true
		}
	}
	return false
}

// commonAncestor returns the smallest node holding both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	up := make(map[*html.Node]bool)
	for n := a; n != nil; n = n.Parent {
		up[n] = true
	}
	for n := b; n != nil; n = n.Parent {
		if up[n] {
			return n
		}
	}
	return nil
}
