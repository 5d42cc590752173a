package storetest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// BenchmarkRecordCheck measures RecordCheck on the engine that open
// creates, in three sub-benchmarks: "revision" stores a changed page (a
// revision of about 20 KB of text plus its document, the write that matters),
// "unchanged" only a check row and the watch state, and "concurrent" the
// same from 8 goroutines per CPU at once, each on watches of its own, as a
// check round's workers call it. open must return a new, empty store;
// BenchmarkRecordCheck closes it.
func BenchmarkRecordCheck(b *testing.B, open func(tb testing.TB) store.Store) {
	text := largeText(20 << 10)
	doc := []byte(fmt.Sprintf(`{"title":"Bench","blocks":[{"kind":"p","text":%q}]}`, text[:2000]))

	b.Run("revision", func(b *testing.B) {
		s, w := benchStore(b, open)
		b.SetBytes(int64(len(text)))
		i := 0
		for b.Loop() {
			i++
			r := revisionResult(w.ID, store.OutcomeChanged, time.Duration(i)*time.Second, "bench")
			r.Revision.Text = fmt.Sprintf("%d %s", i, text)
			r.Revision.Document = doc
			if _, err := s.RecordCheck(b.Context(), r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		s, w := benchStore(b, open)
		i := 0
		for b.Loop() {
			i++
			if _, err := s.RecordCheck(b.Context(), plainResult(w.ID, store.OutcomeUnchanged, time.Duration(i)*time.Second)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("concurrent", func(b *testing.B) {
		s, _ := benchStore(b, open)
		var next atomic.Int64
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			w, err := s.AddWatch(b.Context(), store.Watch{URL: fmt.Sprintf("https://example.com/bench/%d", next.Add(1))})
			if err != nil {
				b.Error(err)
				return
			}
			i := 0
			for pb.Next() {
				i++
				if _, err := s.RecordCheck(b.Context(), plainResult(w.ID, store.OutcomeUnchanged, time.Duration(i)*time.Second)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func benchStore(b *testing.B, open func(tb testing.TB) store.Store) (store.Store, store.Watch) {
	b.Helper()
	s := open(b)
	b.Cleanup(func() {
		if err := s.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
	})
	w, err := s.AddWatch(b.Context(), store.Watch{URL: "https://example.com/bench"})
	if err != nil {
		b.Fatal(err)
	}
	return s, w
}
