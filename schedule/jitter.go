package schedule

import "time"

// maxJitter bounds the delay jitter adds to a due time: a watch's jitter
// lies in [0, min(period/4, maxJitter)).
const maxJitter = 15 * time.Minute

// jitter returns the delay of the watch with id key for a schedule whose gap
// between due times is period: mix(key) mod min(period/4, maxJitter), in
// whole seconds, so it lies in [0, min(period/4, maxJitter)). It is 0 when
// that bound is under a second.
func jitter(key int64, period time.Duration) time.Duration {
	n := uint64(min(period/4, maxJitter) / time.Second)
	if period <= 0 || n == 0 {
		return 0
	}
	return time.Duration(mix(key)%n) * time.Second
}

// mix is the splitmix64 finaliser: a bijection on 64 bits whose outputs for
// consecutive keys look independent. It is pure arithmetic, so a key's
// jitter is the same on every run and every machine.
func mix(key int64) uint64 {
	z := uint64(key) + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// nextCron returns the first due time strictly after now of a cron spec.
//
// Due time k is slot_k + jitter(key, slot_{k+1} − slot_k): each firing is
// delayed by the jitter for the gap that follows it. That delay is under a
// quarter of the gap, so due times come in the order of their slots and the
// sequence depends on the spec and the key only, never on now. For specs
// with a regular gap of an hour or more (descriptors, daily and hourly
// fields, DST days included) the delay is the same at every slot, and this
// is cron.Next(now − j) + j.
//
// A due time after now belongs to a slot after now − maxJitter, which is
// where the walk starts. It may start later, at any slot at or before now:
// every earlier slot is due before that one. So when the spec fires often,
// the walk starts two gaps before now rather than up to 15 minutes before.
func (s Spec) nextCron(now time.Time, key int64) time.Time {
	slot := s.fire(now.Add(-maxJitter))
	if !slot.IsZero() && !slot.After(now) {
		if following := s.fire(slot); !following.IsZero() {
			later := s.fire(now.Add(-2 * following.Sub(slot)))
			if later.After(slot) && !later.After(now) {
				slot = later
			}
		}
	}
	for !slot.IsZero() {
		following := s.fire(slot)
		var gap time.Duration
		if !following.IsZero() {
			gap = following.Sub(slot)
		}
		if due := slot.Add(jitter(key, gap)); due.After(now) {
			return due
		}
		slot = following
	}
	return time.Time{}
}

// nextEvery returns the first due time strictly after now of "@every d".
//
// robfig/cron's @every counts d from the time it is given, so jitter would
// cancel out (now − j + d + j) and watches added together would stay
// together, drifting later by each check's lateness. Here the slots are
// instead the multiples of d since the Unix epoch, each delayed by the
// watch's jitter: a fixed sequence, like a cron spec's.
func (s Spec) nextEvery(now time.Time, key int64) time.Time {
	j := jitter(key, s.every)
	step := int64(s.every / time.Second)
	// The slot after now − j is the next multiple of step after its whole
	// second (floor division, as Unix times before 1970 are negative).
	sec := now.Add(-j).Unix()
	q := sec / step
	if sec%step != 0 && sec < 0 {
		q--
	}
	return time.Unix((q+1)*step, 0).In(now.Location()).Add(j)
}
