package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/sqlite"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "redline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newChecker(t *testing.T, s store.Store) *Checker {
	t.Helper()
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return NewChecker(s, f, CheckerOptions{Defaults: store.Extraction{Mode: "article"}})
}

func addWatch(t *testing.T, s store.Store, w store.Watch) store.Watch {
	t.Helper()
	w, err := s.AddWatch(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// refresh reloads a watch, as the next run of redline would see it.
func refresh(t *testing.T, s store.Store, w store.Watch) store.Watch {
	t.Helper()
	w, err := s.Watch(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustCheck(t *testing.T, c *Checker, w store.Watch, want store.Outcome) Result {
	t.Helper()
	res, err := c.Check(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != want {
		t.Fatalf("check of %s = %s (%v), want %s", w.URL, res.Outcome, res.Err, want)
	}
	return res
}

// counting serves a body and counts the requests and their validators.
type counting struct {
	mu       sync.Mutex
	body     string
	etag     string
	requests atomic.Int32
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.requests.Add(1)
	c.mu.Lock()
	body, etag := c.body, c.etag
	c.mu.Unlock()
	if etag != "" {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func (c *counting) set(body, etag string) {
	c.mu.Lock()
	c.body, c.etag = body, etag
	c.mu.Unlock()
}

const pageFmt = `<html><head><title>Status</title></head><body>
<nav><a href="/">Home</a></nav>
<div id="status"><p>%s</p></div>
<div id="stamp"><p>Generated %s</p></div>
</body></html>`

func TestCheckShortCircuitsAndSettings(t *testing.T) {
	t.Parallel()
	site := &counting{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := openStore(t)
	c := newChecker(t, s)
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/status", Extract: store.Extraction{Mode: "selector", Select: []string{"#status"}}})

	site.set(fmt.Sprintf(pageFmt, "All systems operational", "10:00"), `"v1"`)
	if res := mustCheck(t, c, w, store.OutcomeNew); res.Revision != 1 {
		t.Fatalf("first revision = %d", res.Revision)
	}
	// The server's ETag still matches: a 304, nothing extracted.
	w = refresh(t, s, w)
	mustCheck(t, c, w, store.OutcomeNotModified)

	// New bytes outside the selected element: unchanged, no revision.
	site.set(fmt.Sprintf(pageFmt, "All systems operational", "10:05"), "")
	w = refresh(t, s, w)
	mustCheck(t, c, w, store.OutcomeUnchanged)

	// The same bytes again: unchanged by the body hash.
	w = refresh(t, s, w)
	mustCheck(t, c, w, store.OutcomeUnchanged)

	// The selector changes: the same bytes must be extracted again, and
	// the stamp is now part of the text.
	w.Extract.Select = []string{"#status", "#stamp"}
	if err := s.UpdateWatch(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	w = refresh(t, s, w)
	res := mustCheck(t, c, w, store.OutcomeChanged)
	if !strings.Contains(res.Diff(), "+Generated 10:05") {
		t.Errorf("diff after a selector change:\n%s", res.Diff())
	}

	// A page with nothing in the selected element is an error, not an
	// empty revision.
	site.set(`<html><body><div id="elsewhere">moved</div></body></html>`, "")
	w = refresh(t, s, w)
	res = mustCheck(t, c, w, store.OutcomeError)
	if !strings.Contains(res.Err.Error(), "no text found") {
		t.Errorf("error = %v", res.Err)
	}
	if w = refresh(t, s, w); w.State.Revisions != 2 || w.State.ConsecutiveErrors != 1 {
		t.Errorf("state after the empty page = %+v", w.State)
	}
}

func TestCheckAll(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/gone") {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		fmt.Fprintf(w, `<html><body><article><h1>Page %s</h1><p>The text of page %s, long enough to be an article paragraph on its own.</p></article></body></html>`, r.URL.Path, r.URL.Path)
	}))
	defer srv.Close()
	s := openStore(t)
	c := newChecker(t, s)
	var ws []store.Watch
	for i := range 40 {
		path := fmt.Sprintf("/p/%d", i)
		if i%10 == 0 {
			path += "/gone"
		}
		ws = append(ws, addWatch(t, s, store.Watch{URL: srv.URL + path}))
	}
	got := map[store.Outcome]int{}
	if err := c.CheckAll(context.Background(), ws, 6, func(r Result) { got[r.Outcome]++ }); err != nil {
		t.Fatal(err)
	}
	if got[store.OutcomeNew] != 36 || got[store.OutcomeError] != 4 {
		t.Errorf("outcomes = %v, want 36 new and 4 errors", got)
	}

	// A cancelled run stops early and records nothing more.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.CheckAll(ctx, ws, 6, func(Result) {}); err == nil {
		t.Error("CheckAll with a cancelled context returned nil")
	}
}

func TestSyncConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	cli := addWatch(t, s, store.Watch{URL: "https://example.org/cli", Source: store.SourceCLI})
	cfg, err := config.ParseEnv("redline.yaml", []byte(`
watches:
  - url: https://example.org/a
    name: a
  - url: https://example.org/b
    tags: [x]
`), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	rep, err := SyncConfig(ctx, s, cfg)
	if err != nil || len(rep.Added) != 2 || len(rep.Updated)+len(rep.Removed) != 0 {
		t.Fatalf("first sync = %+v, %v", rep, err)
	}
	// Syncing again changes nothing.
	if rep, err = SyncConfig(ctx, s, cfg); err != nil || len(rep.Added)+len(rep.Updated)+len(rep.Removed) != 0 {
		t.Fatalf("second sync = %+v, %v", rep, err)
	}
	// b's tags change, a leaves the file.
	cfg.Watches = cfg.Watches[1:]
	cfg.Watches[0].Tags = []string{"y"}
	if rep, err = SyncConfig(ctx, s, cfg); err != nil || len(rep.Updated) != 1 || len(rep.Removed) != 1 {
		t.Fatalf("third sync = %+v, %v", rep, err)
	}
	ws, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].ID != cli.ID || ws[1].URL != "https://example.org/b" || ws[1].Tags[0] != "y" {
		t.Errorf("watches after sync = %+v", ws)
	}
}

// TestDefaultsApplyWhereTheyMeanSomething: the config's default exclude
// selectors remove HTML elements, so a JSON or raw watch must still work
// when the config sets some.
func TestDefaultsApplyWhereTheyMeanSomething(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status": {"indicator": "none", "description": "All Systems Operational"}, "page": {"updated_at": "2024-03-04T06:00:00Z"}}`)
	}))
	defer srv.Close()
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, f, CheckerOptions{Defaults: store.Extraction{Mode: "article", Exclude: []string{".cookie-banner"}, Ignore: []string{"^page"}}})
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/summary.json", Extract: store.Extraction{Mode: "json"}})
	mustCheck(t, c, w, store.OutcomeNew)
	rev, err := s.LatestRevision(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "status.description: All Systems Operational\n\nstatus.indicator: none\n"; rev.Text != want {
		t.Errorf("JSON watch text = %q, want %q (the default ignore applied, the default exclude not)", rev.Text, want)
	}
}
