package httpclient

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Defaults applied by New to zero fields of Options.
const (
	DefaultDialTimeout           = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 20 * time.Second
	DefaultTimeout               = 30 * time.Second
	DefaultMaxRedirects          = 10
	DefaultMaxBodySize           = 10 << 20 // 10 MiB
	DefaultMaxIdleConnsPerHost   = 4
	DefaultIdleConnTimeout       = 90 * time.Second
)

// Options configures New. Every zero field takes the default named after it.
type Options struct {
	// Version is the redline version written into the default User-Agent;
	// "" reads as "dev".
	Version string
	// UserAgent, when set, replaces the default User-Agent
	// "redline/<Version> (+https://github.com/redlinehq/redline)".
	UserAgent string

	// DialTimeout bounds establishing the TCP connection (default 10s).
	DialTimeout time.Duration
	// TLSHandshakeTimeout bounds the TLS handshake (default 10s).
	TLSHandshakeTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for the response headers once
	// the request is written (default 20s).
	ResponseHeaderTimeout time.Duration
	// Timeout bounds the whole exchange, redirects and body read included
	// (default 30s). It is enforced as a deadline on the request's context.
	Timeout time.Duration

	// MaxRedirects is how many redirects one request may follow (default
	// 10). A negative value follows none: any redirect is then an error.
	MaxRedirects int
	// MaxBodySize caps the response body in bytes, counted after
	// decompression (default 10 MiB). Reading past it is an error.
	MaxBodySize int64

	// MaxIdleConnsPerHost is how many idle keep-alive connections are kept
	// per host (default 4).
	MaxIdleConnsPerHost int
	// MaxConnsPerHost caps the connections open to one host, 0 meaning no
	// cap (the default; politeness is the scheduler's job).
	MaxConnsPerHost int
	// IdleConnTimeout closes keep-alive connections idle that long (default
	// 90s).
	IdleConnTimeout time.Duration

	// BlockPrivateNetworks refuses connections to loopback, private,
	// link-local, multicast and reserved addresses, checked on the resolved
	// IP of each connection attempt. Off by default (a self-hosted monitor
	// legitimately watches intranet pages); turn it on when the URLs come
	// from people who must not reach the host's network. Turning it on also
	// disables proxies from the environment.
	BlockPrivateNetworks bool
}

// UserAgent returns the default User-Agent for a redline version.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "redline/" + version + " (+https://github.com/redlinehq/redline)"
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = UserAgent(o.Version)
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.TLSHandshakeTimeout <= 0 {
		o.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	if o.ResponseHeaderTimeout <= 0 {
		o.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.MaxIdleConnsPerHost <= 0 {
		o.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	}
	if o.MaxConnsPerHost < 0 {
		o.MaxConnsPerHost = 0
	}
	if o.IdleConnTimeout <= 0 {
		o.IdleConnTimeout = DefaultIdleConnTimeout
	}
	return o
}

// New returns a hardened client configured by opts (see the package
// documentation for what it guarantees). The client is safe for concurrent
// use and meant to be shared: it pools connections. It keeps no cookies.
func New(opts Options) *http.Client {
	opts = opts.withDefaults()

	dialer := &net.Dialer{
		Timeout:   opts.DialTimeout,
		KeepAlive: 30 * time.Second,
	}
	if opts.BlockPrivateNetworks {
		// ControlContext runs inside DialContext for every address the
		// host name resolved to, just before connecting, so the check sees
		// the IP actually dialled (no DNS rebinding window).
		dialer.ControlContext = refuseBlockedAddress
	}
	base := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   opts.TLSHandshakeTimeout,
		ResponseHeaderTimeout: opts.ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   opts.MaxIdleConnsPerHost,
		MaxConnsPerHost:       opts.MaxConnsPerHost,
		IdleConnTimeout:       opts.IdleConnTimeout,
		// We ask for and decode gzip/deflate ourselves (see transport), so
		// the body cap counts decoded bytes.
		DisableCompression: true,
	}
	if opts.BlockPrivateNetworks {
		base.Proxy = nil
	}

	maxRedirects := opts.MaxRedirects
	return &http.Client{
		Transport: &transport{
			base:      base,
			userAgent: opts.UserAgent,
			maxBody:   opts.MaxBodySize,
		},
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return &RedirectError{Max: maxRedirects}
			}
			return nil
		},
		Timeout: opts.Timeout,
	}
}

// RedirectError reports a request that wanted to follow more redirects than
// allowed (a redirect loop, usually).
type RedirectError struct {
	Max int // the number of redirects allowed
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("stopped after %d redirects", e.Max)
}

// transport adds the User-Agent, negotiates and decodes the content coding,
// and caps the decoded body.
type transport struct {
	base      http.RoundTripper
	userAgent string
	maxBody   int64
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must not modify the caller's request.
	req = req.Clone(req.Context())
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	// This transport owns the content coding: only what it can decode is
	// offered, and a caller's own Accept-Encoding would bypass the cap.
	req.Header.Set("Accept-Encoding", "gzip, deflate")

	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = newBody(resp, t.maxBody)
	return resp, nil
}
