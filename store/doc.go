// Package store defines redline's persistent state and the contract every
// storage engine fulfils.
//
// Its one job is the Store interface and the types it carries: watches (a
// URL and its settings, plus the state kept between checks and the
// scheduler's next check time and lease), revisions (the numbered versions
// of a watch's canonical text, only stored when it changed), checks (every
// attempt, whatever its outcome) and health events (a watch became failing,
// or recovered, for the notifications to deliver), and the transactional
// outbox: one row per delivery a check asks for (CheckResult.Notify),
// written in the check's transaction, claimed under a lease by a
// dispatcher and finished attempt by attempt. Retention deletes old
// checks (PruneChecks) and old revisions (PruneRevisions, which never
// deletes a watch's first nor its newest revision, nor renumbers the
// others).
//
// The engines live in sub-packages, one per database: store/sqlite (the
// default, a single file) and store/postgres (for several redline processes
// sharing one database). Each embeds its own numbered SQL migrations and
// refuses a database migrated by a newer redline (ErrSchemaTooNew). The
// suite in store/storetest checks that an engine meets every documented
// contract; both engines run it.
//
// Contracts common to all methods:
//   - Every method is safe for concurrent use, and takes a context that
//     bounds it.
//   - A missing watch or revision is an error wrapping ErrNotFound, never a
//     zero value with a nil error; a duplicate URL wraps ErrExists. Errors
//     name the watch ID or URL concerned.
//   - RecordCheck is atomic: the check row, the revision, the health event,
//     the outbox rows and the watch state are stored together or not at
//     all, so a revision recorded is never without its deliveries; concurrent
//     checks of one watch get distinct, consecutive revision numbers, and
//     each health transition is recorded once.
//   - Sequence numbers are never reused nor renumbered: after
//     PruneRevisions a watch's history has gaps, and WatchState.Revisions
//     stays the newest sequence number, whose revision is always kept.
//   - Times keep at least millisecond precision (both engines keep
//     microseconds) and come back in UTC.
//   - ClaimDue is atomic: several daemons claiming at once, in one process
//     or several sharing the database, never get the same watch, and a
//     claimed watch is claimed again only once its lease is released or
//     has ended. Paused watches are never claimed. RecordCheck never
//     touches the schedule or the lease. ClaimOutbox gives the same
//     guarantee for outbox items.
//
// What it does not do: fetch, extract or compare (package monitor and its
// helpers decide what a check found; the store only records it), nor
// deliver the events or the outbox items (package notify), nor decide
// what to keep (the caller passes the
// failing_after and retention settings of the config), nor decide
// when a watch is due (the daemon parses Watch.Schedule and computes the
// next check time; the store keeps it, with the leases, and hands out the
// watches due), nor interpret extraction settings, schedules, revision
// documents or block statistics, which it keeps as given.
package store
