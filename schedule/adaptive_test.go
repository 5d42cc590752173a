package schedule

import (
	"testing"
	"time"
)

func TestNextAdaptive(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, time.May, 20, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	const day = 24 * time.Hour
	narrow := Adaptive{Min: 30 * time.Minute, Max: 24 * time.Hour}
	tests := []struct {
		name   string
		bounds Adaptive
		h      History
		want   time.Duration // interval, before jitter
	}{
		{"nothing known", Adaptive{}, History{}, 15 * time.Minute},
		{"just added", Adaptive{}, History{FirstSeen: ago(time.Minute)}, 15 * time.Minute},
		{"2h59m", Adaptive{}, History{FirstSeen: ago(3*time.Hour - time.Minute)}, 15 * time.Minute},
		{"3h", Adaptive{}, History{FirstSeen: ago(3 * time.Hour)}, time.Hour},
		{"23h", Adaptive{}, History{FirstSeen: ago(23 * time.Hour)}, time.Hour},
		{"24h", Adaptive{}, History{FirstSeen: ago(day)}, 3 * time.Hour},
		{"6 days", Adaptive{}, History{FirstSeen: ago(6 * day)}, 3 * time.Hour},
		{"7 days", Adaptive{}, History{FirstSeen: ago(7 * day)}, day},
		{"29 days", Adaptive{}, History{FirstSeen: ago(29 * day)}, day},
		{"30 days", Adaptive{}, History{FirstSeen: ago(30 * day)}, 7 * day},
		{"a year", Adaptive{}, History{FirstSeen: ago(365 * day)}, 7 * day},
		{"published in the future", Adaptive{}, History{Published: now.Add(time.Hour)}, 15 * time.Minute},
		// A page's age runs from the later of its birth (Published when
		// known, else FirstSeen) and its last edit.
		{"old article added today", Adaptive{},
			History{Published: ago(400 * day), FirstSeen: ago(2 * time.Hour)}, 7 * day},
		{"old article added today, edited since", Adaptive{},
			History{Published: ago(400 * day), FirstSeen: ago(2 * time.Hour), LastChange: ago(time.Hour)}, 15 * time.Minute},
		{"published after added", Adaptive{},
			History{FirstSeen: ago(60 * day), Published: ago(2 * day)}, 3 * time.Hour},
		{"changed recently", Adaptive{},
			History{FirstSeen: ago(60 * day), Published: ago(60 * day), LastChange: ago(5 * time.Hour)}, time.Hour},
		{"changed long ago", Adaptive{},
			History{FirstSeen: ago(90 * day), LastChange: ago(40 * day)}, 7 * day},
		{"changed before its stated publication", Adaptive{},
			History{FirstSeen: ago(90 * day), Published: ago(10 * day), LastChange: ago(40 * day)}, day},
		// Clamped into the configured bounds.
		{"min raises", narrow, History{FirstSeen: ago(time.Minute)}, 30 * time.Minute},
		{"inside", narrow, History{FirstSeen: ago(5 * time.Hour)}, time.Hour},
		{"max lowers", narrow, History{FirstSeen: ago(100 * day)}, day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := ParseWith("adaptive", tt.bounds)
			if err != nil {
				t.Fatal(err)
			}
			for key := range int64(50) {
				got := s.Next(now, key, tt.h).Sub(now)
				j := got - tt.want
				if j != jitter(key, tt.want) || j < 0 || j >= min(tt.want/4, 15*time.Minute) {
					t.Fatalf("key %d: Next − now = %v, want %v + jitter", key, got, tt.want)
				}
			}
		})
	}
}

// History is ignored by cron specs.
func TestNextCronIgnoresHistory(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "@hourly")
	h := History{FirstSeen: jan1, Published: jan1, LastChange: jan1}
	if a, b := s.Next(jan1, 5, History{}), s.Next(jan1, 5, h); !a.Equal(b) {
		t.Errorf("Next with History = %v, without = %v", b, a)
	}
}
