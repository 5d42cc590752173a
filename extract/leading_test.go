package extract

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestLabelGate: the gate in front of label lets through every text label
// matches (real labels, and every short text of the golden pages) and
// turns away ordinary short texts.
func TestLabelGate(t *testing.T) {
	labels := []string{
		"Don't miss", "DONT MISS", "do not miss", "Must read", "Read more", "More", "More to read",
		"Related", "Related stories", "More on this story", "More from BBC Sport", "More videos",
		"Most read", "Top viewed today", "Popular now", "Trending", "Recommended for you",
		"You might also like", "We think you will also be interested in this", "See also",
		"Further reading", "Latest news", "Top stories", "Editor's picks", "editors pick",
		"In case you missed it news", "Advertisement", "ADVERTISING", "Sponsored content",
		"Promoted stories", "Paid content", "Ad", "ADS", "Story continues below advertisement",
		"Continue reading the main story", "Scroll down to continue with content", "Anzeige",
		"Werbung", "Publicité", "Publicidad", "Pubblicità", "Publicidade", "Реклама", "À lire aussi",
		"Lire également", "Sur le même sujet", "Nos articles", "Lesen Sie auch", "Mehr zum Thema",
		"Das könnte Sie auch interessieren", "Te puede interesar", "Leer más", "Lee también",
		"Noticias relacionadas", "Leggi anche", "Ti potrebbe interessare", "Articoli correlati",
		"Leia também", "Veja também", "Читайте также", "Sign up", "Subscribe to our daily newsletter",
		"Newsletters", "Share this story on Facebook", "Share", "Follow us on Twitter", "Comments",
		"Leave a reply", "Show comments", "The article continues below",
	}
	texts := append([]string(nil), labels...)
	for name := range goldenPages {
		for _, n := range goldenElements(t, name) {
			if s := strings.Trim(textOf(n), labelTrim); s != "" && len(s) <= 240 {
				texts = append(texts, s)
			}
		}
	}
	matched, refused := 0, 0
	for _, s := range texts {
		switch {
		case label.MatchString(s) && !labelGate.allows(s):
			t.Errorf("the gate refuses %q, which label matches", s)
		case label.MatchString(s):
			matched++
		case !labelGate.allows(s):
			refused++
		}
	}
	for _, s := range labels {
		if !label.MatchString(s) {
			t.Errorf("label does not match %q", s)
		}
	}
	if refused < (len(texts)-matched)*3/4 {
		t.Errorf("the gate refused %d of %d texts that are no labels; want most", refused, len(texts)-matched)
	}
	t.Logf("%d texts: %d labels, %d refused by the gate", len(texts), matched, refused)
}

// TestWordGateRefusesPatterns: an expression whose first word the gate
// cannot list makes it panic at start-up rather than let it refuse a
// text the expression matches.
func TestWordGateRefusesPatterns(t *testing.T) {
	for _, p := range []string{`^(?:\d+ comments)$`, `^(?:more|[a-z]+ news)$`, `(?:read more)$`, `^(?:read)`, `^(?:read|more news)`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("newWordGate(%q) did not panic", p)
				}
			}()
			newWordGate(p)
		}()
	}
	g := newWordGate(`(?i)^(?:read (?:more|also)|ads?|(?:à )?lire)$`)
	for _, w := range []string{"read", "ad", "ads", "à", "lire"} {
		if !g.words[w] {
			t.Errorf("the gate misses the first word %q", w)
		}
	}
}

// TestLabelText: the text a wrapper hands down to its only element is
// that element's own text, in whatever order the elements are asked for.
func TestLabelText(t *testing.T) {
	for name := range goldenPages {
		elements := goldenElements(t, name)
		handed := 0
		for _, order := range []string{"document", "reversed"} {
			v := &boilerView{}
			for _, n := range elements {
				if n == v.heir {
					handed++
				}
				if got, want := v.labelText(n), strings.Trim(textOf(n), labelTrim); got != want {
					t.Fatalf("%s, %s order: labelText(<%s>) = %q, want %q", name, order, n.Data, got, want)
				}
			}
			slices.Reverse(elements)
		}
		if handed == 0 {
			t.Errorf("%s: no text was handed down a wrapper", name)
		}
	}
}

// goldenElements parses the golden page name and returns its elements in
// document order.
func goldenElements(t *testing.T, name string) []*html.Node {
	t.Helper()
	root, err := parseHTML(goldenPage(t, name))
	if err != nil {
		t.Fatal(err)
	}
	var elements []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			elements = append(elements, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return elements
}
