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
	CreatedAt   time.Time

	State WatchState // maintained by RecordCheck; ignored by AddWatch and UpdateWatch
}

// WatchState is what the store remembers between checks of a watch.
type WatchState struct {
	ETag              string    // validator from the last good response
	LastModified      string    // validator from the last good response
	BodyHash          string    // hash of the last good raw body, for the unchanged short-circuit
	LastCheckAt       time.Time // StartedAt of the check recorded last; zero before the first
	LastChangeAt      time.Time // fetched time of the newest revision; zero before the first
	LastError         string    // message of the newest check when it failed, else empty
	ConsecutiveErrors int       // failed checks since the last good one
	Revisions         int       // number of revisions stored (the newest sequence number)
	Flaps             int       // checks whose change did not reproduce on confirmation, since the watch was added

	// Blocks is what the monitor last handed RecordCheck about the blocks
	// of the page (see CheckResult.Blocks), in the order given: nil before
	// any were recorded, empty (non-nil) after an empty list was.
	Blocks []BlockStat
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

// Check is one attempt to check a watch, kept whatever its outcome.
type Check struct {
	ID          int64
	WatchID     int64
	StartedAt   time.Time
	Duration    time.Duration
	Outcome     Outcome
	HTTPStatus  int    // 0 when no response was received
	Error       string // set when Outcome is OutcomeError
	RevisionSeq int    // the revision recorded by this check, 0 if none
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

	// Blocks, when non-nil, replaces the watch's stored WatchState.Blocks,
	// whatever the outcome; an empty non-nil slice clears them. When nil,
	// the stored blocks are kept (a check that did not look at the blocks,
	// e.g. a failed fetch or a 304, passes nil).
	Blocks []BlockStat
}

// WatchFilter selects watches for ListWatches. The zero value selects all.
type WatchFilter struct {
	Tag string // only watches carrying this tag
	URL string // only the watch with this exact URL
}

// Store is redline's persistent state. Every method is safe for concurrent
// use. Methods that take a watch ID return an error wrapping ErrNotFound when
// the watch does not exist. Times are stored with at least millisecond
// precision and returned in UTC.
type Store interface {
	// AddWatch stores a new watch and returns it with its ID and CreatedAt
	// set (CreatedAt is kept when w has one, else it is the current time).
	// w.State is ignored. IDs are never reused, even after DeleteWatch. A
	// watch whose URL is already stored is refused with ErrExists.
	AddWatch(ctx context.Context, w Watch) (Watch, error)

	// UpdateWatch replaces the settings (URL, Name, Tags, Extract, Source,
	// Paused, SkipConfirm) of the watch with w.ID; its CreatedAt, state and history are
	// kept. Changing the URL to one another watch has is refused with
	// ErrExists.
	UpdateWatch(ctx context.Context, w Watch) error

	// DeleteWatch removes a watch with all its revisions and checks.
	DeleteWatch(ctx context.Context, id int64) error

	// Watch returns one watch by ID.
	Watch(ctx context.Context, id int64) (Watch, error)

	// WatchByURL returns the watch with exactly this URL, or ErrNotFound.
	WatchByURL(ctx context.Context, url string) (Watch, error)

	// ListWatches returns the watches matching f, ordered by ID.
	ListWatches(ctx context.Context, f WatchFilter) ([]Watch, error)

	// RecordCheck stores the outcome of one check in a single transaction:
	// the check row, the revision (if any, with the next sequence number),
	// and the watch state (LastCheckAt, validators, error count, LastError,
	// LastChangeAt, Revisions, Flaps, Blocks). Either all of it is stored or
	// none of it. It returns the stored check, whose RevisionSeq names the
	// new revision. A malformed r (an unknown outcome, a revision missing
	// for OutcomeNew/OutcomeChanged or present for another outcome, an Error
	// missing for OutcomeError or present for another, a BlockStat whose
	// Selector or Hash is not valid UTF-8) is refused before anything is
	// written.
	//
	// The state changes by outcome (package internal/checkstate holds the
	// rules both engines apply): LastCheckAt becomes r.StartedAt for every
	// outcome; OutcomeError adds one to ConsecutiveErrors, sets LastError
	// and keeps the validators; every other outcome resets ConsecutiveErrors
	// and LastError. OutcomeNotModified and OutcomeFlapping keep the
	// validators, the others store r's. OutcomeFlapping adds one to Flaps and
	// stores no revision. A revision sets LastChangeAt and Revisions.
	// Whatever the outcome, a non-nil r.Blocks replaces the stored Blocks
	// (an empty one clears them) and a nil one keeps them.
	RecordCheck(ctx context.Context, r CheckResult) (Check, error)

	// LatestRevision returns the newest revision of a watch, or ErrNotFound
	// when it has none.
	LatestRevision(ctx context.Context, watchID int64) (Revision, error)

	// Revision returns revision seq of a watch, or ErrNotFound.
	Revision(ctx context.Context, watchID int64, seq int) (Revision, error)

	// Revisions returns every revision of a watch, oldest first, without
	// Text and Document (use Revision for those).
	Revisions(ctx context.Context, watchID int64) ([]Revision, error)

	// Checks returns the newest checks of a watch, newest first, at most
	// limit of them (all when limit <= 0).
	Checks(ctx context.Context, watchID int64, limit int) ([]Check, error)

	// Close releases the store's resources.
	Close() error
}
