package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/internal/testsite"
	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/sqlite"
)

// syncBuffer is a bytes.Buffer safe for the daemon's goroutines to write
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestRunDaemon runs `redline run` in-process: it serves its probes and
// metrics, checks the configured watch, reloads the config when the file
// changes (a bad file is logged with its position and changes nothing),
// and exits 0 when stopped.
func TestRunDaemon(t *testing.T) {
	site := newSite(t)
	site.serve(200, testsite.France24(testsite.France24Page{GeneratedAt: "now"}))
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	writeCfg := func(body string) {
		t.Helper()
		// A distinct modification time, so the reload loop sees the change.
		if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		future := time.Now().Add(time.Duration(len(body)) * time.Second)
		if err := os.Chtimes(cfgPath, future, future); err != nil {
			t.Fatal(err)
		}
	}
	one := "defaults: {schedule: '@hourly', confirm_delay: 0s}\nwatches:\n  - {url: '" + site.url() + "', name: f24}\n"
	writeCfg(one)

	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--db", filepath.Join(dir, "r.db"), "--config", cfgPath, "run", "--listen", "127.0.0.1:0", "--watch-config"}, stdio{
			in: strings.NewReader(""), out: io.Discard, err: &stderr,
			getenv: func(string) string { return "" },
		})
	}()

	addr := regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)
	waitFor(t, "the server address in the log", 5*time.Second, func() bool { return addr.MatchString(stderr.String()) })
	base := "http://" + addr.FindStringSubmatch(stderr.String())[1]
	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	waitFor(t, "/readyz", 5*time.Second, func() bool { code, _ := get(t, base+"/readyz"); return code == 200 })
	waitFor(t, "the first check in the metrics", 10*time.Second, func() bool {
		_, m := get(t, base+"/metrics")
		return strings.Contains(m, `redline_checks_total{outcome="new"} 1`)
	})
	_, m := get(t, base+"/metrics")
	for _, want := range []string{"redline_fetch_duration_seconds_count 1", "redline_extract_duration_seconds_count 1",
		`redline_watches{state="ok"} 1`, "redline_due_backlog 0", "redline_store_revisions 1", "redline_checks_in_flight 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	// A second watch appears in the file: it is synced and checked.
	writeCfg(one + "  - {url: '" + site.url() + "?b=1', name: second}\n")
	waitFor(t, "the reloaded watch's check", 10*time.Second, func() bool {
		_, m := get(t, base+"/metrics")
		return strings.Contains(m, `redline_checks_total{outcome="new"} 2`)
	})
	// A broken file is reported with its position; nothing changes.
	writeCfg("defaults: {schedule: '*/61 * * * *'}\nwatches:\n  - {url: '" + site.url() + "'}\n")
	waitFor(t, "the reload error", 10*time.Second, func() bool {
		return strings.Contains(stderr.String(), `config not reloaded`) &&
			strings.Contains(stderr.String(), `redline.yaml:1:22: defaults: schedule: invalid schedule`)
	})
	if _, m := get(t, base+"/metrics"); !strings.Contains(m, `redline_watches{state="ok"} 2`) {
		t.Errorf("after a bad reload the watches changed:\n%s", m)
	}

	cancel()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("exit %d after stop, want 0\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("redline run did not stop")
	}
	if !strings.Contains(stderr.String(), `"msg":"redline stopped"`) {
		t.Errorf("no stop message in the log:\n%s", stderr.String())
	}
}

// TestDiffAfterPruning: with the revision before the newest pruned away,
// `redline diff` compares the newest with the one before it that is kept.
func TestDiffAfterPruning(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://www.example.org/a", Name: "a", Source: store.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	for i, text := range []string{"first\n", "second\n", "third\n", "fourth\n"} {
		o := store.OutcomeChanged
		if i == 0 {
			o = store.OutcomeNew
		}
		at = at.Add(time.Minute)
		if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: at, Outcome: o,
			Revision: &store.Revision{FetchedAt: at, ContentHash: text, Text: text}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PruneRevisions(ctx, w.ID, store.Keep{Count: 1, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	c := cli{t: t, db: db}
	code, out, errOut := c.run("diff", "a", "--color", "never")
	if code != exitOK || !strings.Contains(errOut, "revision 1 → 4") || !strings.Contains(out, "-first") || !strings.Contains(out, "+fourth") {
		t.Errorf("diff after pruning: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
