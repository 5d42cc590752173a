package sqlmigrate

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/redlinehq/redline/store"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("CREATE TABLE b (x int);")},
		"m/0001_init.sql": {Data: []byte("CREATE TABLE a (x int);")},
		"m/README.md":     {Data: []byte("not a migration")},
	}
	ms, err := Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 || ms[1].Version != 2 || ms[1].Name != "0002_more.sql" || !strings.Contains(ms[0].SQL, "TABLE a") {
		t.Fatalf("Load = %+v", ms)
	}
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := map[string]fstest.MapFS{
		"gap":      {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"bad name": {"m/0001_a.sql": {}, "m/2_b.sql": {}},
		"zero":     {"m/0000_a.sql": {}},
		"empty":    {"m/x.txt": {}},
		"dup":      {"m/0001_a.sql": {}, "m/0001_b.sql": {}},
	}
	for name, fsys := range tests {
		if ms, err := Load(fsys, "m"); err == nil {
			t.Errorf("%s: Load = %+v, want an error", name, ms)
		}
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	ms := []Migration{{Version: 1, Name: "0001_a.sql"}, {Version: 2, Name: "0002_b.sql"}}
	if m, ok, err := Next(ms, 0); err != nil || !ok || m.Version != 1 {
		t.Errorf("Next(0) = %v, %v, %v; want migration 1", m, ok, err)
	}
	if m, ok, err := Next(ms, 1); err != nil || !ok || m.Version != 2 {
		t.Errorf("Next(1) = %v, %v, %v; want migration 2", m, ok, err)
	}
	if _, ok, err := Next(ms, 2); err != nil || ok {
		t.Errorf("Next(2) = %v, %v; want up to date", ok, err)
	}
	_, _, err := Next(ms, 7)
	if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), "7") || !strings.Contains(err.Error(), "2") {
		t.Errorf("Next(7) error = %v, want ErrSchemaTooNew naming 7 and 2", err)
	}
}
