package postgres

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redlinehq/redline/internal/pgtest"
	"github.com/redlinehq/redline/internal/sqlmigrate"
	"github.com/redlinehq/redline/store"
	"github.com/redlinehq/redline/store/storetest"
)

// openTest opens a store in a schema of its own (see pgtest.DSN).
func openTest(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(tb.Context(), pgtest.DSN(tb))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

// TestConformanceShared runs the suite's tests for several stores, each
// with its own pool, on one schema, as several processes would have.
func TestConformanceShared(t *testing.T) {
	t.Parallel()
	storetest.RunShared(t, func(t *testing.T, n int) []store.Store {
		dsn := pgtest.DSN(t)
		var stores []store.Store
		for range n {
			s, err := Open(t.Context(), dsn)
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

func schemaVersion(t *testing.T, s *Store) (version, rows int) {
	t.Helper()
	if err := s.pool.QueryRow(t.Context(), `SELECT max(version), count(*) FROM schema_version`).Scan(&version, &rows); err != nil {
		t.Fatal(err)
	}
	return version, rows
}

// TestMigrateConcurrently opens one schema from several goroutines at once,
// as several redline processes starting together would: the advisory lock
// lets one migrate and the others find the work done.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	const n = 6
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		errs   []error
		stores []*Store
	)
	for range n {
		wg.Go(func() {
			s, err := Open(t.Context(), dsn)
			mu.Lock()
			defer mu.Unlock()
			errs = append(errs, err)
			if s != nil {
				stores = append(stores, s)
			}
		})
	}
	wg.Wait()
	for _, s := range stores {
		t.Cleanup(func() { _ = s.Close() })
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Open: %v", err)
	}
	version, rows := schemaVersion(t, stores[0])
	if rows != version {
		t.Errorf("schema_version has %d rows for version %d, want one per migration", rows, version)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := pgtest.DSN(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/", Tags: []string{"kept"}})
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	c, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: started, Outcome: store.OutcomeChanged,
		Revision: &store.Revision{FetchedAt: started, Text: "survives", Class: "silent-edit"}})
	if err != nil {
		t.Fatal(err)
	}
	flapped := started.Add(time.Hour)
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: flapped, Outcome: store.OutcomeFlapping,
		ETag: `"flap"`}); err != nil {
		t.Fatal(err)
	}
	version, _ := schemaVersion(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if v, rows := schemaVersion(t, s); v != version || rows != version {
			t.Errorf("after reopen: schema version %d in %d rows, want %d in %d", v, rows, version, version)
		}
		got, err := s.Watch(ctx, w.ID)
		if err != nil || got.URL != w.URL || len(got.Tags) != 1 || got.State.Revisions != 1 || got.State.Flaps != 1 ||
			got.State.ETag != "" || !got.State.LastCheckAt.Equal(flapped) || !got.State.LastChangeAt.Equal(started) {
			t.Errorf("Watch after reopen = %+v, %v", got, err)
		}
		rev, err := s.Revision(ctx, w.ID, c.RevisionSeq)
		if err != nil || rev.Text != "survives" || rev.Class != "silent-edit" {
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
	dsn := pgtest.DSN(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	known, _ := schemaVersion(t, s)
	future := known + 41
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, future); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, dsn)
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

func TestOpenMissingSchema(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	dsn = strings.Replace(dsn, "search_path=redline_test_", "search_path=absent_redline_test_", 1)
	s, err := Open(t.Context(), dsn)
	if err == nil {
		_ = s.Close()
		t.Fatal("Open with a search_path naming no schema = nil error, want an error")
	}
	if !strings.Contains(err.Error(), "schema") {
		t.Errorf("error %q does not say the schema is missing", err)
	}
}

func TestColumnTypes(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	want := map[string]string{
		"watches.id":                "bigint",
		"watches.tags":              "ARRAY",
		"watches.extract":           "jsonb",
		"watches.created_at":        "timestamp with time zone",
		"watches.lease_owner":       "text",
		"watches.next_check_at":     "timestamp with time zone",
		"revisions.text_gz":         "bytea",
		"revisions.document":        "jsonb",
		"revisions.fetched_at":      "timestamp with time zone",
		"checks.duration_us":        "bigint",
		"checks.started_at":         "timestamp with time zone",
		"watches.lease_expires_at":  "timestamp with time zone",
		"watches.flaps":             "integer",
		"revisions.class":           "text",
		"watches.blocks":            "text",
		"watches.schedule":          "text",
		"events.id":                 "bigint",
		"events.watch_id":           "bigint",
		"events.at":                 "timestamp with time zone",
		"events.consecutive_errors": "integer",
		"outbox.id":                 "bigint",
		"outbox.watch_id":           "bigint",
		"outbox.revision_seq":       "integer",
		"outbox.event_id":           "bigint",
		"outbox.payload":            "text",
		"outbox.created_at":         "timestamp with time zone",
		"outbox.next_attempt_at":    "timestamp with time zone",
		"outbox.sent_at":            "timestamp with time zone",
		"outbox.lease_expires_at":   "timestamp with time zone",
		"outbox.grp":                "text",
	}
	rows, err := s.pool.Query(t.Context(), `SELECT table_name || '.' || column_name, data_type
		FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for rows.Next() {
		var col, typ string
		if err := rows.Scan(&col, &typ); err != nil {
			t.Fatal(err)
		}
		got[col] = typ
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for col, typ := range want {
		if got[col] != typ {
			t.Errorf("column %s has type %q, want %q", col, got[col], typ)
		}
	}
}

// TestCorruptBlocks: a blocks value that does not decode does not stop the
// watch being read: every method that reads watches returns it as stored,
// and only decoding it fails. A check that brings new stats repairs it.
func TestCorruptBlocks(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTest(t)
	t.Cleanup(func() { _ = s.Close() })
	w, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/corrupt"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`not json`, `[{"seen":"many"}]`} {
		if _, err := s.pool.Exec(ctx, `UPDATE watches SET blocks = $1 WHERE id = $2`, bad, w.ID); err != nil {
			t.Fatal(err)
		}
		var got []store.Watch
		one, err := s.Watch(ctx, w.ID)
		got = append(got, one)
		if err != nil {
			t.Errorf("Watch(blocks %s): %v", bad, err)
		}
		one, err = s.WatchByURL(ctx, w.URL)
		got = append(got, one)
		if err != nil {
			t.Errorf("WatchByURL(blocks %s): %v", bad, err)
		}
		all, err := s.ListWatches(ctx, store.WatchFilter{})
		if err != nil || len(all) != 1 {
			t.Errorf("ListWatches(blocks %s) = %d watches, %v; want the one", bad, len(all), err)
		}
		for _, g := range append(got, all...) {
			if g.State.Blocks.JSON() != bad {
				t.Errorf("blocks %s read back as %s", bad, g.State.Blocks)
			}
			if _, err := g.State.Blocks.Decode(); err == nil || !strings.Contains(err.Error(), "block stats") {
				t.Errorf("Decode(blocks %s) error = %v, want one naming the block stats", bad, err)
			}
		}
	}
	// RecordCheck does not read the stored blocks: giving new ones repairs them.
	if _, err := s.RecordCheck(ctx, store.CheckResult{WatchID: w.ID, StartedAt: time.Unix(1, 0), Outcome: store.OutcomeUnchanged,
		Blocks: []store.BlockStat{{Selector: "p", Hash: "h", Seen: 1}}}); err != nil {
		t.Fatalf("RecordCheck over corrupt blocks: %v", err)
	}
	got, err := s.Watch(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if bs, err := got.State.Blocks.Decode(); err != nil || len(bs) != 1 {
		t.Errorf("blocks after repair = %+v, %v", bs, err)
	}
}

// TestUpgradeFromVersion1 opens a schema that a redline of schema version 1
// created and filled: Open migrates it, and its watches read back with no
// blocks.
func TestUpgradeFromVersion1(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := pgtest.DSN(t)
	ms, err := sqlmigrate.Load(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 {
		t.Fatalf("%d migrations, want at least 2", len(ms))
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if applied, err := migrateStep(ctx, tx, ms[:1]); err != nil || !applied {
			return fmt.Errorf("apply 0001: %v, %w", applied, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO watches (url, created_at, etag, revision_count) VALUES ($1, now(), $2, $3)`,
			"https://example.com/old", `"v1"`, 3)
		return err
	})
	pool.Close()
	if err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open(version 1 schema): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if v, rows := schemaVersion(t, s); v != len(ms) || rows != len(ms) {
		t.Errorf("after Open: schema version %d in %d rows, want %d in %d", v, rows, len(ms), len(ms))
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
		t.Errorf("Blocks after a check on the migrated schema = %v, %v; want %+v", got.State.Blocks, err, blocks)
	}
	upgradedHistory(t, s, w.ID)
}

// upgradedHistory checks the health events and the retention of a watch
// migrated from version 1 whose revision_count is 3 but which has no
// revision rows.
func upgradedHistory(t *testing.T, s *Store, id int64) {
	t.Helper()
	ctx := t.Context()
	c, err := s.RecordCheck(ctx, store.CheckResult{WatchID: id, StartedAt: time.Unix(2, 0), Outcome: store.OutcomeError,
		Error: "HTTP 500", FailingAfter: 1,
		Notify: []store.Notification{{Notifier: "pager", On: store.EventFailing, Payload: []byte(`{}`)}}})
	if err != nil || c.Event != store.EventFailing {
		t.Fatalf("RecordCheck(error) on the migrated schema = %+v, %v; want a failing event", c, err)
	}
	evs, err := s.Events(ctx, id, 0)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Events on the migrated schema = %+v, %v; want 1", evs, err)
	}
	want := fmt.Sprintf("%d-failing-%d-pager", id, evs[0].ID)
	if items, err := s.ListOutbox(ctx, store.OutboxFilter{}); err != nil || len(items) != 1 || items[0].Key != want {
		t.Errorf("ListOutbox on the migrated schema = %+v, %v; want one item keyed %s", items, err, want)
	}
	if n, err := s.PruneRevisions(ctx, id, store.Keep{Count: 1}); err != nil || n != 0 {
		t.Errorf("PruneRevisions on the migrated schema = %d, %v; want 0", n, err)
	}
	if n, err := s.PruneChecks(ctx, time.Unix(2, 0)); err != nil || n != 1 {
		t.Errorf("PruneChecks on the migrated schema = %d, %v; want 1", n, err)
	}
}

// TestUpgradeFromVersion6 opens a schema that a redline of schema version 6
// (the outbox without groups) created and filled: Open migrates it, its
// items read back in no group and are claimed as before, and grouped items
// written since are claimed together.
func TestUpgradeFromVersion6(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dsn := pgtest.DSN(t)
	ms, err := sqlmigrate.Load(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 7 {
		t.Fatalf("%d migrations, want at least 7", len(ms))
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 6; v++ {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if applied, err := migrateStep(ctx, tx, ms[:6]); err != nil || !applied {
				return fmt.Errorf("apply migration %d: %v, %w", v, applied, err)
			}
			return nil
		})
		if err != nil {
			pool.Close()
			t.Fatal(err)
		}
	}
	var watchID int64
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO watches (url, created_at) VALUES ($1, now()) RETURNING id`,
			"https://example.com/v6").Scan(&watchID); err != nil {
			return err
		}
		for i, state := range []string{"pending", "sent", "pending"} {
			if _, err := tx.Exec(ctx, `INSERT INTO outbox
				(watch_id, notifier, kind, revision_seq, key, payload, state, created_at, next_attempt_at)
				VALUES ($1, 'mail', 'changed', $2, $3, '{}', $4, $5, $6)`,
				watchID, i+1, fmt.Sprintf("%d-changed-%d-mail", watchID, i+1), state,
				time.Unix(100, 0), time.Unix(int64(100+i), 0)); err != nil {
				return err
			}
		}
		return nil
	})
	pool.Close()
	if err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open(version 6 schema): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if v, rows := schemaVersion(t, s); v != len(ms) || rows != len(ms) {
		t.Errorf("after Open: schema version %d in %d rows, want %d in %d", v, rows, len(ms), len(ms))
	}
	var indexes int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname = 'outbox_group'`).Scan(&indexes); err != nil || indexes != 1 {
		t.Errorf("index outbox_group: %d, %v; want it created", indexes, err)
	}
	old, err := s.ListOutbox(ctx, store.OutboxFilter{})
	if err != nil || len(old) != 3 {
		t.Fatalf("ListOutbox on the migrated schema = %+v, %v; want the 3 items", old, err)
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
			t.Errorf("ClaimOutbox(limit 1) on the migrated schema = %+v, %v; want items of groups %q", got, err, want)
		}
	}
}
