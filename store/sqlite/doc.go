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
// It does not support in-memory databases (the two pools would see two
// different databases).
package sqlite
