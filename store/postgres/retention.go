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

// PruneChecks implements store.Store, in one DELETE: PostgreSQL locks only
// the rows it deletes, which no one writes, so checks are recorded
// meanwhile and nothing needs batching.
func (s *Store) PruneChecks(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM checks WHERE started_at < $1`, checkstate.Time(before))
	if err != nil {
		return 0, fmt.Errorf("prune checks started before %s: %w", before.UTC().Format(time.RFC3339Nano), err)
	}
	return tag.RowsAffected(), nil
}

// PruneRevisions implements store.Store. It reads the watch's revisions
// (sequence number and fetch time) and deletes those checkstate.Prunable
// picks, in one transaction but without locking the watch, so checks of it
// go on meanwhile: a revision recorded in between is newer than all those
// read, so it only makes the deleted ones older still (none of them is the
// first or the newest, nor, by then, among the newest Count).
func (s *Store) PruneRevisions(ctx context.Context, watchID int64, keep store.Keep) (int64, error) {
	if err := checkstate.ValidateKeep(keep); err != nil {
		return 0, fmt.Errorf("prune revisions of watch %d: %w", watchID, err)
	}
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		n, err = pruneRevisions(ctx, tx, watchID, keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune revisions of watch %d: %w", watchID, err)
	}
	return n, nil
}

func pruneRevisions(ctx context.Context, tx pgx.Tx, watchID int64, keep store.Keep) (int64, error) {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM watches WHERE id = $1`, watchID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("read watch: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT seq, fetched_at FROM revisions WHERE watch_id = $1 ORDER BY seq`, watchID)
	if err != nil {
		return 0, fmt.Errorf("select revisions: %w", err)
	}
	revs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Revision, error) {
		r := store.Revision{}
		err := row.Scan(&r.Seq, &r.FetchedAt)
		return r, err
	})
	if err != nil {
		return 0, fmt.Errorf("select revisions: %w", err)
	}

	seqs := checkstate.Prunable(revs, keep)
	if len(seqs) == 0 {
		return 0, nil
	}
	tag, err := tx.Exec(ctx, `DELETE FROM revisions WHERE watch_id = $1 AND seq = ANY($2)`, watchID, seqs)
	if err != nil {
		return 0, fmt.Errorf("delete revisions: %w", err)
	}
	return tag.RowsAffected(), nil
}
