package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// RecordCheck implements store.Store. The watch row is locked FOR UPDATE
// first, so concurrent calls for one watch, from any process, run one after
// the other and each reads the revision and error counts the previous one
// wrote: each health transition is recorded once. The outbox items the
// check asks for (checkstate.Outbox) are written in the same transaction,
// after the revision and the event they are about.
func (s *Store) RecordCheck(ctx context.Context, r store.CheckResult) (store.Check, error) {
	r, textGz, err := checkstate.Prepare(r)
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	// Encoded before the transaction, like the text, so the row lock is not
	// held meanwhile.
	blocks, err := encodeBlocks(r.Blocks)
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	var c store.Check
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		c, err = recordCheck(ctx, tx, r, textGz, blocks)
		return err
	})
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	return c, nil
}

// recordCheck runs RecordCheck's transaction. blocks is r.Blocks encoded
// (nil when r.Blocks is): the stored blocks are neither read nor, when it is
// nil, written, so checkstate.Next never sees them.
func recordCheck(ctx context.Context, tx pgx.Tx, r store.CheckResult, textGz []byte, blocks *string) (store.Check, error) {
	var (
		prev               store.WatchState
		lastCheck, lastChg *time.Time
		published          *time.Time
	)
	err := tx.QueryRow(ctx, `SELECT etag, last_modified, body_hash, last_check_at, last_change_at,
		last_error, consecutive_errors, revision_count, flaps, published_at FROM watches WHERE id = $1 FOR UPDATE`, r.WatchID).
		Scan(&prev.ETag, &prev.LastModified, &prev.BodyHash, &lastCheck, &lastChg,
			&prev.LastError, &prev.ConsecutiveErrors, &prev.Revisions, &prev.Flaps, &published)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Check{}, store.ErrNotFound
	}
	if err != nil {
		return store.Check{}, fmt.Errorf("read watch state: %w", err)
	}
	prev.LastCheckAt = utc(lastCheck)
	prev.LastChangeAt = utc(lastChg)
	prev.Published = utc(published)

	seq := 0
	if r.Revision != nil {
		seq = prev.Revisions + 1
		if err := insertRevision(ctx, tx, r.WatchID, seq, r.Revision, textGz); err != nil {
			return store.Check{}, err
		}
	}

	next := checkstate.Next(prev, r, seq)
	_, err = tx.Exec(ctx, `UPDATE watches SET etag = $1, last_modified = $2, body_hash = $3,
		last_check_at = $4, last_change_at = $5, last_error = $6, consecutive_errors = $7, revision_count = $8,
		flaps = $9, blocks = coalesce($10::text, blocks), shortcut = coalesce($12::text, shortcut), published_at = $13 WHERE id = $11`,
		next.ETag, next.LastModified, next.BodyHash, nullTime(next.LastCheckAt), nullTime(next.LastChangeAt),
		next.LastError, next.ConsecutiveErrors, next.Revisions, next.Flaps, blocks, r.WatchID, r.Shortcut, nullTime(next.Published))
	if err != nil {
		return store.Check{}, fmt.Errorf("update watch state: %w", err)
	}

	ev, ok := checkstate.HealthEvent(prev, r)
	if ok {
		if ev.ID, err = insertEvent(ctx, tx, ev); err != nil {
			return store.Check{}, err
		}
	}
	for _, it := range checkstate.Outbox(r, seq, ev) {
		if err := insertOutbox(ctx, tx, it); err != nil {
			return store.Check{}, err
		}
	}

	var revSeq *int
	if seq > 0 {
		revSeq = &seq
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO checks
		(watch_id, started_at, duration_us, outcome, http_status, error, revision_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		r.WatchID, r.StartedAt, r.Duration.Microseconds(), string(r.Outcome), r.HTTPStatus, r.Error, revSeq).Scan(&id)
	if err != nil {
		return store.Check{}, fmt.Errorf("insert check: %w", err)
	}
	return checkstate.Check(r, id, seq, ev.Kind), nil
}

// Checks implements store.Store.
func (s *Store) Checks(ctx context.Context, watchID int64, limit int) ([]store.Check, error) {
	var lim *int // NULL: LIMIT ALL
	if limit > 0 {
		lim = &limit
	}
	rows, err := s.pool.Query(ctx, `SELECT id, watch_id, started_at, duration_us, outcome, http_status, error, revision_seq
		FROM checks WHERE watch_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, watchID, lim)
	if err != nil {
		return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
	}
	defer rows.Close()
	var cs []store.Check
	for rows.Next() {
		var (
			c        store.Check
			duration int64
			outcome  string
			seq      *int
		)
		if err := rows.Scan(&c.ID, &c.WatchID, &c.StartedAt, &duration, &outcome, &c.HTTPStatus, &c.Error, &seq); err != nil {
			return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
		}
		c.StartedAt = c.StartedAt.UTC()
		c.Duration = time.Duration(duration) * time.Microsecond
		c.Outcome = store.Outcome(outcome)
		if seq != nil {
			c.RevisionSeq = *seq
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
	}
	if len(cs) == 0 {
		if err := s.watchExists(ctx, watchID); err != nil {
			return nil, fmt.Errorf("checks: %w", err)
		}
	}
	return cs, nil
}
