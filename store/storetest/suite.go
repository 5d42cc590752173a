package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redlinehq/redline/store"
)

// Run runs the conformance suite against the engine that open creates.
// open must return a new, empty store each time it is called (the subtests
// run in parallel, each with its own); Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"AddWatch", testAddWatch},
		{"AddWatchKeepsCreatedAt", testAddWatchKeepsCreatedAt},
		{"AddWatchDuplicateURL", testAddWatchDuplicateURL},
		{"NotFound", testNotFound},
		{"ListWatches", testListWatches},
		{"UpdateWatch", testUpdateWatch},
		{"DeleteWatchCascades", testDeleteWatchCascades},
		{"RecordCheckSequence", testRecordCheckSequence},
		{"RecordCheckErrors", testRecordCheckErrors},
		{"RecordCheckInvalid", testRecordCheckInvalid},
		{"RecordCheckMissingWatch", testRecordCheckMissingWatch},
		{"RecordCheckFlapping", testRecordCheckFlapping},
		{"BlockStats", testBlockStats},
		{"BlockStatsLarge", testBlockStatsLarge},
		{"TextRoundTrip", testTextRoundTrip},
		{"DocumentRoundTrip", testDocumentRoundTrip},
		{"Revisions", testRevisions},
		{"ClassRoundTrip", testClassRoundTrip},
		{"ChecksNewestFirst", testChecksNewestFirst},
		{"ConcurrentRecordCheck", testConcurrentRecordCheck},
		{"ConcurrentRecordCheckFailures", testConcurrentRecordCheckFailures},
		{"TimesUTC", testTimesUTC},
		{"ScheduleRoundTrip", testScheduleRoundTrip},
		{"ClaimDueOrder", testClaimDueOrder},
		{"ClaimDueLeased", testClaimDueLeased},
		{"LeaseTakeover", testLeaseTakeover},
		{"LeaseErrors", testLeaseErrors},
		{"NextDue", testNextDue},
		{"CountDue", testCountDue},
		{"CountWatches", testCountWatches},
		{"Shortcut", testShortcut},
		{"RecordCheckKeepsLease", testRecordCheckKeepsLease},
		{"ScheduleTimesUTC", testScheduleTimesUTC},
		{"ConcurrentClaimDue", testConcurrentClaimDue},
		{"HealthEvents", testHealthEvents},
		{"EventsOrder", testEventsOrder},
		{"ConcurrentHealthEvents", testConcurrentHealthEvents},
		{"PruneChecks", testPruneChecks},
		{"PruneRevisions", testPruneRevisions},
		{"PruneRevisionsEdges", testPruneRevisionsEdges},
		{"OutboxRecordCheck", testOutboxRecordCheck},
		{"OutboxInvalid", testOutboxInvalid},
		{"OutboxPayload", testOutboxPayload},
		{"OutboxKey", testOutboxKey},
		{"OutboxNotBefore", testOutboxNotBefore},
		{"OutboxClaimOrder", testOutboxClaimOrder},
		{"OutboxLeases", testOutboxLeases},
		{"FinishDelivery", testFinishDelivery},
		{"FinishDeliveryError", testFinishDeliveryError},
		{"FinishDeliveryInvalid", testFinishDeliveryInvalid},
		{"ListOutbox", testListOutbox},
		{"RetryOutbox", testRetryOutbox},
		{"RetryDead", testRetryDead},
		{"CountOutbox", testCountOutbox},
		{"OutboxDeleteWatch", testOutboxDeleteWatch},
		{"OutboxTimesUTC", testOutboxTimesUTC},
		{"OutboxGroupRoundTrip", testOutboxGroupRoundTrip},
		{"OutboxGroupClaim", testOutboxGroupClaim},
		{"OutboxGroupOrder", testOutboxGroupOrder},
		{"OutboxGroupLeased", testOutboxGroupLeased},
		{"ConcurrentClaimOutbox", testConcurrentClaimOutbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// RunShared runs the tests that need several stores on one database, as
// several redline processes sharing it have (concurrent claims of watches
// and outbox items, leases taken over across stores, health transitions
// recorded once). open(t, n) must return n stores on one new,
// empty database (n is at least 2); RunShared closes them when the subtest
// ends.
func RunShared(t *testing.T, open func(t *testing.T, n int) []store.Store) {
	tests := []struct {
		name string
		n    int
		fn   func(t *testing.T, stores []store.Store)
	}{
		{"ConcurrentClaimDue", 3, testSharedConcurrentClaimDue},
		{"LeaseTakeover", 2, testSharedLeaseTakeover},
		{"HealthEvents", 2, testSharedHealthEvents},
		{"ConcurrentClaimOutbox", 3, testSharedConcurrentClaimOutbox},
		{"OutboxLease", 2, testSharedOutboxLease},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stores := open(t, tt.n)
			t.Cleanup(func() {
				for _, s := range stores {
					if err := s.Close(); err != nil {
						t.Errorf("Close: %v", err)
					}
				}
			})
			if len(stores) != tt.n {
				t.Fatalf("open(%d) returned %d stores", tt.n, len(stores))
			}
			tt.fn(t, stores)
		})
	}
}

// base is the time the suite's checks start from: millisecond precision,
// which the contract promises to keep.
func base() time.Time { return time.Date(2025, 6, 1, 8, 30, 0, 123_000_000, time.UTC) }

// diff compares stored values: nil and empty slices are equal, times are
// compared with their Equal method (go-cmp's rule), and JSON documents by
// meaning, since an engine may respace them or reorder their keys.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmpopts.EquateEmpty(),
		// Not both empty: that case is EquateEmpty's.
		cmp.FilterValues(func(a, b json.RawMessage) bool { return len(a) > 0 || len(b) > 0 },
			cmp.Transformer("json", func(m json.RawMessage) any {
				if len(m) == 0 {
					return nil
				}
				v, err := decodeJSON(m)
				if err != nil {
					return "invalid JSON: " + string(m)
				}
				return v
			})))
}

// addWatch stores a watch for url, failing the test on error.
func addWatch(t *testing.T, s store.Store, url string, tags ...string) store.Watch {
	t.Helper()
	w, err := s.AddWatch(t.Context(), store.Watch{URL: url, Name: "watch " + url, Tags: tags, Source: store.SourceCLI})
	if err != nil {
		t.Fatalf("AddWatch(%s): %v", url, err)
	}
	return w
}

// revisionResult returns a check result carrying a revision of text, taken
// at (base + at). The revision is classified unless it is the first
// (OutcomeNew), as a caller would.
func revisionResult(watchID int64, outcome store.Outcome, at time.Duration, text string) store.CheckResult {
	started := base().Add(at)
	class := ""
	if outcome != store.OutcomeNew {
		class = "class-" + text
	}
	return store.CheckResult{
		WatchID:      watchID,
		StartedAt:    started,
		Duration:     1500 * time.Millisecond,
		Outcome:      outcome,
		HTTPStatus:   200,
		ETag:         `"etag-` + text + `"`,
		LastModified: started.Format(time.RFC1123),
		BodyHash:     "body-" + text,
		Revision: &store.Revision{
			FetchedAt:   started.Add(time.Second),
			ContentHash: "hash-" + text,
			Text:        text,
			Document:    []byte(`{"title":"` + text + `"}`),
			HTTPStatus:  200,
			FinalURL:    "https://example.com/final",
			Summary:     "summary of " + text,
			Class:       class,
		},
	}
}

// plainResult returns a check result without revision.
func plainResult(watchID int64, outcome store.Outcome, at time.Duration) store.CheckResult {
	r := store.CheckResult{
		WatchID:    watchID,
		StartedAt:  base().Add(at),
		Duration:   250 * time.Millisecond,
		Outcome:    outcome,
		HTTPStatus: 200,
	}
	switch outcome {
	case store.OutcomeError:
		r.HTTPStatus = 503
		r.Error = "fetch https://example.com: 503 Service Unavailable"
	case store.OutcomeNotModified:
		r.HTTPStatus = 304
	case store.OutcomeUnchanged:
		r.ETag, r.BodyHash = `"unchanged"`, "body-unchanged"
	case store.OutcomeFlapping:
		// Validators of the response that showed the change: not stored.
		r.ETag, r.LastModified, r.BodyHash = `"flap"`, base().Add(at).Format(time.RFC1123), "body-flap"
	}
	return r
}

// record calls RecordCheck, failing the test on error.
func record(t *testing.T, s store.Store, r store.CheckResult) store.Check {
	t.Helper()
	c, err := s.RecordCheck(t.Context(), r)
	if err != nil {
		t.Fatalf("RecordCheck(%s): %v", r.Outcome, err)
	}
	return c
}

// getWatch calls Watch, failing the test on error.
func getWatch(t *testing.T, s store.Store, id int64) store.Watch {
	t.Helper()
	w, err := s.Watch(t.Context(), id)
	if err != nil {
		t.Fatalf("Watch(%d): %v", id, err)
	}
	return w
}

// zeroState reports whether st is the state of a watch never checked: every
// field zero, Blocks nil (not merely empty).
func zeroState(st store.WatchState) bool {
	return reflect.ValueOf(st).IsZero()
}

// wantNotFound fails the test unless err wraps store.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: error = %v, want one wrapping store.ErrNotFound", what, err)
	}
}
