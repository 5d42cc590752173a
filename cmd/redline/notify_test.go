package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/internal/testsite"
	"github.com/redlinehq/redline/notify"
)

// receiver is a real webhook endpoint: it verifies each request's
// signature and records the deliveries it accepted, by delivery key.
type receiver struct {
	t      *testing.T
	secret string
	srv    *httptest.Server

	mu       sync.Mutex
	down     int // answer 503 while > 0 (counting down)
	accepted map[string]notify.Message
	order    []string
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{t: t, secret: secret, accepted: map[string]notify.Message{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := notify.VerifySignature(r.secret, req.Header.Get("Redline-Signature"), body, time.Now(), 5*time.Minute); err != nil {
			r.t.Errorf("delivery %s: %v", req.Header.Get("Redline-Delivery"), err)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.down > 0 {
			r.down--
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		var m notify.Message
		if err := json.Unmarshal(body, &m); err != nil {
			r.t.Errorf("payload: %v\n%s", err, body)
		}
		key := req.Header.Get("Redline-Delivery")
		if key != m.Delivery || req.Header.Get("Redline-Event") != m.Event {
			r.t.Errorf("headers Redline-Delivery %q, Redline-Event %q do not match the payload's %q, %q",
				key, req.Header.Get("Redline-Event"), m.Delivery, m.Event)
		}
		if _, dup := r.accepted[key]; dup {
			r.t.Errorf("delivery %s accepted twice", key)
		}
		r.accepted[key] = m
		r.order = append(r.order, key)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setDown(n int) {
	r.mu.Lock()
	r.down = n
	r.mu.Unlock()
}

// last returns the newest accepted message and how many were accepted.
func (r *receiver) last() (notify.Message, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.order) == 0 {
		return notify.Message{}, 0
	}
	return r.accepted[r.order[len(r.order)-1]], len(r.order)
}

// TestNotifyWebhook: a check that records a revision sends a signed
// webhook; a receiver that is down keeps the delivery in the outbox, which
// `redline outbox retry` sends again, once; `redline notify test` reports
// the receiver's answer.
func TestNotifyWebhook(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			recv := newReceiver(t, "s3cret")
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "redline.yaml")
			cfg := "base_url: https://redline.example.org\n" +
				"notifiers:\n  hook: {type: webhook, url: '" + recv.srv.URL + "/hook', secret: s3cret}\n" +
				"defaults:\n  confirm_delay: 0s\n  notify: [{to: hook, on: [new, body, headline, metadata]}]\n" +
				"watches:\n  - {url: '" + s.url() + "', name: putin-obama, tags: [news]}\n"
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			c := cli{t: t, db: db(t)}
			check := func(want int) string {
				t.Helper()
				code, out, errOut := c.run("--config", cfgPath, "check", "--all")
				if code != want {
					t.Fatalf("check: exit %d, want %d\n%s%s", code, want, out, errOut)
				}
				return errOut
			}
			paras := testsite.France24Paragraphs()

			s.serve(200, testsite.France24(testsite.France24Page{}))
			check(exitOK)
			m, n := recv.last()
			if n != 1 || m.Event != notify.EventNew || m.Revision == nil || m.Revision.New != 1 || m.Watch.Name != "putin-obama" {
				t.Fatalf("after the first capture the receiver has %d deliveries, the last %+v; want one 'new' of revision 1", n, m)
			}

			edited := strings.Replace(paras[6], "Sunday", "Monday", 1)
			s.serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: edited}}))
			check(exitChanged)
			m, n = recv.last()
			if n != 2 || m.Event != notify.EventChanged || m.Revision.Old != 1 || m.Revision.New != 2 || m.Class != "silent-edit" ||
				!strings.Contains(strings.Join(m.Added, "\n"), "Monday") || !strings.Contains(m.Diff, "+"+edited) ||
				m.Revision.URL != "https://redline.example.org/watches/1/revisions/2" {
				t.Fatalf("after a silent edit the receiver has %d deliveries, the last %+v", n, m)
			}

			// The receiver is down: the change waits in the outbox.
			recv.setDown(1)
			again := strings.Replace(edited, "Monday", "Tuesday", 1)
			s.serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: again}}))
			if errOut := check(exitChanged); !strings.Contains(errOut, "notifications: 0 sent, 1 to retry") {
				t.Errorf("check did not say the delivery waits:\n%s", errOut)
			}
			code, out, errOut := c.run("--config", cfgPath, "outbox", "--state", "pending", "--format", "json")
			var items []outboxJSON
			if code != exitOK || json.Unmarshal([]byte(out), &items) != nil || len(items) != 1 || items[0].LastStatus != 503 ||
				items[0].Revision != 3 || !strings.Contains(items[0].LastError, "503") {
				t.Fatalf("outbox: exit %d, %+v\n%s%s", code, items, out, errOut)
			}
			if code, out, errOut := c.run("--config", cfgPath, "outbox", "retry", "7x"); code != exitUsage {
				t.Errorf("outbox retry 7x: exit %d, want usage error\n%s%s", code, out, errOut)
			}
			if code, out, errOut := c.run("--config", cfgPath, "outbox", "retry", jsonNumber(items[0].ID)); code != exitOK {
				t.Fatalf("outbox retry: exit %d\n%s%s", code, out, errOut)
			}
			check(exitOK) // nothing changed; the retried delivery goes out
			m, n = recv.last()
			if n != 3 || m.Delivery != items[0].Delivery || m.Revision.New != 3 {
				t.Fatalf("after the retry the receiver has %d deliveries, the last %+v; want revision 3's, key %s", n, m, items[0].Delivery)
			}
			code, out, _ = c.run("--config", cfgPath, "outbox")
			if code != exitOK || strings.Count(out, " sent ") != 3 {
				t.Errorf("outbox list: exit %d, want 3 sent deliveries:\n%s", code, out)
			}

			// history shows each revision's deliveries.
			code, out, _ = c.run("--config", cfgPath, "history", "putin-obama", "--format", "json")
			var h historyJSON
			if code != exitOK || json.Unmarshal([]byte(out), &h) != nil || len(h.Revisions) != 3 {
				t.Fatalf("history: exit %d\n%s", code, out)
			}
			for _, r := range h.Revisions {
				if len(r.Deliveries) != 1 || r.Deliveries[0].Notifier != "hook" || r.Deliveries[0].State != "sent" {
					t.Errorf("revision %d deliveries %+v, want one sent through hook", r.Seq, r.Deliveries)
				}
			}
			if h.Revisions[2].Deliveries[0].Attempts != 1 {
				t.Errorf("revision 3 took %d attempts after the retry, want 1 (the count restarts)", h.Revisions[2].Deliveries[0].Attempts)
			}
			if code, out, _ = c.run("--config", cfgPath, "history", "putin-obama"); code != exitOK || !strings.Contains(out, "hook: sent") {
				t.Errorf("history: exit %d, want the delivery state:\n%s", code, out)
			}

			// notify test: the receiver's real answer.
			if code, out, errOut := c.run("--config", cfgPath, "notify", "test", "hook"); code != exitOK || !strings.Contains(out, "receiver answered: 204") {
				t.Errorf("notify test: exit %d\n%s%s", code, out, errOut)
			}
			if m, _ := recv.last(); m.Event != notify.EventTest {
				t.Errorf("notify test delivered %+v", m)
			}
			recv.setDown(1)
			if code, out, errOut := c.run("--config", cfgPath, "notify", "test", "hook"); code != exitFailure || !strings.Contains(out, "receiver answered: 503") ||
				!strings.Contains(errOut, "503") {
				t.Errorf("notify test against a receiver that is down: exit %d\n%s%s", code, out, errOut)
			}
			if code, _, errOut := c.run("--config", cfgPath, "notify", "test", "nope"); code != exitFailure || !strings.Contains(errOut, `no notifier named "nope"`) {
				t.Errorf("notify test nope: exit %d\n%s", code, errOut)
			}
		})
	}
}

// TestNotifierStartupErrors: a notifier the notify package refuses stops
// check and run at start-up, naming its place in the config.
func TestNotifierStartupErrors(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	if err := os.WriteFile(cfgPath, []byte("notifiers:\n  chat: {type: shoutrrr, url: 'nosuchservice://token@x'}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := cli{t: t, db: filepath.Join(dir, "r.db")}
	for _, cmd := range []string{"check", "run"} {
		code, _, errOut := c.run("--config", cfgPath, cmd)
		if code != exitFailure || !strings.Contains(errOut, "redline.yaml:2:3") || !strings.Contains(errOut, "notifier chat") {
			t.Errorf("%s with a bad notifier: exit %d\n%s", cmd, code, errOut)
		}
	}
}

func jsonNumber(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

// TestRunNotifies: the daemon delivers what its checks record, through a
// receiver that fails its first attempt, and counts it in /metrics.
func TestRunNotifies(t *testing.T) {
	site := newSite(t)
	site.serve(200, testsite.France24(testsite.France24Page{}))
	recv := newReceiver(t, "k3y")
	recv.setDown(1)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	cfg := "notifiers:\n  hook: {type: webhook, url: '" + recv.srv.URL + "', secret: k3y}\n" +
		"defaults: {schedule: '@every 1s', confirm_delay: 0s, notify: [{to: hook, on: [new, body]}]}\n" +
		"watches:\n  - {url: '" + site.url() + "', name: f24}\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--db", filepath.Join(dir, "r.db"), "--config", cfgPath, "run", "--listen", "127.0.0.1:0"}, stdio{
			in: strings.NewReader(""), out: io.Discard, err: &stderr, getenv: func(string) string { return "" },
		})
	}()
	addr := regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)
	waitFor(t, "the server address in the log", 5*time.Second, func() bool { return addr.MatchString(stderr.String()) })
	base := "http://" + addr.FindStringSubmatch(stderr.String())[1]

	// The first delivery fails (503) and is retried after the backoff
	// (30 s at least): the daemon must not lose it, but the test does not
	// wait that long; the next revision's delivery goes out at once.
	waitFor(t, "the failed first delivery", 10*time.Second, func() bool {
		_, m := get(t, base+"/metrics")
		return strings.Contains(m, `redline_deliveries_total{notifier="hook",outcome="failed"} 1`) &&
			strings.Contains(m, `redline_outbox_items{state="pending"} 1`)
	})
	paras := testsite.France24Paragraphs()
	site.serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1)}}))
	waitFor(t, "the change's delivery", 10*time.Second, func() bool {
		m, n := recv.last()
		return n == 1 && m.Event == notify.EventChanged && m.Revision.New == 2
	})
	// The message's link is a page of the same server.
	if m, _ := recv.last(); m.Revision.URL != "" {
		t.Errorf("a link without base_url: %q", m.Revision.URL)
	}
	code, page := get(t, base+"/watches/1/revisions/2")
	if code != 200 || !strings.Contains(page, "<del>Sunday</del>") || !strings.Contains(page, "<ins>Monday</ins>") || !strings.Contains(page, "silent edit") {
		t.Errorf("revision page: %d\n%s", code, page)
	}
	if code, _ := get(t, base+"/watches/1/revisions/9"); code != 404 {
		t.Errorf("a missing revision's page: %d, want 404", code)
	}
	_, m := get(t, base+"/metrics")
	for _, want := range []string{`redline_deliveries_total{notifier="hook",outcome="ok"} 1`, `redline_outbox_items{state="sent"} 1`, `redline_outbox_items{state="pending"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	cancel()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("exit %d\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("redline run did not stop")
	}
}

// TestRunReloadNotifiers: a notifier added to the config while the daemon
// runs is used once the file is reloaded.
func TestRunReloadNotifiers(t *testing.T) {
	site := newSite(t)
	site.serve(200, testsite.France24(testsite.France24Page{}))
	recv := newReceiver(t, "r3load")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	write := func(body string, age time.Duration) {
		t.Helper()
		if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		mt := time.Now().Add(age)
		if err := os.Chtimes(cfgPath, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	watches := "watches:\n  - {url: '" + site.url() + "', name: f24}\n"
	write("defaults: {schedule: '@every 1s', confirm_delay: 0s}\n"+watches, -time.Hour)
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--db", filepath.Join(dir, "r.db"), "--config", cfgPath, "run", "--listen", "off", "--watch-config"}, stdio{
			in: strings.NewReader(""), out: io.Discard, err: &stderr, getenv: func(string) string { return "" },
		})
	}()
	waitFor(t, "the first capture", 10*time.Second, func() bool { return strings.Contains(stderr.String(), `"msg":"new revision"`) })

	write("notifiers:\n  hook: {type: webhook, url: '"+recv.srv.URL+"', secret: r3load}\n"+
		"defaults: {schedule: '@every 1s', confirm_delay: 0s, notify: [hook]}\n"+watches, 0)
	waitFor(t, "the reload", 10*time.Second, func() bool { return strings.Contains(stderr.String(), `"msg":"config reloaded"`) })
	paras := testsite.France24Paragraphs()
	site.serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1)}}))
	waitFor(t, "the change's delivery", 10*time.Second, func() bool {
		m, n := recv.last()
		return n == 1 && m.Event == notify.EventChanged
	})
	cancel()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("exit %d\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("redline run did not stop")
	}
}

// TestNotifyDigest: a route with a digest collects the changes of several
// watches and sends them as one message once its window ends.
func TestNotifyDigest(t *testing.T) {
	a, b := newSite(t), newSite(t)
	a.serve(200, testsite.France24(testsite.France24Page{}))
	b.serve(200, testsite.France24(testsite.France24Page{}))
	recv := newReceiver(t, "d")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	cfg := "notifiers:\n  hook: {type: webhook, url: '" + recv.srv.URL + "', secret: d}\n" +
		"defaults: {confirm_delay: 0s, notify: [{to: hook, on: [new], digest: '@every 3s'}]}\n" +
		"watches:\n  - {url: '" + a.url() + "', name: a}\n  - {url: '" + b.url() + "', name: b}\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c := cli{t: t, db: filepath.Join(dir, "r.db")}
	// Both checks well inside one 3-second window, then past its end.
	const step = 3 * time.Second
	untilNext := func() time.Duration { return step - time.Duration(time.Now().UnixNano()%int64(step)) }
	time.Sleep(untilNext() + 50*time.Millisecond)
	if code, out, errOut := c.run("--config", cfgPath, "check", "--all"); code != exitOK {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	if _, n := recv.last(); n != 0 {
		t.Fatalf("%d deliveries before the window ended", n)
	}
	time.Sleep(untilNext() + 100*time.Millisecond) // the window has ended
	if code, out, errOut := c.run("--config", cfgPath, "check", "--all"); code != exitOK || !strings.Contains(errOut, "notifications: 2 sent") {
		t.Fatalf("second check: exit %d\n%s%s", code, out, errOut)
	}
	m, n := recv.last()
	if n != 1 || m.Event != notify.EventDigest || len(m.Changes) != 2 || m.Summary != "2 changes on 2 watches" ||
		m.Changes[0].Watch.Name == m.Changes[1].Watch.Name {
		t.Fatalf("receiver has %d deliveries, the last %+v; want one digest of both first captures", n, m)
	}
}
