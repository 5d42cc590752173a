package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Sentinel errors. Engines wrap them with the watch or URL concerned; callers
// test with errors.Is.
var (
	// ErrNotFound: the watch or revision asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists: a watch with the same URL is already stored.
	ErrExists = errors.New("already exists")
	// ErrSchemaTooNew: the database was migrated by a newer redline.
	ErrSchemaTooNew = errors.New("database schema is newer than this redline")
	// ErrLeaseLost: the caller no longer holds the lease on the watch (see
	// Store.ClaimDue): another owner took it over after it expired, or it
	// was released, or it was never claimed.
	ErrLeaseLost = errors.New("lease lost")
)

// Extraction holds a watch's extraction settings. The store keeps them as
// given; the extract package interprets them.
type Extraction struct {
	Mode    string   `json:"mode,omitempty"`    // "article" (default when empty), "text", "selector", "raw"
	Select  []string `json:"select,omitempty"`  // CSS selectors whose text is kept (selector mode)
	Exclude []string `json:"exclude,omitempty"` // CSS selectors whose elements are dropped
	Ignore  []string `json:"ignore,omitempty"`  // regular expressions; matching lines are dropped before comparing
	// Volatile says what the monitor does with blocks that change on most
	// fetches: "suggest" (default when empty), "ignore" or "off".
	Volatile string `json:"volatile,omitempty"`
	// IgnoreNumbers: a change in which only numbers changed is no change;
	// nil means the default.
	IgnoreNumbers *bool `json:"ignore_numbers,omitempty"`
}

// Source says where a watch was declared.
type Source string

const (
	// SourceCLI marks watches added by `redline add` (or later the API); they live in the store.
	SourceCLI Source = "cli"
	// SourceConfig marks watches declared in the config file, which is their source of truth.
	SourceConfig Source = "config"
)

// Watch is one monitored URL with its settings and its check state.
type Watch struct {
	ID      int64
	URL     string // unique
	Name    string
	Tags    []string
	Extract Extraction
	Source  Source
	Paused  bool
	// SkipConfirm records a change from a single fetch, without the
	// confirming second fetch (for pages that change every few seconds).
	SkipConfirm bool
	// Schedule says when the watch is checked, as the config spells it
	// (e.g. "@hourly", "*/15 * * * *", "adaptive"); empty means the
	// configured default. The store keeps it as given: the daemon parses it
	// and turns it into State.NextCheckAt.
	Schedule  string
	CreatedAt time.Time

	// State is maintained by RecordCheck (the check state) and by the
	// scheduling methods (NextCheckAt and the lease); it is ignored by
	// AddWatch and UpdateWatch.
	State WatchState
}

// WatchState is what the store remembers between checks of a watch.
type WatchState struct {
	ETag              string    // validator from the last good response
	LastModified      string    // validator from the last good response
	BodyHash          string    // hash of the last good raw body, for the unchanged short-circuit
	LastCheckAt       time.Time // StartedAt of the check recorded last; zero before the first
	LastChangeAt      time.Time // fetched time of the newest revision; zero before the first
	Published         time.Time // the article's own date in the newest revision (CheckResult.Published); zero when it gives none
	LastError         string    // message of the newest check when it failed, else empty
	ConsecutiveErrors int       // failed checks since the last good one
	Revisions         int       // the newest revision's sequence number: revisions recorded, not stored (PruneRevisions keeps the newest; Store.Revisions lists those stored)
	Flaps             int       // checks whose change did not reproduce on confirmation, since the watch was added

	// Blocks is what the monitor last handed RecordCheck about the blocks
	// of the page (see CheckResult.Blocks), in the order given, still
	// encoded: Decode gives nil before any were recorded, an empty
	// (non-nil) list after an empty list was, and an error when the stored
	// value is damaged (reading the watch does not fail for that).
	Blocks BlockStats

	// Shortcut is what the monitor last handed RecordCheck to skip the
	// extraction of an unchanged page (see CheckResult.Shortcut); "" when
	// none.
	Shortcut string

	// Scheduling, set by ClaimDue, RenewLease, ReleaseLease and
	// SetNextCheck, never by RecordCheck. The lease fields are read-only
	// views: an expired lease still shows until its owner releases it or
	// another owner claims the watch.
	NextCheckAt    time.Time // when the watch is next due; zero when never scheduled (due at once)
	LeaseOwner     string    // the owner holding the watch since ClaimDue; empty when none
	LeaseExpiresAt time.Time // when LeaseOwner's lease ends; zero when none
}

// BlockStat is what the monitor remembers about one block of a watch's page
// between checks, to learn which blocks change on most fetches (see the
// monitor's volatility learning). The store keeps the stats as given and
// gives them no meaning: it neither checks that a selector is valid CSS nor
// that the counts agree. Selector and Hash must be valid UTF-8 (the stats
// are stored as JSON): RecordCheck refuses a check carrying one that is not.
type BlockStat struct {
	// Selector is a CSS selector naming the block in the page.
	Selector string `json:"selector"`
	// Hash is the hash of the block's text at the last observation.
	Hash string `json:"hash"`
	// Seen counts the observations of the block so far.
	Seen int `json:"seen"`
	// Changes is the history of the last 32 observations, newest in bit 0:
	// a bit is 1 when the block's text at that observation differed from
	// the observation before.
	Changes uint32 `json:"changes"`
}

// Outcome is the result of one check.
type Outcome string

// Outcomes of a check.
const (
	OutcomeNew         Outcome = "new"          // first revision of the watch recorded
	OutcomeChanged     Outcome = "changed"      // a new revision recorded
	OutcomeUnchanged   Outcome = "unchanged"    // fetched; the canonical text (or raw body) is as before
	OutcomeNotModified Outcome = "not-modified" // the server answered 304
	OutcomeError       Outcome = "error"        // the fetch or the extraction failed; nothing recorded
	OutcomeFlapping    Outcome = "flapping"     // a change was seen but did not reproduce on a second fetch; nothing recorded
)

// Revision is one stored version of a watch's canonical text.
type Revision struct {
	WatchID     int64
	Seq         int // 1, 2, … per watch, assigned by RecordCheck
	FetchedAt   time.Time
	ContentHash string          // hash of Text
	Text        string          // canonical text (stored compressed)
	Document    json.RawMessage // the structured extract.Document as JSON; returned as equivalent JSON (whitespace and key order may differ)
	HTTPStatus  int
	FinalURL    string // URL after redirects
	Summary     string // one-line change summary, e.g. "2 paragraphs changed, +14 −9 words"
	Class       string // what kind of edit this revision is, e.g. "silent-edit", "headline", "metadata-only"; empty for the first revision; set by the caller, stored as given
}

// ClassExtractorUpdate is the Class of a revision that records a new
// canonical form of a page after an upgrade of redline's extraction (the
// monitor's diff.ClassExtractorUpdate): the page did not change, redline's
// reading of it did, so such a revision does not move LastChangeAt.
const ClassExtractorUpdate = "extractor-update"

// Check is one attempt to check a watch, kept whatever its outcome.
type Check struct {
	ID         int64
	WatchID    int64
	StartedAt  time.Time
	Duration   time.Duration
	Outcome    Outcome
	HTTPStatus int    // 0 when no response was received
	Error      string // set when Outcome is OutcomeError
	// RevisionSeq is the revision recorded by this check, 0 if none. It
	// keeps naming that revision after PruneRevisions deleted it (Revision
	// then returns ErrNotFound).
	RevisionSeq int
	// Event is the kind of the health event this check caused (EventFailing
	// or EventRecovered), empty when none. Only the Check that RecordCheck
	// returns carries it; Checks leaves it empty (Events lists the events).
	Event string
}

// CheckResult is what a finished check hands to RecordCheck.
type CheckResult struct {
	WatchID    int64
	StartedAt  time.Time
	Duration   time.Duration
	Outcome    Outcome
	HTTPStatus int
	Error      string

	// Validators of the response. Stored on the watch for every outcome but
	// OutcomeError, OutcomeNotModified and OutcomeFlapping (those keep the
	// previous ones: after a flap the next check must extract again).
	ETag         string
	LastModified string
	BodyHash     string

	// Revision is required for OutcomeNew and OutcomeChanged and must be nil
	// otherwise. Its Seq is ignored: RecordCheck assigns the next one.
	Revision *Revision

	// Published is the publication date the Revision's document gives for
	// its article, zero when it gives none. It replaces the watch's
	// WatchState.Published when Revision is set and is ignored otherwise:
	// the adaptive schedule reads an article's age from it.
	Published time.Time

	// Blocks, when non-nil, replaces the watch's stored WatchState.Blocks,
	// whatever the outcome; an empty non-nil slice clears them. When nil,
	// the stored blocks are kept (a check that did not look at the blocks,
	// e.g. a failed fetch or a 304, passes nil).
	Blocks []BlockStat

	// FailingAfter is the number of consecutive failed checks after which
	// the watch's health is failing (the config's failing_after); RecordCheck
	// records the health events it implies (see Event). 0 tracks no health:
	// no event is recorded. A negative value is refused.
	FailingAfter int

	// Shortcut, when non-nil, replaces the watch's stored
	// WatchState.Shortcut whatever the outcome (an opaque string the
	// monitor uses to skip the extraction of an unchanged page; valid
	// UTF-8, at most 4096 bytes; "" clears it); nil keeps it.
	Shortcut *string

	// Notify lists the deliveries this check asks for should what they
	// name happen (see Notification): RecordCheck writes, in the same
	// transaction as the rest, one pending outbox row for each whose On
	// names what the check recorded, and ignores the others.
	Notify []Notification
}

// What a Notification is for (Notification.On, OutboxItem.Kind): a
// revision of outcome OutcomeNew or OutcomeChanged, or a health event
// (EventFailing, EventRecovered).
const (
	NotifyNew     = "new"
	NotifyChanged = "changed"
)

// Notification is a delivery a check asks for, through one notifier,
// should what On names happen in this check: NotifyNew or NotifyChanged
// when it records a revision of that outcome, EventFailing or
// EventRecovered when it records that health event.
type Notification struct {
	// Notifier is the name of the notifier (in the config) that delivers
	// it: 1 to 64 characters, ASCII letters, digits, '-' and '_'.
	Notifier string
	// On is NotifyNew, NotifyChanged, EventFailing or EventRecovered.
	On string
	// Payload is the message's content as the monitor built it: a JSON
	// object, stored as given (as equivalent JSON: white space and key
	// order may differ). The dispatcher adds what only the store knows
	// (the revision's sequence number, the delivery key).
	Payload json.RawMessage
	// NotBefore, when not zero, holds the delivery back until then
	// (quiet hours, digest windows); zero means at once (the check's
	// StartedAt).
	NotBefore time.Time
	// Group, when not empty, makes the item part of a group delivered as
	// one message (a digest): ClaimOutbox claims a group's due items
	// together. At most 200 bytes of valid UTF-8.
	Group string
}

// States of an OutboxItem.
const (
	OutboxPending = "pending" // waiting for its next attempt, or being attempted under a lease
	OutboxSent    = "sent"    // delivered: the receiver accepted it
	OutboxDead    = "dead"    // given up after too many attempts or too long; RetryOutbox revives it
)

// OutboxItem is one delivery of one message through one notifier: a row of
// the transactional outbox.
type OutboxItem struct {
	// ID is unique and never reused. Items of one watch written later have
	// higher IDs; across watches, concurrent checks may commit out of ID
	// order (as with Event.ID).
	ID       int64
	WatchID  int64
	Notifier string
	Kind     string // NotifyNew, NotifyChanged, EventFailing or EventRecovered
	// RevisionSeq is the revision the message is about (NotifyNew,
	// NotifyChanged), 0 for an event.
	RevisionSeq int
	// EventID is the health event the message is about (EventFailing,
	// EventRecovered), 0 for a revision.
	EventID int64
	// Key is the delivery's idempotency key, unique in the store and the
	// same on every attempt: "<watch id>-<kind>-<revision seq or event
	// id>-<notifier>", e.g. "12-changed-5-team-chat".
	Key       string
	Payload   json.RawMessage
	State     string    // OutboxPending, OutboxSent or OutboxDead
	Attempts  int       // delivery attempts finished so far
	CreatedAt time.Time // StartedAt of the check that wrote it
	// NextAttemptAt is when a pending item is next due (its NotBefore, or
	// the check's StartedAt, at first).
	NextAttemptAt time.Time
	SentAt        time.Time // when it was delivered; zero unless sent
	LastError     string    // the last failed attempt's error, "" after success or before any attempt
	LastStatus    int       // the receiver's status code at the last attempt (HTTP status or the like), 0 when none
	// Group is the Notification's Group ("" for none).
	Group string
	// The lease, as ClaimOutbox set it; read-only views, like a watch's.
	LeaseOwner     string
	LeaseExpiresAt time.Time
}

// Delivery is the result of one attempt at an OutboxItem, handed to
// FinishDelivery.
type Delivery struct {
	// State is the item's new state: OutboxSent (delivered), OutboxPending
	// (failed; try again at NextAttemptAt) or OutboxDead (failed; give
	// up).
	State string
	// At is when the attempt ended (SentAt for OutboxSent).
	At time.Time
	// NextAttemptAt is required for OutboxPending and ignored otherwise.
	NextAttemptAt time.Time
	// Status is the receiver's status code, 0 when there was no answer.
	Status int
	// Error says why the attempt failed (required unless State is
	// OutboxSent; at most 2048 bytes are kept).
	Error string
}

// OutboxFilter selects items for ListOutbox. The zero value selects all.
type OutboxFilter struct {
	State       string // only items in this state ("" for any)
	WatchID     int64  // only items of this watch (0 for any)
	RevisionSeq int    // with WatchID, only items about this revision (0 for any)
	Limit       int    // at most this many, newest first (<= 0: all)
}

// Kinds of Event.
const (
	// EventFailing: a failed check brought the watch's consecutive failed
	// checks to exactly CheckResult.FailingAfter.
	EventFailing = "failing"
	// EventRecovered: a check that did not fail came after at least
	// CheckResult.FailingAfter consecutive failed ones.
	EventRecovered = "recovered"
)

// Event is one change of a watch's health, recorded by RecordCheck in the
// transaction of the check that caused it, for the notifications to deliver.
// Health is ok, then failing once FailingAfter checks in a row failed, then
// ok again after a check that did not fail (any outcome but OutcomeError:
// OutcomeFlapping and OutcomeNotModified included, since the fetch
// worked). Events are derived from the error count and the FailingAfter of
// each check, not from a stored health: with a constant FailingAfter every
// EventRecovered follows an EventFailing, but after FailingAfter was
// lowered, or was 0, a watch already failing may recover without a failing
// event, and after it was raised a failing event may come without a
// recovery before it.
type Event struct {
	// ID is unique and never reused, even after DeleteWatch; of two
	// events of one watch, the one recorded later has the higher ID.
	// Across watches, concurrent checks may commit out of ID order, so a
	// dispatcher cannot use IDs as a cursor (see RecentEvents).
	ID      int64
	WatchID int64
	Kind    string    // EventFailing or EventRecovered
	At      time.Time // StartedAt of the check that caused it
	Error   string    // the check's error for EventFailing, empty for EventRecovered
	// ConsecutiveErrors is, for EventFailing, the failed checks in a row
	// including the one that caused it (FailingAfter); for EventRecovered,
	// the failed checks in a row that the recovery ended.
	ConsecutiveErrors int
}

// Keep says which revisions of a watch PruneRevisions keeps. The settings
// come from the caller (the config), not from the watch.
type Keep struct {
	// Count keeps the newest Count revisions (by sequence number); 0 sets
	// no count limit.
	Count int
	// Age keeps the revisions fetched within Age of Now (FetchedAt at or
	// after Now−Age, to the microsecond: a Now−Age between two
	// microseconds counts as the earlier); 0 sets no age limit.
	Age time.Duration
	// Now is the current time, required when Age is set.
	Now time.Time
}

// WatchCounts is what CountWatches returns.
type WatchCounts struct {
	OK, Failing, Paused int
	Revisions, Checks   int64
}

// WatchFilter selects watches for ListWatches. The zero value selects all.
type WatchFilter struct {
	Tag    string // only watches carrying this tag
	URL    string // only the watch with this exact URL
	Source Source // only watches declared there ("" for any)
}

// Store is redline's persistent state. Every method is safe for concurrent
// use. Methods that take a watch ID return an error wrapping ErrNotFound when
// the watch does not exist. Times are stored with at least millisecond
// precision and returned in UTC.
type Store interface {
	// AddWatch stores a new watch and returns it with its ID and CreatedAt
	// set (CreatedAt is kept when w has one, else it is the current time).
	// w.State is ignored: the new watch is unchecked, unleased and not
	// scheduled (due at once, until SetNextCheck says otherwise). IDs are
	// never reused, even after DeleteWatch. A watch whose URL is already
	// stored is refused with ErrExists.
	AddWatch(ctx context.Context, w Watch) (Watch, error)

	// UpdateWatch replaces the settings (URL, Name, Tags, Extract, Source,
	// Paused, SkipConfirm, Schedule) of the watch with w.ID; its
	// CreatedAt, state (NextCheckAt and any lease included) and history are
	// kept: after changing the schedule, call SetNextCheck. Changing the URL
	// to one another watch has is refused with ErrExists.
	UpdateWatch(ctx context.Context, w Watch) error

	// DeleteWatch removes a watch with all its revisions, checks, events
	// and outbox items, leased or not (its owner's RenewLease and
	// ReleaseLease then fail with ErrNotFound).
	DeleteWatch(ctx context.Context, id int64) error

	// Watch returns one watch by ID.
	Watch(ctx context.Context, id int64) (Watch, error)

	// WatchByURL returns the watch with exactly this URL, or ErrNotFound.
	WatchByURL(ctx context.Context, url string) (Watch, error)

	// ListWatches returns the watches matching f, ordered by ID.
	ListWatches(ctx context.Context, f WatchFilter) ([]Watch, error)

	// RecordCheck stores the outcome of one check in a single transaction:
	// the check row, the revision (if any, with the next sequence number),
	// the health event (if any), and the watch state (LastCheckAt,
	// validators, error count, LastError, LastChangeAt, Revisions, Flaps,
	// Blocks). Either all of it is stored or none of it. It returns the
	// stored check, whose RevisionSeq names the new revision and whose
	// Event names the event recorded. A malformed r (an unknown outcome, a
	// revision missing for OutcomeNew/OutcomeChanged or present for another
	// outcome, an Error missing for OutcomeError or present for another, a
	// BlockStat whose Selector or Hash is not valid UTF-8, a negative
	// FailingAfter) is refused before anything is written.
	//
	// The state changes by outcome (package internal/checkstate holds the
	// rules both engines apply): LastCheckAt becomes r.StartedAt for every
	// outcome; OutcomeError adds one to ConsecutiveErrors, sets LastError
	// and keeps the validators; every other outcome resets ConsecutiveErrors
	// and LastError. OutcomeNotModified and OutcomeFlapping keep the
	// validators, the others store r's. OutcomeFlapping adds one to Flaps and
	// stores no revision. A revision sets Revisions, and LastChangeAt unless
	// its Class is ClassExtractorUpdate.
	// Whatever the outcome, a non-nil r.Blocks replaces the stored Blocks
	// (an empty one clears them) and a nil one keeps them.
	//
	// Health events, when r.FailingAfter is N > 0 (see Event): an
	// OutcomeError that brings ConsecutiveErrors to exactly N records an
	// EventFailing (further errors record nothing); any other outcome, when
	// ConsecutiveErrors was at least N before it, records an
	// EventRecovered. Concurrent checks of one watch are serialised, so
	// each transition is recorded once.
	//
	// RecordCheck does not touch NextCheckAt or the lease, nor look at
	// them: it records a check whether or not the watch is leased, and by
	// whom. The daemon releases the watch separately (ReleaseLease).
	RecordCheck(ctx context.Context, r CheckResult) (Check, error)

	// LatestRevision returns the newest revision of a watch, or ErrNotFound
	// when it has none.
	LatestRevision(ctx context.Context, watchID int64) (Revision, error)

	// Revision returns revision seq of a watch, or ErrNotFound.
	Revision(ctx context.Context, watchID int64, seq int) (Revision, error)

	// Revisions returns every stored revision of a watch, oldest first,
	// without Text and Document (use Revision for those). After
	// PruneRevisions the sequence numbers have gaps: they are never
	// renumbered.
	Revisions(ctx context.Context, watchID int64) ([]Revision, error)

	// Checks returns the newest checks of a watch, newest first, at most
	// limit of them (all when limit <= 0).
	Checks(ctx context.Context, watchID int64, limit int) ([]Check, error)

	// Events returns the newest health events of a watch, newest first (by
	// At, then by ID), at most limit of them (all when limit <= 0).
	Events(ctx context.Context, watchID int64, limit int) ([]Event, error)

	// RecentEvents returns the health events of every watch whose At is at
	// or after since (to the microsecond), oldest first (by At, then by ID), at most limit of
	// them (all when limit <= 0): for a dispatcher to deliver. At is the
	// start of the check, and a check is recorded when it ends, so an
	// event may be recorded after others with a later At (a slow check,
	// several daemons): a dispatcher reads from a margin before the last
	// At it delivered (the longest a check may run) and skips the IDs it
	// delivered already.
	RecentEvents(ctx context.Context, since time.Time, limit int) ([]Event, error)

	// Retention. Both methods may run while checks are recorded, and
	// neither touches the watches' state.

	// PruneChecks deletes the check rows of every watch started before
	// before, and returns how many it deleted. Nothing reads old check rows
	// but Checks and CountWatches: revisions do not refer to checks, and
	// the watch state (error count, health) and the events are kept apart
	// from them. An engine may delete in several transactions (SQLite does,
	// in batches, to keep the single writer's transactions short); on
	// error, the rows deleted by the transactions that committed stay
	// deleted and are counted in the returned number.
	PruneChecks(ctx context.Context, before time.Time) (int64, error)

	// PruneRevisions deletes the revisions of watch watchID that keep does
	// not keep, in one transaction, and returns how many it deleted. A
	// revision is kept when it is among the newest keep.Count (when Count
	// is set) or fetched within keep.Age of keep.Now (when Age is set):
	// with both set, only a revision outside both limits goes; with one,
	// that one decides; with neither, nothing is deleted. The first
	// revision (the baseline; seq 1) and the newest are always kept, so
	// LatestRevision, State.LastChangeAt and State.Revisions are unchanged.
	// The others keep their sequence numbers (Revisions shows gaps), and
	// the next revision recorded is numbered after the newest ever, never
	// reusing a deleted number. Checks naming a deleted revision keep
	// naming it (Check.RevisionSeq). A negative Count or Age, or an Age
	// without Now, are refused.
	PruneRevisions(ctx context.Context, watchID int64, keep Keep) (int64, error)

	// Scheduling. The daemon (redline run) checks each watch when it is
	// due, under a lease: ClaimDue hands due watches to one owner (a name
	// unique to one daemon process) for a while; the owner checks each
	// (RecordCheck), renewing the lease if the check runs long, then
	// ReleaseLease frees the watch and sets when it is due next. When a
	// lease expires (its owner died or hangs) another owner may claim the
	// watch; the old owner's RenewLease and ReleaseLease then fail with
	// ErrLeaseLost and change nothing. Times are kept to the microsecond
	// (a time between two microseconds counts as the earlier one).
	//
	// Paused watches are never claimed, and CountDue and NextDue ignore
	// them. Pausing a leased watch keeps its lease, which its owner may
	// still renew and release; un-pausing makes it due by its NextCheckAt.

	// ClaimDue atomically claims for owner up to limit watches that are due
	// at now: not paused, NextCheckAt zero (never scheduled: due at once) or
	// not after now, and not leased (no lease, or one that ended at or
	// before now, whoever held it: the lease of a dead owner is taken
	// over). It takes them in order of NextCheckAt, never-scheduled ones
	// first, then of ID, and returns them in that order, whole (State
	// included), each with LeaseOwner owner and LeaseExpiresAt now+lease;
	// their NextCheckAt is left as it was. Concurrent calls, from this
	// process or from others sharing the database, never claim one watch
	// twice: a claimed watch can be claimed again only once released or
	// once its lease has ended. No due watch is an empty result and a nil
	// error. An empty owner, a zero now, a limit below 1 or a lease that is
	// not positive are refused.
	ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Watch, error)

	// RenewLease extends owner's lease on watch id to end at now+lease,
	// provided owner still holds it: even a lease that has ended is renewed
	// as long as no other owner has claimed the watch since (nor owner
	// released it). Otherwise it changes nothing and returns an error
	// wrapping ErrLeaseLost. An empty owner, a zero now or a lease that is
	// not positive are refused.
	RenewLease(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) error

	// ReleaseLease ends owner's lease on watch id and, in the same
	// statement, sets its NextCheckAt to next (a zero next makes it due at
	// once). When owner does not hold the lease (another owner took it over
	// after it ended, it was released already, or the watch was never
	// claimed) it changes nothing and returns an error wrapping
	// ErrLeaseLost; a check recorded meanwhile stays recorded. An empty
	// owner is refused.
	ReleaseLease(ctx context.Context, id int64, owner string, next time.Time) error

	// SetNextCheck sets when watch id is next due (a zero next: due at
	// once) and leaves any lease alone: for a new watch or a changed
	// schedule. While the watch is leased, its owner's ReleaseLease will
	// overwrite it.
	SetNextCheck(ctx context.Context, id int64, next time.Time) error

	// NextDue returns the earliest time at which an unpaused watch becomes
	// claimable, for the daemon to sleep until: the minimum over unpaused
	// watches of their NextCheckAt (now for a watch never scheduled),
	// except that a watch under a lease still running at now counts from
	// the lease's end when that is later. The time may be before now (a
	// watch is overdue: claim at once). ok is false when no watch is
	// unpaused.
	NextDue(ctx context.Context, now time.Time) (next time.Time, ok bool, err error)

	// CountDue returns the number of unpaused watches due at now
	// (NextCheckAt zero or not after now), leased ones included: the
	// backlog of checks.
	CountDue(ctx context.Context, now time.Time) (int, error)

	// Outbox. A check that records a revision or a health event writes its
	// deliveries (CheckResult.Notify) in the same transaction; a
	// dispatcher claims due ones under a lease, as the daemon claims
	// watches, attempts them and reports each attempt with
	// FinishDelivery. Deleting a watch deletes its items.

	// ClaimOutbox atomically claims for owner up to limit pending items due
	// at now (NextAttemptAt not after now) and not leased (no lease, or
	// one that ended at or before now), in order of NextAttemptAt then
	// ID, and returns them whole with LeaseOwner owner and LeaseExpiresAt
	// now+lease. When it claims an item of a Group, it also claims every
	// other item of that group that is due and not leased, beyond limit,
	// so that a group is delivered whole; the result lists the items in
	// claim order, each group's extra items right after the group's first. Concurrent calls, from this process or from others
	// sharing the database, never claim one item twice while its lease
	// runs. An empty owner, a zero now, a limit below 1 or a lease that is
	// not positive are refused.
	ClaimOutbox(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]OutboxItem, error)

	// FinishDelivery records one attempt at item id by owner: Attempts goes
	// up by one, State, LastStatus and LastError (cleared on success) take
	// d's values, SentAt is d.At when sent, NextAttemptAt is
	// d.NextAttemptAt when pending, and the lease ends. When owner does not
	// hold the item's lease (it ended and another owner claimed it, or it
	// was finished already) nothing changes and the error wraps
	// ErrLeaseLost; an item that does not exist is ErrNotFound. A malformed
	// d (unknown state, a pending one without NextAttemptAt, a failure
	// without Error) is refused.
	FinishDelivery(ctx context.Context, id int64, owner string, d Delivery) error

	// ListOutbox returns the items matching f, newest (highest ID) first.
	ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxItem, error)

	// RetryOutbox makes item id pending again, due at now, with Attempts
	// reset to 0 (LastError and LastStatus are kept until the next
	// attempt), whatever its state: a dead item is revived, a sent one is
	// delivered again (with the same Key, so a receiver that deduplicates
	// sees one delivery). A lease on the item is left alone: its owner's
	// FinishDelivery still applies. ErrNotFound when there is no such item.
	RetryOutbox(ctx context.Context, id int64, now time.Time) error

	// RetryDead makes every dead item pending again, due at now, with
	// Attempts reset to 0, and returns how many.
	RetryDead(ctx context.Context, now time.Time) (int64, error)

	// NextOutboxDue returns the earliest time at which a pending item
	// becomes claimable (its NextAttemptAt, or its lease's end when later
	// and the lease still runs at now), for the dispatcher to sleep until;
	// ok is false when no item is pending.
	NextOutboxDue(ctx context.Context, now time.Time) (next time.Time, ok bool, err error)

	// CountOutbox returns the number of items in each state (every state
	// present as a key, 0 when none), for metrics.
	CountOutbox(ctx context.Context) (map[string]int64, error)

	// CountWatches counts the watches by health (paused; failing: unpaused
	// with at least failingAfter consecutive failed checks; ok: the other
	// unpaused ones) and the revision and check rows stored, for metrics.
	// failingAfter < 1 counts as 1.
	CountWatches(ctx context.Context, failingAfter int) (WatchCounts, error)

	// Close releases the store's resources.
	Close() error
}
