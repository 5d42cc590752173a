// Package pgtest gives tests their own PostgreSQL schema.
//
// DSN reads the server's DSN from REDLINE_TEST_POSTGRES, creates a fresh
// schema for the calling test, drops it when the test ends, and returns a
// DSN whose search_path names it, so that tests of the postgres store, and
// later end-to-end tests of the command, run in parallel without seeing each
// other's tables.
//
// When REDLINE_TEST_POSTGRES is unset the test is skipped, unless
// REDLINE_TEST_POSTGRES_REQUIRED=1 (CI sets it): then it fails, so a missing
// database cannot pass for a green run. pgtest is for tests only.
package pgtest
