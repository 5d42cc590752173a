package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

const eventColumns = `id, watch_id, kind, at, error, consecutive_errors`

// insertEvent stores ev (whose ID is ignored) inside tx and returns its ID.
func insertEvent(ctx context.Context, tx pgx.Tx, ev store.Event) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO events (watch_id, kind, at, error, consecutive_errors)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, ev.WatchID, ev.Kind, ev.At, ev.Error, ev.ConsecutiveErrors).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert %s event: %w", ev.Kind, err)
	}
	return id, nil
}

// scanEvents reads the rows of a query of eventColumns.
func scanEvents(rows pgx.Rows) ([]store.Event, error) {
	defer rows.Close()
	var evs []store.Event
	for rows.Next() {
		var ev store.Event
		if err := rows.Scan(&ev.ID, &ev.WatchID, &ev.Kind, &ev.At, &ev.Error, &ev.ConsecutiveErrors); err != nil {
			return nil, err
		}
		ev.At = ev.At.UTC()
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, watchID int64, limit int) ([]store.Event, error) {
	var lim *int // NULL: LIMIT ALL
	if limit > 0 {
		lim = &limit
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM events
		WHERE watch_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, watchID, lim)
	if err != nil {
		return nil, fmt.Errorf("events of watch %d: %w", watchID, err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("events of watch %d: %w", watchID, err)
	}
	if len(evs) == 0 {
		if err := s.watchExists(ctx, watchID); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
	}
	return evs, nil
}

// RecentEvents implements store.Store.
func (s *Store) RecentEvents(ctx context.Context, since time.Time, limit int) ([]store.Event, error) {
	var lim *int // NULL: LIMIT ALL
	if limit > 0 {
		lim = &limit
	}
	since = checkstate.Time(since)
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM events
		WHERE at >= $1 ORDER BY at, id LIMIT $2`, since, lim)
	if err != nil {
		return nil, fmt.Errorf("events since %s: %w", since.Format(time.RFC3339Nano), err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("events since %s: %w", since.Format(time.RFC3339Nano), err)
	}
	return evs, nil
}
