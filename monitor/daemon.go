package monitor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

// DaemonStore is the part of the store the daemon needs: the checker's, and
// the scheduling contract (claims under a lease).
type DaemonStore interface {
	CheckStore
	ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.Watch, error)
	RenewLease(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) error
	ReleaseLease(ctx context.Context, id int64, owner string, next time.Time) error
	NextDue(ctx context.Context, now time.Time) (time.Time, bool, error)
	ListWatches(ctx context.Context, f store.WatchFilter) ([]store.Watch, error)
	PruneChecks(ctx context.Context, before time.Time) (int64, error)
	PruneRevisions(ctx context.Context, watchID int64, keep store.Keep) (int64, error)
}

// DaemonOptions configures a Daemon. Zero values take the defaults given.
type DaemonOptions struct {
	// Owner names this process in the leases it takes; default
	// "<hostname>:<pid>:<random>", unique per run.
	Owner string
	// Workers is the number of checks in flight at once (most of a check
	// waits on the network or the store; the Checker bounds extractions
	// separately); default 32.
	Workers int
	// Lease is how long a claim lasts without renewal; a running check
	// renews it every Lease/3, so only a dead process lets it expire, and
	// its watches are then claimed again. Default 2m.
	Lease time.Duration
	// Schedule returns the schedule of a watch (its own spec or the
	// default). Required.
	Schedule func(store.Watch) (schedule.Spec, error)
	// RetryBase is the first delay after a failed check; it doubles with
	// each further failure, up to the watch's normal period. Default 1m
	// (or the period, when shorter).
	RetryBase time.Duration
	// MaxSleep bounds an idle wait, so that watches another process added
	// to the store are seen; default 1m. Wake ends a wait at once.
	MaxSleep time.Duration
	// ShutdownGrace is how long checks in flight may finish once Run's
	// context is cancelled, before they are cancelled too; default 30s.
	ShutdownGrace time.Duration
	// CheckRetention is how long check rows are kept: every PruneEvery,
	// older ones are deleted. 0 keeps them forever.
	CheckRetention time.Duration
	// Keep, when set, gives the revisions a watch keeps (see
	// store.Store.PruneRevisions); ok false keeps them all. Applied every
	// PruneEvery.
	Keep func(store.Watch) (keep store.Keep, ok bool)
	// PruneEvery is how often retention runs, the first time right after
	// start; default 1h.
	PruneEvery time.Duration
	// OnResult, when set, is called after each check is released, from
	// the goroutine that finished it (a worker, or the one that waited for
	// a change's confirming fetch); calls may run concurrently.
	OnResult func(Result, time.Time)
	Logger   *slog.Logger     // nil discards logs
	Now      func() time.Time // nil means time.Now
}

// Daemon runs checks as their schedules come due: it claims due watches
// from the store under a lease, runs them on a fixed pool of workers,
// computes each watch's next check and releases it. Several daemons (on
// PostgreSQL, in several processes) can share one store: a watch is
// claimed by one of them at a time.
type Daemon struct {
	store   DaemonStore
	checker *Checker
	opts    DaemonOptions
	logger  *slog.Logger
	now     func() time.Time
	wake    chan struct{}
	busy    atomic.Int32 // checks held by a worker
	waiting atomic.Int32 // changes waiting for their confirming fetch, off the workers
	ready   atomic.Bool
}

// NewDaemon returns a daemon checking with c the watches of s.
func NewDaemon(s DaemonStore, c *Checker, opts DaemonOptions) (*Daemon, error) {
	if opts.Schedule == nil {
		return nil, errors.New("monitor: DaemonOptions.Schedule is required")
	}
	if opts.Owner == "" {
		opts.Owner = defaultOwner()
	}
	if opts.Workers < 1 {
		opts.Workers = 32
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = time.Minute
	}
	if opts.MaxSleep <= 0 {
		opts.MaxSleep = time.Minute
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 30 * time.Second
	}
	if opts.PruneEvery <= 0 {
		opts.PruneEvery = time.Hour
	}
	d := &Daemon{store: s, checker: c, opts: opts, logger: opts.Logger, now: opts.Now, wake: make(chan struct{}, 1)}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d, nil
}

// defaultOwner returns a lease owner name unique to this process run.
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "redline"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Owner returns the name this daemon takes leases under.
func (d *Daemon) Owner() string { return d.opts.Owner }

// Ready reports whether the daemon's loop is running (for /readyz).
func (d *Daemon) Ready() bool { return d.ready.Load() }

// Busy returns the number of checks claimed and not yet released: those
// running on a worker and the changes waiting for their confirming fetch.
func (d *Daemon) Busy() int { return int(d.busy.Load() + d.waiting.Load()) }

// Wake makes an idle daemon look for due watches now, for example after
// watches were added or the configuration reloaded.
func (d *Daemon) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run claims and checks due watches until ctx is cancelled. It then stops
// claiming, lets the checks in flight finish for up to ShutdownGrace,
// cancels those still running (their watches are released due at once, so
// that they run again), and returns nil. It returns an error only when the
// store fails in a way that stops it from claiming work.
func (d *Daemon) Run(ctx context.Context) error {
	// Checks run on a context that outlives ctx by the grace period.
	checkCtx, cancelChecks := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelChecks()

	work := make(chan store.Watch)
	done := make(chan struct{}, d.opts.Workers)
	var workers, confirming sync.WaitGroup
	for range d.opts.Workers {
		workers.Go(func() {
			for w := range work {
				if later := d.runOne(checkCtx, w); later != nil {
					// A change waits for its confirming fetch without
					// holding the worker: its watch stays claimed.
					d.waiting.Add(1)
					confirming.Go(func() {
						defer d.waiting.Add(-1)
						later()
					})
				}
				d.busy.Add(-1)
				select {
				case done <- struct{}{}:
				default:
				}
			}
		})
	}

	if d.opts.CheckRetention > 0 || d.opts.Keep != nil {
		workers.Go(func() { d.pruneLoop(ctx) })
	}
	d.ready.Store(true)
	err := d.loop(ctx, work, done)
	d.ready.Store(false)
	close(work)

	finished := make(chan struct{})
	go func() { workers.Wait(); confirming.Wait(); close(finished) }()
	if n := d.Busy(); n > 0 {
		d.logger.Info("shutting down: waiting for checks in flight", "checks", n, "grace", d.opts.ShutdownGrace.String())
	}
	t := time.NewTimer(d.opts.ShutdownGrace)
	defer t.Stop()
	select {
	case <-finished:
	case <-t.C:
		d.logger.Warn("shutdown grace over: cancelling the checks still running", "checks", d.Busy())
		cancelChecks()
		<-finished
	}
	return err
}

// loop claims due watches and hands them to the workers until ctx ends.
func (d *Daemon) loop(ctx context.Context, work chan<- store.Watch, done <-chan struct{}) error {
	failures := 0
	for ctx.Err() == nil {
		free := d.opts.Workers - int(d.busy.Load())
		if free > 0 {
			ws, err := d.store.ClaimDue(ctx, d.opts.Owner, d.now(), free, d.opts.Lease)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// A store that fails now and then (a restarted PostgreSQL)
				// is waited for; one that keeps failing stops the daemon.
				if failures++; failures >= 10 {
					return fmt.Errorf("claim due watches: %w", err)
				}
				d.logger.Error("claim due watches", "error", err.Error())
				if !sleep(ctx, time.Duration(failures)*time.Second) {
					return nil
				}
				continue
			}
			failures = 0
			for _, w := range ws {
				d.busy.Add(1)
				work <- w // a worker is free: busy was below Workers
			}
			if len(ws) == free {
				continue // more may be due
			}
		}
		wait := d.opts.MaxSleep
		if free > 0 {
			next, ok, err := d.store.NextDue(ctx, d.now())
			switch {
			case err != nil && ctx.Err() == nil:
				d.logger.Error("find the next due watch", "error", err.Error())
			case ok:
				wait = min(wait, max(next.Sub(d.now()), 0))
			}
		}
		if wait <= 0 && free > 0 {
			// Due but not claimable by us (leased by another process
			// until a moment ago): look again very soon, not in a spin.
			wait = 50 * time.Millisecond
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-d.wake:
		case <-done:
		}
		t.Stop()
	}
	return nil
}

// sleep waits for d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// runOne checks one claimed watch, keeping its lease alive meanwhile, and
// releases it with its next check time. A change that needs confirming is
// not waited for here: runOne returns what finishes the check (wait,
// fetch again, record, release), for the caller to run off the worker;
// the lease is renewed until then.
func (d *Daemon) runOne(ctx context.Context, w store.Watch) (later func()) {
	log := d.logger.With("watch", watchLabel(w), "url", w.URL)
	if due := w.State.NextCheckAt; !due.IsZero() {
		d.checker.metrics.observeLag(d.now().Sub(due))
	}
	ctx, cancel := context.WithCancelCause(ctx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(d.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := d.store.RenewLease(ctx, w.ID, d.opts.Owner, d.now(), d.opts.Lease); err != nil {
					if errors.Is(err, store.ErrLeaseLost) {
						log.Warn("lease lost: another process took the watch over; abandoning the check")
						cancel(err)
						return
					}
					if ctx.Err() == nil {
						log.Error("renew lease", "error", err.Error())
					}
				}
			}
		}
	}()
	finish := func(a *attempt) {
		res, err := d.checker.record(ctx, a)
		cancel(nil)
		<-renewed
		d.release(ctx, w, res, err, log)
	}
	a := d.checker.start(ctx, w)
	if a.confirm == nil {
		finish(a)
		return nil
	}
	return func() {
		d.checker.confirmWhenDue(ctx, a)
		finish(a)
	}
}

// release gives a checked watch back to the store with its next check
// time, unless its lease was lost meanwhile.
func (d *Daemon) release(ctx context.Context, w store.Watch, res Result, err error, log *slog.Logger) {
	if errors.Is(context.Cause(ctx), store.ErrLeaseLost) {
		return // not ours to record or release any more
	}
	now := d.now()
	next := now // not recorded (shutdown, store failure): due again at once
	if err == nil {
		next = d.nextCheck(w, res, now, log)
	} else {
		log.Warn("check not recorded", "error", err.Error())
	}
	// Release even when shutting down: the lease must not outlive us.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer rcancel()
	if err := d.store.ReleaseLease(rctx, w.ID, d.opts.Owner, next); err != nil {
		log.Error("release lease", "error", err.Error())
	}
	if d.opts.OnResult != nil && err == nil {
		d.opts.OnResult(res, next)
	}
}

// nextCheck computes when a watch is next due after a recorded check: its
// schedule's next slot; sooner after a failure (RetryBase, doubling with
// each consecutive failure, never later than the schedule); and never
// before the server's Retry-After.
func (d *Daemon) nextCheck(w store.Watch, res Result, now time.Time, log *slog.Logger) time.Time {
	spec, err := d.opts.Schedule(w)
	if err != nil {
		log.Error("schedule", "error", err.Error())
		return now.Add(time.Hour)
	}
	hist := schedule.History{FirstSeen: w.CreatedAt, Published: w.State.Published}
	if w.State.Revisions > 1 { // the first revision is a capture, not an edit
		hist.LastChange = w.State.LastChangeAt
	}
	if res.Outcome == store.OutcomeNew || res.Outcome == store.OutcomeChanged {
		hist.Published = res.Published
	}
	if res.Outcome == store.OutcomeChanged && res.Class != diff.ClassExtractorUpdate { // an upgrade of redline is no edit of the page
		hist.LastChange = now
	}
	next := spec.Next(now, w.ID, hist)
	if res.Outcome == store.OutcomeError {
		period := spec.Period(now)
		retry := now.Add(schedule.Backoff(min(d.opts.RetryBase, period), w.State.ConsecutiveErrors+1, period))
		if retry.Before(next) {
			next = retry
		}
	}
	if res.RetryAfter > 0 {
		if after := now.Add(res.RetryAfter); after.After(next) {
			next = after
		}
	}
	return next
}

// pruneLoop applies the retention rules now and every PruneEvery, until
// ctx ends.
func (d *Daemon) pruneLoop(ctx context.Context) {
	t := time.NewTicker(d.opts.PruneEvery)
	defer t.Stop()
	for {
		d.prune(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// prune deletes the check rows and revisions the retention rules let go.
func (d *Daemon) prune(ctx context.Context) {
	now := d.now()
	if age := d.opts.CheckRetention; age > 0 {
		n, err := d.store.PruneChecks(ctx, now.Add(-age))
		switch {
		case err != nil && ctx.Err() == nil:
			d.logger.Error("prune checks", "error", err.Error())
		case n > 0:
			d.logger.Info("pruned checks", "rows", n, "older_than", age.String())
		}
	}
	if d.opts.Keep == nil {
		return
	}
	ws, err := d.store.ListWatches(ctx, store.WatchFilter{})
	if err != nil {
		if ctx.Err() == nil {
			d.logger.Error("prune revisions: list watches", "error", err.Error())
		}
		return
	}
	for _, w := range ws {
		keep, ok := d.opts.Keep(w)
		if !ok || ctx.Err() != nil {
			continue
		}
		keep.Now = now
		n, err := d.store.PruneRevisions(ctx, w.ID, keep)
		switch {
		case err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil:
			d.logger.Error("prune revisions", "watch", watchLabel(w), "url", w.URL, "error", err.Error())
		case n > 0:
			d.logger.Info("pruned revisions", "watch", watchLabel(w), "url", w.URL, "revisions", n)
		}
	}
}
