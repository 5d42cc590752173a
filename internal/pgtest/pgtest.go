package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables read by DSN.
const (
	// EnvDSN names the server to test against, e.g.
	// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
	EnvDSN = "REDLINE_TEST_POSTGRES"
	// EnvRequired, set to 1, turns a missing EnvDSN from a skip into a
	// failure.
	EnvRequired = "REDLINE_TEST_POSTGRES_REQUIRED"
)

// DSN returns a DSN for a new, empty schema private to tb, dropped with
// everything in it when tb ends. It skips tb when EnvDSN is unset, or fails
// it when EnvRequired is also set to 1.
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		if os.Getenv(EnvRequired) == "1" {
			tb.Fatalf("%s is not set, and %s=1 forbids skipping PostgreSQL tests", EnvDSN, EnvRequired)
		}
		tb.Skipf("%s is not set; skipping PostgreSQL test", EnvDSN)
	}

	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "redline_test_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{schema}.Sanitize()

	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	if err := exec(ctx, base, "CREATE SCHEMA "+ident); err != nil {
		tb.Fatalf("pgtest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, base, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			tb.Errorf("pgtest: drop schema: %v", err)
		}
	})

	dsn, err := withSearchPath(base, schema)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// exec runs one statement on a connection of its own.
func exec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, sql)
	if cerr := conn.Close(ctx); err == nil {
		err = cerr
	}
	return err
}

// withSearchPath returns dsn with its search_path runtime parameter set to
// schema, in either DSN form pgx accepts (URL or key=value).
func withSearchPath(dsn, schema string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", EnvDSN, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	// key=value form: a later key overrides an earlier one.
	return strings.TrimSpace(dsn) + " search_path='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(schema) + "'", nil
}
