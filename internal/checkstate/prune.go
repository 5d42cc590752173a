package checkstate

import (
	"errors"
	"fmt"

	"github.com/redlinehq/redline/store"
)

// ValidateKeep reports why PruneRevisions cannot prune with keep, or nil
// when it can: Count and Age are not negative, and Now is set when Age is.
func ValidateKeep(keep store.Keep) error {
	if keep.Count < 0 {
		return fmt.Errorf("keep count %d, want 0 (no limit) or more", keep.Count)
	}
	if keep.Age < 0 {
		return fmt.Errorf("keep age %v, want 0 (no limit) or more", keep.Age)
	}
	if keep.Age > 0 && keep.Now.IsZero() {
		return errors.New("keep age without a current time")
	}
	return nil
}

// Prunable returns the sequence numbers of the revisions in revs that
// PruneRevisions deletes under keep, oldest first; keep must have passed
// ValidateKeep. revs are the stored revisions of one watch, oldest first
// (by Seq); only their Seq and FetchedAt are read.
//
// The oldest (the first revision, seq 1, which is never deleted) and the
// newest are always kept. Of the others, a revision is kept when it is
// among the newest keep.Count of revs (when Count is set) or fetched at or
// after keep.Now−keep.Age, at the microsecond the engines keep (when Age
// is set); with neither set, every revision is kept.
func Prunable(revs []store.Revision, keep store.Keep) []int {
	if keep.Count == 0 && keep.Age == 0 {
		return nil
	}
	cutoff := Time(keep.Now.Add(-keep.Age))
	var seqs []int
	for i, r := range revs {
		if i == 0 || i == len(revs)-1 {
			continue // the first and the newest
		}
		if keep.Count > 0 && len(revs)-i <= keep.Count {
			continue // among the newest Count
		}
		if keep.Age > 0 && !r.FetchedAt.Before(cutoff) {
			continue // within Age of Now
		}
		seqs = append(seqs, r.Seq)
	}
	return seqs
}
