package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

func testAddWatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	in := store.Watch{
		URL:  "https://example.com/a?b=c&d=é",
		Name: "Example — A",
		Tags: []string{"news", "fr"},
		Extract: store.Extraction{
			Mode:          "selector",
			Select:        []string{"main article", "#content"},
			Exclude:       []string{".ad"},
			Ignore:        []string{`^\d+ views$`},
			Volatile:      "ignore",
			IgnoreNumbers: new(true),
		},
		Source:      store.SourceConfig,
		Paused:      true,
		SkipConfirm: true,
		Schedule:    "*/15 * * * *",
		State: store.WatchState{ETag: "ignored", ConsecutiveErrors: 9, Flaps: 4,
			Blocks:      encodeBlocks(t, []store.BlockStat{{Selector: "ignored", Seen: 1}}),
			NextCheckAt: base(), LeaseOwner: "ignored", LeaseExpiresAt: base()},
	}
	before := time.Now().Add(-time.Second)
	got, err := s.AddWatch(ctx, in)
	if err != nil {
		t.Fatalf("AddWatch: %v", err)
	}
	if got.ID <= 0 {
		t.Errorf("AddWatch: ID = %d, want > 0", got.ID)
	}
	if got.CreatedAt.Before(before) || got.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("AddWatch: CreatedAt = %v, want about now", got.CreatedAt)
	}
	want := in
	want.ID, want.CreatedAt, want.State = got.ID, got.CreatedAt, store.WatchState{}
	if d := diff(want, got); d != "" {
		t.Errorf("AddWatch returned (-want +got):\n%s", d)
	}
	stored := getWatch(t, s, got.ID)
	if d := diff(want, stored); d != "" {
		t.Errorf("Watch after AddWatch (-want +got):\n%s", d)
	}
	byURL, err := s.WatchByURL(ctx, in.URL)
	if err != nil {
		t.Fatalf("WatchByURL: %v", err)
	}
	if d := diff(want, byURL); d != "" {
		t.Errorf("WatchByURL (-want +got):\n%s", d)
	}

	// A second watch gets another ID; no tags and zero settings round-trip.
	other, err := s.AddWatch(ctx, store.Watch{URL: "https://example.com/b"})
	if err != nil {
		t.Fatalf("AddWatch(second): %v", err)
	}
	if other.ID == got.ID {
		t.Errorf("two watches share ID %d", got.ID)
	}
	stored = getWatch(t, s, other.ID)
	if d := diff(other, stored); d != "" {
		t.Errorf("Watch(second) (-want +got):\n%s", d)
	}
}

func testAddWatchKeepsCreatedAt(t *testing.T, s store.Store) {
	created := base().Add(-72 * time.Hour)
	w, err := s.AddWatch(t.Context(), store.Watch{URL: "https://example.com/", CreatedAt: created})
	if err != nil {
		t.Fatalf("AddWatch: %v", err)
	}
	if !w.CreatedAt.Equal(created) {
		t.Errorf("AddWatch: CreatedAt = %v, want the given %v", w.CreatedAt, created)
	}
	if got := getWatch(t, s, w.ID).CreatedAt; !got.Equal(created) {
		t.Errorf("Watch: CreatedAt = %v, want %v", got, created)
	}
}

func testAddWatchDuplicateURL(t *testing.T, s store.Store) {
	w := addWatch(t, s, "https://example.com/dup")
	_, err := s.AddWatch(t.Context(), store.Watch{URL: w.URL, Name: "again"})
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("AddWatch(duplicate URL) error = %v, want one wrapping store.ErrExists", err)
	}
	ws, err := s.ListWatches(t.Context(), store.WatchFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].Name != w.Name {
		t.Errorf("after a refused duplicate, ListWatches = %+v, want only the first watch", ws)
	}
	// URLs are compared exactly: another case or a trailing slash is another watch.
	addWatch(t, s, "https://example.com/DUP")
	addWatch(t, s, "https://example.com/dup/")
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/present")
	missing := w.ID + 1000

	_, err := s.Watch(ctx, missing)
	wantNotFound(t, "Watch", err)
	_, err = s.WatchByURL(ctx, "https://example.com/absent")
	wantNotFound(t, "WatchByURL", err)
	_, err = s.WatchByURL(ctx, "https://example.com/presen") // a prefix is not a match
	wantNotFound(t, "WatchByURL(prefix)", err)
	wantNotFound(t, "UpdateWatch", s.UpdateWatch(ctx, store.Watch{ID: missing, URL: "https://example.com/x"}))
	wantNotFound(t, "DeleteWatch", s.DeleteWatch(ctx, missing))
	_, err = s.LatestRevision(ctx, missing)
	wantNotFound(t, "LatestRevision(missing watch)", err)
	_, err = s.Revision(ctx, missing, 1)
	wantNotFound(t, "Revision(missing watch)", err)
	_, err = s.Revisions(ctx, missing)
	wantNotFound(t, "Revisions(missing watch)", err)
	_, err = s.Checks(ctx, missing, 0)
	wantNotFound(t, "Checks(missing watch)", err)
	_, err = s.Events(ctx, missing, 0)
	wantNotFound(t, "Events(missing watch)", err)
	_, err = s.PruneRevisions(ctx, missing, store.Keep{Count: 1})
	wantNotFound(t, "PruneRevisions(missing watch)", err)
	_, err = s.PruneRevisions(ctx, missing, store.Keep{})
	wantNotFound(t, "PruneRevisions(missing watch, keep all)", err)

	// An existing watch without revisions: no revision to return, but the
	// lists are empty rather than errors.
	_, err = s.LatestRevision(ctx, w.ID)
	wantNotFound(t, "LatestRevision(no revisions)", err)
	_, err = s.Revision(ctx, w.ID, 1)
	wantNotFound(t, "Revision(no revisions)", err)
	if rs, err := s.Revisions(ctx, w.ID); err != nil || len(rs) != 0 {
		t.Errorf("Revisions(no revisions) = %v, %v; want empty, nil", rs, err)
	}
	if cs, err := s.Checks(ctx, w.ID, 10); err != nil || len(cs) != 0 {
		t.Errorf("Checks(no checks) = %v, %v; want empty, nil", cs, err)
	}
	if evs, err := s.Events(ctx, w.ID, 10); err != nil || len(evs) != 0 {
		t.Errorf("Events(no events) = %v, %v; want empty, nil", evs, err)
	}
	if n, err := s.PruneRevisions(ctx, w.ID, store.Keep{Count: 1}); err != nil || n != 0 {
		t.Errorf("PruneRevisions(no revisions) = %d, %v; want 0, nil", n, err)
	}
	record(t, s, revisionResult(w.ID, store.OutcomeNew, 0, "one"))
	_, err = s.Revision(ctx, w.ID, 2)
	wantNotFound(t, "Revision(beyond the newest)", err)
	_, err = s.Revision(ctx, w.ID, 0)
	wantNotFound(t, "Revision(0)", err)
}

func testListWatches(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := addWatch(t, s, "https://a.example/", "news", "fr")
	b := addWatch(t, s, "https://b.example/", "newsletter")
	c := addWatch(t, s, "https://c.example/", "tech news", `we"ird,%_`)
	d := addWatch(t, s, "https://d.example/")
	e := addWatch(t, s, "https://e.example/", "fr", "news")
	f, err := s.AddWatch(ctx, store.Watch{URL: "https://f.example/", Tags: []string{"news"}, Source: store.SourceConfig})
	if err != nil {
		t.Fatal(err)
	}

	ids := func(ws []store.Watch) []int64 {
		out := []int64{}
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return out
	}
	tests := []struct {
		filter store.WatchFilter
		want   []int64
	}{
		{store.WatchFilter{}, []int64{a.ID, b.ID, c.ID, d.ID, e.ID, f.ID}},
		{store.WatchFilter{Tag: "news"}, []int64{a.ID, e.ID, f.ID}},
		{store.WatchFilter{Source: store.SourceConfig}, []int64{f.ID}},
		{store.WatchFilter{Source: store.SourceCLI, Tag: "news"}, []int64{a.ID, e.ID}},
		{store.WatchFilter{Tag: "new"}, []int64{}},
		{store.WatchFilter{Tag: "News"}, []int64{}},
		{store.WatchFilter{Tag: "newsletter"}, []int64{b.ID}},
		{store.WatchFilter{Tag: "tech news"}, []int64{c.ID}},
		{store.WatchFilter{Tag: "tech"}, []int64{}},
		{store.WatchFilter{Tag: `we"ird,%_`}, []int64{c.ID}},
		{store.WatchFilter{Tag: "%"}, []int64{}},
		{store.WatchFilter{URL: "https://b.example/"}, []int64{b.ID}},
		{store.WatchFilter{URL: "https://b.example"}, []int64{}},
		{store.WatchFilter{URL: "https://e.example/", Tag: "fr"}, []int64{e.ID}},
		{store.WatchFilter{URL: "https://b.example/", Tag: "fr"}, []int64{}},
	}
	for _, tt := range tests {
		ws, err := s.ListWatches(ctx, tt.filter)
		if err != nil {
			t.Errorf("ListWatches(%+v): %v", tt.filter, err)
			continue
		}
		if d := diff(tt.want, ids(ws)); d != "" {
			t.Errorf("ListWatches(%+v) IDs (-want +got):\n%s", tt.filter, d)
		}
	}
	ws, err := s.ListWatches(ctx, store.WatchFilter{Tag: "news", Source: store.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	if d := diff([]store.Watch{a, e}, ws); d != "" {
		t.Errorf("ListWatches returns whole watches (-want +got):\n%s", d)
	}
}

func testUpdateWatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/old", "a")
	record(t, s, revisionResult(w.ID, store.OutcomeNew, 0, "first"))
	flap := plainResult(w.ID, store.OutcomeFlapping, time.Minute)
	flap.Blocks = []store.BlockStat{{Selector: "#main", Hash: "h1", Seen: 2, Changes: 0b10}}
	record(t, s, flap)
	before := getWatch(t, s, w.ID)
	if n := len(decodeBlocks(t, before.State.Blocks)); before.State.Flaps != 1 || n != 1 {
		t.Fatalf("Flaps = %d, %d blocks after one flapping check with one block, want 1, 1", before.State.Flaps, n)
	}

	upd := store.Watch{
		ID:          w.ID,
		URL:         "https://example.com/new",
		Name:        "renamed",
		Tags:        []string{"b", "c"},
		Extract:     store.Extraction{Mode: "text", Ignore: []string{"x"}},
		Source:      store.SourceConfig,
		Paused:      true,
		SkipConfirm: true,
		Schedule:    "@hourly",
		// Ignored by UpdateWatch:
		CreatedAt: base().Add(24 * time.Hour),
		State: store.WatchState{Revisions: 99, LastError: "nope", Flaps: 3,
			Blocks:      encodeBlocks(t, []store.BlockStat{{Selector: "nope"}}),
			NextCheckAt: base(), LeaseOwner: "nope", LeaseExpiresAt: base()},
	}
	if err := s.UpdateWatch(ctx, upd); err != nil {
		t.Fatalf("UpdateWatch: %v", err)
	}
	want := upd
	want.CreatedAt, want.State = before.CreatedAt, before.State
	if d := diff(want, getWatch(t, s, w.ID)); d != "" {
		t.Errorf("Watch after UpdateWatch (-want +got):\n%s", d)
	}
	if _, err := s.WatchByURL(ctx, "https://example.com/old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("WatchByURL(old URL) error = %v, want ErrNotFound", err)
	}
	if rev, err := s.LatestRevision(ctx, w.ID); err != nil || rev.Text != "first" {
		t.Errorf("LatestRevision after UpdateWatch = %q, %v; want the history kept", rev.Text, err)
	}

	// Clearing tags and the schedule, and un-pausing.
	upd.Tags, upd.Paused, upd.SkipConfirm, upd.Schedule = nil, false, false, ""
	if err := s.UpdateWatch(ctx, upd); err != nil {
		t.Fatalf("UpdateWatch(clear tags): %v", err)
	}
	if got := getWatch(t, s, w.ID); len(got.Tags) != 0 || got.Paused || got.SkipConfirm || got.Schedule != "" {
		t.Errorf("after clearing: Tags = %q, Paused = %v, SkipConfirm = %v, Schedule = %q; want none, false, false, empty",
			got.Tags, got.Paused, got.SkipConfirm, got.Schedule)
	}

	other := addWatch(t, s, "https://example.com/other")
	other.URL = upd.URL
	if err := s.UpdateWatch(ctx, other); !errors.Is(err, store.ErrExists) {
		t.Errorf("UpdateWatch(to a taken URL) error = %v, want one wrapping store.ErrExists", err)
	}
	if got := getWatch(t, s, other.ID).URL; got != "https://example.com/other" {
		t.Errorf("refused UpdateWatch changed the URL to %s", got)
	}
}

func testDeleteWatchCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/doomed")
	keep := addWatch(t, s, "https://example.com/kept")
	for i, id := range []int64{w.ID, keep.ID} {
		record(t, s, revisionResult(id, store.OutcomeNew, 0, fmt.Sprint("one", i)))
		failed := plainResult(id, store.OutcomeError, time.Minute)
		failed.FailingAfter = 1
		record(t, s, failed)
		changed := revisionResult(id, store.OutcomeChanged, 2*time.Minute, fmt.Sprint("two", i))
		changed.FailingAfter = 1
		record(t, s, changed)
	}
	if evs := recentEvents(t, s, time.Time{}, 0); len(evs) != 4 {
		t.Fatalf("RecentEvents before DeleteWatch = %+v, want 4 (a failure and a recovery per watch)", evs)
	}
	if err := s.DeleteWatch(ctx, w.ID); err != nil {
		t.Fatalf("DeleteWatch: %v", err)
	}
	_, err := s.Watch(ctx, w.ID)
	wantNotFound(t, "Watch(deleted)", err)
	_, err = s.WatchByURL(ctx, w.URL)
	wantNotFound(t, "WatchByURL(deleted)", err)
	_, err = s.Revision(ctx, w.ID, 1)
	wantNotFound(t, "Revision(deleted watch)", err)
	_, err = s.LatestRevision(ctx, w.ID)
	wantNotFound(t, "LatestRevision(deleted watch)", err)
	_, err = s.Revisions(ctx, w.ID)
	wantNotFound(t, "Revisions(deleted watch)", err)
	_, err = s.Checks(ctx, w.ID, 0)
	wantNotFound(t, "Checks(deleted watch)", err)
	_, err = s.Events(ctx, w.ID, 0)
	wantNotFound(t, "Events(deleted watch)", err)
	wantNotFound(t, "DeleteWatch(twice)", s.DeleteWatch(ctx, w.ID))
	for _, ev := range recentEvents(t, s, time.Time{}, 0) {
		if ev.WatchID == w.ID {
			t.Errorf("RecentEvents after DeleteWatch lists event %+v of the deleted watch", ev)
		}
	}

	// The other watch keeps everything.
	if rs, err := s.Revisions(ctx, keep.ID); err != nil || len(rs) != 2 {
		t.Errorf("Revisions(kept watch) = %d revisions, %v; want 2", len(rs), err)
	}
	if cs, err := s.Checks(ctx, keep.ID, 0); err != nil || len(cs) != 3 {
		t.Errorf("Checks(kept watch) = %d checks, %v; want 3", len(cs), err)
	}
	if evs, err := s.Events(ctx, keep.ID, 0); err != nil || len(evs) != 2 {
		t.Errorf("Events(kept watch) = %d events, %v; want 2", len(evs), err)
	}
	if evs := recentEvents(t, s, time.Time{}, 0); len(evs) != 2 {
		t.Errorf("RecentEvents after DeleteWatch = %d events, want the kept watch's 2", len(evs))
	}

	// The URL is free again, and the new watch starts from nothing.
	again := addWatch(t, s, w.URL)
	if again.ID == w.ID {
		t.Errorf("re-added watch reuses the deleted ID %d", w.ID)
	}
	if got := getWatch(t, s, again.ID); !zeroState(got.State) {
		t.Errorf("re-added watch state = %+v, want zero", got.State)
	}
	if cs, err := s.Checks(ctx, again.ID, 0); err != nil || len(cs) != 0 {
		t.Errorf("Checks(re-added watch) = %v, %v; want none", cs, err)
	}
	if evs, err := s.Events(ctx, again.ID, 0); err != nil || len(evs) != 0 {
		t.Errorf("Events(re-added watch) = %v, %v; want none", evs, err)
	}

	// Event IDs are never reused, even when the newest events went with
	// their watch.
	doomed := addWatch(t, s, "https://example.com/doomed-too")
	failed := plainResult(doomed.ID, store.OutcomeError, 3*time.Minute)
	failed.FailingAfter = 1
	record(t, s, failed)
	newest := events(t, s, doomed.ID, 1)
	if err := s.DeleteWatch(ctx, doomed.ID); err != nil {
		t.Fatal(err)
	}
	failed.WatchID = again.ID
	record(t, s, failed)
	if evs := events(t, s, again.ID, 1); len(newest) != 1 || len(evs) != 1 || evs[0].ID <= newest[0].ID {
		t.Errorf("event after deleting the watch of event %+v: %+v; want a higher ID", newest, evs)
	}
}
