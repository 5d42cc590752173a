package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// TestRobots: a watch that obeys robots.txt is not fetched where the file
// disallows redline (a failed check naming robots.txt), is fetched where
// it allows, and the file is read once; a watch that does not obey it is
// fetched anyway.
func TestRobots(t *testing.T) {
	var robotsHits, pageHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			fmt.Fprint(w, "User-agent: redline\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n")
			return
		}
		pageHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>A page.</p>")
	}))
	defer srv.Close()
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, f, CheckerOptions{Robots: f.NewRobots(), ObeyRobots: func(w store.Watch) bool { return !strings.Contains(w.URL, "rude") }})
	text := store.Extraction{Mode: "text"}
	private := addWatch(t, s, store.Watch{URL: srv.URL + "/private/page", Extract: text})
	public := addWatch(t, s, store.Watch{URL: srv.URL + "/public/page", Extract: text})
	rude := addWatch(t, s, store.Watch{URL: srv.URL + "/private/page?rude=1", Extract: text})

	res := mustCheck(t, c, private, store.OutcomeError)
	if !strings.Contains(res.Err.Error(), "robots.txt") {
		t.Errorf("disallowed page: error %q, want one naming robots.txt", res.Err)
	}
	mustCheck(t, c, public, store.OutcomeNew)
	mustCheck(t, c, rude, store.OutcomeNew)
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}
	if n := pageHits.Load(); n != 2 {
		t.Errorf("%d page requests, want 2 (the disallowed page never requested)", n)
	}
}

// TestRobotsStatus: a missing robots.txt allows everything; a server error
// disallows everything until the file is fetched again.
func TestRobotsStatus(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   bool
	}{{404, true}, {503, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
		}))
		f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ok, err := f.NewRobots().Allowed(context.Background(), srv.URL+"/a")
		if err != nil || ok != tc.want {
			t.Errorf("robots.txt answering %d: allowed %v, %v; want %v", tc.status, ok, err, tc.want)
		}
		srv.Close()
	}
}
