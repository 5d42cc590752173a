// Package storetest is the conformance suite of store.Store: one set of
// tests that every engine runs, so that the engines agree on every
// documented contract (not-found and duplicate errors, RecordCheck's
// atomicity and sequence numbers, exact text round trips, ordering, UTC
// times, safety under concurrent use, scheduling: which watches are due,
// claim order, leases taken over and lost, concurrent claims; health events
// and their order; retention: pruning checks and revisions; the outbox:
// which deliveries a check writes, refused notifications, keys, claims,
// leases, attempts and retries, concurrent claims).
//
// An engine's test calls Run with a function that opens a fresh, empty
// store; its benchmark calls BenchmarkRecordCheck the same way. RunShared
// takes a function that opens several stores on one fresh database, as
// several processes sharing it would have, for the tests of claims and
// leases across stores. The suite only goes through the store.Store
// interface: engine-specific behaviour (migrations, pragmas, connection
// handling) is tested in the engine's own package.
package storetest
