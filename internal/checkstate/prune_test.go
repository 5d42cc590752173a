package checkstate

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/store"
)

func TestValidateKeep(t *testing.T) {
	t.Parallel()
	for _, k := range []store.Keep{{}, {Count: 5}, {Age: time.Hour, Now: t0}, {Count: 1, Age: time.Nanosecond, Now: t0}, {Now: t0}} {
		if err := ValidateKeep(k); err != nil {
			t.Errorf("ValidateKeep(%+v) = %v, want nil", k, err)
		}
	}
	tests := []struct {
		keep store.Keep
		want string
	}{
		{store.Keep{Count: -1}, "keep count -1"},
		{store.Keep{Age: -time.Hour, Now: t0}, "keep age -1h0m0s"},
		{store.Keep{Age: time.Hour}, "without a current time"},
	}
	for _, tt := range tests {
		if err := ValidateKeep(tt.keep); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ValidateKeep(%+v) = %v, want an error containing %q", tt.keep, err, tt.want)
		}
	}
}

func TestPrunable(t *testing.T) {
	t.Parallel()
	// Ten revisions fetched an hour apart, t0 … t0+9h, numbered with gaps
	// (an earlier pruning deleted 3 and 4).
	seqs := []int{1, 2, 5, 6, 7, 8, 9, 10, 11, 12}
	var revs []store.Revision
	for i, seq := range seqs {
		revs = append(revs, store.Revision{Seq: seq, FetchedAt: t0.Add(time.Duration(i) * time.Hour)})
	}
	now := t0.Add(9 * time.Hour) // the newest was fetched now
	tests := []struct {
		name string
		revs []store.Revision
		keep store.Keep
		want []int
	}{
		{"neither limit", revs, store.Keep{Now: now}, nil},
		{"neither limit, no now", revs, store.Keep{}, nil},
		{"count 3", revs, store.Keep{Count: 3}, []int{2, 5, 6, 7, 8, 9}},
		{"count 1: first and newest", revs, store.Keep{Count: 1}, []int{2, 5, 6, 7, 8, 9, 10, 11}},
		{"count 9", revs, store.Keep{Count: 9}, nil},
		{"count 8", revs, store.Keep{Count: 8}, []int{2}},
		{"count 7", revs, store.Keep{Count: 7}, []int{2, 5}},
		{"count above the number", revs, store.Keep{Count: 50}, nil},
		{"age 3h: fetched at now-3h kept", revs, store.Keep{Age: 3 * time.Hour, Now: now}, []int{2, 5, 6, 7, 8}},
		{"age just under 3h", revs, store.Keep{Age: 3*time.Hour - time.Microsecond, Now: now}, []int{2, 5, 6, 7, 8, 9}},
		// Now-Age between two microseconds counts as the earlier one.
		{"age 3h less 500ns", revs, store.Keep{Age: 3*time.Hour - 500*time.Nanosecond, Now: now}, []int{2, 5, 6, 7, 8}},
		{"age in the future: all but first and newest", revs, store.Keep{Age: time.Minute, Now: now.Add(24 * time.Hour)}, []int{2, 5, 6, 7, 8, 9, 10, 11}},
		{"age covering all", revs, store.Keep{Age: 100 * time.Hour, Now: now}, nil},
		{"count 2 or age 5h: age wins", revs, store.Keep{Count: 2, Age: 5 * time.Hour, Now: now}, []int{2, 5, 6}},
		{"count 6 or age 1h: count wins", revs, store.Keep{Count: 6, Age: time.Hour, Now: now}, []int{2, 5, 6}},
		{"one revision", revs[:1], store.Keep{Count: 1, Age: time.Nanosecond, Now: now}, nil},
		{"two revisions", revs[:2], store.Keep{Count: 1, Age: time.Nanosecond, Now: now.Add(time.Hour)}, nil},
		{"three revisions", revs[:3], store.Keep{Count: 1}, []int{2}},
		{"none", nil, store.Keep{Count: 1}, nil},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, Prunable(tt.revs, tt.keep)); d != "" {
			t.Errorf("%s: Prunable (-want +got):\n%s", tt.name, d)
		}
	}
}
