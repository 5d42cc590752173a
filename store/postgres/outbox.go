package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// outboxColumns are the columns scanOutbox reads, in its order.
const outboxColumns = `id, watch_id, notifier, kind, revision_seq, event_id, key, payload, state, attempts,
	created_at, next_attempt_at, sent_at, last_error, last_status, grp, lease_owner, lease_expires_at`

func scanOutbox(row pgx.Row) (store.OutboxItem, error) {
	var (
		it            store.OutboxItem
		seq           *int
		eventID       *int64
		payload       string
		sent, leaseTo *time.Time
		leaseOwner    *string
	)
	err := row.Scan(&it.ID, &it.WatchID, &it.Notifier, &it.Kind, &seq, &eventID, &it.Key, &payload, &it.State, &it.Attempts,
		&it.CreatedAt, &it.NextAttemptAt, &sent, &it.LastError, &it.LastStatus, &it.Group, &leaseOwner, &leaseTo)
	if err != nil {
		return store.OutboxItem{}, err
	}
	if seq != nil {
		it.RevisionSeq = *seq
	}
	if eventID != nil {
		it.EventID = *eventID
	}
	it.Payload = []byte(payload)
	it.CreatedAt = it.CreatedAt.UTC()
	it.NextAttemptAt = it.NextAttemptAt.UTC()
	it.SentAt = utc(sent)
	if leaseOwner != nil {
		it.LeaseOwner = *leaseOwner
	}
	it.LeaseExpiresAt = utc(leaseTo)
	return it, nil
}

// collectOutbox reads the rows of a query of outboxColumns.
func collectOutbox(rows pgx.Rows) ([]store.OutboxItem, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.OutboxItem, error) { return scanOutbox(row) })
}

// insertOutbox stores it (whose ID, attempts, lease and results are
// ignored: a new item has none) inside tx.
func insertOutbox(ctx context.Context, tx pgx.Tx, it store.OutboxItem) error {
	var (
		seq     *int
		eventID *int64
	)
	if it.RevisionSeq > 0 {
		seq = &it.RevisionSeq
	}
	if it.EventID > 0 {
		eventID = &it.EventID
	}
	_, err := tx.Exec(ctx, `INSERT INTO outbox
		(watch_id, notifier, kind, revision_seq, event_id, key, payload, state, created_at, next_attempt_at, grp)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		it.WatchID, it.Notifier, it.Kind, seq, eventID, it.Key, string(it.Payload), it.State, it.CreatedAt, it.NextAttemptAt, it.Group)
	if err != nil {
		return fmt.Errorf("insert outbox item %s: %w", it.Key, err)
	}
	return nil
}

// ClaimOutbox implements store.Store, as ClaimDue claims watches: its
// transaction selects the claimable items FOR UPDATE SKIP LOCKED, then the
// claimable items of their groups the same way, then leases them all, so
// concurrent claims (from any process) never return the same item and none
// waits for another. An item whose row is locked at that moment for
// another reason (FinishDelivery, RetryOutbox) is left for a later claim;
// so is an item of a group that a concurrent claim is taking at the same
// moment: a group is claimed whole unless claims race for it, and then
// each of its items still goes to one claim only.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.OutboxItem, error) {
	if err := checkstate.ValidateClaim(owner, now, limit, lease); err != nil {
		return nil, fmt.Errorf("claim outbox items for %s: %w", owner, err)
	}
	var items []store.OutboxItem
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		items, err = claimOutbox(ctx, tx, owner, checkstate.Time(now), limit, checkstate.LeaseEnd(now, lease))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox items for %s: %w", owner, err)
	}
	return items, nil
}

// claimOutbox runs ClaimOutbox's transaction: it locks the claimable items
// in due order, up to limit, then the other claimable items of their
// groups (checkstate.OutboxGroups), and leases them all to owner until the
// given time.
func claimOutbox(ctx context.Context, tx pgx.Tx, owner string, now time.Time, limit int, until time.Time) ([]store.OutboxItem, error) {
	rows, err := tx.Query(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE state = 'pending' AND next_attempt_at <= $1
			AND (lease_owner IS NULL OR lease_expires_at <= $1)
		ORDER BY next_attempt_at, id
		LIMIT $2
		FOR UPDATE SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("select due items: %w", err)
	}
	items, err := collectOutbox(rows)
	if err != nil {
		return nil, fmt.Errorf("select due items: %w", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	var extra []store.OutboxItem
	if groups := checkstate.OutboxGroups(items); len(groups) > 0 {
		// The rows of ids are this transaction's: SKIP LOCKED would not
		// skip them, hence id <> ALL. Both terms of the outbox_group
		// index's WHERE are named, for generic plans.
		rows, err := tx.Query(ctx, `SELECT `+outboxColumns+` FROM outbox
			WHERE grp = ANY($1) AND grp <> '' AND state = 'pending' AND next_attempt_at <= $2
				AND (lease_owner IS NULL OR lease_expires_at <= $2) AND id <> ALL($3)
			ORDER BY next_attempt_at, id
			FOR UPDATE SKIP LOCKED`, groups, now, ids)
		if err != nil {
			return nil, fmt.Errorf("select due items of their groups: %w", err)
		}
		if extra, err = collectOutbox(rows); err != nil {
			return nil, fmt.Errorf("select due items of their groups: %w", err)
		}
		for _, it := range extra {
			ids = append(ids, it.ID)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE outbox SET lease_owner = $1, lease_expires_at = $2 WHERE id = ANY($3)`,
		owner, until, ids); err != nil {
		return nil, fmt.Errorf("lease due items: %w", err)
	}
	// ClaimOrder sorts: a row re-checked on its newest version (see
	// ClaimDue) may come out of the ORDER BY's order if its next_attempt_at
	// changed meanwhile.
	items = checkstate.ClaimOrder(items, extra)
	for i := range items {
		items[i].LeaseOwner, items[i].LeaseExpiresAt = owner, until
	}
	return items, nil
}

// FinishDelivery implements store.Store, in one UPDATE that only matches
// while owner holds the item's lease.
func (s *Store) FinishDelivery(ctx context.Context, id int64, owner string, d store.Delivery) error {
	if err := checkstate.ValidateOwner(owner); err != nil {
		return fmt.Errorf("finish delivery of outbox item %d: %w", id, err)
	}
	if err := checkstate.ValidateDelivery(d); err != nil {
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	}
	var (
		lastError = checkstate.DeliveryError(d.Error)
		sentAt    *time.Time
		next      *time.Time // NULL keeps next_attempt_at
	)
	switch d.State {
	case store.OutboxSent:
		lastError = ""
		sentAt = nullTime(checkstate.Time(d.At))
	case store.OutboxPending:
		next = nullTime(checkstate.Time(d.NextAttemptAt))
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox
		SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3, sent_at = $4,
			next_attempt_at = coalesce($5, next_attempt_at), lease_owner = NULL, lease_expires_at = NULL
		WHERE id = $6 AND lease_owner = $7`,
		d.State, d.Status, lastError, sentAt, next, id, owner)
	if err != nil {
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	var holder *string
	err = s.pool.QueryRow(ctx, `SELECT lease_owner FROM outbox WHERE id = $1`, id).Scan(&holder)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("finish delivery of outbox item %d: %w", id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	case holder != nil:
		return fmt.Errorf("finish delivery of outbox item %d for %s: held by %s: %w", id, owner, *holder, store.ErrLeaseLost)
	default:
		return fmt.Errorf("finish delivery of outbox item %d for %s: not leased: %w", id, owner, store.ErrLeaseLost)
	}
}

// ListOutbox implements store.Store. A filter on a watch that does not
// exist is an error wrapping store.ErrNotFound, as for Checks and Events.
func (s *Store) ListOutbox(ctx context.Context, f store.OutboxFilter) ([]store.OutboxItem, error) {
	if err := checkstate.ValidateOutboxFilter(f); err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	var (
		where []string
		args  []any
	)
	if f.State != "" {
		args = append(args, f.State)
		where = append(where, `state = $`+strconv.Itoa(len(args)))
	}
	if f.WatchID != 0 {
		args = append(args, f.WatchID)
		where = append(where, `watch_id = $`+strconv.Itoa(len(args)))
	}
	if f.RevisionSeq != 0 {
		args = append(args, f.RevisionSeq)
		where = append(where, `revision_seq = $`+strconv.Itoa(len(args)))
	}
	q := `SELECT ` + outboxColumns + ` FROM outbox`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	var lim *int // NULL: LIMIT ALL
	if f.Limit > 0 {
		lim = &f.Limit
	}
	args = append(args, lim)
	q += ` ORDER BY id DESC LIMIT $` + strconv.Itoa(len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	items, err := collectOutbox(rows)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	if len(items) == 0 && f.WatchID != 0 {
		if err := s.watchExists(ctx, f.WatchID); err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
	}
	return items, nil
}

// RetryOutbox implements store.Store. SentAt is cleared with the state:
// the item is no longer sent.
func (s *Store) RetryOutbox(ctx context.Context, id int64, now time.Time) error {
	if err := checkstate.ValidateRetry(now); err != nil {
		return fmt.Errorf("retry outbox item %d: %w", id, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox
		SET state = 'pending', attempts = 0, next_attempt_at = $1, sent_at = NULL WHERE id = $2`,
		checkstate.Time(now), id)
	if err != nil {
		return fmt.Errorf("retry outbox item %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("retry outbox item %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// RetryDead implements store.Store.
func (s *Store) RetryDead(ctx context.Context, now time.Time) (int64, error) {
	if err := checkstate.ValidateRetry(now); err != nil {
		return 0, fmt.Errorf("retry dead outbox items: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1
		WHERE state = 'dead'`, checkstate.Time(now))
	if err != nil {
		return 0, fmt.Errorf("retry dead outbox items: %w", err)
	}
	return tag.RowsAffected(), nil
}

// NextOutboxDue implements store.Store.
func (s *Store) NextOutboxDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var next *time.Time
	err := s.pool.QueryRow(ctx, `SELECT min(CASE
			WHEN lease_owner IS NOT NULL AND lease_expires_at > $1 AND lease_expires_at > next_attempt_at
			THEN lease_expires_at
			ELSE next_attempt_at
		END) FROM outbox WHERE state = 'pending'`, checkstate.Time(now)).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	return utc(next), next != nil, nil
}

// CountOutbox implements store.Store.
func (s *Store) CountOutbox(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{store.OutboxPending: 0, store.OutboxSent: 0, store.OutboxDead: 0}
	rows, err := s.pool.Query(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count outbox items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state string
			n     int64
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count outbox items: %w", err)
		}
		counts[state] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count outbox items: %w", err)
	}
	return counts, nil
}
