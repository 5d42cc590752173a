package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

// outboxColumns are the columns scanOutbox reads, in its order.
const outboxColumns = `id, watch_id, notifier, kind, revision_seq, event_id, key, payload, state, attempts,
	created_at, next_attempt_at, sent_at, last_error, last_status, grp, lease_owner, lease_expires_at`

func scanOutbox(row scanner) (store.OutboxItem, error) {
	var (
		it            store.OutboxItem
		seq, eventID  sql.NullInt64
		payload       string
		created, next int64
		sent, leaseTo sql.NullInt64
		leaseOwner    sql.NullString
	)
	err := row.Scan(&it.ID, &it.WatchID, &it.Notifier, &it.Kind, &seq, &eventID, &it.Key, &payload, &it.State, &it.Attempts,
		&created, &next, &sent, &it.LastError, &it.LastStatus, &it.Group, &leaseOwner, &leaseTo)
	if err != nil {
		return store.OutboxItem{}, err
	}
	it.RevisionSeq = int(seq.Int64)
	it.EventID = eventID.Int64
	it.Payload = json.RawMessage(payload)
	it.CreatedAt = time.UnixMicro(created).UTC()
	it.NextAttemptAt = time.UnixMicro(next).UTC()
	it.SentAt = fromMicros(sent)
	it.LeaseOwner = leaseOwner.String
	it.LeaseExpiresAt = fromMicros(leaseTo)
	return it, nil
}

// scanOutboxRows reads the rows of a query of outboxColumns.
func scanOutboxRows(rows *sql.Rows) ([]store.OutboxItem, error) {
	defer rows.Close()
	var items []store.OutboxItem
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// insertOutbox stores it (whose ID, attempts, lease and results are
// ignored: a new item has none) inside tx.
func insertOutbox(ctx context.Context, tx *sql.Tx, it store.OutboxItem) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(watch_id, notifier, kind, revision_seq, event_id, key, payload, state, created_at, next_attempt_at, grp)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.WatchID, it.Notifier, it.Kind,
		sql.NullInt64{Int64: int64(it.RevisionSeq), Valid: it.RevisionSeq > 0},
		sql.NullInt64{Int64: it.EventID, Valid: it.EventID > 0},
		it.Key, string(it.Payload), it.State, it.CreatedAt.UnixMicro(), it.NextAttemptAt.UnixMicro(), it.Group)
	if err != nil {
		return fmt.Errorf("insert outbox item %s: %w", it.Key, err)
	}
	return nil
}

// ClaimOutbox implements store.Store. Like ClaimDue, its transaction runs
// on the single writer connection and begins IMMEDIATE, so it holds
// SQLite's write lock from its first statement: the items it reads as
// unleased, those it chose within the limit and the other due items of
// their groups alike, cannot be claimed meanwhile, by this process or
// another, and a group is claimed whole.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.OutboxItem, error) {
	if err := checkstate.ValidateClaim(owner, now, limit, lease); err != nil {
		return nil, fmt.Errorf("claim outbox items for %s: %w", owner, err)
	}
	items, err := s.claimOutbox(ctx, owner, checkstate.Time(now), limit, checkstate.LeaseEnd(now, lease))
	if err != nil {
		return nil, fmt.Errorf("claim outbox items for %s: %w", owner, err)
	}
	return items, nil
}

// claimOutbox runs ClaimOutbox's transaction: it reads the claimable items
// in due order, up to limit, then the other claimable items of their
// groups (checkstate.OutboxGroups), and leases them all to owner until the
// given time.
func (s *Store) claimOutbox(ctx context.Context, owner string, now time.Time, limit int, until time.Time) ([]store.OutboxItem, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer rollback(tx)

	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE state = 'pending' AND next_attempt_at <= ?1
			AND (lease_owner IS NULL OR lease_expires_at <= ?1)
		ORDER BY next_attempt_at, id LIMIT ?2`, now.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("select due items: %w", err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return nil, fmt.Errorf("select due items: %w", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	var extra []store.OutboxItem
	if groups := checkstate.OutboxGroups(items); len(groups) > 0 {
		if extra, err = claimableOfGroups(ctx, tx, groups, items, now); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, 0, len(items)+len(extra))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	for _, it := range extra {
		ids = append(ids, it.ID)
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode item IDs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_owner = ?, lease_expires_at = ?
		WHERE id IN (SELECT value FROM json_each(?))`, owner, until.UnixMicro(), string(idList)); err != nil {
		return nil, fmt.Errorf("lease due items: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	items = checkstate.ClaimOrder(items, extra)
	for i := range items {
		items[i].LeaseOwner, items[i].LeaseExpiresAt = owner, until
	}
	return items, nil
}

// claimableOfGroups reads inside tx the pending items of groups due at now
// and not leased, other than those of chosen, in due order, through the
// outbox_group index: INDEXED BY, since without statistics (the store runs
// no ANALYZE) SQLite would rather walk outbox_due, every due item of any
// group or none; the query names both terms of the partial index's WHERE,
// which SQLite requires to use it.
func claimableOfGroups(ctx context.Context, tx *sql.Tx, groups []string, chosen []store.OutboxItem, now time.Time) ([]store.OutboxItem, error) {
	groupList, err := json.Marshal(groups)
	if err != nil {
		return nil, fmt.Errorf("encode groups: %w", err)
	}
	ids := make([]int64, len(chosen))
	for i, it := range chosen {
		ids[i] = it.ID
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("encode item IDs: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox INDEXED BY outbox_group
		WHERE grp IN (SELECT value FROM json_each(?1)) AND grp <> '' AND state = 'pending'
			AND next_attempt_at <= ?2 AND (lease_owner IS NULL OR lease_expires_at <= ?2)
			AND id NOT IN (SELECT value FROM json_each(?3))
		ORDER BY next_attempt_at, id`, string(groupList), now.UnixMicro(), string(idList))
	if err != nil {
		return nil, fmt.Errorf("select due items of their groups: %w", err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return nil, fmt.Errorf("select due items of their groups: %w", err)
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
		sentAt    sql.NullInt64
		next      sql.NullInt64 // NULL keeps next_attempt_at
	)
	switch d.State {
	case store.OutboxSent:
		lastError = ""
		sentAt = toMicros(checkstate.Time(d.At))
	case store.OutboxPending:
		next = toMicros(checkstate.Time(d.NextAttemptAt))
	}
	res, err := s.write.ExecContext(ctx, `UPDATE outbox
		SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, sent_at = ?,
			next_attempt_at = coalesce(?, next_attempt_at), lease_owner = NULL, lease_expires_at = NULL
		WHERE id = ? AND lease_owner = ?`,
		d.State, d.Status, lastError, sentAt, next, id, owner)
	if err != nil {
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	}
	if n > 0 {
		return nil
	}
	var holder sql.NullString
	err = s.read.QueryRowContext(ctx, `SELECT lease_owner FROM outbox WHERE id = ?`, id).Scan(&holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("finish delivery of outbox item %d: %w", id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("finish delivery of outbox item %d for %s: %w", id, owner, err)
	case holder.Valid:
		return fmt.Errorf("finish delivery of outbox item %d for %s: held by %s: %w", id, owner, holder.String, store.ErrLeaseLost)
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
		where = append(where, `state = ?`)
		args = append(args, f.State)
	}
	if f.WatchID != 0 {
		where = append(where, `watch_id = ?`)
		args = append(args, f.WatchID)
	}
	if f.RevisionSeq != 0 {
		where = append(where, `revision_seq = ?`)
		args = append(args, f.RevisionSeq)
	}
	q := `SELECT ` + outboxColumns + ` FROM outbox`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	if len(items) == 0 && f.WatchID != 0 {
		if err := watchExists(ctx, s.read, f.WatchID); err != nil {
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
	res, err := s.write.ExecContext(ctx, `UPDATE outbox
		SET state = 'pending', attempts = 0, next_attempt_at = ?, sent_at = NULL WHERE id = ?`,
		checkstate.Time(now).UnixMicro(), id)
	if err != nil {
		return fmt.Errorf("retry outbox item %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("retry outbox item %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("retry outbox item %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// RetryDead implements store.Store.
func (s *Store) RetryDead(ctx context.Context, now time.Time) (int64, error) {
	if err := checkstate.ValidateRetry(now); err != nil {
		return 0, fmt.Errorf("retry dead outbox items: %w", err)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?
		WHERE state = 'dead'`, checkstate.Time(now).UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("retry dead outbox items: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("retry dead outbox items: %w", err)
	}
	return n, nil
}

// NextOutboxDue implements store.Store.
func (s *Store) NextOutboxDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT min(CASE
			WHEN lease_owner IS NOT NULL AND lease_expires_at > ?1 AND lease_expires_at > next_attempt_at
			THEN lease_expires_at
			ELSE next_attempt_at
		END) FROM outbox WHERE state = 'pending'`, checkstate.Time(now).UnixMicro()).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	return fromMicros(next), next.Valid, nil
}

// CountOutbox implements store.Store.
func (s *Store) CountOutbox(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{store.OutboxPending: 0, store.OutboxSent: 0, store.OutboxDead: 0}
	rows, err := s.read.QueryContext(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
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
