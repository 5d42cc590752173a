package monitor

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/internal/testsite"
	"github.com/redlinehq/redline/store"
)

// statusPage is a text-mode page: a ticker that changes on every fetch,
// a counter, and two paragraphs that matter.
const statusPage = `<html><head><title>Service status</title></head><body>
<div id="ticker"><p>Checked %d seconds ago by probe %s</p></div>
<main>
<p>All systems operational. The API answered every request in the last hour.</p>
<p>%s</p>
<p>%d people are watching this page</p>
</main></body></html>`

func statusBody(i int, notice string, watchers int) string {
	return fmt.Sprintf(statusPage, 10+i, []string{"eu-1", "us-2", "ap-3", "eu-4"}[i%4], notice, watchers)
}

const notice = "Scheduled maintenance on 12 March from 02:00 to 04:00 UTC."

// TestVolatileIgnore: with volatile: ignore, a block that changed on most
// fetches stops making revisions once learned, while a real edit next to it
// is still recorded; with suggest (the default) it keeps making them.
func TestVolatileIgnore(t *testing.T) {
	for _, mode := range []string{"ignore", "suggest"} {
		t.Run(mode, func(t *testing.T) {
			s := openStore(t)
			c := newChecker(t, s)
			site := &counting{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text", Volatile: mode}})

			site.set(statusBody(0, notice, 7), "")
			mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)
			// Fetches 2 and 3: the ticker changes each time; nothing is
			// learned yet, so each is a change.
			for i := 1; i <= 2; i++ {
				site.set(statusBody(i, notice, 7), "")
				mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
			}
			// Fetch 4: its third change in a row makes it volatile.
			want := store.OutcomeUnchanged
			if mode == "suggest" {
				want = store.OutcomeChanged
			}
			for i := 3; i <= 4; i++ {
				site.set(statusBody(i, notice, 7), "")
				mustCheck(t, c, refresh(t, s, w), want)
			}
			w = refresh(t, s, w)
			stats, err := w.State.Blocks.Decode()
			if err != nil {
				t.Fatal(err)
			}
			if got := volatileSelectors(stats); !slices.Equal(got, []string{"#ticker > p"}) {
				t.Fatalf("volatile blocks = %q, want the ticker alone (stats %+v)", got, w.State.Blocks)
			}

			// A real edit in the same fetch as a ticker change is a change.
			edited := "Scheduled maintenance on 14 March from 02:00 to 05:00 UTC."
			site.set(statusBody(5, edited, 7), "")
			res := mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
			if d := res.Diff(); !contains(d, "+"+edited) {
				t.Errorf("diff of the real edit does not show it:\n%s", d)
			}
			// So is a paragraph removed next to the ticker.
			site.set(statusBody(6, "", 7), "")
			mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
		})
	}
}

// TestIgnoreNumbers: with ignore_numbers, a counter going up is no change;
// a word edit is, and so is a number change without the setting.
func TestIgnoreNumbers(t *testing.T) {
	for _, ignore := range []bool{true, false} {
		t.Run(fmt.Sprint(ignore), func(t *testing.T) {
			s := openStore(t)
			c := newChecker(t, s)
			site := &counting{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text", Volatile: "off", IgnoreNumbers: &ignore}})
			site.set(statusBody(0, notice, 7), "")
			mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)
			site.set(statusBody(4, notice, 9), "") // same probe, 4 seconds later, 2 more watchers
			want := store.OutcomeUnchanged
			if !ignore {
				want = store.OutcomeChanged
			}
			mustCheck(t, c, refresh(t, s, w), want)
			site.set(statusBody(4, "Scheduled maintenance on 12 March was cancelled.", 9), "")
			mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
		})
	}
}

// TestDamagedBlockStats: block statistics that no longer decode neither
// fail the check nor stop the change being found: the monitor says so in
// a warning naming the watch, learns them again from this fetch, and the
// check stores the new ones in their place.
func TestDamagedBlockStats(t *testing.T) {
	s := openStore(t)
	var logs bytes.Buffer
	f, err := NewFetcher(FetchOptions{Timeout: 5 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, f, CheckerOptions{Defaults: store.Extraction{Mode: "text"},
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	site := &counting{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL, Name: "status page", Extract: store.Extraction{Mode: "text"}})
	site.set(statusBody(0, notice, 7), "")
	mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)

	damaged := refresh(t, s, w)
	damaged.State.Blocks = store.BlockStatsJSON(`[{"selector":"#ticker > p","seen":"many"}]`)
	edited := "Scheduled maintenance on 14 March from 02:00 to 05:00 UTC."
	site.set(statusBody(1, edited, 7), "")
	res := mustCheck(t, c, damaged, store.OutcomeChanged)
	if d := res.Diff(); !contains(d, "+"+edited) {
		t.Errorf("diff lacks the edit:\n%s", d)
	}
	if got := logs.String(); !strings.Contains(got, "block statistics are damaged") || !strings.Contains(got, "status page") {
		t.Errorf("logs = %q, want a warning naming the watch and its damaged block statistics", got)
	}
	stats, err := refresh(t, s, w).State.Blocks.Decode()
	if err != nil {
		t.Fatalf("stats after the check still damaged: %v", err)
	}
	if len(stats) == 0 || stats[0].Seen != 1 {
		t.Errorf("stats after the check = %+v, want them learned again from this fetch (seen once)", stats)
	}
}

// TestTypographyIsNoChange: curly quotes, a non-breaking space or a soft
// hyphen replacing their plain forms is no revision; a punctuation edit is.
func TestTypographyIsNoChange(t *testing.T) {
	s := openStore(t)
	c := newChecker(t, s)
	site := &counting{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL, Extract: store.Extraction{Mode: "text"}})
	page := func(p string) string {
		return "<html><body><p>The minister said she would \"not resign\" before the vote.</p><p>" + p + "</p></body></html>"
	}
	site.set(page("It's the end of a long week."), "")
	mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)
	site.set(page("It\u2019s the end of a long\u00a0week\u00ad."), "")
	mustCheck(t, c, refresh(t, s, w), store.OutcomeUnchanged)
	site.set(page("It\u2019s the end of a long\u00a0week?"), "")
	mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged)
}

func contains(s, sub string) bool {
	return strings.Contains(s, sub)
}

// TestObserveBlocks: the learning rule itself.
func TestObserveBlocks(t *testing.T) {
	obs := func(stats []store.BlockStat, texts ...string) []store.BlockStat {
		var blocks []extract.Block
		for i, tx := range texts {
			if tx != "" {
				blocks = append(blocks, extract.Block{Selector: fmt.Sprintf("p:nth-of-type(%d)", i+1), Text: tx, Kept: true})
			}
		}
		blocks = append(blocks, extract.Block{Selector: "nav", Text: "Home", Reason: "navigation"})
		return observeBlocks(stats, blocks)
	}
	var st []store.BlockStat
	// p1 changes on every fetch, p2 once, p3 never, p4 comes and goes.
	for i := range 8 {
		p4 := ""
		if i%2 == 0 {
			p4 = "module"
		}
		p2 := "before"
		if i >= 4 {
			p2 = "after"
		}
		st = obs(st, fmt.Sprint("tick ", i), p2, "steady", p4)
	}
	got := volatileSelectors(st)
	want := []string{"p:nth-of-type(1)", "p:nth-of-type(4)"}
	if !slices.Equal(got, want) {
		t.Errorf("volatile = %q, want %q (stats %+v)", got, want, st)
	}
	for _, s := range st {
		if s.Selector == "nav" {
			t.Errorf("a dropped block is tracked: %+v", s)
		}
	}
	// Once it settles, the ticker stops being volatile.
	for range 4 {
		st = obs(st, "tick 7", "after", "steady", "")
	}
	if got := volatileSelectors(st); len(got) != 0 {
		t.Errorf("volatile after settling = %q, want none", got)
	}
	// A block gone twice in a row is forgotten.
	for _, s := range st {
		if s.Selector == "p:nth-of-type(4)" {
			t.Errorf("absent block still tracked: %+v", s)
		}
	}
}

// TestFingerprintSkipsExtraction: on the France 24 page, a fetch whose
// teasers, ad slot and stamp changed is found unchanged without an
// extraction; an edited paragraph, the Latest update line or a new
// headline date are extracted and recorded.
func TestFingerprintSkipsExtraction(t *testing.T) {
	s := openStore(t)
	c := newChecker(t, s)
	site := &counting{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	w := addWatch(t, s, store.Watch{URL: srv.URL})
	serve := func(p testsite.France24Page) { site.set(string(testsite.France24(p)), "") }

	serve(testsite.France24Page{GeneratedAt: "10:00", AdSlot: "a1"})
	mustCheck(t, c, refresh(t, s, w), store.OutcomeNew)
	if refresh(t, s, w).State.Shortcut == "" {
		t.Fatal("no fingerprint stored after the first capture")
	}
	serve(testsite.France24Page{GeneratedAt: "10:05", AdSlot: "b2", DontMiss: []string{"Other news", "More news", "Even more"}, Comments: 4})
	if res := mustCheck(t, c, refresh(t, s, w), store.OutcomeUnchanged); !res.Skipped {
		t.Error("noise around the article: extracted, want the fingerprint to answer")
	}
	edited := map[int]string{2: "An edited paragraph that the newsroom changed after publication without saying so."}
	serve(testsite.France24Page{GeneratedAt: "10:10", AdSlot: "c3", Replace: edited})
	if res := mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged); res.Skipped || !strings.Contains(res.Diff(), "+An edited paragraph") {
		t.Errorf("edited paragraph: skipped %v, diff:\n%s", res.Skipped, res.Diff())
	}
	serve(testsite.France24Page{GeneratedAt: "10:15", AdSlot: "d4", Replace: edited})
	if res := mustCheck(t, c, refresh(t, s, w), store.OutcomeUnchanged); !res.Skipped {
		t.Error("after the edit, noise only: extracted, want the fingerprint to answer")
	}
	serve(testsite.France24Page{GeneratedAt: "10:20", Replace: edited, LatestUpdate: "2014-03-30"})
	if res := mustCheck(t, c, refresh(t, s, w), store.OutcomeChanged); res.Skipped || !strings.Contains(res.Diff(), "+Updated: 2014-03-30") {
		t.Errorf("Latest update moved: skipped %v, diff:\n%s", res.Skipped, res.Diff())
	}
}
