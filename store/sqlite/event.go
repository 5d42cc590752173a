package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/store"
)

const eventColumns = `id, watch_id, kind, at, error, consecutive_errors`

// insertEvent stores ev (whose ID is ignored) inside tx and returns its ID.
func insertEvent(ctx context.Context, tx *sql.Tx, ev store.Event) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO events (watch_id, kind, at, error, consecutive_errors)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, ev.WatchID, ev.Kind, ev.At.UnixMicro(), ev.Error, ev.ConsecutiveErrors).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert %s event: %w", ev.Kind, err)
	}
	return id, nil
}

// scanEvents reads the rows of a query of eventColumns.
func scanEvents(rows *sql.Rows) ([]store.Event, error) {
	defer rows.Close()
	var evs []store.Event
	for rows.Next() {
		var (
			ev store.Event
			at int64
		)
		if err := rows.Scan(&ev.ID, &ev.WatchID, &ev.Kind, &at, &ev.Error, &ev.ConsecutiveErrors); err != nil {
			return nil, err
		}
		ev.At = time.UnixMicro(at).UTC()
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, watchID int64, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events
		WHERE watch_id = ? ORDER BY at DESC, id DESC LIMIT ?`, watchID, limit)
	if err != nil {
		return nil, fmt.Errorf("events of watch %d: %w", watchID, err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("events of watch %d: %w", watchID, err)
	}
	if len(evs) == 0 {
		if err := watchExists(ctx, s.read, watchID); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
	}
	return evs, nil
}

// RecentEvents implements store.Store.
func (s *Store) RecentEvents(ctx context.Context, since time.Time, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	since = checkstate.Time(since)
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events
		WHERE at >= ? ORDER BY at, id LIMIT ?`, since.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("events since %s: %w", since.Format(time.RFC3339Nano), err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("events since %s: %w", since.Format(time.RFC3339Nano), err)
	}
	return evs, nil
}
