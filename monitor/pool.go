package monitor

import (
	"context"
	"sync"

	"github.com/redlinehq/redline/store"
)

// CheckAll checks every watch in ws with at most workers checks running at
// once, and calls report with each result as it completes (one call at a
// time, in completion order). It returns when every check has finished or
// ctx is cancelled; the error is the first one that stopped a check from
// being recorded, which also stops the remaining checks.
func (c *Checker) CheckAll(ctx context.Context, ws []store.Watch, workers int, report func(Result)) error {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	jobs := make(chan store.Watch)
	results := make(chan Result)
	var wg sync.WaitGroup
	for range min(workers, len(ws)) {
		wg.Go(func() {
			for w := range jobs {
				res, err := c.Check(ctx, w)
				if err != nil {
					cancel(err)
					return
				}
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	wg.Go(func() {
		defer close(jobs)
		for _, w := range ws {
			select {
			case jobs <- w:
			case <-ctx.Done():
				return
			}
		}
	})
	go func() {
		wg.Wait()
		close(results)
	}()
	for res := range results {
		report(res)
	}
	return context.Cause(ctx)
}
