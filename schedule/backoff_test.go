package schedule

import (
	"math"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	t.Parallel()
	const m = time.Minute
	tests := []struct {
		base   time.Duration
		n      int
		period time.Duration
		want   time.Duration
	}{
		{m, -1, time.Hour, 0},
		{m, 0, time.Hour, 0},
		{m, 1, time.Hour, m},
		{m, 2, time.Hour, 2 * m},
		{m, 3, time.Hour, 4 * m},
		{m, 6, time.Hour, 32 * m},
		{m, 7, time.Hour, time.Hour}, // 64m, capped
		{m, 1000, time.Hour, time.Hour},
		{m, math.MaxInt, time.Hour, time.Hour},
		{5 * m, 3, 15 * m, 15 * m},                     // 20m, capped
		{5 * m, 3, 2 * m, 5 * m},                       // period under base: never below base
		{5 * m, 3, 0, 5 * m},                           // unknown period: base
		{time.Hour, 200, math.MaxInt64, math.MaxInt64}, // no overflow
		{0, 3, time.Hour, 0},
		{-m, 3, time.Hour, 0},
	}
	for _, tt := range tests {
		if got := Backoff(tt.base, tt.n, tt.period); got != tt.want {
			t.Errorf("Backoff(%v, %d, %v) = %v, want %v", tt.base, tt.n, tt.period, got, tt.want)
		}
	}
}
