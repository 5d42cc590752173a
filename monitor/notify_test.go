package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/internal/testsite"
	"github.com/redlinehq/redline/notify"
	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

// TestNotifyRoutes: each check writes, with its revision or health event,
// the deliveries its watch's routes ask for, and only those.
func TestNotifyRoutes(t *testing.T) {
	var mu sync.Mutex
	status, body := 200, testsite.France24(testsite.France24Page{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	serve := func(st int, b []byte) {
		mu.Lock()
		status, body = st, b
		mu.Unlock()
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	daily, err := schedule.Parse("@daily")
	if err != nil {
		t.Fatal(err)
	}
	// A quiet window from an hour ago to an hour from now, in Paris.
	lt := time.Now().In(paris)
	sinceMidnight := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute
	quiet := &config.QuietHours{Start: (sinceMidnight + 23*time.Hour) % (24 * time.Hour), End: (sinceMidnight + time.Hour) % (24 * time.Hour), Loc: paris}
	routes := []config.Route{
		{To: "all", On: []string{config.OnNew, config.OnBody, config.OnHeadline, config.OnMetadata, config.OnErrors}},
		{To: "headlines", On: []string{config.OnHeadline}},
		{To: "big", On: config.DefaultOn, MinWords: 20},
		{To: "resign", On: config.DefaultOn, Contains: []string{"RESIGN"}},
		{To: "not-monday", On: config.DefaultOn, NotContains: []string{"monday"}},
		{To: "errors", On: []string{config.OnErrors}},
		{To: "night", On: []string{config.OnBody}, Quiet: quiet},
		{To: "daily", On: []string{config.OnBody}, Digest: "@daily", DigestSpec: &daily},
	}
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	woken := 0
	c := NewChecker(s, f, CheckerOptions{Defaults: store.Extraction{Mode: "article"}, FailingAfter: 2,
		Routes:   func(store.Watch) []config.Route { return routes },
		Notified: func() { woken++ }})
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/a", Name: "a", Tags: []string{"news"}})
	ctx := context.Background()

	// written returns the notifiers of the items about revision seq, or
	// of the health events when seq is 0, with their kinds.
	written := func(kind string, seq int) []string {
		t.Helper()
		items, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: w.ID})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			if it.Kind == kind && it.RevisionSeq == seq {
				out = append(out, it.Notifier)
			}
		}
		slices.Sort(out)
		return out
	}

	mustCheck(t, c, w, store.OutcomeNew)
	if got := written(store.NotifyNew, 1); !slices.Equal(got, []string{"all"}) {
		t.Errorf("first capture went to %v, want [all] (the only route on new)", got)
	}
	paras := testsite.France24Paragraphs()
	serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1)}}))
	res := mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
	if res.Class != "silent-edit" {
		t.Fatalf("class %s", res.Class)
	}
	// A one-word edit that adds "Monday": not big, no "resign", and
	// not-monday refuses it; night holds it back.
	if got := written(store.NotifyChanged, 2); !slices.Equal(got, []string{"all", "daily", "night"}) {
		t.Errorf("a one-word silent edit went to %v, want [all daily night]", got)
	}
	items, _ := s.ListOutbox(ctx, store.OutboxFilter{WatchID: w.ID, RevisionSeq: 2})
	for _, it := range items {
		var m notify.Message
		if err := json.Unmarshal(it.Payload, &m); err != nil {
			t.Fatal(err)
		}
		if m.Revision == nil || m.Revision.Old != 1 || m.Class != "silent-edit" || !slices.ContainsFunc(m.Added, func(s string) bool { return strings.Contains(s, "Monday") }) {
			t.Errorf("payload of %s: %s", it.Notifier, it.Payload)
		}
		if it.Notifier == "night" && !it.NextAttemptAt.After(time.Now()) {
			t.Errorf("night's delivery is due at %s, want after the quiet hours", it.NextAttemptAt)
		}
		if it.Notifier == "daily" {
			midnight := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
			if !it.NextAttemptAt.Equal(midnight) || it.Group != fmt.Sprintf("digest/daily/%d", midnight.Unix()) {
				t.Errorf("daily's delivery: due %s, group %q; want the next midnight UTC and its digest group", it.NextAttemptAt, it.Group)
			}
		}
	}

	// A big edit that mentions a resignation.
	big := "The minister said on Monday evening that she would RESIGN at the end of the month, citing the pressure of the negotiations and the toll they had taken on her family and her health."
	serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1), 7: big}}))
	mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
	if got := written(store.NotifyChanged, 3); !slices.Equal(got, []string{"all", "big", "daily", "night", "resign"}) {
		t.Errorf("a big edit adding RESIGN and Monday went to %v, want [all big daily night resign]", got)
	}

	// Two failed checks make the watch failing (FailingAfter 2); one
	// success makes it recover. Routes on errors (DefaultOn includes
	// them; conditions on text do not apply) hear of them.
	serve(500, []byte("oops"))
	mustCheck(t, c, refresh(t, s, w), store.OutcomeError)
	if got := written(store.EventFailing, 0); len(got) != 0 {
		t.Errorf("a first error wrote %v", got)
	}
	mustCheck(t, c, refresh(t, s, w), store.OutcomeError)
	onErrors := []string{"all", "big", "errors", "not-monday", "resign"}
	if got := written(store.EventFailing, 0); !slices.Equal(got, onErrors) {
		t.Errorf("failing went to %v, want %v", got, onErrors)
	}
	serve(200, testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1), 7: big}}))
	mustCheck(t, c, refresh(t, s, w), store.OutcomeUnchanged)
	if got := written(store.EventRecovered, 0); !slices.Equal(got, onErrors) {
		t.Errorf("recovered went to %v, want %v", got, onErrors)
	}
	if woken != 5 {
		t.Errorf("Notified called %d times, want 5 (new, two changes, failing, recovered)", woken)
	}
}

// TestExtractorUpdate: the first change after the canonical form changed
// (a revision stored by an older redline) is an extractor update: recorded,
// and notified only to routes that ask for it by name; the next edit is an
// edit again.
func TestExtractorUpdate(t *testing.T) {
	page := testsite.France24(testsite.France24Page{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(page) }))
	defer srv.Close()
	s := openStore(t)
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	routes := []config.Route{{To: "default", On: config.DefaultOn}, {To: "upgrades", On: []string{"extractor-update"}}}
	c := NewChecker(s, f, CheckerOptions{Defaults: store.Extraction{Mode: "article"}, Routes: func(store.Watch) []config.Route { return routes }})
	w := addWatch(t, s, store.Watch{URL: srv.URL + "/a"})
	ctx := context.Background()

	// What an older redline stored: a document without a version, whose
	// text lacks a line today's form has, and shortcuts taken under an
	// older form (which no longer match: settingsKey has the version).
	res := mustCheck(t, c, w, store.OutcomeNew)
	cur, err := s.LatestRevision(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(cur.Text, "\n\n", "\nBy: somebody else\n\n", 1)
	stale := "0123456789abcdef deadbeef"
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: time.Now(), Outcome: store.OutcomeChanged,
		BodyHash: "stale", Shortcut: &stale,
		Revision: &store.Revision{FetchedAt: time.Now(), ContentHash: textHash(old), Text: old, Document: json.RawMessage(`{"title":"x"}`)}}); err != nil {
		t.Fatal(err)
	}
	res = mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
	if res.Class != "extractor-update" {
		t.Fatalf("class %q, want extractor-update", res.Class)
	}
	items, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: w.ID, RevisionSeq: res.Revision})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Notifier != "upgrades" {
		t.Errorf("the extractor update went to %+v, want only the route on extractor-update", items)
	}
	// Stored now with today's version: the next edit is classified again.
	paras := testsite.France24Paragraphs()
	page = testsite.France24(testsite.France24Page{Replace: map[int]string{6: strings.Replace(paras[6], "Sunday", "Monday", 1)}})
	if res = mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged); res.Class != "silent-edit" {
		t.Errorf("class %q after the update, want silent-edit", res.Class)
	}
}
