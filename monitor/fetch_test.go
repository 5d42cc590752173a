package monitor

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/redlinehq/redline/internal/httpclient"
)

// newFetcher returns a Fetcher for tests, failing the test on error.
func newFetcher(t *testing.T, opts FetchOptions) *Fetcher {
	t.Helper()
	f, err := NewFetcher(opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// serve starts a test server that the test closes when done.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// fetchErr fetches url and returns the *FetchError, failing the test when
// the fetch succeeds or fails otherwise.
func fetchErr(t *testing.T, f *Fetcher, url string) *FetchError {
	t.Helper()
	res, err := f.Fetch(t.Context(), FetchRequest{URL: url})
	if err == nil {
		t.Fatalf("Fetch(%s) succeeded with status %d, %d bytes; want an error", url, res.Status, len(res.Body))
	}
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("Fetch(%s) error %T %v, want *FetchError", url, err, err)
	}
	if fe.URL != url {
		t.Errorf("FetchError.URL = %q, want %q", fe.URL, url)
	}
	if res.Body != nil {
		t.Errorf("a failed fetch returned a %d-byte body", len(res.Body))
	}
	return fe
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encode encodes s with e, for pages in legacy charsets.
func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noContentType stops net/http from sniffing and setting a Content-Type.
func noContentType(w http.ResponseWriter) { w.Header()["Content-Type"] = nil }

func TestFetchOK(t *testing.T) {
	t.Parallel()
	const page = "<!doctype html><title>Hi</title><p>Hello</p>"
	var gotUA, gotAccept string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		_, _ = io.WriteString(w, page)
	})
	f := newFetcher(t, FetchOptions{Version: "1.2.3"})
	res, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + "/page"})
	if err != nil {
		t.Fatal(err)
	}
	want := FetchResult{
		URL:          srv.URL + "/page",
		FinalURL:     srv.URL + "/page",
		Status:       200,
		ContentType:  "text/html",
		Body:         []byte(page),
		BodyHash:     hashBody([]byte(page)),
		ETag:         `"v1"`,
		LastModified: "Mon, 02 Jan 2006 15:04:05 GMT",
	}
	if diff := cmp.Diff(want, res, cmpopts.IgnoreFields(FetchResult{}, "Duration")); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if res.Duration <= 0 {
		t.Errorf("Duration = %v", res.Duration)
	}
	if want := "redline/1.2.3 (+https://github.com/redlinehq/redline)"; gotUA != want {
		t.Errorf("User-Agent = %q, want %q", gotUA, want)
	}
	if !strings.HasPrefix(gotAccept, "text/html") {
		t.Errorf("Accept = %q", gotAccept)
	}
}

func TestFetchCustomUserAgent(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("User-Agent")
		_, _ = io.WriteString(w, "ok")
	})
	f := newFetcher(t, FetchOptions{UserAgent: "MyBot/2.0 (+https://example.org/bot)"})
	if _, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if ua := <-got; ua != "MyBot/2.0 (+https://example.org/bot)" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 410, 500, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, "<p>error page that must not become content</p>")
			})
			fe := fetchErr(t, newFetcher(t, FetchOptions{}), srv.URL+"/x")
			if fe.Status != status {
				t.Errorf("Status = %d, want %d", fe.Status, status)
			}
			want := fmt.Sprintf("fetch %s/x: HTTP %d %s", srv.URL, status, http.StatusText(status))
			if fe.Error() != want {
				t.Errorf("error = %q, want %q", fe.Error(), want)
			}
		})
	}
}

func TestFetchNotText(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	tests := []struct {
		name        string
		contentType string // "" sends none
		body        []byte
		wantErr     string // "" for success
	}{
		{"png", "image/png", png, "not a text document (content type image/png)"},
		{"pdf", "application/pdf", []byte("%PDF-1.7"), "not a text document (content type application/pdf)"},
		{"png without type", "", png, "not a text document (sniffed content type image/png)"},
		{"png as octet-stream", "application/octet-stream", png, "not a text document (sniffed content type image/png)"},
		{"text without type", "", []byte("plain words"), ""},
		{"html without type", "", []byte("<!DOCTYPE html><p>x</p>"), ""},
		{"json", "application/json", []byte(`{"a":1}`), ""},
		{"ld+json", "application/ld+json", []byte(`{"a":1}`), ""},
		{"atom", "application/atom+xml", []byte(`<feed/>`), ""},
		{"xhtml", "application/xhtml+xml", []byte(`<html/>`), ""},
		{"text/plain", "text/plain", []byte("x"), ""},
		{"broken parameters", "text/html; charset", []byte("<p>x</p>"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType == "" {
					noContentType(w)
				} else {
					w.Header().Set("Content-Type", tt.contentType)
				}
				_, _ = w.Write(tt.body)
			})
			f := newFetcher(t, FetchOptions{})
			if tt.wantErr == "" {
				res, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(res.Body, tt.body) {
					t.Errorf("body %q, want %q", res.Body, tt.body)
				}
				return
			}
			fe := fetchErr(t, f, srv.URL)
			if want := "fetch " + srv.URL + ": " + tt.wantErr; fe.Error() != want {
				t.Errorf("error = %q, want %q", fe.Error(), want)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "the new page")
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f := newFetcher(t, FetchOptions{})

	t.Run("301 to a good page", func(t *testing.T) {
		t.Parallel()
		res, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + "/old"})
		if err != nil {
			t.Fatal(err)
		}
		if res.URL != srv.URL+"/old" || res.FinalURL != srv.URL+"/new" {
			t.Errorf("URL %q FinalURL %q", res.URL, res.FinalURL)
		}
		if string(res.Body) != "the new page" || res.Status != 200 {
			t.Errorf("got %d %q", res.Status, res.Body)
		}
	})
	t.Run("loop", func(t *testing.T) {
		t.Parallel()
		fe := fetchErr(t, f, srv.URL+"/loop")
		if want := "fetch " + srv.URL + "/loop: stopped after 10 redirects"; fe.Error() != want {
			t.Errorf("error = %q, want %q", fe.Error(), want)
		}
		var re *httpclient.RedirectError
		if !errors.As(fe, &re) {
			t.Errorf("error does not unwrap to *httpclient.RedirectError")
		}
	})
	t.Run("custom cap", func(t *testing.T) {
		t.Parallel()
		fe := fetchErr(t, newFetcher(t, FetchOptions{MaxRedirects: 2}), srv.URL+"/loop")
		if !strings.HasSuffix(fe.Error(), ": stopped after 2 redirects") {
			t.Errorf("error = %q", fe.Error())
		}
	})
}

func TestFetchOversizeBody(t *testing.T) {
	// Not parallel: it measures allocations.
	tests := []struct {
		name          string
		contentLength bool // declare the length, or stream it chunked
		gzip          bool
	}{
		{"chunked", false, false},
		{"content-length", true, false},
		{"gzip", false, true},
	}
	const size = 11 << 20
	page := bytes.Repeat([]byte("<p>0123456789</p>\n"), size/18+1)[:size]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := page
			if tt.gzip {
				body = gzipped(t, page)
			}
			srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				if tt.gzip {
					w.Header().Set("Content-Encoding", "gzip")
				}
				rest := body
				if tt.contentLength {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				} else {
					_, _ = w.Write(body[:1])
					w.(http.Flusher).Flush() // forces chunked encoding
					rest = body[1:]
				}
				_, _ = w.Write(rest)
			})
			fe := fetchErr(t, newFetcher(t, FetchOptions{}), srv.URL)
			if want := "fetch " + srv.URL + ": body exceeds 10 MiB limit"; fe.Error() != want {
				t.Errorf("error = %q, want %q", fe.Error(), want)
			}
			var tooLarge *httpclient.BodyTooLargeError
			if !errors.As(fe, &tooLarge) {
				t.Error("error does not unwrap to *httpclient.BodyTooLargeError")
			}
			if fe.Status != 200 {
				t.Errorf("Status = %d", fe.Status)
			}
		})
	}

	// With a 1 MiB cap, a 64 MiB body must cost a few MiB, not 64.
	srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 1024 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	f := newFetcher(t, FetchOptions{MaxBody: 1 << 20})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fe := fetchErr(t, f, srv.URL)
	runtime.ReadMemStats(&after)
	if !strings.HasSuffix(fe.Error(), ": body exceeds 1 MiB limit") {
		t.Errorf("error = %q", fe.Error())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("fetching a 64 MiB body with a 1 MiB cap allocated %d MiB", alloc>>20)
	}
}

func TestFetchGzipBomb(t *testing.T) {
	t.Parallel()
	// 64 gzip members of 1 MiB of zeros: about 64 KiB on the wire, 64 MiB
	// decoded. Served under .xml.gz too, where Colly would gunzip by itself.
	bomb := bytes.Repeat(gzipped(t, make([]byte, 1<<20)), 64)
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	for _, path := range []string{"/page", "/sitemap.xml.gz"} {
		srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		})
		fe := fetchErr(t, newFetcher(t, FetchOptions{}), srv.URL+path)
		if !strings.HasSuffix(fe.Error(), ": body exceeds 10 MiB limit") {
			t.Errorf("%s: error = %q", path, fe.Error())
		}
	}
}

func TestFetchGzipFileAsText(t *testing.T) {
	t.Parallel()
	// A gzip file without Content-Encoding at a .xml.gz path: Colly would
	// gunzip it by itself, with no limit on the decompressed size.
	bomb := bytes.Repeat(gzipped(t, make([]byte, 1<<20)), 64)
	srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(bomb)
	})
	fe := fetchErr(t, newFetcher(t, FetchOptions{}), srv.URL+"/sitemap.xml.gz")
	want := "not a text document (content type text/xml, but the content sniffs as application/x-gzip)"
	if !strings.HasSuffix(fe.Error(), want) {
		t.Errorf("error = %q, want %q", fe.Error(), want)
	}
}

func TestFetchNoContent(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	res, err := newFetcher(t, FetchOptions{}).Fetch(t.Context(), FetchRequest{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusNoContent || res.Body == nil || len(res.Body) != 0 {
		t.Errorf("got status %d, body %q (nil: %v)", res.Status, res.Body, res.Body == nil)
	}
}

func TestFetchGzipHash(t *testing.T) {
	t.Parallel()
	page := []byte("<p>caf\xe9</p>") // latin-1, gzipped
	srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipped(t, page))
	})
	res, err := newFetcher(t, FetchOptions{}).Fetch(t.Context(), FetchRequest{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Body) != "<p>café</p>" {
		t.Errorf("body %q", res.Body)
	}
	if res.BodyHash != hashBody(page) {
		t.Errorf("BodyHash is not the hash of the decompressed raw bytes")
	}
}

func TestFetchEndlessBody(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("forever "), 4096)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	start := time.Now()
	fe := fetchErr(t, newFetcher(t, FetchOptions{Timeout: time.Minute}), srv.URL)
	if !strings.HasSuffix(fe.Error(), ": body exceeds 10 MiB limit") {
		t.Errorf("error = %q", fe.Error())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v to give up on an endless body", d)
	}
}

func TestFetchSlowDrip(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	start := time.Now()
	fe := fetchErr(t, newFetcher(t, FetchOptions{Timeout: time.Second}), srv.URL)
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("took %v with a 1s timeout", d)
	}
	if want := "fetch " + srv.URL + ": timeout after 1s"; fe.Error() != want {
		t.Errorf("error = %q, want %q", fe.Error(), want)
	}
	if !errors.Is(fe, context.DeadlineExceeded) {
		t.Error("a timeout does not match context.DeadlineExceeded")
	}
}

func TestFetchSlowHeaders(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	fe := fetchErr(t, newFetcher(t, FetchOptions{Timeout: 300 * time.Millisecond}), srv.URL)
	if want := "fetch " + srv.URL + ": timeout after 300ms"; fe.Error() != want {
		t.Errorf("error = %q, want %q", fe.Error(), want)
	}
}

func TestFetchContextCancel(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	f := newFetcher(t, FetchOptions{})

	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := f.Fetch(ctx, FetchRequest{URL: srv.URL})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to notice the cancellation", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if want := "fetch " + srv.URL + ": context canceled"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}

	// Already cancelled: no request at all.
	_, err = f.Fetch(ctx, FetchRequest{URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestFetchDNSFailure(t *testing.T) {
	t.Parallel()
	// .invalid is reserved (RFC 2606): it never resolves.
	const url = "http://redline-test.invalid/page"
	fe := fetchErr(t, newFetcher(t, FetchOptions{Timeout: 10 * time.Second}), url)
	if !strings.HasPrefix(fe.Error(), "fetch "+url+": dns lookup failed: ") {
		t.Errorf("error = %q", fe.Error())
	}
	if fe.Status != 0 {
		t.Errorf("Status = %d", fe.Status)
	}
}

func TestFetchTLSFailure(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	fe := fetchErr(t, newFetcher(t, FetchOptions{}), srv.URL)
	if !strings.HasPrefix(fe.Error(), "fetch "+srv.URL+": tls: ") {
		t.Errorf("error = %q", fe.Error())
	}
}

func TestFetchConnectionRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	fe := fetchErr(t, newFetcher(t, FetchOptions{}), url)
	if !strings.Contains(fe.Error(), "connection refused") || strings.Contains(fe.Error(), `Get "`) {
		t.Errorf("error = %q", fe.Error())
	}
}

func TestFetchBlockPrivateNetworks(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "secret") })
	fe := fetchErr(t, newFetcher(t, FetchOptions{BlockPrivateNetworks: true}), srv.URL)
	var blocked *httpclient.BlockedAddressError
	if !errors.As(fe, &blocked) {
		t.Errorf("error = %v, want a blocked address", fe)
	}
}

func TestFetchInvalidURL(t *testing.T) {
	t.Parallel()
	f := newFetcher(t, FetchOptions{})
	for _, u := range []string{"", "example.org/page", "ftp://example.org/", "http://", "http://exa mple.org/"} {
		_, err := f.Fetch(t.Context(), FetchRequest{URL: u})
		var fe *FetchError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "invalid URL") {
			t.Errorf("Fetch(%q) err = %v, want invalid URL", u, err)
		}
	}
}

func TestFetchConditional(t *testing.T) {
	t.Parallel()
	const etag = `"abc123"`
	const lastMod = "Wed, 21 Oct 2015 07:28:00 GMT"
	mux := http.NewServeMux()
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = io.WriteString(w, "etag page")
	})
	mux.HandleFunc("/lastmod", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-Modified-Since") == lastMod {
			// A 304 without validators: the request's are kept.
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", lastMod)
		_, _ = io.WriteString(w, "lastmod page")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f := newFetcher(t, FetchOptions{})

	for _, tc := range []struct{ path, body string }{{"/etag", "etag page"}, {"/lastmod", "lastmod page"}} {
		first, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + tc.path})
		if err != nil {
			t.Fatal(err)
		}
		if first.NotModified || string(first.Body) != tc.body {
			t.Fatalf("%s first fetch: NotModified %v, body %q", tc.path, first.NotModified, first.Body)
		}
		second, err := f.Fetch(t.Context(), FetchRequest{
			URL: srv.URL + tc.path, ETag: first.ETag, LastModified: first.LastModified,
		})
		if err != nil {
			t.Fatal(err)
		}
		want := FetchResult{
			URL: srv.URL + tc.path, FinalURL: srv.URL + tc.path, Status: 304, NotModified: true,
			ETag: first.ETag, LastModified: first.LastModified,
		}
		if diff := cmp.Diff(want, second, cmpopts.IgnoreFields(FetchResult{}, "Duration")); diff != "" {
			t.Errorf("%s second fetch (-want +got):\n%s", tc.path, diff)
		}
	}
}

func TestFetchCharsets(t *testing.T) {
	t.Parallel()
	const frenchHTML = "<html><head>%s<title>t</title></head><body><p>café 10 €</p></body></html>"
	win1252 := func(meta string) []byte { return encode(t, charmap.Windows1252, fmt.Sprintf(frenchHTML, meta)) }
	shiftJIS := encode(t, japanese.ShiftJIS, `<html><head><meta charset="shift_jis"></head><body><p>日本語のページ</p></body></html>`)
	koi8r := encode(t, charmap.KOI8R, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><body><p>Привет, мир</p></body></html>`)
	asciiHead := append(bytes.Repeat([]byte("<!-- padding -->"), 100), "<p>déjà vu</p>"...)

	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        string // substring of the decoded body; "" to only check validity
	}{
		{"windows-1252 labelled iso-8859-1", "text/html; charset=iso-8859-1", win1252(""), "café 10 €"},
		{"windows-1252 labelled windows-1252", "text/html; charset=windows-1252", win1252(""), "café 10 €"},
		{"meta charset, no header charset", "text/html", win1252(`<meta charset="windows-1252">`), "café 10 €"},
		{"http-equiv, no content type", "", win1252(`<meta http-equiv="content-type" content="text/html; charset=ISO-8859-1">`), "café 10 €"},
		{"header wins over meta", "text/html; charset=windows-1252", win1252(`<meta charset="utf-8">`), "café 10 €"},
		{"no declaration, latin-1 bytes", "text/html", win1252(""), "café 10 €"},
		{"header lies: utf-8 but latin-1 bytes", "text/html; charset=utf-8", win1252(""), "caf\uFFFD 10 \uFFFD"},
		{"unknown charset label", "text/html; charset=x-nonsense", []byte("<p>café</p>"), "café"},
		{"shift_jis meta", "text/html", shiftJIS, "日本語のページ"},
		{"koi8-r http-equiv", "text/html", koi8r, "Привет, мир"},
		{"utf-8 after 1024 ascii bytes", "text/html", asciiHead, "déjà vu"},
		{"utf-8 bom", "text/html; charset=iso-8859-1", []byte("\xef\xbb\xbf<p>café</p>"), "<p>café</p>"},
		{"utf-16le bom", "text/html", append([]byte{0xff, 0xfe}, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "<p>café</p>")...), "<p>café</p>"},
		{"xml declaration", "application/xml", encode(t, charmap.ISO8859_15, `<?xml version="1.0" encoding="ISO-8859-15"?><a>€uro</a>`), "<a>€uro</a>"},
		{"garbage", "text/plain", []byte("ok \xff\xfe\xfd \xc3\x28 \xe2\x82 end"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType == "" {
					noContentType(w)
				} else {
					w.Header().Set("Content-Type", tt.contentType)
				}
				_, _ = w.Write(tt.body)
			})
			res, err := newFetcher(t, FetchOptions{}).Fetch(t.Context(), FetchRequest{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(res.Body) {
				t.Errorf("body is not valid UTF-8: %q", res.Body)
			}
			if tt.want != "" && !bytes.Contains(res.Body, []byte(tt.want)) {
				t.Errorf("body %q does not contain %q", res.Body, tt.want)
			}
			if bytes.HasPrefix(res.Body, []byte("\uFEFF")) {
				t.Error("byte-order mark kept")
			}
			if res.BodyHash != hashBody(tt.body) {
				t.Error("BodyHash is not the hash of the raw bytes")
			}
		})
	}
}

func TestFetchConcurrent(t *testing.T) {
	t.Parallel()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("ETag", `"`+r.URL.Path+`"`)
		_, _ = io.WriteString(w, "page "+r.URL.Path)
	})
	f := newFetcher(t, FetchOptions{})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			path := fmt.Sprintf("/p%d", i)
			res, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + path})
			switch {
			case err != nil:
				errs <- err
			case string(res.Body) != "page "+path || res.ETag != `"`+path+`"`:
				errs <- fmt.Errorf("%s: got body %q, ETag %q", path, res.Body, res.ETag)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestNewFetcherRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range []FetchOptions{
		{Timeout: -time.Second},
		{MaxBody: -1},
		{UserAgent: "bot\r\nX-Injected: 1"},
	} {
		if _, err := NewFetcher(opts); err == nil {
			t.Errorf("NewFetcher(%+v) accepted bad options", opts)
		}
	}
}

func TestFetcherIgnoresCollyEnvironment(t *testing.T) {
	// Not parallel: it sets environment variables.
	dir := t.TempDir()
	t.Setenv("COLLY_CACHE_DIR", dir)
	t.Setenv("COLLY_MAX_BODY_SIZE", "5")
	t.Setenv("COLLY_USER_AGENT", "colly-env")
	t.Setenv("COLLY_IGNORE_ROBOTSTXT", "no")
	var n int
	var ua string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		ua = r.Header.Get("User-Agent")
		fmt.Fprintf(w, "response number %d", n)
	})
	f := newFetcher(t, FetchOptions{Version: "9"})
	for want := 1; want <= 2; want++ {
		res, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(res.Body); got != fmt.Sprintf("response number %d", want) {
			t.Errorf("body %q: the environment changed the fetcher", got)
		}
	}
	if !strings.HasPrefix(ua, "redline/9 ") {
		t.Errorf("User-Agent %q", ua)
	}
}
