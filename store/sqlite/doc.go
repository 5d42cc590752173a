// Package sqlite is the SQLite engine of store.Store, on modernc.org/sqlite
// (pure Go, no cgo). It is redline's default: one file, no server.
//
// Open creates the file and its directories as needed and brings the schema
// up to date with the numbered migrations embedded from migrations/, each in
// its own transaction; it refuses a database whose schema is newer than this
// code with an error wrapping store.ErrSchemaTooNew.
//
// Connections: every connection gets its pragmas from the DSN (WAL journal,
// busy_timeout 10s, foreign_keys on, synchronous NORMAL), so no pooled
// connection can miss them. Writes go through a pool of exactly one
// connection whose transactions begin IMMEDIATE: writers of this process
// queue in Go instead of contending for SQLite's lock, a read transaction is
// never upgraded to a write one (the classic SQLITE_BUSY deadlock), and
// other processes are held off by the busy timeout. Reads go through a
// separate pool of query_only connections, which WAL lets run alongside the
// writer.
//
// ClaimDue reads the due watches and leases them in one transaction on the
// writer connection, which holds the write lock from its start: claims of
// this process queue for the connection and those of other processes on
// the same file wait for the lock, so no watch is claimed twice. A partial
// index on next_check_at over the unpaused watches (watches_due) serves
// ClaimDue's order, NextDue and CountDue.
//
// RecordCheck commits in groups: the calls that arrive while a transaction
// on the writer commits are recorded together in the next one, each in a
// savepoint of its own, so a failing call is rolled back alone and every
// call returns only once its check is committed. Under a check round's
// concurrent workers this halves the cost of a check's record (BEGIN,
// COMMIT and WAL frames paid once per group). A check records its health
// event, if any, with it. Event IDs come from AUTOINCREMENT, so they are
// never reused, even when the newest events went with their watch.
//
// The block statistics (kilobytes per watch) live in a table of their own,
// watch_blocks, rather than in the watches row, where they would go to
// overflow pages that every check's read and update of the small check
// state would walk; a check writes them only when it brings new ones.
//
// The outbox (table outbox) is written by RecordCheck in the same
// transaction, one row per delivery the check asks for; item IDs come from
// AUTOINCREMENT too. ClaimOutbox reads the due items and leases them in one
// transaction on the writer, as ClaimDue does watches, so no item is
// claimed twice; FinishDelivery, RetryOutbox and RetryDead are single
// UPDATEs, FinishDelivery's matching only while the owner holds the lease.
// The same transaction then claims the other due items of the groups
// (digests) among those, so a group is claimed whole. An index on (state,
// next_attempt_at) serves ClaimOutbox, NextOutboxDue, RetryDead and
// CountOutbox; a partial one on (grp, next_attempt_at) over the grouped
// pending items (outbox_group, named with INDEXED BY) serves the group
// part of ClaimOutbox; one on (watch_id, revision_seq) serves ListOutbox
// by watch and the cascade of DeleteWatch.
//
// PruneChecks deletes in batches of 10,000 checks, each its own short
// transaction on the writer, so checks recorded meanwhile wait for one
// batch at most, not for the whole deletion: the read pool finds each
// batch, walking the checks in ID order (no index on started_at, which
// would cost every RecordCheck a write; IDs grow with time, so the old
// checks come first), and the writer deletes it by primary key.
// PruneRevisions reads a watch's revisions and deletes those to go in one
// transaction on the writer.
//
// It does not support in-memory databases (the two pools would see two
// different databases).
package sqlite
