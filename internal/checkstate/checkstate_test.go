package checkstate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redlinehq/redline/store"
)

var (
	t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

func TestValidate(t *testing.T) {
	t.Parallel()
	rev := func() *store.Revision { return &store.Revision{FetchedAt: t0, Text: "x"} }
	ok := func(o store.Outcome) store.CheckResult {
		r := store.CheckResult{WatchID: 1, StartedAt: t0, Outcome: o}
		switch o {
		case store.OutcomeNew, store.OutcomeChanged:
			r.Revision = rev()
		case store.OutcomeError:
			r.Error = "boom"
		}
		return r
	}
	for _, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged, store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping} {
		if err := Validate(ok(o)); err != nil {
			t.Errorf("Validate(valid %s) = %v", o, err)
		}
	}

	tests := []struct {
		name   string
		modify func(*store.CheckResult)
		want   string
	}{
		{"unknown outcome", func(r *store.CheckResult) { r.Outcome = "maybe" }, "unknown outcome"},
		{"empty outcome", func(r *store.CheckResult) { r.Outcome = "" }, "unknown outcome"},
		{"no start", func(r *store.CheckResult) { r.StartedAt = time.Time{} }, "start time"},
		{"negative duration", func(r *store.CheckResult) { r.Duration = -time.Second }, "negative"},
		{"new without revision", func(r *store.CheckResult) { r.Revision = nil }, `"new" needs a revision`},
		{"revision of another watch", func(r *store.CheckResult) { r.Revision.WatchID = 2 }, "belongs to watch 2"},
		{"revision without time", func(r *store.CheckResult) { r.Revision.FetchedAt = time.Time{} }, "fetch time"},
		{"bad document", func(r *store.CheckResult) { r.Revision.Document = json.RawMessage(`{"a":`) }, "not valid JSON"},
		{"new with error text", func(r *store.CheckResult) { r.Error = "boom" }, "carries an error message"},
		{"negative failing-after", func(r *store.CheckResult) { r.FailingAfter = -1 }, "negative failing-after -1"},
		{"block selector not UTF-8", func(r *store.CheckResult) {
			r.Blocks = []store.BlockStat{{Selector: "p", Hash: "h"}, {Selector: "p.\xff", Hash: "h"}}
		}, "block 1: selector"},
		{"block hash not UTF-8", func(r *store.CheckResult) { r.Blocks = []store.BlockStat{{Selector: "p", Hash: "\xc3("}} }, "block 0 (p): hash"},
	}
	for _, tt := range tests {
		r := ok(store.OutcomeNew)
		tt.modify(&r)
		err := Validate(r)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}

	for _, o := range []store.Outcome{store.OutcomeUnchanged, store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping} {
		r := ok(o)
		r.Revision = rev()
		if err := Validate(r); err == nil || !strings.Contains(err.Error(), "must not carry a revision") {
			t.Errorf("Validate(%s with revision) = %v, want a refusal", o, err)
		}
	}
	r := ok(store.OutcomeError)
	r.Error = ""
	if err := Validate(r); err == nil {
		t.Error("Validate(error outcome without message) = nil, want an error")
	}
	r = ok(store.OutcomeFlapping)
	r.Error = "did not reproduce"
	if err := Validate(r); err == nil || !strings.Contains(err.Error(), "carries an error message") {
		t.Errorf("Validate(flapping with error message) = %v, want a refusal", err)
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	prev := store.WatchState{
		ETag: `"old"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT", BodyHash: "h0",
		LastCheckAt: t0, LastChangeAt: t0, LastError: "earlier failure", ConsecutiveErrors: 2, Revisions: 3, Flaps: 5,
	}
	fresh := store.CheckResult{StartedAt: t1, ETag: `"new"`, LastModified: "Tue, 02 Jan 2024 00:00:00 GMT", BodyHash: "h1"}
	tests := []struct {
		name    string
		outcome store.Outcome
		rev     *store.Revision
		seq     int
		want    store.WatchState
	}{
		{"error keeps validators", store.OutcomeError, nil, 0, store.WatchState{
			ETag: `"old"`, LastModified: prev.LastModified, BodyHash: "h0",
			LastCheckAt: t1, LastChangeAt: t0, LastError: "boom", ConsecutiveErrors: 3, Revisions: 3, Flaps: 5}},
		{"not modified resets errors, keeps validators", store.OutcomeNotModified, nil, 0, store.WatchState{
			ETag: `"old"`, LastModified: prev.LastModified, BodyHash: "h0",
			LastCheckAt: t1, LastChangeAt: t0, Revisions: 3, Flaps: 5}},
		{"flapping resets errors, keeps validators, counts the flap", store.OutcomeFlapping, nil, 0, store.WatchState{
			ETag: `"old"`, LastModified: prev.LastModified, BodyHash: "h0",
			LastCheckAt: t1, LastChangeAt: t0, Revisions: 3, Flaps: 6}},
		{"unchanged stores validators", store.OutcomeUnchanged, nil, 0, store.WatchState{
			ETag: `"new"`, LastModified: fresh.LastModified, BodyHash: "h1",
			LastCheckAt: t1, LastChangeAt: t0, Revisions: 3, Flaps: 5}},
		{"changed records the revision", store.OutcomeChanged, &store.Revision{FetchedAt: t1.Add(time.Second)}, 4, store.WatchState{
			ETag: `"new"`, LastModified: fresh.LastModified, BodyHash: "h1",
			LastCheckAt: t1, LastChangeAt: t1.Add(time.Second), Revisions: 4, Flaps: 5}},
		{"an extractor update is recorded but is no change of the page", store.OutcomeChanged,
			&store.Revision{FetchedAt: t1.Add(time.Second), Class: store.ClassExtractorUpdate}, 4, store.WatchState{
				ETag: `"new"`, LastModified: fresh.LastModified, BodyHash: "h1",
				LastCheckAt: t1, LastChangeAt: t0, Revisions: 4, Flaps: 5}},
	}
	for _, tt := range tests {
		r := fresh
		r.Outcome = tt.outcome
		r.Revision = tt.rev
		if tt.outcome == store.OutcomeError {
			r.Error = "boom"
		}
		if diff := cmp.Diff(tt.want, Next(prev, r, tt.seq)); diff != "" {
			t.Errorf("%s: Next mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("X", 3600)
	in := store.CheckResult{
		StartedAt: time.Date(2025, 1, 1, 0, 0, 0, 123_456_789, zone),
		Duration:  1500*time.Microsecond + 999,
		Revision:  &store.Revision{FetchedAt: time.Date(2025, 1, 1, 0, 0, 1, 1_999, zone)},
	}
	orig := *in.Revision
	got := Normalize(in)
	if want := time.Date(2024, 12, 31, 23, 0, 0, 123_456_000, time.UTC); got.StartedAt != want {
		t.Errorf("StartedAt = %v, want %v", got.StartedAt, want)
	}
	if got.Duration != 1500*time.Microsecond {
		t.Errorf("Duration = %v, want 1.5ms", got.Duration)
	}
	if want := time.Date(2024, 12, 31, 23, 0, 1, 1_000, time.UTC); got.Revision.FetchedAt != want {
		t.Errorf("FetchedAt = %v, want %v", got.Revision.FetchedAt, want)
	}
	if !in.Revision.FetchedAt.Equal(orig.FetchedAt) || in.Revision.FetchedAt.Location() != zone {
		t.Error("Normalize modified the caller's revision")
	}
}

func TestNextKeepsSchedule(t *testing.T) {
	t.Parallel()
	prev := store.WatchState{NextCheckAt: t1, LeaseOwner: "daemon-1", LeaseExpiresAt: t1.Add(time.Minute)}
	for _, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged,
		store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping} {
		got := Next(prev, store.CheckResult{StartedAt: t0, Outcome: o}, 0)
		if !got.NextCheckAt.Equal(prev.NextCheckAt) || got.LeaseOwner != prev.LeaseOwner || !got.LeaseExpiresAt.Equal(prev.LeaseExpiresAt) {
			t.Errorf("%s: Next changed the schedule: %+v", o, got)
		}
	}
}
