// Package httpclient builds the one hardened *http.Client that redline uses
// for every outbound request: page fetches (through Colly, in package
// monitor) and, later, webhook deliveries.
//
// The client New returns guarantees:
//
//   - bounded waits: a dial timeout, a TLS handshake timeout, a response
//     header timeout, and a total per-request timeout covering redirects and
//     the body read (http.Client.Timeout, which net/http enforces through a
//     context deadline on the request);
//   - a redirect cap: following more than Options.MaxRedirects redirects
//     fails with a *RedirectError ("stopped after 10 redirects");
//   - a body cap applied after decompression: reading more than
//     Options.MaxBodySize decoded bytes fails with a *BodyTooLargeError
//     ("body exceeds 10 MiB limit"). The body is never silently truncated,
//     and a small gzip that expands beyond the cap (a gzip bomb) fails the
//     same way;
//   - content decoding done here rather than by net/http: the transport asks
//     for gzip and deflate, decodes them itself, and hands back a response
//     with Content-Encoding and Content-Length removed and Uncompressed set;
//   - a User-Agent of the form "redline/<version> (+https://github.com/redlinehq/redline)"
//     on every request that does not set its own;
//   - optionally (Options.BlockPrivateNetworks, off by default) no
//     connection to loopback, private, link-local, multicast, unspecified or
//     otherwise reserved addresses. The check runs on the resolved IP address
//     of every connection attempt inside the dialer, so a host name that
//     resolves (or is re-bound) to an internal address is refused too, as is
//     a redirect to one. When blocking is on, proxies from the environment
//     are not used, since the check could not see the real destination.
//
// The package does not retry, does not cache, does not keep cookies and does
// not interpret status codes: a 404 is a response like any other. Those are
// the callers' decisions.
package httpclient
