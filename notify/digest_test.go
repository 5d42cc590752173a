package notify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// recordGrouped records a new revision of w whose delivery through hook
// waits for the digest window ending at window.
func recordGrouped(t *testing.T, s store.Store, w store.Watch, at, window time.Time) {
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
	payload, _ := json.Marshal(Message{Version: Version, Event: on, Watch: Watch{ID: w.ID, Name: w.Name, URL: w.URL},
		Revision: &Revision{Old: prev, FetchedAt: at}, Title: fmt.Sprintf("%s %d", w.Name, prev+1)})
	if _, err := s.RecordCheck(t.Context(), store.CheckResult{
		WatchID: w.ID, StartedAt: at, Outcome: outcome, HTTPStatus: 200,
		Revision: &store.Revision{FetchedAt: at, ContentHash: fmt.Sprintf("h%d", at.UnixNano()), Text: fmt.Sprintf("# %d", prev+1), HTTPStatus: 200},
		Notify:   []store.Notification{{Notifier: "hook", On: on, Payload: payload, NotBefore: window, Group: fmt.Sprintf("digest/hook/%d", window.Unix())}},
	}); err != nil {
		t.Fatal(err)
	}
}

// TestDispatchDigest: the items of one digest window wait for its end and
// go out as one message whose changes are theirs, oldest first; a failed
// digest is retried whole, under the same key.
func TestDispatchDigest(t *testing.T) {
	t.Parallel()
	s := openTestStore(t)
	recv := newOutboxReceiver(t, "d1gest")
	recv.status = func(n int) int {
		if n == 0 {
			return http.StatusBadGateway
		}
		return http.StatusOK
	}
	window := dispatchBase.Add(6 * time.Hour)
	a, b := addWatch(t, s, "https://example.org/a"), addWatch(t, s, "https://example.org/b")
	recordGrouped(t, s, a, dispatchBase, window)
	recordGrouped(t, s, b, dispatchBase.Add(time.Minute), window)
	recordGrouped(t, s, a, dispatchBase.Add(2*time.Minute), window)
	recordGrouped(t, s, b, window.Add(time.Minute), window.Add(24*time.Hour)) // the next window's

	clk := newTestClock(dispatchBase.Add(time.Hour))
	d := newDispatcher(t, s, map[string]Notifier{"hook": recv.webhook(t, "hook")}, DispatcherOptions{Now: clk.Now, Workers: 1})
	drain(t, d, DrainStats{}) // the window is open: nothing goes out

	clk.Set(window.Add(time.Second))
	drain(t, d, DrainStats{Retry: 3}) // one request, failed, for three items
	if req, _ := recv.counts(); req != 1 {
		t.Fatalf("%d requests for the digest, want 1", req)
	}
	items, err := s.ListOutbox(t.Context(), store.OutboxFilter{State: store.OutboxPending})
	if err != nil {
		t.Fatal(err)
	}
	var next time.Time
	for _, it := range items {
		if it.Group != fmt.Sprintf("digest/hook/%d", window.Unix()) {
			continue
		}
		if !next.IsZero() && !it.NextAttemptAt.Equal(next) {
			t.Errorf("the digest's items are retried apart: %s and %s", next, it.NextAttemptAt)
		}
		next = it.NextAttemptAt
	}
	clk.Set(next)
	drain(t, d, DrainStats{Sent: 3})
	recv.mu.Lock()
	keys := append([]string(nil), recv.keys...)
	recv.mu.Unlock()
	if len(keys) != 2 || keys[0] != keys[1] {
		t.Fatalf("requests %v, want two with the same key", keys)
	}
	m, ok := recv.message(keys[1])
	if !ok || m.Event != EventDigest || len(m.Changes) != 3 || m.Summary != "3 changes on 2 watches" {
		t.Fatalf("digest %+v", m)
	}
	for i, want := range []string{"watch https://example.org/a 1", "watch https://example.org/b 1", "watch https://example.org/a 2"} {
		if c := m.Changes[i]; c.Title != want || c.Delivery == "" || c.Revision == nil || c.Revision.New == 0 {
			t.Errorf("change %d = %+v, want %q with its own key and revision", i, c, want)
		}
	}
	// The next window's item is still waiting.
	if items, _ := s.ListOutbox(t.Context(), store.OutboxFilter{State: store.OutboxPending}); len(items) != 1 {
		t.Errorf("%d items pending, want the next window's one", len(items))
	}
}
