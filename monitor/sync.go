package monitor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/store"
)

// SyncStore is the part of the store SyncConfig needs.
type SyncStore interface {
	AddWatch(ctx context.Context, w store.Watch) (store.Watch, error)
	UpdateWatch(ctx context.Context, w store.Watch) error
	SetNextCheck(ctx context.Context, id int64, next time.Time) error
	DeleteWatch(ctx context.Context, id int64) error
	ListWatches(ctx context.Context, f store.WatchFilter) ([]store.Watch, error)
	WatchByURL(ctx context.Context, url string) (store.Watch, error)
}

// SyncReport says what SyncConfig did.
type SyncReport struct {
	Added, Updated, Removed []string // URLs
}

// SyncConfig makes the store's watches match the ones declared in cfg, the
// source of truth for them: declared watches are added or updated (a watch
// first added with the CLI becomes config-owned, keeping its history), and
// config-owned watches no longer declared are removed with their history.
// Watches added with the CLI are left alone.
func SyncConfig(ctx context.Context, s SyncStore, cfg *config.Config) (SyncReport, error) {
	var rep SyncReport
	// Only the config's own watches are listed (a store may hold many
	// more added with the CLI); a declared URL not among them is looked up.
	stored, err := s.ListWatches(ctx, store.WatchFilter{Source: store.SourceConfig})
	if err != nil {
		return rep, fmt.Errorf("sync config: %w", err)
	}
	byURL := make(map[string]store.Watch, len(stored))
	for _, w := range stored {
		byURL[w.URL] = w
	}
	declared := make(map[string]bool, len(cfg.Watches))
	for _, cw := range cfg.Watches {
		declared[cw.URL] = true
		want := store.Watch{
			URL:         cw.URL,
			Name:        cw.Name,
			Tags:        cw.Tags,
			Source:      store.SourceConfig,
			Schedule:    cw.Schedule,
			SkipConfirm: cw.Confirm != nil && !*cw.Confirm,
			Extract: store.Extraction{
				Mode:          cw.Mode,
				Select:        cw.Select,
				Exclude:       cw.Exclude,
				Ignore:        cw.Ignore,
				Volatile:      cw.Volatile,
				IgnoreNumbers: cw.IgnoreNumbers,
			},
		}
		have, ok := byURL[cw.URL]
		if !ok {
			cli, err := s.WatchByURL(ctx, cw.URL)
			switch {
			case err == nil:
				have, ok = cli, true
			case !errors.Is(err, store.ErrNotFound):
				return rep, fmt.Errorf("%s: look up watch %s: %w", cw.Pos, cw.URL, err)
			}
		}
		if !ok {
			if _, err := s.AddWatch(ctx, want); err != nil && !errors.Is(err, store.ErrExists) {
				return rep, fmt.Errorf("%s: add watch %s: %w", cw.Pos, cw.URL, err)
			}
			rep.Added = append(rep.Added, cw.URL)
			continue
		}
		want.ID, want.Paused, want.CreatedAt = have.ID, have.Paused, have.CreatedAt
		if sameSettings(have, want) {
			continue
		}
		if err := s.UpdateWatch(ctx, want); err != nil {
			return rep, fmt.Errorf("%s: update watch %s: %w", cw.Pos, cw.URL, err)
		}
		if want.Schedule != have.Schedule {
			// Due at once, then on the new schedule.
			if err := s.SetNextCheck(ctx, have.ID, time.Time{}); err != nil {
				return rep, fmt.Errorf("%s: reschedule watch %s: %w", cw.Pos, cw.URL, err)
			}
		}
		rep.Updated = append(rep.Updated, cw.URL)
	}
	for _, w := range stored {
		if w.Source == store.SourceConfig && !declared[w.URL] {
			if err := s.DeleteWatch(ctx, w.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return rep, fmt.Errorf("remove watch %s: %w", w.URL, err)
			}
			rep.Removed = append(rep.Removed, w.URL)
		}
	}
	return rep, nil
}

func sameSettings(a, b store.Watch) bool {
	return a.URL == b.URL && a.Name == b.Name && a.Source == b.Source && a.SkipConfirm == b.SkipConfirm &&
		a.Schedule == b.Schedule &&
		slices.Equal(a.Tags, b.Tags) &&
		a.Extract.Mode == b.Extract.Mode &&
		slices.Equal(a.Extract.Select, b.Extract.Select) &&
		slices.Equal(a.Extract.Exclude, b.Extract.Exclude) &&
		slices.Equal(a.Extract.Ignore, b.Extract.Ignore) &&
		a.Extract.Volatile == b.Extract.Volatile &&
		equalPtr(a.Extract.IgnoreNumbers, b.Extract.IgnoreNumbers)
}

// equalPtr reports whether two optional values are both unset or equal.
func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
