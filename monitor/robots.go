package monitor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsTTL is how long a host's robots.txt is trusted before it is
// fetched again.
const robotsTTL = 12 * time.Hour

// maxRobots caps the robots.txt read, as large crawlers do (500 KiB).
const maxRobots = 500 << 10

// Robots answers whether a URL may be fetched under its host's robots.txt
// for redline's user agent. Each host's file is fetched once per
// robotsTTL through the fetcher's hardened client and cached; a missing
// file (4xx) allows everything, a server error (5xx) disallows everything
// until the next fetch, as the robots exclusion standard (RFC 9309) says,
// and a file that cannot be fetched at all (DNS, timeout) allows the page:
// the page's own fetch will fail and say why. Safe for concurrent use.
type Robots struct {
	client *http.Client
	agent  string
	now    func() time.Time

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	ready   chan struct{} // closed once data is set
	data    *robotstxt.RobotsData
	fetched time.Time
}

// NewRobots returns a robots.txt checker that fetches with f's client and
// identifies as f's user agent.
func (f *Fetcher) NewRobots() *Robots {
	return &Robots{client: f.client, agent: f.userAgent, now: time.Now, hosts: make(map[string]*robotsEntry)}
}

// Allowed reports whether rawURL may be fetched. The error is set only when
// ctx ends while the file is being fetched.
func (r *Robots) Allowed(ctx context.Context, rawURL string) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return true, nil // the fetch itself reports a bad URL
	}
	key := u.Scheme + "://" + u.Host
	r.mu.Lock()
	e := r.hosts[key]
	if e == nil || (isClosed(e.ready) && r.now().Sub(e.fetched) > robotsTTL) {
		e = &robotsEntry{ready: make(chan struct{})}
		r.hosts[key] = e
		r.mu.Unlock()
		e.data, e.fetched = r.fetch(ctx, key), r.now()
		if ctx.Err() != nil {
			// Cut short: remember nothing about this host.
			r.mu.Lock()
			delete(r.hosts, key)
			r.mu.Unlock()
			close(e.ready)
			return false, context.Cause(ctx)
		}
		close(e.ready)
	} else {
		r.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return false, context.Cause(ctx)
		}
	}
	if e.data == nil {
		return true, nil
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return e.data.TestAgent(path, r.agentToken()), nil
}

// agentToken is the product token robots.txt groups are matched on:
// "redline" for "redline/1.2 (+https://…)".
func (r *Robots) agentToken() string {
	tok, _, _ := strings.Cut(r.agent, "/")
	tok, _, _ = strings.Cut(tok, " ")
	return tok
}

// fetch gets a host's robots.txt; nil means allow everything.
func (r *Robots) fetch(ctx context.Context, origin string) *robotstxt.RobotsData {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", r.agent)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobots))
	if err != nil {
		return nil
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		return nil
	}
	return data
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// errRobots is the error of a fetch robots.txt disallows.
func errRobots(rawURL string) error {
	return &FetchError{URL: rawURL, Err: fmt.Errorf("disallowed by the site's robots.txt (robots: true)")}
}
