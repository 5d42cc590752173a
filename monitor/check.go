package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

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
	Summary  string       // one-line change summary when Outcome is changed
	Err      error        // set when Outcome is error
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
	store    CheckStore
	fetcher  *Fetcher
	defaults store.Extraction // Ignore and Exclude added to every watch's own
	logger   *slog.Logger
	now      func() time.Time
}

// CheckerOptions configures a Checker.
type CheckerOptions struct {
	// Defaults holds extraction settings applied to every watch: Ignore and
	// Exclude are added to the watch's own, Mode is used when the watch has
	// none.
	Defaults store.Extraction
	Logger   *slog.Logger     // nil discards logs
	Now      func() time.Time // nil means time.Now
}

// NewChecker returns a Checker that fetches with f and records in s.
func NewChecker(s CheckStore, f *Fetcher, opts CheckerOptions) *Checker {
	c := &Checker{store: s, fetcher: f, defaults: opts.Defaults, logger: opts.Logger, now: opts.Now}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// ExtractOptions merges a watch's extraction settings with defaults.
func ExtractOptions(w, defaults store.Extraction) extract.Options {
	mode := w.Mode
	if mode == "" {
		mode = defaults.Mode
	}
	return extract.Options{
		Mode:    extract.Mode(mode),
		Select:  w.Select,
		Exclude: append(append([]string(nil), defaults.Exclude...), w.Exclude...),
		Ignore:  append(append([]string(nil), defaults.Ignore...), w.Ignore...),
	}
}

// Check checks one watch and records the outcome. The returned error is
// non-nil only when the outcome could not be recorded (the store failed or
// ctx was cancelled); a failed fetch is a recorded Result with Outcome error.
func (c *Checker) Check(ctx context.Context, w store.Watch) (Result, error) {
	log := c.logger.With("watch", watchLabel(w), "url", w.URL)
	started := c.now()
	res, rec := c.run(ctx, w)
	if ctx.Err() != nil {
		// A check cut short by shutdown is not a failure of the page:
		// record nothing, so it runs again next time.
		return res, fmt.Errorf("check %s: %w", w.URL, context.Cause(ctx))
	}
	rec.WatchID = w.ID
	rec.StartedAt = started
	rec.Duration = c.now().Sub(started)
	rec.Outcome = res.Outcome
	if res.Err != nil {
		rec.Error = res.Err.Error()
	}
	chk, err := c.store.RecordCheck(ctx, rec)
	if err != nil {
		return res, fmt.Errorf("record check of %s: %w", w.URL, err)
	}
	if chk.RevisionSeq > 0 {
		res.Revision = chk.RevisionSeq
	}
	switch res.Outcome {
	case store.OutcomeError:
		log.Info("check failed", "status", rec.HTTPStatus, "duration_ms", rec.Duration.Milliseconds(), "error", rec.Error)
	case store.OutcomeChanged, store.OutcomeNew:
		log.Info("new revision", "outcome", res.Outcome, "revision", res.Revision, "summary", res.Summary, "duration_ms", rec.Duration.Milliseconds())
	default:
		log.Debug("checked", "outcome", res.Outcome, "duration_ms", rec.Duration.Milliseconds())
	}
	return res, nil
}

// run does the work of a check without recording it.
func (c *Checker) run(ctx context.Context, w store.Watch) (Result, store.CheckResult) {
	res := Result{Watch: w, Revision: w.State.Revisions}
	var rec store.CheckResult
	fail := func(err error) (Result, store.CheckResult) {
		res.Outcome = store.OutcomeError
		res.Err = err
		return res, rec
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
	page, err := c.fetcher.Fetch(ctx, req)
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) {
			rec.HTTPStatus = fe.Status
		}
		return fail(err)
	}
	rec.HTTPStatus = page.Status
	if page.NotModified {
		res.Outcome = store.OutcomeNotModified
		return res, rec
	}
	rec.ETag, rec.LastModified = page.ETag, page.LastModified
	// The body hash only proves "same result" under the same settings, so
	// the settings are part of what is remembered.
	rec.BodyHash = bodyKey(page.BodyHash, opts)
	if w.State.Revisions > 0 && rec.BodyHash == w.State.BodyHash {
		res.Outcome = store.OutcomeUnchanged
		return res, rec
	}

	doc, err := ex.Extract(extract.Input{Body: page.Body, URL: page.FinalURL, ContentType: page.ContentType})
	if err != nil {
		return fail(fmt.Errorf("extract %s: %w", w.URL, err))
	}
	text := doc.Canonical()
	if len(doc.Paragraphs) == 0 {
		return fail(fmt.Errorf("extract %s: no text found in the page (HTTP %d, %s)", w.URL, page.Status, page.ContentType))
	}
	hash := textHash(text)

	prev, err := c.store.LatestRevision(ctx, w.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		res.Outcome = store.OutcomeNew
	case err != nil:
		return fail(fmt.Errorf("load last revision of %s: %w", w.URL, err))
	case prev.ContentHash == hash:
		res.Outcome = store.OutcomeUnchanged
		res.Revision = prev.Seq
		return res, rec
	default:
		ch := diff.Compare(prev.Text, text)
		res.Outcome = store.OutcomeChanged
		res.Change = &ch
		res.Summary = ch.Stats.String()
	}
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
	}
	return res, rec
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

// bodyKey binds a raw body hash to the extraction settings that produced
// the stored text, so that changing a watch's selectors forces a new
// extraction even when the page bytes did not change.
func bodyKey(bodyHash string, opts extract.Options) string {
	settings, _ := json.Marshal(opts) // a struct of strings cannot fail to encode
	return textHash(bodyHash + "\x00" + string(settings))
}
