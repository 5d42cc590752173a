package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redlinehq/redline/internal/sqlmigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLockClass is the first key of the advisory lock taken while
// migrating; the second is a hash of the schema, so that databases holding
// several redline schemas (tests do) migrate them independently.
const migrationLockClass = 0x7265646c // "redl"

// migrate applies the pending migrations, each in its own transaction under
// the advisory lock, so concurrent processes migrate one after the other and
// the later ones find the work done.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := sqlmigrate.Load(migrationFS, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for {
		var applied bool
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var err error
			applied, err = migrateStep(ctx, tx, ms)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if !applied {
			return nil
		}
	}
}

// migrateStep applies the next pending migration inside tx and reports
// whether there was one.
func migrateStep(ctx context.Context, tx pgx.Tx, ms []sqlmigrate.Migration) (bool, error) {
	var schema *string
	if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return false, fmt.Errorf("read current schema: %w", err)
	}
	if schema == nil {
		return false, fmt.Errorf("no schema to migrate: the schemas of search_path do not exist")
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(migrationLockClass), *schema); err != nil {
		return false, fmt.Errorf("lock schema %s: %w", *schema, err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    integer     PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return false, fmt.Errorf("create schema_version: %w", err)
	}
	var current int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	m, ok, err := sqlmigrate.Next(ms, current)
	if err != nil || !ok {
		return false, err
	}
	// No arguments: pgx sends the file with the simple protocol, which runs
	// every statement in it.
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("%s: %w", m.Name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.Version); err != nil {
		return false, fmt.Errorf("%s: record version: %w", m.Name, err)
	}
	return true, nil
}
