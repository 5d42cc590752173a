package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/redlinehq/redline/store"
)

// busyTimeout is how long a connection waits for another process's lock
// before failing with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// Store is a store.Store kept in one SQLite file.
type Store struct {
	path  string
	write *sql.DB    // exactly one connection; every write and transaction
	read  *sql.DB    // query_only connections for reads
	stmts checkStmts // prepared on write

	recorder recorder // RecordCheck's group commit
}

var _ store.Store = (*Store)(nil)

// Open opens the SQLite database at path, creating the file and its parent
// directories when missing, and migrates its schema to the newest version.
// It fails with an error wrapping store.ErrSchemaTooNew when the database
// was migrated by a newer redline.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open sqlite %q: a file path is required (in-memory databases are not supported)", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	s := &Store{path: abs}
	s.write, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxLifetime(0)
	s.write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, s.write); err != nil {
		_ = s.write.Close() // the migration error is the one to report
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if s.stmts, err = prepareCheckStmts(ctx, s.write); err != nil {
		_ = s.write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	// The reader pool opens after the migration: by then the file is in WAL
	// mode, which query_only connections could not switch it to.
	s.read, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		_ = s.write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	if err := s.read.PingContext(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return s, nil
}

// dsn returns the modernc.org/sqlite data source name for the file at the
// absolute path abs. The pragmas are DSN parameters so that the driver runs
// them on every connection it opens, not only on the first.
func dsn(abs string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "1")
	}
	// A file: URI, so that any character of the path (even '?' or '#') is
	// percent-encoded rather than taken for the start of the parameters.
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.stmts.close(), s.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close sqlite %s: %w", s.path, err)
	}
	return nil
}

// isUniqueViolation reports whether err is SQLite refusing a duplicate in a
// UNIQUE column.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// toMicros encodes t for an INTEGER time column: microseconds since the Unix
// epoch, NULL for the zero time.
func toMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromMicros decodes an INTEGER time column into a UTC time, the zero time
// for NULL.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// rollback ends tx when it was not committed; after a commit it is a no-op.
func rollback(tx *sql.Tx) {
	_ = tx.Rollback() // sql.ErrTxDone after Commit; nothing to report otherwise
}
