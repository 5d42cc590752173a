package checkstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/redlinehq/redline/internal/textzip"
	"github.com/redlinehq/redline/store"
)

// MaxShortcut is the longest CheckResult.Shortcut RecordCheck stores.
const MaxShortcut = 4096

// Validate reports why r cannot be recorded, or nil when it can:
//   - Outcome is one of the store.Outcome constants;
//   - StartedAt is set and Duration is not negative;
//   - Error is set for OutcomeError and empty otherwise;
//   - Revision is present for OutcomeNew and OutcomeChanged and nil
//     otherwise (OutcomeFlapping included: the change did not reproduce, so
//     nothing is recorded); when present its FetchedAt is set, its WatchID
//     is zero or r.WatchID, and its Document is empty or valid JSON;
//   - the Selector and Hash of every BlockStat are valid UTF-8 (the stats
//     are stored as JSON, which cannot carry other bytes as given);
//   - FailingAfter is not negative (0 tracks no health);
//   - every Notify entry passes ValidateNotification, and no two name the
//     same Notifier and On (they would be one delivery under one key).
func Validate(r store.CheckResult) error {
	switch r.Outcome {
	case store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged,
		store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping:
	default:
		return fmt.Errorf("unknown outcome %q", r.Outcome)
	}
	if r.StartedAt.IsZero() {
		return errors.New("check has no start time")
	}
	if r.Duration < 0 {
		return fmt.Errorf("negative check duration %v", r.Duration)
	}
	if r.Outcome == store.OutcomeError && r.Error == "" {
		return errors.New(`outcome "error" needs an error message`)
	}
	if r.Outcome != store.OutcomeError && r.Error != "" {
		return fmt.Errorf("outcome %q carries an error message (%q); only %q may", r.Outcome, r.Error, store.OutcomeError)
	}
	if r.FailingAfter < 0 {
		return fmt.Errorf("negative failing-after %d", r.FailingAfter)
	}
	for i, b := range r.Blocks {
		if !utf8.ValidString(b.Selector) {
			return fmt.Errorf("block %d: selector %q is not valid UTF-8", i, b.Selector)
		}
		if !utf8.ValidString(b.Hash) {
			return fmt.Errorf("block %d (%s): hash %q is not valid UTF-8", i, b.Selector, b.Hash)
		}
	}
	if sc := r.Shortcut; sc != nil && (!utf8.ValidString(*sc) || len(*sc) > MaxShortcut) {
		return fmt.Errorf("shortcut is not valid UTF-8 or longer than %d bytes", MaxShortcut)
	}
	if err := validateNotify(r.Notify); err != nil {
		return err
	}
	wantRevision := r.Outcome == store.OutcomeNew || r.Outcome == store.OutcomeChanged
	switch {
	case wantRevision && r.Revision == nil:
		return fmt.Errorf("outcome %q needs a revision", r.Outcome)
	case !wantRevision && r.Revision != nil:
		return fmt.Errorf("outcome %q must not carry a revision", r.Outcome)
	case r.Revision == nil:
		return nil
	}
	rev := r.Revision
	if rev.WatchID != 0 && rev.WatchID != r.WatchID {
		return fmt.Errorf("revision belongs to watch %d, not %d", rev.WatchID, r.WatchID)
	}
	if rev.FetchedAt.IsZero() {
		return errors.New("revision has no fetch time")
	}
	if len(rev.Document) > 0 && !json.Valid(rev.Document) {
		return errors.New("revision document is not valid JSON")
	}
	return nil
}

// Next returns the state of a watch after recording r, given its state prev
// before. seq is the sequence number assigned to r.Revision, 0 when r has
// none. r must have passed Validate.
//
//   - LastCheckAt becomes r.StartedAt, whatever the outcome (the check
//     recorded last wins, even if an earlier-started one).
//   - OutcomeError: ConsecutiveErrors grows by one, LastError is r.Error, the
//     validators are kept.
//   - OutcomeNotModified: errors are reset, the validators are kept.
//   - OutcomeFlapping: errors are reset (the fetch worked), Flaps grows by
//     one, and the validators are kept, so that the next check does not
//     short-circuit on the flapping response's validators but extracts and
//     compares again.
//   - Any other outcome: errors are reset and r's validators replace the old
//     ones (an empty one included: the server no longer sent it).
//   - With a revision: Revisions is seq, and LastChangeAt its FetchedAt
//     unless its Class is store.ClassExtractorUpdate (a new reading of an
//     unchanged page is no change of the page).
//   - Blocks are kept: each store writes a non-nil r.Blocks itself, encoded
//     for its column, without reading the stored ones.
//   - NextCheckAt and the lease are kept: RecordCheck does not touch them.
func Next(prev store.WatchState, r store.CheckResult, seq int) store.WatchState {
	next := prev
	next.LastCheckAt = r.StartedAt
	switch r.Outcome {
	case store.OutcomeError:
		next.ConsecutiveErrors++
		next.LastError = r.Error
	case store.OutcomeNotModified:
		next.ConsecutiveErrors = 0
		next.LastError = ""
	case store.OutcomeFlapping:
		next.ConsecutiveErrors = 0
		next.LastError = ""
		next.Flaps++
	default:
		next.ConsecutiveErrors = 0
		next.LastError = ""
		next.ETag = r.ETag
		next.LastModified = r.LastModified
		next.BodyHash = r.BodyHash
	}
	if r.Revision != nil {
		if r.Revision.Class != store.ClassExtractorUpdate {
			next.LastChangeAt = r.Revision.FetchedAt
		}
		next.Published = r.Published
		next.Revisions = seq
	}
	return next
}

// Normalize returns r with its times and duration truncated to the
// microsecond precision both engines keep, and its times in UTC, so that
// the Check that RecordCheck returns equals the one read back later. The
// revision, if any, is copied rather than modified.
func Normalize(r store.CheckResult) store.CheckResult {
	r.StartedAt = r.StartedAt.Truncate(time.Microsecond).UTC()
	r.Duration = r.Duration.Truncate(time.Microsecond)
	if r.Revision != nil {
		rev := *r.Revision
		rev.FetchedAt = rev.FetchedAt.Truncate(time.Microsecond).UTC()
		r.Revision = &rev
	}
	return r
}

// Check returns the check row that records r under id, with its revision
// sequence number seq (0 when none) and the kind of the health event it
// caused (empty when none).
func Check(r store.CheckResult, id int64, seq int, event string) store.Check {
	return store.Check{
		ID:          id,
		WatchID:     r.WatchID,
		StartedAt:   r.StartedAt,
		Duration:    r.Duration,
		Outcome:     r.Outcome,
		HTTPStatus:  r.HTTPStatus,
		Error:       r.Error,
		RevisionSeq: seq,
		Event:       event,
	}
}

// Prepare is the work every engine's RecordCheck does before it opens a
// transaction: it validates and normalises r, and compresses the revision
// text (nil when there is no revision), so no lock is held meanwhile.
func Prepare(r store.CheckResult) (store.CheckResult, []byte, error) {
	if err := Validate(r); err != nil {
		return r, nil, err
	}
	r = Normalize(r)
	if r.Revision == nil {
		return r, nil, nil
	}
	textGz, err := textzip.Compress(r.Revision.Text)
	if err != nil {
		return r, nil, err
	}
	return r, textGz, nil
}
