package schedule

import (
	"math"
	"time"
)

// Backoff returns how long to wait before retrying a watch whose last
// consecutiveErrors checks failed: base·2^(n−1) for n ≥ 1 errors, capped at
// period and never below base, that is max(base, min(base·2^(n−1), period)).
// It returns 0 when n ≤ 0 (the watch is healthy) or base ≤ 0; it does not
// overflow for any n.
//
// It is meant for exponential backoff on a failing watch, capped at its
// normal period: the daemon schedules the retry at
// min(now + Backoff(base, n, spec.Period(now)), spec.Next(now, key, h)), so
// a failing watch is retried sooner at first, then less often, but never
// later than it would have been checked anyway.
func Backoff(base time.Duration, consecutiveErrors int, period time.Duration) time.Duration {
	if consecutiveErrors <= 0 || base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < consecutiveErrors && d < period; i++ {
		if d > math.MaxInt64/2 {
			d = math.MaxInt64
			break
		}
		d *= 2
	}
	return max(base, min(d, period))
}
