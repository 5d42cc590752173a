package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// RecordCheck implements store.Store. The transaction runs on the single
// writer connection and begins IMMEDIATE, so concurrent calls are
// serialised and each reads the revision and error counts the previous one
// wrote: each health transition is recorded once. The outbox items the
// check asks for (checkstate.Outbox) are written in the same transaction,
// after the revision and the event they are about.
func (s *Store) RecordCheck(ctx context.Context, r store.CheckResult) (store.Check, error) {
	r, textGz, err := checkstate.Prepare(r)
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	// Encoded before the transaction, like the text, so the lock is not
	// held meanwhile.
	blocks, err := encodeBlocks(r.Blocks)
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	c, err := s.recordCheck(ctx, r, textGz, blocks)
	if err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, err)
	}
	return c, nil
}

// recordCheck runs RecordCheck's transaction. blocks is r.Blocks encoded
// (NULL when nil): the stored blocks are neither read nor, when it is NULL,
// written, so checkstate.Next never sees them.
func (s *Store) recordCheck(ctx context.Context, r store.CheckResult, textGz []byte, blocks sql.NullString) (store.Check, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return store.Check{}, err
	}
	defer rollback(tx)

	var (
		prev               store.WatchState
		lastCheck, lastChg sql.NullInt64
		published          sql.NullInt64
	)
	sel := tx.StmtContext(ctx, s.stmts.watchState)
	defer sel.Close()
	err = sel.QueryRowContext(ctx, r.WatchID).Scan(&prev.ETag, &prev.LastModified, &prev.BodyHash, &lastCheck, &lastChg,
		&prev.LastError, &prev.ConsecutiveErrors, &prev.Revisions, &prev.Flaps, &published)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Check{}, store.ErrNotFound
	}
	if err != nil {
		return store.Check{}, fmt.Errorf("read watch state: %w", err)
	}
	prev.LastCheckAt = fromMicros(lastCheck)
	prev.LastChangeAt = fromMicros(lastChg)
	prev.Published = fromMicros(published)

	seq := 0
	if r.Revision != nil {
		seq = prev.Revisions + 1
		if err := insertRevision(ctx, tx, r.WatchID, seq, r.Revision, textGz); err != nil {
			return store.Check{}, err
		}
	}

	next := checkstate.Next(prev, r, seq)
	upd := tx.StmtContext(ctx, s.stmts.updateWatch)
	defer upd.Close()
	_, err = upd.ExecContext(ctx, next.ETag, next.LastModified, next.BodyHash, toMicros(next.LastCheckAt), toMicros(next.LastChangeAt),
		next.LastError, next.ConsecutiveErrors, next.Revisions, next.Flaps, toMicros(next.Published), r.Shortcut, r.WatchID)
	if err != nil {
		return store.Check{}, fmt.Errorf("update watch state: %w", err)
	}
	if blocks.Valid {
		ups := tx.StmtContext(ctx, s.stmts.upsertBlocks)
		defer ups.Close()
		if _, err := ups.ExecContext(ctx, r.WatchID, blocks.String); err != nil {
			return store.Check{}, fmt.Errorf("store block stats: %w", err)
		}
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

	var id int64
	ins := tx.StmtContext(ctx, s.stmts.insertCheck)
	defer ins.Close()
	err = ins.QueryRowContext(ctx, r.WatchID, r.StartedAt.UnixMicro(), r.Duration.Microseconds(), string(r.Outcome), r.HTTPStatus, r.Error,
		sql.NullInt64{Int64: int64(seq), Valid: seq > 0}).Scan(&id)
	if err != nil {
		return store.Check{}, fmt.Errorf("insert check: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return store.Check{}, fmt.Errorf("commit: %w", err)
	}
	return checkstate.Check(r, id, seq, ev.Kind), nil
}

// Checks implements store.Store.
func (s *Store) Checks(ctx context.Context, watchID int64, limit int) ([]store.Check, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, watch_id, started_at, duration_us, outcome, http_status, error, revision_seq
		FROM checks WHERE watch_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`, watchID, limit)
	if err != nil {
		return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
	}
	defer rows.Close()
	var cs []store.Check
	for rows.Next() {
		var (
			c        store.Check
			started  int64
			duration int64
			outcome  string
			seq      sql.NullInt64
		)
		if err := rows.Scan(&c.ID, &c.WatchID, &started, &duration, &outcome, &c.HTTPStatus, &c.Error, &seq); err != nil {
			return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
		}
		c.StartedAt = time.UnixMicro(started).UTC()
		c.Duration = time.Duration(duration) * time.Microsecond
		c.Outcome = store.Outcome(outcome)
		c.RevisionSeq = int(seq.Int64)
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checks of watch %d: %w", watchID, err)
	}
	if len(cs) == 0 {
		if err := watchExists(ctx, s.read, watchID); err != nil {
			return nil, fmt.Errorf("checks: %w", err)
		}
	}
	return cs, nil
}
