package httpclient

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// reply is what get keeps of a response, whose body it has closed.
type reply struct {
	StatusCode   int
	Header       http.Header
	FinalURL     *url.URL
	Uncompressed bool
}

// get fetches url with c and returns the response and its body, read to
// the end.
func get(t *testing.T, c *http.Client, url string) (reply, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, resp.Request.URL, resp.Uncompressed}, b, err
}

func compress(t *testing.T, coding string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "zlib":
		w = zlib.NewWriter(&buf)
	case "flate":
		fw, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	got := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("User-Agent")
	}))
	defer srv.Close()

	if _, _, err := get(t, New(Options{Version: "1.2.3"}), srv.URL); err != nil {
		t.Fatal(err)
	}
	if ua, want := <-got, "redline/1.2.3 (+https://github.com/redlinehq/redline)"; ua != want {
		t.Errorf("User-Agent = %q, want %q", ua, want)
	}

	// A request that sets its own User-Agent keeps it.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "custom/1")
	resp, err := New(Options{}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if ua := <-got; ua != "custom/1" {
		t.Errorf("User-Agent = %q, want the request's own", ua)
	}

	if ua, want := UserAgent(""), "redline/dev (+https://github.com/redlinehq/redline)"; ua != want {
		t.Errorf("UserAgent(\"\") = %q, want %q", ua, want)
	}
}

func TestDecompression(t *testing.T) {
	t.Parallel()
	page := []byte(strings.Repeat("<p>hello, world</p>\n", 500))
	tests := []struct {
		name     string
		encoding string // Content-Encoding sent
		body     []byte
	}{
		{"identity", "", page},
		{"gzip", "gzip", compress(t, "gzip", page)},
		{"x-gzip", "x-gzip", compress(t, "gzip", page)},
		{"deflate zlib", "deflate", compress(t, "zlib", page)},
		{"deflate raw", "deflate", compress(t, "flate", page)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ae := r.Header.Get("Accept-Encoding"); ae != "gzip, deflate" {
					t.Errorf("Accept-Encoding = %q", ae)
				}
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				_, _ = w.Write(tt.body)
			}))
			defer srv.Close()

			resp, got, err := get(t, New(Options{}), srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, page) {
				t.Errorf("body: got %d bytes, want the %d-byte page", len(got), len(page))
			}
			if ce := resp.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("Content-Encoding %q left on a decoded response", ce)
			}
			if tt.encoding != "" && !resp.Uncompressed {
				t.Error("Uncompressed not set on a decoded response")
			}
		})
	}
}

func TestEmptyCompressedBodies(t *testing.T) {
	t.Parallel()
	// 304s and HEADs carry compression headers but no body.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", r.URL.Query().Get("ce"))
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	for _, ce := range []string{"gzip", "deflate"} {
		resp, b, err := get(t, New(Options{}), srv.URL+"?ce="+ce)
		if err != nil {
			t.Errorf("%s: %v", ce, err)
			continue
		}
		if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
			t.Errorf("%s: got %d with %d bytes", ce, resp.StatusCode, len(b))
		}
	}
}

func TestUnsupportedEncoding(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		_, _ = w.Write([]byte("\x0b\x02\x80hello\x03"))
	}))
	defer srv.Close()
	resp, _, err := get(t, New(Options{}), srv.URL)
	if err == nil || !strings.Contains(err.Error(), `unsupported content encoding "br"`) {
		t.Fatalf("err = %v, want unsupported content encoding", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d: the headers should still be readable", resp.StatusCode)
	}
}

func TestBodyCap(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	tests := []struct {
		name    string
		size    int
		chunked bool   // no Content-Length: the cap must work while streaming
		coding  string // "gzip" to compress the body
		wantErr bool
	}{
		{name: "exactly the limit", size: limit},
		{name: "exactly the limit, chunked", size: limit, chunked: true},
		{name: "one byte over", size: limit + 1, wantErr: true},
		{name: "one byte over, chunked", size: limit + 1, chunked: true, wantErr: true},
		{name: "gzip under", size: limit - 10, coding: "gzip"},
		{name: "gzip over after decompression", size: limit + 1, coding: "gzip", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			payload := bytes.Repeat([]byte("a"), tt.size)
			if tt.coding == "gzip" {
				payload = compress(t, "gzip", payload)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.coding != "" {
					w.Header().Set("Content-Encoding", tt.coding)
				}
				if tt.chunked {
					// Two writes with a flush between defeat Content-Length.
					_, _ = w.Write(payload[:1])
					w.(http.Flusher).Flush()
					_, _ = w.Write(payload[1:])
					return
				}
				_, _ = w.Write(payload)
			}))
			defer srv.Close()

			_, b, err := get(t, New(Options{MaxBodySize: limit}), srv.URL)
			if !tt.wantErr {
				if err != nil || len(b) != tt.size {
					t.Fatalf("got %d bytes, err %v; want %d bytes", len(b), err, tt.size)
				}
				return
			}
			var tooLarge *BodyTooLargeError
			if !errors.As(err, &tooLarge) {
				t.Fatalf("err = %v, want *BodyTooLargeError", err)
			}
			if got, want := err.Error(), "body exceeds 64 KiB limit"; got != want {
				t.Errorf("err = %q, want %q", got, want)
			}
			if len(b) > limit {
				t.Errorf("read %d bytes, more than the %d-byte cap", len(b), limit)
			}
		})
	}
}

func TestGzipBomb(t *testing.T) {
	t.Parallel()
	// 100 gzip members of 1 MiB of zeros each: one stream of about 100 KiB
	// that decodes to 100 MiB (compressing 100 MiB directly is slow under
	// -race).
	bomb := bytes.Repeat(compress(t, "gzip", make([]byte, 1<<20)), 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	}))
	defer srv.Close()

	_, _, err := get(t, New(Options{}), srv.URL)
	if err == nil || err.Error() != "body exceeds 10 MiB limit" {
		t.Fatalf("err = %v, want body exceeds 10 MiB limit", err)
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	// /hop/N redirects N more times, then serves "done".
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		if n == "0" {
			_, _ = io.WriteString(w, "done")
			return
		}
		http.Redirect(w, r, "/hop/"+string(rune(n[0]-1)), http.StatusMovedPermanently)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close) // the subtests outlive this function

	tests := []struct {
		name    string
		max     int
		path    string
		wantErr string
	}{
		{"loop", 0, "/loop", "stopped after 10 redirects"},
		{"loop, custom cap", 3, "/loop", "stopped after 3 redirects"},
		{"chain within the cap", 3, "/hop/3", ""},
		{"chain over the cap", 2, "/hop/3", "stopped after 2 redirects"},
		{"redirects disabled", -1, "/hop/1", "stopped after 0 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, b, err := get(t, New(Options{MaxRedirects: tt.max}), srv.URL+tt.path)
			if tt.wantErr == "" {
				if err != nil || string(b) != "done" {
					t.Fatalf("got %q, %v", b, err)
				}
				if resp.FinalURL.Path != "/hop/0" {
					t.Errorf("final URL %s", resp.FinalURL)
				}
				return
			}
			var re *RedirectError
			if !errors.As(err, &re) || re.Error() != tt.wantErr {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestTotalTimeout(t *testing.T) {
	t.Parallel()
	// The headers come at once; the body drips slower than the timeout.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()

	start := time.Now()
	_, _, err := get(t, New(Options{Timeout: 300 * time.Millisecond}), srv.URL)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with a 300ms timeout", d)
	}
}

func TestResponseHeaderTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	_, _, err := get(t, New(Options{ResponseHeaderTimeout: 100 * time.Millisecond}), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "timeout awaiting response headers") {
		t.Fatalf("err = %v, want a response header timeout", err)
	}
}

func TestTLSHandshakeTimeout(t *testing.T) {
	t.Parallel()
	// A TCP server that accepts and never speaks TLS.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	_, _, err = get(t, New(Options{TLSHandshakeTimeout: 100 * time.Millisecond}), "https://"+ln.Addr().String()+"/")
	if err == nil || !strings.Contains(err.Error(), "TLS handshake timeout") {
		t.Fatalf("err = %v, want a TLS handshake timeout", err)
	}
}

func TestTLSUnknownAuthority(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	srv.StartTLS()
	defer srv.Close()
	_, _, err := get(t, New(Options{}), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "tls: failed to verify certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
}

func TestBlockPrivateNetworks(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "internal")
	}))
	defer srv.Close()

	// Off by default: loopback is reachable.
	if _, b, err := get(t, New(Options{}), srv.URL); err != nil || string(b) != "internal" {
		t.Fatalf("default client: %q, %v", b, err)
	}

	blocking := New(Options{BlockPrivateNetworks: true})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		_, _, err := get(t, blocking, "http://"+net.JoinHostPort(host, port)+"/")
		var blocked *BlockedAddressError
		if !errors.As(err, &blocked) {
			t.Errorf("%s: err = %v, want *BlockedAddressError", host, err)
			continue
		}
		if !blocked.Addr.IsLoopback() {
			t.Errorf("%s: blocked %s", host, blocked.Addr)
		}
	}
}

func TestIsBlocked(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"127.0.0.1":         true,
		"127.8.9.10":        true,
		"::1":               true,
		"10.1.2.3":          true,
		"172.16.0.1":        true,
		"192.168.1.1":       true,
		"169.254.169.254":   true, // cloud metadata
		"100.64.0.1":        true,
		"0.0.0.0":           true,
		"::":                true,
		"224.0.0.1":         true,
		"255.255.255.255":   true,
		"fc00::1":           true,
		"fd12:3456::1":      true,
		"fe80::1":           true,
		"fe80::1%eth0":      true,
		"::ffff:127.0.0.1":  true, // IPv4-mapped loopback
		"::ffff:10.0.0.1":   true,
		"64:ff9b::10.0.0.1": true,
		"2002:c0a8:101::1":  true, // 6to4 of 192.168.1.1
		"192.0.2.1":         true,
		"93.184.215.14":     false,
		"8.8.8.8":           false,
		"1.1.1.1":           false,
		"2606:4700::1111":   false,
		"::ffff:8.8.8.8":    false,
		"172.32.0.1":        false,
	}
	for s, want := range tests {
		if got := isBlocked(netip.MustParseAddr(s)); got != want {
			t.Errorf("isBlocked(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c := New(Options{})
	if c.Timeout != 30*time.Second {
		t.Errorf("Timeout = %v", c.Timeout)
	}
	if c.Jar != nil {
		t.Error("the client keeps cookies")
	}
	tr := c.Transport.(*transport)
	if tr.maxBody != 10<<20 {
		t.Errorf("maxBody = %d", tr.maxBody)
	}
	base := tr.base.(*http.Transport)
	if base.TLSHandshakeTimeout != 10*time.Second ||
		base.ResponseHeaderTimeout != DefaultResponseHeaderTimeout ||
		base.MaxIdleConnsPerHost != DefaultMaxIdleConnsPerHost ||
		base.IdleConnTimeout != DefaultIdleConnTimeout ||
		!base.DisableCompression {
		t.Errorf("transport not configured with the defaults: %+v", base)
	}
	if base.Proxy == nil {
		t.Error("proxies from the environment are ignored by default")
	}
	if New(Options{BlockPrivateNetworks: true}).Transport.(*transport).base.(*http.Transport).Proxy != nil {
		t.Error("a proxy is used while private networks are blocked")
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{
		10 << 20: "10 MiB",
		1 << 30:  "1 GiB",
		64 << 10: "64 KiB",
		1000:     "1000 bytes",
		1:        "1 byte",
		1536:     "1536 bytes",
	} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
