package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

// daemonFor returns a daemon over s whose watches run on spec (or their own).
func daemonFor(t *testing.T, s store.Store, spec string, opts DaemonOptions) *Daemon {
	t.Helper()
	c := newChecker(t, s)
	opts.Schedule = func(w store.Watch) (schedule.Spec, error) {
		if w.Schedule != "" {
			return schedule.Parse(w.Schedule)
		}
		return schedule.Parse(spec)
	}
	d, err := NewDaemon(s, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// runFor runs d until it stops by itself or for at most dur, then stops it.
func runFor(t *testing.T, d *Daemon, dur time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

func checksOf(t *testing.T, s store.Store, w store.Watch) []store.Check {
	t.Helper()
	cs, err := s.Checks(context.Background(), w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestDaemonSchedules: watches on @every 1s are each checked about once a
// second, none twice in the same slot, and are left released with their
// next check in the future.
func TestDaemonSchedules(t *testing.T) {
	s := openStore(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>The same text on every fetch.</p></body></html>")
	}))
	defer srv.Close()
	var ws []store.Watch
	for i := range 3 {
		ws = append(ws, addWatch(t, s, store.Watch{URL: fmt.Sprintf("%s/p/%d", srv.URL, i), Extract: store.Extraction{Mode: "text"}}))
	}
	d := daemonFor(t, s, "@every 1s", DaemonOptions{Workers: 2})
	start := time.Now()
	runFor(t, d, 3500*time.Millisecond)
	for _, w := range ws {
		cs := checksOf(t, s, w)
		if len(cs) < 3 || len(cs) > 5 {
			t.Errorf("%s: %d checks in 3.5 s on @every 1s, want 3 to 5", w.URL, len(cs))
		}
		seen := map[int64]bool{}
		for _, c := range cs {
			slot := c.StartedAt.Unix()
			if seen[slot] {
				t.Errorf("%s: two checks in the slot of second %d", w.URL, slot)
			}
			seen[slot] = true
		}
		w = refresh(t, s, w)
		if w.State.LeaseOwner != "" {
			t.Errorf("%s: still leased by %q after the daemon stopped", w.URL, w.State.LeaseOwner)
		}
		if !w.State.NextCheckAt.After(start) {
			t.Errorf("%s: next check %v, want after the run started", w.URL, w.State.NextCheckAt)
		}
	}
}

// TestDaemonTakesOverExpiredLease: a watch claimed by a process that died
// is checked once its lease expires.
func TestDaemonTakesOverExpiredLease(t *testing.T) {
	s := openStore(t)
	srv := httptest.NewServer(&counting{body: "<p>Text.</p>"})
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text"}})
	if _, err := s.ClaimDue(context.Background(), "dead-process", time.Now(), 1, 500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	d := daemonFor(t, s, "@hourly", DaemonOptions{})
	runFor(t, d, 2*time.Second)
	if n := len(checksOf(t, s, w)); n != 1 {
		t.Errorf("%d checks, want 1 once the dead owner's lease expired", n)
	}
	if got := refresh(t, s, w).State.LeaseOwner; got != "" {
		t.Errorf("lease owner %q after the check, want none", got)
	}
}

// TestDaemonFailuresAndRetryAfter: a failing watch comes back after the
// retry base, not its hourly slot; a 429 with Retry-After waits that long.
func TestDaemonFailuresAndRetryAfter(t *testing.T) {
	s := openStore(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/busy" {
			w.Header().Set("Retry-After", "7200")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer srv.Close()
	broken := addWatch(t, s, store.Watch{URL: srv.URL + "/broken"})
	busy := addWatch(t, s, store.Watch{URL: srv.URL + "/busy"})
	d := daemonFor(t, s, "@hourly", DaemonOptions{RetryBase: time.Minute})
	start := time.Now()
	runFor(t, d, time.Second)
	// The retry comes after the retry base, or at the watch's hourly slot
	// when that comes sooner.
	hourly, err := schedule.Parse("@hourly")
	if err != nil {
		t.Fatal(err)
	}
	want := min(time.Minute, hourly.Next(start, broken.ID, schedule.History{FirstSeen: broken.CreatedAt}).Sub(start))
	next := refresh(t, s, broken).State.NextCheckAt.Sub(start)
	if next < want-10*time.Second || next > want+10*time.Second {
		t.Errorf("failed watch due again in %v, want about %v (the 1m retry base, or the hourly slot if sooner)", next, want)
	}
	next = refresh(t, s, busy).State.NextCheckAt.Sub(start)
	if next < 2*time.Hour-time.Second || next > 2*time.Hour+time.Minute {
		t.Errorf("throttled watch due again in %v, want the 2h Retry-After", next)
	}
}

// TestDaemonShutdown: on cancellation a check in flight finishes within the
// grace period and is recorded; past the grace it is cancelled, nothing is
// recorded and the watch is released due at once, to run again.
func TestDaemonShutdown(t *testing.T) {
	for _, tc := range []struct {
		name     string
		grace    time.Duration
		recorded int
	}{{"within grace", 5 * time.Second, 1}, {"past grace", 100 * time.Millisecond, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			started := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				started <- struct{}{}
				select {
				case <-time.After(time.Second):
				case <-r.Context().Done():
					return
				}
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<p>Slow page.</p>")
			}))
			defer srv.Close()
			w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text"}})
			d := daemonFor(t, s, "@hourly", DaemonOptions{ShutdownGrace: tc.grace})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- d.Run(ctx) }()
			<-started
			cancel()
			stopAt := time.Now()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if took := time.Since(stopAt); took > tc.grace+2*time.Second {
				t.Errorf("Run took %v to return after cancellation (grace %v)", took, tc.grace)
			}
			if n := len(checksOf(t, s, w)); n != tc.recorded {
				t.Errorf("%d checks recorded, want %d", n, tc.recorded)
			}
			st := refresh(t, s, w).State
			if st.LeaseOwner != "" {
				t.Errorf("still leased by %q", st.LeaseOwner)
			}
			if tc.recorded == 0 && st.NextCheckAt.After(time.Now()) {
				t.Errorf("cancelled check due again at %v, want at once", st.NextCheckAt)
			}
		})
	}
}

// TestServiceUnavailableHoldsThePageOnly: a 503 with Retry-After on one
// page delays that page's next check, not the other pages of the host.
func TestServiceUnavailableHoldsThePageOnly(t *testing.T) {
	s := openStore(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/maintenance" {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>Up.</p>")
	}))
	defer srv.Close()
	down := addWatch(t, s, store.Watch{URL: srv.URL + "/maintenance"})
	up := addWatch(t, s, store.Watch{URL: srv.URL + "/up", Extract: store.Extraction{Mode: "text"}})
	c := newChecker(t, s)
	c.hosts = NewHostLimiter([]HostRule{{Match: "127.0.0.1", HostLimit: HostLimit{Concurrency: 1}}}, DefaultHostLimit)
	res := mustCheck(t, c, refresh(t, s, down), store.OutcomeError)
	if res.RetryAfter != time.Hour {
		t.Errorf("RetryAfter = %v, want 1h", res.RetryAfter)
	}
	start := time.Now()
	mustCheck(t, c, refresh(t, s, up), store.OutcomeNew)
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("the other page waited %v behind the 503's Retry-After", waited)
	}
}

// TestDaemonRetention: check rows older than the retention are pruned, and
// a watch's keep rule drops its middle revisions, never the first or the
// newest.
func TestDaemonRetention(t *testing.T) {
	s := openStore(t)
	w := addWatch(t, s, store.Watch{URL: "https://www.example.org/kept", Paused: true})
	ctx := context.Background()
	old := time.Now().Add(-48 * time.Hour)
	for i := range 6 {
		r := store.CheckResult{WatchID: w.ID, StartedAt: old.Add(time.Duration(i) * time.Hour), Outcome: store.OutcomeChanged,
			Revision: &store.Revision{FetchedAt: old.Add(time.Duration(i) * time.Hour), ContentHash: fmt.Sprint(i), Text: fmt.Sprintf("text %d\n", i)}}
		if i == 0 {
			r.Outcome = store.OutcomeNew
		}
		if _, err := s.RecordCheck(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	recent := store.CheckResult{WatchID: w.ID, StartedAt: time.Now(), Outcome: store.OutcomeUnchanged}
	if _, err := s.RecordCheck(ctx, recent); err != nil {
		t.Fatal(err)
	}
	d := daemonFor(t, s, "@hourly", DaemonOptions{
		CheckRetention: 24 * time.Hour,
		Keep:           func(store.Watch) (store.Keep, bool) { return store.Keep{Count: 2}, true },
	})
	runFor(t, d, 300*time.Millisecond)
	if n := len(checksOf(t, s, w)); n != 1 {
		t.Errorf("%d checks left, want the 1 within the retention", n)
	}
	revs, err := s.Revisions(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int
	for _, r := range revs {
		seqs = append(seqs, r.Seq)
	}
	if fmt.Sprint(seqs) != "[1 5 6]" {
		t.Errorf("revisions kept %v, want [1 5 6]: the first, and the newest two", seqs)
	}
}

// TestHealthEvents: the third failure in a row makes the watch failing,
// the next good check recovers it; both are recorded as events.
func TestHealthEvents(t *testing.T) {
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, f, CheckerOptions{FailingAfter: 3})
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>Up and running.</p>")
	}))
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text"}})
	mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)
	down.Store(true)
	for range 4 {
		mustCheck(t, c, refresh(t, s, w), store.OutcomeError)
	}
	down.Store(false)
	mustCheck(t, c, refresh(t, s, w), store.OutcomeUnchanged)
	evs, err := s.Events(context.Background(), w.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	if fmt.Sprint(kinds) != "[recovered failing]" {
		t.Errorf("events (newest first) %v, want [recovered failing]", kinds)
	}
}

// TestDaemonRestart: a daemon stopped in the middle of a period and a new
// one started on the same store neither repeat nor skip a slot: over the
// two runs, each watch on @every 1s is checked once per second.
func TestDaemonRestart(t *testing.T) {
	s := openStore(t)
	srv := httptest.NewServer(&counting{body: "<p>Steady text.</p>"})
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text"}})
	start := time.Now()
	runFor(t, daemonFor(t, s, "@every 1s", DaemonOptions{}), 1700*time.Millisecond)
	runFor(t, daemonFor(t, s, "@every 1s", DaemonOptions{}), 1800*time.Millisecond)
	elapsed := time.Since(start)
	cs := checksOf(t, s, w)
	seen := map[int64]int{}
	for _, c := range cs {
		seen[c.StartedAt.Unix()]++
	}
	for sec, n := range seen {
		if n > 1 {
			t.Errorf("second %d: %d checks, want 1 (a slot repeated across the restart)", sec, n)
		}
	}
	// Every whole second of the two runs has its check (the first is at
	// once, unscheduled); allow the seconds cut by the start and the end.
	if want := int(elapsed.Seconds()) - 1; len(seen) < want {
		t.Errorf("%d seconds with a check in %v, want at least %d (a slot skipped)", len(seen), elapsed, want)
	}
}
