package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/redlinehq/redline/internal/sqlmigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrate applies the pending migrations, each in its own transaction. The
// transactions begin IMMEDIATE (see dsn), which takes SQLite's write lock up
// front: two processes opening the same file migrate one after the other,
// and the second finds the work done.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := sqlmigrate.Load(migrationFS, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for {
		applied, err := migrateStep(ctx, db, ms)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if !applied {
			return nil
		}
	}
}

// migrateStep applies the next pending migration and reports whether there
// was one.
func migrateStep(ctx context.Context, db *sql.DB, ms []sqlmigrate.Migration) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return false, fmt.Errorf("create schema_version: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	m, ok, err := sqlmigrate.Next(ms, current)
	if err != nil || !ok {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("%s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`,
		m.Version, time.Now().UnixMicro()); err != nil {
		return false, fmt.Errorf("%s: record version: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("%s: commit: %w", m.Name, err)
	}
	return true, nil
}
