package testsite

import (
	"fmt"
	"html"
	"strings"
)

// The France 24 seed article: a story edited after publication, surrounded
// by rotating teasers, an ad slot and stamps.
const (
	France24Headline  = "Putin and Obama discuss 'diplomatic end' to Ukraine crisis"
	France24Byline    = "FRANCE 24"
	France24Published = "2014-03-29"
	France24URL       = "https://www.france24.com/en/20140329-putin-obama-phone-call-ukraine-crisis"
	// France24SubheadIndex is the index, in France24Paragraphs, of the
	// intertitle "Russian troops directly involved in Crimea", rendered as <h2>.
	France24SubheadIndex = 10
)

// France24Paragraphs returns the article's body blocks in reading order, as
// a fresh slice the caller may modify.
func France24Paragraphs() []string {
	return append([]string(nil), france24Body[:]...)
}

// France24DontMiss returns the "Don't miss" teaser headlines of the seed page.
func France24DontMiss() []string {
	return []string{
		"Seven hour Burkina anti-terror raid leaves four dead",
		"From Foe to Friend? Iraq: The makeover of Muqtada al-Sadr",
		"France's newest political parties go to school",
		"Hugh Coltman serves up a New Orleans-inspired musical gumbo",
		"'Macron sees high earners as key to getting the French economy moving again'",
		"'Shut Up and Drive': Saudi's paradoxical stance after female activists arrested",
		"$2.3bn for two million songs: Sony buys majority stake in EMI",
		"Burundi approves new constitution allowing president to extend time in power",
		"Populist takeover: Italy approves unprecedented coalition",
	}
}

// France24ReadMore returns the "Read more" teaser headlines of the seed page.
func France24ReadMore() []string {
	return []string{
		"Will ‘seized’ Ukrainian combat dolphins switch allegiance to Russia?",
		"UN votes to reject Russian annexation of Crimea",
		"Maidan square: Battleground turned shrine",
	}
}

// France24Page chooses what varies between two fetches of the page. The
// zero value renders the seed page as published, without stamps.
type France24Page struct {
	DontMiss     []string       // "Don't miss" teasers before the article; nil means France24DontMiss()
	ReadMore     []string       // "Read more" teasers after the article; nil means France24ReadMore()
	InlineTeaser string         // if set, a "Read more: <headline>" box after the third paragraph
	AdSlot       string         // id suffix of the ad slot after the article; "" means "top"
	GeneratedAt  string         // if set, the footer says "Page generated at <value>"
	Comments     int            // if > 0, a "<n> comments" counter under the byline
	LatestUpdate string         // the "Latest update : <value>" line; "" means France24Published
	DateCreated  string         // the "Date created : <value>" line; "" means France24Published
	Replace      map[int]string // paragraph index -> replacement text
	Extra        string         // if set, an extra paragraph after the last one
}

// France24 renders a France 24-style article page from the seed text.
func France24(p France24Page) []byte {
	dontMiss, readMore := p.DontMiss, p.ReadMore
	if dontMiss == nil {
		dontMiss = France24DontMiss()
	}
	if readMore == nil {
		readMore = France24ReadMore()
	}
	latest, created, ad := p.LatestUpdate, p.DateCreated, p.AdSlot
	if latest == "" {
		latest = France24Published
	}
	if created == "" {
		created = France24Published
	}
	if ad == "" {
		ad = "top"
	}
	e := html.EscapeString
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w(`<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<title>%s - France 24</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="France 24">
<meta property="og:type" content="article">
<meta property="og:title" content="%s">
<meta property="og:url" content="%s">
<link rel="canonical" href="%s">
<link rel="stylesheet" href="/bundles/css/main.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"page_type": "article", "generated": %q});</script>
<style>.o-ad-container{min-height:250px}</style>
</head>
<body class="t-article">
<header class="m-header">
  <a class="m-header__logo" href="/en/"><img src="/img/f24.svg" alt="FRANCE 24"></a>
  <nav class="m-header__nav"><ul>
    <li><a href="/en/france/">France</a></li><li><a href="/en/africa/">Africa</a></li>
    <li><a href="/en/middle-east/">Middle East</a></li><li><a href="/en/americas/">Americas</a></li>
    <li><a href="/en/europe/">Europe</a></li><li><a href="/en/asia-pacific/">Asia-Pacific</a></li>
  </ul></nav>
  <form class="m-search" action="/en/search"><input name="q" placeholder="Search"><button>Search</button></form>
</header>
<main class="t-content">
`, e(France24Headline), e(France24Headline), France24URL, France24URL, p.GeneratedAt)

	w(`<section class="m-em-block">
  <h2 class="m-em-block__title">Don't miss</h2>
  <div class="m-em-block__list">
`)
	for i, h := range dontMiss {
		w(`    <div class="m-item"><a href="/en/dont-miss/%d"><img src="/img/t%d.jpg" alt=""><p class="m-item__title">%s</p></a><a class="m-item__more" href="/en/dont-miss/%d">Read more</a></div>
`, i, i, e(h), i)
	}
	w(`  </div>
</section>
<article class="t-content__article-wrapper">
  <h1 class="t-content__title a-page-title">%s</h1>
  <div class="t-content__authors"><p class="m-from-author">Text by <a href="/en/tag/france-24/">FRANCE 24</a></p></div>
`, e(France24Headline))
	if p.Comments > 0 {
		w(`  <div class="t-content__comments"><a href="#comments">%d comments</a></div>
`, p.Comments)
	}
	w(`  <div class="t-content__dates"><p class="m-pub-dates"><span class="m-pub-dates__date">Latest update : %s</span></p></div>
  <div class="t-content__body u-clearfix">
`, e(latest))
	paras := France24Paragraphs()
	for i, text := range paras {
		if r, ok := p.Replace[i]; ok {
			text = r
		}
		if i == France24SubheadIndex {
			w("    <h2>%s</h2>\n", e(text))
		} else {
			w("    <p>%s</p>\n", e(text))
		}
		if i == 2 && p.InlineTeaser != "" {
			w(`    <div class="m-read-also"><p><strong>Read more:</strong> <a href="/en/inline">%s</a></p></div>
`, e(p.InlineTeaser))
		}
	}
	if p.Extra != "" {
		w("    <p>%s</p>\n", e(p.Extra))
	}
	w(`  </div>
  <p class="t-content__date-created">Date created : %s</p>
  <div class="m-share"><a href="https://twitter.com/intent/tweet">Twitter</a> <a href="https://www.facebook.com/sharer">Facebook</a></div>
</article>
<section class="m-related">
  <ul>
`, e(created))
	for i, h := range readMore {
		w(`    <li><a href="/en/related/%d"><span>%s</span></a> <a href="/en/related/%d">Read more</a></li>
`, i, e(h), i)
	}
	w(`  </ul>
</section>
<div class="o-ad-container"><div id="div-gpt-ad-%s" data-ad-slot="%s"><span class="o-ad__label">Advertisement</span></div></div>
</main>
<footer class="m-footer">
  <ul><li><a href="/en/legal">Legal</a></li><li><a href="/en/contact">Contact</a></li></ul>
  <p>© 2014 FRANCE 24 - All rights reserved</p>
`, e(ad), e(ad))
	if p.GeneratedAt != "" {
		w("  <p class=\"m-footer__stamp\">Page generated at %s</p>\n", e(p.GeneratedAt))
	}
	w("</footer>\n</body>\n</html>\n")
	return []byte(b.String())
}
