package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

// abSite serves, per path, one of two versions of a page; what each request
// gets is decided by a function of the path and how many requests that path
// has had. It logs every request.
type abSite struct {
	mu    sync.Mutex
	n     map[string]int
	log   []string // "path nocache" per request, in order
	serve func(path string, n int) string
}

func (s *abSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n[r.URL.Path]++
	n := s.n[r.URL.Path]
	s.log = append(s.log, fmt.Sprintf("%s %v", r.URL.Path, r.Header.Get("Cache-Control") == "no-cache"))
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><body><div id="x"><p>%s</p></div></body></html>`, s.serve(r.URL.Path, n))
}

func (s *abSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func confirmingChecker(t *testing.T, s store.Store, delay time.Duration) *Checker {
	t.Helper()
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return NewChecker(s, f, CheckerOptions{ConfirmDelay: delay})
}

func TestConfirmation(t *testing.T) {
	t.Parallel()
	site := &abSite{n: map[string]int{}, serve: func(path string, n int) string {
		switch {
		case path == "/ab" && n%2 == 0: // an A/B test: every other response differs
			return "Version B of the page, shown to half the readers."
		case path == "/edited" && n > 1: // a real, lasting edit
			return "The edited text of the page, as it now stands."
		}
		return "Version A of the page, shown to everyone at first."
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := confirmingChecker(t, s, 10*time.Millisecond)
	sel := store.Extraction{Mode: "selector", Select: []string{"#x"}}

	// A change that does not reproduce is flapping: no revision.
	ab := addWatch(t, s, store.Watch{URL: srv.URL + "/ab", Extract: sel})
	mustCheck(t, c, ab, store.OutcomeNew)
	res := mustCheck(t, c, refresh(t, s, ab), store.OutcomeFlapping)
	if res.Diff() != "" || res.Revision != 1 {
		t.Errorf("flapping result: revision %d, diff %q", res.Revision, res.Diff())
	}
	if ab = refresh(t, s, ab); ab.State.Flaps != 1 || ab.State.Revisions != 1 {
		t.Errorf("after a flap: %+v, want 1 flap and 1 revision", ab.State)
	}

	// A change that reproduces is recorded after a second, uncached fetch.
	ed := addWatch(t, s, store.Watch{URL: srv.URL + "/edited", Extract: sel})
	mustCheck(t, c, ed, store.OutcomeNew)
	res = mustCheck(t, c, refresh(t, s, ed), store.OutcomeChanged)
	if res.Revision != 2 || !strings.Contains(res.Diff(), "+The edited text") {
		t.Errorf("confirmed change: revision %d, diff:\n%s", res.Revision, res.Diff())
	}
	var edReqs []string
	for _, r := range site.requests() {
		if strings.HasPrefix(r, "/edited ") {
			edReqs = append(edReqs, r)
		}
	}
	if want := []string{"/edited false", "/edited false", "/edited true"}; strings.Join(edReqs, ",") != strings.Join(want, ",") {
		t.Errorf("requests for /edited = %q, want %q (the third one the confirming, uncached fetch)", edReqs, want)
	}

	// A watch that skips confirmation records from one fetch.
	live := addWatch(t, s, store.Watch{URL: srv.URL + "/ab?live", Extract: sel, SkipConfirm: true})
	mustCheck(t, c, live, store.OutcomeNew)
	mustCheck(t, c, refresh(t, s, live), store.OutcomeChanged)
}

// TestCheckAllConfirmsWithoutHoldingWorkers: with one worker, the first
// fetch of every watch comes before any confirming fetch, because a change
// waiting for confirmation gives its worker back.
func TestCheckAllConfirmsWithoutHoldingWorkers(t *testing.T) {
	t.Parallel()
	site := &abSite{n: map[string]int{}, serve: func(path string, n int) string {
		if n > 1 {
			return "Edited text of " + path
		}
		return "Original text of " + path
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := confirmingChecker(t, s, 200*time.Millisecond)
	var ws []store.Watch
	for i := range 4 {
		ws = append(ws, addWatch(t, s, store.Watch{URL: fmt.Sprintf("%s/p%d", srv.URL, i), Extract: store.Extraction{Mode: "selector", Select: []string{"#x"}}}))
	}
	if err := c.CheckAll(context.Background(), ws, 1, func(Result) {}); err != nil {
		t.Fatal(err)
	}
	for i := range ws {
		ws[i] = refresh(t, s, ws[i])
	}
	site.mu.Lock()
	site.log = nil
	site.mu.Unlock()
	got := map[store.Outcome]int{}
	if err := c.CheckAll(context.Background(), ws, 1, func(r Result) { got[r.Outcome]++ }); err != nil {
		t.Fatal(err)
	}
	if got[store.OutcomeChanged] != 4 {
		t.Fatalf("outcomes = %v, want 4 changed", got)
	}
	reqs := site.requests()
	if len(reqs) != 8 {
		t.Fatalf("requests = %q, want 8", reqs)
	}
	for i, r := range reqs {
		if uncached := strings.HasSuffix(r, " true"); uncached != (i >= 4) {
			t.Errorf("request %d = %q: want the 4 first fetches before the 4 confirmations; all: %q", i, r, reqs)
			break
		}
	}
}

// TestFlapLeavesNoShortcut: in article mode an A/B page that flaps must
// flap again next time, not pass as unchanged on a fingerprint taken from
// the version that did not reproduce.
func TestFlapLeavesNoShortcut(t *testing.T) {
	t.Parallel()
	site := &abSite{n: map[string]int{}, serve: func(_ string, n int) string {
		if n%2 == 0 {
			return "Version B of the article, which only half of the readers ever get to see on this site."
		}
		return "Version A of the article, which everyone reads at first and most readers keep on reading."
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := confirmingChecker(t, s, 10*time.Millisecond)
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/article"})
	mustCheck(t, c, w, store.OutcomeNew)                            // A
	mustCheck(t, c, refresh(t, s, w), store.OutcomeFlapping)        // B, then A on the confirming fetch
	res := mustCheck(t, c, refresh(t, s, w), store.OutcomeFlapping) // B again
	if res.Skipped {
		t.Error("the flapped version passed on a fingerprint")
	}
}

// editedAfterFirst serves every path with one text on its first request
// and an edited one on every request after: a lasting edit.
func editedAfterFirst() *abSite {
	return &abSite{n: map[string]int{}, serve: func(_ string, n int) string {
		if n > 1 {
			return "The edited text of the page, as it now stands."
		}
		return "The first text of the page, as it was published."
	}}
}

// hourlyDaemon returns a daemon checking with c, every watch on @hourly.
func hourlyDaemon(t *testing.T, s store.Store, c *Checker, opts DaemonOptions) *Daemon {
	t.Helper()
	opts.Schedule = func(store.Watch) (schedule.Spec, error) { return schedule.Parse("@hourly") }
	d, err := NewDaemon(s, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDaemonConfirmationFreesWorker: a change waiting for its confirming
// fetch does not hold the daemon's worker; with one worker, the next due
// watch is checked during the wait, and both changes are confirmed,
// recorded and released.
func TestDaemonConfirmationFreesWorker(t *testing.T) {
	t.Parallel()
	site := editedAfterFirst()
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := confirmingChecker(t, s, time.Second)
	sel := store.Extraction{Mode: "selector", Select: []string{"#x"}}
	var ws []store.Watch
	for _, p := range []string{"/a", "/b"} {
		w := addWatch(t, s, store.Watch{URL: srv.URL + p, Extract: sel})
		mustCheck(t, c, w, store.OutcomeNew)
		ws = append(ws, w)
	}
	d := hourlyDaemon(t, s, c, DaemonOptions{Workers: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// Two captures, then the two checks that see the edit, and only then
	// the confirming (no-cache) fetches: the worker did not wait.
	reqs := site.requests()
	firstConfirm := slices.IndexFunc(reqs, func(r string) bool { return strings.HasSuffix(r, " true") })
	if len(reqs) != 6 || firstConfirm != 4 {
		t.Errorf("requests %q: want both watches checked before either confirming fetch", reqs)
	}
	for _, w := range ws {
		w = refresh(t, s, w)
		if w.State.Revisions != 2 || w.State.LeaseOwner != "" {
			t.Errorf("%s: %d revisions, lease %q; want the confirmed edit recorded and the watch released", w.URL, w.State.Revisions, w.State.LeaseOwner)
		}
	}
}

// TestDaemonShutdownDuringConfirmation: a change still waiting for its
// confirming fetch when the shutdown grace runs out is not recorded, and
// its watch is released, due at once, so the next run checks it again.
func TestDaemonShutdownDuringConfirmation(t *testing.T) {
	t.Parallel()
	site := editedAfterFirst()
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := confirmingChecker(t, s, time.Minute)
	w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "selector", Select: []string{"#x"}}})
	mustCheck(t, c, w, store.OutcomeNew)
	d := hourlyDaemon(t, s, c, DaemonOptions{ShutdownGrace: 200 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Run took %v to stop, want about the grace after cancellation", took)
	}
	w = refresh(t, s, w)
	if w.State.Revisions != 1 || w.State.LeaseOwner != "" || w.State.NextCheckAt.After(time.Now()) {
		t.Errorf("after shutdown: %d revisions, lease %q, next check %v; want the unconfirmed change unrecorded and the watch released, due now",
			w.State.Revisions, w.State.LeaseOwner, w.State.NextCheckAt)
	}
}

// TestConfirmationNewBytesSameArticle: a page whose bytes change at every
// request (a nonce, a rotating teaser) around a real edit is confirmed by
// the fingerprint of the confirming fetch, without extracting it again.
func TestConfirmationNewBytesSameArticle(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		n := requests
		mu.Unlock()
		verb := "said"
		if n > 1 {
			verb = "stated"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Harbour reopens</title><meta name="csrf-token" content="tok%d"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<aside><h3>Don't miss</h3><ul><li><a href="/t/%d">Teaser number %d</a></li><li><a href="/u/%d">Another teaser %d</a></li></ul></aside>
<article><h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Tuesday morning after a week of repairs to the sea wall, the port authority %s in a statement to shipping companies.</p>
<p>Fishing boats were the first to leave, followed by the ferry to the islands, which had been cancelled since the storm broke the outer breakwater.</p>
<p>Engineers will keep inspecting the wall every day for a month, and the authority expects the last of the cranes to be moved by the end of next week.</p>
</article><footer>Page generated in %d ms</footer></body></html>`, n, n, n, n, n, verb, 100+n)
	}))
	defer srv.Close()
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(s, func() int { return 0 }, 3)
	c := NewChecker(s, f, CheckerOptions{ConfirmDelay: 10 * time.Millisecond, Metrics: m})
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/harbour"})
	mustCheck(t, c, w, store.OutcomeNew)
	res := mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
	if res.Revision != 2 || !strings.Contains(res.Diff(), "stated") {
		t.Errorf("confirmed change: revision %d, diff:\n%s", res.Revision, res.Diff())
	}
	mu.Lock()
	n := requests
	mu.Unlock()
	if n != 3 {
		t.Errorf("%d requests, want 3 (the third one confirming)", n)
	}
	var skipped dto.Metric
	if err := m.skipped.Write(&skipped); err != nil {
		t.Fatal(err)
	}
	if got := skipped.GetCounter().GetValue(); got != 1 {
		t.Errorf("extractions skipped = %v, want 1: the confirming page, new bytes around the same article", got)
	}
}
