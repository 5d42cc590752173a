package notify

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlinehq/redline/store"
)

// OutboxStore is the part of the store the dispatcher needs: the outbox's
// claims under a lease (see store.Store).
type OutboxStore interface {
	ClaimOutbox(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]store.OutboxItem, error)
	FinishDelivery(ctx context.Context, id int64, owner string, d store.Delivery) error
	NextOutboxDue(ctx context.Context, now time.Time) (next time.Time, ok bool, err error)
}

// Defaults of DispatcherOptions.
const (
	defaultWorkers     = 4
	defaultLease       = 2 * time.Minute
	defaultMaxAttempts = 10
	defaultMaxAge      = 72 * time.Hour
	defaultMinBackoff  = 30 * time.Second
	defaultMaxBackoff  = time.Hour
	// maxSleep bounds an idle wait of Run, so that items another process
	// wrote (another `redline check`) are seen without a Wake.
	maxSleep = time.Minute
	// finishTimeout bounds recording an attempt, which is done even while
	// shutting down.
	finishTimeout = 10 * time.Second
)

// DispatcherOptions configures a Dispatcher. Zero values take the defaults
// given.
type DispatcherOptions struct {
	// Owner names this dispatcher in the leases it takes on outbox items;
	// unique per process. Required.
	Owner string
	// Workers is the number of deliveries attempted at once; default 4.
	Workers int
	// Lease is how long a claimed item stays ours; it must exceed the
	// longest attempt, since an item whose lease ended may be claimed by
	// another dispatcher. An attempt is cut off at four fifths of it.
	// Default 2m, or more when a notifier's timeout needs it.
	Lease time.Duration
	// MaxAttempts is the number of failed attempts after which an item
	// is dead; default 10.
	MaxAttempts int
	// MaxAge: an item that fails when it is this old (since its
	// CreatedAt) is dead, however few its attempts; default 72h.
	MaxAge time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failed attempt:
	// after the n-th, d = min(MaxBackoff, MinBackoff·2^(n−1)), and the
	// wait is drawn uniformly from [d/2, d]. Defaults 30s and 1h.
	MinBackoff, MaxBackoff time.Duration
	// BaseURL, when set, is where redline's web interface is reached:
	// messages about a revision link to BaseURL/watches/<id>/revisions/<seq>.
	BaseURL string
	// Logger receives a line per attempt (debug), per failure (warn) and
	// per item given up (error); nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnAttempt, when set, is called after each attempt (from the
	// worker's goroutine), for metrics: the notifier's name, whether the
	// receiver accepted the message, and how long the attempt took.
	OnAttempt func(notifier string, ok bool, d time.Duration)
}

// DrainStats counts what Drain did: the items delivered, those that failed
// and wait for another attempt, and those given up.
type DrainStats struct {
	Sent, Retry, Dead int
}

// Dispatcher delivers the store's outbox: it claims due items under a
// lease, sends each through its notifier and records the attempt, retrying
// failures with exponential backoff until they are delivered or given up.
// Several dispatchers (in several processes) can share one store: an item is
// attempted by one of them at a time.
type Dispatcher struct {
	store     OutboxStore
	mu        sync.RWMutex // guards notifiers
	notifiers map[string]Notifier
	opts      DispatcherOptions
	logger    *slog.Logger
	now       func() time.Time
	wake      chan struct{}
	busy      atomic.Int32 // items claimed by Run and not yet finished
}

// NewDispatcher returns a dispatcher delivering the items of s through
// notifiers, by name. Items naming a notifier missing from the map fail
// (and are retried: the config may gain it).
func NewDispatcher(s OutboxStore, notifiers map[string]Notifier, o DispatcherOptions) (*Dispatcher, error) {
	switch {
	case s == nil:
		return nil, errors.New("notify: NewDispatcher: no store")
	case o.Owner == "":
		return nil, errors.New("notify: DispatcherOptions.Owner is required")
	case o.Workers < 0 || o.Lease < 0 || o.MaxAttempts < 0 || o.MaxAge < 0 || o.MinBackoff < 0 || o.MaxBackoff < 0:
		return nil, errors.New("notify: DispatcherOptions: Workers, Lease, MaxAttempts, MaxAge and the backoffs may not be negative")
	}
	if o.Workers == 0 {
		o.Workers = defaultWorkers
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = defaultMaxAttempts
	}
	if o.MaxAge == 0 {
		o.MaxAge = defaultMaxAge
	}
	if o.MinBackoff == 0 {
		o.MinBackoff = defaultMinBackoff
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = max(defaultMaxBackoff, o.MinBackoff)
	}
	if o.MinBackoff < time.Millisecond {
		// The store keeps times to the microsecond: a shorter wait could
		// leave a failed item due at the instant it failed.
		return nil, fmt.Errorf("notify: DispatcherOptions: MinBackoff %s is below 1ms", o.MinBackoff)
	}
	if o.MinBackoff > o.MaxBackoff {
		return nil, fmt.Errorf("notify: DispatcherOptions: MinBackoff %s exceeds MaxBackoff %s", o.MinBackoff, o.MaxBackoff)
	}
	// The lease must outlast the longest attempt, with room to record it.
	var longest time.Duration
	var slowest string
	for name, n := range notifiers {
		if n == nil {
			return nil, fmt.Errorf("notify: NewDispatcher: notifier %s is nil", name)
		}
		if t, ok := n.(timeoutNotifier); ok && t.attemptTimeout() > longest {
			longest, slowest = t.attemptTimeout(), name
		}
	}
	switch need := longest * 5 / 4; {
	case o.Lease == 0:
		o.Lease = max(defaultLease, need+finishTimeout)
	case o.Lease <= need:
		return nil, fmt.Errorf("notify: DispatcherOptions: Lease %s is too short for notifier %s, whose timeout is %s: want more than %s",
			o.Lease, slowest, longest, need)
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	d := &Dispatcher{store: s, notifiers: notifiers, opts: o, logger: o.Logger, now: o.Now, wake: make(chan struct{}, 1)}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d, nil
}

// SetNotifiers replaces the notifiers, for a reloaded config: attempts
// that start afterwards use the new ones. It refuses a notifier whose
// timeout the dispatcher's lease cannot cover (see NewDispatcher).
func (d *Dispatcher) SetNotifiers(notifiers map[string]Notifier) error {
	for name, n := range notifiers {
		if n == nil {
			return fmt.Errorf("notify: SetNotifiers: notifier %s is nil", name)
		}
		if t, ok := n.(timeoutNotifier); ok && t.attemptTimeout()*5/4 >= d.opts.Lease {
			return fmt.Errorf("notify: notifier %s: timeout %s too long for the dispatcher's lease %s (restart redline to use it)", name, t.attemptTimeout(), d.opts.Lease)
		}
	}
	d.mu.Lock()
	d.notifiers = notifiers
	d.mu.Unlock()
	return nil
}

// notifier returns the notifier named name.
func (d *Dispatcher) notifier(name string) (Notifier, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	n, ok := d.notifiers[name]
	return n, ok
}

// Wake makes an idle Run look for due items now: call it after writing
// new ones. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due items until ctx is cancelled: it claims them (as many
// as it has free workers), attempts each on its pool of workers, records
// every attempt, and sleeps until the next item is due (at most a minute,
// so that items another process wrote are seen), or Wake is called, or a
// worker is free again. Once ctx is cancelled it claims no more, lets the
// attempts in flight finish (each is bounded by its notifier's timeout)
// and returns nil. It returns an error only when the store keeps failing
// to hand out items.
func (d *Dispatcher) Run(ctx context.Context) error {
	// Attempts outlive ctx: cutting one short would only make it fail.
	attemptCtx := context.WithoutCancel(ctx)
	work := make(chan []store.OutboxItem)
	done := make(chan struct{}, d.opts.Workers)
	var workers sync.WaitGroup
	for range d.opts.Workers {
		workers.Go(func() {
			for unit := range work {
				_, _ = d.attemptUnit(attemptCtx, unit)
				d.busy.Add(-1)
				select {
				case done <- struct{}{}:
				default:
				}
			}
		})
	}
	err := d.loop(ctx, work, done)
	close(work)
	if n := d.busy.Load(); n > 0 {
		d.logger.Info("dispatcher stopping: waiting for the deliveries in flight", "deliveries", n)
	}
	workers.Wait()
	return err
}

// loop claims due items and hands them to the workers until ctx ends.
func (d *Dispatcher) loop(ctx context.Context, work chan<- []store.OutboxItem, done <-chan struct{}) error {
	failures := 0
	for ctx.Err() == nil {
		free := d.opts.Workers - int(d.busy.Load())
		if free > 0 {
			items, err := d.store.ClaimOutbox(ctx, d.opts.Owner, d.now(), free, d.opts.Lease)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// A store that fails now and then is waited for; one that
				// keeps failing stops the dispatcher.
				if failures++; failures >= 10 {
					return fmt.Errorf("claim outbox items: %w", err)
				}
				d.logger.Error("claim outbox items", "error", err.Error())
				if !sleep(ctx, time.Duration(failures)*time.Second) {
					return nil
				}
				continue
			}
			failures = 0
			for _, unit := range units(items) {
				d.busy.Add(1)
				work <- unit // a worker is free: busy was below Workers (a digest's items count as one)
			}
			if len(items) >= free {
				continue // more may be due
			}
		}
		wait := maxSleep
		if free > 0 {
			now := d.now()
			next, ok, err := d.store.NextOutboxDue(ctx, now)
			switch {
			case err != nil && ctx.Err() == nil:
				d.logger.Error("find the next due outbox item", "error", err.Error())
			case err == nil && ok:
				wait = min(wait, max(next.Sub(now), 0))
			}
		}
		if wait <= 0 {
			// Due but not claimable by us a moment ago (a lease that just
			// ended, a clock between two microseconds): look again very
			// soon, not in a spin.
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

// Drain makes one attempt at every item due now (when Drain starts), up
// to Workers at a time, and returns what came of them; an item that fails
// is not attempted again (it is due later, after its backoff), and items
// that fall due while Drain runs are left for the next. It is for `redline
// check`, at the end of a run. Once ctx is cancelled it claims no more and
// returns ctx's error after the attempts in flight finished. A store error
// ends it too; the stats count what was done until then.
func (d *Dispatcher) Drain(ctx context.Context) (DrainStats, error) {
	var st DrainStats
	start := d.now()
	attemptCtx := context.WithoutCancel(ctx)
	seen := make(map[int64]bool)
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		// Claim what was due at start (so that an item failed during this
		// Drain is not due again), leased until Lease from now.
		lease := d.opts.Lease + max(d.now().Sub(start), 0)
		items, err := d.store.ClaimOutbox(ctx, d.opts.Owner, start, d.opts.Workers, lease)
		if err != nil {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			return st, fmt.Errorf("claim outbox items: %w", err)
		}
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			errs   []error
			states []string
			again  bool
		)
		for _, unit := range units(items) {
			if seen[unit[0].ID] {
				// Due again already (a clock that went back): it keeps
				// our lease until it ends, and waits for the next pass.
				again = true
				continue
			}
			for _, it := range unit {
				seen[it.ID] = true
			}
			wg.Go(func() {
				st, err := d.attemptUnit(attemptCtx, unit)
				mu.Lock()
				states = append(states, st...)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		for _, s := range states {
			switch s {
			case store.OutboxSent:
				st.Sent++
			case store.OutboxPending:
				st.Retry++
			case store.OutboxDead:
				st.Dead++
			}
		}
		if len(errs) > 0 {
			return st, errors.Join(errs...)
		}
		if len(items) < d.opts.Workers || again {
			return st, nil
		}
	}
}

// attempt delivers it once and records the attempt. It returns the item's
// new state, or "" when the attempt was not recorded: with a nil error when
// another dispatcher took the item over (its lease ended), else with the
// store's error.
func (d *Dispatcher) attempt(ctx context.Context, it store.OutboxItem) (string, error) {
	began := time.Now()
	var (
		rc        Receipt
		err       error
		permanent bool // no later attempt can do better
	)
	m, err := d.compose(it)
	if err != nil {
		permanent = true
	} else {
		rc, err = d.send(ctx, it.Notifier, m)
	}
	took := time.Since(began)
	if d.opts.OnAttempt != nil {
		d.opts.OnAttempt(it.Notifier, err == nil, took)
	}
	return d.finish(ctx, it, it.Key, rc, err, permanent, took, time.Time{})
}

// send makes one attempt at m through the notifier named name.
func (d *Dispatcher) send(ctx context.Context, name string, m Message) (Receipt, error) {
	n, ok := d.notifier(name)
	if !ok {
		return Receipt{}, fmt.Errorf("no notifier named %s in the config", name)
	}
	sctx, cancel := context.WithTimeout(ctx, d.opts.Lease*4/5)
	defer cancel()
	return n.Send(sctx, m)
}

// finish records the attempt at it whose outcome is rc and err (sent as the
// delivery key), and returns its new state as attempt does. A failure is
// retried at next when next is not zero, else after the item's backoff.
func (d *Dispatcher) finish(ctx context.Context, it store.OutboxItem, key string, rc Receipt, err error, permanent bool, took time.Duration, next time.Time) (string, error) {
	log := d.logger.With("notifier", it.Notifier, "delivery", key, "watch", it.WatchID)
	at := d.now()
	del := store.Delivery{State: store.OutboxSent, At: at, Status: rc.Status}
	attrs := []any{"attempt", it.Attempts + 1, "status", rc.Status, "duration_ms", took.Milliseconds()}
	if it.RevisionSeq > 0 {
		attrs = append(attrs, "revision", it.RevisionSeq)
	}
	if key != it.Key {
		attrs = append(attrs, "item", it.Key)
	}
	switch {
	case err == nil:
		log.Debug("delivered", attrs...)
	case permanent || it.Attempts+1 >= d.opts.MaxAttempts || at.Sub(it.CreatedAt) >= d.opts.MaxAge:
		del.State, del.Error = store.OutboxDead, err.Error()
		log.Error("delivery failed; giving up (see 'redline outbox retry')", append(attrs, "error", del.Error)...)
	default:
		del.State, del.Error = store.OutboxPending, err.Error()
		del.NextAttemptAt = next
		if next.IsZero() {
			del.NextAttemptAt = at.Add(d.backoff(it.Attempts + 1))
		}
		log.Warn("delivery failed; will retry", append(attrs, "error", del.Error, "next_attempt", del.NextAttemptAt)...)
	}

	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	if ferr := d.store.FinishDelivery(fctx, it.ID, d.opts.Owner, del); ferr != nil {
		if errors.Is(ferr, store.ErrLeaseLost) {
			log.Warn("lease lost: another dispatcher took the delivery over; this attempt is not recorded", "state", del.State, "error", ferr.Error())
			return "", nil
		}
		log.Error("record the delivery attempt", "state", del.State, "error", ferr.Error())
		return "", fmt.Errorf("record delivery %s through %s: %w", it.Key, it.Notifier, ferr)
	}
	return del.State, nil
}

// units splits claimed items into what is delivered as one message: each
// item without a group alone, the items of one group together (a digest),
// in claim order.
func units(items []store.OutboxItem) [][]store.OutboxItem {
	var out [][]store.OutboxItem
	at := map[string]int{} // group → index in out
	for _, it := range items {
		if it.Group == "" {
			out = append(out, []store.OutboxItem{it})
			continue
		}
		if i, ok := at[it.Group]; ok {
			out[i] = append(out[i], it)
			continue
		}
		at[it.Group] = len(out)
		out = append(out, []store.OutboxItem{it})
	}
	return out
}

// attemptUnit delivers one unit (see units) and records the attempt on
// each of its items; it returns their new states, as attempt does.
func (d *Dispatcher) attemptUnit(ctx context.Context, unit []store.OutboxItem) ([]string, error) {
	if len(unit) == 1 && unit[0].Group == "" {
		st, err := d.attempt(ctx, unit[0])
		return []string{st}, err
	}
	return d.attemptDigest(ctx, unit)
}

// attemptDigest sends the items of one group as one EventDigest message,
// whose changes are the items' messages in the order they were written,
// and records the outcome on every item: they are retried together. The
// digest's delivery key names the notifier, the group and the items, so a
// repeated attempt at the same items carries the same key, and a digest
// that gained an item (a check that committed late) is a new delivery.
func (d *Dispatcher) attemptDigest(ctx context.Context, items []store.OutboxItem) ([]string, error) {
	began := time.Now()
	states := make([]string, len(items))
	type part struct {
		i  int // in items
		it store.OutboxItem
		m  Message
	}
	var (
		errs  []error
		parts []part
	)
	for i, it := range items {
		m, err := d.compose(it)
		if err != nil {
			// Cannot be part of any message: dead on its own.
			st, ferr := d.finish(ctx, it, it.Key, Receipt{}, err, true, 0, time.Time{})
			states[i] = st
			if ferr != nil {
				errs = append(errs, ferr)
			}
			continue
		}
		parts = append(parts, part{i, it, m})
	}
	if len(parts) == 0 {
		return states, errors.Join(errs...)
	}
	slices.SortFunc(parts, func(a, b part) int { return cmp.Compare(a.it.ID, b.it.ID) })
	keys := make([]string, 0, len(parts))
	changes := make([]Message, 0, len(parts))
	watches := map[int64]bool{}
	most := 0 // attempts so far, of the item tried most
	for _, p := range parts {
		keys = append(keys, p.it.Key)
		changes = append(changes, p.m)
		watches[p.it.WatchID] = true
		most = max(most, p.it.Attempts)
	}
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	notifier := parts[0].it.Notifier
	digest := Message{
		Version:  Version,
		Event:    EventDigest,
		Delivery: fmt.Sprintf("digest-%s-%x", notifier, sum[:8]),
		Summary:  digestSummary(len(changes), len(watches)),
		Changes:  changes,
	}
	rc, err := d.send(ctx, notifier, digest)
	took := time.Since(began)
	if d.opts.OnAttempt != nil {
		d.opts.OnAttempt(notifier, err == nil, took)
	}
	// One retry time for the whole group, so that it stays together.
	var next time.Time
	if err != nil {
		next = d.now().Add(d.backoff(most + 1))
	}
	for _, p := range parts {
		st, ferr := d.finish(ctx, p.it, digest.Delivery, rc, err, false, took, next)
		states[p.i] = st
		if ferr != nil {
			errs = append(errs, ferr)
		}
	}
	return states, errors.Join(errs...)
}

// digestSummary counts a digest's changes: "3 changes on 2 watches".
func digestSummary(changes, watches int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	return plural(changes, "change", "changes") + " on " + plural(watches, "watch", "watches")
}

func (d *Dispatcher) compose(it store.OutboxItem) (Message, error) {
	var m Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		return Message{}, fmt.Errorf("payload of delivery %s is not a message: %w", it.Key, err)
	}
	m.Version, m.Event, m.Delivery = Version, it.Kind, it.Key
	if it.RevisionSeq > 0 {
		if m.Revision == nil {
			m.Revision = &Revision{}
		}
		m.Revision.New = it.RevisionSeq
		if d.opts.BaseURL != "" {
			m.Revision.URL = d.opts.BaseURL + "/watches/" + strconv.FormatInt(it.WatchID, 10) + "/revisions/" + strconv.Itoa(it.RevisionSeq)
		}
	}
	return m, nil
}

// backoff returns the wait after the n-th failed attempt (n >= 1):
// uniformly random in [b/2, b], b = min(MaxBackoff, MinBackoff·2^(n−1)).
func (d *Dispatcher) backoff(n int) time.Duration {
	b := d.opts.MinBackoff
	for i := 1; i < n && b < d.opts.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, d.opts.MaxBackoff)
	if b <= 0 {
		return 0
	}
	return b/2 + rand.N(b-b/2+1)
}
