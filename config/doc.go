// Package config loads and validates redline's YAML configuration file.
//
// Its one job is to turn the file into a [Config] or say precisely what is
// wrong with it. It does no I/O beyond reading the file ([Load]), knows
// nothing of the store, the fetcher or the extractor, and imports none of
// redline's packages. It does not compile the regular expressions and CSS
// selectors it returns (it only checks that they compile), choose the
// database when the file names none, or sync watches into the store: the
// callers do.
//
// # The file
//
// A commented example is in testdata/example.yaml. Every key is optional
// except each watch's url:
//
//	db: ~/.local/share/redline/redline.db  # SQLite file or postgres:// DSN
//	defaults:
//	  mode: article                        # article | text | selector | raw | json
//	  timeout: 30s
//	  max_body: 10MiB
//	  user_agent: ""
//	  ignore: ["^Advertisement$"]
//	  exclude: [".cookie-banner"]
//	  confirm_delay: 5s
//	  volatile: suggest                    # suggest | ignore | off
//	  ignore_numbers: false
//	watches:
//	  - url: https://www.france24.com/en/20140329-putin-obama-ukraine
//	    name: france24-putin
//	    tags: [news, russia]
//	    mode: selector
//	    select: ["article .t-content__body"]
//	    exclude: [".m-em-newsletter"]
//	    ignore: ['^\d+ comments$']
//	    confirm: true
//	    volatile: ignore
//	    ignore_numbers: true
//
// Top level:
//
//   - db: where revisions are stored: a SQLite file path, in which a leading
//     "~/" means the home directory, or a postgres:// DSN. No default here:
//     when the file does not set it, the --db flag, the REDLINE_DB environment
//     variable or the CLI's own default decide; the flag and the variable
//     also override it.
//   - listen: the host:port `redline run` serves /metrics, /healthz and
//     /readyz on. Default 127.0.0.1:8080.
//   - hosts: per-host politeness rules, a list of {match, concurrency,
//     delay}: match (required) is a glob on the lower-case host name
//     without its port ("*.example.org"); concurrency (0: no limit) and
//     delay default to defaults.host_concurrency and host_delay. The first
//     rule that matches a host applies.
//   - retention: {checks: D}: `redline run` deletes check rows older than
//     the Go duration D every hour; 0 keeps them forever. Default 720h.
//   - base_url: the address readers reach `redline run`'s listen address
//     at (e.g. http://redline.internal:8080); notifications link to the
//     revision pages it serves, BASE/watches/ID/revisions/N. Default none
//     (no links).
//   - notifiers: a mapping of names (letters, digits, '-', '_'; at most
//     64) to channels: {type: webhook, url, secret, headers, timeout},
//     {type: shoutrrr, url, template, timeout}, {type: email, url:
//     smtp://…, from, to (one or a list), template (the text part),
//     html_template (the HTML part; see notify/email.go), timeout}, {type:
//     command, command: [program, args…], timeout}. A missing url, from,
//     to or command, an unknown type or a malformed webhook URL is an
//     error at the notifier; the notify package checks the rest when
//     redline starts.
//   - tags: a mapping of tag names to {notify: routes}: the routes of the
//     watches carrying the tag that declare none.
//   - outbox: {max_attempts: N, max_age: D, min_backoff: D, max_backoff:
//     D}: a delivery that failed N times (default 10), or for longer than
//     max_age (default 72h), is given up (dead; `redline outbox retry`
//     revives it); between attempts it waits min_backoff (30s), doubling
//     up to max_backoff (1h), with jitter.
//
// Routes (the notify key of defaults, tags and watches) are a list whose
// elements are a notifier name, or a mapping {to: name, on: [...],
// min_words: N, contains: [...], not_contains: [...], quiet_hours:
// "22:00-07:00 Europe/Paris", digest: "0 18 * * *"}; with digest, the
// route's messages are collected and sent as one at each firing of the
// cron spec (or @every). on lists new, body, headline, metadata,
// errors or revision classes (silent-edit, correction, …); default body,
// headline, metadata and errors. contains and not_contains look at the
// added text only, case insensitively. A watch's own routes win over its
// tags', which win over the defaults'; notify: [] sends nothing; one list
// routes a notifier once.
//
// Values may use ${NAME} for an environment variable; when NAME is not set
// but NAME_FILE is, the value is that file's content (less one final
// newline), as Docker and Kubernetes hand out secrets.
//   - defaults: settings shared by every watch (below).
//   - watches: the list of pages to monitor (below). The file is the source
//     of truth for the watches it declares.
//
// defaults:
//
//   - mode: the extraction mode of watches that set none. Default article.
//     One of: article (the main article: headline, byline, dates and body
//     found automatically), text (all visible text), selector (the text of
//     the elements matched by a watch's select), raw (the body as received,
//     one paragraph per line, for feeds and plain text) or json (the body
//     parsed as JSON: every leaf as a "path: value" line with keys sorted,
//     so key order and white space are not changes, or the values at a
//     watch's select paths).
//   - timeout: the limit for one fetch, a Go duration such as 30s, 2m or
//     1m30s (units ms, s, m, h). Must be positive. Default 30s.
//   - max_body: the cap on a response body after decompression: a whole
//     number of bytes, or a number with a unit, B, KB (1000), KiB (1024), MB,
//     MiB, GB or GiB, with or without a space, case ignored. Must be
//     positive. Default 10MiB.
//   - user_agent: the User-Agent header sent. Default empty, meaning
//     redline's own.
//   - ignore: regular expressions (Go RE2 syntax) added to every watch's
//     ignore list. Default none.
//   - exclude: CSS selectors or XPath expressions (see select) added to
//     every watch's exclude list. Default none.
//   - confirm_delay: when a check sees a change, redline fetches the page
//     again after this delay (with a cache-busting request) and records the
//     revision only if the new text reproduces; otherwise the check counts
//     as flapping. A Go duration from 0 (confirmation off for every watch)
//     to 10m. Default 5s.
//   - volatile: what to do with the blocks of a page that change on most
//     fetches (a ticker, a "last updated" line, a rotating module inside
//     the kept text). redline remembers, per watch, how often each kept
//     block changed on recent fetches; a block that changed on at least
//     three of them, and on at least three quarters of its last eight, is
//     volatile (one change never makes a block volatile). suggest (the
//     default) learns them and shows them, with an exclude rule to copy, in
//     `redline extract --explain` and in the log; ignore also treats a
//     change confined to volatile blocks (each changed line comes from one,
//     none removed without a replacement) as no change, as long as they
//     hold less than half of the page's text; off learns nothing.
//   - schedule: when `redline run` checks a watch: a cron spec (five
//     fields, or six with seconds first; @yearly, @monthly, @weekly,
//     @daily, @hourly; "@every 30m"; an optional "CRON_TZ=Area/City " or
//     "TZ=Area/City " prefix) or "adaptive" (see package schedule: every
//     15m while the article is under 3 hours old or just changed, then
//     hourly, every 3h, daily and weekly as it ages and stays still).
//     Default "@hourly". A spec that cannot fire (Feb 30) or has a step
//     above its field's range is an error.
//   - adaptive: {min, max}, the bounds of the adaptive interval (Go
//     durations; defaults 15m and 168h).
//   - host_concurrency, host_delay: at most this many requests at once
//     (0: no limit) and this long between two, to each remote host no
//     hosts rule matches. Defaults 2 and 1s. Loopback hosts (localhost,
//     127.0.0.0/8, ::1) are not limited unless a rule matches them.
//   - failing_after: a watch's health is failing once this many checks in
//     a row failed, until one succeeds. Default 3.
//   - robots: true or false; true makes checks obey the site's robots.txt
//     (for redline's user agent; refetched every 12 hours; a disallowed
//     page is a failed check). Default false: a watch is one page a person
//     asked for, as in a browser. Watches added with `redline add` follow
//     this default.
//   - keep: which revisions `redline run` keeps: a whole number (the
//     newest N) or a Go duration (those fetched within it); the first and
//     the newest revision are always kept. Default: all.
//   - ignore_numbers: true or false; true treats a change in which only
//     numbers changed, each into another number inside an otherwise equal
//     paragraph ("3 comments" → "4 comments", "1,204 views" → "1,209
//     views"), as no change; dates written in digits count as numbers. For listing and status pages with counters;
//     a price watch wants it false. Default false.
//
// Each watch:
//
//   - url (required): an absolute http or https URL with a host. Unique in
//     the file, comparing scheme and host without regard to case and
//     reading an empty path as "/".
//   - name: a short name for the CLI and messages. Optional; unique and not
//     blank when given.
//   - tags: labels for grouping and selecting watches; each non-empty,
//     without spaces or commas, and not repeated.
//   - mode: the extraction mode, as in defaults; defaults.mode when absent.
//   - select: in selector mode (where it is required), CSS selectors or XPath
//     1.0 expressions whose text is kept: an entry that starts with "/",
//     "./" or "(" is XPath ('//p[@class="price"]', '(//li)[1]',
//     '//div[@id="stock"]/@data-qty'), any other CSS ("#stock, .price"). An
//     XPath may select elements, text nodes or attributes. In json mode
//     (where it is optional) gjson paths whose values are kept:
//     "status.indicator", "data.items.#.title",
//     'components.#(status!="operational")#.name'. Not allowed in the other
//     modes.
//   - exclude: CSS selectors or XPath expressions, as in select, whose
//     elements are dropped before extraction, after defaults.exclude. Not
//     allowed in raw and json modes, which have no HTML.
//   - ignore: regular expressions; lines of the extracted text that match
//     one are dropped before comparing, after defaults.ignore.
//   - confirm: true or false; false records a change from one fetch,
//     without the confirming second fetch (for pages that change every few
//     seconds). Default true.
//   - volatile, ignore_numbers, schedule, keep, robots: as in defaults,
//     for this watch.
//
// Every CSS selector must parse as a CSS selector group ("a, b" is one
// entry), every XPath must compile (an XPath in exclude must select nodes,
// not give a value such as count(…)), every JSON path must be well formed
// (no empty component such as "a..b", closed brackets and strings, known
// @modifiers) and every regular expression must compile; none may be empty.
//
// # Values
//
// A key given the value null (or ~, or nothing) is as if absent. A string
// key takes any scalar as written (tags: [2024] is the tag "2024"); list
// keys need a YAML list, even of one item. YAML anchors and aliases work;
// merge keys ("<<") do not, and the file holds one YAML document.
//
// In every value (not in keys), ${NAME} is replaced by the environment
// variable NAME, whose value is used as is; a variable that is not set is
// an error (one set to "" is fine). $$ stands for a single $; any other $ is
// kept, so "^Advertisement$" needs no escaping, but a regular expression
// that contains "$$" or "${" must double its dollars.
//
// # Errors
//
// Decoding is strict: an unknown or repeated key, a value of the wrong
// type, an unset variable and every failed check is an [Error] carrying
// the file, line and column of the offending node, and [Parse] reports
// them all at once, sorted by position, joined with errors.Join so that
// err.Error() reads one per line:
//
//	redline.yaml:3:5: watch "lemonde": unknown field "selct"
//	redline.yaml:9:10: watches[2]: url: "ftp://x" is not an http(s) URL
//
// Messages about a watch name it by its name when it has one, or else by
// its index in the list, counted from 0.
//
// # Defaults
//
// [Default] is the one place default values are set: [Parse] starts from
// it and the file's keys replace its values. A watch's own fields are kept
// as written, so the file round-trips; [Watch.Effective] merges the
// defaults in.
package config
