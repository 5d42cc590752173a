package storetest

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/store"
)

// sampleBlocks returns block stats whose strings need escaping in JSON (a
// NUL, quotes, backslashes, HTML characters, non-ASCII) and whose numbers
// reach the ends of their ranges.
func sampleBlocks(tag string) []store.BlockStat {
	return []store.BlockStat{
		{Selector: "main > article:nth-of-type(2)", Hash: "hash-a-" + tag, Seen: 1},
		{Selector: `div[data-x="a\"b"] > p.é—ü`, Hash: "hash-b-" + tag, Seen: 32, Changes: math.MaxUint32},
		{Selector: "#nul\x00<&>\\", Hash: "", Seen: math.MaxInt32, Changes: 1 << 31},
		{Selector: "main > article:nth-of-type(2)", Hash: "duplicates are kept " + tag, Seen: 0, Changes: 0b1011},
	}
}

// decodeBlocks returns the decoded stats of b, failing the test when they
// do not decode.
func decodeBlocks(t *testing.T, b store.BlockStats) []store.BlockStat {
	t.Helper()
	bs, err := b.Decode()
	if err != nil {
		t.Fatalf("stored block stats %s: %v", b, err)
	}
	return bs
}

// encodeBlocks returns bs encoded, failing the test when it does not encode.
func encodeBlocks(t *testing.T, bs []store.BlockStat) store.BlockStats {
	t.Helper()
	b, err := store.EncodeBlockStats(bs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantBlocks fails the test unless Watch, WatchByURL and ListWatches all
// return want as the blocks of watch w, exactly (order, duplicates, and nil
// versus empty included).
func wantBlocks(t *testing.T, s store.Store, w store.Watch, step string, want []store.BlockStat) {
	t.Helper()
	check := func(via string, enc store.BlockStats) {
		t.Helper()
		got := decodeBlocks(t, enc)
		if (want == nil) != (got == nil) {
			t.Errorf("%s: %s Blocks = %#v, want %#v (nil and empty differ)", step, via, got, want)
			return
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: %s Blocks (-want +got):\n%s", step, via, d)
		}
	}
	check("Watch", getWatch(t, s, w.ID).State.Blocks)
	byURL, err := s.WatchByURL(t.Context(), w.URL)
	if err != nil {
		t.Fatalf("%s: WatchByURL: %v", step, err)
	}
	check("WatchByURL", byURL.State.Blocks)
	ws, err := s.ListWatches(t.Context(), store.WatchFilter{})
	if err != nil {
		t.Fatalf("%s: ListWatches: %v", step, err)
	}
	for _, lw := range ws {
		if lw.ID == w.ID {
			check("ListWatches", lw.State.Blocks)
			return
		}
	}
	t.Errorf("%s: ListWatches lacks watch %d", step, w.ID)
}

// testBlockStats: CheckResult.Blocks replaces the stored blocks when
// non-nil, whatever the outcome, and keeps them when nil; an empty slice
// clears them; the other state and other watches are unaffected.
func testBlockStats(t *testing.T, s store.Store) {
	w := addWatch(t, s, "https://example.com/blocks")
	other := addWatch(t, s, "https://example.com/no-blocks")
	wantBlocks(t, s, w, "new watch", nil)

	// A first check without blocks keeps them nil.
	record(t, s, revisionResult(w.ID, store.OutcomeNew, 0, "one"))
	wantBlocks(t, s, w, "check without blocks", nil)

	b1 := sampleBlocks("1")
	r := plainResult(w.ID, store.OutcomeUnchanged, time.Hour)
	r.Blocks = b1
	record(t, s, r)
	wantBlocks(t, s, w, "unchanged with blocks", b1)
	wantBlocks(t, s, other, "other watch", nil)
	// The rest of the state moves as it would without blocks.
	want := store.WatchState{ETag: r.ETag, BodyHash: r.BodyHash, LastCheckAt: r.StartedAt,
		LastChangeAt: base().Add(time.Second), Revisions: 1, Blocks: encodeBlocks(t, b1)}
	if d := diff(want, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after unchanged with blocks (-want +got):\n%s", d)
	}

	// nil keeps them, whatever the outcome.
	for i, o := range []store.Outcome{store.OutcomeError, store.OutcomeNotModified, store.OutcomeFlapping, store.OutcomeUnchanged} {
		record(t, s, plainResult(w.ID, o, time.Duration(2+i)*time.Hour))
		wantBlocks(t, s, w, fmt.Sprintf("%s without blocks", o), b1)
	}
	r2 := revisionResult(w.ID, store.OutcomeChanged, 6*time.Hour, "two")
	record(t, s, r2)
	wantBlocks(t, s, w, "changed without blocks", b1)

	// Non-nil replaces them, whatever the outcome.
	for i, o := range []store.Outcome{store.OutcomeChanged, store.OutcomeError, store.OutcomeNotModified, store.OutcomeFlapping} {
		var r store.CheckResult
		if o == store.OutcomeChanged {
			r = revisionResult(w.ID, o, time.Duration(7+i)*time.Hour, "three")
		} else {
			r = plainResult(w.ID, o, time.Duration(7+i)*time.Hour)
		}
		b := sampleBlocks(string(o))[i:] // a list of another length each time
		r.Blocks = b
		record(t, s, r)
		wantBlocks(t, s, w, fmt.Sprintf("%s with blocks", o), b)
	}

	// An empty slice clears them; it reads back empty, not nil, and a nil
	// one afterwards keeps it so.
	r = plainResult(w.ID, store.OutcomeUnchanged, 11*time.Hour)
	r.Blocks = []store.BlockStat{}
	record(t, s, r)
	wantBlocks(t, s, w, "cleared", []store.BlockStat{})
	record(t, s, plainResult(w.ID, store.OutcomeUnchanged, 12*time.Hour))
	wantBlocks(t, s, w, "cleared then nil", []store.BlockStat{})

	// The stored value is a copy: changing the caller's slice afterwards
	// changes nothing.
	b := sampleBlocks("copy")
	r = plainResult(w.ID, store.OutcomeUnchanged, 13*time.Hour)
	r.Blocks = b
	record(t, s, r)
	b[0].Seen, b[1].Hash = 999, "changed by the caller"
	wantBlocks(t, s, w, "caller's slice changed after the check", sampleBlocks("copy"))

	// A refused check leaves them alone.
	r = plainResult(w.ID, store.OutcomeError, 14*time.Hour)
	r.Error = ""
	r.Blocks = sampleBlocks("refused")
	if _, err := s.RecordCheck(t.Context(), r); err == nil {
		t.Error("RecordCheck(error without message, with blocks) = nil error, want a refusal")
	}
	wantBlocks(t, s, w, "after a refused check", sampleBlocks("copy"))
	wantBlocks(t, s, other, "other watch at the end", nil)
}

// testBlockStatsLarge: a page of many blocks round-trips, and is replaced
// whole by a shorter list.
func testBlockStatsLarge(t *testing.T, s store.Store) {
	w := addWatch(t, s, "https://example.com/many-blocks")
	many := make([]store.BlockStat, 500)
	for i := range many {
		many[i] = store.BlockStat{
			Selector: fmt.Sprintf("body > main > section:nth-of-type(%d) > div.item-%d > p", i/10+1, i),
			Hash:     fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15),
			Seen:     i * 7,
			Changes:  uint32(i) * 0x01010101,
		}
	}
	r := revisionResult(w.ID, store.OutcomeNew, 0, "many")
	r.Blocks = many
	record(t, s, r)
	wantBlocks(t, s, w, "500 blocks", many)

	few := many[100:103:103]
	r = plainResult(w.ID, store.OutcomeUnchanged, time.Hour)
	r.Blocks = few
	record(t, s, r)
	wantBlocks(t, s, w, "replaced by 3 blocks", few)
}

// testShortcut: a non-nil Shortcut replaces the stored one whatever the
// outcome, "" clears it, nil keeps it, and an invalid one is refused
// before anything is written.
func testShortcut(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/shortcut")
	sc := func(v string) *string { return &v }
	get := func() string {
		t.Helper()
		got, err := s.Watch(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.State.Shortcut
	}
	if got := get(); got != "" {
		t.Fatalf("new watch: shortcut %q, want none", got)
	}
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.Shortcut = sc("v1 abc body > article")
	if _, err := s.RecordCheck(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "v1 abc body > article" {
		t.Errorf("after a check carrying it: %q", got)
	}
	unchanged := store.CheckResult{WatchID: w.ID, StartedAt: base().Add(time.Minute), Outcome: store.OutcomeUnchanged}
	if _, err := s.RecordCheck(ctx, unchanged); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "v1 abc body > article" {
		t.Errorf("nil Shortcut changed it to %q", got)
	}
	bad := unchanged
	bad.StartedAt = base().Add(2 * time.Minute)
	bad.Shortcut = sc(strings.Repeat("x", 5000))
	if _, err := s.RecordCheck(ctx, bad); err == nil {
		t.Error("a 5000-byte shortcut was accepted")
	}
	bad.Shortcut = sc("v1 \xff")
	if _, err := s.RecordCheck(ctx, bad); err == nil {
		t.Error("an invalid UTF-8 shortcut was accepted")
	}
	clear := unchanged
	clear.StartedAt = base().Add(3 * time.Minute)
	clear.Shortcut = sc("")
	if _, err := s.RecordCheck(ctx, clear); err != nil {
		t.Fatal(err)
	}
	if got := get(); got != "" {
		t.Errorf("an empty Shortcut left %q", got)
	}
}
