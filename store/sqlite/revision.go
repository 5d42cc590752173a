package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/textzip"
	"github.com/redlinehq/redline/store"
)

const revisionColumns = `watch_id, seq, fetched_at, content_hash, text_gz, document, http_status, final_url, summary, class`

func scanRevision(row scanner) (store.Revision, error) {
	var (
		r       store.Revision
		fetched int64
		textGz  []byte
		doc     sql.NullString
	)
	if err := row.Scan(&r.WatchID, &r.Seq, &fetched, &r.ContentHash, &textGz, &doc, &r.HTTPStatus, &r.FinalURL, &r.Summary, &r.Class); err != nil {
		return store.Revision{}, err
	}
	r.FetchedAt = time.UnixMicro(fetched).UTC()
	text, err := textzip.Decompress(textGz)
	if err != nil {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", r.WatchID, r.Seq, err)
	}
	r.Text = text
	if doc.Valid {
		r.Document = json.RawMessage(doc.String)
	}
	return r, nil
}

// LatestRevision implements store.Store.
func (s *Store) LatestRevision(ctx context.Context, watchID int64) (store.Revision, error) {
	r, err := scanRevision(s.read.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE watch_id = ? ORDER BY seq DESC LIMIT 1`, watchID))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Revision{}, fmt.Errorf("latest revision of watch %d: %w", watchID, store.ErrNotFound)
	}
	if err != nil {
		return store.Revision{}, fmt.Errorf("latest revision of watch %d: %w", watchID, err)
	}
	return r, nil
}

// Revision implements store.Store.
func (s *Store) Revision(ctx context.Context, watchID int64, seq int) (store.Revision, error) {
	r, err := scanRevision(s.read.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE watch_id = ? AND seq = ?`, watchID, seq))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", watchID, seq, store.ErrNotFound)
	}
	if err != nil {
		return store.Revision{}, fmt.Errorf("watch %d revision %d: %w", watchID, seq, err)
	}
	return r, nil
}

// Revisions implements store.Store.
func (s *Store) Revisions(ctx context.Context, watchID int64) ([]store.Revision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT watch_id, seq, fetched_at, content_hash, http_status, final_url, summary, class
		FROM revisions WHERE watch_id = ? ORDER BY seq`, watchID)
	if err != nil {
		return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
	}
	defer rows.Close()
	var rs []store.Revision
	for rows.Next() {
		var (
			r       store.Revision
			fetched int64
		)
		if err := rows.Scan(&r.WatchID, &r.Seq, &fetched, &r.ContentHash, &r.HTTPStatus, &r.FinalURL, &r.Summary, &r.Class); err != nil {
			return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
		}
		r.FetchedAt = time.UnixMicro(fetched).UTC()
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions of watch %d: %w", watchID, err)
	}
	if len(rs) == 0 {
		if err := watchExists(ctx, s.read, watchID); err != nil {
			return nil, fmt.Errorf("revisions: %w", err)
		}
	}
	return rs, nil
}

// insertRevision stores rev as revision seq of watchID inside tx; textGz is
// rev.Text already compressed.
func insertRevision(ctx context.Context, tx *sql.Tx, watchID int64, seq int, rev *store.Revision, textGz []byte) error {
	var doc sql.NullString
	if len(rev.Document) > 0 {
		doc = sql.NullString{String: string(rev.Document), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions
		(watch_id, seq, fetched_at, content_hash, text_gz, document, http_status, final_url, summary, class)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		watchID, seq, rev.FetchedAt.UnixMicro(), rev.ContentHash, textGz, doc, rev.HTTPStatus, rev.FinalURL, rev.Summary, rev.Class)
	if err != nil {
		return fmt.Errorf("insert revision %d: %w", seq, err)
	}
	return nil
}
