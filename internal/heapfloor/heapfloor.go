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
// While the live heap is small the floor is a memory limit with GOGC off:
// the runtime collects when its memory reaches the floor, and returns
// freed memory to the system to stay under it. Once a collection leaves
// more than half the floor live, that would mean collecting ever more
// often, so GOGC=100 takes over until the live heap is back under a
// quarter of the floor. A limit is used rather than a larger GOGC because
// it holds at once: a GOGC chosen for the last live heap multiplies a
// sudden rise of it until the next adjustment.
package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// basePercent is the GOGC the floor gives way to.
const basePercent = 100

// state is one Set in force.
type state struct {
	floor   uint64
	mu      sync.Mutex
	stopped bool
	paced   bool // GOGC=100 is in force, not the limit
	live    []metrics.Sample
}

// sentinel is allocated after each collection and dropped at once, so
// that the next collection runs its cleanup. It holds a pointer so that it
// is not a tiny allocation, whose cleanup could wait for its neighbours.
type sentinel struct{ _ *byte }

// Set makes the collector leave memory alone until the runtime holds
// floor bytes, as long as less than half of it is live (see the package
// comment). It overrides GOGC and GOMEMLIMIT, so a caller that lets users
// choose calls it only when neither is set. stop ends it and restores
// GOGC=100 without a limit; it may be called more than once.
func Set(floor uint64) (stop func()) {
	s := &state{floor: floor, live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
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
	debug.SetGCPercent(-1)
}

// arm asks for s.adjust after the next collection.
func (s *state) arm() {
	runtime.AddCleanup(new(sentinel), func(s *state) { s.adjust() }, s)
}

// adjust switches mode for the live heap the last collection left, and
// asks to be run again after the next one.
func (s *state) adjust() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	metrics.Read(s.live)
	var live uint64
	if v := s.live[0].Value; v.Kind() == metrics.KindUint64 {
		live = v.Uint64()
	}
	if paced := nextPaced(s.paced, s.floor, live); paced != s.paced {
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
