// Package checkstate holds the rules of store.Store that do not depend on
// the database engine.
//
// For RecordCheck: which CheckResults are valid, and how the watch state
// changes with each outcome (including OutcomeFlapping, a change that did
// not reproduce on confirmation: no revision, errors reset, validators kept,
// Flaps counted; and never the schedule or the lease, which RecordCheck does
// not touch).
//
// For the scheduling methods (ClaimDue, RenewLease, ReleaseLease): which
// arguments are valid (ValidateClaim, ValidateLease, ValidateOwner) and the
// time arithmetic the engines share (LeaseEnd, Time: microseconds, UTC).
// Which watches are due and in which order is a WHERE and an ORDER BY, so
// that rule lives in each engine's SQL, held together by the storetest
// suite.
//
// Every engine calls Validate before it opens a transaction and Next inside
// it, so the engines cannot drift apart on these rules; the storetest suite
// checks the result through each engine. checkstate does no I/O.
package checkstate
