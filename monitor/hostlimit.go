package monitor

import (
	"context"
	"net"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// HostLimit is how politely one host is fetched: at most Concurrency
// requests at once (0 means no limit) and at least Delay between the starts
// of two requests.
type HostLimit struct {
	Concurrency int
	Delay       time.Duration
}

// HostRule gives the hosts matching Match (a glob as path.Match reads it,
// "*.example.org"; compared with the URL's host name in lower case,
// without the port) their own HostLimit.
type HostRule struct {
	Match string
	HostLimit
}

// DefaultHostLimit is the limit of remote hosts no rule matches: two
// requests at once, one second apart.
var DefaultHostLimit = HostLimit{Concurrency: 2, Delay: time.Second}

// HostLimiter keeps the fetches of each host within its HostLimit, and
// holds a host back when it asks to slow down (see HoldBack). Hosts
// no rule matches get the default limit, except loopback hosts (localhost,
// 127.0.0.0/8, ::1), which are not limited unless a rule says so: local
// services and test servers run at full speed. It is safe for concurrent
// use.
type HostLimiter struct {
	rules []HostRule
	def   HostLimit
	now   func() time.Time

	mu       sync.Mutex
	hosts    map[string]*hostState
	acquires int // since the last sweep
}

// sweepEvery is how many acquisitions pass between two sweeps of the idle
// hosts, so that the map does not keep every host ever fetched.
const sweepEvery = 1024

type hostState struct {
	limit HostLimit
	slots chan struct{} // nil when concurrency is unlimited
	next  time.Time     // earliest start of the next request
	users int           // acquirers holding or waiting for a slot
}

// NewHostLimiter returns a limiter applying the first matching rule, else
// def, to each host.
func NewHostLimiter(rules []HostRule, def HostLimit) *HostLimiter {
	return &HostLimiter{rules: rules, def: def, now: time.Now, hosts: make(map[string]*hostState)}
}

// Limit returns the limit that applies to host.
func (l *HostLimiter) Limit(host string) HostLimit {
	host = strings.ToLower(host)
	for _, r := range l.rules {
		if ok, _ := path.Match(strings.ToLower(r.Match), host); ok {
			return r.HostLimit
		}
	}
	if isLoopback(host) {
		return HostLimit{}
	}
	return l.def
}

// Acquire waits until a request to rawURL's host may start and returns
// the function that ends it. It fails only when ctx ends first.
func (l *HostLimiter) Acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := hostOf(rawURL)
	l.mu.Lock()
	if l.acquires++; l.acquires >= sweepEvery {
		l.sweep()
	}
	st := l.state(host)
	st.users++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		if st.users--; st.users == 0 && !st.next.After(l.now()) {
			delete(l.hosts, host) // idle: forget it
		}
		l.mu.Unlock()
	}

	if st.slots != nil {
		select {
		case st.slots <- struct{}{}:
		case <-ctx.Done():
			done()
			return nil, context.Cause(ctx)
		}
	}
	free := func() {
		if st.slots != nil {
			<-st.slots
		}
		done()
	}
	// Reserve the next start time, then wait for it.
	l.mu.Lock()
	now := l.now()
	start := now
	if st.next.After(start) {
		start = st.next
	}
	st.next = start.Add(st.limit.Delay)
	l.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			free()
			return nil, context.Cause(ctx)
		}
	}
	var once sync.Once
	return func() { once.Do(free) }, nil
}

// HoldBack keeps requests to rawURL's host from starting for d, as a
// server's Retry-After asks.
func (l *HostLimiter) HoldBack(rawURL string, d time.Duration) {
	if d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(hostOf(rawURL))
	if until := l.now().Add(d); until.After(st.next) {
		st.next = until
	}
}

// state returns the host's state, creating it. l.mu must be held.
func (l *HostLimiter) state(host string) *hostState {
	st := l.hosts[host]
	if st == nil {
		lim := l.Limit(host)
		st = &hostState{limit: lim}
		if lim.Concurrency > 0 {
			st.slots = make(chan struct{}, lim.Concurrency)
		}
		l.hosts[host] = st
	}
	return st
}

// sweep forgets the hosts nobody uses whose delay has passed. l.mu must be
// held.
func (l *HostLimiter) sweep() {
	now := l.now()
	for h, st := range l.hosts {
		if st.users == 0 && !st.next.After(now) {
			delete(l.hosts, h)
		}
	}
	l.acquires = 0
}

// hostOf returns the lower-case host name of a URL, without the port.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
