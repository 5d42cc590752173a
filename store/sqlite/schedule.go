package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// ClaimDue implements store.Store. Its transaction runs on the single
// writer connection and begins IMMEDIATE, so it holds SQLite's write lock
// from its first statement: the watches it reads as unleased cannot be
// claimed meanwhile, neither by another call of this process (queued for
// the connection) nor of another process (held off by the lock).
func (s *Store) ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.Watch, error) {
	if err := checkstate.ValidateClaim(owner, now, limit, lease); err != nil {
		return nil, fmt.Errorf("claim due watches for %s: %w", owner, err)
	}
	ws, err := s.claimDue(ctx, owner, checkstate.Time(now), limit, checkstate.LeaseEnd(now, lease))
	if err != nil {
		return nil, fmt.Errorf("claim due watches for %s: %w", owner, err)
	}
	return ws, nil
}

// claimDue runs ClaimDue's transaction: it reads the claimable watches in
// due order (NULL sorts first in SQLite), then leases them to owner until
// the given time.
func (s *Store) claimDue(ctx context.Context, owner string, now time.Time, limit int, until time.Time) ([]store.Watch, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer rollback(tx)

	rows, err := tx.QueryContext(ctx, `SELECT `+watchColumns+` FROM watches
		WHERE paused = 0 AND (next_check_at IS NULL OR next_check_at <= ?)
			AND (lease_owner IS NULL OR lease_expires_at <= ?)
		ORDER BY next_check_at, id LIMIT ?`, now.UnixMicro(), now.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("select due watches: %w", err)
	}
	defer rows.Close()
	var (
		ws  []store.Watch
		ids []int64
	)
	for rows.Next() {
		w, err := scanWatch(rows)
		if err != nil {
			return nil, fmt.Errorf("select due watches: %w", err)
		}
		ws = append(ws, w)
		ids = append(ids, w.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select due watches: %w", err)
	}
	if len(ws) == 0 {
		return nil, nil
	}

	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode watch IDs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE watches SET lease_owner = ?, lease_expires_at = ?
		WHERE id IN (SELECT value FROM json_each(?))`, owner, until.UnixMicro(), string(idList)); err != nil {
		return nil, fmt.Errorf("lease due watches: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	for i := range ws {
		ws[i].State.LeaseOwner, ws[i].State.LeaseExpiresAt = owner, until
	}
	return ws, nil
}

// RenewLease implements store.Store, in one UPDATE that only matches while
// owner holds the lease.
func (s *Store) RenewLease(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) error {
	if err := checkstate.ValidateLease(owner, now, lease); err != nil {
		return fmt.Errorf("renew lease of watch %d for %s: %w", id, owner, err)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE watches SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?`,
		checkstate.LeaseEnd(now, lease).UnixMicro(), id, owner)
	if err != nil {
		return fmt.Errorf("renew lease of watch %d for %s: %w", id, owner, err)
	}
	return s.leaseUpdated(ctx, res, "renew", id, owner)
}

// ReleaseLease implements store.Store, in one UPDATE that only matches
// while owner holds the lease.
func (s *Store) ReleaseLease(ctx context.Context, id int64, owner string, next time.Time) error {
	if err := checkstate.ValidateOwner(owner); err != nil {
		return fmt.Errorf("release lease of watch %d for %s: %w", id, owner, err)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE watches
		SET lease_owner = NULL, lease_expires_at = NULL, next_check_at = ?
		WHERE id = ? AND lease_owner = ?`,
		toMicros(checkstate.Time(next)), id, owner)
	if err != nil {
		return fmt.Errorf("release lease of watch %d for %s: %w", id, owner, err)
	}
	return s.leaseUpdated(ctx, res, "release", id, owner)
}

// leaseUpdated returns nil when res, the UPDATE of owner's lease on watch
// id, changed the watch; otherwise an error saying why it did not: the
// watch is missing (store.ErrNotFound) or owner does not hold its lease
// (store.ErrLeaseLost, naming the holder if any).
func (s *Store) leaseUpdated(ctx context.Context, res sql.Result, verb string, id int64, owner string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s lease of watch %d for %s: %w", verb, id, owner, err)
	}
	if n > 0 {
		return nil
	}
	var holder sql.NullString
	err = s.read.QueryRowContext(ctx, `SELECT lease_owner FROM watches WHERE id = ?`, id).Scan(&holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s lease of watch %d: %w", verb, id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("%s lease of watch %d for %s: %w", verb, id, owner, err)
	case holder.Valid:
		return fmt.Errorf("%s lease of watch %d for %s: held by %s: %w", verb, id, owner, holder.String, store.ErrLeaseLost)
	default:
		return fmt.Errorf("%s lease of watch %d for %s: not leased: %w", verb, id, owner, store.ErrLeaseLost)
	}
}

// SetNextCheck implements store.Store.
func (s *Store) SetNextCheck(ctx context.Context, id int64, next time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE watches SET next_check_at = ? WHERE id = ?`,
		toMicros(checkstate.Time(next)), id)
	if err != nil {
		return fmt.Errorf("set next check of watch %d: %w", id, err)
	}
	return requireOne(res, id, "set next check of")
}

// NextDue implements store.Store.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	at := now.UnixMicro()
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT min(CASE
			WHEN lease_owner IS NOT NULL AND lease_expires_at > ? AND lease_expires_at > coalesce(next_check_at, ?)
			THEN lease_expires_at
			ELSE coalesce(next_check_at, ?)
		END) FROM watches WHERE paused = 0`, at, at, at).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due watch: %w", err)
	}
	return fromMicros(next), next.Valid, nil
}

// CountDue implements store.Store.
func (s *Store) CountDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM watches
		WHERE paused = 0 AND (next_check_at IS NULL OR next_check_at <= ?)`, now.UnixMicro()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count due watches: %w", err)
	}
	return n, nil
}

// CountWatches implements store.Store.
func (s *Store) CountWatches(ctx context.Context, failingAfter int) (store.WatchCounts, error) {
	var c store.WatchCounts
	err := s.read.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE paused = 1),
		count(*) FILTER (WHERE NOT (paused = 1) AND consecutive_errors >= ?1),
		count(*) FILTER (WHERE NOT (paused = 1) AND consecutive_errors < ?1),
		(SELECT count(*) FROM revisions),
		(SELECT count(*) FROM checks)
		FROM watches`, max(failingAfter, 1)).Scan(&c.Paused, &c.Failing, &c.OK, &c.Revisions, &c.Checks)
	if err != nil {
		return c, fmt.Errorf("count watches: %w", err)
	}
	return c, nil
}
