// Package extract turns a fetched page into a Document, the structured
// form redline stores and compares, and from it the canonical text. It is
// pure: no network, file or database access; an Extractor is immutable and
// safe for concurrent use.
//
// # The canonical form
//
// Document.Canonical renders the headline, byline, published and updated
// dates and the body paragraphs (see the architecture notes, "The canonical
// document"), and in article mode what the page declares beside them (see
// "Declared data" below). Every mode guarantees, for every field and paragraph: valid
// UTF-8, Unicode NFC, invisible characters (zero-width spaces, soft
// hyphens, BOM) removed, every run of white space folded into one space, no
// leading or trailing space, hence no newline inside a paragraph and never
// two blank lines in a row; empty paragraphs are dropped. Dates are
// "2006-01-02" when only the day is known and RFC 3339 when a time is known
// (a time given without an offset or a known zone abbreviation such as
// EST or CET is taken as UTC).
//
// Besides the fields of the canonical text, article mode fills fields that
// are stored with a revision but not compared: Description (the standfirst),
// CanonicalURL, PublishedText and UpdatedText (the text each date was read
// from, e.g. "Latest update : 2014-03-29") and Notes (correction and
// editor's notes, in the body or next to it; notes in the body stay in the
// paragraphs too, so they are compared).
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
//     "Text by …". Dates take the first source that has them in the order
//     visible lines, JSON-LD, meta tags, <time>: what the reader sees comes
//     first, since structured data is often stale or regenerated with every
//     page. The headline is the first <h1> (other than a site-name banner)
//     that agrees with a declared headline, else itemprop=headline, else the
//     declared headline, else a lone <h1>, else <title> without its
//     " - Site" suffix.
//  2. Boilerplate elements are removed (boilerplate.go): script, style,
//     nav; aside, footer and form unless they hold prose; elements whose
//     class or id names an ad, teaser box or widget; boxes headed by a label
//     ("Don't miss", "Read more", "Related", "More:", "Advertisement",
//     newsletter sign-ups, in several languages) together with the link
//     lists they head; lists made of links; "Read more: <headline>" lines;
//     stamps and counters; visible date lines, already read as metadata
//     (left in, a "Latest update" line under the headline can send the
//     content scoring of step 3 elsewhere). An element holding 400 or more characters of
//     prose is never removed by these rules.
//  3. go-trafilatura (comments excluded, its own date search disabled)
//     picks the main content of what is left. If it returns one paragraph
//     (its baseline glues a whole <article> into one), the paragraphs are
//     taken from the page element with that text instead; if it returns
//     almost nothing (under 250 characters), it is run again on the
//     untouched page, and that result is taken if it is longer once the
//     paragraphs of the elements step 2 removed are dropped from it (and,
//     if it is one glued paragraph that no element of the page matches,
//     not at all), so a short brief cannot bring its teasers back.
//     Embedded posts (the <blockquote class="twitter-tweet"> of a tweet,
//     and Instagram, Threads, TikTok, Bluesky and Reddit ones) that stand
//     between the article's first and last paragraphs are put back in
//     place: readers see them as quotes in the article (go-trafilatura
//     drops them, and their wrappers' "social" classes would make step 2
//     drop them too). The shared benchmark's annotators mostly leave them
//     out (F1 0.973 without them, 0.972 with), but an edit to a quoted
//     post is an edit readers see.
//  4. Its output is split into paragraphs, one per block element (a <br>
//     also ends a paragraph, table cells are joined with spaces), and
//     filtered once more: the headline repeated at the top, the date and
//     byline lines found in step 1, leftover labels, "Read more: …" lines,
//     "Page generated at …" stamps and "12 comments" counters are dropped.
//
// Declared data (declared.go). A page also says things the reader does not
// see in the article: its <title>, often a search-engine headline of its
// own, and a structured copy of the article for machines (a hidden
// schema.org itemprop=articleBody block, or a JSON-LD articleBody, which
// may be escaped HTML or a summary cut with "…"). Publishers edit these
// too, sometimes apart from the visible text. Two header fields carry them,
// and only where they differ from the article, so a page whose declared
// data repeats it gets nothing more (of the 181 benchmark pages, 42 show a
// page title and 5 structured sentences): "Page title: " when the title, less a " - Site"
// suffix, is not the headline, and one "Structured data: " line per
// sentence of the copy that the visible text (headline, standfirst, body,
// notes) does not contain, matched on words in order, so line breaks and
// punctuation do not count (at most 20). A visible itemprop=articleBody is
// the article itself and is read as such; hidden elements are removed
// before step 3, so a hidden copy never enters the body.
//
// text: all visible text of the page (not script, style, noscript,
// template, elements marked hidden or display:none), one paragraph per
// block element, after removing Options.Exclude. Title is the <title>.
//
// selector: the text of the elements matching any of Options.Select (CSS
// selectors or XPath expressions, see below), in document order, one
// paragraph per block; an element inside another matched element is not
// repeated. Exclude is applied first.
//
// raw: the body as plain text, without HTML parsing (for text/plain, JSON,
// CSV): each non-blank line is one paragraph, so runs of blank lines fold
// away and Canonical separates lines with one blank line. Title is empty.
//
// json: the body is one JSON document (white space around it and a leading
// byte order mark allowed); anything else, including an empty body or data
// after the document, is an error naming the byte offset where parsing
// failed. Title, byline, dates and language are empty. Numbers are kept as
// written ("4.50" stays "4.50"). Options.Exclude does not apply.
//
// Without Options.Select, every leaf of the document is one paragraph,
// "path: value", in a stable order: object keys sorted (byte order), array
// elements by index. The path is the leaf's gjson path (keys joined with
// ".", array indexes as numbers, the characters gjson treats specially
// escaped with "\"), so it can be pasted into Select; the value is a
// string's text, a number as written, true, false, null, or {} and [] for
// an empty object or array; a document that is a lone scalar gives that
// value alone. Key order and white space are thus never changes, and a
// changed value changes exactly its line:
//
//	components.1.status: degraded_performance
//	status.indicator: minor
//
// With Options.Select, each entry is a gjson path (github.com/tidwall/gjson
// syntax: "status.indicator", "data.items.#.title", queries such as
// `components.#(status!="operational")#.name`, modifiers such as
// "@reverse"), and its result gives paragraphs, entry after entry: nothing
// when it matches nothing; a string its text; a number or boolean its
// literal; null "null"; an array one paragraph per element (a string
// element its text, an object or array element compact JSON with sorted
// keys, such as {"a":1,"b":[true]}); an object its "path: value" lines
// relative to it, as for a whole document. If several keys of an object
// have the same name, the whole-document form keeps the last and gjson
// paths find the first.
//
// gjson accepts any string as a path (a bad one just matches nothing), so
// New checks the syntax gjson documents: a path is not blank; no component
// is empty (no leading or trailing "." or "|", none twice in a row, hence
// no ".." JSON Lines prefix); a "\" escapes the next character and cannot
// end the path; queries "#(…)", multipaths "[…]" and "{…}", and JSON
// modifier arguments and literals are closed, with closed strings inside,
// and a closing bracket outside them must be escaped; a component starting
// with "@" names a modifier gjson knows. It then runs the path once on a
// small document.
//
// Options.Ignore drops, in every mode, the paragraphs that any of its
// regular expressions matches (unanchored: a match anywhere drops the
// paragraph). It never applies to the headline, byline or dates: a date
// bump is a change of its own, which the diff package classifies.
//
// # XPath selectors
//
// In Options.Select and Options.Exclude, an entry that starts (after white
// space) with "/", "./" or "(" is an XPath 1.0 expression (antchfx/xpath,
// evaluated from the document node of the x/net/html tree); any other entry
// is a CSS selector group. No CSS selector can start so. New compiles every
// entry and its error names the one that fails. In selector mode, an XPath
// that selects elements is used exactly like a CSS selector; one that
// selects text or comment nodes keeps each node's text as a paragraph, and
// one that selects attributes keeps each attribute's value as a paragraph,
// at its element's place in document order. Nothing is repeated: a text
// node inside a kept element is not kept again; attribute values, never
// part of an element's text, are kept even inside one. An expression that
// gives a value instead of nodes ("(count(//li))", "(string(//@data-x))")
// adds that value (a number as a plain decimal, a boolean as true or false)
// after the document-ordered paragraphs, in Select order. In Exclude, an
// XPath removes the elements, text and comment nodes it selects and the
// attributes it selects from their elements; one that gives a value is an
// error. Selectors and expressions apply in list order, each to the tree
// the previous ones left. An XPath that fails while being evaluated on a
// page (antchfx/xpath panics on a few, such as some comparisons of an
// empty string with a number) makes Extract return an error naming it.
//
// # Explain
//
// [Extractor.Explain] returns the same Document as Extract and every
// visible block of the page (each run of text that would be a paragraph in
// text mode, and each element hidden by its markup), in document order,
// with a CSS selector for it and whether the Document kept its text. A
// block not kept says why: the Exclude entry or the boilerplate rule of
// step 2 that removed it or an ancestor ("navigation (<nav>)", `box
// labelled "Don't miss"`, "link list", …), "hidden", the Ignore expression
// that matched it, "not part of the article" (go-trafilatura did not pick
// it) or "not selected". The selector starts at the nearest ancestor with
// a hand-written id (or at body) and names each element by tag, the class
// names that do not look generated (no run of three digits) and
// :nth-of-type where siblings share the tag, so that it can be put in an
// Exclude list as it is. The monitor uses the selectors to learn which
// blocks of a watched page change on most fetches.
//
// # Fingerprint
//
// Most fetches of an article find it as it was, among new bytes (rotated
// teasers, ad ids, stamps). In article mode, [Extractor.Analyze] hashes
// what go-trafilatura is about to receive, after step 2: the header the
// metadata gives (headline, byline, dates and language, read without
// go-trafilatura's fallbacks) and the cleaned tree (element names, class
// and id words, hidden marks, text with each run of white space as one
// space; script and style left out, and the elements Options.Exclude
// removed). Given the fingerprint of an earlier page, it stops there when
// the two agree: the same input gives go-trafilatura the same output, so
// the canonical text is the earlier page's, at a fraction of the cost (the
// parse, the metadata and the boilerplate removal, not the content scoring
// and what follows). When they differ, the extraction goes on from the
// same parse: the cleaning's edits to the tree are recorded and undone,
// rather than the page parsed twice. Left out of the hash, as noise that does not move the
// extraction: class and id words with a run of three digits (generated
// ad-slot and build ids) and all other attributes. The fallback of step 3
// reads the untouched page; on the rare short page that takes it, teasers
// outside the cleaned tree could in principle change its result while the
// fingerprint stays.
//
// # What is not done
//
// No fetching, charset decoding (Input.Body must already be UTF-8) or
// JavaScript rendering. No images, captions as such, or links. Comments
// below an article are not extracted. Multi-page articles are not joined.
// A page nested more than 512 elements deep cannot be parsed and is an
// error, as is, in json mode, a body that is not valid JSON, and an XPath
// that fails on a page; anything else, however broken, gives a Document,
// possibly with no paragraphs, and the caller decides what an empty
// article means. Dates given only relatively ("2 hours ago") are not
// resolved; "03/04/2014" is read day first, or month first when the page
// declares a US-style locale (en-US, es-US, …).
package extract
