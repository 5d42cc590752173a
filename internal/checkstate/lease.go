package checkstate

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/redlinehq/redline/store"
)

// ValidateOwner reports why owner cannot hold a lease: it is empty (the
// engines store "no lease" as no owner).
func ValidateOwner(owner string) error {
	if owner == "" {
		return errors.New("empty lease owner")
	}
	return nil
}

// ValidateLease reports why owner cannot take or renew a lease at now for
// lease, or nil when it can: owner is not empty, now is set and lease is
// positive (a lease that has ended when taken would hand the watch to the
// next claimer at once).
func ValidateLease(owner string, now time.Time, lease time.Duration) error {
	if err := ValidateOwner(owner); err != nil {
		return err
	}
	if now.IsZero() {
		return errors.New("no current time")
	}
	if lease <= 0 {
		return fmt.Errorf("lease of %v, want a positive duration", lease)
	}
	return nil
}

// ValidateClaim reports why ClaimDue cannot claim with these arguments, or
// nil when it can: those of ValidateLease, and a limit of at least 1.
func ValidateClaim(owner string, now time.Time, limit int, lease time.Duration) error {
	if limit < 1 {
		return fmt.Errorf("limit %d, want at least 1", limit)
	}
	return ValidateLease(owner, now, lease)
}

// Time returns t as both engines keep it: truncated to the microsecond, in
// UTC. The zero time stays zero.
func Time(t time.Time) time.Time {
	return t.Truncate(time.Microsecond).UTC()
}

// LeaseEnd returns when a lease taken or renewed at now for lease ends, as
// both engines keep it: now+lease truncated to the microsecond, in UTC.
func LeaseEnd(now time.Time, lease time.Duration) time.Time {
	return Time(now.Add(lease))
}

// CompareDue orders watches as ClaimDue returns them: by State.NextCheckAt,
// never-scheduled (zero) first, then by ID. It returns a negative number
// when a comes first, a positive one when b does, 0 for the same watch.
func CompareDue(a, b store.Watch) int {
	an, bn := a.State.NextCheckAt, b.State.NextCheckAt
	switch {
	case an.IsZero() != bn.IsZero():
		if an.IsZero() {
			return -1
		}
		return 1
	case !an.Equal(bn):
		return an.Compare(bn)
	}
	return cmp.Compare(a.ID, b.ID)
}
