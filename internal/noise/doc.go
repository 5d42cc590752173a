// Package noise adds to an HTML page the noise a news site rotates between
// two fetches of the same article, so that tests and benchmarks can check
// that an extractor's canonical text ignores it.
//
// The noise is placed relative to the article's container, the element
// with the most text in direct <p> children (see Container). The kinds are:
//
//   - Teasers: a "Don't miss" section of three teaser links, just before
//     the container.
//   - AdSlot: an ad slot (id "div-gpt-ad-…", class "o-slot") holding the
//     label "Advertisement", just after the container.
//   - Related: a "Related" box of two linked teaser headlines, after the
//     container (and after the ad slot).
//   - ReadMore: a "Read more: <headline>" paragraph inside the container,
//     after its second <p> child (none if it has fewer than two).
//   - Comments: a "<n> comments" counter (a link to #comments in a
//     div.meta) as the container's first child.
//   - Stamp: a "Page generated at <RFC 3339 time>" paragraph (p.stamp) at
//     the end of <body>.
//
// The headlines, counts, times and link targets are chosen from the seed:
// the same page, seed and kinds always give the same output, and two
// different seeds give different headlines, counts and stamps. Headlines
// come from a fixed list of twelve real news headlines (Headlines),
// rotating five places per seed, so two seeds that differ by less than
// twelve never put the same headline in the same place.
//
// Everything is a pure function over the parsed tree (Inject) or the bytes
// of a page (InjectHTML, which parses, injects and renders with
// golang.org/x/net/html); nothing is read from or written to anywhere
// else. Rendering itself can change a page slightly (attribute quoting,
// implied elements such as <tbody>, character references); Rerender gives
// the page rendered without noise, for comparisons that must tell the two
// apart.
package noise
