package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/redlinehq/redline/store"
)

// watchColumns are the columns scanWatch reads, in its order.
const watchColumns = `id, url, name, tags, extract, source, paused, skip_confirm, schedule, created_at,
	etag, last_modified, body_hash, last_check_at, last_change_at, last_error,
	consecutive_errors, revision_count, flaps, blocks,
	next_check_at, lease_owner, lease_expires_at, shortcut, published_at`

func scanWatch(row pgx.Row) (store.Watch, error) {
	var (
		w                  store.Watch
		extract            []byte
		source             string
		lastCheck, lastChg *time.Time
		published          *time.Time
		blocks             string
		nextCheck, leaseTo *time.Time
		leaseOwner         *string
	)
	err := row.Scan(&w.ID, &w.URL, &w.Name, &w.Tags, &extract, &source, &w.Paused, &w.SkipConfirm, &w.Schedule, &w.CreatedAt,
		&w.State.ETag, &w.State.LastModified, &w.State.BodyHash, &lastCheck, &lastChg, &w.State.LastError,
		&w.State.ConsecutiveErrors, &w.State.Revisions, &w.State.Flaps, &blocks,
		&nextCheck, &leaseOwner, &leaseTo, &w.State.Shortcut, &published)
	if err != nil {
		return store.Watch{}, err
	}
	w.State.Blocks = store.BlockStatsJSON(blocks)
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	if err := json.Unmarshal(extract, &w.Extract); err != nil {
		return store.Watch{}, fmt.Errorf("watch %d: decode extraction settings: %w", w.ID, err)
	}
	w.Source = store.Source(source)
	w.CreatedAt = w.CreatedAt.UTC()
	w.State.LastCheckAt = utc(lastCheck)
	w.State.LastChangeAt = utc(lastChg)
	w.State.Published = utc(published)
	w.State.NextCheckAt = utc(nextCheck)
	if leaseOwner != nil {
		w.State.LeaseOwner = *leaseOwner
	}
	w.State.LeaseExpiresAt = utc(leaseTo)
	return w, nil
}

// encodeBlocks encodes bs for the blocks column: nil (NULL) for nil, which
// RecordCheck's coalesce turns into "keep the stored value", else the JSON
// array, "[]" for an empty slice.
func encodeBlocks(bs []store.BlockStat) (*string, error) {
	enc, err := store.EncodeBlockStats(bs)
	if err != nil || !enc.Recorded() {
		return nil, err
	}
	s := enc.JSON()
	return &s, nil
}

// settings encodes the array and JSON columns of w.
func settings(w store.Watch) (tags []string, extract json.RawMessage, err error) {
	tags = w.Tags
	if tags == nil {
		tags = []string{} // nil would be NULL
	}
	extract, err = json.Marshal(w.Extract)
	if err != nil {
		return nil, nil, fmt.Errorf("encode extraction settings: %w", err)
	}
	return tags, extract, nil
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
	err = s.pool.QueryRow(ctx, `INSERT INTO watches (url, name, tags, extract, source, paused, skip_confirm, schedule, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		w.URL, w.Name, tags, extract, string(w.Source), w.Paused, w.SkipConfirm, w.Schedule, w.CreatedAt).Scan(&w.ID)
	if isUniqueViolation(err, "watches_url_key") {
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
	tag, err := s.pool.Exec(ctx, `UPDATE watches
		SET url = $1, name = $2, tags = $3, extract = $4, source = $5, paused = $6, skip_confirm = $7, schedule = $8
		WHERE id = $9`,
		w.URL, w.Name, tags, extract, string(w.Source), w.Paused, w.SkipConfirm, w.Schedule, w.ID)
	if isUniqueViolation(err, "watches_url_key") {
		return fmt.Errorf("update watch %d: URL %s: %w", w.ID, w.URL, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("update watch %d: %w", w.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update watch %d: %w", w.ID, store.ErrNotFound)
	}
	return nil
}

// DeleteWatch implements store.Store. Revisions and checks go with the
// watch through ON DELETE CASCADE.
func (s *Store) DeleteWatch(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM watches WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete watch %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete watch %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// Watch implements store.Store.
func (s *Store) Watch(ctx context.Context, id int64) (store.Watch, error) {
	w, err := scanWatch(s.pool.QueryRow(ctx, `SELECT `+watchColumns+` FROM watches WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Watch{}, fmt.Errorf("watch %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Watch{}, fmt.Errorf("watch %d: %w", id, err)
	}
	return w, nil
}

// WatchByURL implements store.Store.
func (s *Store) WatchByURL(ctx context.Context, url string) (store.Watch, error) {
	w, err := scanWatch(s.pool.QueryRow(ctx, `SELECT `+watchColumns+` FROM watches WHERE url = $1`, url))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Watch{}, fmt.Errorf("watch %s: %w", url, store.ErrNotFound)
	}
	if err != nil {
		return store.Watch{}, fmt.Errorf("watch %s: %w", url, err)
	}
	return w, nil
}

// ListWatches implements store.Store. The tag filter is array containment,
// so it matches whole tags only.
func (s *Store) ListWatches(ctx context.Context, f store.WatchFilter) ([]store.Watch, error) {
	var (
		where []string
		args  []any
	)
	if f.URL != "" {
		args = append(args, f.URL)
		where = append(where, `url = $`+strconv.Itoa(len(args)))
	}
	if f.Tag != "" {
		args = append(args, []string{f.Tag})
		where = append(where, `tags @> $`+strconv.Itoa(len(args))+`::text[]`)
	}
	if f.Source != "" {
		args = append(args, string(f.Source))
		where = append(where, `source = $`+strconv.Itoa(len(args)))
	}
	q := `SELECT ` + watchColumns + ` FROM watches`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id`
	rows, err := s.pool.Query(ctx, q, args...)
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

// watchExists reports ErrNotFound for a missing watch id.
func (s *Store) watchExists(ctx context.Context, id int64) error {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM watches WHERE id = $1)`, id).Scan(&exists); err != nil {
		return fmt.Errorf("watch %d: %w", id, err)
	}
	if !exists {
		return fmt.Errorf("watch %d: %w", id, store.ErrNotFound)
	}
	return nil
}
