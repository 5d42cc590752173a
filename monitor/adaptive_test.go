package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/store"
)

// articlePage is a news article whose page gives its publication date
// (none when published is "").
func articlePage(published string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>Harbour works resume</title>`)
	if published != "" {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, published)
	}
	b.WriteString(`</head><body><article><h1>Harbour works resume after the winter storms</h1>`)
	for i := range 5 {
		fmt.Fprintf(&b, `<p>Paragraph %d of the report: the council said the repairs to the harbour wall would take until the spring, and that the ferry would keep running from the north pier while the crews worked on the south side.</p>`, i+1)
	}
	b.WriteString(`</article></body></html>`)
	return b.String()
}

// TestDaemonAdaptiveArticleAge: on the adaptive schedule an article is as
// young as its page says. One published years ago is checked weekly from its
// first capture, one that gives no date is young since it was added, and
// the date is kept on the watch for the checks after.
func TestDaemonAdaptiveArticleAge(t *testing.T) {
	s := openStore(t)
	pages := map[string]string{"/old": articlePage("2019-04-02T08:30:00Z"), "/undated": articlePage("")}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	old := addWatch(t, s, store.Watch{URL: srv.URL + "/old", Schedule: "adaptive"})
	undated := addWatch(t, s, store.Watch{URL: srv.URL + "/undated", Schedule: "adaptive"})

	d := daemonFor(t, s, "adaptive", DaemonOptions{})
	runFor(t, d, 2*time.Second)

	week, quarter := 7*24*time.Hour, 15*time.Minute
	for _, tt := range []struct {
		w         store.Watch
		published time.Time
		interval  time.Duration
	}{
		{old, time.Date(2019, 4, 2, 8, 30, 0, 0, time.UTC), week},
		{undated, time.Time{}, quarter},
	} {
		w := refresh(t, s, tt.w)
		cs := checksOf(t, s, w)
		if len(cs) != 1 || cs[0].Outcome != store.OutcomeNew {
			t.Fatalf("%s: checks %+v, want one new capture", w.URL, cs)
		}
		if !w.State.Published.Equal(tt.published) {
			t.Errorf("%s: stored publication date %v, want %v", w.URL, w.State.Published, tt.published)
		}
		gap := w.State.NextCheckAt.Sub(cs[0].StartedAt)
		if gap < tt.interval || gap > tt.interval+quarter+5*time.Second {
			t.Errorf("%s: next check %v after the capture, want %v plus jitter", w.URL, gap, tt.interval)
		}
	}
}

// TestNextCheckAdaptive: the adaptive interval after each kind of check
// reads the article's age from its stored date and its last edit, where
// the first capture is no edit.
func TestNextCheckAdaptive(t *testing.T) {
	d := daemonFor(t, openStore(t), "adaptive", DaemonOptions{})
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	longAgo := now.AddDate(-2, 0, 0)
	added := now.Add(-2 * time.Hour)
	watch := func(st store.WatchState) store.Watch { return store.Watch{ID: 7, CreatedAt: added, State: st} }
	for _, tt := range []struct {
		name string
		w    store.Watch
		res  Result
		want time.Duration
	}{
		{"first capture of an old article", watch(store.WatchState{}),
			Result{Outcome: store.OutcomeNew, Published: longAgo}, 7 * 24 * time.Hour},
		{"first capture of an undated page", watch(store.WatchState{}),
			Result{Outcome: store.OutcomeNew}, 15 * time.Minute},
		{"old article still as captured", watch(store.WatchState{Published: longAgo, Revisions: 1, LastChangeAt: added}),
			Result{Outcome: store.OutcomeUnchanged}, 7 * 24 * time.Hour},
		{"old article edited an hour ago", watch(store.WatchState{Published: longAgo, Revisions: 2, LastChangeAt: now.Add(-time.Hour)}),
			Result{Outcome: store.OutcomeUnchanged}, 15 * time.Minute},
		{"old article edited now", watch(store.WatchState{Published: longAgo, Revisions: 1, LastChangeAt: added}),
			Result{Outcome: store.OutcomeChanged, Published: longAgo}, 15 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := d.nextCheck(tt.w, tt.res, now, slog.New(slog.DiscardHandler)).Sub(now)
			if got < tt.want || got >= tt.want+15*time.Minute {
				t.Errorf("next check in %v, want %v plus jitter", got, tt.want)
			}
		})
	}
}

// TestDaemonAdaptiveExtractorUpdate: the revision an upgrade of redline
// records (a new reading of an unchanged page) does not make an old
// article young again: its next check stays a week away, and the watch's
// last change stays the page's last edit.
func TestDaemonAdaptiveExtractorUpdate(t *testing.T) {
	s := openStore(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage("2019-04-02T08:30:00Z"))
	}))
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/old", Schedule: "adaptive"})
	ctx := context.Background()
	mustCheck(t, newChecker(t, s), w, store.OutcomeNew)
	// What an older redline stored a year ago: a document without a
	// format version, with a text today's form no longer gives, and a
	// shortcut taken under that older form.
	edited := time.Now().Add(-365 * 24 * time.Hour).UTC().Truncate(time.Second)
	cur, err := s.LatestRevision(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	old := cur.Text + "\n\nA line an older extractor kept."
	stale := "0123456789abcdef deadbeef"
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: edited, Outcome: store.OutcomeChanged,
		BodyHash: "stale", Shortcut: &stale, Revision: &store.Revision{FetchedAt: edited, ContentHash: textHash(old), Text: old, Document: json.RawMessage(`{"title":"x"}`)}}); err != nil {
		t.Fatal(err)
	}

	d := daemonFor(t, s, "adaptive", DaemonOptions{})
	runFor(t, d, 2*time.Second)

	w = refresh(t, s, w)
	var last store.Check
	for _, c := range checksOf(t, s, w) {
		if c.StartedAt.After(last.StartedAt) {
			last = c
		}
	}
	if last.Outcome != store.OutcomeChanged || w.State.Revisions != 3 {
		t.Fatalf("last check %+v, %d revisions; want the extractor update recorded as revision 3", last, w.State.Revisions)
	}
	if rev, err := s.LatestRevision(ctx, w.ID); err != nil || rev.Class != store.ClassExtractorUpdate {
		t.Fatalf("latest revision class %q (%v), want %s", rev.Class, err, store.ClassExtractorUpdate)
	}
	if !w.State.LastChangeAt.Equal(edited) {
		t.Errorf("last change %v, want the page's last edit %v", w.State.LastChangeAt, edited)
	}
	week := 7 * 24 * time.Hour
	if gap := w.State.NextCheckAt.Sub(last.StartedAt); gap < week || gap > week+15*time.Minute+5*time.Second {
		t.Errorf("next check %v after the extractor update, want a week plus jitter", gap)
	}
}

// TestExtractorUpdateClass: the store knows an extractor update by the
// class the monitor gives it.
func TestExtractorUpdateClass(t *testing.T) {
	if string(diff.ClassExtractorUpdate) != store.ClassExtractorUpdate {
		t.Errorf("diff says %q, store says %q", diff.ClassExtractorUpdate, store.ClassExtractorUpdate)
	}
}
