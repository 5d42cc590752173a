package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// pruneBatch is the most check rows PruneChecks deletes in one transaction
// of the writer.
const pruneBatch = 10_000

// PruneChecks implements store.Store, in batches of pruneBatch rows (see
// pruneChecks).
func (s *Store) PruneChecks(ctx context.Context, before time.Time) (int64, error) {
	n, err := s.pruneChecks(ctx, checkstate.Time(before), pruneBatch)
	if err != nil {
		return n, fmt.Errorf("prune checks started before %s: %w", before.UTC().Format(time.RFC3339Nano), err)
	}
	return n, nil
}

// pruneChecks deletes the checks started before before, batch rows at a
// time, and returns how many it deleted. Each batch is found through the
// read pool, which holds no lock, walking the table in ID order from where
// the previous batch ended (checks have no index on started_at: it would
// cost every RecordCheck a write, and IDs grow with time, so the old rows
// come first); the writer then deletes it by primary key, in its own short
// transaction, between which other writes proceed. Check rows never change,
// so a row found is still one to delete, unless another process deleted it
// meanwhile, which the count then leaves out.
func (s *Store) pruneChecks(ctx context.Context, before time.Time, batch int) (int64, error) {
	var (
		total int64
		after int64 // the highest ID found so far
	)
	for {
		ids, err := s.oldChecks(ctx, before, after, batch)
		if err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		after = ids[len(ids)-1]
		list, err := json.Marshal(ids)
		if err != nil {
			return total, fmt.Errorf("encode check IDs: %w", err)
		}
		res, err := s.write.ExecContext(ctx, `DELETE FROM checks WHERE id IN (SELECT value FROM json_each(?))`, string(list))
		if err != nil {
			return total, fmt.Errorf("delete checks: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("delete checks: %w", err)
		}
		total += n
		if len(ids) < batch {
			return total, nil
		}
	}
}

// oldChecks returns the IDs, in order, of at most limit checks started
// before before whose ID is above after.
func (s *Store) oldChecks(ctx context.Context, before time.Time, after int64, limit int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM checks WHERE id > ? AND started_at < ? ORDER BY id LIMIT ?`,
		after, before.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("select checks: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("select checks: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select checks: %w", err)
	}
	return ids, nil
}

// PruneRevisions implements store.Store. It reads the watch's revisions
// (sequence number and fetch time) and deletes those checkstate.Prunable
// picks in one transaction of the writer, which no RecordCheck can
// interleave with.
func (s *Store) PruneRevisions(ctx context.Context, watchID int64, keep store.Keep) (int64, error) {
	if err := checkstate.ValidateKeep(keep); err != nil {
		return 0, fmt.Errorf("prune revisions of watch %d: %w", watchID, err)
	}
	n, err := s.pruneRevisions(ctx, watchID, keep)
	if err != nil {
		return 0, fmt.Errorf("prune revisions of watch %d: %w", watchID, err)
	}
	return n, nil
}

func (s *Store) pruneRevisions(ctx context.Context, watchID int64, keep store.Keep) (int64, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer rollback(tx)
	if err := watchExists(ctx, tx, watchID); err != nil {
		return 0, err
	}
	revs, err := revisionTimes(ctx, tx, watchID)
	if err != nil {
		return 0, err
	}

	seqs := checkstate.Prunable(revs, keep)
	if len(seqs) == 0 {
		return 0, nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return 0, fmt.Errorf("encode revision numbers: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM revisions WHERE watch_id = ? AND seq IN (SELECT value FROM json_each(?))`,
		watchID, string(list))
	if err != nil {
		return 0, fmt.Errorf("delete revisions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete revisions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return n, nil
}

// revisionTimes returns the revisions of watchID, oldest first, with only
// their Seq and FetchedAt, read inside tx.
func revisionTimes(ctx context.Context, tx *sql.Tx, watchID int64) ([]store.Revision, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, fetched_at FROM revisions WHERE watch_id = ? ORDER BY seq`, watchID)
	if err != nil {
		return nil, fmt.Errorf("select revisions: %w", err)
	}
	defer rows.Close()
	var revs []store.Revision
	for rows.Next() {
		var (
			r       store.Revision
			fetched int64
		)
		if err := rows.Scan(&r.Seq, &fetched); err != nil {
			return nil, fmt.Errorf("select revisions: %w", err)
		}
		r.FetchedAt = time.UnixMicro(fetched).UTC()
		revs = append(revs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select revisions: %w", err)
	}
	return revs, nil
}
