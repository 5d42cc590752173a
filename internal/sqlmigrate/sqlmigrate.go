package sqlmigrate

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/redlinehq/redline/store"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int    // 1, 2, …: the schema version once applied
	Name    string // file name, e.g. "0001_init.sql"
	SQL     string
}

// Load reads the migrations in directory dir of fsys, ordered by version.
// Every .sql file there must be named NNNN_description.sql and the versions
// must run 1, 2, … without gaps or duplicates.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || v < 1 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql with NNNN from 0001", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	// fs.ReadDir sorts by name, and names start with the zero-padded version.
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions must run 1, 2, … without gaps)", m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	return ms, nil
}

// Next returns the migration to apply to a database at schema version
// current, and false when the database is up to date. It returns an error
// wrapping store.ErrSchemaTooNew, naming both versions, when current is
// newer than the newest of ms.
func Next(ms []Migration, current int) (Migration, bool, error) {
	latest := len(ms)
	switch {
	case current < 0:
		return Migration{}, false, fmt.Errorf("invalid schema version %d", current)
	case current > latest:
		return Migration{}, false, fmt.Errorf("%w: database is at schema version %d, this redline knows versions up to %d",
			store.ErrSchemaTooNew, current, latest)
	case current == latest:
		return Migration{}, false, nil
	}
	return ms[current], true, nil
}
