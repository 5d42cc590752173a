// Package extract turns a fetched page into a Document, the structured
// form redline stores and compares, and from it the canonical text. It is
// pure: no network, file or database access; an Extractor is immutable and
// safe for concurrent use.
//
// # The canonical form
//
// Document.Canonical renders the headline, byline, published and updated
// dates and the body paragraphs (see the architecture notes, "The canonical
// document"). Every mode guarantees, for every field and paragraph: valid
// UTF-8, Unicode NFC, invisible characters (zero-width spaces, soft
// hyphens, BOM) removed, every run of white space folded into one space, no
// leading or trailing space, hence no newline inside a paragraph and never
// two blank lines in a row; empty paragraphs are dropped. Dates are
// "2006-01-02" when only the day is known and RFC 3339 when a time is known
// (a time given without an offset is taken as UTC).
//
// The goal is stability: two fetches of the same article give the same
// canonical text even when the teasers, ad slots, generation stamps and
// comment counters around it change; any edit of the article's own text
// changes it.
//
// # Modes
//
// article (the default): the article's headline, byline, dates, language
// and body. The steps, in order:
//
//  1. Metadata is read from the whole page: JSON-LD (the first object whose
//     @type is an Article or Posting: headline, author, datePublished,
//     dateModified, inLanguage), meta tags (og:title, article:published_time,
//     article:modified_time, og:updated_time, author, …), <h1> elements,
//     <time itemprop=…>, rel=author links, and short visible lines such as
//     "Latest update : 2014-03-29", "Date created : …", "Updated: …",
//     "Mis à jour le …", "Aktualisiert am …", "Actualizado …", "By …",
//     "Text by …". Each field takes the first source that has it, in the
//     order JSON-LD, meta tags, visible lines, other markup. The headline is
//     the <h1> that agrees with the declared headline, else the declared
//     headline, else a lone <h1>, else <title> without its " - Site" suffix.
//  2. Boilerplate elements are removed (boilerplate.go): script, style,
//     nav; aside, footer and form unless they hold prose; elements whose
//     class or id names an ad, teaser box or widget; boxes headed by a label
//     ("Don't miss", "Read more", "Related", "More:", "Advertisement",
//     newsletter sign-ups, in several languages) together with the link
//     lists they head; lists made of links; "Read more: <headline>" lines;
//     stamps and counters. An element holding 400 or more characters of
//     prose is never removed by these rules.
//  3. go-trafilatura (comments excluded, its own date search disabled)
//     picks the main content of what is left. If it returns a whole
//     <article> as one paragraph (its baseline), the paragraphs are taken
//     from that element instead; if it returns almost nothing, it is run
//     again on the untouched page.
//  4. Its output is split into paragraphs, one per block element (a <br>
//     also ends a paragraph, table cells are joined with spaces), and
//     filtered once more: the headline repeated at the top, the date and
//     byline lines found in step 1, leftover labels, "Read more: …" lines,
//     "Page generated at …" stamps and "12 comments" counters are dropped.
//
// text: all visible text of the page (not script, style, noscript,
// template, elements marked hidden or display:none), one paragraph per
// block element, after removing Options.Exclude. Title is the <title>.
//
// selector: the text of the elements matching any of Options.Select, in
// document order, one paragraph per block; an element inside another
// matched element is not repeated. Exclude is applied first.
//
// raw: the body as plain text, without HTML parsing (for text/plain, JSON,
// CSV): each non-blank line is one paragraph, so runs of blank lines fold
// away and Canonical separates lines with one blank line. Title is empty.
//
// Options.Ignore drops, in every mode, the paragraphs that any of its
// regular expressions matches (unanchored: a match anywhere drops the
// paragraph). It never applies to the headline, byline or dates: a date
// bump is a change of its own, which the diff package classifies.
//
// # What is not done
//
// No fetching, charset decoding (Input.Body must already be UTF-8) or
// JavaScript rendering. No images, captions as such, or links. Comments
// below an article are not extracted. Multi-page articles are not joined.
// A page nested more than 512 elements deep cannot be parsed and is an
// error; anything else, however broken, gives a Document, possibly with no
// paragraphs, and the caller decides what an empty article means. Dates
// given only relatively ("2 hours ago") are not resolved, and the day/month
// order of "03/04/2014" is taken as day first.
package extract
