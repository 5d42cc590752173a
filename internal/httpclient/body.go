package httpclient

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// BodyTooLargeError reports a response body longer than the cap. The length
// compared is that of the decoded body, after any gzip or deflate.
type BodyTooLargeError struct {
	Limit int64 // the cap, in bytes
}

func (e *BodyTooLargeError) Error() string {
	return "body exceeds " + formatSize(e.Limit) + " limit"
}

// formatSize writes a byte count the way limits are usually written:
// "10 MiB", "512 KiB", "1000 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// newBody replaces resp's body by its decoded, capped form and fixes the
// headers to match: the Content-Encoding is gone once we have decoded it.
// Errors (an unsupported coding, a corrupt gzip header, a declared length
// over the cap) surface on the first Read, so the caller still sees the
// status and headers.
func newBody(resp *http.Response, maxBody int64) io.ReadCloser {
	b := &body{raw: resp.Body, remaining: maxBody, limit: maxBody}

	coding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch coding {
	case "", "identity":
		b.open = func(r io.Reader) (io.Reader, error) { return r, nil }
		if resp.ContentLength > maxBody {
			// Fail before reading a byte of a body we would refuse anyway.
			b.err = &BodyTooLargeError{Limit: maxBody}
		}
	case "gzip", "x-gzip":
		b.open = func(r io.Reader) (io.Reader, error) {
			zr, err := gzip.NewReader(r)
			if errors.Is(err, io.EOF) {
				return http.NoBody, nil // empty body, no gzip header
			}
			if err != nil {
				return nil, fmt.Errorf("gzip: %w", err)
			}
			return zr, nil
		}
	case "deflate":
		b.open = openDeflate
	default:
		b.err = fmt.Errorf("unsupported content encoding %q", coding)
	}
	if coding != "" && b.err == nil {
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	return b
}

// openDeflate reads a "deflate" body: RFC 9110 means zlib-wrapped deflate,
// but some servers send raw deflate, so the zlib header is checked first.
func openDeflate(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		if errors.Is(err, io.EOF) {
			return http.NoBody, nil // empty body
		}
		return nil, fmt.Errorf("deflate: %w", err)
	}
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		return zr, nil
	}
	return flate.NewReader(br), nil
}

// body decodes lazily (so a HEAD, 204 or 304 with a compression header but
// no bytes is not an error) and fails once more than limit decoded bytes
// have been asked for.
type body struct {
	raw       io.ReadCloser
	open      func(io.Reader) (io.Reader, error)
	r         io.Reader // decoded stream, set on first Read
	remaining int64     // bytes still allowed
	limit     int64
	err       error // sticky
}

func (b *body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.r == nil {
		r, err := b.open(b.raw)
		if err != nil {
			b.err = err
			return 0, err
		}
		b.r = r
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Ask for one byte more than allowed so that a body of exactly the
	// limit ends cleanly and one byte more is an error.
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining+1]
	}
	n, err := b.r.Read(p)
	if int64(n) > b.remaining {
		n = int(b.remaining)
		b.remaining = 0
		b.err = &BodyTooLargeError{Limit: b.limit}
		return n, b.err
	}
	b.remaining -= int64(n)
	if err != nil {
		b.err = err
	}
	return n, err
}

func (b *body) Close() error {
	if c, ok := b.r.(io.Closer); ok {
		_ = c.Close() // decoders hold no resources beyond the raw body
	}
	return b.raw.Close()
}
