package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// collections returns how many times the collector ran while 256 MiB of
// short-lived garbage was allocated.
func collections() uint32 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var keep []byte
	for range 4096 {
		keep = make([]byte, 64<<10)
	}
	runtime.KeepAlive(keep)
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// gcPercent returns the GOGC in force.
func gcPercent() int {
	p := debug.SetGCPercent(basePercent)
	debug.SetGCPercent(p)
	return p
}

func TestFloorSparesCollections(t *testing.T) {
	runtime.GC()
	plain := collections()
	stop := Set(128 << 20)
	defer stop()
	runtime.GC()
	floored := collections()
	t.Logf("collections while allocating 256 MiB: %d at GOGC=100, %d with a 128 MiB floor", plain, floored)
	if floored*4 > plain {
		t.Errorf("with a 128 MiB floor the collector ran %d times, at GOGC=100 %d times; want at most a quarter", floored, plain)
	}
}

// limit returns the memory limit in force.
func limit() int64 { return debug.SetMemoryLimit(-1) }

func TestFloorGivesWayToALargeHeap(t *testing.T) {
	stop := Set(32 << 20)
	defer stop()
	if p, l := gcPercent(), limit(); p <= basePercent || l != 32<<20 {
		t.Fatalf("after Set(32 MiB): GOGC %d, limit %d; want over %d and 32 MiB", p, l, basePercent)
	}
	live := make([][]byte, 48)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	// The adjustment runs after a collection, on the cleanup goroutine.
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != basePercent && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
	if p, l := gcPercent(), limit(); p != basePercent || l != math.MaxInt64 {
		t.Errorf("with 48 MiB live and a 32 MiB floor: GOGC %d, limit %d; want %d and none", p, l, basePercent)
	}
	// Once the heap is small again, the floor is back.
	clear(live)
	for limit() != 32<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p, l := gcPercent(), limit(); p <= basePercent || l != 32<<20 {
		t.Errorf("with the heap freed: GOGC %d, limit %d; want over %d and 32 MiB", p, l, basePercent)
	}
}

func TestStopRestoresDefault(t *testing.T) {
	stop := Set(256 << 20)
	stop()
	stop()
	runtime.GC()
	runtime.GC()
	if p, l := gcPercent(), limit(); p != basePercent || l != math.MaxInt64 {
		t.Errorf("after stop: GOGC %d, limit %d; want %d and none", p, l, basePercent)
	}
}

// TestGoalUnderTheLimit: with a small live heap, the next collection is
// due at five eighths of the floor, well under the limit, where the runtime
// would return memory to the system on every allocation.
func TestGoalUnderTheLimit(t *testing.T) {
	const floor = 64 << 20
	stop := Set(floor)
	defer stop()
	sample := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}}
	// Two collections: the adjustment after the first sets the goal the
	// second reports.
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	runtime.GC()
	metrics.Read(sample)
	goal, live := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	t.Logf("live %.1f MiB, goal %.1f MiB, floor %d MiB", float64(live)/(1<<20), float64(goal)/(1<<20), floor>>20)
	if goal < floor/2 || goal > floor/4*3 {
		t.Errorf("heap goal %d MiB with %d MiB live; want about five eighths of the %d MiB floor", goal>>20, live>>20, floor>>20)
	}
}

func TestGoalPercent(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live, roots uint64
		want        int
	}{
		{0, 0, basePercent},
		{1 << 10, 0, 1000},      // the runtime's minimum heap: 4 MiB × 10 = 40 MiB
		{8 * mib, 0, 400},       // 8 + 8 × 4 = 40
		{10 * mib, 0, 300},      // 10 + 10 × 3 = 40
		{4 * mib, 1 * mib, 720}, // 4 + 5 × 7.2 = 40
		{24 * mib, 0, basePercent},
		{40 * mib, 0, basePercent},
	} {
		if got := goalPercent(64*mib, tc.live, tc.roots); got != tc.want {
			t.Errorf("goalPercent(64 MiB, live %d MiB, roots %d MiB) = %d, want %d", tc.live/mib, tc.roots/mib, got, tc.want)
		}
	}
}

func TestNextPaced(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		paced bool
		live  uint64
		want  bool
	}{
		{false, 10 * mib, false},
		{false, 32 * mib, false},
		{false, 33 * mib, true},
		{true, 33 * mib, true},
		{true, 20 * mib, true},
		{true, 15 * mib, false},
	} {
		if got := nextPaced(tc.paced, 64*mib, tc.live); got != tc.want {
			t.Errorf("nextPaced(%v, 64 MiB, %d MiB) = %v, want %v", tc.paced, tc.live/mib, got, tc.want)
		}
	}
}
