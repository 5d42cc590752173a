package main

import (
	"context"
	"strings"

	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/postgres"
	"github.com/redlinehq/redline/store/sqlite"
)

// openStore opens the store a DSN names: a postgres:// or postgresql:// URL
// selects PostgreSQL, anything else is a SQLite file path (created, with
// its directory, when missing).
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}
