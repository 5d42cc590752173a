// Package postgres is the PostgreSQL engine of store.Store, on pgx/v5
// through pgxpool. It is for deployments that outgrow one machine: several
// redline processes can share one database.
//
// Open connects with a pgx DSN (URL or key=value form; search_path and
// other runtime parameters pass through) and brings the schema up to date
// with the numbered migrations embedded from migrations/, each in its own
// transaction. Each transaction first takes a transaction-scoped advisory
// lock (pg_advisory_xact_lock) keyed on the current schema, so two
// processes starting together migrate one after the other; a database whose
// schema is newer than this code is refused with an error wrapping
// store.ErrSchemaTooNew.
//
// Types are native: timestamptz, bytea for the compressed text, jsonb for
// extraction settings and documents (so documents come back as equivalent,
// not byte-identical, JSON), text[] for tags, bigint identity keys.
// RecordCheck locks the watch row (SELECT … FOR UPDATE), which serialises
// concurrent checks of one watch across processes. ClaimDue selects the due
// watches FOR UPDATE SKIP LOCKED and leases them in the same transaction:
// processes claiming at once each get other watches, none waiting for
// another; a watch whose row is locked at that moment (by another claim, a
// RecordCheck, an update) is left for a later claim. A partial index on
// (next_check_at NULLS FIRST, id) over the unpaused watches (watches_due)
// serves ClaimDue's order, NextDue and CountDue.
//
// RecordCheck records the health event, if any, under the watch row's
// lock, so each transition is recorded once across processes, and the
// outbox items the check asks for in the same transaction. ClaimOutbox
// selects the due items FOR UPDATE SKIP LOCKED and leases them, as
// ClaimDue does watches, with the other due items of their groups
// (digests), selected the same way through a partial index on (grp,
// next_attempt_at, id) over the grouped pending items (outbox_group): a
// group is claimed whole, unless concurrent claims race for it and split
// it, each item still going to one of them. FinishDelivery is one UPDATE matching only while
// the owner holds the lease. Payloads are text, not jsonb (as the block
// stats): kept byte for byte and any JSON string accepted, \u0000
// included.
// PruneChecks is one DELETE: PostgreSQL locks only the rows it deletes,
// which nothing else writes, so checks are recorded meanwhile.
// PruneRevisions reads a watch's revisions and deletes those to go in one
// transaction, without locking the watch: a revision recorded meanwhile is
// newer than all it read, which keeps its choice right.
//
// pgxpool rather than database/sql: native types (text[], jsonb, bytea)
// without adapters, one dependency path, and pgx's transaction helpers.
//
// It does not create the database or the schema named in search_path.
package postgres
