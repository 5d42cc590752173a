package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// ClaimDue implements store.Store. Its transaction selects the claimable
// watches FOR UPDATE SKIP LOCKED, then leases them: a row another claim
// (from any process) has locked is skipped rather than waited for, and one
// that another claim leased and committed since this one's snapshot is
// re-checked against the WHERE clause on its newest version (READ
// COMMITTED), which it then fails. So concurrent claims never return the
// same watch, and none waits for another. A watch whose row is locked at
// that moment for another reason (RecordCheck, UpdateWatch) is skipped too,
// and claimed by a later call.
func (s *Store) ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.Watch, error) {
	if err := checkstate.ValidateClaim(owner, now, limit, lease); err != nil {
		return nil, fmt.Errorf("claim due watches for %s: %w", owner, err)
	}
	var ws []store.Watch
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		ws, err = claimDue(ctx, tx, owner, checkstate.Time(now), limit, checkstate.LeaseEnd(now, lease))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim due watches for %s: %w", owner, err)
	}
	return ws, nil
}

// claimDue runs ClaimDue's transaction: it locks the claimable watches in
// due order, then leases them to owner until the given time.
func claimDue(ctx context.Context, tx pgx.Tx, owner string, now time.Time, limit int, until time.Time) ([]store.Watch, error) {
	rows, err := tx.Query(ctx, `SELECT `+watchColumns+` FROM watches
		WHERE NOT paused AND (next_check_at IS NULL OR next_check_at <= $1)
			AND (lease_owner IS NULL OR lease_expires_at <= $1)
		ORDER BY next_check_at NULLS FIRST, id
		LIMIT $2
		FOR UPDATE SKIP LOCKED`, now, limit)
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
	if _, err := tx.Exec(ctx, `UPDATE watches SET lease_owner = $1, lease_expires_at = $2 WHERE id = ANY($3)`,
		owner, until, ids); err != nil {
		return nil, fmt.Errorf("lease due watches: %w", err)
	}
	for i := range ws {
		ws[i].State.LeaseOwner, ws[i].State.LeaseExpiresAt = owner, until
	}
	// A row re-checked on its newest version (see ClaimDue) may come out of
	// the ORDER BY's order if its next_check_at changed meanwhile.
	slices.SortFunc(ws, checkstate.CompareDue)
	return ws, nil
}

// RenewLease implements store.Store, in one UPDATE that only matches while
// owner holds the lease.
func (s *Store) RenewLease(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) error {
	if err := checkstate.ValidateLease(owner, now, lease); err != nil {
		return fmt.Errorf("renew lease of watch %d for %s: %w", id, owner, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE watches SET lease_expires_at = $1 WHERE id = $2 AND lease_owner = $3`,
		checkstate.LeaseEnd(now, lease), id, owner)
	if err != nil {
		return fmt.Errorf("renew lease of watch %d for %s: %w", id, owner, err)
	}
	return s.leaseUpdated(ctx, tag, "renew", id, owner)
}

// ReleaseLease implements store.Store, in one UPDATE that only matches
// while owner holds the lease.
func (s *Store) ReleaseLease(ctx context.Context, id int64, owner string, next time.Time) error {
	if err := checkstate.ValidateOwner(owner); err != nil {
		return fmt.Errorf("release lease of watch %d for %s: %w", id, owner, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE watches
		SET lease_owner = NULL, lease_expires_at = NULL, next_check_at = $1
		WHERE id = $2 AND lease_owner = $3`,
		nullTime(checkstate.Time(next)), id, owner)
	if err != nil {
		return fmt.Errorf("release lease of watch %d for %s: %w", id, owner, err)
	}
	return s.leaseUpdated(ctx, tag, "release", id, owner)
}

// leaseUpdated returns nil when tag, the UPDATE of owner's lease on watch
// id, changed the watch; otherwise an error saying why it did not: the
// watch is missing (store.ErrNotFound) or owner does not hold its lease
// (store.ErrLeaseLost, naming the holder if any).
func (s *Store) leaseUpdated(ctx context.Context, tag pgconn.CommandTag, verb string, id int64, owner string) error {
	if tag.RowsAffected() > 0 {
		return nil
	}
	var holder *string
	err := s.pool.QueryRow(ctx, `SELECT lease_owner FROM watches WHERE id = $1`, id).Scan(&holder)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%s lease of watch %d: %w", verb, id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("%s lease of watch %d for %s: %w", verb, id, owner, err)
	case holder != nil:
		return fmt.Errorf("%s lease of watch %d for %s: held by %s: %w", verb, id, owner, *holder, store.ErrLeaseLost)
	default:
		return fmt.Errorf("%s lease of watch %d for %s: not leased: %w", verb, id, owner, store.ErrLeaseLost)
	}
}

// SetNextCheck implements store.Store.
func (s *Store) SetNextCheck(ctx context.Context, id int64, next time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE watches SET next_check_at = $1 WHERE id = $2`,
		nullTime(checkstate.Time(next)), id)
	if err != nil {
		return fmt.Errorf("set next check of watch %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set next check of watch %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// NextDue implements store.Store.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var next *time.Time
	err := s.pool.QueryRow(ctx, `SELECT min(CASE
			WHEN lease_owner IS NOT NULL AND lease_expires_at > $1 AND lease_expires_at > coalesce(next_check_at, $1)
			THEN lease_expires_at
			ELSE coalesce(next_check_at, $1)
		END) FROM watches WHERE NOT paused`, checkstate.Time(now)).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due watch: %w", err)
	}
	return utc(next), next != nil, nil
}

// CountDue implements store.Store.
func (s *Store) CountDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM watches
		WHERE NOT paused AND (next_check_at IS NULL OR next_check_at <= $1)`, checkstate.Time(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count due watches: %w", err)
	}
	return n, nil
}

// CountWatches implements store.Store.
func (s *Store) CountWatches(ctx context.Context, failingAfter int) (store.WatchCounts, error) {
	var c store.WatchCounts
	err := s.pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE paused),
		count(*) FILTER (WHERE NOT (paused) AND consecutive_errors >= $1),
		count(*) FILTER (WHERE NOT (paused) AND consecutive_errors < $1),
		(SELECT count(*) FROM revisions),
		(SELECT count(*) FROM checks)
		FROM watches`, max(failingAfter, 1)).Scan(&c.Paused, &c.Failing, &c.OK, &c.Revisions, &c.Checks)
	if err != nil {
		return c, fmt.Errorf("count watches: %w", err)
	}
	return c, nil
}
