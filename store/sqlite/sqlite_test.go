package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redlinehq/redline/internal/checkstate"
	"github.com/redlinehq/redline/internal/sqlmigrate"
	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/storetest"
)

// openTest opens a store in a new file under the test's temporary directory.
func openTest(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(tb.Context(), filepath.Join(tb.TempDir(), "redline.db"))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

// TestConformanceShared runs the suite's tests for several stores on one
// file, as several processes would have.
func TestConformanceShared(t *testing.T) {
	t.Parallel()
	storetest.RunShared(t, func(t *testing.T, n int) []store.Store {
		path := filepath.Join(t.TempDir(), "shared.db")
		var stores []store.Store
		for range n {
			s, err := Open(t.Context(), path)
			if err != nil {
				for _, s := range stores {
					_ = s.Close()
				}
				t.Fatalf("Open: %v", err)
			}
			stores = append(stores, s)
		}
		return stores
	})
}

func BenchmarkRecordCheck(b *testing.B) {
	storetest.BenchmarkRecordCheck(b, func(tb testing.TB) store.Store { return openTest(tb) })
}

func TestOpenCreatesDirectories(t *testing.T) {
	t.Parallel()
	// Characters that mean something in a URI must still name the file.
	path := filepath.Join(t.TempDir(), "a dir", "b?c#d%20e", "redline.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not at %s: %v", path, err)
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:"} {
		if s, err := Open(t.Context(), path); err == nil {
			_ = s.Close()
			t.Errorf("Open(%q) = nil error, want a refusal", path)
		}
	}
}

func schemaVersion(t *testing.T, s *Store) int {
	t.Helper()
	var v int
	if err := s.read.QueryRowContext(t.Context(), `SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/", Tags: []string{"kept"}})
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	c, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: started, Outcome: store.OutcomeNew,
		Revision: &store.Revision{FetchedAt: started, Text: "first"}})
	if err != nil {
		t.Fatal(err)
	}
	changed := started.Add(time.Hour)
	c, err = s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: changed, Outcome: store.OutcomeChanged,
		Revision: &store.Revision{FetchedAt: changed, Text: "survives", Class: "headline"}})
	if err != nil {
		t.Fatal(err)
	}
	flapped := changed.Add(time.Hour)
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: flapped, Outcome: store.OutcomeFlapping,
		ETag: `"flap"`}); err != nil {
		t.Fatal(err)
	}
	version := schemaVersion(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for range 2 { // reopening twice: migrations are not re-applied
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got := schemaVersion(t, s); got != version {
			t.Errorf("schema version after reopen = %d, want %d", got, version)
		}
		var rows int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != version {
			t.Errorf("schema_version has %d rows, want %d (one per migration)", rows, version)
		}
		got, err := s.Watch(ctx, w.ID)
		if err != nil {
			t.Fatalf("Watch after reopen: %v", err)
		}
		if got.URL != w.URL || got.State.Revisions != 2 || got.State.Flaps != 1 || got.State.ETag != "" ||
			!got.State.LastCheckAt.Equal(flapped) || !got.State.LastChangeAt.Equal(changed) {
			t.Errorf("Watch after reopen = %+v", got)
		}
		rev, err := s.Revision(ctx, w.ID, c.RevisionSeq)
		if err != nil || rev.Text != "survives" || rev.Class != "headline" {
			t.Errorf("Revision after reopen = %q class %q, %v", rev.Text, rev.Class, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "redline.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	known := schemaVersion(t, s)
	future := known + 41
	if _, err := s.write.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, 0)`, future); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path)
	if err == nil {
		_ = s.Close()
		t.Fatal("Open(newer schema) = nil error, want store.ErrSchemaTooNew")
	}
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("Open(newer schema) error = %v, want one wrapping store.ErrSchemaTooNew", err)
	}
	for _, v := range []int{future, known} {
		if !strings.Contains(err.Error(), strconv.Itoa(v)) {
			t.Errorf("error %q does not name version %d", err, v)
		}
	}
}

// TestPragmasOnEveryConnection holds several connections of each pool open
// at once, so each is a distinct SQLite connection, and checks each one.
func TestPragmasOnEveryConnection(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })

	pools := []struct {
		name      string
		db        *sql.DB
		n         int
		queryOnly int
	}{
		{"write", s.write, 1, 0},
		{"read", s.read, 4, 1},
	}
	for _, p := range pools {
		var conns []*sql.Conn
		for range p.n {
			c, err := p.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			checkPragmas(ctx, t, c, p.name+" conn "+strconv.Itoa(i), p.queryOnly)
		}
		for _, c := range conns {
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := s.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer pool allows %d connections, want 1", got)
	}
}

func checkPragmas(ctx context.Context, t *testing.T, c *sql.Conn, name string, queryOnly int) {
	t.Helper()
	want := map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"busy_timeout": strconv.FormatInt(busyTimeout.Milliseconds(), 10),
		"synchronous":  "1", // NORMAL
		"query_only":   strconv.Itoa(queryOnly),
	}
	for pragma, w := range want {
		var got string
		if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatalf("%s: PRAGMA %s: %v", name, pragma, err)
		}
		if !strings.EqualFold(got, w) {
			t.Errorf("%s: PRAGMA %s = %s, want %s", name, pragma, got, w)
		}
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.read.ExecContext(t.Context(), `DELETE FROM watches`); err == nil {
		t.Error("a write through the read pool succeeded, want it refused by query_only")
	}
}

// TestTwoStoresOneFile checks that two Stores on one file (as two processes
// would have) can write concurrently without SQLITE_BUSY, thanks to
// IMMEDIATE transactions and the busy timeout.
func TestTwoStoresOneFile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	w, err := a.AddWatch(ctx, store.Watch{URL: "https://example.com/shared"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	errc := make(chan error, 2*n)
	for _, s := range []*Store{a, b} {
		go func() {
			for i := range n {
				at := time.Unix(int64(i), 0)
				_, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: at, Outcome: store.OutcomeChanged,
					Revision: &store.Revision{FetchedAt: at, Text: "t"}})
				errc <- err
			}
		}()
	}
	for range 2 * n {
		if err := <-errc; err != nil {
			t.Fatalf("RecordCheck from two stores: %v", err)
		}
	}
	got, err := b.Watch(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State.Revisions != 2*n {
		t.Errorf("Revisions = %d, want %d", got.State.Revisions, 2*n)
	}
}

// TestCorruptBlocks: the column's CHECK refuses what is not a JSON array;
// an array that does not decode as stats does not stop the watch being
// read: every method that reads watches returns it as stored, and only
// decoding it fails. A check that brings new stats repairs it.
func TestCorruptBlocks(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/corrupt"})
	if err != nil {
		t.Fatal(err)
	}
	const upsert = `INSERT INTO watch_blocks (watch_id, blocks) VALUES (?, ?)
		ON CONFLICT (watch_id) DO UPDATE SET blocks = excluded.blocks`
	for _, bad := range []string{`not json`, `{"selector":"p"}`, `"[]"`, ``} {
		if _, err := s.write.ExecContext(ctx, upsert, w.ID, bad); err == nil {
			t.Errorf("blocks = %q accepted, want the CHECK to refuse it", bad)
		}
	}
	const bad = `[{"seen":"many"}]`
	if _, err := s.write.ExecContext(ctx, upsert, w.ID, bad); err != nil {
		t.Fatal(err)
	}
	var got []store.Watch
	one, err := s.Watch(ctx, w.ID)
	got = append(got, one)
	if err != nil {
		t.Errorf("Watch(corrupt blocks): %v", err)
	}
	one, err = s.WatchByURL(ctx, w.URL)
	got = append(got, one)
	if err != nil {
		t.Errorf("WatchByURL(corrupt blocks): %v", err)
	}
	all, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil || len(all) != 1 {
		t.Errorf("ListWatches(corrupt blocks) = %d watches, %v; want the one", len(all), err)
	}
	for _, g := range append(got, all...) {
		if g.State.Blocks.JSON() != bad {
			t.Errorf("blocks read back as %s, want %s", g.State.Blocks, bad)
		}
		if _, err := g.State.Blocks.Decode(); err == nil || !strings.Contains(err.Error(), "block stats") {
			t.Errorf("Decode(corrupt blocks) error = %v, want one naming the block stats", err)
		}
	}
	// RecordCheck does not read the stored blocks: giving new ones repairs them.
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: time.Unix(1, 0), Outcome: store.OutcomeUnchanged,
		Blocks: []store.BlockStat{{Selector: "p", Hash: "h", Seen: 1}}}); err != nil {
		t.Fatalf("RecordCheck over corrupt blocks: %v", err)
	}
	after, err := s.Watch(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if bs, err := after.State.Blocks.Decode(); err != nil || len(bs) != 1 {
		t.Errorf("blocks after repair = %+v, %v", bs, err)
	}
}

// atVersion creates a database at path migrated to schema version v only,
// as a redline of that version left it, and returns it with all the
// migrations; it fails the test unless there is one after v to apply.
func atVersion(t *testing.T, path string, v int) (*sql.DB, []sqlmigrate.Migration) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := sqlmigrate.Load(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) <= v {
		t.Fatalf("%d migrations, want at least %d", len(ms), v+1)
	}
	for i := 1; i <= v; i++ {
		if applied, err := migrateStep(t.Context(), db, ms[:v]); err != nil || !applied {
			t.Fatalf("apply migration %d: %v, %v", i, applied, err)
		}
	}
	return db, ms
}

// TestUpgradeFromVersion1 opens a database that a redline of schema version
// 1 created and filled: Open migrates it, and its watches read back with no
// blocks.
func TestUpgradeFromVersion1(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, ms := atVersion(t, path, 1)
	if _, err := db.ExecContext(ctx, `INSERT INTO watches (url, created_at, etag, revision_count) VALUES (?, ?, ?, ?)`,
		"https://example.com/old", time.Now().UnixMicro(), `"v1"`, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(version 1 database): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if got := schemaVersion(t, s); got != len(ms) {
		t.Errorf("schema version after Open = %d, want %d", got, len(ms))
	}
	w, err := s.WatchByURL(ctx, "https://example.com/old")
	if err != nil {
		t.Fatal(err)
	}
	if w.State.ETag != `"v1"` || w.State.Revisions != 3 || w.State.Blocks.Recorded() {
		t.Errorf("migrated watch state = %+v, want the version 1 values and nil Blocks", w.State)
	}
	if w.Schedule != "" || !w.State.NextCheckAt.IsZero() || w.State.LeaseOwner != "" {
		t.Errorf("migrated watch: Schedule %q, NextCheckAt %v, LeaseOwner %q; want the default schedule, never scheduled, no lease",
			w.Schedule, w.State.NextCheckAt, w.State.LeaseOwner)
	}
	if got, err := s.ClaimDue(ctx, "upgraded", time.Now(), 10, time.Minute); err != nil || len(got) != 1 || got[0].ID != w.ID {
		t.Errorf("ClaimDue on the migrated database = %v, %v; want the migrated watch, due at once", got, err)
	} else if err := s.ReleaseLease(ctx, w.ID, "upgraded", time.Time{}); err != nil {
		t.Errorf("ReleaseLease on the migrated database: %v", err)
	}
	blocks := []store.BlockStat{{Selector: "main", Hash: "h", Seen: 1, Changes: 1}}
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: time.Unix(1, 0), Outcome: store.OutcomeUnchanged,
		Blocks: blocks}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Watch(ctx, w.ID); err != nil || !got.State.Blocks.Equal(store.BlockStatsJSON(`[{"selector":"main","hash":"h","seen":1,"changes":1}]`)) {
		t.Errorf("Blocks after a check on the migrated database = %v, %v; want %+v", got.State.Blocks, err, blocks)
	}
	c, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: time.Unix(2, 0), Outcome: store.OutcomeError,
		Error: "HTTP 500", FailingAfter: 1,
		Notify: []store.Notification{{Notifier: "pager", On: store.EventFailing, Payload: []byte(`{}`)}}})
	if err != nil || c.Event != store.EventFailing {
		t.Fatalf("RecordCheck(error) on the migrated database = %+v, %v; want a failing event", c, err)
	}
	evs, err := s.Events(ctx, w.ID, 0)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Events on the migrated database = %+v, %v; want 1", evs, err)
	}
	want := strconv.FormatInt(w.ID, 10) + "-failing-" + strconv.FormatInt(evs[0].ID, 10) + "-pager"
	if items, err := s.ListOutbox(ctx, store.OutboxFilter{}); err != nil || len(items) != 1 || items[0].Key != want {
		t.Errorf("ListOutbox on the migrated database = %+v, %v; want one item keyed %s", items, err, want)
	}
	// revision_count is 3, but no revision rows: nothing to prune.
	if n, err := s.PruneRevisions(ctx, w.ID, store.Keep{Count: 1}); err != nil || n != 0 {
		t.Errorf("PruneRevisions on the migrated database = %d, %v; want 0", n, err)
	}
	if n, err := s.PruneChecks(ctx, time.Unix(2, 0)); err != nil || n != 1 {
		t.Errorf("PruneChecks on the migrated database = %d, %v; want 1", n, err)
	}
}

// TestPruneChecksBatches deletes in batches smaller than the old checks,
// which are interleaved, by ID, with newer ones (recorded late, or early):
// every old one goes, the newer ones stay, and the count adds up.
func TestPruneChecksBatches(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	var ws []store.Watch
	for i := range 3 {
		w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/batch/" + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	cut := time.Unix(1000, 0)
	var old, recent int
	for i := range 40 {
		at := cut.Add(-time.Duration(40-i) * time.Second) // old
		if i%3 == 0 {
			at = cut.Add(time.Duration(i) * time.Second) // recent, among the old ones
			recent++
		} else {
			old++
		}
		if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: ws[i%3].ID, StartedAt: at, Outcome: store.OutcomeUnchanged}); err != nil {
			t.Fatal(err)
		}
	}
	for _, batch := range []int{4, 1000} {
		n, err := s.pruneChecks(ctx, cut, batch)
		if err != nil {
			t.Fatalf("pruneChecks(batch %d): %v", batch, err)
		}
		if want := int64(old); n != want {
			t.Errorf("pruneChecks(batch %d) = %d, want %d", batch, n, want)
		}
		old = 0 // the second run finds none
	}
	var left int
	for _, w := range ws {
		cs, err := s.Checks(ctx, w.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.StartedAt.Before(cut) {
				t.Errorf("check %d started at %v survived pruning before %v", c.ID, c.StartedAt, cut)
			}
		}
		left += len(cs)
	}
	if left != recent {
		t.Errorf("%d checks left, want the %d recent ones", left, recent)
	}
}

// TestUpgradeFromVersion6 opens a database that a redline of schema
// version 6 (the outbox without groups) created and filled: Open migrates
// it, its items read back in no group and are claimed as before, and
// grouped items written since are claimed together.
func TestUpgradeFromVersion6(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v6.db")
	db, ms := atVersion(t, path, 6)
	var watchID int64
	if err := db.QueryRowContext(ctx, `INSERT INTO watches (url, created_at) VALUES (?, ?) RETURNING id`,
		"https://example.com/v6", time.Unix(1, 0).UnixMicro()).Scan(&watchID); err != nil {
		t.Fatal(err)
	}
	for i, state := range []string{"pending", "sent", "pending"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO outbox
			(watch_id, notifier, kind, revision_seq, key, payload, state, created_at, next_attempt_at)
			VALUES (?, 'mail', 'changed', ?, ?, '{}', ?, ?, ?)`,
			watchID, i+1, fmt.Sprintf("%d-changed-%d-mail", watchID, i+1), state,
			time.Unix(100, 0).UnixMicro(), time.Unix(int64(100+i), 0).UnixMicro()); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(version 6 database): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if got := schemaVersion(t, s); got != len(ms) {
		t.Errorf("schema version after Open = %d, want %d", got, len(ms))
	}
	var indexes int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'outbox_group'`).
		Scan(&indexes); err != nil || indexes != 1 {
		t.Errorf("index outbox_group: %d, %v; want it created", indexes, err)
	}
	old, err := s.ListOutbox(ctx, store.OutboxFilter{})
	if err != nil || len(old) != 3 {
		t.Fatalf("ListOutbox on the migrated database = %+v, %v; want the 3 items", old, err)
	}
	for _, it := range old {
		if it.Group != "" {
			t.Errorf("migrated item %d in group %q, want none", it.ID, it.Group)
		}
	}

	// Grouped items written now, due after the old ones.
	_, err = s.RecordCheck(ctx, store.CheckResult{WatchID: watchID, StartedAt: time.Unix(200, 0), Outcome: store.OutcomeError,
		Error: "HTTP 500", FailingAfter: 1, Notify: []store.Notification{
			{Notifier: "a", On: store.EventFailing, Payload: []byte(`{}`), Group: "digest/1"},
			{Notifier: "b", On: store.EventFailing, Payload: []byte(`{}`), Group: "digest/1"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(300, 0)
	for _, want := range [][]string{{""}, {""}, {"digest/1", "digest/1"}} {
		got, err := s.ClaimOutbox(ctx, "upgraded", now, 1, time.Minute)
		var groups []string
		for _, it := range got {
			groups = append(groups, it.Group)
		}
		if err != nil || strings.Join(groups, ",") != strings.Join(want, ",") {
			t.Errorf("ClaimOutbox(limit 1) on the migrated database = %+v, %v; want items of groups %q", got, err, want)
		}
	}
}

// TestUpgradeFromVersion8 opens a database that a redline of schema
// version 8 (block statistics in the watches table) created and filled:
// Open moves the statistics to their own table, every watch reads back
// the same stats (none, an empty list, a list), the watches table no
// longer holds them, and deleting a watch deletes its stats.
func TestUpgradeFromVersion8(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "v8.db")
	db, ms := atVersion(t, path, 8)
	stats := map[string]string{
		"https://example.com/none":  ``,
		"https://example.com/empty": `[]`,
		"https://example.com/list":  `[{"selector":"main > p","hash":"h1","seen":3,"changes":5},{"selector":"#ticker","hash":"","seen":9,"changes":255}]`,
	}
	for u, b := range stats {
		if _, err := db.ExecContext(ctx, `INSERT INTO watches (url, created_at, etag, blocks, shortcut, published_at) VALUES (?, ?, '"v8"', ?, 'v1 abc', 7)`,
			u, time.Unix(1, 0).UnixMicro(), b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(version 8 database): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if got := schemaVersion(t, s); got != len(ms) {
		t.Errorf("schema version after Open = %d, want %d", got, len(ms))
	}
	ws, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil || len(ws) != len(stats) {
		t.Fatalf("ListWatches on the migrated database = %d watches, %v; want %d", len(ws), err, len(stats))
	}
	for _, w := range ws {
		want := store.BlockStatsJSON(stats[w.URL])
		if !w.State.Blocks.Equal(want) || w.State.Blocks.Recorded() != want.Recorded() {
			t.Errorf("%s: blocks %s after the upgrade, want %s", w.URL, w.State.Blocks, want)
		}
		if w.State.ETag != `"v8"` || w.State.Shortcut != "v1 abc" || w.State.Published.UnixMicro() != 7 {
			t.Errorf("%s: the rest of the state changed: %+v", w.URL, w.State)
		}
	}
	var cols int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('watches') WHERE name = 'blocks'`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("watches.blocks: %d columns, %v; want it dropped", cols, err)
	}
	list, err := s.WatchByURL(ctx, "https://example.com/list")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWatch(ctx, list.ID); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM watch_blocks`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("watch_blocks after deleting the watch with a list: %d rows, %v; want the empty list's alone", rows, err)
	}
}

// TestRecordBatch: the checks that group commit records in one
// transaction each stand alone: a failing one (a deleted watch, a done
// context) is rolled back to its savepoint and the ones before and after
// it are stored, in order, with the state, revisions and events each
// implies.
func TestRecordBatch(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	a, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/b"})
	if err != nil {
		t.Fatal(err)
	}
	// Watch c's check fails after its state is written: at its check row.
	c, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/c"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`CREATE TEMP TRIGGER refuse_c BEFORE INSERT ON checks
		WHEN NEW.watch_id = %d BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`, c.ID)); err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	at := time.Unix(1000, 0).UTC()
	rev := func(text string) *store.Revision {
		return &store.Revision{FetchedAt: at, ContentHash: "hash-" + text, Text: text, HTTPStatus: 200, FinalURL: a.URL}
	}
	req := func(ctx context.Context, r store.CheckResult) *recordReq {
		t.Helper()
		r, gz, err := checkstate.Prepare(r)
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := encodeBlocks(r.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		return &recordReq{ctx: ctx, r: r, textGz: gz, blocks: blocks, wake: make(chan struct{})}
	}
	batch := []*recordReq{
		req(ctx, store.CheckResult{WatchID: a.ID, StartedAt: at, Outcome: store.OutcomeNew, Revision: rev("one"),
			Blocks: []store.BlockStat{{Selector: "main", Hash: "h", Seen: 1}}}),
		req(ctx, store.CheckResult{WatchID: a.ID + b.ID + 100, StartedAt: at, Outcome: store.OutcomeUnchanged}),
		req(ctx, store.CheckResult{WatchID: b.ID, StartedAt: at, Outcome: store.OutcomeError, Error: "HTTP 500", FailingAfter: 1}),
		req(done, store.CheckResult{WatchID: a.ID, StartedAt: at.Add(time.Minute), Outcome: store.OutcomeError, Error: "HTTP 500"}),
		req(ctx, store.CheckResult{WatchID: c.ID, StartedAt: at, Outcome: store.OutcomeNew, Revision: rev("c"), ETag: `"c"`}),
		req(ctx, store.CheckResult{WatchID: a.ID, StartedAt: at.Add(2 * time.Minute), Outcome: store.OutcomeChanged, Revision: rev("two")}),
	}
	s.recordBatch(ctx, batch)

	for i, want := range []error{nil, store.ErrNotFound, nil, context.Canceled, nil, nil} {
		if i == 4 {
			continue // refused: below
		}
		if got := batch[i].err; !errors.Is(got, want) || (want == nil) != (got == nil) {
			t.Errorf("request %d: error %v, want %v", i, got, want)
		}
	}
	if err := batch[4].err; err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Errorf("request 4 (refused): error %v", err)
	}
	if batch[0].c.RevisionSeq != 1 || batch[5].c.RevisionSeq != 2 || batch[2].c.Event != store.EventFailing {
		t.Errorf("results = %+v, %+v, %+v; want revisions 1 and 2 and a failing event", batch[0].c, batch[5].c, batch[2].c)
	}
	// The refused check's revision and state were rolled back with it.
	wc, err := s.Watch(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wc.State.Revisions != 0 || wc.State.ETag != "" || !wc.State.LastCheckAt.IsZero() {
		t.Errorf("watch c after its refused check: %+v; want it untouched", wc.State)
	}
	if rs, err := s.Revisions(ctx, c.ID); err != nil || len(rs) != 0 {
		t.Errorf("watch c: %d revisions, %v; want none", len(rs), err)
	}
	wa, err := s.Watch(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wa.State.Revisions != 2 || wa.State.ConsecutiveErrors != 0 || wa.State.LastError != "" {
		t.Errorf("watch a: %+v; want 2 revisions and no error", wa.State)
	}
	if bs, err := wa.State.Blocks.Decode(); err != nil || len(bs) != 1 {
		t.Errorf("watch a: blocks %+v, %v; want the one recorded", bs, err)
	}
	if cs, err := s.Checks(ctx, a.ID, 0); err != nil || len(cs) != 2 {
		t.Errorf("watch a: %d checks, %v; want 2 (not the one with a done context)", len(cs), err)
	}
	wb, err := s.Watch(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, b.ID, 0)
	if wb.State.ConsecutiveErrors != 1 || err != nil || len(evs) != 1 || evs[0].Kind != store.EventFailing {
		t.Errorf("watch b: %d errors, events %+v, %v; want 1 error and its failing event", wb.State.ConsecutiveErrors, evs, err)
	}
}

// TestRecordCheckDoneContext: a check whose context is already done is
// refused with the context's error without waiting for the write lock,
// which another process holds here.
func TestRecordCheckDoneContext(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/done"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", dsn(s.path, true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	lock, err := other.BeginTx(ctx, nil) // IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer rollback(lock)

	done, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.RecordCheck(done, store.CheckResult{WatchID: w.ID, StartedAt: time.Unix(1, 0), Outcome: store.OutcomeUnchanged})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RecordCheck(done context) error = %v, want context.Canceled", err)
	}
}
