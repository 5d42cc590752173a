package notify

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// schemaSamples returns a message of every event, every field set that
// the event carries.
func schemaSamples() []Message {
	at := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	w := Watch{ID: 12, Name: "council", URL: "https://example.org/news/bridge", Tags: []string{"news", "local"}}
	changed := Message{
		Version: Version, Event: EventChanged, Delivery: "12-changed-5-team", Watch: w,
		Revision: &Revision{Old: 4, New: 5, OldFetchedAt: at.Add(-time.Hour), FetchedAt: at, URL: "https://redline.example/watches/12/revisions/5"},
		Class:    "silent-edit", ClassDescription: "silent edit: the body changed and no date moved",
		Title: "Council approves the bridge", Summary: "1 paragraph changed, +1 −1 words",
		Stats:   &Stats{ParagraphsAdded: 1, ParagraphsRemoved: 2, ParagraphsChanged: 3, ParagraphsMoved: 4, WordsAdded: 5, WordsRemoved: 6},
		Added:   []string{"It costs 55 million <euros> & more."},
		Removed: []string{"It costs 40 million euros."},
		Diff:    "--- revision 4\n+++ revision 5\n@@ -1 +1 @@\n-It costs 40 million euros.\n+It costs 55 million <euros> & more.\n",
	}
	first := Message{Version: Version, Event: EventNew, Delivery: "12-new-1-team", Watch: w, Title: "Council",
		Revision: &Revision{New: 1, FetchedAt: at}}
	test := Sample("https://redline.example")
	failing := Message{Version: Version, Event: EventFailing, Delivery: "12-failing-3-team", Watch: Watch{ID: 12, URL: w.URL},
		Health: &Health{State: "failing", ConsecutiveErrors: 3, Error: "fetch: 503 Service Unavailable", At: at}}
	recovered := Message{Version: Version, Event: EventRecovered, Delivery: "12-recovered-4-team", Watch: w,
		Health: &Health{State: "ok", ConsecutiveErrors: 3, At: at}}
	digest := Message{Version: Version, Event: EventDigest, Delivery: "digest-team-5f0c2a9e41d3b768",
		Summary: "3 changes on 2 watches", Changes: []Message{first, changed, failing}}
	return []Message{changed, first, test, failing, recovered, digest}
}

// hookReceiver is a webhook endpoint: it checks each request's signature
// with VerifySignature and records the requests it accepted.
type hookReceiver struct {
	t      *testing.T
	secret string
	srv    *httptest.Server

	mu   sync.Mutex
	reqs []hookRequest
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHookReceiver(t *testing.T, secret string) *hookReceiver {
	r := &hookReceiver{t: t, secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if req.Method != http.MethodPost {
			r.t.Errorf("method %s, want POST", req.Method)
		}
		if r.secret != "" {
			if err := VerifySignature(r.secret, req.Header.Get("Redline-Signature"), body, time.Now(), 0); err != nil {
				r.t.Errorf("delivery %s: %v", req.Header.Get("Redline-Delivery"), err)
				http.Error(w, "bad signature", http.StatusUnauthorized)
				return
			}
		}
		r.mu.Lock()
		r.reqs = append(r.reqs, hookRequest{header: req.Header.Clone(), body: body})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) requests() []hookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

func mustNotifier(t *testing.T, spec Spec) Notifier {
	t.Helper()
	n, err := New(spec)
	if err != nil {
		t.Fatalf("New(%+v): %v", spec, err)
	}
	return n
}

// TestWebhookDelivers: every event arrives as compact JSON with our
// headers, a signature the receiver verifies, and the configured headers.
func TestWebhookDelivers(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, "s3cret")
	n := mustNotifier(t, Spec{Name: "hook", Type: "webhook", URL: recv.srv.URL + "/hook?team=news", Secret: "s3cret",
		Headers: map[string]string{"authorization": "Bearer abc", "X-Team": "news"}})
	msgs := schemaSamples()
	for _, m := range msgs {
		before := time.Now().Unix()
		r, err := n.Send(t.Context(), m)
		if err != nil || r.Status != http.StatusNoContent || r.Body != "" {
			t.Fatalf("Send(%s) = %+v, %v; want 204", m.Event, r, err)
		}
		reqs := recv.requests()
		got := reqs[len(reqs)-1]
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var gotMsg, wantMsg any
		if err := json.Unmarshal(got.body, &gotMsg); err != nil {
			t.Fatalf("body is not JSON: %v\n%s", err, got.body)
		}
		_ = json.Unmarshal(want, &wantMsg)
		if fmt.Sprint(gotMsg) != fmt.Sprint(wantMsg) {
			t.Errorf("%s: body\n%s\nwant the same as\n%s", m.Event, got.body, want)
		}
		if strings.ContainsAny(string(got.body), "\n") || strings.Contains(string(got.body), `\u003c`) {
			t.Errorf("%s: body is not compact, or escapes HTML:\n%s", m.Event, got.body)
		}
		h := got.header
		ts, _ := strconv.ParseInt(h.Get("Redline-Timestamp"), 10, 64)
		for name, want := range map[string]string{
			"Content-Type": "application/json", "User-Agent": "redline", "Redline-Event": m.Event,
			"Redline-Delivery": m.Delivery, "Authorization": "Bearer abc", "X-Team": "news",
		} {
			if h.Get(name) != want {
				t.Errorf("%s: header %s = %q, want %q", m.Event, name, h.Get(name), want)
			}
		}
		if ts < before || ts > time.Now().Unix() {
			t.Errorf("%s: Redline-Timestamp %q, want the time of sending", m.Event, h.Get("Redline-Timestamp"))
		}
		if !strings.HasPrefix(h.Get("Redline-Signature"), "t="+h.Get("Redline-Timestamp")+",v1=") {
			t.Errorf("%s: Redline-Signature %q", m.Event, h.Get("Redline-Signature"))
		}
	}
	if got := len(recv.requests()); got != len(msgs) {
		t.Errorf("receiver got %d requests, want %d", got, len(msgs))
	}
}

// TestWebhookUnsigned: without a secret there is no signature header.
func TestWebhookUnsigned(t *testing.T) {
	t.Parallel()
	recv := newHookReceiver(t, "")
	n := mustNotifier(t, Spec{Name: "hook", Type: "webhook", URL: recv.srv.URL})
	if _, err := n.Send(t.Context(), Sample("")); err != nil {
		t.Fatal(err)
	}
	if h := recv.requests()[0].header; h.Get("Redline-Signature") != "" || h.Get("Redline-Timestamp") == "" {
		t.Errorf("headers %v: want a timestamp and no signature", h)
	}
}

// TestVerifySignature: a signature made with another secret, over another
// body, too long ago, or malformed, is refused.
func TestVerifySignature(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"version":1,"event":"changed"}`)
	ts := strconv.FormatInt(now.Unix(), 10)
	good := "t=" + ts + ",v1=" + sign([]byte("s3cret"), ts, body)
	if err := VerifySignature("s3cret", good, body, now, 0); err != nil {
		t.Fatalf("VerifySignature(good) = %v", err)
	}
	// Several v1 values (a secret being rotated) and unknown schemes pass.
	rotated := "t=" + ts + ",v1=" + sign([]byte("old"), ts, body) + ",v0=zz,v1=" + sign([]byte("s3cret"), ts, body)
	if err := VerifySignature("s3cret", rotated, body, now, 0); err != nil {
		t.Errorf("VerifySignature(rotated) = %v", err)
	}
	old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	for _, c := range []struct {
		name, secret, header, body string
		want                       string
	}{
		{"wrong secret", "other", good, string(body), "no signature matches"},
		{"body changed", "s3cret", good, string(body) + " ", "no signature matches"},
		{"too old", "s3cret", "t=" + old + ",v1=" + sign([]byte("s3cret"), old, body), string(body), "tolerance 5m0s"},
		{"time changed", "s3cret", strings.Replace(good, "t="+ts, "t="+old, 1), string(body), "tolerance"},
		{"no header", "s3cret", "", string(body), "no Redline-Signature header"},
		{"no secret", "", good, string(body), "no secret"},
		{"no time", "s3cret", "v1=" + sign([]byte("s3cret"), ts, body), string(body), "no time"},
		{"no v1", "s3cret", "t=" + ts, string(body), "no v1"},
		{"bad time", "s3cret", "t=soon,v1=00", string(body), "not a number"},
		{"malformed", "s3cret", "t=" + ts + ";v1=00", string(body), "no v1 signature"},
		{"not hex", "s3cret", "t=" + ts + ",v1=xyz", string(body), "no signature matches"},
	} {
		err := VerifySignature(c.secret, c.header, []byte(c.body), now, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: VerifySignature = %v, want an error with %q", c.name, err, c.want)
		}
	}
	if err := VerifySignature("s3cret", good, body, now.Add(time.Hour), 2*time.Hour); err != nil {
		t.Errorf("VerifySignature within a tolerance of 2h = %v", err)
	}
}

// TestWebhookRefused: a receiver's error answer, a redirect, no answer in
// time and no receiver at all are failures; the Receipt says what came.
func TestWebhookRefused(t *testing.T) {
	t.Parallel()
	var elsewhere int
	var mu sync.Mutex
	long := strings.Repeat("é", 3000) + "\xff" // 6 KB, ending in an invalid byte
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "database unavailable", http.StatusInternalServerError)
	})
	mux.HandleFunc("/long", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, long)
	})
	mux.HandleFunc("/302", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	mux.HandleFunc("/elsewhere", func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		elsewhere++
		mu.Unlock()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		// Read the body: the server notices a closed connection only then.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	for _, c := range []struct {
		path    string
		url     string
		status  int
		body    string
		wantErr []string
	}{
		{path: "/500", status: 500, body: "database unavailable", wantErr: []string{"500 Internal Server Error", "database unavailable"}},
		{path: "/302", status: 302, wantErr: []string{"302", "/elsewhere", "not followed"}},
		{path: "/slow", status: 0, wantErr: []string{"no answer", "timeout 200ms"}},
		{url: down.URL, status: 0, wantErr: []string{"POST " + down.URL}},
	} {
		u := c.url
		if u == "" {
			u = srv.URL + c.path + "?token=SECRET"
		}
		n := mustNotifier(t, Spec{Name: "hook", Type: "webhook", URL: u, Timeout: 200 * time.Millisecond})
		start := time.Now()
		r, err := n.Send(t.Context(), Sample(""))
		if err == nil {
			t.Errorf("%s: Send = nil error, want a failure", u)
			continue
		}
		for _, w := range c.wantErr {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", u, err, w)
			}
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: error %q shows the URL's query", u, err)
		}
		if r.Status != c.status || r.Body != c.body {
			t.Errorf("%s: Receipt %+v, want status %d, body %q", u, r, c.status, c.body)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: Send took %s, the timeout is 200ms", u, took)
		}
	}
	if elsewhere != 0 {
		t.Errorf("the redirect was followed")
	}

	n := mustNotifier(t, Spec{Name: "hook", Type: "webhook", URL: srv.URL + "/long"})
	r, err := n.Send(t.Context(), Sample(""))
	if err == nil || r.Status != 400 {
		t.Fatalf("Send(/long) = %+v, %v", r, err)
	}
	if len(r.Body) > 1024 || len(r.Body) < 1020 || !utf8.ValidString(r.Body) || !strings.HasPrefix(long, r.Body) {
		t.Errorf("Receipt.Body of a long answer: %d bytes, valid UTF-8 %v; want the first KiB", len(r.Body), utf8.ValidString(r.Body))
	}
	if got := receiptText([]byte("ok\xff\xfe")); got != "ok\uFFFD" {
		t.Errorf("receiptText(invalid UTF-8) = %q", got)
	}
}

// TestNewWebhookRefuses: a spec that could not work is refused, saying why.
func TestNewWebhookRefuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{}, "url is required"},
		{Spec{URL: "hooks.example.org/x"}, "absolute http:// or https://"},
		{Spec{URL: "ftp://hooks.example.org/x"}, "absolute http:// or https://"},
		{Spec{URL: "https:///x"}, "no host"},
		{Spec{URL: "https://hooks.example.org/%zz"}, "url"},
		{Spec{URL: "https://h.example/x", Command: []string{"/bin/true"}}, "does not use command"},
		{Spec{URL: "https://h.example/x", From: "a@b", To: []string{"c@d"}, Template: "x"}, "does not use from, to, template"},
		{Spec{URL: "https://h.example/x", HTMLTemplate: "<p>{{.Title}}</p>"}, "does not use html_template"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"Bad Name": "x"}}, `header "Bad Name": not a valid header name`},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"X-A": "a\r\nX-B: b"}}, "line break"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"content-type": "text/plain"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"Redline-Event": "x"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"redline-signature": "x"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"Redline-Anything": "x"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"User-Agent": "x"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"Host": "x"}}, "redline sets it itself"},
		{Spec{URL: "https://h.example/x", Headers: map[string]string{"X-A": "1", "x-a": "2"}}, "given twice"},
		{Spec{URL: "https://h.example/x", Timeout: -time.Second}, "negative"},
	} {
		c.spec.Name, c.spec.Type = "hook", "webhook"
		_, err := New(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "notifier hook: webhook: ") {
			t.Errorf("New(%+v) = %v, want an error naming the notifier and saying %q", c.spec, err, c.want)
		}
	}
}

// TestWebhookSchema: the messages of every event, as JSON, have the
// properties webhook.schema.json requires, only properties it describes
// (each with a description), and of the types it gives; and between them
// they use every property it describes.
func TestWebhookSchema(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("webhook.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("webhook.schema.json: %v", err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", schema["$schema"])
	}
	sc := schemaChecker{t: t, root: schema, used: map[string]bool{}}
	events := map[string]bool{}
	for _, m := range schemaSamples() {
		b, err := payloadJSON(m)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		sc.check(m.Event, schema, v)
		events[m.Event] = true
	}
	for _, e := range []string{EventNew, EventChanged, EventFailing, EventRecovered, EventTest, EventDigest} {
		if !events[e] {
			t.Errorf("no sample of event %s", e)
		}
	}
	// A digest's changes are checked as whole messages.
	for _, p := range []string{"changes.watch.url", "changes.revision.new", "changes.health.state", "changes.added"} {
		if !sc.used[p] {
			t.Errorf("no digest change has %s: the changes were not checked against the schema", p)
		}
	}
	// Every property the schema describes is in some message.
	sc.allProperties("", schema, func(path string) {
		if !sc.used[path] {
			t.Errorf("schema property %s appears in no message (a field gone from Message?)", path)
		}
	})
}

// schemaChecker checks JSON values against the part of JSON Schema that
// webhook.schema.json uses: $ref to $defs or to the root, type, const, enum, required,
// properties (every key must be described) and items.
type schemaChecker struct {
	t    *testing.T
	root map[string]any
	used map[string]bool // property paths seen, e.g. "revision.new"
}

func (c schemaChecker) resolve(s map[string]any) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	if ref == "#" {
		return c.root
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	def, found := c.root["$defs"].(map[string]any)[name].(map[string]any)
	if !ok || !found {
		c.t.Fatalf("unresolvable $ref %q", ref)
	}
	return def
}

func (c schemaChecker) check(path string, s map[string]any, v any) {
	c.t.Helper()
	s = c.resolve(s)
	if want, ok := s["const"]; ok && fmt.Sprint(want) != fmt.Sprint(v) {
		c.t.Errorf("%s = %v, want the constant %v", path, v, want)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		c.t.Errorf("%s = %v, not one of %v", path, v, enum)
	}
	typ, _ := s["type"].(string)
	switch x := v.(type) {
	case map[string]any:
		if typ != "object" {
			c.t.Errorf("%s is an object, the schema says %q", path, typ)
			return
		}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				c.t.Errorf("%s: required property %q missing", path, r)
			}
		}
		for k, kv := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				c.t.Errorf("%s: property %q is not in the schema", path, k)
				continue
			}
			c.used[propPath(path, k)] = true
			c.check(path+"."+k, ps, kv)
		}
	case []any:
		if typ != "array" {
			c.t.Errorf("%s is an array, the schema says %q", path, typ)
			return
		}
		items, _ := s["items"].(map[string]any)
		for i, e := range x {
			c.check(fmt.Sprintf("%s[%d]", path, i), items, e)
		}
	case string:
		if typ != "string" && typ != "" {
			c.t.Errorf("%s is a string, the schema says %q", path, typ)
		}
		if s["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, x); err != nil {
				c.t.Errorf("%s = %q, not a date-time", path, x)
			}
		}
	case float64:
		if typ == "integer" && x != float64(int64(x)) || typ != "integer" && typ != "number" && typ != "" {
			c.t.Errorf("%s = %v, the schema says %q", path, x, typ)
		}
		if m, ok := s["minimum"].(float64); ok && x < m {
			c.t.Errorf("%s = %v, below the minimum %v", path, x, m)
		}
	default:
		c.t.Errorf("%s = %v: no such type in the schema", path, v)
	}
}

// propPath drops the event name and array indexes from a value's path:
// digest.changes[1].watch and key id give changes.watch.id.
var arrayIndexRE = regexp.MustCompile(`\[[0-9]+\]`)

func propPath(path, key string) string {
	path = arrayIndexRE.ReplaceAllString(path, "")
	_, rest, _ := strings.Cut(path, ".")
	if rest == "" {
		return key
	}
	return rest + "." + key
}

// allProperties calls f with the path of every property s describes, and
// checks that each has a description.
func (c schemaChecker) allProperties(prefix string, s map[string]any, f func(string)) {
	s = c.resolve(s)
	props, _ := s["properties"].(map[string]any)
	for k, p := range props {
		ps := p.(map[string]any)
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if d, _ := ps["description"].(string); d == "" {
			c.t.Errorf("schema property %s has no description", path)
		}
		f(path)
		c.allProperties(path, ps, f)
	}
}
