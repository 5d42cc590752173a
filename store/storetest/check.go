package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

func testRecordCheckSequence(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/seq")

	// new: revision 1, of an article published a year before.
	r1 := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r1.Published = base().AddDate(-1, 0, 0)
	c1 := record(t, s, r1)
	wantCheck := store.Check{ID: c1.ID, WatchID: w.ID, StartedAt: r1.StartedAt, Duration: r1.Duration,
		Outcome: store.OutcomeNew, HTTPStatus: 200, RevisionSeq: 1}
	if d := diff(wantCheck, c1); d != "" {
		t.Errorf("RecordCheck(new) returned (-want +got):\n%s", d)
	}
	wantState := store.WatchState{ETag: r1.ETag, LastModified: r1.LastModified, BodyHash: r1.BodyHash,
		LastCheckAt: r1.StartedAt, LastChangeAt: r1.Revision.FetchedAt, Revisions: 1, Published: r1.Published}
	if d := diff(wantState, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after new (-want +got):\n%s", d)
	}

	// unchanged: no revision, validators replaced; a Published without a
	// revision is ignored.
	r2 := plainResult(w.ID, store.OutcomeUnchanged, time.Hour)
	r2.Published = base()
	if c := record(t, s, r2); c.RevisionSeq != 0 || c.Outcome != store.OutcomeUnchanged {
		t.Errorf("RecordCheck(unchanged) = %+v, want RevisionSeq 0", c)
	}
	wantState.ETag, wantState.LastModified, wantState.BodyHash = r2.ETag, r2.LastModified, r2.BodyHash
	wantState.LastCheckAt = r2.StartedAt
	if d := diff(wantState, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after unchanged (-want +got):\n%s", d)
	}

	// not-modified: no revision, validators kept even though r3 has none.
	r3 := plainResult(w.ID, store.OutcomeNotModified, 2*time.Hour)
	record(t, s, r3)
	wantState.LastCheckAt = r3.StartedAt
	if d := diff(wantState, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after not-modified (-want +got):\n%s", d)
	}

	// changed: revision 2, whose page gives no date any more.
	r4 := revisionResult(w.ID, store.OutcomeChanged, 3*time.Hour, "two")
	if c := record(t, s, r4); c.RevisionSeq != 2 {
		t.Errorf("RecordCheck(changed).RevisionSeq = %d, want 2", c.RevisionSeq)
	}
	wantState = store.WatchState{ETag: r4.ETag, LastModified: r4.LastModified, BodyHash: r4.BodyHash,
		LastCheckAt: r4.StartedAt, LastChangeAt: r4.Revision.FetchedAt, Revisions: 2}
	if d := diff(wantState, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after changed (-want +got):\n%s", d)
	}

	latest, err := s.LatestRevision(ctx, w.ID)
	if err != nil {
		t.Fatalf("LatestRevision: %v", err)
	}
	want := *r4.Revision
	want.WatchID, want.Seq = w.ID, 2
	if d := diff(want, latest); d != "" {
		t.Errorf("LatestRevision (-want +got):\n%s", d)
	}
	first, err := s.Revision(ctx, w.ID, 1)
	if err != nil {
		t.Fatalf("Revision(1): %v", err)
	}
	want = *r1.Revision
	want.WatchID, want.Seq = w.ID, 1
	if d := diff(want, first); d != "" {
		t.Errorf("Revision(1) (-want +got):\n%s", d)
	}

	cs, err := s.Checks(ctx, w.ID, 0)
	if err != nil {
		t.Fatalf("Checks: %v", err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, fmt.Sprintf("%s:%d", c.Outcome, c.RevisionSeq))
	}
	if d := diff([]string{"changed:2", "not-modified:0", "unchanged:0", "new:1"}, got); d != "" {
		t.Errorf("Checks outcomes (-want +got):\n%s", d)
	}

	// changed by an upgrade of the extraction: revision 3, but the page's
	// last change stays revision 2's.
	r5 := revisionResult(w.ID, store.OutcomeChanged, 4*time.Hour, "three")
	r5.Revision.Class = store.ClassExtractorUpdate
	if c := record(t, s, r5); c.RevisionSeq != 3 {
		t.Errorf("RecordCheck(extractor update).RevisionSeq = %d, want 3", c.RevisionSeq)
	}
	wantState = store.WatchState{ETag: r5.ETag, LastModified: r5.LastModified, BodyHash: r5.BodyHash,
		LastCheckAt: r5.StartedAt, LastChangeAt: r4.Revision.FetchedAt, Revisions: 3}
	if d := diff(wantState, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after an extractor update (-want +got):\n%s", d)
	}
}

func testRecordCheckErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/flaky")
	r1 := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	record(t, s, r1)
	good := getWatch(t, s, w.ID).State

	e1 := plainResult(w.ID, store.OutcomeError, time.Hour)
	c := record(t, s, e1)
	if c.RevisionSeq != 0 || c.Error != e1.Error || c.HTTPStatus != 503 {
		t.Errorf("RecordCheck(error) = %+v, want no revision, the error and status 503", c)
	}
	e2 := plainResult(w.ID, store.OutcomeError, 2*time.Hour)
	e2.Error, e2.HTTPStatus = "dial tcp: connection refused", 0
	record(t, s, e2)

	want := good
	want.LastCheckAt, want.LastError, want.ConsecutiveErrors = e2.StartedAt, e2.Error, 2
	if d := diff(want, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after two errors (-want +got):\n%s", d)
	}
	if rs, err := s.Revisions(ctx, w.ID); err != nil || len(rs) != 1 {
		t.Errorf("Revisions after errors = %d, %v; want 1 (errors store no revision)", len(rs), err)
	}

	// A 304 is a good check: errors reset, validators kept.
	nm := plainResult(w.ID, store.OutcomeNotModified, 3*time.Hour)
	record(t, s, nm)
	want = good
	want.LastCheckAt = nm.StartedAt
	if d := diff(want, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after not-modified (-want +got):\n%s", d)
	}

	// Another error, then a change: reset, and the next revision is 2.
	record(t, s, plainResult(w.ID, store.OutcomeError, 4*time.Hour))
	r2 := revisionResult(w.ID, store.OutcomeChanged, 5*time.Hour, "two")
	if c := record(t, s, r2); c.RevisionSeq != 2 {
		t.Errorf("RecordCheck(changed after error).RevisionSeq = %d, want 2", c.RevisionSeq)
	}
	got := getWatch(t, s, w.ID).State
	if got.ConsecutiveErrors != 0 || got.LastError != "" || got.Revisions != 2 || got.ETag != r2.ETag {
		t.Errorf("state after recovery = %+v, want errors reset, 2 revisions, ETag %s", got, r2.ETag)
	}
}

// testRecordCheckFlapping: a change that did not reproduce on confirmation
// stores a check row but no revision, resets the errors (the fetch worked),
// keeps the validators (so the next check extracts again) and counts the
// flap.
func testRecordCheckFlapping(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/flapping")
	r1 := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	record(t, s, r1)
	record(t, s, plainResult(w.ID, store.OutcomeError, time.Hour))
	good := getWatch(t, s, w.ID).State
	if good.ConsecutiveErrors != 1 || good.LastError == "" || good.Flaps != 0 {
		t.Fatalf("state before flapping = %+v, want one error and no flap", good)
	}

	f1 := plainResult(w.ID, store.OutcomeFlapping, 2*time.Hour)
	c := record(t, s, f1)
	wantCheck := store.Check{ID: c.ID, WatchID: w.ID, StartedAt: f1.StartedAt, Duration: f1.Duration,
		Outcome: store.OutcomeFlapping, HTTPStatus: f1.HTTPStatus}
	if d := diff(wantCheck, c); d != "" {
		t.Errorf("RecordCheck(flapping) returned (-want +got):\n%s", d)
	}
	want := store.WatchState{ETag: r1.ETag, LastModified: r1.LastModified, BodyHash: r1.BodyHash,
		LastCheckAt: f1.StartedAt, LastChangeAt: r1.Revision.FetchedAt, Revisions: 1, Flaps: 1}
	if d := diff(want, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after flapping (-want +got):\n%s", d)
	}
	if rs, err := s.Revisions(ctx, w.ID); err != nil || len(rs) != 1 {
		t.Errorf("Revisions after flapping = %d, %v; want 1 (a flap stores no revision)", len(rs), err)
	}
	if latest, err := s.LatestRevision(ctx, w.ID); err != nil || latest.Seq != 1 || latest.Text != "one" {
		t.Errorf("LatestRevision after flapping = seq %d %q, %v; want revision 1", latest.Seq, latest.Text, err)
	}
	cs, err := s.Checks(ctx, w.ID, 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Checks = %v, %v", cs, err)
	}
	if d := diff(c, cs[0]); d != "" {
		t.Errorf("Checks[0] after flapping (-want +got):\n%s", d)
	}

	// The counter only grows; other outcomes leave it alone.
	f2 := plainResult(w.ID, store.OutcomeFlapping, 3*time.Hour)
	record(t, s, f2)
	record(t, s, plainResult(w.ID, store.OutcomeError, 4*time.Hour))
	record(t, s, plainResult(w.ID, store.OutcomeNotModified, 5*time.Hour))
	record(t, s, plainResult(w.ID, store.OutcomeUnchanged, 6*time.Hour))
	r2 := revisionResult(w.ID, store.OutcomeChanged, 7*time.Hour, "two")
	if c := record(t, s, r2); c.RevisionSeq != 2 {
		t.Errorf("RecordCheck(changed after flaps).RevisionSeq = %d, want 2", c.RevisionSeq)
	}
	want = store.WatchState{ETag: r2.ETag, LastModified: r2.LastModified, BodyHash: r2.BodyHash,
		LastCheckAt: r2.StartedAt, LastChangeAt: r2.Revision.FetchedAt, Revisions: 2, Flaps: 2}
	if d := diff(want, getWatch(t, s, w.ID).State); d != "" {
		t.Errorf("state after two flaps and a change (-want +got):\n%s", d)
	}

	// Flaps is per watch, and ListWatches returns it too.
	other := addWatch(t, s, "https://example.com/steady")
	ws, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil || len(ws) != 2 {
		t.Fatalf("ListWatches = %v, %v", ws, err)
	}
	if ws[0].State.Flaps != 2 || ws[1].ID != other.ID || ws[1].State.Flaps != 0 {
		t.Errorf("ListWatches Flaps = %d, %d; want 2, 0", ws[0].State.Flaps, ws[1].State.Flaps)
	}
}

func testRecordCheckInvalid(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/invalid")
	withRevision := func(o store.Outcome) store.CheckResult {
		r := revisionResult(w.ID, store.OutcomeNew, 0, "x")
		r.Outcome = o
		if o == store.OutcomeError {
			r.Error = "boom"
		}
		return r
	}
	noRevision := func(o store.Outcome) store.CheckResult {
		r := plainResult(w.ID, store.OutcomeUnchanged, 0)
		r.Outcome = o
		return r
	}
	tests := map[string]store.CheckResult{
		"new without revision":       noRevision(store.OutcomeNew),
		"changed without revision":   noRevision(store.OutcomeChanged),
		"unchanged with revision":    withRevision(store.OutcomeUnchanged),
		"not-modified with revision": withRevision(store.OutcomeNotModified),
		"error with revision":        withRevision(store.OutcomeError),
		"error without message":      noRevision(store.OutcomeError),
		"flapping with revision":     withRevision(store.OutcomeFlapping),
		"flapping with message": func() store.CheckResult {
			r := noRevision(store.OutcomeFlapping)
			r.Error = "did not reproduce"
			return r
		}(),
		"unknown outcome": noRevision("sideways"),
		"negative failing-after": func() store.CheckResult {
			r := noRevision(store.OutcomeError)
			r.Error, r.FailingAfter = "boom", -1
			return r
		}(),
		"block selector not UTF-8": func() store.CheckResult {
			r := noRevision(store.OutcomeUnchanged)
			r.Blocks = []store.BlockStat{{Selector: "main", Hash: "h", Seen: 1}, {Selector: "p.\xff", Hash: "h"}}
			return r
		}(),
		"block hash not UTF-8": func() store.CheckResult {
			r := withRevision(store.OutcomeNew)
			r.Blocks = []store.BlockStat{{Selector: "main", Hash: "\xc3(", Seen: 1}}
			return r
		}(),
		"revision with invalid JSON doc": func() store.CheckResult {
			r := withRevision(store.OutcomeNew)
			r.Revision.Document = []byte(`{"unterminated": `)
			return r
		}(),
	}
	for name, r := range tests {
		if _, err := s.RecordCheck(ctx, r); err == nil {
			t.Errorf("RecordCheck(%s) = nil error, want a refusal", name)
		}
	}
	if got := getWatch(t, s, w.ID).State; !zeroState(got) {
		t.Errorf("refused checks changed the state to %+v", got)
	}
	if cs, err := s.Checks(ctx, w.ID, 0); err != nil || len(cs) != 0 {
		t.Errorf("refused checks left %d check rows (err %v), want none", len(cs), err)
	}
	if rs, err := s.Revisions(ctx, w.ID); err != nil || len(rs) != 0 {
		t.Errorf("refused checks left %d revisions (err %v), want none", len(rs), err)
	}
	if evs, err := s.Events(ctx, w.ID, 0); err != nil || len(evs) != 0 {
		t.Errorf("refused checks left %d events (err %v), want none", len(evs), err)
	}
}

func testRecordCheckMissingWatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	gone := addWatch(t, s, "https://example.com/gone")
	if err := s.DeleteWatch(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.CheckResult{
		revisionResult(gone.ID, store.OutcomeNew, 0, "orphan"),
		plainResult(gone.ID, store.OutcomeError, 0),
		revisionResult(gone.ID+1000, store.OutcomeNew, 0, "orphan"),
	} {
		_, err := s.RecordCheck(ctx, r)
		wantNotFound(t, fmt.Sprintf("RecordCheck(watch %d)", r.WatchID), err)
	}
	// Nothing was stored anywhere: the remaining watch has no history either.
	w := addWatch(t, s, "https://example.com/present")
	if cs, err := s.Checks(ctx, w.ID, 0); err != nil || len(cs) != 0 {
		t.Errorf("Checks = %v, %v; want none", cs, err)
	}
	ws, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil || len(ws) != 1 || !zeroState(ws[0].State) {
		t.Errorf("ListWatches = %+v, %v; want one untouched watch", ws, err)
	}
}

func testChecksNewestFirst(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/checks")
	other := addWatch(t, s, "https://example.com/other")
	var want []store.Check
	// Recorded out of order: StartedAt decides what is newest.
	for _, i := range []int{2, 0, 4, 1, 3} {
		r := plainResult(w.ID, store.OutcomeUnchanged, time.Duration(i)*time.Minute)
		r.Duration = time.Duration(i+1)*time.Second + 250*time.Microsecond
		r.HTTPStatus = 200 + i
		want = append(want, record(t, s, r))
		record(t, s, plainResult(other.ID, store.OutcomeError, time.Duration(i)*time.Minute))
	}
	sort.Slice(want, func(i, j int) bool { return want[i].StartedAt.After(want[j].StartedAt) })

	for _, limit := range []int{0, -1, 3, 5, 10} {
		got, err := s.Checks(ctx, w.ID, limit)
		if err != nil {
			t.Fatalf("Checks(limit %d): %v", limit, err)
		}
		n := len(want)
		if limit > 0 && limit < n {
			n = limit
		}
		if d := diff(want[:n], got); d != "" {
			t.Errorf("Checks(limit %d) (-want +got):\n%s", limit, d)
		}
	}

	// Same StartedAt: the one recorded last comes first.
	w2 := addWatch(t, s, "https://example.com/ties")
	a := record(t, s, plainResult(w2.ID, store.OutcomeUnchanged, 0))
	b := record(t, s, plainResult(w2.ID, store.OutcomeNotModified, 0))
	got, err := s.Checks(ctx, w2.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
		t.Errorf("Checks with equal start times = %+v, want check %d then %d", got, b.ID, a.ID)
	}
}

// testConcurrentRecordCheckFailures: calls that fail (a deleted watch, a
// done context) among many at once fail alone: every other call's check is
// stored whole, and theirs leave nothing behind.
func testConcurrentRecordCheckFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	gone := addWatch(t, s, "https://example.com/deleted")
	if err := s.DeleteWatch(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	const workers, each = 8, 6
	ws := make([]store.Watch, workers)
	for g := range ws {
		ws[g] = addWatch(t, s, fmt.Sprintf("https://example.com/worker/%d", g))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for g, w := range ws {
		wg.Go(func() {
			for i := range each {
				at := time.Duration(i) * time.Minute
				r := plainResult(w.ID, store.OutcomeUnchanged, at)
				if i%2 == 1 {
					r = revisionResult(w.ID, store.OutcomeChanged, at, fmt.Sprintf("g%d-i%d", g, i))
				}
				_, err := s.RecordCheck(ctx, r)
				_, goneErr := s.RecordCheck(ctx, plainResult(gone.ID, store.OutcomeUnchanged, at))
				_, doneErr := s.RecordCheck(done, plainResult(w.ID, store.OutcomeError, at+time.Second))
				mu.Lock()
				errs = append(errs, err)
				if !errors.Is(goneErr, store.ErrNotFound) {
					errs = append(errs, fmt.Errorf("check of the deleted watch: %w, want ErrNotFound", goneErr))
				}
				if doneErr == nil {
					errs = append(errs, errors.New("check with a done context: no error"))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for g, w := range ws {
		cs, err := s.Checks(ctx, w.ID, 0)
		if err != nil || len(cs) != each {
			t.Errorf("worker %d: %d checks, %v; want its %d", g, len(cs), err, each)
		}
		for _, c := range cs {
			if c.Outcome == store.OutcomeError {
				t.Errorf("worker %d: the check with a done context was stored: %+v", g, c)
			}
		}
		st := getWatch(t, s, w.ID).State
		if st.Revisions != each/2 || st.ConsecutiveErrors != 0 {
			t.Errorf("worker %d: %d revisions, %d errors; want %d, 0", g, st.Revisions, st.ConsecutiveErrors, each/2)
		}
	}
}

func testConcurrentRecordCheck(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/busy")
	bystander := addWatch(t, s, "https://example.com/bystander")
	const workers, each = 8, 5

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seqs []int
		errs []error
	)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				r := revisionResult(w.ID, store.OutcomeChanged, time.Duration(g*each+i)*time.Second, fmt.Sprintf("g%d-i%d", g, i))
				c, err := s.RecordCheck(ctx, r)
				// Reads and other watches' writes go on meanwhile.
				_, rerr := s.Watch(ctx, w.ID)
				_, berr := s.RecordCheck(ctx, plainResult(bystander.ID, store.OutcomeUnchanged, 0))
				mu.Lock()
				seqs = append(seqs, c.RevisionSeq)
				errs = append(errs, err, rerr, berr)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent RecordCheck: %v", err)
	}
	sort.Ints(seqs)
	for i, seq := range seqs {
		if seq != i+1 {
			t.Fatalf("revision numbers = %v, want 1…%d each once", seqs, workers*each)
		}
	}
	rs, err := s.Revisions(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != workers*each {
		t.Errorf("Revisions = %d, want %d", len(rs), workers*each)
	}
	st := getWatch(t, s, w.ID).State
	if st.Revisions != workers*each {
		t.Errorf("State.Revisions = %d, want %d", st.Revisions, workers*each)
	}
	if cs, err := s.Checks(ctx, w.ID, 0); err != nil || len(cs) != workers*each {
		t.Errorf("Checks = %d, %v; want %d", len(cs), err, workers*each)
	}
	// Every stored revision kept its own text.
	for _, r := range rs {
		full, err := s.Revision(ctx, w.ID, r.Seq)
		if err != nil {
			t.Fatal(err)
		}
		if full.ContentHash != "hash-"+full.Text {
			t.Errorf("revision %d: text %q does not match its hash %q", r.Seq, full.Text, full.ContentHash)
		}
	}
}

func testTimesUTC(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC+05:30", 5*3600+1800)
	created := time.Date(2024, 2, 29, 23, 59, 58, 987_000_000, zone)
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/tz", CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2025, 12, 31, 23, 0, 0, 1_000_000, zone)
	r := revisionResult(w.ID, store.OutcomeNew, 0, "tz")
	r.StartedAt = started
	r.Revision.FetchedAt = started.Add(1500 * time.Millisecond)
	c := record(t, s, r)

	got := getWatch(t, s, w.ID)
	rev, err := s.LatestRevision(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, w.ID)
	if err != nil || len(revs) != 1 {
		t.Fatalf("Revisions = %v, %v", revs, err)
	}
	cs, err := s.Checks(ctx, w.ID, 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Checks = %v, %v", cs, err)
	}
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"AddWatch CreatedAt", w.CreatedAt, created},
		{"Watch CreatedAt", got.CreatedAt, created},
		{"LastCheckAt", got.State.LastCheckAt, started},
		{"LastChangeAt", got.State.LastChangeAt, r.Revision.FetchedAt},
		{"Revision FetchedAt", rev.FetchedAt, r.Revision.FetchedAt},
		{"Revisions FetchedAt", revs[0].FetchedAt, r.Revision.FetchedAt},
		{"RecordCheck StartedAt", c.StartedAt, started},
		{"Checks StartedAt", cs[0].StartedAt, started},
	}
	for _, tt := range times {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
		if tt.got.Location() != time.UTC {
			t.Errorf("%s location = %v, want UTC", tt.name, tt.got.Location())
		}
	}
	// Unset times stay zero.
	fresh := addWatch(t, s, "https://example.com/fresh")
	if st := getWatch(t, s, fresh.ID).State; !st.LastCheckAt.IsZero() || !st.LastChangeAt.IsZero() {
		t.Errorf("unchecked watch: LastCheckAt = %v, LastChangeAt = %v; want zero", st.LastCheckAt, st.LastChangeAt)
	}
}
