package checkstate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/store"
)

func TestTransition(t *testing.T) {
	t.Parallel()
	type transition struct {
		name       string
		prevErrors int
		outcome    store.Outcome
		n          int
		want       string
	}
	tests := []transition{
		{"first error of three", 0, store.OutcomeError, 3, ""},
		{"second error of three", 1, store.OutcomeError, 3, ""},
		{"third error of three", 2, store.OutcomeError, 3, store.EventFailing},
		{"fourth error of three", 3, store.OutcomeError, 3, ""},
		{"tenth error of three", 9, store.OutcomeError, 3, ""},
		{"first error of one", 0, store.OutcomeError, 1, store.EventFailing},
		{"second error of one", 1, store.OutcomeError, 1, ""},
		{"error, not tracking", 0, store.OutcomeError, 0, ""},
		{"third error, not tracking", 2, store.OutcomeError, 0, ""},
		{"error after a lowered threshold", 5, store.OutcomeError, 3, ""},
	}
	// Every outcome but an error is a good check, a flap and a 304 included.
	for _, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged,
		store.OutcomeNotModified, store.OutcomeFlapping} {
		tests = append(tests,
			transition{"good after none", 0, o, 3, ""},
			transition{"good after two of three", 2, o, 3, ""},
			transition{"good after three of three", 3, o, 3, store.EventRecovered},
			transition{"good after seven of three", 7, o, 3, store.EventRecovered},
			transition{"good after one of one", 1, o, 1, store.EventRecovered},
			transition{"good after errors, not tracking", 7, o, 0, ""},
		)
	}
	for _, tt := range tests {
		r := store.CheckResult{StartedAt: t0, Outcome: tt.outcome, FailingAfter: tt.n}
		if got := Transition(tt.prevErrors, r); got != tt.want {
			t.Errorf("%s: Transition(%d, %s, failing after %d) = %q, want %q", tt.name, tt.prevErrors, tt.outcome, tt.n, got, tt.want)
		}
	}
}

// TestTransitionSequence runs a watch through outcomes as RecordCheck does,
// Next feeding the error count to the next Transition.
func TestTransitionSequence(t *testing.T) {
	t.Parallel()
	e, u, f, nm := store.OutcomeError, store.OutcomeUnchanged, store.OutcomeFlapping, store.OutcomeNotModified
	tests := []struct {
		name     string
		n        int
		outcomes []store.Outcome
		want     []string
	}{
		{"three", 3, []store.Outcome{e, e, e, e, e, u, e, e, u, e, e, e, f},
			[]string{"", "", "failing", "", "", "recovered", "", "", "", "", "", "failing", "recovered"}},
		{"one", 1, []store.Outcome{e, e, nm, e, f, u, e},
			[]string{"failing", "", "recovered", "failing", "recovered", "", "failing"}},
		{"not tracking", 0, []store.Outcome{e, e, e, e, u},
			[]string{"", "", "", "", ""}},
	}
	for _, tt := range tests {
		var (
			st  store.WatchState
			got []string
		)
		for _, o := range tt.outcomes {
			r := store.CheckResult{StartedAt: t0, Outcome: o, FailingAfter: tt.n}
			if o == store.OutcomeError {
				r.Error = "boom"
			}
			got = append(got, Transition(st.ConsecutiveErrors, r))
			st = Next(st, r, 0)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestHealthEvent(t *testing.T) {
	t.Parallel()
	failed := store.CheckResult{WatchID: 7, StartedAt: t1, Outcome: store.OutcomeError, Error: "HTTP 503", FailingAfter: 3}
	ev, ok := HealthEvent(store.WatchState{ConsecutiveErrors: 2, LastError: "earlier"}, failed)
	want := store.Event{WatchID: 7, Kind: store.EventFailing, At: t1, Error: "HTTP 503", ConsecutiveErrors: 3}
	if d := cmp.Diff(want, ev); !ok || d != "" {
		t.Errorf("HealthEvent(third error) = %v (-want +got):\n%s", ok, d)
	}

	fine := store.CheckResult{WatchID: 7, StartedAt: t1, Outcome: store.OutcomeNotModified, FailingAfter: 3}
	ev, ok = HealthEvent(store.WatchState{ConsecutiveErrors: 5, LastError: "HTTP 503"}, fine)
	want = store.Event{WatchID: 7, Kind: store.EventRecovered, At: t1, ConsecutiveErrors: 5}
	if d := cmp.Diff(want, ev); !ok || d != "" {
		t.Errorf("HealthEvent(recovery after five) = %v (-want +got):\n%s", ok, d)
	}

	if ev, ok := HealthEvent(store.WatchState{ConsecutiveErrors: 1}, failed); ok || ev != (store.Event{}) {
		t.Errorf("HealthEvent(second error) = %+v, %v; want none", ev, ok)
	}
}
