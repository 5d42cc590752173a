package schedule

import (
	"testing"
	"time"
)

// TestFiring: a spec's firings carry no jitter, whatever the watch, and
// the one returned is strictly after now.
func TestFiring(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		spec     string
		now      time.Time
		want     time.Time
		zeroWant bool
	}{
		{spec: "@daily", now: at("2026-03-10T13:20:00Z"), want: at("2026-03-11T00:00:00Z")},
		{spec: "0 18 * * *", now: at("2026-03-10T18:00:00Z"), want: at("2026-03-11T18:00:00Z")},
		{spec: "CRON_TZ=Europe/Paris 0 18 * * *", now: at("2026-03-10T12:00:00Z"), want: time.Date(2026, 3, 10, 18, 0, 0, 0, paris)},
		{spec: "@every 15m", now: at("2026-03-10T13:20:00Z"), want: at("2026-03-10T13:30:00Z")},
		{spec: "@every 15m", now: at("2026-03-10T13:30:00Z"), want: at("2026-03-10T13:45:00Z")},
		{spec: "adaptive", now: at("2026-03-10T13:20:00Z"), zeroWant: true},
	} {
		sp, err := Parse(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		got := sp.Firing(tc.now)
		if tc.zeroWant {
			if !got.IsZero() {
				t.Errorf("%s: Firing = %s, want zero", tc.spec, got)
			}
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("%s: Firing(%s) = %s, want %s", tc.spec, tc.now, got, tc.want)
		}
	}
}
