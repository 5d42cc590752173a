package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
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
	if p, l := gcPercent(), limit(); p != -1 || l != 32<<20 {
		t.Fatalf("after Set(32 MiB): GOGC %d, limit %d; want off and 32 MiB", p, l)
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
	for gcPercent() != -1 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p, l := gcPercent(), limit(); p != -1 || l != 32<<20 {
		t.Errorf("with the heap freed: GOGC %d, limit %d; want off and 32 MiB", p, l)
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
