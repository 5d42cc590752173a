package pgtest

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestWithSearchPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ dsn, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?search_path=s1&sslmode=disable"},
		{"postgresql://u@h/db?search_path=old", "postgresql://u@h/db?search_path=s1"},
		{"host=h dbname=db", "host=h dbname=db search_path='s1'"},
	}
	for _, tt := range tests {
		got, err := withSearchPath(tt.dsn, "s1")
		if err != nil || got != tt.want {
			t.Errorf("withSearchPath(%q) = %q, %v; want %q", tt.dsn, got, err, tt.want)
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil {
			t.Fatalf("pgx cannot parse %q: %v", got, err)
		}
		if sp := cfg.RuntimeParams["search_path"]; sp != "s1" {
			t.Errorf("pgx reads search_path %q from %q, want s1", sp, got)
		}
	}
}

func TestDSN(t *testing.T) {
	t.Parallel()
	dsn := DSN(t)
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(t.Context()) }()
	var schema string
	if err := conn.QueryRow(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatalf("current_schema: %v (does the schema exist?)", err)
	}
	if len(schema) < len("redline_test_") || schema[:len("redline_test_")] != "redline_test_" {
		t.Errorf("current_schema() = %q, want redline_test_…", schema)
	}
}
