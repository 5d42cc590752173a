package checkstate

import "github.com/redlinehq/redline/store"

// Transition returns the kind of the health event that recording r causes
// for a watch that had prevErrors consecutive failed checks before it, or
// "" when none. With N = r.FailingAfter:
//
//   - N = 0 tracks no health: never an event;
//   - OutcomeError: store.EventFailing when it brings the count to exactly
//     N (prevErrors+1 == N), so a watch that keeps failing gets one event;
//   - any other outcome, OutcomeFlapping and OutcomeNotModified included
//     (the fetch worked, and Next resets the count): store.EventRecovered
//     when prevErrors was at least N, the threshold at which
//     Store.CountWatches counts the watch as failing.
//
// r must have passed Validate.
func Transition(prevErrors int, r store.CheckResult) string {
	n := r.FailingAfter
	switch {
	case n <= 0:
		return ""
	case r.Outcome == store.OutcomeError:
		if prevErrors+1 == n {
			return store.EventFailing
		}
	case prevErrors >= n:
		return store.EventRecovered
	}
	return ""
}

// HealthEvent returns the event that RecordCheck stores with r for a watch
// whose state was prev before it (see Transition), without its ID, and
// whether there is one. Its At is r.StartedAt; an EventFailing carries
// r.Error and the new error count, an EventRecovered no error and the
// count it ended (prev.ConsecutiveErrors).
func HealthEvent(prev store.WatchState, r store.CheckResult) (store.Event, bool) {
	kind := Transition(prev.ConsecutiveErrors, r)
	if kind == "" {
		return store.Event{}, false
	}
	ev := store.Event{WatchID: r.WatchID, Kind: kind, At: r.StartedAt, ConsecutiveErrors: prev.ConsecutiveErrors}
	if kind == store.EventFailing {
		ev.Error = r.Error
		ev.ConsecutiveErrors++
	}
	return ev, true
}
