package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/sqlite"
)

// testClock is a time that tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// outboxReceiver is a webhook endpoint that deduplicates on
// Redline-Delivery, as the package documentation tells receivers to: it
// verifies each request's signature, answers with status(n) for the n-th
// request (0-based; 2xx accepts), and counts a key accepted once however
// often it comes.
type outboxReceiver struct {
	t      *testing.T
	secret string
	srv    *httptest.Server
	status func(n int) int // nil: 204 for every request
	// hang, when set, makes the first request wait for it to be closed
	// (arrived is closed when that request came).
	hang, arrived chan struct{}

	mu       sync.Mutex
	keys     []string // Redline-Delivery of every request, in order
	accepted map[string]Message
	dups     int // requests accepted again under a key accepted already
}

func newOutboxReceiver(t *testing.T, secret string) *outboxReceiver {
	r := &outboxReceiver{t: t, secret: secret, accepted: map[string]Message{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *outboxReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := VerifySignature(r.secret, req.Header.Get("Redline-Signature"), body, time.Now(), 0); err != nil {
		r.t.Errorf("delivery %s: %v", req.Header.Get("Redline-Delivery"), err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		r.t.Errorf("payload: %v\n%s", err, body)
	}
	key := req.Header.Get("Redline-Delivery")
	if key != m.Delivery || req.Header.Get("Redline-Event") != m.Event {
		r.t.Errorf("headers Redline-Delivery %q, Redline-Event %q; the payload says %q, %q", key, req.Header.Get("Redline-Event"), m.Delivery, m.Event)
	}
	r.mu.Lock()
	n := len(r.keys)
	r.keys = append(r.keys, key)
	r.mu.Unlock()
	if n == 0 && r.hang != nil {
		close(r.arrived)
		select {
		case <-r.hang:
		case <-req.Context().Done():
		}
	}
	status := http.StatusNoContent
	if r.status != nil {
		status = r.status(n)
	}
	if status/100 != 2 {
		http.Error(w, fmt.Sprintf("answer %d to request %d", status, n), status)
		return
	}
	r.mu.Lock()
	if _, dup := r.accepted[key]; dup {
		r.dups++ // accepted before: acknowledged, not counted again
	} else {
		r.accepted[key] = m
	}
	r.mu.Unlock()
	w.WriteHeader(status)
}

// counts returns the requests received and the deliveries accepted.
func (r *outboxReceiver) counts() (requests, accepted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.keys), len(r.accepted)
}

func (r *outboxReceiver) message(key string) (Message, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.accepted[key]
	return m, ok
}

func (r *outboxReceiver) webhook(t *testing.T, name string) Notifier {
	return mustNotifier(t, Spec{Name: name, Type: "webhook", URL: r.srv.URL + "/" + name, Secret: r.secret})
}

// openTestStore opens a SQLite store in the test's temporary directory.
func openTestStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "redline.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func addWatch(t *testing.T, s store.Store, url string) store.Watch {
	t.Helper()
	w, err := s.AddWatch(t.Context(), store.Watch{URL: url, Name: "watch " + url, Tags: []string{"news"}, Source: store.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// recordRevision records a check of w, started at at, that finds a new
// revision, asking for its delivery through notifiers with a payload as
// the monitor builds it; it returns the revision's sequence number.
func recordRevision(t *testing.T, s store.Store, w store.Watch, at time.Time, notifiers ...string) int {
	t.Helper()
	cur, err := s.Watch(t.Context(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	prev := cur.State.Revisions
	outcome, on := store.OutcomeChanged, store.NotifyChanged
	if prev == 0 {
		outcome, on = store.OutcomeNew, store.NotifyNew
	}
	m := Message{Version: Version, Event: on, Watch: Watch{ID: w.ID, Name: w.Name, URL: w.URL, Tags: w.Tags},
		Revision: &Revision{Old: prev, FetchedAt: at}, Title: fmt.Sprintf("Headline %d", prev+1), Summary: "1 paragraph changed"}
	payload, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var ns []store.Notification
	for _, n := range notifiers {
		ns = append(ns, store.Notification{Notifier: n, On: on, Payload: payload})
	}
	c, err := s.RecordCheck(t.Context(), store.CheckResult{
		WatchID: w.ID, StartedAt: at, Duration: time.Second, Outcome: outcome, HTTPStatus: 200,
		Revision: &store.Revision{FetchedAt: at, ContentHash: fmt.Sprintf("h%d", at.UnixNano()), Text: fmt.Sprintf("# Headline %d\n\nText.", prev+1),
			HTTPStatus: 200, FinalURL: w.URL},
		Notify: ns,
	})
	if err != nil {
		t.Fatalf("record check: %v", err)
	}
	if c.RevisionSeq != prev+1 {
		t.Fatalf("recorded revision %d, want %d", c.RevisionSeq, prev+1)
	}
	return c.RevisionSeq
}

// item returns the one outbox item of watch w about revision seq.
func item(t *testing.T, s store.Store, w store.Watch, seq int) store.OutboxItem {
	t.Helper()
	items, err := s.ListOutbox(t.Context(), store.OutboxFilter{WatchID: w.ID, RevisionSeq: seq})
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox of watch %d revision %d: %v, %v; want one item", w.ID, seq, items, err)
	}
	return items[0]
}

func newDispatcher(t *testing.T, s OutboxStore, notifiers map[string]Notifier, o DispatcherOptions) *Dispatcher {
	t.Helper()
	if o.Owner == "" {
		o.Owner = "test-" + t.Name()
	}
	d, err := NewDispatcher(s, notifiers, o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func drain(t *testing.T, d *Dispatcher, want DrainStats) {
	t.Helper()
	st, err := d.Drain(t.Context())
	if err != nil || st != want {
		t.Fatalf("Drain = %+v, %v; want %+v", st, err, want)
	}
}

var dispatchBase = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// TestDispatchDelivers (a): each item is delivered once, its message
// composed from the payload and what the store knows.
func TestDispatchDelivers(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	w := addWatch(t, s, "https://example.org/a")
	recordRevision(t, s, w, dispatchBase.Add(-2*time.Minute), "hook")
	recordRevision(t, s, w, dispatchBase.Add(-time.Minute), "hook")
	// A health event: a failed check that makes the watch failing.
	fail := Message{Version: Version, Event: EventFailing, Watch: Watch{ID: w.ID, URL: w.URL},
		Health: &Health{State: "failing", ConsecutiveErrors: 1, Error: "fetch: 503", At: dispatchBase}}
	payload, _ := json.Marshal(fail)
	if _, err := s.RecordCheck(t.Context(), store.CheckResult{WatchID: w.ID, StartedAt: dispatchBase, Outcome: store.OutcomeError, Error: "fetch: 503",
		FailingAfter: 1, Notify: []store.Notification{{Notifier: "hook", On: store.EventFailing, Payload: payload}}}); err != nil {
		t.Fatal(err)
	}

	var logs logBuffer
	var attempts atomic.Int32
	clk := newTestClock(dispatchBase)
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{
		Now: clk.Now, BaseURL: "https://redline.example/", Logger: logs.logger(),
		OnAttempt: func(notifier string, ok bool, _ time.Duration) {
			if notifier != "hook" || !ok {
				t.Errorf("OnAttempt(%s, %v)", notifier, ok)
			}
			attempts.Add(1)
		},
	})
	drain(t, d, DrainStats{Sent: 3})
	drain(t, d, DrainStats{})
	if req, acc := recv.counts(); req != 3 || acc != 3 {
		t.Fatalf("receiver: %d requests, %d accepted; want 3 and 3", req, acc)
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("OnAttempt called %d times, want 3", n)
	}

	items, err := s.ListOutbox(t.Context(), store.OutboxFilter{WatchID: w.ID})
	if err != nil || len(items) != 3 {
		t.Fatalf("ListOutbox = %v, %v", items, err)
	}
	for _, it := range items {
		if it.State != store.OutboxSent || it.Attempts != 1 || it.LastStatus != 204 || !it.SentAt.Equal(dispatchBase) {
			t.Errorf("item %s: %+v; want sent at %s after one attempt", it.Key, it, dispatchBase)
		}
		m, ok := recv.message(it.Key)
		if !ok {
			t.Errorf("item %s never accepted", it.Key)
			continue
		}
		if m.Version != Version || m.Event != it.Kind || m.Delivery != it.Key || m.Watch.ID != w.ID || m.Watch.URL != w.URL {
			t.Errorf("item %s: message %+v", it.Key, m)
		}
		switch it.Kind {
		case store.NotifyNew, store.NotifyChanged:
			wantURL := fmt.Sprintf("https://redline.example/watches/%d/revisions/%d", w.ID, it.RevisionSeq)
			if m.Revision == nil || m.Revision.New != it.RevisionSeq || m.Revision.Old != it.RevisionSeq-1 || m.Revision.URL != wantURL ||
				m.Title != fmt.Sprintf("Headline %d", it.RevisionSeq) || m.Summary != "1 paragraph changed" || m.Health != nil {
				t.Errorf("item %s: revision message %+v, revision %+v", it.Key, m, m.Revision)
			}
		case store.EventFailing:
			if m.Revision != nil || m.Health == nil || m.Health.Error != "fetch: 503" || m.Health.State != "failing" {
				t.Errorf("item %s: event message %+v", it.Key, m)
			}
		default:
			t.Errorf("item %s of kind %s", it.Key, it.Kind)
		}
	}
	if got := strings.Count(logs.String(), "level=DEBUG msg=delivered"); got != 3 {
		t.Errorf("%d debug lines for deliveries, want 3:\n%s", got, logs.String())
	}
}

// TestDispatchRetries (b): a receiver that is down for the first attempts
// gets the delivery once, after backoffs that double.
func TestDispatchRetries(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	const down = 3
	recv.status = func(n int) int {
		if n < down {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	}
	w := addWatch(t, s, "https://example.org/b")
	seq := recordRevision(t, s, w, dispatchBase, "hook")
	clk := newTestClock(dispatchBase)
	var logs logBuffer
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: clk.Now, Logger: logs.logger()})

	for i := 1; i <= down; i++ {
		drain(t, d, DrainStats{Retry: 1})
		drain(t, d, DrainStats{}) // not due again yet
		it := item(t, s, w, seq)
		full := 30 * time.Second << (i - 1)
		at := clk.Now()
		if it.State != store.OutboxPending || it.Attempts != i || it.LastStatus != 503 || !strings.Contains(it.LastError, "503") ||
			!strings.Contains(it.LastError, fmt.Sprintf("answer 503 to request %d", i-1)) {
			t.Fatalf("after failure %d: %+v", i, it)
		}
		if it.NextAttemptAt.Before(at.Add(full/2)) || it.NextAttemptAt.After(at.Add(full)) {
			t.Errorf("after failure %d: next attempt at %s, want within [%s, %s] after %s", i, it.NextAttemptAt, full/2, full, at)
		}
		clk.Set(it.NextAttemptAt)
	}
	drain(t, d, DrainStats{Sent: 1})
	it := item(t, s, w, seq)
	if it.State != store.OutboxSent || it.Attempts != down+1 || it.LastError != "" {
		t.Errorf("after the receiver came back: %+v", it)
	}
	if req, acc := recv.counts(); req != down+1 || acc != 1 {
		t.Errorf("receiver: %d requests, %d accepted; want %d and 1", req, acc, down+1)
	}
	if got := strings.Count(logs.String(), "level=WARN msg=\"delivery failed; will retry\""); got != down {
		t.Errorf("%d warnings for failures, want %d:\n%s", got, down, logs.String())
	}
	for _, want := range []string{"notifier=hook", "delivery=" + it.Key, fmt.Sprintf("watch=%d", w.ID), "status=503"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %s:\n%s", want, logs.String())
		}
	}
}

// TestDispatchRunRetries (b, with Run): Run sleeps until the next attempt
// is due and delivers once the receiver is back.
func TestDispatchRunRetries(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	recv.status = func(n int) int {
		if n < 3 {
			return http.StatusBadGateway
		}
		return http.StatusAccepted
	}
	w := addWatch(t, s, "https://example.org/run")
	seq := recordRevision(t, s, w, time.Now(), "hook")
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	waitUntil(t, 10*time.Second, "the delivery after 3 failures", func() bool { _, acc := recv.counts(); return acc == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if it := item(t, s, w, seq); it.State != store.OutboxSent || it.Attempts != 4 {
		t.Errorf("item %+v, want sent at the 4th attempt", it)
	}
	if req, acc := recv.counts(); req != 4 || acc != 1 {
		t.Errorf("receiver: %d requests, %d accepted; want 4 and 1", req, acc)
	}
}

// TestDispatchDead (c): a receiver that always fails makes the item dead
// after MaxAttempts (or at once when the item is older than MaxAge);
// RetryOutbox and RetryDead revive it, and it is delivered once the
// receiver works.
func TestDispatchDead(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	var broken atomic.Bool
	broken.Store(true)
	recv.status = func(int) int {
		if broken.Load() {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	}
	w := addWatch(t, s, "https://example.org/c")
	seq := recordRevision(t, s, w, dispatchBase, "hook")
	old := addWatch(t, s, "https://example.org/old")
	oldSeq := recordRevision(t, s, old, dispatchBase.Add(-73*time.Hour), "hook")

	clk := newTestClock(dispatchBase)
	var logs logBuffer
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: clk.Now, MaxAttempts: 3, Logger: logs.logger()})
	drain(t, d, DrainStats{Retry: 1, Dead: 1}) // the old one is given up at once
	if it := item(t, s, old, oldSeq); it.State != store.OutboxDead || it.Attempts != 1 {
		t.Errorf("item older than MaxAge after a failure: %+v, want dead", it)
	}
	clk.Set(dispatchBase.Add(time.Hour))
	drain(t, d, DrainStats{Retry: 1})
	clk.Set(dispatchBase.Add(2 * time.Hour))
	drain(t, d, DrainStats{Dead: 1})
	clk.Set(dispatchBase.Add(3 * time.Hour))
	drain(t, d, DrainStats{})
	it := item(t, s, w, seq)
	if it.State != store.OutboxDead || it.Attempts != 3 || it.LastStatus != 500 || !strings.Contains(it.LastError, "500") {
		t.Fatalf("after 3 failures: %+v, want dead", it)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=\"delivery failed; giving up") {
		t.Errorf("no error line for the item given up:\n%s", logs.String())
	}

	broken.Store(false)
	if err := s.RetryOutbox(t.Context(), it.ID, clk.Now()); err != nil {
		t.Fatal(err)
	}
	drain(t, d, DrainStats{Sent: 1})
	if it := item(t, s, w, seq); it.State != store.OutboxSent || it.Attempts != 1 {
		t.Errorf("after RetryOutbox: %+v, want sent", it)
	}
	if n, err := s.RetryDead(t.Context(), clk.Now()); err != nil || n != 1 {
		t.Fatalf("RetryDead = %d, %v; want 1", n, err)
	}
	drain(t, d, DrainStats{Sent: 1})
	if it := item(t, s, old, oldSeq); it.State != store.OutboxSent {
		t.Errorf("after RetryDead: %+v, want sent", it)
	}
	if req, acc := recv.counts(); req != 6 || acc != 2 {
		t.Errorf("receiver: %d requests, %d accepted; want 6 and 2", req, acc)
	}
}

// TestDispatchLeaseTakeover (d): a dispatcher stops while its receiver
// hangs; once its lease has ended another dispatcher delivers the item.
// The receiver gets the same key twice and counts it once; the first
// dispatcher's late result is not recorded.
func TestDispatchLeaseTakeover(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	recv.hang, recv.arrived = make(chan struct{}), make(chan struct{})
	w := addWatch(t, s, "https://example.org/d")
	seq := recordRevision(t, s, w, dispatchBase.Add(-time.Minute), "hook")

	var logs1 logBuffer
	d1 := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")},
		DispatcherOptions{Owner: "one", Now: func() time.Time { return dispatchBase }, Lease: time.Minute, Logger: logs1.logger()})
	d2 := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")},
		DispatcherOptions{Owner: "two", Now: func() time.Time { return dispatchBase.Add(2 * time.Minute) }, Lease: time.Minute})

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d1.Run(ctx) }()
	<-recv.arrived
	if it := item(t, s, w, seq); it.LeaseOwner != "one" || !it.LeaseExpiresAt.Equal(dispatchBase.Add(time.Minute)) {
		t.Fatalf("item while the first dispatcher attempts it: %+v", it)
	}
	cancel() // the first dispatcher stops claiming; its attempt hangs on

	drain(t, d2, DrainStats{Sent: 1})
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) before its attempt in flight ended", err)
	default:
	}
	close(recv.hang)
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}

	it := item(t, s, w, seq)
	if it.State != store.OutboxSent || it.Attempts != 1 || it.LeaseOwner != "" {
		t.Errorf("item %+v, want sent once, by the second dispatcher", it)
	}
	recv.mu.Lock()
	keys, dups := recv.keys, recv.dups
	recv.mu.Unlock()
	if len(keys) != 2 || keys[0] != it.Key || keys[1] != it.Key {
		t.Errorf("receiver got keys %v, want %s twice", keys, it.Key)
	}
	if _, acc := recv.counts(); acc != 1 || dups != 1 {
		t.Errorf("receiver accepted %d (duplicates %d), want 1 (1)", acc, dups)
	}
	if !strings.Contains(logs1.String(), "lease lost") {
		t.Errorf("the first dispatcher did not log its lost lease:\n%s", logs1.String())
	}
}

// TestDispatchUnknownNotifier (e): an item for a notifier the config no
// longer has fails and is retried with backoff, not lost.
func TestDispatchUnknownNotifier(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	w := addWatch(t, s, "https://example.org/e")
	seq := recordRevision(t, s, w, dispatchBase, "ghost")
	clk := newTestClock(dispatchBase)
	var logs logBuffer
	var failed atomic.Int32
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: clk.Now, Logger: logs.logger(),
		OnAttempt: func(n string, ok bool, _ time.Duration) {
			if n == "ghost" && !ok {
				failed.Add(1)
			}
		}})
	drain(t, d, DrainStats{Retry: 1})
	it := item(t, s, w, seq)
	if it.State != store.OutboxPending || it.Attempts != 1 || it.LastError != "no notifier named ghost in the config" ||
		it.NextAttemptAt.Before(dispatchBase.Add(15*time.Second)) || it.NextAttemptAt.After(dispatchBase.Add(30*time.Second)) {
		t.Fatalf("item for an unknown notifier: %+v", it)
	}
	if failed.Load() != 1 || !strings.Contains(logs.String(), "notifier=ghost") {
		t.Errorf("the failure was not reported (OnAttempt %d):\n%s", failed.Load(), logs.String())
	}

	// The config gains it again: the item goes out.
	clk.Set(it.NextAttemptAt)
	d = newDispatcher(t, s, map[string]Notifier{"ghost": recv.webhook(t, "ghost")}, DispatcherOptions{Now: clk.Now})
	drain(t, d, DrainStats{Sent: 1})
	if m, ok := recv.message(it.Key); !ok || m.Revision == nil || m.Revision.New != seq {
		t.Errorf("receiver has %+v (%v), want revision %d under %s", m, ok, seq, it.Key)
	}
}

// TestDispatchRunWake (f): Run, idle, delivers promptly once woken, and
// returns nil when cancelled.
func TestDispatchRunWake(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	w := addWatch(t, s, "https://example.org/f")
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	time.Sleep(200 * time.Millisecond) // Run finds nothing and sleeps (for up to a minute)

	for i := 1; i <= 2; i++ {
		recordRevision(t, s, w, time.Now(), "hook")
		d.Wake()
		waitUntil(t, 5*time.Second, "the delivery after Wake", func() bool { _, acc := recv.counts(); return acc == i })
	}
	d.Wake()
	d.Wake() // never blocks
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Run took %s to return", took)
	}
}

// TestDrainCancelled: a cancelled Drain claims nothing and says so.
func TestDrainCancelled(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	w := addWatch(t, s, "https://example.org/g")
	recordRevision(t, s, w, dispatchBase, "hook")
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: func() time.Time { return dispatchBase }})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if st, err := d.Drain(ctx); err == nil || st != (DrainStats{}) {
		t.Errorf("Drain(cancelled) = %+v, %v; want an error and nothing done", st, err)
	}
	if req, _ := recv.counts(); req != 0 {
		t.Errorf("receiver got %d requests", req)
	}
}

// TestDispatchBadPayload: an item whose payload is no message cannot
// succeed: it is given up at once.
func TestDispatchBadPayload(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "s3cret")
	w := addWatch(t, s, "https://example.org/h")
	if _, err := s.RecordCheck(t.Context(), store.CheckResult{WatchID: w.ID, StartedAt: dispatchBase, Outcome: store.OutcomeNew, HTTPStatus: 200,
		Revision: &store.Revision{FetchedAt: dispatchBase, Text: "x"},
		Notify:   []store.Notification{{Notifier: "hook", On: store.NotifyNew, Payload: json.RawMessage(`{"watch": "not an object"}`)}}}); err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: func() time.Time { return dispatchBase }})
	drain(t, d, DrainStats{Dead: 1})
	if it := item(t, s, w, 1); it.State != store.OutboxDead || !strings.Contains(it.LastError, "is not a message") {
		t.Errorf("item %+v", it)
	}
	if req, _ := recv.counts(); req != 0 {
		t.Errorf("receiver got %d requests", req)
	}
}

// TestNewDispatcherOptions: defaults, and options that cannot work.
func TestNewDispatcherOptions(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	slow := mustNotifier(t, Spec{Name: "slow", Type: "webhook", URL: "https://h.example/x", Timeout: 5 * time.Minute})
	d, err := NewDispatcher(s, map[string]Notifier{"slow": slow}, DispatcherOptions{Owner: "o"})
	if err != nil {
		t.Fatal(err)
	}
	if o := d.opts; o.Workers != 4 || o.MaxAttempts != 10 || o.MaxAge != 72*time.Hour || o.MinBackoff != 30*time.Second ||
		o.MaxBackoff != time.Hour || o.Lease <= 5*time.Minute*5/4 {
		t.Errorf("defaults %+v (the lease must outlast a 5m attempt)", o)
	}
	if d, err := NewDispatcher(s, nil, DispatcherOptions{Owner: "o"}); err != nil || d.opts.Lease != 2*time.Minute {
		t.Errorf("default lease without notifiers: %v, %v", d, err)
	}
	for _, c := range []struct {
		o    DispatcherOptions
		n    map[string]Notifier
		want string
	}{
		{DispatcherOptions{}, nil, "Owner is required"},
		{DispatcherOptions{Owner: "o", Lease: time.Minute}, map[string]Notifier{"slow": slow}, "too short for notifier slow"},
		{DispatcherOptions{Owner: "o", MinBackoff: time.Hour, MaxBackoff: time.Minute}, nil, "exceeds MaxBackoff"},
		{DispatcherOptions{Owner: "o", MinBackoff: time.Microsecond}, nil, "below 1ms"},
		{DispatcherOptions{Owner: "o", Workers: -1}, nil, "negative"},
		{DispatcherOptions{Owner: "o"}, map[string]Notifier{"nil": nil}, "notifier nil is nil"},
	} {
		if _, err := NewDispatcher(s, c.n, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewDispatcher(%+v) = %v, want an error with %q", c.o, err, c.want)
		}
	}
	if _, err := NewDispatcher(nil, nil, DispatcherOptions{Owner: "o"}); err == nil {
		t.Error("NewDispatcher(nil store) = nil error")
	}
}

// TestBackoff: the wait after the n-th failure is within [b/2, b],
// b = min(MaxBackoff, MinBackoff·2^(n−1)), and spread over it.
func TestBackoff(t *testing.T) {
	t.Parallel()
	d := &Dispatcher{opts: DispatcherOptions{MinBackoff: 30 * time.Second, MaxBackoff: time.Hour}}
	for n, b := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 7: 32 * time.Minute, 8: time.Hour, 9: time.Hour, 1000: time.Hour} {
		lo, hi := b, time.Duration(0)
		for range 200 {
			got := d.backoff(n)
			if got < b/2 || got > b {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, got, b/2, b)
			}
			lo, hi = min(lo, got), max(hi, got)
		}
		if hi-lo < b/4 {
			t.Errorf("backoff(%d) ranged over [%s, %s] only: no jitter?", n, lo, hi)
		}
	}
}

// waitUntil polls cond until it holds, failing the test after timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s", what, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
