package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"
)

// recorder is a real HTTP server that records when each request started
// and how many were in flight at once.
type recorder struct {
	mu       sync.Mutex
	starts   []time.Time
	inFlight int
	peak     int
	hold     time.Duration
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	r.starts = append(r.starts, time.Now())
	r.inFlight++
	r.peak = max(r.peak, r.inFlight)
	r.mu.Unlock()
	time.Sleep(r.hold)
	r.mu.Lock()
	r.inFlight--
	r.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	_, _ = w.Write([]byte("<p>ok</p>"))
}

// fetchAll runs n fetches of url at once through the limiter.
func fetchAll(t *testing.T, l *HostLimiter, url string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			release, err := l.Acquire(context.Background(), url)
			if err != nil {
				t.Error(err)
				return
			}
			defer release()
			resp, err := http.Get(url)
			if err != nil {
				t.Error(err)
				return
			}
			_ = resp.Body.Close()
		})
	}
	wg.Wait()
}

// TestHostLimiterObserved: the server sees at most Concurrency requests at
// once and starts at least Delay apart; a loopback host without a rule is
// not limited.
func TestHostLimiterObserved(t *testing.T) {
	rec := &recorder{hold: 30 * time.Millisecond}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	const delay = 40 * time.Millisecond
	l := NewHostLimiter([]HostRule{{Match: "127.0.0.*", HostLimit: HostLimit{Concurrency: 2, Delay: delay}}}, DefaultHostLimit)
	fetchAll(t, l, srv.URL, 6)
	if rec.peak > 2 {
		t.Errorf("peak concurrency %d, want at most 2", rec.peak)
	}
	sort.Slice(rec.starts, func(i, j int) bool { return rec.starts[i].Before(rec.starts[j]) })
	for i := 1; i < len(rec.starts); i++ {
		// The server's clock stamps a request a little after the
		// limiter let it go; allow for that jitter, not for a skipped delay.
		if gap := rec.starts[i].Sub(rec.starts[i-1]); gap < delay-10*time.Millisecond {
			t.Errorf("requests %d and %d started %v apart, want at least %v", i-1, i, gap, delay)
		}
	}

	free := &recorder{hold: 50 * time.Millisecond}
	srv2 := httptest.NewServer(free)
	defer srv2.Close()
	fetchAll(t, NewHostLimiter(nil, DefaultHostLimit), srv2.URL, 6)
	if free.peak < 4 {
		t.Errorf("loopback without a rule: peak concurrency %d, want the requests to overlap", free.peak)
	}
}

func TestHostLimiterRules(t *testing.T) {
	l := NewHostLimiter([]HostRule{{Match: "*.slow.example", HostLimit: HostLimit{Concurrency: 1, Delay: 5 * time.Second}}}, DefaultHostLimit)
	for host, want := range map[string]HostLimit{
		"news.slow.example": {Concurrency: 1, Delay: 5 * time.Second},
		"NEWS.Slow.Example": {Concurrency: 1, Delay: 5 * time.Second},
		"www.example.org":   DefaultHostLimit,
		"localhost":         {},
		"127.0.0.1":         {},
		"::1":               {},
	} {
		if got := l.Limit(host); got != want {
			t.Errorf("Limit(%q) = %+v, want %+v", host, got, want)
		}
	}
}

// TestHostLimiterHoldBack: after a Retry-After, the host's next request
// waits; cancelling the wait returns the context's error.
func TestHostLimiterHoldBack(t *testing.T) {
	l := NewHostLimiter(nil, HostLimit{Concurrency: 1})
	const url = "https://www.example.org/a"
	l.HoldBack(url, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.Acquire(ctx, url); err == nil {
		t.Fatal("Acquire during a hold-back succeeded")
	}
	// Another host is not held back.
	release, err := l.Acquire(context.Background(), "https://other.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	release()
	release() // twice is harmless
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"0":                             0,
		"-5":                            0,
		"soon":                          0,
		"Fri, 27 Nov 2026 12:05:00 GMT": 5 * time.Minute,
		"Fri, 27 Nov 2026 11:05:00 GMT": 0,
		"999999999":                     24 * time.Hour,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}
