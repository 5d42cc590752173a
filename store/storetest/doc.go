// Package storetest is the conformance suite of store.Store: one set of
// tests that every engine runs, so that the engines agree on every
// documented contract (not-found and duplicate errors, RecordCheck's
// atomicity and sequence numbers, exact text round trips, ordering, UTC
// times, safety under concurrent use).
//
// An engine's test calls Run with a function that opens a fresh, empty
// store; its benchmark calls BenchmarkRecordCheck the same way. The suite
// only goes through the store.Store interface: engine-specific behaviour
// (migrations, pragmas, connection handling) is tested in the engine's own
// package.
package storetest
