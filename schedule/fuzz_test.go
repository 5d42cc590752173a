package schedule

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics and that the due times of any
// spec it accepts are a fixed sequence: Next is after now, and computing it
// again from any time before it gives it again.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"@hourly", "*/5 * * * *", "*/20 * * * * *", "0 9,17 * * 1-5",
		"CRON_TZ=Europe/Paris 30 2 * * *", "TZ=America/New_York @daily",
		"@every 90s", "adaptive", "0 0 29 2 *", "*/61 * * * *", "TZ=",
		"CRON_TZ=Europe/Paris", "@every 0s", "5-10/3,30 */2 1,15 jan-jun mon-fri",
	} {
		f.Add(seed, int64(7), int64(1_750_000_000))
	}
	f.Fuzz(func(t *testing.T, spec string, key, unix int64) {
		s, err := Parse(spec)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid schedule ") {
				t.Fatalf("Parse(%q) error %q lacks the prefix", spec, err)
			}
			return
		}
		if s.String() != strings.TrimSpace(spec) {
			t.Fatalf("String() = %q, want %q", s, strings.TrimSpace(spec))
		}
		// From 1970 to 2100.
		now := time.Unix(unix%(130*365*86400), 0).UTC()
		if now.Before(time.Unix(0, 0)) {
			now = now.AddDate(130, 0, 0)
		}
		next := s.Next(now, key, History{})
		if !next.After(now) {
			t.Fatalf("Next(%v) = %v, not after", now, next)
		}
		if s.IsAdaptive() {
			return
		}
		for _, at := range []time.Time{now.Add(next.Sub(now) / 2), next.Add(-time.Nanosecond)} {
			if got := s.Next(at, key, History{}); !got.Equal(next) {
				t.Fatalf("Next(%v) = %v, want %v as from %v", at, got, next, now)
			}
		}
		if p := s.Period(now); p <= 0 {
			t.Fatalf("Period(%v) = %v", now, p)
		}
	})
}
