package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redlinehq/redline/store"
)

// watchColumns are the columns scanWatch reads, in its order.
const watchColumns = `id, url, name, tags, extract, source, paused, skip_confirm, schedule, created_at,
	etag, last_modified, body_hash, last_check_at, last_change_at, last_error,
	consecutive_errors, revision_count, flaps, coalesce((SELECT blocks FROM watch_blocks WHERE watch_id = watches.id), ''),
	next_check_at, lease_owner, lease_expires_at, shortcut, published_at`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanWatch(row scanner) (store.Watch, error) {
	var (
		w                  store.Watch
		tags, extract      string
		source             string
		created            int64
		lastCheck, lastChg sql.NullInt64
		published          sql.NullInt64
		blocks             string
		nextCheck, leaseTo sql.NullInt64
		leaseOwner         sql.NullString
	)
	err := row.Scan(&w.ID, &w.URL, &w.Name, &tags, &extract, &source, &w.Paused, &w.SkipConfirm, &w.Schedule, &created,
		&w.State.ETag, &w.State.LastModified, &w.State.BodyHash, &lastCheck, &lastChg, &w.State.LastError,
		&w.State.ConsecutiveErrors, &w.State.Revisions, &w.State.Flaps, &blocks,
		&nextCheck, &leaseOwner, &leaseTo, &w.State.Shortcut, &published)
	if err != nil {
		return store.Watch{}, err
	}
	w.State.Blocks = store.BlockStatsJSON(blocks)
	if err := json.Unmarshal([]byte(tags), &w.Tags); err != nil {
		return store.Watch{}, fmt.Errorf("watch %d: decode tags: %w", w.ID, err)
	}
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	if err := json.Unmarshal([]byte(extract), &w.Extract); err != nil {
		return store.Watch{}, fmt.Errorf("watch %d: decode extraction settings: %w", w.ID, err)
	}
	w.Source = store.Source(source)
	w.CreatedAt = time.UnixMicro(created).UTC()
	w.State.LastCheckAt = fromMicros(lastCheck)
	w.State.LastChangeAt = fromMicros(lastChg)
	w.State.Published = fromMicros(published)
	w.State.NextCheckAt = fromMicros(nextCheck)
	w.State.LeaseOwner = leaseOwner.String
	w.State.LeaseExpiresAt = fromMicros(leaseTo)
	return w, nil
}

// encodeBlocks encodes bs for the watch_blocks table: NULL for nil (keep
// the stored value), else the JSON array, "[]" for an empty slice.
func encodeBlocks(bs []store.BlockStat) (sql.NullString, error) {
	enc, err := store.EncodeBlockStats(bs)
	if err != nil || !enc.Recorded() {
		return sql.NullString{}, err
	}
	return sql.NullString{String: enc.JSON(), Valid: true}, nil
}

// settings encodes the JSON columns of w.
func settings(w store.Watch) (tags, extract string, err error) {
	t := w.Tags
	if t == nil {
		t = []string{}
	}
	tb, err := json.Marshal(t)
	if err != nil {
		return "", "", fmt.Errorf("encode tags: %w", err)
	}
	eb, err := json.Marshal(w.Extract)
	if err != nil {
		return "", "", fmt.Errorf("encode extraction settings: %w", err)
	}
	return string(tb), string(eb), nil
}

// AddWatch implements store.Store.
func (s *Store) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	if w.URL == "" {
		return store.Watch{}, errors.New("add watch: empty URL")
	}
	tags, extract, err := settings(w)
	if err != nil {
		return store.Watch{}, fmt.Errorf("add watch %s: %w", w.URL, err)
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now()
	}
	w.CreatedAt = w.CreatedAt.Truncate(time.Microsecond).UTC()
	w.State = store.WatchState{}
	err = s.write.QueryRowContext(ctx, `INSERT INTO watches (url, name, tags, extract, source, paused, skip_confirm, schedule, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		w.URL, w.Name, tags, extract, string(w.Source), w.Paused, w.SkipConfirm, w.Schedule, w.CreatedAt.UnixMicro()).Scan(&w.ID)
	if isUniqueViolation(err) {
		return store.Watch{}, fmt.Errorf("add watch %s: %w", w.URL, store.ErrExists)
	}
	if err != nil {
		return store.Watch{}, fmt.Errorf("add watch %s: %w", w.URL, err)
	}
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	return w, nil
}

// UpdateWatch implements store.Store.
func (s *Store) UpdateWatch(ctx context.Context, w store.Watch) error {
	if w.URL == "" {
		return fmt.Errorf("update watch %d: empty URL", w.ID)
	}
	tags, extract, err := settings(w)
	if err != nil {
		return fmt.Errorf("update watch %d: %w", w.ID, err)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE watches
		SET url = ?, name = ?, tags = ?, extract = ?, source = ?, paused = ?, skip_confirm = ?, schedule = ?
		WHERE id = ?`,
		w.URL, w.Name, tags, extract, string(w.Source), w.Paused, w.SkipConfirm, w.Schedule, w.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("update watch %d: URL %s: %w", w.ID, w.URL, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("update watch %d: %w", w.ID, err)
	}
	return requireOne(res, w.ID, "update")
}

// DeleteWatch implements store.Store. Revisions and checks go with the
// watch through ON DELETE CASCADE.
func (s *Store) DeleteWatch(ctx context.Context, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM watches WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete watch %d: %w", id, err)
	}
	return requireOne(res, id, "delete")
}

// requireOne turns "no row affected" into ErrNotFound for watch id.
func requireOne(res sql.Result, id int64, verb string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s watch %d: %w", verb, id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s watch %d: %w", verb, id, store.ErrNotFound)
	}
	return nil
}

// Watch implements store.Store.
func (s *Store) Watch(ctx context.Context, id int64) (store.Watch, error) {
	w, err := scanWatch(s.read.QueryRowContext(ctx, `SELECT `+watchColumns+` FROM watches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Watch{}, fmt.Errorf("watch %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Watch{}, fmt.Errorf("watch %d: %w", id, err)
	}
	return w, nil
}

// WatchByURL implements store.Store.
func (s *Store) WatchByURL(ctx context.Context, url string) (store.Watch, error) {
	w, err := scanWatch(s.read.QueryRowContext(ctx, `SELECT `+watchColumns+` FROM watches WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Watch{}, fmt.Errorf("watch %s: %w", url, store.ErrNotFound)
	}
	if err != nil {
		return store.Watch{}, fmt.Errorf("watch %s: %w", url, err)
	}
	return w, nil
}

// ListWatches implements store.Store. The tag filter compares whole tags,
// element by element of the JSON array, never substrings.
func (s *Store) ListWatches(ctx context.Context, f store.WatchFilter) ([]store.Watch, error) {
	var (
		where []string
		args  []any
	)
	if f.URL != "" {
		where = append(where, `url = ?`)
		args = append(args, f.URL)
	}
	if f.Tag != "" {
		where = append(where, `EXISTS (SELECT 1 FROM json_each(watches.tags) AS t WHERE t.value = ?)`)
		args = append(args, f.Tag)
	}
	if f.Source != "" {
		where = append(where, `source = ?`)
		args = append(args, string(f.Source))
	}
	q := `SELECT ` + watchColumns + ` FROM watches`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id`
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	defer rows.Close()
	var ws []store.Watch
	for rows.Next() {
		w, err := scanWatch(rows)
		if err != nil {
			return nil, fmt.Errorf("list watches: %w", err)
		}
		ws = append(ws, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	return ws, nil
}

// watchExists reports ErrNotFound for a missing watch id, read through q.
func watchExists(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM watches WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("watch %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("watch %d: %w", id, err)
	}
	return nil
}
