package notify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// shoutrrrRecorder is an HTTP endpoint that records what it receives and answers
// with status and body.
type shoutrrrRecorder struct {
	mu       sync.Mutex
	requests []shoutrrrRequest
	status   int
	body     string
	delay    time.Duration
}

type shoutrrrRequest struct {
	method, path, contentType, body string
}

func (rec *shoutrrrRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.requests = append(rec.requests, shoutrrrRequest{r.Method, r.URL.Path, r.Header.Get("Content-Type"), string(b)})
	status, body, delay := rec.status, rec.body, rec.delay
	rec.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (rec *shoutrrrRecorder) got() []shoutrrrRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]shoutrrrRequest(nil), rec.requests...)
}

func TestShoutrrrGeneric(t *testing.T) {
	rec := &shoutrrrRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	// generic+http:// is shoutrrr's shortcut for a plain HTTP endpoint:
	// the text is POSTed as the body, as text/plain.
	n, err := New(Spec{Name: "hook", Type: "shoutrrr", URL: "generic+" + srv.URL + "/hook"})
	if err != nil {
		t.Fatal(err)
	}
	m := templateSample(t, EventChanged)
	r, err := n.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r.Status != 0 {
		t.Errorf("Receipt.Status = %d, want 0 (shoutrrr does not expose it on success)", r.Status)
	}
	reqs := rec.got()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	want, _ := defaultRenderer(t).render(m)
	got := reqs[0]
	if got.method != http.MethodPost || got.path != "/hook" || got.contentType != "text/plain" {
		t.Errorf("request = %s %s (%s), want POST /hook (text/plain)", got.method, got.path, got.contentType)
	}
	if got.body != want {
		t.Errorf("body = %q, want %q", got.body, want)
	}
}

func defaultRenderer(t *testing.T) *renderer {
	t.Helper()
	r, err := newRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestShoutrrrCustomTemplate(t *testing.T) {
	rec := &shoutrrrRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	n, err := New(Spec{Name: "hook", Type: "shoutrrr", URL: "generic+" + srv.URL + "/hook", Template: "{{.Watch.Name}}: {{.Title}}"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Send(context.Background(), templateSample(t, EventChanged)); err != nil {
		t.Fatal(err)
	}
	if got := rec.got()[0].body; got != "Example: An example headline" {
		t.Errorf("body = %q", got)
	}
}

func TestShoutrrrServerError(t *testing.T) {
	rec := &shoutrrrRecorder{status: http.StatusInternalServerError, body: "boom"}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	n, err := New(Spec{Name: "hook", Type: "shoutrrr", URL: "generic+" + srv.URL + "/s3cr3t-path"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := n.Send(context.Background(), templateSample(t, EventChanged))
	if err == nil {
		t.Fatal("Send succeeded against a 500")
	}
	if r.Status != http.StatusInternalServerError {
		t.Errorf("Receipt.Status = %d, want 500", r.Status)
	}
	if r.Body != "boom" {
		t.Errorf("Receipt.Body = %q, want the server's answer", r.Body)
	}
	for _, want := range []string{"shoutrrr hook: generic:", "500 Internal Server Error"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "s3cr3t-path") {
		t.Errorf("error %q shows the URL's path", err)
	}
}

func TestShoutrrrTimeout(t *testing.T) {
	rec := &shoutrrrRecorder{delay: 500 * time.Millisecond}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	n, err := New(Spec{Name: "slow", Type: "shoutrrr", URL: "generic+" + srv.URL + "/hook", Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = n.Send(context.Background(), templateSample(t, EventChanged))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 400*time.Millisecond {
		t.Errorf("Send took %v, past its 100ms timeout", d)
	}
	// A cancelled context: the next send waits for the first to finish,
	// and gives up with its own context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := n.Send(ctx, templateSample(t, EventChanged)); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestShoutrrrLimit(t *testing.T) {
	for service, want := range map[string]sizeLimit{
		"discord":  {runes: 2000},
		"telegram": {runes: 4096, utf16: true},
		"ntfy":     {bytes: 4096},
		"pushover": {runes: 1024},
		"generic":  {runes: 65535},
		"zulip":    defaultShoutrrrLimit,
	} {
		got, ok := shoutrrrLimits[service]
		if !ok {
			got = defaultShoutrrrLimit
		}
		if got != want {
			t.Errorf("limit of %s = %+v, want %+v", service, got, want)
		}
	}
	// The limit applies to what is sent.
	rec := &shoutrrrRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	n, err := newShoutrrr(Spec{Name: "hook", URL: "generic+" + srv.URL + "/hook"})
	if err != nil {
		t.Fatal(err)
	}
	n.(*shoutrrrNotifier).limit = sizeLimit{runes: 300}
	m := templateSample(t, EventChanged)
	m.Removed, m.Added = nil, numberedParagraphs("p", 30, 5)
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	body := rec.got()[0].body
	if !(sizeLimit{runes: 300}).fits(body) || !strings.HasSuffix(body, "more changes: "+m.Revision.URL) {
		t.Errorf("body not cut to 300 runes with a note:\n%s", body)
	}
}

func TestShoutrrrConstructionErrors(t *testing.T) {
	tests := []struct {
		name   string
		spec   Spec
		want   []string // in the error
		secret string   // never in the error
	}{
		{"no url", Spec{}, []string{"url is required"}, ""},
		{"unknown scheme", Spec{URL: "nosuch://user:hunter2secret@example.com/tok3n"},
			[]string{`unknown service "nosuch"`, "telegram"}, "hunter2secret"},
		{"no scheme", Spec{URL: "example.com/hook"}, []string{"no scheme"}, ""},
		{"missing token", Spec{URL: "discord://@123456789"}, []string{"discord url", "token missing"}, ""},
		{"bad token, redacted", Spec{URL: "telegram://T0PS3CRETT0KEN@telegram?chats=@news"},
			[]string{"telegram url", "invalid telegram token: [redacted]"}, "T0PS3CRETT0KEN"},
		{"bot token split as user:password, redacted", Spec{URL: "telegram://123456:AAEsecretpart@telegram"},
			[]string{"telegram url", "no channels"}, "AAEsecretpart"},
		{"does not parse, redacted", Spec{URL: "slack://hook:S3CRETv4lue"},
			[]string{"slack://…", "does not parse", "[redacted]"}, "S3CRETv4lue"},
		{"secret", Spec{URL: "generic+https://example.com", Secret: "x"}, []string{"secret is not used"}, ""},
		{"headers", Spec{URL: "generic+https://example.com", Headers: map[string]string{"A": "b"}}, []string{"headers are not used"}, ""},
		{"command", Spec{URL: "generic+https://example.com", Command: []string{"true"}}, []string{"command is not used"}, ""},
		{"from", Spec{URL: "generic+https://example.com", From: "a@example.com"}, []string{"from and to are not used"}, ""},
		{"to", Spec{URL: "generic+https://example.com", To: []string{"a@example.com"}}, []string{"from and to are not used"}, ""},
		{"html_template", Spec{URL: "generic+https://example.com", HTMLTemplate: "<p>{{.Title}}</p>"}, []string{"html_template is not used"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.Name, tt.spec.Type = "chat", "shoutrrr"
			_, err := New(tt.spec)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if !strings.HasPrefix(err.Error(), "notifier chat: shoutrrr") {
				t.Errorf("error %q does not name the notifier", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func TestShoutrrrMatrixIsOffline(t *testing.T) {
	// A Matrix URL with a user logs in at initialisation: construction
	// must not do it (the host does not exist).
	if _, err := New(Spec{Name: "m", Type: "shoutrrr", URL: "matrix://bot:pw@matrix.invalid/?rooms=!room:matrix.invalid"}); err != nil {
		t.Fatalf("New: %v", err)
	}
}

func TestShoutrrrURLRedactor(t *testing.T) {
	raw := "pushover://shoutrrr:apiT0ken99@userK3y77/?devices=phone1&title=Hi%20there"
	red := urlRedactor(raw)
	text := `post "https://api.pushover.net/?token=apiT0ken99&user=userK3y77&device=phone1": Hi there`
	got := red(text)
	for _, s := range []string{"apiT0ken99", "userK3y77", "phone1", "Hi there"} {
		if strings.Contains(got, s) {
			t.Errorf("redacted text %q still has %q", got, s)
		}
	}
	if !strings.Contains(got, "api.pushover.net") {
		t.Errorf("redacted text %q lost a public host", got)
	}
	// A service name used as host is no secret.
	if got := urlRedactor("telegram://tok@telegram?chats=x")("invalid telegram token: tok"); got != "invalid telegram token: tok" {
		t.Errorf("got %q, want the service name kept and a 3-letter part left alone", got)
	}
}

// TestShoutrrrDigest: a digest is sent as its text, cut at its changes'
// boundaries to the service's limit.
func TestShoutrrrDigest(t *testing.T) {
	rec := &shoutrrrRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	n, err := newShoutrrr(Spec{Name: "hook", URL: "generic+" + srv.URL + "/hook"})
	if err != nil {
		t.Fatal(err)
	}
	m := digestMessage(t)
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := rec.got()[0].body; got != digestText {
		t.Errorf("body = %q, want %q", got, digestText)
	}
	l := sizeLimit{runes: 400}
	n.(*shoutrrrNotifier).limit = l
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	body := rec.got()[1].body
	if shown := checkDigestCut(t, defaultRenderer(t), m, l, body); shown != 1 {
		t.Errorf("%d sections sent within %+v, want 1:\n%s", shown, l, body)
	}
}
