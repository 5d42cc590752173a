package extract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/internal/testsite"
)

const (
	metaHeadline = "Council approves new budget for city parks"
	metaP1       = "The city council voted on Tuesday evening to approve a new budget for the parks department, ending months of debate over how much the city should spend on playgrounds, trees and public pools."
	metaP2       = "The budget adds two million dollars for maintenance and creates twelve new gardener positions, the first increase in staff since the department was reorganised almost a decade ago."
	metaP3       = "Opponents said the money would be better spent on roads, but the measure passed by seven votes to four after a long session that ran well past midnight, according to the clerk."
)

var metaBody = "<p>" + metaP1 + "</p>\n<p>" + metaP2 + "</p>\n<p>" + metaP3 + "</p>\n"

// metaPage renders a small news page: head goes in <head>, top between
// the headline and the body, body is the article body, after follows the
// <article> inside <main>.
func metaPage(lang, head, top, body, after string) string {
	return `<!DOCTYPE html><html lang="` + lang + `"><head><meta charset="utf-8">
<title>` + metaHeadline + ` - The Courier</title>
<meta property="og:site_name" content="The Courier">
` + head + `
</head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/corrections">Corrections</a></nav></header>
<main>
<article>
<h1>` + metaHeadline + `</h1>
` + top + `
<div class="article-body">
` + body + `
</div>
</article>
` + after + `
</main>
<footer><p>© 2024 The Courier. All rights reserved.</p></footer>
</body></html>`
}

func extractPage(t *testing.T, page, url string) Document {
	t.Helper()
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ex.Extract(Input{Body: []byte(page), URL: url, ContentType: "text/html"})
	if err != nil {
		t.Fatal(err)
	}
	checkCanonical(t, doc)
	for _, v := range append([]string{doc.Description, doc.CanonicalURL, doc.PublishedText, doc.UpdatedText}, doc.Notes...) {
		if normalizeText(v) != v {
			t.Errorf("field not folded: %q", v)
		}
	}
	return doc
}

func TestDescription(t *testing.T) {
	const (
		ld      = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"` + metaHeadline + `","description":"The parks department gets its first staff increase in a decade."}</script>`
		og      = `<meta property="og:description" content="Parks win two million dollars after months of debate.">`
		meta    = `<meta name="description" content="Read the latest news about city parks.">`
		dek     = `<p class="article__dek">Parks win two   million dollars after months of debate, and twelve gardeners are hired.</p>`
		truncOG = `<meta property="og:description" content="Parks win two million dollars after months of debate, and twelve…">`
	)
	for _, tc := range []struct {
		name, head, top, body, want string
	}{
		{"json-ld before og and meta", ld + og + meta, "", metaBody, "The parks department gets its first staff increase in a decade."},
		{"og before meta", og + meta, "", metaBody, "Parks win two million dollars after months of debate."},
		{"meta alone", meta, "", metaBody, "Read the latest news about city parks."},
		{"visible dek agreeing with truncated og wins", truncOG + meta, dek, metaBody,
			"Parks win two million dollars after months of debate, and twelve gardeners are hired."},
		{"declared wins over a dek that disagrees with all of it", ld, dek, metaBody, "The parks department gets its first staff increase in a decade."},
		{"visible dek alone", "", dek, metaBody, "Parks win two million dollars after months of debate, and twelve gardeners are hired."},
		{"standfirst by itemprop", "", `<div itemprop="description"><p>Twelve gardeners will be hired under the plan.</p></div>`, metaBody,
			"Twelve gardeners will be hired under the plan."},
		{"caption is not a standfirst", "", `<figure><img src="p.jpg"><figcaption class="image-description">Children play in Riverside Park on a sunny afternoon.</figcaption></figure>`, metaBody, ""},
		{"a class word must start or end with the name", "", `<p class="sidekick">Parks win two million dollars after months of debate.</p>`, metaBody, ""},
		{"equal to the first paragraph: omitted", `<meta name="description" content="` + metaP1 + `">`, "", metaBody, ""},
		{"truncated first paragraph: omitted", `<meta name="description" content="` + metaP1[:120] + `…">`, "", metaBody, ""},
		{"first two paragraphs: omitted", `<meta name="description" content="` + metaP1 + " " + metaP2 + `">`, "", metaBody, ""},
		{"excerpt running into the second paragraph: omitted", `<meta name="description" content="` + metaP1 + " " + metaP2[:40] + ` [&hellip;]">`, "", metaBody, ""},
		{"the first paragraph and more: kept", `<meta name="description" content="` + metaP1 + ` Twelve gardeners will be hired.">`, "", metaBody, metaP1 + " Twelve gardeners will be hired."},
		{"equal to the headline: skipped", `<meta property="og:description" content="` + metaHeadline + `">` + meta, "", metaBody, "Read the latest news about city parks."},
		{"markup and references in json-ld resolved", `<script type="application/ld+json">{"@type":"NewsArticle","description":"<p>Parks&#8217; budget &amp; staff</p>"}</script>`, "", metaBody,
			"Parks’ budget & staff"},
		{"none", "", "", metaBody, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := extractPage(t, metaPage("en", tc.head, tc.top, tc.body, ""), "https://courier.example/news/parks")
			if doc.Description != tc.want {
				t.Errorf("Description = %q, want %q", doc.Description, tc.want)
			}
			if doc.Title != metaHeadline {
				t.Errorf("Title = %q", doc.Title)
			}
		})
	}
}

func TestDescriptionDoesNotChangeCanonical(t *testing.T) {
	plain := extractPage(t, metaPage("en", "", "", metaBody, ""), "")
	with := extractPage(t, metaPage("en", `<meta name="description" content="Read the latest news about city parks.">`, "", metaBody, ""), "")
	if with.Description == "" || plain.Canonical() != with.Canonical() {
		t.Errorf("description %q changed the canonical text:\n%s", with.Description, cmp.Diff(plain.Canonical(), with.Canonical()))
	}
}

func TestCanonicalURL(t *testing.T) {
	for _, tc := range []struct {
		name, head, url, want string
	}{
		{"absolute", `<link rel="canonical" href="https://courier.example/news/parks-budget">`, "https://m.courier.example/x?utm=1", "https://courier.example/news/parks-budget"},
		{"relative, resolved", `<link rel="canonical" href="/news/parks-budget">`, "https://courier.example/amp/parks?x=1", "https://courier.example/news/parks-budget"},
		{"relative to the directory", `<link rel="canonical" href="parks-budget">`, "https://courier.example/news/amp", "https://courier.example/news/parks-budget"},
		{"protocol-relative", `<link rel="canonical" href="//courier.example/news/parks-budget">`, "http://courier.example/a", "http://courier.example/news/parks-budget"},
		{"base href", `<base href="https://cdn.courier.example/site/"><link rel="canonical" href="news/parks-budget">`, "https://courier.example/a", "https://cdn.courier.example/site/news/parks-budget"},
		{"rel token list, any case", `<link rel="alternate Canonical" href=" https://courier.example/p ">`, "", "https://courier.example/p"},
		{"link before og:url", `<meta property="og:url" content="https://courier.example/og"><link rel="canonical" href="https://courier.example/link">`, "", "https://courier.example/link"},
		{"og:url fallback", `<meta property="og:url" content="/news/parks-budget">`, "https://courier.example/a/b", "https://courier.example/news/parks-budget"},
		{"relative without page URL: as written", `<link rel="canonical" href="/news/parks-budget">`, "", "/news/parks-budget"},
		{"not http", `<link rel="canonical" href="javascript:alert(1)">`, "https://courier.example/a", ""},
		{"none", ``, "https://courier.example/a", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := extractPage(t, metaPage("en", tc.head, "", metaBody, ""), tc.url)
			if doc.CanonicalURL != tc.want {
				t.Errorf("CanonicalURL = %q, want %q", doc.CanonicalURL, tc.want)
			}
		})
	}
}

func TestDateTexts(t *testing.T) {
	for _, tc := range []struct {
		name, lang, head, top                 string
		published, publishedText, upd, updTxt string
	}{
		{"json-ld as written", "en", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T09:30:00","dateModified":"2024-03-06T10:00:00+01:00"}</script>`, "",
			"2024-03-05T09:30:00Z", "2024-03-05T09:30:00", "2024-03-06T10:00:00+01:00", "2024-03-06T10:00:00+01:00"},
		{"meta as written", "en", `<meta property="article:published_time" content=" 2024-03-05 ">`, "",
			"2024-03-05", "2024-03-05", "", ""},
		{"visible lines before json-ld", "en", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05","dateModified":"2024-03-05"}</script>`,
			`<p class="dates">Published 5 March 2024 | Updated: 6 March 2024, 14:05 CET</p>`,
			"2024-03-05", "Published 5 March 2024", "2024-03-06T14:05:00+01:00", "Updated: 6 March 2024, 14:05 CET"},
		{"time element", "en", "", `<time itemprop="datePublished" datetime="2024-03-05T09:30:00-05:00">March 5</time>`,
			"2024-03-05T09:30:00-05:00", "2024-03-05T09:30:00-05:00", "", ""},
		{"en-US reads month first", "en-US", "", `<p>Updated: 03/04/2024</p>`, "", "", "2024-03-04", "Updated: 03/04/2024"},
		{"en-GB reads day first", "en-GB", "", `<p>Updated: 03/04/2024</p>`, "", "", "2024-04-03", "Updated: 03/04/2024"},
		{"bare en reads day first", "en", "", `<p>Updated: 03/04/2024</p>`, "", "", "2024-04-03", "Updated: 03/04/2024"},
		{"og:locale en_US when no lang", "", `<meta property="og:locale" content="en_US">`, `<p>Updated: 03/04/2024</p>`, "", "", "2024-03-04", "Updated: 03/04/2024"},
		{"impossible order swapped", "en-GB", "", `<p>Updated: 03/29/2024</p>`, "", "", "2024-03-29", "Updated: 03/29/2024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := extractPage(t, metaPage(tc.lang, tc.head, tc.top, metaBody, ""), "")
			got := [4]string{doc.Published, doc.PublishedText, doc.Updated, doc.UpdatedText}
			want := [4]string{tc.published, tc.publishedText, tc.upd, tc.updTxt}
			if got != want {
				t.Errorf("dates = %q, want %q", got, want)
			}
		})
	}
}

func TestFrance24DateTexts(t *testing.T) {
	doc := france24Doc(t, testsite.France24Page{LatestUpdate: "2014-03-30 10:05", DateCreated: "2014-03-29"})
	if doc.UpdatedText != "Latest update : 2014-03-30 10:05" || doc.Updated != "2014-03-30T10:05:00Z" {
		t.Errorf("Updated = %q from %q", doc.Updated, doc.UpdatedText)
	}
	if doc.PublishedText != "Date created : 2014-03-29" || doc.Published != "2014-03-29" {
		t.Errorf("Published = %q from %q", doc.Published, doc.PublishedText)
	}
}

func TestNotes(t *testing.T) {
	const (
		corr    = "Correction: An earlier version of this article misstated the number of gardeners to be hired."
		update  = "Update: The mayor signed the budget on Wednesday morning."
		earlier = "An earlier version of this story gave the wrong date for the vote."
	)
	for _, tc := range []struct {
		name, top, body, after string
		want                   []string
		inBody                 bool // the first note stays in Paragraphs
	}{
		{name: "label in the body", body: metaBody + "<p>" + corr + "</p>", want: []string{corr}, inBody: true},
		{name: "phrase in the body", body: "<p><em>" + earlier + "</em></p>" + metaBody, want: []string{earlier}, inBody: true},
		{name: "update label at the edge", body: metaBody + "<p>" + update + "</p>", want: []string{update}, inBody: true},
		{name: "update label in the middle is text", body: "<p>" + metaP1 + "</p><p>" + update + "</p><p>" + metaP2 + "</p><p>" + metaP3 + "</p>"},
		{name: "box after the article", body: metaBody,
			after: `<div class="article-correction"><h4>Correction</h4><p>An earlier version of this article misstated the vote count.</p></div>`,
			want:  []string{"Correction: An earlier version of this article misstated the vote count."}},
		{name: "editor's note box before the body", body: metaBody,
			top:  `<aside id="editors_note">This story has been updated to include the mayor's comments.</aside>`,
			want: []string{"This story has been updated to include the mayor's comments."}},
		{name: "clarification box with a label", body: metaBody,
			after: `<section class="clarification"><p>Clarification: The parks budget covers two fiscal years, not one.</p></section>`,
			want:  []string{"Clarification: The parks budget covers two fiscal years, not one."}},
		{name: "two notes in one box", body: metaBody,
			after: `<div class="corrections"><p>Correction (5 March): The vote was seven to four.</p><p>Correction (6 March): The meeting ran past midnight.</p></div>`,
			want:  []string{"Correction (5 March): The vote was seven to four.", "Correction (6 March): The meeting ran past midnight."}},
		{name: "body and box, same note once", body: metaBody + `<p class="correction">` + corr + `</p>`,
			want: []string{corr}, inBody: true},
		{name: "report-a-correction link is not a note", body: metaBody,
			after: `<p class="report-correction"><a href="/contact">Report a correction</a></p>`},
		{name: "labelled paragraph outside the body", body: metaBody,
			after: `<p><strong>Correction:</strong> The vote was held on Tuesday, not Monday.</p>`,
			want:  []string{"Correction: The vote was held on Tuesday, not Monday."}},
		{name: "no notes", body: metaBody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := extractPage(t, metaPage("en", "", tc.top, tc.body, tc.after), "")
			if diff := cmp.Diff(tc.want, doc.Notes); diff != "" {
				t.Errorf("Notes (-want +got):\n%s\nparagraphs: %q", diff, doc.Paragraphs)
			}
			if tc.inBody && !containsString(doc.Paragraphs, tc.want[0]) {
				t.Errorf("note %q not kept in Paragraphs %q", tc.want[0], doc.Paragraphs)
			}
			if !tc.inBody && len(tc.want) > 0 && containsString(doc.Paragraphs, tc.want[0]) {
				t.Errorf("outside note %q is in Paragraphs", tc.want[0])
			}
		})
	}
}

func TestNoteOutsideTheArticleArea(t *testing.T) {
	page := `<html lang="en"><head><title>` + metaHeadline + `</title></head><body>
<article><h1>` + metaHeadline + `</h1>` + metaBody + `</article>
<div class="sidebar"><div class="teaser"><p>Correction: Another story entirely has been corrected today.</p></div></div>
<div class="correction-policy"><p>We correct errors promptly; see our corrections policy for how to ask for one.</p></div>
</body></html>`
	if doc := extractPage(t, page, ""); doc.Notes != nil {
		t.Errorf("Notes = %q, want none: not near the article", doc.Notes)
	}
}

func TestParseDateZonesAndOrder(t *testing.T) {
	for _, tc := range []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"03/04/2014", false, "2014-04-03"},
		{"03/04/2014", true, "2014-03-04"},
		{"29/03/2014", true, "2014-03-29"},
		{"2014-03-29 10:00:00 EDT", false, "2014-03-29T10:00:00-04:00"},
		{"Sat, 29 Mar 2014 10:23:00 CET", false, "2014-03-29T10:23:00+01:00"},
		{"Sat, 29 Mar 2014 10:23:00 GMT", false, "2014-03-29T10:23:00Z"},
		{"Sat, 29 Mar 2014 10:23:00 XYZ", false, "2014-03-29T10:23:00Z"},
		{"March 30, 2014 10:00 am EDT", false, "2014-03-30T10:00:00-04:00"},
		{"30 March 2014 10:00 GMT+1", false, "2014-03-30T10:00:00+01:00"},
		{"30 March 2014 10:00 (UTC-05:30)", false, "2014-03-30T10:00:00-05:30"},
		{"30.03.2014 10:00 +0200", false, "2014-03-30T10:00:00+02:00"},
		{"30 March 2014 10:00 Uhr", false, "2014-03-30T10:00:00Z"},
		{"3 mars 2020 à 14h05", false, "2020-03-03T14:05:00Z"},
	} {
		if got := parseDate(tc.in, tc.monthFirst); got != tc.want {
			t.Errorf("parseDate(%q, %v) = %q, want %q", tc.in, tc.monthFirst, got, tc.want)
		}
	}
}

func TestMonthFirst(t *testing.T) {
	for lang, want := range map[string]bool{
		"en-US": true, "en_us": true, "es-US": true, "en-PH": true, "en": false, "en-GB": false,
		"fr-FR": false, "us": false, "": false, "zh-Hant-US": true,
	} {
		if got := monthFirst(lang); got != want {
			t.Errorf("monthFirst(%q) = %v, want %v", lang, got, want)
		}
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(x, y) {
			return true
		}
	}
	return false
}
