package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"

	"github.com/redlinehq/redline/internal/httpclient"
)

// Headers of a webhook request (see the package documentation).
const (
	headerEvent     = "Redline-Event"
	headerDelivery  = "Redline-Delivery"
	headerTimestamp = "Redline-Timestamp"
	headerSignature = "Redline-Signature"
)

// SignatureTolerance is how far the time in a Redline-Signature may be from
// the receiver's clock, either way, for VerifySignature to accept it when
// given no tolerance of its own: old enough to absorb clock skew and slow
// networks, short enough that a captured request cannot be replayed for
// long.
const SignatureTolerance = 5 * time.Minute

// maxReceiptBody is the most bytes of an answer a Receipt keeps, and
// maxReadBody the most a notifier reads of one.
const (
	maxReceiptBody = 1 << 10
	maxReadBody    = 4 << 10
)

// reservedHeaders are the request headers Spec.Headers may not set: ours,
// and those net/http or the transport control.
var reservedHeaders = []string{
	"Content-Type", "User-Agent", headerEvent, headerDelivery, headerTimestamp, headerSignature,
	"Host", "Content-Length", "Transfer-Encoding", "Connection", "Accept-Encoding", "Te", "Trailer", "Upgrade",
}

// webhook POSTs each message as JSON to a URL.
type webhook struct {
	url      string
	endpoint string // scheme://host of url, for errors (the path may hold a token)
	secret   []byte
	headers  http.Header
	timeout  time.Duration
	client   *http.Client
	now      func() time.Time
}

var _ Notifier = (*webhook)(nil)

// newWebhook returns the webhook notifier spec declares: URL (an absolute
// http or https URL) is required; Secret and Headers are optional.
func newWebhook(spec Spec) (Notifier, error) {
	if err := refuseUnused(spec, "webhook", "command", "from", "to", "template", "html_template"); err != nil {
		return nil, err
	}
	if spec.URL == "" {
		return nil, errors.New("webhook: url is required")
	}
	u, err := url.Parse(spec.URL)
	switch {
	case err != nil:
		return nil, fmt.Errorf("webhook: url: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("webhook: url %q: want an absolute http:// or https:// URL", spec.URL)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("webhook: url %q has no host", spec.URL)
	case u.Fragment != "":
		return nil, fmt.Errorf("webhook: url %q: a webhook URL has no #fragment", spec.URL)
	}
	if spec.Timeout < 0 {
		return nil, fmt.Errorf("webhook: timeout %s is negative", spec.Timeout)
	}
	h := make(http.Header, len(spec.Headers))
	names := make([]string, 0, len(spec.Headers))
	for name := range spec.Headers {
		names = append(names, name)
	}
	slices.Sort(names) // the first bad one, always the same
	for _, name := range names {
		value := spec.Headers[name]
		if !httpguts.ValidHeaderFieldName(name) {
			return nil, fmt.Errorf("webhook: header %q: not a valid header name", name)
		}
		canon := http.CanonicalHeaderKey(name)
		if slices.Contains(reservedHeaders, canon) || strings.HasPrefix(canon, "Redline-") {
			return nil, fmt.Errorf("webhook: header %q: redline sets it itself", name)
		}
		if !httpguts.ValidHeaderFieldValue(value) {
			return nil, fmt.Errorf("webhook: header %q: the value holds a line break or a control character", name)
		}
		if len(h.Values(canon)) > 0 {
			return nil, fmt.Errorf("webhook: header %q is given twice (header names are case-insensitive)", name)
		}
		h.Set(canon, value)
	}

	timeout := spec.timeout()
	client := httpclient.New(httpclient.Options{Timeout: timeout, MaxBodySize: 64 << 10})
	// A redirect is not followed: the POST would turn into a GET, or the
	// signed payload go somewhere else. Send reports it.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &webhook{
		url:      u.String(),
		endpoint: u.Scheme + "://" + u.Host,
		secret:   []byte(spec.Secret),
		headers:  h,
		timeout:  timeout,
		client:   client,
		now:      time.Now,
	}, nil
}

// attemptTimeout implements timeoutNotifier.
func (w *webhook) attemptTimeout() time.Duration { return w.timeout }

// Send implements Notifier: it POSTs m as JSON, and succeeds when the
// receiver answers 2xx.
func (w *webhook) Send(ctx context.Context, m Message) (Receipt, error) {
	body, err := payloadJSON(m)
	if err != nil {
		return Receipt{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return Receipt{}, fmt.Errorf("POST %s: %w", w.endpoint, err)
	}
	// The configured headers first; ours after, so they always win.
	for name, values := range w.headers {
		req.Header[name] = slices.Clone(values)
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "redline")
	req.Header.Set(headerEvent, m.Event)
	req.Header.Set(headerDelivery, m.Delivery)
	req.Header.Set(headerTimestamp, ts)
	if len(w.secret) > 0 {
		req.Header.Set(headerSignature, "t="+ts+",v1="+sign(w.secret, ts, body))
	}

	start := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // it repeats the whole URL, which may hold a token
		}
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return Receipt{}, fmt.Errorf("POST %s: no answer after %s (timeout %s): %w", w.endpoint, time.Since(start).Round(time.Millisecond), w.timeout, err)
		}
		return Receipt{}, fmt.Errorf("POST %s: %w", w.endpoint, err)
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxReadBody))
	r := Receipt{Status: resp.StatusCode, Body: receiptText(raw)}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		// Accepted, whatever the rest of the answer: a body that fails
		// to arrive after a 2xx does not undo the delivery.
		return r, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc := resp.Header.Get("Location")
		if loc == "" {
			return r, fmt.Errorf("POST %s: %s without a Location (redirects are not followed)", w.endpoint, resp.Status)
		}
		return r, fmt.Errorf("POST %s: %s to %s: redirects are not followed; configure the final URL", w.endpoint, resp.Status, loc)
	}
	err = fmt.Errorf("POST %s: %s", w.endpoint, resp.Status)
	if r.Body != "" {
		err = fmt.Errorf("%w: %s", err, r.Body)
	} else if readErr != nil {
		err = fmt.Errorf("%w (reading the answer: %w)", err, readErr)
	}
	return r, err
}

// sign returns the hex HMAC-SHA256, keyed by secret, of "<ts>.<body>".
func sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a Redline-Signature header (header) against the
// raw request body and the webhook's secret, for receivers written in Go:
// the header's time must lie within tolerance of now, either way (a
// tolerance of 0 means SignatureTolerance), and one of its v1 signatures
// must be the HMAC-SHA256 of "<time>.<body>" keyed by secret. It returns
// nil when the request is authentic, else an error saying why not. Pass
// the body exactly as received, before any decoding.
func VerifySignature(secret string, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return errors.New("verify signature: no secret")
	}
	if header == "" {
		return errors.New("verify signature: no " + headerSignature + " header")
	}
	if tolerance <= 0 {
		tolerance = SignatureTolerance
	}
	var (
		ts   string
		sigs []string
	)
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("verify signature: malformed part %q", part)
		}
		switch k {
		case "t":
			if ts != "" {
				return errors.New("verify signature: two times (t=)")
			}
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
		// Other keys are other schemes, for later versions: skipped.
	}
	if ts == "" {
		return errors.New("verify signature: no time (t=)")
	}
	if len(sigs) == 0 {
		return errors.New("verify signature: no v1 signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("verify signature: time %q is not a number of seconds", ts)
	}
	at := time.Unix(sec, 0)
	if skew := now.Sub(at); skew > tolerance || skew < -tolerance {
		return fmt.Errorf("verify signature: signed at %s, %s away from now (tolerance %s)", at.UTC().Format(time.RFC3339), skew.Abs().Round(time.Second), tolerance)
	}
	want, _ := hex.DecodeString(sign([]byte(secret), ts, body))
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("verify signature: no signature matches the body and the secret")
}

// payloadJSON returns m as compact JSON, as a webhook posts it and a
// command reads it (HTML characters are not escaped).
func payloadJSON(m Message) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode message %s: %w", m.Delivery, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// receiptText returns the start of a receiver's answer as Receipt.Body
// keeps it: valid UTF-8 (invalid bytes become U+FFFD), at most
// maxReceiptBody bytes cut at a character boundary, trimmed of white
// space.
func receiptText(b []byte) string {
	if len(b) > maxReceiptBody+utf8.UTFMax {
		b = b[:maxReceiptBody+utf8.UTFMax]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) > maxReceiptBody {
		cut := maxReceiptBody
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.TrimSpace(s)
}

// refuseUnused returns an error naming the fields of spec that a notifier
// of type typ does not use but are set, among those named (in the config's
// spelling: url, secret, headers, command, from, to, template,
// html_template).
func refuseUnused(spec Spec, typ string, fields ...string) error {
	var set []string
	for _, f := range fields {
		var used bool
		switch f {
		case "url":
			used = spec.URL != ""
		case "secret":
			used = spec.Secret != ""
		case "headers":
			used = len(spec.Headers) > 0
		case "command":
			used = len(spec.Command) > 0
		case "from":
			used = spec.From != ""
		case "to":
			used = len(spec.To) > 0
		case "template":
			used = spec.Template != ""
		case "html_template":
			used = spec.HTMLTemplate != ""
		}
		if used {
			set = append(set, f)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return fmt.Errorf("%s: a %s notifier does not use %s; remove it", typ, typ, strings.Join(set, ", "))
}

// timeoutNotifier is a Notifier that knows how long one of its attempts
// may take, for NewDispatcher to fit the lease to it.
type timeoutNotifier interface {
	attemptTimeout() time.Duration
}
