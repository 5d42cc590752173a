package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/redlinehq/redline/internal/textzip"
	"github.com/redlinehq/redline/store"
)

const revisionColumns = `watch_id, seq, fetched_at, content_hash, text_gz, document, http_status, final_url, summary, class`

func scanRevision(row pgx.Row) (store.Revision, error) {
	var (
		r      store.Revision
		textGz []byte
		doc    []byte
	)
	if err := row.Scan(&r.WatchID, &r.Seq, &r.FetchedAt, &r.ContentHash, &textGz, &doc, &r.HTTPStatus, &r.FinalURL, &r.Summary, &r.Class); err != nil {
		return store.Revision{}, err
	}
	r.FetchedAt = r.FetchedAt.UTC()
	text, err := textzip.Decompress(textGz)
	if err != nil {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", r.WatchID, r.Seq, err)
	}
	r.Text = text
	if doc != nil {
		r.Document = json.RawMessage(doc)
	}
	return r, nil
}

// LatestRevision implements store.Store.
func (s *Store) LatestRevision(ctx context.Context, watchID int64) (store.Revision, error) {
	r, err := scanRevision(s.pool.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE watch_id = $1 ORDER BY seq DESC LIMIT 1`, watchID))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Revision{}, fmt.Errorf("latest revision of watch %d: %w", watchID, store.ErrNotFound)
	}
	if err != nil {
		return store.Revision{}, fmt.Errorf("latest revision of watch %d: %w", watchID, err)
	}
	return r, nil
}

// Revision implements store.Store.
func (s *Store) Revision(ctx context.Context, watchID int64, seq int) (store.Revision, error) {
	r, err := scanRevision(s.pool.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE watch_id = $1 AND seq = $2`, watchID, seq))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", watchID, seq, store.ErrNotFound)
	}
	if err != nil {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", watchID, seq, err)
	}
	return r, nil
}

// Revisions implements store.Store.
func (s *Store) Revisions(ctx context.Context, watchID int64) ([]store.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT watch_id, seq, fetched_at, content_hash, http_status, final_url, summary, class
		FROM revisions WHERE watch_id = $1 ORDER BY seq`, watchID)
	if err != nil {
		return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
	}
	defer rows.Close()
	var rs []store.Revision
	for rows.Next() {
		var r store.Revision
		if err := rows.Scan(&r.WatchID, &r.Seq, &r.FetchedAt, &r.ContentHash, &r.HTTPStatus, &r.FinalURL, &r.Summary, &r.Class); err != nil {
			return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
		}
		r.FetchedAt = r.FetchedAt.UTC()
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
	}
	if len(rs) == 0 {
		if err := s.watchExists(ctx, watchID); err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
	}
	return rs, nil
}

// insertRevision stores rev as revision seq of watchID inside tx; textGz is
// rev.Text already compressed.
func insertRevision(ctx context.Context, tx pgx.Tx, watchID int64, seq int, rev *store.Revision, textGz []byte) error {
	var doc any // untyped nil: NULL
	if len(rev.Document) > 0 {
		doc = rev.Document
	}
	_, err := tx.Exec(ctx, `INSERT INTO revisions
		(watch_id, seq, fetched_at, content_hash, text_gz, document, http_status, final_url, summary, class)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		watchID, seq, rev.FetchedAt, rev.ContentHash, textGz, doc, rev.HTTPStatus, rev.FinalURL, rev.Summary, rev.Class)
	if err != nil {
		return fmt.Errorf("insert revision %d: %w", seq, err)
	}
	return nil
}
