package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// events calls Events, failing the test on error.
func events(t *testing.T, s store.Store, watchID int64, limit int) []store.Event {
	t.Helper()
	evs, err := s.Events(t.Context(), watchID, limit)
	if err != nil {
		t.Fatalf("Events(%d, %d): %v", watchID, limit, err)
	}
	return evs
}

// recentEvents calls RecentEvents, failing the test on error.
func recentEvents(t *testing.T, s store.Store, since time.Time, limit int) []store.Event {
	t.Helper()
	evs, err := s.RecentEvents(t.Context(), since, limit)
	if err != nil {
		t.Fatalf("RecentEvents(%v, %d): %v", since, limit, err)
	}
	return evs
}

// withoutIDs returns evs with their IDs zeroed, after checking that each
// has one, for comparing with events built by the test.
func withoutIDs(t *testing.T, evs []store.Event) []store.Event {
	t.Helper()
	out := []store.Event{}
	for _, ev := range evs {
		if ev.ID <= 0 {
			t.Errorf("event %+v has no ID", ev)
		}
		ev.ID = 0
		out = append(out, ev)
	}
	return out
}

// healthResult returns a check result of outcome at base+at minutes that
// tracks health with failing after n. Errors are numbered by at, so that an
// event shows which error it carries.
func healthResult(watchID int64, outcome store.Outcome, at, n int) store.CheckResult {
	var r store.CheckResult
	if outcome == store.OutcomeNew || outcome == store.OutcomeChanged {
		r = revisionResult(watchID, outcome, time.Duration(at)*time.Minute, fmt.Sprint("text ", at))
	} else {
		r = plainResult(watchID, outcome, time.Duration(at)*time.Minute)
	}
	if outcome == store.OutcomeError {
		r.Error = fmt.Sprint("HTTP 503 at minute ", at)
	}
	r.FailingAfter = n
	return r
}

// testHealthEvents: RecordCheck records a failing event when an error
// brings the consecutive errors to exactly FailingAfter, and a recovered
// event when any other outcome ends a run of at least that many; the
// returned Check names it, Checks does not, and Events lists them.
func testHealthEvents(t *testing.T, s store.Store) {
	e, u, nm, f := store.OutcomeError, store.OutcomeUnchanged, store.OutcomeNotModified, store.OutcomeFlapping
	failing := func(watchID int64, at, errs int) store.Event {
		return store.Event{WatchID: watchID, Kind: store.EventFailing, At: base().Add(time.Duration(at) * time.Minute),
			Error: fmt.Sprint("HTTP 503 at minute ", at), ConsecutiveErrors: errs}
	}
	recovered := func(watchID int64, at, errs int) store.Event {
		return store.Event{WatchID: watchID, Kind: store.EventRecovered, At: base().Add(time.Duration(at) * time.Minute),
			ConsecutiveErrors: errs}
	}
	tests := []struct {
		name     string
		n        int
		outcomes []store.Outcome
		kinds    []string // the Event of each returned Check
		want     func(watchID int64) []store.Event
	}{
		{"failing after 3", 3,
			[]store.Outcome{store.OutcomeNew, e, e, e, e, e, u, e, e, nm, e, e, e, f, e, e, e, store.OutcomeChanged},
			[]string{"", "", "", "failing", "", "", "recovered", "", "", "", "", "", "failing", "recovered", "", "", "failing", "recovered"},
			func(id int64) []store.Event {
				return []store.Event{failing(id, 3, 3), recovered(id, 6, 5), failing(id, 12, 3), recovered(id, 13, 3),
					failing(id, 16, 3), recovered(id, 17, 3)}
			}},
		{"failing after 1", 1,
			[]store.Outcome{e, e, nm, e, f, u, e, store.OutcomeNew},
			[]string{"failing", "", "recovered", "failing", "recovered", "", "failing", "recovered"},
			func(id int64) []store.Event {
				return []store.Event{failing(id, 0, 1), recovered(id, 2, 2), failing(id, 3, 1), recovered(id, 4, 1),
					failing(id, 6, 1), recovered(id, 7, 1)}
			}},
		{"not tracking", 0,
			[]store.Outcome{e, e, e, e, e, u, e, e, e, store.OutcomeNew},
			[]string{"", "", "", "", "", "", "", "", "", ""},
			func(int64) []store.Event { return nil }},
	}
	for _, tt := range tests {
		w := addWatch(t, s, "https://example.com/health/"+tt.name)
		for i, o := range tt.outcomes {
			c := record(t, s, healthResult(w.ID, o, i, tt.n))
			if c.Event != tt.kinds[i] {
				t.Errorf("%s: check %d (%s): Event = %q, want %q", tt.name, i, o, c.Event, tt.kinds[i])
			}
		}
		want := tt.want(w.ID)
		// Events lists them newest first.
		for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
			want[i], want[j] = want[j], want[i]
		}
		if d := diff(want, withoutIDs(t, events(t, s, w.ID, 0))); d != "" {
			t.Errorf("%s: Events (-want +got):\n%s", tt.name, d)
		}
		cs, err := s.Checks(t.Context(), w.ID, 0)
		if err != nil || len(cs) != len(tt.outcomes) {
			t.Fatalf("%s: Checks = %d, %v; want %d", tt.name, len(cs), err, len(tt.outcomes))
		}
		for _, c := range cs {
			if c.Event != "" {
				t.Errorf("%s: Checks returned a check with Event %q, want it empty", tt.name, c.Event)
			}
		}
	}

	// The events derive from the error count and each check's
	// FailingAfter: a watch that failed untracked recovers without having
	// failed once tracking starts.
	w := addWatch(t, s, "https://example.com/health/tracked-late")
	for i := range 4 {
		record(t, s, healthResult(w.ID, e, i, 0))
	}
	if c := record(t, s, healthResult(w.ID, u, 4, 3)); c.Event != store.EventRecovered {
		t.Errorf("good check tracked after 4 untracked errors: Event = %q, want %q", c.Event, store.EventRecovered)
	}
	if d := diff([]store.Event{recovered(w.ID, 4, 4)}, withoutIDs(t, events(t, s, w.ID, 0))); d != "" {
		t.Errorf("Events after untracked errors (-want +got):\n%s", d)
	}

	// Events change nothing else: the state is what it would be without.
	plain := addWatch(t, s, "https://example.com/health/plain")
	tracked := addWatch(t, s, "https://example.com/health/tracked")
	for i, o := range []store.Outcome{store.OutcomeNew, e, e, e, u} {
		record(t, s, healthResult(plain.ID, o, i, 0))
		record(t, s, healthResult(tracked.ID, o, i, 3))
		if d := diff(getWatch(t, s, plain.ID).State, getWatch(t, s, tracked.ID).State); d != "" {
			t.Errorf("after %s: state with events differs from the state without (-without +with):\n%s", o, d)
		}
	}
}

// testEventsOrder: Events is newest first and RecentEvents oldest first,
// by At then by ID, whatever order the checks were recorded in; both
// limit; RecentEvents includes since and spans the watches.
func testEventsOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := addWatch(t, s, "https://example.com/events/a")
	b := addWatch(t, s, "https://example.com/events/b")
	quiet := addWatch(t, s, "https://example.com/events/quiet")
	type rec struct {
		w       store.Watch
		outcome store.Outcome
		at      int
	}
	// With FailingAfter 1 every error after a good check fails and every
	// good check after an error recovers. Checks are recorded out of order
	// of their start: a's error at minute 15 after its checks at 30 and 40;
	// three of a's checks start at minute 50.
	var (
		recorded []store.Event // in the order recorded
		seen     = map[int64]bool{}
	)
	for _, r := range []rec{
		{a, store.OutcomeError, 30}, {b, store.OutcomeError, 35}, {a, store.OutcomeUnchanged, 40},
		{a, store.OutcomeError, 15}, {b, store.OutcomeNotModified, 45},
		{a, store.OutcomeUnchanged, 50}, {a, store.OutcomeError, 50}, {a, store.OutcomeUnchanged, 50},
		{quiet, store.OutcomeUnchanged, 20},
	} {
		c := record(t, s, healthResult(r.w.ID, r.outcome, r.at, 1))
		var fresh []store.Event
		for _, ev := range events(t, s, r.w.ID, 0) {
			if !seen[ev.ID] {
				seen[ev.ID] = true
				fresh = append(fresh, ev)
			}
		}
		if c.Event == "" && len(fresh) == 0 {
			continue
		}
		if len(fresh) != 1 || fresh[0].Kind != c.Event || !fresh[0].At.Equal(c.StartedAt) {
			t.Fatalf("after a %s check at minute %d returning event %q: new events %+v, want one like it",
				r.outcome, r.at, c.Event, fresh)
		}
		recorded = append(recorded, fresh[0])
	}
	if len(recorded) != 8 {
		t.Fatalf("%d events recorded, want 8", len(recorded))
	}
	for i := 1; i < len(recorded); i++ {
		if recorded[i].ID <= recorded[i-1].ID {
			t.Errorf("event IDs %d then %d: want them increasing in the order recorded", recorded[i-1].ID, recorded[i].ID)
		}
	}
	a30f, b35f, a40r, a15f, b45r, a50r1, a50f, a50r2 := recorded[0], recorded[1], recorded[2], recorded[3],
		recorded[4], recorded[5], recorded[6], recorded[7]
	kinds := []string{a30f.Kind, b35f.Kind, a40r.Kind, a15f.Kind, b45r.Kind, a50r1.Kind, a50f.Kind, a50r2.Kind}
	if d := diff([]string{"failing", "failing", "recovered", "failing", "recovered", "recovered", "failing", "recovered"}, kinds); d != "" {
		t.Fatalf("kinds of the events in the order recorded (-want +got):\n%s", d)
	}

	wantA := []store.Event{a50r2, a50f, a50r1, a40r, a30f, a15f}
	for _, limit := range []int{0, -1, 1, 3, 6, 100} {
		n := len(wantA)
		if limit > 0 && limit < n {
			n = limit
		}
		if d := diff(wantA[:n], events(t, s, a.ID, limit)); d != "" {
			t.Errorf("Events(a, limit %d) (-want +got):\n%s", limit, d)
		}
	}
	if d := diff([]store.Event{b45r, b35f}, events(t, s, b.ID, 0)); d != "" {
		t.Errorf("Events(b) (-want +got):\n%s", d)
	}
	if evs, err := s.Events(ctx, quiet.ID, 0); err != nil || len(evs) != 0 {
		t.Errorf("Events(watch without events) = %v, %v; want none, nil", evs, err)
	}

	all := []store.Event{a15f, a30f, b35f, a40r, b45r, a50r1, a50f, a50r2}
	tests := []struct {
		since time.Time
		limit int
		want  []store.Event
	}{
		{time.Time{}, 0, all},
		{base(), -1, all},
		{base(), 3, all[:3]},
		{a30f.At, 0, all[1:]},                               // since is included
		{a30f.At.Add(time.Microsecond), 2, all[2:4]},        // and what is before it left out
		{a30f.At.Add(999 * time.Nanosecond), 0, all[1:]},    // within a microsecond counts as its start
		{a50f.At, 0, all[5:]},                               // ties in the order recorded
		{a50f.At.Add(time.Microsecond), 0, []store.Event{}}, // none: empty, not an error
		{a30f.At.In(time.FixedZone("X", -7*3600)), 1, all[1:2]},
	}
	for _, tt := range tests {
		if d := diff(tt.want, recentEvents(t, s, tt.since, tt.limit)); d != "" {
			t.Errorf("RecentEvents(%v, %d) (-want +got):\n%s", tt.since, tt.limit, d)
		}
	}
	for _, ev := range recentEvents(t, s, time.Time{}, 0) {
		if ev.At.Location() != time.UTC {
			t.Errorf("event %d: At location = %v, want UTC", ev.ID, ev.At.Location())
		}
	}
}

// testConcurrentHealthEvents: goroutines recording errors for one watch at
// once record exactly one failing event, and then good checks exactly one
// recovery.
func testConcurrentHealthEvents(t *testing.T, s store.Store) {
	healthUnderLoad(t, []store.Store{s}, 6)
}

// testSharedHealthEvents: the same across stores sharing one database.
func testSharedHealthEvents(t *testing.T, stores []store.Store) {
	healthUnderLoad(t, stores, 3)
}

// healthUnderLoad runs perStore goroutines on each of stores, which share
// one database, recording errors for one watch, then good checks, and
// checks that exactly one failing and one recovered event were recorded.
func healthUnderLoad(t *testing.T, stores []store.Store, perStore int) {
	const n, each = 5, 4
	w := addWatch(t, stores[0], "https://example.com/health/busy")
	run := func(outcome store.Outcome, from int) map[string]int {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			kinds = map[string]int{}
			errs  []error
		)
		for _, s := range stores {
			for range perStore {
				wg.Go(func() {
					for i := range each {
						c, err := s.RecordCheck(t.Context(), healthResult(w.ID, outcome, from+i, n))
						mu.Lock()
						errs = append(errs, err)
						if c.Event != "" {
							kinds[c.Event]++
						}
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent RecordCheck(%s): %v", outcome, err)
		}
		return kinds
	}
	if got := run(store.OutcomeError, 0); got[store.EventFailing] != 1 || len(got) != 1 {
		t.Errorf("concurrent errors returned events %v, want one failing", got)
	}
	if got := run(store.OutcomeUnchanged, each); got[store.EventRecovered] != 1 || len(got) != 1 {
		t.Errorf("concurrent good checks returned events %v, want one recovered", got)
	}
	total := len(stores) * perStore * each
	for i, s := range stores {
		evs := events(t, s, w.ID, 0)
		if len(evs) != 2 || evs[0].Kind != store.EventRecovered || evs[0].ConsecutiveErrors != total ||
			evs[1].Kind != store.EventFailing || evs[1].ConsecutiveErrors != n {
			t.Errorf("store %d: Events = %+v, want a failing event at %d errors, then a recovery after %d", i, evs, n, total)
		}
	}
}
