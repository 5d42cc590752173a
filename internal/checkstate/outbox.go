package checkstate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redlinehq/redline/store"
)

// MaxNotifier is the longest store.Notification.Notifier, in bytes (the
// name is ASCII).
const MaxNotifier = 64

// MaxGroup is the longest store.Notification.Group, in bytes.
const MaxGroup = 200

// MaxDeliveryError is the most bytes of store.Delivery.Error that
// FinishDelivery keeps (see DeliveryError).
const MaxDeliveryError = 2048

// ValidateNotification reports why n cannot be recorded, or nil when it
// can: Notifier is 1 to MaxNotifier ASCII letters, digits, '-' or '_'; On
// is store.NotifyNew, store.NotifyChanged, store.EventFailing or
// store.EventRecovered; Payload is a JSON object in valid UTF-8 (the
// engines store it as text, which PostgreSQL refuses to hold invalid
// UTF-8 in); Group is empty or at most MaxGroup bytes of valid UTF-8
// without NUL (ValidateGroup). NotBefore may be anything, zero included.
func ValidateNotification(n store.Notification) error {
	if n.Notifier == "" || len(n.Notifier) > MaxNotifier {
		return fmt.Errorf("notifier name %q: want 1 to %d characters", n.Notifier, MaxNotifier)
	}
	for i := range len(n.Notifier) {
		if c := n.Notifier[i]; !isNameByte(c) {
			return fmt.Errorf("notifier name %q: character %q at %d; want ASCII letters, digits, '-' and '_'", n.Notifier, c, i)
		}
	}
	switch n.On {
	case store.NotifyNew, store.NotifyChanged, store.EventFailing, store.EventRecovered:
	default:
		return fmt.Errorf("notifier %s: unknown On %q, want %q, %q, %q or %q", n.Notifier, n.On,
			store.NotifyNew, store.NotifyChanged, store.EventFailing, store.EventRecovered)
	}
	if !isJSONObject(n.Payload) {
		return fmt.Errorf("notifier %s on %s: payload is not a JSON object", n.Notifier, n.On)
	}
	if err := ValidateGroup(n.Group); err != nil {
		return fmt.Errorf("notifier %s on %s: %w", n.Notifier, n.On, err)
	}
	return nil
}

// ValidateGroup reports why g cannot be a store.Notification.Group, or nil
// when it can: "" (no group), or at most MaxGroup bytes of valid UTF-8
// without NUL (which PostgreSQL text cannot hold).
func ValidateGroup(g string) error {
	switch {
	case len(g) > MaxGroup:
		return fmt.Errorf("group of %d bytes, want at most %d", len(g), MaxGroup)
	case !utf8.ValidString(g):
		return fmt.Errorf("group %q is not valid UTF-8", g)
	case strings.IndexByte(g, 0) >= 0:
		return fmt.Errorf("group %q contains NUL", g)
	}
	return nil
}

// validateNotify checks every notification of a check (ValidateNotification),
// and that no two have the same Notifier and On: they would be one
// delivery, under one Key.
func validateNotify(ns []store.Notification) error {
	type pair struct{ notifier, on string }
	seen := make(map[pair]bool, len(ns))
	for i, n := range ns {
		if err := ValidateNotification(n); err != nil {
			return fmt.Errorf("notification %d: %w", i, err)
		}
		p := pair{n.Notifier, n.On}
		if seen[p] {
			return fmt.Errorf("notification %d: notifier %s on %s is asked for twice", i, n.Notifier, n.On)
		}
		seen[p] = true
	}
	return nil
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// isJSONObject reports whether b is valid UTF-8 holding one JSON object
// (white space around it allowed).
func isJSONObject(b []byte) bool {
	if !utf8.Valid(b) || !json.Valid(b) {
		return false
	}
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// OutboxKey returns the idempotency key of the delivery of kind through
// notifier about ref, the revision sequence number (store.NotifyNew,
// store.NotifyChanged) or the event ID (store.EventFailing,
// store.EventRecovered) of watch watchID: "<watch id>-<kind>-<ref>-<notifier>".
// The parts cannot run into each other (the ID and ref are digits, the
// kinds hold no '-'), so distinct deliveries have distinct keys.
func OutboxKey(watchID int64, kind string, ref int64, notifier string) string {
	return fmt.Sprintf("%d-%s-%d-%s", watchID, kind, ref, notifier)
}

// Outbox returns the outbox items RecordCheck writes with r, in the order
// of r.Notify: one per notification whose On names what the check recorded
// — store.NotifyNew or store.NotifyChanged when r recorded revision seq
// (seq > 0) with that outcome, ev.Kind when it recorded the health event
// ev (ev.ID set by the engine; Kind empty when none). The others are
// ignored. r must have passed Validate and Normalize.
//
// Each item is pending, without attempts, in its notification's Group,
// created at r.StartedAt and due at its NotBefore (microseconds, UTC) or,
// when that is zero, at r.StartedAt; it has no ID yet.
func Outbox(r store.CheckResult, seq int, ev store.Event) []store.OutboxItem {
	var items []store.OutboxItem
	for _, n := range r.Notify {
		it := store.OutboxItem{
			WatchID:       r.WatchID,
			Notifier:      n.Notifier,
			Kind:          n.On,
			Payload:       n.Payload,
			Group:         n.Group,
			State:         store.OutboxPending,
			CreatedAt:     r.StartedAt,
			NextAttemptAt: r.StartedAt,
		}
		switch {
		case seq > 0 && (n.On == store.NotifyNew && r.Outcome == store.OutcomeNew ||
			n.On == store.NotifyChanged && r.Outcome == store.OutcomeChanged):
			it.RevisionSeq = seq
			it.Key = OutboxKey(r.WatchID, n.On, int64(seq), n.Notifier)
		case ev.Kind != "" && n.On == ev.Kind:
			it.EventID = ev.ID
			it.Key = OutboxKey(r.WatchID, n.On, ev.ID, n.Notifier)
		default:
			continue
		}
		if !n.NotBefore.IsZero() {
			it.NextAttemptAt = Time(n.NotBefore)
		}
		items = append(items, it)
	}
	return items
}

// ValidateDelivery reports why FinishDelivery cannot record d, or nil when
// it can: State is store.OutboxSent, store.OutboxPending or
// store.OutboxDead; a sent one has its At (its SentAt); a pending one has
// its NextAttemptAt; a failed one (pending or dead) has its Error.
func ValidateDelivery(d store.Delivery) error {
	switch d.State {
	case store.OutboxSent:
		if d.At.IsZero() {
			return errors.New("sent delivery without its time (At)")
		}
		return nil
	case store.OutboxPending:
		if d.NextAttemptAt.IsZero() {
			return errors.New("pending delivery without NextAttemptAt")
		}
	case store.OutboxDead:
	default:
		return fmt.Errorf("unknown delivery state %q, want %q, %q or %q", d.State, store.OutboxSent, store.OutboxPending, store.OutboxDead)
	}
	if d.Error == "" {
		return fmt.Errorf("failed (%s) delivery without an error", d.State)
	}
	return nil
}

// DeliveryError returns msg as FinishDelivery stores it: valid UTF-8 (each
// invalid byte, and each NUL, which PostgreSQL text cannot hold, becomes
// U+FFFD), then cut to at most MaxDeliveryError bytes at a character
// boundary.
func DeliveryError(msg string) string {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	msg = strings.ReplaceAll(msg, "\x00", "\uFFFD")
	if len(msg) <= MaxDeliveryError {
		return msg
	}
	cut := MaxDeliveryError
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut]
}

// ValidateOutboxFilter reports why ListOutbox cannot select with f, or nil
// when it can: State is empty or a state of store.OutboxItem, and
// RevisionSeq is only set with WatchID (a sequence number names a revision
// of one watch).
func ValidateOutboxFilter(f store.OutboxFilter) error {
	switch f.State {
	case "", store.OutboxPending, store.OutboxSent, store.OutboxDead:
	default:
		return fmt.Errorf("unknown outbox state %q", f.State)
	}
	if f.RevisionSeq != 0 && f.WatchID == 0 {
		return fmt.Errorf("revision %d without a watch", f.RevisionSeq)
	}
	return nil
}

// ValidateRetry reports why RetryOutbox or RetryDead cannot make items due
// at now: now is zero.
func ValidateRetry(now time.Time) error {
	if now.IsZero() {
		return errors.New("no current time")
	}
	return nil
}

// CompareOutbox orders items as ClaimOutbox returns them: by
// NextAttemptAt, then by ID.
func CompareOutbox(a, b store.OutboxItem) int {
	if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// OutboxGroups returns the distinct groups of items, leaving out "" (no
// group), in the order of their first item: the groups whose other due
// items ClaimOutbox claims with them.
func OutboxGroups(items []store.OutboxItem) []string {
	var groups []string
	seen := map[string]bool{}
	for _, it := range items {
		if it.Group != "" && !seen[it.Group] {
			seen[it.Group] = true
			groups = append(groups, it.Group)
		}
	}
	return groups
}

// ClaimOrder returns the items of one claim in the order ClaimOutbox
// returns them: claimed, the items it chose within its limit, in claim
// order (CompareOutbox), with each group's extra items (those of extra in
// that group, in CompareOutbox order) right after the first claimed item
// of the group. An extra item of no claimed item's group (there should be
// none) comes last, not lost. Neither argument is modified.
func ClaimOrder(claimed, extra []store.OutboxItem) []store.OutboxItem {
	claimed = slices.SortedStableFunc(slices.Values(claimed), CompareOutbox)
	extra = slices.SortedStableFunc(slices.Values(extra), CompareOutbox)
	byGroup := map[string][]store.OutboxItem{}
	for _, it := range extra {
		byGroup[it.Group] = append(byGroup[it.Group], it)
	}
	out := make([]store.OutboxItem, 0, len(claimed)+len(extra))
	for _, it := range claimed {
		out = append(out, it)
		if it.Group != "" {
			out = append(out, byGroup[it.Group]...)
			delete(byGroup, it.Group)
		}
	}
	for _, it := range extra {
		if _, left := byGroup[it.Group]; left {
			out = append(out, it)
		}
	}
	return out
}
