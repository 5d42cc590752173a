package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/store"
)

// CheckStore is the part of the store a Checker needs.
type CheckStore interface {
	LatestRevision(ctx context.Context, watchID int64) (store.Revision, error)
	RecordCheck(ctx context.Context, r store.CheckResult) (store.Check, error)
}

// Result is what one check found.
type Result struct {
	Watch    store.Watch
	Outcome  store.Outcome
	Revision int          // the revision recorded (new, changed) or current (unchanged); 0 if none
	Change   *diff.Change // set when Outcome is changed
	Class    diff.Class   // what kind of edit, when Outcome is changed
	Summary  string       // one-line change summary when Outcome is changed
	// PreviousAt is when the revision a change was compared with was
	// fetched (zero unless Outcome is changed).
	PreviousAt time.Time
	// Published is the article's own date in the revision recorded (new,
	// changed); zero when the page gives none or no revision was recorded.
	Published time.Time
	Err       error // set when Outcome is error
	// Skipped reports an unchanged page recognised by its fingerprint,
	// without a full extraction (see extract.Analyze).
	Skipped bool
	// RetryAfter is how long the server asked us to wait (429 or 503 with
	// Retry-After; one minute for a 429 without it); the next check of the
	// watch should not come sooner.
	RetryAfter time.Duration
}

// Diff returns the unified diff of a changed result, or "".
func (r Result) Diff() string {
	if r.Change == nil {
		return ""
	}
	return r.Change.Unified(fmt.Sprintf("revision %d", r.Revision-1), fmt.Sprintf("revision %d", r.Revision), 3)
}

// Checker runs checks. It is safe for concurrent use.
type Checker struct {
	store        CheckStore
	fetcher      *Fetcher
	defaults     store.Extraction // Ignore and Exclude added to every watch's own
	confirmDelay time.Duration
	hosts        *HostLimiter // nil: no per-host limits
	metrics      *Metrics     // nil: none
	failingAfter int
	robots       *Robots
	obeyRobots   func(store.Watch) bool
	cpu          chan struct{} // one token per extraction allowed at once
	routes       func(store.Watch) []config.Route
	notified     func()
	logger       *slog.Logger
	now          func() time.Time
}

// CheckerOptions configures a Checker.
type CheckerOptions struct {
	// Defaults holds extraction settings applied to every watch: Ignore and
	// Exclude are added to the watch's own, Mode is used when the watch has
	// none.
	Defaults store.Extraction
	// ConfirmDelay is how long after seeing a change the page is fetched
	// again to confirm it; 0 records changes from a single fetch.
	ConfirmDelay time.Duration
	// Hosts keeps the requests to each host polite; nil means no limits
	// (one-off commands may prefer that; the daemon always sets one).
	Hosts *HostLimiter
	// Metrics, when set, counts checks and times fetches and extractions.
	Metrics *Metrics
	// Robots, when set, is asked before each fetch of a watch for which
	// ObeyRobots reports true; a page its robots.txt disallows is a failed
	// check. Both must be set for robots.txt to be read.
	Robots     *Robots
	ObeyRobots func(store.Watch) bool
	// Extractions is the most page extractions run at once, whatever the
	// number of checks in flight (fetches and store writes wait on the
	// network and the disk; extractions on the CPU, and hold the page's
	// tree in memory); 0 means GOMAXPROCS.
	Extractions int
	// FailingAfter is the number of failed checks in a row that makes a
	// watch's health failing; the store records the transitions as events
	// (see store.Event). 0 records none.
	FailingAfter int
	// Routes, when set, returns the notification routes of a watch: the
	// check writes the deliveries they ask for with its revision or health
	// event, in the same transaction (see store.CheckResult.Notify).
	Routes func(store.Watch) []config.Route
	// Notified, when set, is called after a check wrote deliveries, for a
	// dispatcher to look at the outbox.
	Notified func()
	Logger   *slog.Logger     // nil discards logs
	Now      func() time.Time // nil means time.Now
}

// NewChecker returns a Checker that fetches with f and records in s.
func NewChecker(s CheckStore, f *Fetcher, opts CheckerOptions) *Checker {
	c := &Checker{store: s, fetcher: f, defaults: opts.Defaults, confirmDelay: opts.ConfirmDelay, hosts: opts.Hosts, metrics: opts.Metrics, failingAfter: opts.FailingAfter,
		robots: opts.Robots, obeyRobots: opts.ObeyRobots, logger: opts.Logger, now: opts.Now, routes: opts.Routes, notified: opts.Notified}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	n := opts.Extractions
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	c.cpu = make(chan struct{}, n)
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// ExtractOptions merges a watch's extraction settings with defaults. The
// default exclude selectors remove HTML elements, so they are not given to
// the modes that do not parse HTML (raw, json).
func ExtractOptions(w, defaults store.Extraction) extract.Options {
	mode := extract.Mode(w.Mode)
	if mode == "" {
		mode = extract.Mode(defaults.Mode)
	}
	opts := extract.Options{
		Mode:    mode,
		Select:  w.Select,
		Exclude: w.Exclude,
		Ignore:  append(append([]string(nil), defaults.Ignore...), w.Ignore...),
	}
	if mode != extract.ModeRaw && mode != extract.ModeJSON {
		opts.Exclude = append(append([]string(nil), defaults.Exclude...), w.Exclude...)
	}
	return opts
}

// attempt is a check in progress: what it found so far and what it will
// record.
type attempt struct {
	w       store.Watch
	started time.Time
	res     Result
	rec     store.CheckResult
	confirm *confirmation // set while a change waits for its confirming fetch
}

// confirmation is what a confirming fetch compares with.
type confirmation struct {
	due      time.Time
	ex       *extract.Extractor
	pol      policy
	bodyHash string            // raw body of the fetch that saw the change
	textHash string            // its canonical text's hash
	text     string            // its canonical text
	stats    []store.BlockStat // the block statistics after it
	// fingerprint is the page's fingerprint (article mode; "" in the
	// others): a confirming page with the same one has the same text.
	fingerprint string
}

// Check checks one watch and records the outcome. When the watch's change
// needs confirming, Check waits for the confirmation delay and fetches the
// page again before recording. The returned error is non-nil only when the
// outcome could not be recorded (the store failed or ctx was cancelled); a
// failed fetch is a recorded Result with Outcome error.
func (c *Checker) Check(ctx context.Context, w store.Watch) (Result, error) {
	a := c.start(ctx, w)
	c.confirmWhenDue(ctx, a)
	return c.record(ctx, a)
}

// confirmWhenDue waits for the confirmation delay of an attempt whose change
// needs confirming and fetches the page again; it does nothing for one that
// needs no confirming. When ctx ends first the change stays unconfirmed,
// and record refuses it.
func (c *Checker) confirmWhenDue(ctx context.Context, a *attempt) {
	if a.confirm == nil {
		return
	}
	t := time.NewTimer(time.Until(a.confirm.due))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
		c.confirmChange(ctx, a)
	}
}

// start runs a check up to the point where it can be recorded, or where a
// change waits for confirmation.
func (c *Checker) start(ctx context.Context, w store.Watch) *attempt {
	a := &attempt{w: w, started: c.now()}
	a.res, a.rec, a.confirm = c.run(ctx, w)
	if a.confirm != nil {
		a.confirm.due = c.now().Add(c.confirmDelay)
	}
	return a
}

// confirmChange fetches the page of a change again, bypassing caches, and
// keeps the change only if the same text comes back. A change that does not
// reproduce (an A/B test, a half-published edit, a flaky CDN node) is
// recorded as flapping, with no revision.
func (c *Checker) confirmChange(ctx context.Context, a *attempt) {
	cf := a.confirm
	a.confirm = nil
	page, err := c.fetch(ctx, a.w, FetchRequest{URL: a.w.URL, NoCache: true})
	if err != nil {
		a.res.Outcome, a.res.Err, a.res.Change, a.res.Class, a.res.Summary = store.OutcomeError, fmt.Errorf("confirm change: %w", err), nil, "", ""
		a.rec.Revision = nil
		var fe *FetchError
		if errors.As(err, &fe) {
			a.rec.HTTPStatus = fe.Status
		}
		return
	}
	if page.BodyHash == cf.bodyHash {
		return // the same bytes: the same text
	}
	if err := c.acquireCPU(ctx); err != nil {
		a.res.Outcome, a.res.Err, a.res.Change, a.res.Class, a.res.Summary = store.OutcomeError, err, nil, "", ""
		a.rec.Revision = nil
		return
	}
	// Pages that change at every request (nonces, stamps) come back with
	// new bytes around the same article: the fingerprint tells, and the
	// extraction stops there.
	an, err := cf.ex.Analyze(extract.Input{Body: page.Body, URL: page.FinalURL, ContentType: page.ContentType},
		extract.AnalyzeOptions{Explain: cf.pol.volatile != config.VolatileOff, Fingerprint: cf.fingerprint})
	<-c.cpu
	if err == nil && an.Unchanged {
		c.metrics.observeSkip()
		return
	}
	if err == nil {
		doc, blocks := an.Document, an.Blocks
		text := doc.Canonical()
		if textHash(text) == cf.textHash || cf.pol.noise(diff.Compare(cf.text, text), blocks, cf.stats) != "" {
			return // the same text, or one that differs from it only by what this watch ignores
		}
	}
	a.res.Outcome, a.res.Change, a.res.Class, a.res.Summary, a.res.Revision = store.OutcomeFlapping, nil, "", "", a.w.State.Revisions
	a.rec.Revision = nil
}

// acquireCPU waits for an extraction slot (see CheckerOptions.Extractions).
func (c *Checker) acquireCPU(ctx context.Context) error {
	select {
	case c.cpu <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// throttled is how long a host that answered 429 without Retry-After is
// left alone.
const throttled = time.Minute

// fetch fetches within the host's limits (after asking robots.txt, for a
// watch that obeys it), and holds the host back when it
// asks us to slow down: a 429 (Too Many Requests) for its Retry-After or a
// minute. A 503's Retry-After concerns the page (its next check waits, see
// Result.RetryAfter), not the whole host: one page under maintenance must
// not stop the others.
func (c *Checker) fetch(ctx context.Context, w store.Watch, req FetchRequest) (FetchResult, error) {
	if c.robots != nil && c.obeyRobots != nil && c.obeyRobots(w) {
		ok, err := c.robots.Allowed(ctx, req.URL)
		switch {
		case err != nil:
			return FetchResult{URL: req.URL}, &FetchError{URL: req.URL, Err: err}
		case !ok:
			return FetchResult{URL: req.URL}, errRobots(req.URL)
		}
	}
	if c.hosts == nil {
		page, err := c.fetcher.Fetch(ctx, req)
		c.metrics.observeFetch(page.Duration)
		return page, err
	}
	release, err := c.hosts.Acquire(ctx, req.URL)
	if err != nil {
		return FetchResult{URL: req.URL}, &FetchError{URL: req.URL, Err: err}
	}
	page, err := c.fetcher.Fetch(ctx, req)
	release()
	c.metrics.observeFetch(page.Duration)
	var fe *FetchError
	if errors.As(err, &fe) {
		if fe.Status == http.StatusTooManyRequests {
			if fe.RetryAfter == 0 {
				fe.RetryAfter = throttled
			}
			c.hosts.HoldBack(req.URL, fe.RetryAfter)
		}
	}
	return page, err
}

// record stores an attempt's outcome and logs it.
func (c *Checker) record(ctx context.Context, a *attempt) (Result, error) {
	w, res, rec := a.w, a.res, a.rec
	log := c.logger.With("watch", watchLabel(w), "url", w.URL)
	if ctx.Err() != nil {
		// A check cut short by shutdown is not a failure of the page:
		// record nothing, so it runs again next time.
		return res, fmt.Errorf("check %s: %w", w.URL, context.Cause(ctx))
	}
	rec.WatchID = w.ID
	rec.StartedAt = a.started
	rec.Duration = c.now().Sub(a.started)
	rec.Outcome = res.Outcome
	rec.FailingAfter = c.failingAfter
	if res.Err != nil {
		rec.Error = res.Err.Error()
	}
	if res.Outcome == store.OutcomeFlapping {
		// Nothing of the page that did not reproduce may stand for the
		// next one: not its validators, not its shortcut.
		rec.ETag, rec.LastModified, rec.BodyHash = "", "", ""
		rec.Shortcut = nil
	}
	a.rec = rec
	notes, err := c.notifications(a)
	if err != nil {
		return res, err
	}
	rec.Notify = notes
	chk, err := c.store.RecordCheck(ctx, rec)
	if err != nil {
		return res, fmt.Errorf("record check of %s: %w", w.URL, err)
	}
	if len(notes) > 0 && c.notified != nil && (chk.RevisionSeq > 0 || chk.Event != "") {
		c.notified()
	}
	if chk.RevisionSeq > 0 {
		res.Revision = chk.RevisionSeq
		res.Published = rec.Published
	}
	c.metrics.observeCheck(res.Outcome, res.Skipped)
	switch chk.Event {
	case store.EventFailing:
		log.Warn("watch failing", "checks_failed", c.failingAfter, "error", rec.Error)
	case store.EventRecovered:
		log.Info("watch recovered", "outcome", res.Outcome)
	}
	switch res.Outcome {
	case store.OutcomeError:
		log.Info("check failed", "status", rec.HTTPStatus, "duration_ms", rec.Duration.Milliseconds(), "error", rec.Error)
	case store.OutcomeChanged, store.OutcomeNew:
		log.Info("new revision", "outcome", res.Outcome, "revision", res.Revision, "class", string(res.Class), "summary", res.Summary, "duration_ms", rec.Duration.Milliseconds())
	case store.OutcomeFlapping:
		log.Info("change did not reproduce", "outcome", res.Outcome, "duration_ms", rec.Duration.Milliseconds())
	default:
		log.Debug("checked", "outcome", res.Outcome, "duration_ms", rec.Duration.Milliseconds())
	}
	return res, nil
}

// run does the work of a check without recording it. A change that needs
// confirming comes back with what to confirm it against.
func (c *Checker) run(ctx context.Context, w store.Watch) (Result, store.CheckResult, *confirmation) {
	res := Result{Watch: w, Revision: w.State.Revisions}
	var rec store.CheckResult
	fail := func(err error) (Result, store.CheckResult, *confirmation) {
		res.Outcome = store.OutcomeError
		res.Err = err
		return res, rec, nil
	}

	opts := ExtractOptions(w.Extract, c.defaults)
	ex, err := extract.New(opts)
	if err != nil {
		return fail(fmt.Errorf("watch %s: %w", watchLabel(w), err))
	}
	req := FetchRequest{URL: w.URL}
	if w.State.Revisions > 0 {
		req.ETag, req.LastModified = w.State.ETag, w.State.LastModified
	}
	page, err := c.fetch(ctx, w, req)
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) {
			rec.HTTPStatus = fe.Status
			res.RetryAfter = fe.RetryAfter
		}
		return fail(err)
	}
	rec.HTTPStatus = page.Status
	if page.NotModified {
		res.Outcome = store.OutcomeNotModified
		return res, rec, nil
	}
	rec.ETag, rec.LastModified = page.ETag, page.LastModified
	// The body hash only proves "same result" under the same settings, so
	// the settings are part of what is remembered.
	key := settingsKey(opts)
	rec.BodyHash = bodyKey(page.BodyHash, key)
	if w.State.Revisions > 0 && rec.BodyHash == w.State.BodyHash {
		res.Outcome = store.OutcomeUnchanged
		return res, rec, nil
	}

	pol := comparePolicy(w.Extract, c.defaults)
	in := extract.Input{Body: page.Body, URL: page.FinalURL, ContentType: page.ContentType}
	known := ""
	if w.State.Revisions > 0 {
		known = storedFingerprint(w.State.Shortcut, key)
	}
	if err := c.acquireCPU(ctx); err != nil {
		return fail(fmt.Errorf("extract %s: %w", w.URL, err))
	}
	t0 := time.Now()
	an, err := ex.Analyze(in, extract.AnalyzeOptions{Explain: pol.volatile != config.VolatileOff, Fingerprint: known})
	c.metrics.observeExtract(time.Since(t0))
	<-c.cpu
	if err != nil {
		return fail(fmt.Errorf("extract %s: %w", w.URL, err))
	}
	if an.Unchanged {
		// What the extraction would read is what it read on the page
		// that gave the stored text: no extraction needed.
		res.Outcome, res.Skipped = store.OutcomeUnchanged, true
		return res, rec, nil
	}
	doc, blocks := an.Document, an.Blocks
	// A full extraction leaves its fingerprint for the next fetch.
	fp := ""
	if an.Fingerprint != "" {
		fp = key + " " + an.Fingerprint
	}
	rec.Shortcut = &fp
	if blocks != nil {
		was := c.storedBlocks(w)
		rec.Blocks = observeBlocks(was, blocks)
		c.logVolatile(w, was, rec.Blocks)
	}
	text := doc.Canonical()
	if len(doc.Paragraphs) == 0 {
		return fail(fmt.Errorf("extract %s: no text found in the page (HTTP %d, %s)", w.URL, page.Status, page.ContentType))
	}
	hash := textHash(text)

	var cf *confirmation
	prev, err := c.store.LatestRevision(ctx, w.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		res.Outcome = store.OutcomeNew
	case err != nil:
		return fail(fmt.Errorf("load last revision of %s: %w", w.URL, err))
	case prev.ContentHash == hash:
		res.Outcome = store.OutcomeUnchanged
		res.Revision = prev.Seq
		return res, rec, nil
	default:
		ch := diff.Compare(prev.Text, text)
		if why := pol.noise(ch, blocks, rec.Blocks); why != "" {
			c.logger.Debug("change ignored", "watch", watchLabel(w), "url", w.URL, "reason", why)
			res.Outcome = store.OutcomeUnchanged
			res.Revision = prev.Seq
			return res, rec, nil
		}
		res.Outcome = store.OutcomeChanged
		res.PreviousAt = prev.FetchedAt
		res.Change = &ch
		res.Class = diff.Classify(prev.Text, text, ch)
		if formatVersion(prev.Document) < extract.FormatVersion {
			// The previous text was made by an older canonical form: the
			// texts differ whether or not the page changed.
			res.Class = diff.ClassExtractorUpdate
		}
		res.Summary = ch.Summary()
		if c.confirmDelay > 0 && !w.SkipConfirm {
			cf = &confirmation{ex: ex, pol: pol, bodyHash: page.BodyHash, textHash: hash, text: text, stats: rec.Blocks, fingerprint: an.Fingerprint}
		}
	}
	doc.Version = extract.FormatVersion
	docJSON, err := json.Marshal(doc)
	if err != nil {
		return fail(fmt.Errorf("encode document of %s: %w", w.URL, err))
	}
	rec.Revision = &store.Revision{
		FetchedAt:   c.now(),
		ContentHash: hash,
		Text:        text,
		Document:    docJSON,
		HTTPStatus:  page.Status,
		FinalURL:    page.FinalURL,
		Summary:     res.Summary,
		Class:       string(res.Class),
	}
	rec.Published = articleDate(doc.Published)
	return res, rec, cf
}

// articleDate reads a date as the extractor normalises it ("2014-03-29",
// or RFC 3339 when the page gives a time); the zero time for "" or a date
// it cannot read.
func articleDate(s string) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	return time.Time{}
}

// formatVersion returns the canonical form version a stored document was
// made with: 1 when it says none (documents stored before versions were).
func formatVersion(doc json.RawMessage) int {
	var v struct {
		Version int `json:"version"`
	}
	if len(doc) == 0 || json.Unmarshal(doc, &v) != nil || v.Version < 1 {
		return 1
	}
	return v.Version
}

func watchLabel(w store.Watch) string {
	if w.Name != "" {
		return w.Name
	}
	return w.URL
}

func textHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// settingsKey names extraction settings: the raw-body short-circuit and a
// stored fingerprint hold only for the settings they were taken with.
func settingsKey(opts extract.Options) string {
	settings, _ := json.Marshal(opts) // a struct of strings cannot fail to encode
	// The canonical form's version too: after an upgrade that changed it,
	// the first check extracts again, so that the new form is recorded
	// (as an extractor update) before the page's next real edit.
	return textHash(fmt.Sprintf("%d %s", extract.FormatVersion, settings))[:16]
}

// storedFingerprint returns the page fingerprint a watch keeps in its
// shortcut ("<settings key> <fingerprint>"), or "" when there is none or it
// was taken with other settings.
func storedFingerprint(stored, key string) string {
	k, fp, ok := strings.Cut(stored, " ")
	if !ok || k != key {
		return ""
	}
	return fp
}

// bodyKey binds a raw body hash to the extraction settings (their
// settingsKey) that produced the stored text, so that changing a watch's
// selectors forces a new extraction even when the page bytes did not
// change.
func bodyKey(bodyHash, settings string) string {
	return textHash(bodyHash + "\x00" + settings)
}
