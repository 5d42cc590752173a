// Package monitor runs redline's check pipeline: fetch a watched page,
// extract its canonical text, compare it with the last stored revision and
// record the outcome.
//
// A check is one pass through the stages of architecture.md:
//
//	fetch (Colly over internal/httpclient) → extract → diff → store.RecordCheck
//
// with three short-circuits: a 304 Not Modified answer to a conditional GET,
// a raw body whose hash equals the one of the last good fetch (with the
// same extraction settings), and, for articles, a page whose fingerprint
// (extract.Analyze: the metadata header and the cleaned tree the content
// scoring would read) is the one stored from the last full extraction. A change is confirmed before
// it is recorded: after CheckerOptions.ConfirmDelay the page is fetched
// again, bypassing caches, and a change that does not reproduce is recorded
// as flapping, never as a revision. Each revision is classified with
// diff.Classify.
//
// Fetch failures (HTTP status >= 400, timeouts, DNS and TLS errors,
// oversize or non-text bodies) and pages from which nothing could be
// extracted are recorded as failed checks, never as revisions, so the next
// good fetch is compared with the last good revision.
//
// Comparison goes past byte equality: typographic variants never count,
// number-only changes count unless the watch sets ignore_numbers, and the
// blocks of a page that change on most fetches are learned per watch
// (volatile.go) and, with volatile: ignore, do not make revisions.
//
// Checker.Check runs one check; Checker.CheckAll runs many on a bounded pool
// of workers, at most one extraction per CPU. A HostLimiter keeps each host
// to a few requests at once and a gap between them, and backs off on 429;
// Robots obeys robots.txt for the watches that ask. SyncConfig makes the
// store's config-declared watches match a config file.
//
// Daemon is `redline run`: it claims due watches from the store under a
// lease (renewed while the check runs), checks them, computes each next
// check from the watch's schedule (package schedule), a failure backoff and
// the server's Retry-After, releases the lease, and sleeps until the next
// due time. Several daemons may share one PostgreSQL store. On shutdown it
// stops claiming, lets checks finish within a grace period, then cancels
// and releases the rest. It also applies retention hourly. Metrics exposes
// its Prometheus metrics.
package monitor
