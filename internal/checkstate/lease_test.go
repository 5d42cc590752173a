package checkstate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

func TestValidateClaim(t *testing.T) {
	t.Parallel()
	if err := ValidateClaim("daemon-1", t0, 1, time.Minute); err != nil {
		t.Errorf("ValidateClaim(valid) = %v", err)
	}
	tests := []struct {
		name  string
		owner string
		now   time.Time
		limit int
		lease time.Duration
		want  string
	}{
		{"empty owner", "", t0, 1, time.Minute, "empty lease owner"},
		{"zero now", "d", time.Time{}, 1, time.Minute, "no current time"},
		{"zero limit", "d", t0, 0, time.Minute, "limit 0"},
		{"negative limit", "d", t0, -3, time.Minute, "limit -3"},
		{"zero lease", "d", t0, 1, 0, "positive"},
		{"negative lease", "d", t0, 1, -time.Second, "positive"},
	}
	for _, tt := range tests {
		err := ValidateClaim(tt.owner, tt.now, tt.limit, tt.lease)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ValidateClaim = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	if err := ValidateLease("d", t0, time.Nanosecond); err != nil {
		t.Errorf("ValidateLease(1ns) = %v, want nil", err)
	}
	if err := ValidateOwner(""); err == nil {
		t.Error(`ValidateOwner("") = nil, want an error`)
	}
}

func TestLeaseEnd(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("X", -7200)
	now := time.Date(2025, 1, 1, 0, 0, 0, 123_456_789, zone)
	want := time.Date(2025, 1, 1, 2, 1, 30, 123_456_000, time.UTC)
	if got := LeaseEnd(now, 90*time.Second); got != want {
		t.Errorf("LeaseEnd = %v, want %v", got, want)
	}
	if got := Time(time.Time{}); !got.IsZero() {
		t.Errorf("Time(zero) = %v, want zero", got)
	}
}

func TestCompareDue(t *testing.T) {
	t.Parallel()
	w := func(id int64, next time.Time) store.Watch {
		return store.Watch{ID: id, State: store.WatchState{NextCheckAt: next}}
	}
	ws := []store.Watch{w(5, t1), w(4, time.Time{}), w(3, t0), w(2, t1), w(6, time.Time{}), w(1, t1.In(time.FixedZone("Y", 3600)))}
	slices.SortFunc(ws, CompareDue)
	var got []int64
	for _, w := range ws {
		got = append(got, w.ID)
	}
	if want := []int64{4, 6, 3, 1, 2, 5}; !slices.Equal(got, want) {
		t.Errorf("sorted IDs = %v, want %v", got, want)
	}
}
