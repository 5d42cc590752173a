package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// Pinned so that a change of hash, which would move every watch, is seen.
func TestJitterPinned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key    int64
		period time.Duration
		want   time.Duration
	}{
		{0, time.Hour, 13*time.Minute + 55*time.Second},
		{1, time.Hour, 6*time.Minute + 5*time.Second},
		{42, time.Hour, 10*time.Minute + 13*time.Second},
		{-7, time.Hour, 14*time.Minute + 12*time.Second},
		{42, 24 * time.Hour, 10*time.Minute + 13*time.Second}, // same bound, same jitter
		{42, 4 * time.Minute, 13 * time.Second},
		{42, 3 * time.Second, 0}, // bound 750ms: under a second
		{42, 0, 0},
		{42, -time.Hour, 0},
	}
	for _, tt := range tests {
		if got := jitter(tt.key, tt.period); got != tt.want {
			t.Errorf("jitter(%d, %v) = %v, want %v", tt.key, tt.period, got, tt.want)
		}
	}
}

func TestJitterBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec  string
		bound time.Duration // min(period/4, 15m)
	}{
		{"@hourly", 15 * time.Minute},
		{"@daily", 15 * time.Minute},
		{"@monthly", 15 * time.Minute},
		{"*/20 * * * *", 5 * time.Minute},
		{"*/4 * * * *", time.Minute},
		{"*/10 * * * * *", 2500 * time.Millisecond},
		{"@every 30m", 7*time.Minute + 30*time.Second},
		{"@every 2s", 0}, // bound 500ms: no jitter
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			s := mustParse(t, tt.spec)
			// jan1 is a slot of each spec: the first due time after the
			// instant before it is jan1 + j.
			now := jan1.Add(-time.Nanosecond)
			seen := map[time.Duration]bool{}
			for key := int64(-1000); key < 4000; key++ {
				j := s.Next(now, key, History{}).Sub(jan1)
				if j < 0 || (j >= tt.bound && j != 0) || j%time.Second != 0 {
					t.Fatalf("key %d: jitter %v, want whole seconds in [0, %v)", key, j, tt.bound)
				}
				seen[j] = true
			}
			// Nearly every possible second is used.
			n := max(int(tt.bound/time.Second), 1)
			if len(seen) < n*9/10 || len(seen) > n {
				t.Errorf("%d distinct jitters, want about %d", len(seen), n)
			}
		})
	}
}

func TestJitterSpread(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "@hourly")
	now := time.Date(2025, time.June, 3, 10, 20, 0, 0, time.UTC)
	seconds := map[int64]bool{}
	for key := range int64(1000) {
		seconds[s.Next(now, key, History{}).Unix()] = true
	}
	if len(seconds) < 500 {
		t.Errorf("1000 watches on @hourly fall in %d distinct seconds, want at least 500", len(seconds))
	}
}

// The same key has the same offset in every hour, from wherever Next is
// computed.
func TestJitterStable(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "@hourly")
	for key := range int64(50) {
		want := s.Next(jan1.Add(-time.Nanosecond), key, History{}).Sub(jan1)
		if want < 0 || want >= 15*time.Minute {
			t.Fatalf("key %d: offset %v", key, want)
		}
		for _, now := range []time.Time{
			jan1, jan1.Add(-time.Hour), jan1.Add(-time.Nanosecond),
			time.Date(2030, time.July, 14, 8, 59, 59, 0, time.UTC),
		} {
			due := s.Next(now, key, History{})
			slot := due.Truncate(time.Hour)
			if got := due.Sub(slot); got != want {
				t.Errorf("key %d: Next(%v) = %v, offset %v, want %v", key, now, due, got, want)
			}
		}
	}
}

// A check done at due time dₖ, or any time before dₖ₊₁, is followed by
// dₖ₊₁: after a restart Next neither repeats nor skips a slot.
func TestNextRestart(t *testing.T) {
	t.Parallel()
	specs := []string{
		"@hourly",
		"*/5 * * * *",
		"CRON_TZ=Europe/Paris 0 9 * * *",
		"*/20 * * * * *",
		"@every 30m",
		"@every 7m",
		"0 9,17 * * 1-5",                  // irregular: 8h, 16h and weekend gaps
		"*/20 9-17 * * *",                 // irregular: 20m, then 15h20m overnight
		"*/59 * * * *",                    // irregular: 59m then 1m
		"0,1 * * * *",                     // irregular: 1m then 59m
		"CRON_TZ=Europe/Paris 30 2 * * *", // across both DST changes below
	}
	starts := []time.Time{
		time.Date(2025, time.March, 28, 13, 7, 11, 0, time.UTC),
		time.Date(2025, time.October, 24, 22, 59, 59, 999, time.UTC),
	}
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			s := mustParse(t, spec)
			for key := range int64(10) {
				for _, start := range starts {
					due := s.Next(start, key, History{})
					for range 40 {
						next := s.Next(due, key, History{})
						if !next.After(due) {
							t.Fatalf("key %d: Next(%v) = %v, not after", key, due, next)
						}
						gap := next.Sub(due)
						for _, at := range []time.Time{
							due.Add(time.Nanosecond),
							due.Add(time.Second),
							due.Add(gap / 3),
							due.Add(gap / 2),
							next.Add(-time.Second),
							next.Add(-time.Nanosecond),
						} {
							if got := s.Next(at, key, History{}); !got.Equal(next) {
								t.Fatalf("key %d: Next(%v) = %v, want %v (check at %v, restart before %v)",
									key, at, got, next, due, next)
							}
						}
						due = next
					}
				}
			}
		})
	}
}

// For a regular spec Next is the rule of the issue, cron.Next(now − j) + j,
// with j for the period at now.
func TestNextIsShiftedCron(t *testing.T) {
	t.Parallel()
	p := cron.NewParser(parseOptions)
	for _, spec := range []string{"@hourly", "@daily", "*/5 * * * *", "0 9 * * *", "CRON_TZ=Europe/Paris 30 2 * * *", "15 */10 * * * *"} {
		s := mustParse(t, spec)
		c, err := p.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2025, time.March, 29, 23, 0, 0, 0, time.UTC)
		for i := range 2000 {
			now = now.Add(7*time.Minute + 13*time.Second + 123456789)
			key := int64(i * 7919)
			j := jitter(key, s.Period(now))
			want := c.Next(now.Add(-j)).Add(j)
			if got := s.Next(now, key, History{}); !got.Equal(want) {
				t.Fatalf("%s key %d: Next(%v) = %v, want cron.Next(now−%v)+%v = %v", spec, key, now, got, j, j, want)
			}
		}
	}
}

func TestNextTimeZone(t *testing.T) {
	t.Parallel()
	paris := mustLoad(t, "Europe/Paris")
	s := mustParse(t, "CRON_TZ=Europe/Paris 0 9 * * *")
	tests := []struct {
		name    string
		now     time.Time
		wantUTC time.Time // 09:00 Paris, before jitter
	}{
		{"winter", time.Date(2025, time.January, 15, 12, 0, 0, 0, time.UTC), time.Date(2025, time.January, 16, 8, 0, 0, 0, time.UTC)},
		{"summer", time.Date(2025, time.July, 15, 12, 0, 0, 0, time.UTC), time.Date(2025, time.July, 16, 7, 0, 0, 0, time.UTC)},
		{"summer before 9", time.Date(2025, time.July, 15, 6, 0, 0, 0, time.UTC), time.Date(2025, time.July, 15, 7, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for key := range int64(100) {
				got := s.Next(tt.now, key, History{})
				j := got.Sub(tt.wantUTC)
				if j != jitter(key, 24*time.Hour) || j >= 15*time.Minute {
					t.Fatalf("key %d: Next = %v, jitter %v", key, got, j)
				}
				if p := got.In(paris); p.Hour() != 9 || p.Minute() >= 15 {
					t.Errorf("key %d: Next = %v in Paris, want 09:00–09:15", key, p)
				}
				if got.Location() != time.UTC {
					t.Errorf("Next in %v, want the location of now", got.Location())
				}
			}
		})
	}
}

// dues returns the n due times of s after from, for key.
func dues(s Spec, from time.Time, key int64, n int) []time.Time {
	var out []time.Time
	for range n {
		from = s.Next(from, key, History{})
		out = append(out, from)
	}
	return out
}

// robfig/cron's behaviour on DST days, which the package keeps.
func TestNextDST(t *testing.T) {
	t.Parallel()
	paris := mustLoad(t, "Europe/Paris")
	at := func(y int, m time.Month, d, h, min int, zone string) time.Time {
		t.Helper()
		tm := time.Date(y, m, d, h, min, 0, 0, paris)
		// Pick the instant of the repeated hour that has the wanted zone.
		if name, _ := tm.Zone(); name != zone {
			if name == "CEST" {
				tm = tm.Add(time.Hour)
			} else {
				tm = tm.Add(-time.Hour)
			}
		}
		if name, _ := tm.Zone(); name != zone || tm.Hour() != h {
			t.Fatalf("no %02d:%02d %s on %d-%02d-%02d", h, min, zone, y, m, d)
		}
		return tm
	}
	const key = 1234
	jDay := jitter(key, 24*time.Hour)
	jHour := jitter(key, time.Hour)
	tests := []struct {
		name string
		spec string
		from time.Time
		want []time.Time // before jitter
		j    time.Duration
	}{
		{
			// 02:30 does not exist on 30 March 2025: no firing that day.
			name: "spring forward skips the day",
			spec: "CRON_TZ=Europe/Paris 30 2 * * *",
			from: at(2025, time.March, 29, 12, 0, "CET"),
			want: []time.Time{
				at(2025, time.March, 31, 2, 30, "CEST"),
				at(2025, time.April, 1, 2, 30, "CEST"),
			},
			j: jDay,
		},
		{
			name: "spring forward hourly",
			spec: "CRON_TZ=Europe/Paris 0 * * * *",
			from: at(2025, time.March, 30, 0, 30, "CET"),
			want: []time.Time{
				at(2025, time.March, 30, 1, 0, "CET"),
				at(2025, time.March, 30, 3, 0, "CEST"), // one real hour later
				at(2025, time.March, 30, 4, 0, "CEST"),
			},
			j: jHour,
		},
		{
			// 02:30 happens twice on 26 October 2025: two firings an
			// hour apart, distinct instants, each once.
			name: "fall back fires twice",
			spec: "CRON_TZ=Europe/Paris 30 2 * * *",
			from: at(2025, time.October, 25, 12, 0, "CEST"),
			want: []time.Time{
				at(2025, time.October, 26, 2, 30, "CEST"),
				at(2025, time.October, 26, 2, 30, "CET"),
				at(2025, time.October, 27, 2, 30, "CET"),
			},
			j: jDay, // the 1h gap also caps the jitter at 15m
		},
		{
			name: "fall back hourly",
			spec: "CRON_TZ=Europe/Paris 0 * * * *",
			from: at(2025, time.October, 26, 1, 30, "CEST"),
			want: []time.Time{
				at(2025, time.October, 26, 2, 0, "CEST"),
				at(2025, time.October, 26, 2, 0, "CET"),
				at(2025, time.October, 26, 3, 0, "CET"),
			},
			j: jHour,
		},
		{
			name: "fall back, from inside the repeated hour",
			spec: "CRON_TZ=Europe/Paris 30 2 * * *",
			from: at(2025, time.October, 26, 2, 45, "CEST"),
			want: []time.Time{
				at(2025, time.October, 26, 2, 30, "CET"),
				at(2025, time.October, 27, 2, 30, "CET"),
			},
			j: jDay,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mustParse(t, tt.spec)
			got := dues(s, tt.from, key, len(tt.want))
			for i := range got {
				if want := tt.want[i].Add(tt.j); !got[i].Equal(want) {
					t.Errorf("due %d = %v, want %v", i, got[i].In(paris), want.In(paris))
				}
			}
		})
	}

	// A whole fall-back day on @hourly: 25 firings, none repeated.
	s := mustParse(t, "CRON_TZ=Europe/Paris @hourly")
	from := at(2025, time.October, 25, 23, 30, "CEST")
	seen := map[int64]bool{}
	for _, d := range dues(s, from, key, 25) {
		if seen[d.Unix()] {
			t.Errorf("due %v repeated", d)
		}
		seen[d.Unix()] = true
		if d.In(paris).Day() != 26 {
			t.Errorf("due %v not on 26 October", d.In(paris))
		}
	}
}

func TestNextSeconds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec  string
		now   time.Time
		slot  time.Time
		bound time.Duration
	}{
		{"*/15 * * * * *", jan1.Add(20 * time.Second), jan1.Add(30 * time.Second), 3 * time.Second},
		{"30 * * * * *", jan1.Add(45 * time.Second), jan1.Add(90 * time.Second), 15 * time.Second},
		{"0 30 9 * * *", jan1, jan1.Add(9*time.Hour + 30*time.Minute), 15 * time.Minute},
	}
	for _, tt := range tests {
		for key := range int64(200) {
			got := mustParse(t, tt.spec).Next(tt.now, key, History{})
			if j := got.Sub(tt.slot); j < 0 || j >= tt.bound {
				t.Fatalf("%s key %d: Next(%v) = %v, want in [%v, %v)", tt.spec, key, tt.now, got, tt.slot, tt.slot.Add(tt.bound))
			}
		}
	}
}

// @every runs on a grid from the Unix epoch, plus the jitter: it does not
// drift when checks run late.
func TestNextEvery(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "@every 30m")
	const key = 99
	j := jitter(key, 30*time.Minute)
	if j == 0 {
		t.Fatal("pick a key with a non-zero jitter")
	}
	tests := []struct {
		now, want time.Time
	}{
		{jan1, jan1.Add(j)},
		{jan1.Add(-time.Nanosecond), jan1.Add(j)},
		{jan1.Add(j), jan1.Add(30*time.Minute + j)},
		{jan1.Add(j + 10*time.Minute), jan1.Add(30*time.Minute + j)}, // a late check
		{jan1.Add(30*time.Minute + j - time.Nanosecond), jan1.Add(30*time.Minute + j)},
		{time.Date(1969, time.December, 31, 23, 50, 0, 0, time.UTC), jan1.AddDate(-55, 0, 0).Add(j)}, // before the epoch
	}
	for _, tt := range tests {
		if got := s.Next(tt.now, key, History{}); !got.Equal(tt.want) {
			t.Errorf("Next(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func BenchmarkNext(b *testing.B) {
	now := time.Date(2025, time.March, 29, 23, 7, 0, 0, time.UTC)
	for _, spec := range []string{"@hourly", "CRON_TZ=Europe/Paris 0 9 * * *", "*/5 * * * * *", "@every 30m", "adaptive"} {
		s := mustParse(b, spec)
		b.Run(spec, func(b *testing.B) {
			for i := range b.N {
				s.Next(now.Add(time.Duration(i)*time.Minute), int64(i), History{})
			}
		})
	}
}
