package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// claim calls ClaimDue, failing the test on error.
func claim(t *testing.T, s store.Store, owner string, now time.Time, limit int, lease time.Duration) []store.Watch {
	t.Helper()
	ws, err := s.ClaimDue(t.Context(), owner, now, limit, lease)
	if err != nil {
		t.Fatalf("ClaimDue(%s, %v, %d, %v): %v", owner, now, limit, lease, err)
	}
	return ws
}

// setNext calls SetNextCheck, failing the test on error.
func setNext(t *testing.T, s store.Store, id int64, next time.Time) {
	t.Helper()
	if err := s.SetNextCheck(t.Context(), id, next); err != nil {
		t.Fatalf("SetNextCheck(%d, %v): %v", id, next, err)
	}
}

// ids returns the IDs of ws, in order; never nil, so that it compares with
// a literal list.
func ids(ws []store.Watch) []int64 {
	out := []int64{}
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

// setPaused pauses or un-pauses watch w through UpdateWatch.
func setPaused(t *testing.T, s store.Store, w store.Watch, paused bool) {
	t.Helper()
	w = getWatch(t, s, w.ID)
	w.Paused = paused
	if err := s.UpdateWatch(t.Context(), w); err != nil {
		t.Fatalf("UpdateWatch(paused %v): %v", paused, err)
	}
}

// wantLease fails the test unless watch id is held by owner until until
// (no lease when owner is empty) and next due at next (zero: never
// scheduled).
func wantLease(t *testing.T, s store.Store, id int64, step, owner string, until, next time.Time) {
	t.Helper()
	st := getWatch(t, s, id).State
	if st.LeaseOwner != owner || !st.LeaseExpiresAt.Equal(until) || !st.NextCheckAt.Equal(next) {
		t.Errorf("%s: watch %d lease %q until %v, next check %v; want %q until %v, next check %v",
			step, id, st.LeaseOwner, st.LeaseExpiresAt, st.NextCheckAt, owner, until, next)
	}
}

// wantLeaseLost fails the test unless err wraps store.ErrLeaseLost and
// names watch id.
func wantLeaseLost(t *testing.T, what string, id int64, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("%s: error = %v, want one wrapping store.ErrLeaseLost", what, err)
		return
	}
	if name := fmt.Sprint("watch ", id); !strings.Contains(err.Error(), name) {
		t.Errorf("%s: error %q does not name %s", what, err, name)
	}
}

// testScheduleRoundTrip: Schedule is stored as given by AddWatch and
// UpdateWatch and returned by every method that returns watches; AddWatch
// and UpdateWatch ignore the scheduling state and UpdateWatch keeps it.
func testScheduleRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	in := store.Watch{URL: "https://example.com/scheduled", Schedule: "*/15 * * * *",
		State: store.WatchState{NextCheckAt: now, LeaseOwner: "ignored", LeaseExpiresAt: now}}
	w, err := s.AddWatch(ctx, in)
	if err != nil {
		t.Fatalf("AddWatch: %v", err)
	}
	if w.Schedule != in.Schedule || !zeroState(w.State) {
		t.Errorf("AddWatch returned Schedule %q, State %+v; want %q and a zero state", w.Schedule, w.State, in.Schedule)
	}
	plain := addWatch(t, s, "https://example.com/default-schedule")
	wantSchedules := func(step string, want map[int64]string) {
		t.Helper()
		for id, sched := range want {
			if got := getWatch(t, s, id); got.Schedule != sched {
				t.Errorf("%s: Watch(%d).Schedule = %q, want %q", step, id, got.Schedule, sched)
			}
		}
		byURL, err := s.WatchByURL(ctx, w.URL)
		if err != nil || byURL.Schedule != want[w.ID] {
			t.Errorf("%s: WatchByURL Schedule = %q, %v; want %q", step, byURL.Schedule, err, want[w.ID])
		}
		ws, err := s.ListWatches(ctx, store.WatchFilter{})
		if err != nil || len(ws) != len(want) {
			t.Fatalf("%s: ListWatches = %d watches, %v; want %d", step, len(ws), err, len(want))
		}
		for _, lw := range ws {
			if lw.Schedule != want[lw.ID] {
				t.Errorf("%s: ListWatches Schedule of watch %d = %q, want %q", step, lw.ID, lw.Schedule, want[lw.ID])
			}
		}
	}
	wantSchedules("after AddWatch", map[int64]string{w.ID: "*/15 * * * *", plain.ID: ""})
	if st := getWatch(t, s, w.ID).State; !zeroState(st) {
		t.Errorf("Watch after AddWatch: State = %+v, want zero (AddWatch ignores it)", st)
	}

	// UpdateWatch replaces the schedule and keeps the next check and the lease.
	setNext(t, s, w.ID, now.Add(-time.Minute))
	setNext(t, s, plain.ID, now.Add(time.Hour))
	if got := claim(t, s, "owner", now, 1, time.Hour); len(got) != 1 || got[0].ID != w.ID {
		t.Fatalf("ClaimDue = %v, want watch %d", ids(got), w.ID)
	}
	for _, sched := range []string{"@hourly", "adaptive", "", "not a schedule, kept as given ✓"} {
		upd := getWatch(t, s, w.ID)
		upd.Schedule = sched
		upd.State = store.WatchState{NextCheckAt: now.Add(time.Hour), LeaseOwner: "ignored"}
		if err := s.UpdateWatch(ctx, upd); err != nil {
			t.Fatalf("UpdateWatch(schedule %q): %v", sched, err)
		}
		wantSchedules(fmt.Sprintf("after UpdateWatch(%q)", sched), map[int64]string{w.ID: sched, plain.ID: ""})
		wantLease(t, s, w.ID, fmt.Sprintf("after UpdateWatch(%q)", sched), "owner", now.Add(time.Hour), now.Add(-time.Minute))
	}
}

// testClaimDueOrder: ClaimDue takes the due, unpaused, unleased watches,
// never-scheduled first, then by next check time, then by ID, at most limit
// of them, and returns each whole, leased.
func testClaimDueOrder(t *testing.T, s store.Store) {
	now := base()
	lease := 10 * time.Minute
	never1 := addWatch(t, s, "https://example.com/never-scheduled")
	minuteAgo := addWatch(t, s, "https://example.com/minute-ago")
	hourAgo1 := addWatch(t, s, "https://example.com/hour-ago")
	hourAgo2 := addWatch(t, s, "https://example.com/hour-ago-too")
	atNow := addWatch(t, s, "https://example.com/now")
	soon := addWatch(t, s, "https://example.com/soon")
	pausedNever := addWatch(t, s, "https://example.com/paused-never-scheduled")
	pausedOverdue := addWatch(t, s, "https://example.com/paused-overdue")
	never2 := addWatch(t, s, "https://example.com/never-scheduled-too")
	setNext(t, s, minuteAgo.ID, now.Add(-time.Minute))
	setNext(t, s, hourAgo1.ID, now.Add(-time.Hour))
	setNext(t, s, hourAgo2.ID, now.Add(-time.Hour))
	setNext(t, s, atNow.ID, now)
	setNext(t, s, soon.ID, now.Add(time.Millisecond))
	setNext(t, s, pausedOverdue.ID, now.Add(-2*time.Hour))
	setPaused(t, s, pausedNever, true)
	setPaused(t, s, pausedOverdue, true)
	// The state the claim returns is the whole state, checks included.
	r := revisionResult(hourAgo1.ID, store.OutcomeNew, -2*time.Hour, "checked")
	r.Blocks = sampleBlocks("checked")
	record(t, s, r)

	if n, err := s.CountDue(t.Context(), now); err != nil || n != 6 {
		t.Errorf("CountDue before claiming = %d, %v; want 6", n, err)
	}
	first := claim(t, s, "owner-1", now, 3, lease)
	if d := diff([]int64{never1.ID, never2.ID, hourAgo1.ID}, ids(first)); d != "" {
		t.Errorf("ClaimDue(limit 3) IDs (-want +got):\n%s", d)
	}
	second := claim(t, s, "owner-2", now, 10, lease)
	if d := diff([]int64{hourAgo2.ID, minuteAgo.ID, atNow.ID}, ids(second)); d != "" {
		t.Errorf("ClaimDue(limit 10) IDs (-want +got):\n%s", d)
	}
	for _, ws := range [][]store.Watch{first, second} {
		for _, w := range ws {
			if d := diff(getWatch(t, s, w.ID), w); d != "" {
				t.Errorf("ClaimDue returned watch %d unlike Watch (-Watch +ClaimDue):\n%s", w.ID, d)
			}
		}
	}
	for _, w := range first {
		if w.State.LeaseOwner != "owner-1" || !w.State.LeaseExpiresAt.Equal(now.Add(lease)) {
			t.Errorf("ClaimDue: watch %d leased to %q until %v, want owner-1 until %v", w.ID, w.State.LeaseOwner, w.State.LeaseExpiresAt, now.Add(lease))
		}
	}
	if len(first) == 3 {
		if st := first[2].State; st.Revisions != 1 || len(decodeBlocks(t, st.Blocks)) != 4 || !st.NextCheckAt.Equal(now.Add(-time.Hour)) {
			t.Errorf("ClaimDue: watch %d state = %+v, want its revision, blocks and next check", first[2].ID, st)
		}
	}

	// Everything due is leased now: nothing more, whoever asks.
	for _, owner := range []string{"owner-1", "owner-2", "owner-3"} {
		if got := claim(t, s, owner, now, 10, lease); len(got) != 0 {
			t.Errorf("ClaimDue(%s) with everything due leased = %v, want none", owner, ids(got))
		}
	}
	// Leased watches are still due: the backlog counts them.
	if n, err := s.CountDue(t.Context(), now); err != nil || n != 6 {
		t.Errorf("CountDue after claiming = %d, %v; want 6 (leased ones included)", n, err)
	}
	// A millisecond later, soon is due too.
	if got := claim(t, s, "owner-3", now.Add(time.Millisecond), 10, lease); len(got) != 1 || got[0].ID != soon.ID {
		t.Errorf("ClaimDue a millisecond later = %v, want only watch %d", ids(got), soon.ID)
	}
	// A day later every lease has ended: all are taken over, in due order,
	// but the paused watches are never claimed.
	later := claim(t, s, "owner-4", now.Add(24*time.Hour), 10, lease)
	want := []int64{never1.ID, never2.ID, hourAgo1.ID, hourAgo2.ID, minuteAgo.ID, atNow.ID, soon.ID}
	if d := diff(want, ids(later)); d != "" {
		t.Errorf("ClaimDue a day later (-want +got):\n%s", d)
	}
	// Un-paused, they are due by their next check time (at once when never
	// scheduled).
	setPaused(t, s, pausedNever, false)
	setPaused(t, s, pausedOverdue, false)
	got := claim(t, s, "owner-5", now, 10, lease)
	if d := diff([]int64{pausedNever.ID, pausedOverdue.ID}, ids(got)); d != "" {
		t.Errorf("ClaimDue after un-pausing (-want +got):\n%s", d)
	}
}

// testClaimDueLeased: a claimed watch is not claimed again, not even by its
// owner, until it is released or its lease ends; ReleaseLease frees it and
// sets its next check time; pausing keeps a lease.
func testClaimDueLeased(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/leased")
	if got := claim(t, s, "a", now, 5, 10*time.Minute); len(got) != 1 || got[0].ID != w.ID {
		t.Fatalf("ClaimDue = %v, want watch %d", ids(got), w.ID)
	}
	wantLease(t, s, w.ID, "claimed", "a", now.Add(10*time.Minute), time.Time{})
	for _, owner := range []string{"a", "b"} {
		if got := claim(t, s, owner, now.Add(5*time.Minute), 5, time.Minute); len(got) != 0 {
			t.Errorf("ClaimDue(%s) during the lease = %v, want none", owner, ids(got))
		}
	}

	// Released with a next check time: free, and due at that time.
	if err := s.ReleaseLease(ctx, w.ID, "a", now.Add(time.Hour)); err != nil {
		t.Fatalf("ReleaseLease: %v", err)
	}
	wantLease(t, s, w.ID, "released", "", time.Time{}, now.Add(time.Hour))
	if got := claim(t, s, "b", now.Add(59*time.Minute), 5, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue before the next check time = %v, want none", ids(got))
	}
	if got := claim(t, s, "b", now.Add(time.Hour), 5, time.Minute); len(got) != 1 || got[0].ID != w.ID {
		t.Fatalf("ClaimDue at the next check time = %v, want watch %d", ids(got), w.ID)
	}

	// Pausing a leased watch keeps the lease, which its owner can renew
	// and release; while paused it is not claimed, even once released.
	setPaused(t, s, w, true)
	wantLease(t, s, w.ID, "paused while leased", "b", now.Add(61*time.Minute), now.Add(time.Hour))
	if err := s.RenewLease(ctx, w.ID, "b", now.Add(time.Hour), 5*time.Minute); err != nil {
		t.Errorf("RenewLease of a paused watch: %v", err)
	}
	if err := s.ReleaseLease(ctx, w.ID, "b", time.Time{}); err != nil {
		t.Errorf("ReleaseLease of a paused watch: %v", err)
	}
	wantLease(t, s, w.ID, "released with a zero next check", "", time.Time{}, time.Time{})
	if got := claim(t, s, "c", now.Add(2*time.Hour), 5, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue of a paused watch = %v, want none", ids(got))
	}
	// Un-paused with no next check time: due at once.
	setPaused(t, s, w, false)
	if got := claim(t, s, "c", now.Add(2*time.Hour), 5, time.Minute); len(got) != 1 || got[0].ID != w.ID {
		t.Errorf("ClaimDue after un-pausing = %v, want watch %d", ids(got), w.ID)
	}
}

// testLeaseTakeover: a lease that has ended is taken over by the next
// claim; the old owner's RenewLease and ReleaseLease then fail with
// ErrLeaseLost and change nothing. A lease that has ended but that nobody
// took over is still its owner's to renew or release.
func testLeaseTakeover(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/taken-over")
	claim(t, s, "dead", now, 1, time.Minute)
	if got := claim(t, s, "heir", now.Add(59*time.Second), 1, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue before the lease ends = %v, want none", ids(got))
	}
	// The lease ends at now+1m: from then on it is free.
	got := claim(t, s, "heir", now.Add(time.Minute), 1, 2*time.Minute)
	if len(got) != 1 || got[0].ID != w.ID || got[0].State.LeaseOwner != "heir" {
		t.Fatalf("ClaimDue when the lease ends = %+v, want watch %d leased to heir", got, w.ID)
	}
	heirUntil := now.Add(3 * time.Minute)
	wantLease(t, s, w.ID, "taken over", "heir", heirUntil, time.Time{})

	wantLeaseLost(t, "RenewLease by the old owner", w.ID, s.RenewLease(ctx, w.ID, "dead", now.Add(time.Minute), time.Hour))
	wantLeaseLost(t, "ReleaseLease by the old owner", w.ID, s.ReleaseLease(ctx, w.ID, "dead", now.Add(time.Hour)))
	wantLease(t, s, w.ID, "after the old owner's attempts", "heir", heirUntil, time.Time{})

	if err := s.RenewLease(ctx, w.ID, "heir", now.Add(90*time.Second), 5*time.Minute); err != nil {
		t.Fatalf("RenewLease by the new owner: %v", err)
	}
	heirUntil = now.Add(90*time.Second + 5*time.Minute)
	wantLease(t, s, w.ID, "renewed", "heir", heirUntil, time.Time{})
	if got := claim(t, s, "third", now.Add(4*time.Minute), 1, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue after the renewal, before its end = %v, want none", ids(got))
	}
	if err := s.ReleaseLease(ctx, w.ID, "heir", now.Add(time.Hour)); err != nil {
		t.Fatalf("ReleaseLease by the new owner: %v", err)
	}
	wantLease(t, s, w.ID, "released by the new owner", "", time.Time{}, now.Add(time.Hour))

	// Ended but not taken over: still the owner's.
	late := addWatch(t, s, "https://example.com/late")
	claim(t, s, "slow", now, 1, time.Minute)
	if err := s.RenewLease(ctx, late.ID, "slow", now.Add(10*time.Minute), time.Minute); err != nil {
		t.Fatalf("RenewLease after the lease ended, not taken over: %v", err)
	}
	wantLease(t, s, late.ID, "renewed after its end", "slow", now.Add(11*time.Minute), time.Time{})
	if got := claim(t, s, "other", now.Add(10*time.Minute+30*time.Second), 5, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue during the renewed lease = %v, want none", ids(got))
	}
	// The lease ended again at now+11m; nobody claimed: releasing works.
	if err := s.ReleaseLease(ctx, late.ID, "slow", now.Add(2*time.Hour)); err != nil {
		t.Fatalf("ReleaseLease after the lease ended, not taken over: %v", err)
	}
	wantLease(t, s, late.ID, "released after its end", "", time.Time{}, now.Add(2*time.Hour))
}

// testLeaseErrors: missing watches, leases not held and invalid arguments.
func testLeaseErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/lease-errors")
	missing := w.ID + 1000

	wantNotFound(t, "RenewLease(missing watch)", s.RenewLease(ctx, missing, "a", now, time.Minute))
	wantNotFound(t, "ReleaseLease(missing watch)", s.ReleaseLease(ctx, missing, "a", now))
	wantNotFound(t, "SetNextCheck(missing watch)", s.SetNextCheck(ctx, missing, now))
	for _, err := range []error{
		s.RenewLease(ctx, missing, "a", now, time.Minute),
		s.ReleaseLease(ctx, missing, "a", now),
		s.SetNextCheck(ctx, missing, now),
	} {
		if name := fmt.Sprint("watch ", missing); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}

	// Never claimed: no lease to renew or release, and nothing changes.
	wantLeaseLost(t, "RenewLease(never claimed)", w.ID, s.RenewLease(ctx, w.ID, "a", now, time.Minute))
	wantLeaseLost(t, "ReleaseLease(never claimed)", w.ID, s.ReleaseLease(ctx, w.ID, "a", now.Add(time.Hour)))
	wantLease(t, s, w.ID, "after refusals", "", time.Time{}, time.Time{})

	// Released twice: the second is refused.
	claim(t, s, "a", now, 1, time.Minute)
	wantLeaseLost(t, "RenewLease by another owner", w.ID, s.RenewLease(ctx, w.ID, "b", now, time.Minute))
	wantLeaseLost(t, "ReleaseLease by another owner", w.ID, s.ReleaseLease(ctx, w.ID, "b", now))
	if err := s.ReleaseLease(ctx, w.ID, "a", now.Add(time.Hour)); err != nil {
		t.Fatalf("ReleaseLease: %v", err)
	}
	wantLeaseLost(t, "ReleaseLease(twice)", w.ID, s.ReleaseLease(ctx, w.ID, "a", now.Add(2*time.Hour)))
	wantLeaseLost(t, "RenewLease(after release)", w.ID, s.RenewLease(ctx, w.ID, "a", now, time.Minute))
	wantLease(t, s, w.ID, "after the second release", "", time.Time{}, now.Add(time.Hour))

	// Invalid arguments are refused and claim nothing.
	setNext(t, s, w.ID, time.Time{})
	claims := map[string]func() ([]store.Watch, error){
		"empty owner":    func() ([]store.Watch, error) { return s.ClaimDue(ctx, "", now, 1, time.Minute) },
		"zero now":       func() ([]store.Watch, error) { return s.ClaimDue(ctx, "a", time.Time{}, 1, time.Minute) },
		"zero limit":     func() ([]store.Watch, error) { return s.ClaimDue(ctx, "a", now, 0, time.Minute) },
		"negative limit": func() ([]store.Watch, error) { return s.ClaimDue(ctx, "a", now, -1, time.Minute) },
		"zero lease":     func() ([]store.Watch, error) { return s.ClaimDue(ctx, "a", now, 1, 0) },
		"negative lease": func() ([]store.Watch, error) { return s.ClaimDue(ctx, "a", now, 1, -time.Minute) },
	}
	for name, fn := range claims {
		if ws, err := fn(); err == nil || len(ws) != 0 {
			t.Errorf("ClaimDue(%s) = %v, %v; want a refusal", name, ids(ws), err)
		}
	}
	wantLease(t, s, w.ID, "after refused claims", "", time.Time{}, time.Time{})
	claim(t, s, "a", now, 1, time.Minute)
	for name, err := range map[string]error{
		"RenewLease(empty owner)":    s.RenewLease(ctx, w.ID, "", now, time.Minute),
		"RenewLease(zero now)":       s.RenewLease(ctx, w.ID, "a", time.Time{}, time.Minute),
		"RenewLease(zero lease)":     s.RenewLease(ctx, w.ID, "a", now, 0),
		"RenewLease(negative lease)": s.RenewLease(ctx, w.ID, "a", now, -time.Second),
		"ReleaseLease(empty owner)":  s.ReleaseLease(ctx, w.ID, "", now),
	} {
		if err == nil {
			t.Errorf("%s = nil error, want a refusal", name)
		}
	}
	wantLease(t, s, w.ID, "after refused renewals", "a", now.Add(time.Minute), time.Time{})

	// Deleting a leased watch is allowed; its owner then finds it gone.
	if err := s.DeleteWatch(ctx, w.ID); err != nil {
		t.Fatalf("DeleteWatch(leased): %v", err)
	}
	wantNotFound(t, "RenewLease(deleted)", s.RenewLease(ctx, w.ID, "a", now, time.Minute))
	wantNotFound(t, "ReleaseLease(deleted)", s.ReleaseLease(ctx, w.ID, "a", now))
}

// testNextDue: the earliest time at which an unpaused watch becomes
// claimable, counting running leases.
func testNextDue(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	wantNext := func(step string, at, want time.Time, wantOK bool) {
		t.Helper()
		got, ok, err := s.NextDue(ctx, at)
		if err != nil {
			t.Fatalf("%s: NextDue: %v", step, err)
		}
		if ok != wantOK || !got.Equal(want) {
			t.Errorf("%s: NextDue(%v) = %v, %v; want %v, %v", step, at, got, ok, want, wantOK)
		}
	}
	wantNext("no watches", now, time.Time{}, false)
	p := addWatch(t, s, "https://example.com/paused")
	setPaused(t, s, p, true)
	setNext(t, s, p.ID, now.Add(-time.Hour))
	wantNext("only a paused watch", now, time.Time{}, false)

	x := addWatch(t, s, "https://example.com/x")
	wantNext("a watch never scheduled", now, now, true)
	setNext(t, s, x.ID, now.Add(10*time.Minute))
	wantNext("one scheduled watch", now, now.Add(10*time.Minute), true)
	y := addWatch(t, s, "https://example.com/y")
	setNext(t, s, y.ID, now.Add(5*time.Minute))
	wantNext("the earlier of two", now, now.Add(5*time.Minute), true)
	setNext(t, s, y.ID, now.Add(-time.Minute))
	wantNext("an overdue watch", now, now.Add(-time.Minute), true)

	// y leased until now+20m: it counts from the lease's end.
	claim(t, s, "owner", now, 5, 20*time.Minute)
	wantNext("overdue but leased", now, now.Add(10*time.Minute), true)
	setPaused(t, s, x, true)
	wantNext("only the leased watch unpaused", now, now.Add(20*time.Minute), true)
	setNext(t, s, y.ID, now.Add(40*time.Minute))
	wantNext("next check after the lease's end", now, now.Add(40*time.Minute), true)
	setNext(t, s, y.ID, time.Time{})
	wantNext("never scheduled but leased", now, now.Add(20*time.Minute), true)
	wantNext("never scheduled, the lease ended", now.Add(25*time.Minute), now.Add(25*time.Minute), true)
	setNext(t, s, y.ID, now.Add(-time.Minute))
	wantNext("overdue, the lease ended", now.Add(25*time.Minute), now.Add(-time.Minute), true)
	wantNext("overdue, the lease ends at now", now.Add(20*time.Minute), now.Add(-time.Minute), true)

	if err := s.ReleaseLease(ctx, y.ID, "owner", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	setPaused(t, s, x, false)
	wantNext("released, x un-paused", now, now.Add(10*time.Minute), true)
}

// testCountDue: the unpaused watches due at now, leased or not.
func testCountDue(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	wantCount := func(step string, at time.Time, want int) {
		t.Helper()
		if n, err := s.CountDue(ctx, at); err != nil || n != want {
			t.Errorf("%s: CountDue(%v) = %d, %v; want %d", step, at, n, err, want)
		}
	}
	wantCount("no watches", now, 0)
	never := addWatch(t, s, "https://example.com/never")
	past := addWatch(t, s, "https://example.com/past")
	setNext(t, s, past.ID, now.Add(-time.Hour))
	exact := addWatch(t, s, "https://example.com/exact")
	setNext(t, s, exact.ID, now)
	future := addWatch(t, s, "https://example.com/future")
	setNext(t, s, future.ID, now.Add(time.Hour))
	paused := addWatch(t, s, "https://example.com/paused")
	setPaused(t, s, paused, true)
	wantCount("four kinds", now, 3)
	wantCount("a microsecond earlier", now.Add(-time.Microsecond), 2)
	wantCount("an hour later", now.Add(time.Hour), 4)
	claim(t, s, "owner", now, 2, time.Hour)
	wantCount("two of them leased", now, 3)
	if err := s.ReleaseLease(ctx, never.ID, "owner", now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCount("one released to later", now, 2)
}

// testRecordCheckKeepsLease: RecordCheck, whatever the outcome, neither
// touches nor minds the next check time and the lease.
func testRecordCheckKeepsLease(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/checked-under-lease")
	next := now.Add(-time.Minute)
	setNext(t, s, w.ID, next)
	claim(t, s, "owner", now, 1, time.Hour)
	results := []store.CheckResult{
		revisionResult(w.ID, store.OutcomeNew, 0, "one"),
		plainResult(w.ID, store.OutcomeError, time.Minute),
		plainResult(w.ID, store.OutcomeNotModified, 2*time.Minute),
		plainResult(w.ID, store.OutcomeFlapping, 3*time.Minute),
		plainResult(w.ID, store.OutcomeUnchanged, 4*time.Minute),
		revisionResult(w.ID, store.OutcomeChanged, 5*time.Minute, "two"),
	}
	for _, r := range results {
		record(t, s, r)
		wantLease(t, s, w.ID, fmt.Sprintf("after RecordCheck(%s)", r.Outcome), "owner", now.Add(time.Hour), next)
	}
	if err := s.ReleaseLease(ctx, w.ID, "owner", now.Add(time.Hour)); err != nil {
		t.Fatalf("ReleaseLease after the checks: %v", err)
	}
	// Unleased, the next check time stays too.
	record(t, s, plainResult(w.ID, store.OutcomeUnchanged, 6*time.Minute))
	wantLease(t, s, w.ID, "after RecordCheck unleased", "", time.Time{}, now.Add(time.Hour))
	if st := getWatch(t, s, w.ID).State; st.Revisions != 2 || st.Flaps != 1 {
		t.Errorf("state after the checks = %+v, want 2 revisions and 1 flap", st)
	}
}

// testScheduleTimesUTC: the scheduling times come back in UTC, equal to the
// ones given at millisecond precision, and are kept to the microsecond (a
// time between two microseconds counts as the earlier one).
func testScheduleTimesUTC(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC-03:30", -(3*3600 + 1800))
	now := time.Date(2025, 12, 31, 22, 59, 59, 987_000_000, zone)
	lease := 90*time.Second + 250*time.Millisecond
	w := addWatch(t, s, "https://example.com/times")

	next, ok, err := s.NextDue(ctx, now)
	if err != nil || !ok {
		t.Fatalf("NextDue = %v, %v, %v", next, ok, err)
	}
	claimed := claim(t, s, "owner", now, 1, lease)
	if len(claimed) != 1 {
		t.Fatalf("ClaimDue = %v, want watch %d", ids(claimed), w.ID)
	}
	renewAt := now.Add(time.Minute + 1_500*time.Microsecond)
	if err := s.RenewLease(ctx, w.ID, "owner", renewAt, lease); err != nil {
		t.Fatal(err)
	}
	renewed := getWatch(t, s, w.ID)
	due, ok, err := s.NextDue(ctx, renewAt)
	if err != nil || !ok {
		t.Fatalf("NextDue during the lease = %v, %v, %v", due, ok, err)
	}
	nextCheck := now.Add(time.Hour + 1*time.Millisecond)
	if err := s.ReleaseLease(ctx, w.ID, "owner", nextCheck); err != nil {
		t.Fatal(err)
	}
	released := getWatch(t, s, w.ID)
	listed, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil || len(listed) != 1 {
		t.Fatalf("ListWatches = %v, %v", listed, err)
	}
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"NextDue of a watch never scheduled", next, now},
		{"ClaimDue LeaseExpiresAt", claimed[0].State.LeaseExpiresAt, now.Add(lease)},
		{"Watch LeaseExpiresAt after RenewLease", renewed.State.LeaseExpiresAt, renewAt.Add(lease)},
		{"NextDue during the lease", due, renewAt.Add(lease)},
		{"Watch NextCheckAt after ReleaseLease", released.State.NextCheckAt, nextCheck},
		{"ListWatches NextCheckAt", listed[0].State.NextCheckAt, nextCheck},
	}
	for _, tt := range times {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
		if tt.got.Location() != time.UTC {
			t.Errorf("%s location = %v, want UTC", tt.name, tt.got.Location())
		}
	}

	// Microseconds: a next check at T is not due at T-500ns (which counts
	// as T-1µs) and is at T+999ns (which counts as T).
	at := time.Date(2026, 1, 1, 0, 0, 0, 5_000, time.UTC)
	setNext(t, s, w.ID, at.Add(700*time.Nanosecond))
	if st := getWatch(t, s, w.ID).State; !st.NextCheckAt.Equal(at) || st.NextCheckAt.Location() != time.UTC {
		t.Errorf("NextCheckAt set to T+700ns = %v, want T = %v in UTC", st.NextCheckAt, at)
	}
	if got := claim(t, s, "owner", at.Add(-500*time.Nanosecond), 1, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue at T-500ns = %v, want none", ids(got))
	}
	if got := claim(t, s, "owner", at.Add(999*time.Nanosecond), 1, time.Minute); len(got) != 1 {
		t.Errorf("ClaimDue at T+999ns = %v, want watch %d", ids(got), w.ID)
	}
}

// claimAll runs perStore goroutines on each of stores, each claiming in
// small batches until nothing is left, from 200 due watches (and a few that
// must not be claimed), and checks that every due watch went to exactly
// one of them. All stores must share one database.
func claimAll(t *testing.T, stores []store.Store, perStore int) {
	ctx := t.Context()
	now := base()
	first := stores[0]
	const n = 200
	due := map[int64]bool{}
	for i := range n {
		w := addWatch(t, first, fmt.Sprintf("https://example.com/claim/%03d", i))
		if i%3 != 0 { // the others are never scheduled
			setNext(t, first, w.ID, now.Add(-time.Duration(i)*time.Second))
		}
		due[w.ID] = true
	}
	later := addWatch(t, first, "https://example.com/claim/later")
	setNext(t, first, later.ID, now.Add(time.Second))
	paused := addWatch(t, first, "https://example.com/claim/paused")
	setPaused(t, first, paused, true)

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		got  = map[int64]string{}
		errs []error
	)
	for si, s := range stores {
		for g := range perStore {
			owner := fmt.Sprintf("store%d-worker%d", si, g)
			wg.Go(func() {
				for {
					ws, err := s.ClaimDue(ctx, owner, now, 7, time.Hour)
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					}
					for _, w := range ws {
						if prev, dup := got[w.ID]; dup {
							errs = append(errs, fmt.Errorf("watch %d claimed by %s and by %s", w.ID, prev, owner))
						}
						got[w.ID] = owner
						if w.State.LeaseOwner != owner {
							errs = append(errs, fmt.Errorf("watch %d claimed by %s shows owner %q", w.ID, owner, w.State.LeaseOwner))
						}
					}
					mu.Unlock()
					if err != nil || len(ws) == 0 {
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent ClaimDue: %v", err)
	}
	if len(got) != n {
		t.Errorf("%d watches claimed, want %d", len(got), n)
	}
	for id := range got {
		if !due[id] {
			t.Errorf("watch %d claimed, but it was not due", id)
		}
	}
	// Every store sees the lease of the owner that got the watch.
	for si, s := range stores {
		ws, err := s.ListWatches(ctx, store.WatchFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if w.State.LeaseOwner != got[w.ID] {
				t.Errorf("store %d: watch %d leased to %q, want %q", si, w.ID, w.State.LeaseOwner, got[w.ID])
			}
		}
	}
	if ws := claim(t, first, "late", now, n, time.Hour); len(ws) != 0 {
		t.Errorf("ClaimDue after all were claimed = %v, want none", ids(ws))
	}
}

// testConcurrentClaimDue: goroutines claiming from one store never get the
// same watch and together get them all.
func testConcurrentClaimDue(t *testing.T, s store.Store) {
	claimAll(t, []store.Store{s}, 8)
}

// testSharedConcurrentClaimDue: the same across stores sharing one
// database, as several processes.
func testSharedConcurrentClaimDue(t *testing.T, stores []store.Store) {
	claimAll(t, stores, 3)
}

// testSharedLeaseTakeover: a lease taken in one store is seen by another
// sharing the database, which takes it over once it has ended; the first
// store's owner then finds it lost.
func testSharedLeaseTakeover(t *testing.T, stores []store.Store) {
	ctx := t.Context()
	now := base()
	a, b := stores[0], stores[1]
	w := addWatch(t, a, "https://example.com/shared-lease")
	if got := claim(t, a, "a", now, 1, time.Minute); len(got) != 1 {
		t.Fatalf("ClaimDue in store a = %v, want watch %d", ids(got), w.ID)
	}
	wantLease(t, b, w.ID, "seen from store b", "a", now.Add(time.Minute), time.Time{})
	if got := claim(t, b, "b", now.Add(30*time.Second), 1, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDue in store b during a's lease = %v, want none", ids(got))
	}
	if got := claim(t, b, "b", now.Add(2*time.Minute), 1, time.Minute); len(got) != 1 {
		t.Fatalf("ClaimDue in store b after a's lease = %v, want watch %d", ids(got), w.ID)
	}
	wantLeaseLost(t, "RenewLease in store a", w.ID, a.RenewLease(ctx, w.ID, "a", now.Add(2*time.Minute), time.Minute))
	wantLeaseLost(t, "ReleaseLease in store a", w.ID, a.ReleaseLease(ctx, w.ID, "a", now.Add(time.Hour)))
	if err := b.ReleaseLease(ctx, w.ID, "b", now.Add(time.Hour)); err != nil {
		t.Fatalf("ReleaseLease in store b: %v", err)
	}
	wantLease(t, a, w.ID, "released, seen from store a", "", time.Time{}, now.Add(time.Hour))
}

// testCountWatches: watches by health, and the rows kept.
func testCountWatches(t *testing.T, s store.Store) {
	ctx := t.Context()
	want := func(step string, failingAfter int, w store.WatchCounts) {
		t.Helper()
		if got, err := s.CountWatches(ctx, failingAfter); err != nil || got != w {
			t.Errorf("%s: CountWatches(%d) = %+v, %v; want %+v", step, failingAfter, got, err, w)
		}
	}
	want("empty", 3, store.WatchCounts{})
	good := addWatch(t, s, "https://example.com/good")
	bad := addWatch(t, s, "https://example.com/bad")
	paused := addWatch(t, s, "https://example.com/paused")
	setPaused(t, s, paused, true)
	record := func(r store.CheckResult) {
		t.Helper()
		if _, err := s.RecordCheck(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	record(revisionResult(good.ID, store.OutcomeNew, 0, "one"))
	for i := range 3 {
		record(store.CheckResult{WatchID: bad.ID, StartedAt: base().Add(time.Duration(i) * time.Minute), Outcome: store.OutcomeError, Error: "HTTP 500"})
	}
	want("one failing three times", 3, store.WatchCounts{OK: 1, Failing: 1, Paused: 1, Revisions: 1, Checks: 4})
	want("failing only after four", 4, store.WatchCounts{OK: 2, Paused: 1, Revisions: 1, Checks: 4})
	want("failingAfter 0 reads as 1", 0, store.WatchCounts{OK: 1, Failing: 1, Paused: 1, Revisions: 1, Checks: 4})
}
