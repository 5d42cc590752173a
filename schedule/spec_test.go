package schedule

import (
	"testing"
	"time"
)

// jan1 is a Wednesday at midnight UTC, a slot of every calendar spec below.
var jan1 = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec     string
		want     string // String()
		adaptive bool
		period   time.Duration // Period(jan1)
	}{
		{"*/5 * * * *", "*/5 * * * *", false, 5 * time.Minute},
		{"  0 9 * * *\t", "0 9 * * *", false, 24 * time.Hour},
		{"0 9,17 * * *", "0 9,17 * * *", false, 8 * time.Hour},
		{"*/20 * * * * *", "*/20 * * * * *", false, 20 * time.Second},
		{"30 0 * * * *", "30 0 * * * *", false, time.Hour},
		{"0 0 * * mon", "0 0 * * mon", false, 7 * 24 * time.Hour},
		{"@yearly", "@yearly", false, 365 * 24 * time.Hour},
		{"@annually", "@annually", false, 365 * 24 * time.Hour},
		{"@monthly", "@monthly", false, 28 * 24 * time.Hour}, // Feb 1 to Mar 1
		{"@weekly", "@weekly", false, 7 * 24 * time.Hour},
		{"@daily", "@daily", false, 24 * time.Hour},
		{"@midnight", "@midnight", false, 24 * time.Hour},
		{"@hourly", "@hourly", false, time.Hour},
		{"@every 30m", "@every 30m", false, 30 * time.Minute},
		{"@every 1h30m", "@every 1h30m", false, 90 * time.Minute},
		{"@every 1s", "@every 1s", false, time.Second},
		{"CRON_TZ=Europe/Paris 0 9 * * *", "CRON_TZ=Europe/Paris 0 9 * * *", false, 24 * time.Hour},
		{"TZ=America/New_York @hourly", "TZ=America/New_York @hourly", false, time.Hour},
		{"TZ=UTC 0 0 29 2 *", "TZ=UTC 0 0 29 2 *", false, (4*365 + 1) * 24 * time.Hour},
		{"*/59 * * * *", "*/59 * * * *", false, time.Minute}, // :59 then :00
		{"adaptive", "adaptive", true, 168 * time.Hour},
		{" adaptive ", "adaptive", true, 168 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.spec)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.spec, err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := s.IsAdaptive(); got != tt.adaptive {
				t.Errorf("IsAdaptive() = %v, want %v", got, tt.adaptive)
			}
			if got := s.Period(jan1); got != tt.period {
				t.Errorf("Period(%v) = %v, want %v", jan1, got, tt.period)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want string
	}{
		{"", `invalid schedule "": empty spec`},
		{" \t ", `invalid schedule "": empty spec`},
		{"*/61 * * * *", `invalid schedule "*/61 * * * *": step (61) above maximum (59): */61`},
		{"0 */24 * * *", `invalid schedule "0 */24 * * *": step (24) above maximum (23): */24`},
		{"*/0 * * * *", `invalid schedule "*/0 * * * *": step of range should be a positive number: */0`},
		{"61 * * * *", `invalid schedule "61 * * * *": end of range (61) above maximum (59): 61`},
		{"0 25 * * *", `invalid schedule "0 25 * * *": end of range (25) above maximum (23): 25`},
		{"0 0 0 * *", `invalid schedule "0 0 0 * *": beginning of range (0) below minimum (1): 0`},
		{"0 0 * * 7", `invalid schedule "0 0 * * 7": end of range (7) above maximum (6): 7`},
		{"1 2 3", `invalid schedule "1 2 3": expected 5 to 6 fields, found 3: [1 2 3]`},
		{"* * * * * * *", `invalid schedule "* * * * * * *": expected 5 to 6 fields, found 7: [* * * * * * *]`},
		{"0 0 30 2 *", `invalid schedule "0 0 30 2 *": never fires (no such date)`},
		{"@fortnightly", `invalid schedule "@fortnightly": unrecognized descriptor: @fortnightly`},
		{"@every 0s", `invalid schedule "@every 0s": @every 0s: duration must be positive`},
		{"@every -5m", `invalid schedule "@every -5m": @every -5m: duration must be positive`},
		{"@every 500ms", `invalid schedule "@every 500ms": @every 500ms: duration must be at least 1s`},
		{"@every 1.5s", `invalid schedule "@every 1.5s": @every 1.5s: duration must be whole seconds`},
		{"@every often", `invalid schedule "@every often": @every: time: invalid duration "often"`},
		{"CRON_TZ=Mars/Olympus 0 9 * * *", `invalid schedule "CRON_TZ=Mars/Olympus 0 9 * * *": time zone "Mars/Olympus": unknown time zone Mars/Olympus`},
		{"TZ= 0 9 * * *", `invalid schedule "TZ= 0 9 * * *": time zone prefix without a zone name`},
		{"TZ=Europe/Paris", `invalid schedule "TZ=Europe/Paris": nothing after time zone "Europe/Paris"`},
		{"TZ=Europe/Paris adaptive", `invalid schedule "TZ=Europe/Paris adaptive": adaptive takes no time zone`},
		{"Adaptive", `invalid schedule "Adaptive": expected 5 to 6 fields, found 1: [Adaptive]`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.spec)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error %q", tt.spec, s, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error\n got %s\nwant %s", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParseWithBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		a       Adaptive
		wantMax time.Duration // Period, when valid
		wantErr string
	}{
		{"defaults", Adaptive{}, 168 * time.Hour, ""},
		{"both", Adaptive{Min: 30 * time.Minute, Max: 24 * time.Hour}, 24 * time.Hour, ""},
		{"equal", Adaptive{Min: time.Hour, Max: time.Hour}, time.Hour, ""},
		{"min above default max", Adaptive{Min: 200 * time.Hour}, 0,
			`invalid schedule "adaptive": adaptive min 200h0m0s is above max 168h0m0s`},
		{"min above max", Adaptive{Min: 2 * time.Hour, Max: time.Hour}, 0,
			`invalid schedule "adaptive": adaptive min 2h0m0s is above max 1h0m0s`},
		{"max below default min", Adaptive{Max: 10 * time.Minute}, 0,
			`invalid schedule "adaptive": adaptive min 15m0s is above max 10m0s`},
		{"negative", Adaptive{Min: -time.Minute}, 0,
			`invalid schedule "adaptive": adaptive bounds min -1m0s, max 0s: must not be negative`},
		{"sub-second", Adaptive{Min: time.Millisecond}, 0,
			`invalid schedule "adaptive": adaptive min 1ms: must be at least 1s`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := ParseWith("adaptive", tt.a)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseWith(adaptive, %+v) error = %v, want %s", tt.a, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseWith(adaptive, %+v): %v", tt.a, err)
			}
			if got := s.Period(jan1); got != tt.wantMax {
				t.Errorf("Period = %v, want %v", got, tt.wantMax)
			}
		})
	}

	// Bounds are only for the adaptive schedule.
	if _, err := ParseWith("@hourly", Adaptive{Min: -1}); err != nil {
		t.Errorf("ParseWith(@hourly, bad bounds): %v, want the bounds ignored", err)
	}
}

func TestZeroSpec(t *testing.T) {
	t.Parallel()
	var s Spec
	if got := s.Next(jan1, 1, History{}); !got.IsZero() {
		t.Errorf("zero Spec Next = %v, want zero Time", got)
	}
	if got := s.Period(jan1); got != 0 {
		t.Errorf("zero Spec Period = %v, want 0", got)
	}
	if s.IsAdaptive() || s.String() != "" {
		t.Errorf("zero Spec = %q adaptive=%v, want empty, not adaptive", s, s.IsAdaptive())
	}
}

// A spec without a zone prefix is read in the location of now.
func TestNextLocationOfNow(t *testing.T) {
	t.Parallel()
	paris := mustLoad(t, "Europe/Paris")
	s := mustParse(t, "0 9 * * *")
	const key = 42
	j := jitter(key, 24*time.Hour)
	for _, loc := range []*time.Location{time.UTC, paris} {
		now := time.Date(2025, time.January, 10, 12, 0, 0, 0, loc)
		want := time.Date(2025, time.January, 11, 9, 0, 0, 0, loc).Add(j)
		got := s.Next(now, key, History{})
		if !got.Equal(want) || got.Location() != loc {
			t.Errorf("Next(%v) = %v, want %v", now, got, want)
		}
	}
}

func mustParse(t testing.TB, spec string) Spec {
	t.Helper()
	s, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
