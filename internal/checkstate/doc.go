// Package checkstate holds the rules of store.Store that do not depend on
// the database engine.
//
// For RecordCheck: which CheckResults are valid, and how the watch state
// changes with each outcome (including OutcomeFlapping, a change that did
// not reproduce on confirmation: no revision, errors reset, validators kept,
// Flaps counted; and never the schedule or the lease, which RecordCheck does
// not touch).
//
// For the health events RecordCheck records (Transition, HealthEvent):
// failing when an error brings the consecutive failed checks to exactly
// CheckResult.FailingAfter, recovered when any other outcome (a flap or a
// 304 included: the fetch worked) ends a run of at least that many.
//
// For PruneRevisions: which Keep settings are valid (ValidateKeep) and which
// revisions go (Prunable: outside both the newest Count and the Age window,
// never the first nor the newest).
//
// For the scheduling methods (ClaimDue, RenewLease, ReleaseLease): which
// arguments are valid (ValidateClaim, ValidateLease, ValidateOwner) and the
// time arithmetic the engines share (LeaseEnd, Time: microseconds, UTC).
// Which watches are due and in which order is a WHERE and an ORDER BY, so
// that rule lives in each engine's SQL, held together by the storetest
// suite.
//
// For the outbox: which notifications a CheckResult may carry
// (ValidateNotification, through Validate), which of them a check writes
// and how (Outbox: the On must name the revision's outcome or the health
// event recorded; due at NotBefore or the check's start; the key
// OutboxKey), and the arguments of the outbox methods (ValidateDelivery,
// DeliveryError's UTF-8-safe cut to 2048 bytes, ValidateOutboxFilter,
// ValidateRetry; ClaimOutbox shares ValidateClaim and LeaseEnd with
// ClaimDue, and CompareOutbox is its order).
//
// Every engine calls Validate before it opens a transaction and Next,
// HealthEvent and Outbox inside it, so the engines cannot drift apart on these rules; the storetest suite
// checks the result through each engine. checkstate does no I/O.
package checkstate
