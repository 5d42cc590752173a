// Package monitor runs redline's check pipeline: fetch a watched page,
// extract its canonical text, compare it with the last stored revision and
// record the outcome.
//
// A check is one pass through the stages of architecture.md:
//
//	fetch (Colly over internal/httpclient) → extract → diff → store.RecordCheck
//
// with two short-circuits before extraction: a 304 Not Modified answer to a
// conditional GET, and a raw body whose hash equals the one of the last good
// fetch (with the same extraction settings). A change is confirmed before
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
// Checker.Check runs one check; Checker.CheckAll runs many on a bounded pool
// of workers. SyncConfig makes the store's config-declared watches match a
// config file. The package does not schedule: the daemon that does lives
// here too but comes with its own issue.
package monitor
