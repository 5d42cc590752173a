package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// pruneChecks calls PruneChecks, failing the test on error.
func pruneChecks(t *testing.T, s store.Store, before time.Time) int64 {
	t.Helper()
	n, err := s.PruneChecks(t.Context(), before)
	if err != nil {
		t.Fatalf("PruneChecks(%v): %v", before, err)
	}
	return n
}

// checkTimes returns the start times of the checks of watch id, newest
// first, as minutes after base.
func checkTimes(t *testing.T, s store.Store, id int64) []int {
	t.Helper()
	cs, err := s.Checks(t.Context(), id, 0)
	if err != nil {
		t.Fatalf("Checks(%d): %v", id, err)
	}
	out := []int{}
	for _, c := range cs {
		out = append(out, int(c.StartedAt.Sub(base())/time.Minute))
	}
	return out
}

// testPruneChecks: PruneChecks deletes the checks of every watch started
// before the given time, counts them, and leaves the newer checks, the
// revisions, the events and the watch state alone.
func testPruneChecks(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := addWatch(t, s, "https://example.com/prune-checks/a")
	b := addWatch(t, s, "https://example.com/prune-checks/b")
	idle := addWatch(t, s, "https://example.com/prune-checks/idle")
	// a: a revision at minute 0, errors at 1…3 (failing at 3), a change at
	// 4, then unchanged up to 9. b: the same outcomes, recorded in reverse.
	outcome := func(i int) store.Outcome {
		switch {
		case i == 0:
			return store.OutcomeNew
		case i <= 3:
			return store.OutcomeError
		case i == 4:
			return store.OutcomeChanged
		}
		return store.OutcomeUnchanged
	}
	for i := range 10 {
		record(t, s, healthResult(a.ID, outcome(i), i, 3))
	}
	for i := 9; i >= 0; i-- {
		record(t, s, healthResult(b.ID, outcome(i), i, 0))
	}
	stateA, stateB := getWatch(t, s, a.ID).State, getWatch(t, s, b.ID).State
	eventsA := events(t, s, a.ID, 0)
	revsA, err := s.Revisions(ctx, a.ID)
	if err != nil || len(revsA) != 2 {
		t.Fatalf("Revisions(a) = %v, %v; want 2", revsA, err)
	}

	if n := pruneChecks(t, s, time.Time{}); n != 0 {
		t.Errorf("PruneChecks(zero time) = %d, want 0", n)
	}
	if n := pruneChecks(t, s, base()); n != 0 {
		t.Errorf("PruneChecks(before the first) = %d, want 0", n)
	}
	// Before minute 5: minutes 0…4 of both watches; minute 5 itself stays,
	// and so does a check 1µs after minute 4 (the precision the engines
	// keep: a time within a microsecond counts as its start).
	record(t, s, healthResult(idle.ID, store.OutcomeUnchanged, 4, 0))
	r := plainResult(idle.ID, store.OutcomeUnchanged, 4*time.Minute)
	r.StartedAt = r.StartedAt.Add(time.Microsecond)
	record(t, s, r)
	before := base().Add(4*time.Minute + time.Microsecond + 999*time.Nanosecond)
	if n := pruneChecks(t, s, before); n != 11 {
		t.Errorf("PruneChecks(minute 4 + 1.999µs) = %d, want 11 (5 of each watch and 1 of idle)", n)
	}
	if d := diff([]int{9, 8, 7, 6, 5}, checkTimes(t, s, a.ID)); d != "" {
		t.Errorf("a's checks after pruning, in minutes (-want +got):\n%s", d)
	}
	if d := diff([]int{9, 8, 7, 6, 5}, checkTimes(t, s, b.ID)); d != "" {
		t.Errorf("b's checks after pruning, in minutes (-want +got):\n%s", d)
	}
	if cs, err := s.Checks(ctx, idle.ID, 0); err != nil || len(cs) != 1 || !cs[0].StartedAt.Equal(r.StartedAt) {
		t.Errorf("idle's checks after pruning = %+v, %v; want the one 1µs after minute 4", cs, err)
	}

	// Nothing else changed.
	if d := diff(stateA, getWatch(t, s, a.ID).State); d != "" {
		t.Errorf("a's state changed by PruneChecks (-before +after):\n%s", d)
	}
	if d := diff(stateB, getWatch(t, s, b.ID).State); d != "" {
		t.Errorf("b's state changed by PruneChecks (-before +after):\n%s", d)
	}
	if d := diff(eventsA, events(t, s, a.ID, 0)); d != "" {
		t.Errorf("a's events changed by PruneChecks (-before +after):\n%s", d)
	}
	if got, err := s.Revisions(ctx, a.ID); err != nil {
		t.Errorf("Revisions(a) after PruneChecks: %v", err)
	} else if d := diff(revsA, got); d != "" {
		t.Errorf("a's revisions changed by PruneChecks (-before +after):\n%s", d)
	}
	if rev, err := s.Revision(ctx, a.ID, 1); err != nil || rev.Text != "text 0" {
		t.Errorf("Revision(a, 1) after its check was pruned = %q, %v; want the text kept", rev.Text, err)
	}
	if wc, err := s.CountWatches(ctx, 3); err != nil || wc.Checks != 11 || wc.Revisions != 4 {
		t.Errorf("CountWatches after pruning = %+v, %v; want 11 checks and 4 revisions", wc, err)
	}

	// Again: nothing left to delete. Then everything: the lists are empty,
	// not errors, and checks go on.
	if n := pruneChecks(t, s, before); n != 0 {
		t.Errorf("PruneChecks again = %d, want 0", n)
	}
	if n := pruneChecks(t, s, base().Add(24*time.Hour)); n != 11 {
		t.Errorf("PruneChecks(all) = %d, want 11", n)
	}
	if cs, err := s.Checks(ctx, a.ID, 0); err != nil || len(cs) != 0 {
		t.Errorf("Checks(a) after pruning all = %v, %v; want none, nil", cs, err)
	}
	c := record(t, s, healthResult(a.ID, store.OutcomeChanged, 30, 3))
	if c.RevisionSeq != 3 {
		t.Errorf("RecordCheck after pruning all checks: RevisionSeq = %d, want 3", c.RevisionSeq)
	}
	if d := diff([]int{30}, checkTimes(t, s, a.ID)); d != "" {
		t.Errorf("a's checks after one more (-want +got):\n%s", d)
	}
}

// history gives a new watch for url n revisions, seq i+1 fetched at
// base + i hours + 1s (revisionResult's fetch time), each followed by an
// unchanged check; it returns the watch as stored.
func history(t *testing.T, s store.Store, url string, n int) store.Watch {
	t.Helper()
	w := addWatch(t, s, url)
	for i := range n {
		outcome := store.OutcomeChanged
		if i == 0 {
			outcome = store.OutcomeNew
		}
		record(t, s, revisionResult(w.ID, outcome, time.Duration(i)*time.Hour, fmt.Sprint("rev ", i+1)))
		record(t, s, plainResult(w.ID, store.OutcomeUnchanged, time.Duration(i)*time.Hour+time.Minute))
	}
	return getWatch(t, s, w.ID)
}

// seqs returns the sequence numbers of the stored revisions of watch id,
// oldest first.
func seqs(t *testing.T, s store.Store, id int64) []int {
	t.Helper()
	rs, err := s.Revisions(t.Context(), id)
	if err != nil {
		t.Fatalf("Revisions(%d): %v", id, err)
	}
	out := []int{}
	for _, r := range rs {
		out = append(out, r.Seq)
	}
	return out
}

// testPruneRevisions: PruneRevisions deletes the revisions outside every
// limit set, never the first nor the newest, without renumbering; the
// state, LatestRevision, the checks and the next sequence number are
// unchanged.
func testPruneRevisions(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Ten revisions, fetched at base+0h+1s … base+9h+1s; now is the newest.
	now := base().Add(9*time.Hour + time.Second)
	tests := []struct {
		name string
		keep store.Keep
		want []int // the revisions kept
	}{
		{"neither limit", store.Keep{Now: now}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"neither limit, no now", store.Keep{}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"count 3", store.Keep{Count: 3}, []int{1, 8, 9, 10}},
		{"count 3, now ignored", store.Keep{Count: 3, Now: now}, []int{1, 8, 9, 10}},
		{"count 1", store.Keep{Count: 1}, []int{1, 10}},
		{"count 9", store.Keep{Count: 9}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"count 50", store.Keep{Count: 50}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"age 3h", store.Keep{Age: 3 * time.Hour, Now: now}, []int{1, 7, 8, 9, 10}},
		{"age 3h less 1µs", store.Keep{Age: 3*time.Hour - time.Microsecond, Now: now}, []int{1, 8, 9, 10}},
		{"age 3h, now in another zone", store.Keep{Age: 3 * time.Hour, Now: now.In(time.FixedZone("X", 9*3600))}, []int{1, 7, 8, 9, 10}},
		{"age 1ns a day later", store.Keep{Age: time.Nanosecond, Now: now.Add(24 * time.Hour)}, []int{1, 10}},
		{"age covering all", store.Keep{Age: 48 * time.Hour, Now: now}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"count 2 or age 5h", store.Keep{Count: 2, Age: 5 * time.Hour, Now: now}, []int{1, 5, 6, 7, 8, 9, 10}},
		{"count 6 or age 1h", store.Keep{Count: 6, Age: time.Hour, Now: now}, []int{1, 5, 6, 7, 8, 9, 10}},
		{"count 1 or age 1ns", store.Keep{Count: 1, Age: time.Nanosecond, Now: now.Add(time.Hour)}, []int{1, 10}},
	}
	for i, tt := range tests {
		w := history(t, s, fmt.Sprint("https://example.com/prune-revisions/", i), 10)
		latest, err := s.LatestRevision(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.Revisions(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		checks, err := s.Checks(ctx, w.ID, 0)
		if err != nil {
			t.Fatal(err)
		}

		n, err := s.PruneRevisions(ctx, w.ID, tt.keep)
		if err != nil {
			t.Fatalf("%s: PruneRevisions: %v", tt.name, err)
		}
		if want := int64(10 - len(tt.want)); n != want {
			t.Errorf("%s: PruneRevisions = %d, want %d", tt.name, n, want)
		}
		if d := diff(tt.want, seqs(t, s, w.ID)); d != "" {
			t.Errorf("%s: revisions kept (-want +got):\n%s", tt.name, d)
		}
		// The ones kept are unchanged, numbers included.
		var kept []store.Revision
		for _, r := range all {
			for _, seq := range tt.want {
				if r.Seq == seq {
					kept = append(kept, r)
				}
			}
		}
		if got, err := s.Revisions(ctx, w.ID); err != nil {
			t.Errorf("%s: Revisions: %v", tt.name, err)
		} else if d := diff(kept, got); d != "" {
			t.Errorf("%s: Revisions after pruning (-want +got):\n%s", tt.name, d)
		}
		if got, err := s.LatestRevision(ctx, w.ID); err != nil {
			t.Errorf("%s: LatestRevision: %v", tt.name, err)
		} else if d := diff(latest, got); d != "" {
			t.Errorf("%s: LatestRevision changed (-before +after):\n%s", tt.name, d)
		}
		if first, err := s.Revision(ctx, w.ID, 1); err != nil || first.Text != "rev 1" {
			t.Errorf("%s: Revision(1) = %q, %v; want the first kept", tt.name, first.Text, err)
		}
		for seq := 2; seq < 10; seq++ {
			_, err := s.Revision(ctx, w.ID, seq)
			if slices.Contains(tt.want, seq) {
				if err != nil {
					t.Errorf("%s: Revision(%d) kept: %v", tt.name, seq, err)
				}
			} else {
				wantNotFound(t, fmt.Sprintf("%s: Revision(%d) pruned", tt.name, seq), err)
			}
		}
		if d := diff(w.State, getWatch(t, s, w.ID).State); d != "" {
			t.Errorf("%s: state changed by PruneRevisions (-before +after):\n%s", tt.name, d)
		}
		// Checks keep naming the revisions they recorded.
		if got, err := s.Checks(ctx, w.ID, 0); err != nil {
			t.Errorf("%s: Checks: %v", tt.name, err)
		} else if d := diff(checks, got); d != "" {
			t.Errorf("%s: checks changed by PruneRevisions (-before +after):\n%s", tt.name, d)
		}
		// The next revision follows the newest ever recorded.
		if c := record(t, s, revisionResult(w.ID, store.OutcomeChanged, 10*time.Hour, "rev 11")); c.RevisionSeq != 11 {
			t.Errorf("%s: next RevisionSeq = %d, want 11", tt.name, c.RevisionSeq)
		}
		if n, err := s.PruneRevisions(ctx, w.ID, store.Keep{}); err != nil || n != 0 {
			t.Errorf("%s: PruneRevisions(keep all) afterwards = %d, %v; want 0", tt.name, n, err)
		}
	}
}

// testPruneRevisionsEdges: short histories, other watches, repeated
// pruning, and refused settings.
func testPruneRevisionsEdges(t *testing.T, s store.Store) {
	ctx := t.Context()
	prune := func(w store.Watch, keep store.Keep) int64 {
		t.Helper()
		n, err := s.PruneRevisions(ctx, w.ID, keep)
		if err != nil {
			t.Fatalf("PruneRevisions(%s, %+v): %v", w.URL, keep, err)
		}
		return n
	}
	strict := store.Keep{Count: 1, Age: time.Nanosecond, Now: base().Add(1000 * time.Hour)}

	none := addWatch(t, s, "https://example.com/prune/none")
	if n := prune(none, strict); n != 0 {
		t.Errorf("PruneRevisions(no revisions) = %d, want 0", n)
	}
	for _, n := range []int{1, 2} {
		w := history(t, s, fmt.Sprint("https://example.com/prune/short-", n), n)
		if got := prune(w, strict); got != 0 {
			t.Errorf("PruneRevisions(%d revisions) = %d, want 0: the first and the newest stay", n, got)
		}
	}

	w := history(t, s, "https://example.com/prune/long", 6)
	other := history(t, s, "https://example.com/prune/other", 6)
	if n := prune(w, store.Keep{Count: 3}); n != 2 {
		t.Errorf("PruneRevisions(count 3) = %d, want 2", n)
	}
	if n := prune(w, store.Keep{Count: 3}); n != 0 {
		t.Errorf("PruneRevisions(count 3) again = %d, want 0", n)
	}
	// The newest 2 of what is stored (1, 4, 5, 6): 4 goes.
	if n := prune(w, store.Keep{Count: 2}); n != 1 {
		t.Errorf("PruneRevisions(count 2) after count 3 = %d, want 1", n)
	}
	if d := diff([]int{1, 5, 6}, seqs(t, s, w.ID)); d != "" {
		t.Errorf("revisions after count 3 then 2 (-want +got):\n%s", d)
	}
	if d := diff([]int{1, 2, 3, 4, 5, 6}, seqs(t, s, other.ID)); d != "" {
		t.Errorf("another watch's revisions after pruning (-want +got):\n%s", d)
	}
	if wc, err := s.CountWatches(ctx, 3); err != nil || wc.Revisions != 3+6+1+2 {
		t.Errorf("CountWatches.Revisions after pruning = %d, %v; want %d", wc.Revisions, err, 3+6+1+2)
	}

	for _, keep := range []store.Keep{{Count: -1}, {Age: -time.Hour, Now: base()}, {Age: time.Hour}, {Count: 1, Age: time.Hour}} {
		if n, err := s.PruneRevisions(ctx, other.ID, keep); err == nil {
			t.Errorf("PruneRevisions(%+v) = %d, nil error; want a refusal", keep, n)
		}
	}
	if d := diff([]int{1, 2, 3, 4, 5, 6}, seqs(t, s, other.ID)); d != "" {
		t.Errorf("revisions after refused prunings (-want +got):\n%s", d)
	}
}
