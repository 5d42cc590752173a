package notify

import (
	"context"
	"time"
)

// Version is the version of the Message format (the webhook payload). A
// change that could break a receiver (a field removed, renamed or given
// another meaning) comes with a new version; new fields may appear in any
// version.
const Version = 1

// Events: what a Message is about (Message.Event, the Redline-Event
// header). They are the kinds of the store's outbox items, plus EventTest.
const (
	EventNew       = "new"       // the first revision of a watch (sent only to routes that ask for it)
	EventChanged   = "changed"   // a new revision
	EventFailing   = "failing"   // the watch's checks failed failing_after times in a row
	EventRecovered = "recovered" // a check worked again after the watch was failing
	EventTest      = "test"      // a sample sent by `redline notify test`
	// EventDigest: the messages one route collected over a window (its
	// digest schedule), sent as one; they are in Changes.
	EventDigest = "digest"
)

// Message is what a notifier delivers: one event of one watch. As JSON it
// is the webhook payload, documented by webhook.schema.json (keep the two in
// step).
type Message struct {
	Version int    `json:"version"`
	Event   string `json:"event"`
	// Delivery is the idempotency key: the same on every attempt to deliver
	// this message through this notifier, different for any other.
	Delivery string `json:"delivery"`
	Watch    Watch  `json:"watch"`
	// Revision is set for EventNew and EventChanged (and EventTest).
	Revision *Revision `json:"revision,omitempty"`
	// Class is the kind of edit (e.g. "silent-edit", "headline") and
	// ClassDescription says it in words; empty for a first revision.
	Class            string `json:"classification,omitempty"`
	ClassDescription string `json:"classification_description,omitempty"`
	// Title is the headline of the new revision, when it has one.
	Title string `json:"title,omitempty"`
	// Summary is the change in one line, e.g. "2 paragraphs changed, +14
	// −9 words".
	Summary string `json:"summary,omitempty"`
	Stats   *Stats `json:"stats,omitempty"`
	// Added and Removed are the paragraphs added and removed, the new and
	// old sides of edited paragraphs included, in order.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Diff is the unified diff of the canonical texts, three lines of
	// context.
	Diff string `json:"diff,omitempty"`
	// Health is set for EventFailing and EventRecovered.
	Health *Health `json:"health,omitempty"`
	// Changes holds the messages of a digest (EventDigest), oldest first,
	// each whole (its own event, delivery key, watch, revision…). A
	// digest's own Watch is empty and its Summary counts the changes.
	Changes []Message `json:"changes,omitempty"`
}

// Watch identifies the watch a Message is about.
type Watch struct {
	ID   int64    `json:"id"`
	Name string   `json:"name,omitempty"`
	URL  string   `json:"url"`
	Tags []string `json:"tags,omitempty"`
}

// Revision names the revisions a change went between.
type Revision struct {
	Old          int       `json:"old,omitempty"` // 0 for a first revision
	New          int       `json:"new"`
	OldFetchedAt time.Time `json:"old_fetched_at,omitzero"`
	FetchedAt    time.Time `json:"fetched_at"`
	// URL links to the revision in redline's web interface, when a base
	// URL is configured.
	URL string `json:"url,omitempty"`
}

// Stats counts what changed (see diff.Stats).
type Stats struct {
	ParagraphsAdded   int `json:"paragraphs_added"`
	ParagraphsRemoved int `json:"paragraphs_removed"`
	ParagraphsChanged int `json:"paragraphs_changed"`
	ParagraphsMoved   int `json:"paragraphs_moved"`
	WordsAdded        int `json:"words_added"`
	WordsRemoved      int `json:"words_removed"`
}

// Health describes a change of a watch's health.
type Health struct {
	// State is the watch's health after the event: "failing" or "ok".
	State string `json:"state"`
	// ConsecutiveErrors is the number of failed checks in a row: those
	// that made the watch failing, or those a recovery ended.
	ConsecutiveErrors int `json:"consecutive_errors"`
	// Error is the last check's error, for EventFailing.
	Error string    `json:"error,omitempty"`
	At    time.Time `json:"at"`
}

// Receipt is what a receiver answered to a delivery attempt.
type Receipt struct {
	// Status is the receiver's status code (an HTTP status, a command's
	// exit code), 0 when there was no answer.
	Status int
	// Body is the start of the receiver's answer (at most 1 KiB, valid
	// UTF-8), for the outbox and `redline notify test` to show.
	Body string
}

// Notifier delivers messages through one channel.
type Notifier interface {
	// Send delivers m once. A nil error means the receiver accepted it;
	// otherwise the error says why not, and the Receipt holds what the
	// receiver answered, if anything. Send honours ctx's deadline.
	Send(ctx context.Context, m Message) (Receipt, error)
}
