// Package heapfloor keeps the Go garbage collector from running while the
// heap is small.
//
// With the default GOGC=100 the collector runs whenever the heap reaches
// twice what was live after the last collection, and the first time at
// 4 MB. A program whose live heap is small but which allocates fast (a
// page checker: 10 to 20 MB live, a megabyte of parse tree per page) then
// collects many times a second and spends a good part of its CPU marking
// the same live objects over and over. A floor lets the program's memory
// grow to a fixed size before collecting. The Go compiler does the same
// for itself (cmd/compile's AdjustStartingHeap), servers long did it with
// a "heap ballast", and Go issues 23044 and 44309 asked it of the runtime
// as a minimum heap size.
//
// While less than half the floor is live, GOGC is set after each
// collection so that the next one runs when the heap reaches five eighths
// of the floor, and a memory limit at the floor caps a sudden rise of the
// live heap before that adjustment: a GOGC chosen for a small live heap
// would multiply a larger one. The goal is kept well under the limit
// because a runtime near its limit returns memory to the system on every
// allocation to stay under it, and faults it back in at once; in a busy
// round of checks that cost more CPU than the collections it spared. Once
// a collection leaves more than half the floor live, GOGC=100 takes over,
// without a limit, until the live heap is back under a quarter of it.
package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// basePercent is the GOGC the floor gives way to, and the least it sets.
const basePercent = 100

// minHeap is the runtime's minimum heap goal at GOGC=100 (4 MiB), which
// it scales with GOGC; the live heap is assumed to be that before the
// first collection.
const minHeap = 4 << 20

// state is one Set in force.
type state struct {
	floor   uint64
	mu      sync.Mutex
	stopped bool
	paced   bool   // GOGC=100 is in force, not the limit
	live    uint64 // the heap live after the last collection
	roots   uint64 // the stacks and globals it scanned, which GOGC also scales
	sample  []metrics.Sample
}

// sentinel is allocated after each collection and dropped at once, so
// that the next collection runs its cleanup. It holds a pointer so that it
// is not a tiny allocation, whose cleanup could wait for its neighbours.
type sentinel struct{ _ *byte }

// Set makes the collector leave memory alone until the heap reaches five
// eighths of floor bytes, and keeps the runtime's memory under floor, as
// long as less than half of it is live (see the package comment). It
// overrides GOGC and GOMEMLIMIT, so a caller that lets users choose calls
// it only when neither is set. stop ends it and restores
// GOGC=100 without a limit; it may be called more than once.
func Set(floor uint64) (stop func()) {
	s := &state{floor: floor, live: minHeap, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
	}}
	s.apply()
	s.arm()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.stopped {
			s.stopped = true
			debug.SetMemoryLimit(math.MaxInt64)
			debug.SetGCPercent(basePercent)
		}
	}
}

// apply puts the mode of s in force.
func (s *state) apply() {
	if s.paced {
		debug.SetGCPercent(basePercent)
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	debug.SetMemoryLimit(int64(min(s.floor, math.MaxInt64)))
	debug.SetGCPercent(goalPercent(s.floor, s.live, s.roots))
}

// goalPercent is the GOGC under which a collection that left live bytes
// is followed by the next one when the heap reaches five eighths of the
// floor; at least basePercent. The runtime's heap goal is live plus GOGC
// percent of live and the roots (stacks and globals) it scanned, and at
// least GOGC percent of minHeap.
func goalPercent(floor, live, roots uint64) int {
	goal := floor / 8 * 5
	if live+roots == 0 || goal <= live {
		return basePercent
	}
	p := min((goal-live)*100/(live+roots), goal*100/minHeap)
	return int(max(min(p, math.MaxInt32), basePercent))
}

// arm asks for s.adjust after the next collection.
func (s *state) arm() {
	runtime.AddCleanup(new(sentinel), func(s *state) { s.adjust() }, s)
}

// adjust sets the mode and GOGC for the live heap the last collection
// left, and asks to be run again after the next one.
func (s *state) adjust() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	metrics.Read(s.sample)
	var v [3]uint64
	for i, m := range s.sample {
		if m.Value.Kind() == metrics.KindUint64 {
			v[i] = m.Value.Uint64()
		}
	}
	s.live, s.roots = v[0], v[1]+v[2]
	paced := nextPaced(s.paced, s.floor, s.live)
	if !paced || paced != s.paced {
		s.paced = paced
		s.apply()
	}
	s.arm()
}

// nextPaced reports whether GOGC=100 should pace the collector after a
// collection that left live bytes: from over half the floor until under a
// quarter of it.
func nextPaced(paced bool, floor, live uint64) bool {
	if paced {
		return live >= floor/4
	}
	return live > floor/2
}
