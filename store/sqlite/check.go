package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// RecordCheck implements store.Store. Concurrent calls share transactions
// (group commit): the calls that arrive while one transaction commits are
// recorded together in the next, each in a savepoint of its own, so that
// one failing leaves the others stored and each call returns only after
// its check is committed. A transaction runs on the single writer
// connection and begins IMMEDIATE, so each call reads the revision and
// error counts the previous one wrote: each health transition is recorded
// once. The outbox items a check asks for (checkstate.Outbox) are written
// with it, after the revision and the event they are about.
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
	req := &recordReq{ctx: ctx, r: r, textGz: textGz, blocks: blocks, wake: make(chan struct{})}
	s.recorder.run(ctx, req, s.recordBatch)
	if req.err != nil {
		return store.Check{}, fmt.Errorf("record check of watch %d: %w", r.WatchID, req.err)
	}
	return req.c, nil
}

// recordReq is one RecordCheck call: its prepared check, and its result once
// the batch it was in has committed or failed.
type recordReq struct {
	ctx    context.Context
	r      store.CheckResult
	textGz []byte
	blocks sql.NullString

	c    store.Check
	err  error
	lead bool          // woken to record the next batch rather than done
	wake chan struct{} // closed when c and err are set, or lead
}

// recorder queues RecordCheck calls for group commit. There is no
// goroutine of its own: the first call to find no batch running records
// the queue, its own request included, and then hands the lead to the
// first call that queued meanwhile, so no caller records for others
// longer than one batch.
type recorder struct {
	mu      sync.Mutex
	queue   []*recordReq
	leading bool // a call is recording a batch
}

// run returns when req has been recorded, in a batch of its own making
// (through record) or of another call's.
func (rc *recorder) run(ctx context.Context, req *recordReq, record func(context.Context, []*recordReq)) {
	rc.mu.Lock()
	rc.queue = append(rc.queue, req)
	wait := rc.leading
	rc.leading = true
	rc.mu.Unlock()
	if wait {
		<-req.wake
		if !req.lead {
			return
		}
	}
	rc.mu.Lock()
	batch := rc.queue
	rc.queue = nil
	rc.mu.Unlock()

	record(ctx, batch)

	rc.mu.Lock()
	if len(rc.queue) > 0 {
		next := rc.queue[0]
		next.lead = true
		close(next.wake)
	} else {
		rc.leading = false
	}
	rc.mu.Unlock()
	for _, r := range batch {
		if r != req {
			close(r.wake)
		}
	}
}

// recordBatch records batch in one transaction and sets each request's
// result. A request whose context is done is not recorded (and when all
// are, no transaction begins). With more than one request left, each runs
// in a savepoint: a failing one is rolled back alone. If the transaction
// cannot begin or commit, every request left fails with that error and
// nothing is stored.
func (s *Store) recordBatch(ctx context.Context, batch []*recordReq) {
	var live []*recordReq
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	fail := func(err error) {
		for _, r := range live {
			if r.err == nil {
				r.c, r.err = store.Check{}, err
			}
		}
	}
	// The leader's cancellation must not fail the others' checks.
	ctx = context.WithoutCancel(ctx)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer rollback(tx)
	savepoints := len(live) > 1
	for _, r := range live {
		if savepoints {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT record_check`); err != nil {
				fail(fmt.Errorf("savepoint: %w", err))
				return
			}
		}
		r.c, r.err = s.recordCheck(ctx, tx, r.r, r.textGz, r.blocks)
		if !savepoints {
			break
		}
		if r.err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO record_check`); err != nil {
				fail(fmt.Errorf("roll back to savepoint: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE record_check`); err != nil {
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if !savepoints && live[0].err != nil {
		return // rolled back by the deferred rollback
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
	}
}

// recordCheck records r in tx. blocks is r.Blocks encoded (NULL when nil):
// the stored blocks are neither read nor, when it is NULL, written, so
// checkstate.Next never sees them.
func (s *Store) recordCheck(ctx context.Context, tx *sql.Tx, r store.CheckResult, textGz []byte, blocks sql.NullString) (store.Check, error) {
	var (
		prev               store.WatchState
		lastCheck, lastChg sql.NullInt64
		published          sql.NullInt64
	)
	sel := tx.StmtContext(ctx, s.stmts.watchState)
	defer sel.Close()
	err := sel.QueryRowContext(ctx, r.WatchID).Scan(&prev.ETag, &prev.LastModified, &prev.BodyHash, &lastCheck, &lastChg,
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
