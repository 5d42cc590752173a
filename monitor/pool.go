package monitor

import (
	"context"
	"sync"
	"time"

	"github.com/redlinehq/redline/store"
)

// CheckAll checks every watch in ws with at most workers checks running at
// once, and calls report with each result as it completes (one call at a
// time, in completion order). A change waiting for its confirming fetch
// does not hold a worker: it is set aside and comes back to the pool when
// its delay is over. CheckAll returns when every check has finished or ctx
// is cancelled; the error is the first one that stopped a check from being
// recorded, which also stops the remaining checks.
func (c *Checker) CheckAll(ctx context.Context, ws []store.Watch, workers int, report func(Result)) error {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	// Every watch is one unit of work until its result is reported; a
	// confirmation keeps its unit open while it waits.
	var (
		open       sync.WaitGroup // units of work not yet finished
		goroutines sync.WaitGroup // every goroutine started here
	)
	tasks := make(chan *attempt)
	results := make(chan Result)
	finish := func(a *attempt) {
		defer open.Done()
		res, err := c.record(ctx, a)
		if err != nil {
			cancel(err)
			return
		}
		select {
		case results <- res:
		case <-ctx.Done():
		}
	}
	for range min(workers, len(ws)) {
		goroutines.Go(func() {
			// A task is either a fresh attempt (nothing to confirm yet)
			// or one back from requeue with a change to confirm.
			for a := range tasks {
				if a.confirm == nil {
					a = c.start(ctx, a.w)
				} else {
					c.confirmChange(ctx, a)
				}
				if a.confirm != nil {
					goroutines.Go(func() { c.requeue(ctx, a, tasks, open.Done) })
					continue
				}
				finish(a)
			}
		})
	}
	open.Add(len(ws))
	goroutines.Go(func() {
		for _, w := range ws {
			select {
			case tasks <- &attempt{w: w}:
			case <-ctx.Done():
				open.Done() // never started
			}
		}
	})
	go func() {
		open.Wait()
		close(tasks)
		goroutines.Wait()
		close(results)
	}()
	for res := range results {
		report(res)
	}
	return context.Cause(ctx)
}

// requeue hands an attempt waiting for confirmation back to the workers
// when its delay is over, or gives up its unit of work when ctx ends first.
func (c *Checker) requeue(ctx context.Context, a *attempt, tasks chan<- *attempt, done func()) {
	t := time.NewTimer(time.Until(a.confirm.due))
	defer t.Stop()
	select {
	case <-ctx.Done():
		done()
		return
	case <-t.C:
	}
	select {
	case tasks <- a:
	case <-ctx.Done():
		done()
	}
}
