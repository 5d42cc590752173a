package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redlinehq/redline/store"
)

// notify returns a notification through notifier on on, with a payload
// naming both.
func notify(notifier, on string) store.Notification {
	return store.Notification{Notifier: notifier, On: on,
		Payload: json.RawMessage(fmt.Sprintf(`{"notifier": %q, "on": %q, "text": "Ünïcödé ✓"}`, notifier, on))}
}

// notifyAll returns a notification through notifier for each kind.
func notifyAll(notifier string) []store.Notification {
	return []store.Notification{notify(notifier, store.NotifyNew), notify(notifier, store.NotifyChanged),
		notify(notifier, store.EventFailing), notify(notifier, store.EventRecovered)}
}

// listOutbox calls ListOutbox, failing the test on error; never nil.
func listOutbox(t *testing.T, s store.Store, f store.OutboxFilter) []store.OutboxItem {
	t.Helper()
	items, err := s.ListOutbox(t.Context(), f)
	if err != nil {
		t.Fatalf("ListOutbox(%+v): %v", f, err)
	}
	if items == nil {
		items = []store.OutboxItem{}
	}
	return items
}

// watchOutbox returns the items of watch id, oldest first.
func watchOutbox(t *testing.T, s store.Store, id int64) []store.OutboxItem {
	t.Helper()
	items := listOutbox(t, s, store.OutboxFilter{WatchID: id})
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return items
}

// outboxItem returns item id, failing the test when there is none.
func outboxItem(t *testing.T, s store.Store, id int64) store.OutboxItem {
	t.Helper()
	for _, it := range listOutbox(t, s, store.OutboxFilter{}) {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("outbox item %d not listed", id)
	return store.OutboxItem{}
}

// claimOutbox calls ClaimOutbox, failing the test on error.
func claimOutbox(t *testing.T, s store.Store, owner string, now time.Time, limit int, lease time.Duration) []store.OutboxItem {
	t.Helper()
	items, err := s.ClaimOutbox(t.Context(), owner, now, limit, lease)
	if err != nil {
		t.Fatalf("ClaimOutbox(%s, %v, %d, %v): %v", owner, now, limit, lease, err)
	}
	return items
}

// finish calls FinishDelivery, failing the test on error.
func finish(t *testing.T, s store.Store, id int64, owner string, d store.Delivery) {
	t.Helper()
	if err := s.FinishDelivery(t.Context(), id, owner, d); err != nil {
		t.Fatalf("FinishDelivery(%d, %s, %+v): %v", id, owner, d, err)
	}
}

// itemIDs returns the IDs of items, in order; never nil.
func itemIDs(items []store.OutboxItem) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// sent, failed and dead are deliveries at at.
func sent(at time.Time) store.Delivery {
	return store.Delivery{State: store.OutboxSent, At: at, Status: 200}
}

func failed(at, next time.Time) store.Delivery {
	return store.Delivery{State: store.OutboxPending, At: at, NextAttemptAt: next, Status: 503, Error: "HTTP 503 Service Unavailable"}
}

func dead(at time.Time) store.Delivery {
	return store.Delivery{State: store.OutboxDead, At: at, Status: 410, Error: "HTTP 410 Gone"}
}

// wantLeaseLostItem fails the test unless err wraps store.ErrLeaseLost and
// names item id.
func wantLeaseLostItem(t *testing.T, what string, id int64, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("%s: error = %v, want one wrapping store.ErrLeaseLost", what, err)
		return
	}
	if !strings.Contains(err.Error(), strconv.FormatInt(id, 10)) {
		t.Errorf("%s: error %q does not name item %d", what, err, id)
	}
}

// pendingItem returns the item that RecordCheck writes for notification n
// of r, about revision seq or event eventID, before any attempt.
func pendingItem(r store.CheckResult, n store.Notification, seq int, eventID int64) store.OutboxItem {
	ref := int64(seq)
	if eventID != 0 {
		ref = eventID
	}
	next := r.StartedAt
	if !n.NotBefore.IsZero() {
		next = n.NotBefore
	}
	return store.OutboxItem{
		WatchID: r.WatchID, Notifier: n.Notifier, Kind: n.On, RevisionSeq: seq, EventID: eventID,
		Key:     fmt.Sprintf("%d-%s-%d-%s", r.WatchID, n.On, ref, n.Notifier),
		Payload: n.Payload, Group: n.Group, State: store.OutboxPending, CreatedAt: r.StartedAt, NextAttemptAt: next,
	}
}

// testOutboxRecordCheck: RecordCheck writes a pending item for each
// notification whose On names what it recorded (the revision's outcome,
// the health event), and none for the others.
func testOutboxRecordCheck(t *testing.T, s store.Store) {
	w := addWatch(t, s, "https://example.com/outbox")
	other := addWatch(t, s, "https://example.com/outbox/other")
	var (
		want   []store.OutboxItem
		lastID int64
	)
	step := func(name string, r store.CheckResult, wantEvent string, wantNew ...func(c store.Check, ev store.Event) store.OutboxItem) {
		t.Helper()
		c := record(t, s, r)
		if c.Event != wantEvent {
			t.Fatalf("%s: Event = %q, want %q", name, c.Event, wantEvent)
		}
		var ev store.Event
		if c.Event != "" {
			ev = events(t, s, r.WatchID, 1)[0]
		}
		for _, f := range wantNew {
			want = append(want, f(c, ev))
		}
		got := watchOutbox(t, s, w.ID)
		if len(got) != len(want) {
			t.Fatalf("%s: %d items, want %d:\n%+v", name, len(got), len(want), got)
		}
		for i := range got {
			if i >= len(got)-len(wantNew) {
				if got[i].ID <= lastID {
					t.Errorf("%s: new item ID %d not above the previous %d", name, got[i].ID, lastID)
				}
				lastID = got[i].ID
			}
			want[i].ID = got[i].ID
		}
		if d := diff(want, got); d != "" {
			t.Errorf("%s: items (-want +got):\n%s", name, d)
		}
	}
	item := func(r store.CheckResult, n store.Notification) func(store.Check, store.Event) store.OutboxItem {
		return func(c store.Check, ev store.Event) store.OutboxItem {
			if n.On == store.NotifyNew || n.On == store.NotifyChanged {
				return pendingItem(r, n, c.RevisionSeq, 0)
			}
			return pendingItem(r, n, 0, ev.ID)
		}
	}

	// A first revision asking for new, changed and failing: only new.
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.FailingAfter = 2
	r.Notify = []store.Notification{notify("team-chat", store.NotifyNew), notify("team-chat", store.NotifyChanged),
		notify("team-chat", store.EventFailing)}
	step("new", r, "", item(r, r.Notify[0]))

	// Unchanged, not modified, flapping: nothing, whatever is asked.
	for i, o := range []store.Outcome{store.OutcomeUnchanged, store.OutcomeNotModified, store.OutcomeFlapping} {
		r := plainResult(w.ID, o, time.Duration(i+1)*time.Minute)
		r.FailingAfter = 2
		r.Notify = notifyAll("team-chat")
		step(string(o), r, "")
	}

	// A change: changed, for each notifier asking for it.
	r = revisionResult(w.ID, store.OutcomeChanged, 10*time.Minute, "two")
	r.FailingAfter = 2
	r.Notify = append(notifyAll("mail"), notify("team-chat", store.NotifyChanged), notify("hook_2", store.NotifyNew))
	step("changed", r, "", item(r, r.Notify[1]), item(r, r.Notify[4]))

	// An error below FailingAfter: nothing; the one reaching it: failing,
	// about the event; the next: nothing.
	e := plainResult(w.ID, store.OutcomeError, 20*time.Minute)
	e.FailingAfter = 2
	e.Notify = notifyAll("pager")
	step("first error", e, "")
	e = plainResult(w.ID, store.OutcomeError, 21*time.Minute)
	e.FailingAfter = 2
	e.Notify = append(notifyAll("pager"), notify("mail", store.EventRecovered))
	step("failing", e, store.EventFailing, item(e, e.Notify[2]))
	e = plainResult(w.ID, store.OutcomeError, 22*time.Minute)
	e.FailingAfter = 2
	e.Notify = notifyAll("pager")
	step("still failing", e, "")

	// A change ending the failure: changed and recovered.
	r = revisionResult(w.ID, store.OutcomeChanged, 30*time.Minute, "three")
	r.FailingAfter = 2
	r.Notify = append(notifyAll("pager"), notify("mail", store.EventFailing))
	step("changed and recovered", r, store.EventRecovered, item(r, r.Notify[1]), item(r, r.Notify[3]))

	// Failing then a 304 recovering: recovered.
	for i := range 2 {
		e := plainResult(w.ID, store.OutcomeError, time.Duration(40+i)*time.Minute)
		e.FailingAfter = 2
		record(t, s, e)
	}
	want = watchOutbox(t, s, w.ID) // the failing event asked for nothing
	r = plainResult(w.ID, store.OutcomeNotModified, 45*time.Minute)
	r.FailingAfter = 2
	r.Notify = []store.Notification{notify("mail", store.EventRecovered), notify("mail", store.NotifyChanged)}
	step("recovered", r, store.EventRecovered, item(r, r.Notify[0]))

	// No notifications, or none matching: the check is recorded all the same.
	step("no notifications", revisionResult(w.ID, store.OutcomeChanged, 50*time.Minute, "four"), "")
	r = revisionResult(w.ID, store.OutcomeChanged, 51*time.Minute, "five")
	r.Notify = []store.Notification{notify("mail", store.EventFailing)}
	step("none matching", r, "")
	if st := getWatch(t, s, w.ID).State; st.Revisions != 5 {
		t.Errorf("Revisions = %d, want 5", st.Revisions)
	}

	// The other watch has none of them.
	if items := listOutbox(t, s, store.OutboxFilter{WatchID: other.ID}); len(items) != 0 {
		t.Errorf("ListOutbox(other watch) = %+v, want none", items)
	}
}

// testOutboxInvalid: a notification with a bad notifier name, an unknown
// On, a payload that is not a JSON object or a bad group (over 200 bytes,
// not UTF-8, with NUL), or two that are one delivery, make RecordCheck
// refuse the whole check: nothing is written.
func testOutboxInvalid(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/outbox/invalid")
	with := func(r store.CheckResult, ns ...store.Notification) store.CheckResult {
		r.Notify = ns
		return r
	}
	payload := func(p string) store.Notification {
		n := notify("chat", store.NotifyNew)
		n.Payload = json.RawMessage(p)
		return n
	}
	named := func(name string) store.Notification { return notify(name, store.NotifyNew) }
	grouped := func(n store.Notification, group string) store.Notification {
		n.Group = group
		return n
	}
	newRev := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	newRev.FailingAfter = 1
	failing := plainResult(w.ID, store.OutcomeError, 0)
	failing.FailingAfter = 1
	good := notify("chat", store.NotifyNew)
	tests := map[string]store.CheckResult{
		"empty notifier":            with(newRev, good, named("")),
		"notifier of 65 characters": with(newRev, named(strings.Repeat("n", 65))),
		"notifier with a space":     with(newRev, named("team chat")),
		"notifier with a dot":       with(newRev, named("team.chat")),
		"notifier with a slash":     with(newRev, named("team/chat")),
		"notifier not ASCII":        with(newRev, named("équipe")),
		"empty On":                  with(newRev, store.Notification{Notifier: "chat", Payload: good.Payload}),
		"On unchanged":              with(newRev, notify("chat", string(store.OutcomeUnchanged))),
		"On error":                  with(failing, notify("chat", string(store.OutcomeError))),
		"On in capitals":            with(newRev, notify("chat", "NEW")),
		"nil payload":               with(newRev, payload("")),
		"array payload":             with(newRev, payload(`[{"a":1}]`)),
		"string payload":            with(newRev, payload(`"{}"`)),
		"null payload":              with(newRev, payload(`null`)),
		"number payload":            with(newRev, payload(`42`)),
		"truncated payload":         with(newRev, payload(`{"a":`)),
		"two objects":               with(newRev, payload(`{"a":1} {"b":2}`)),
		"payload not UTF-8":         with(newRev, payload("{\"a\":\"\xff\"}")),
		"failing, bad payload":      with(failing, store.Notification{Notifier: "chat", On: store.EventFailing, Payload: json.RawMessage(`[]`)}),
		"the same delivery twice":   with(newRev, good, notify("mail", store.NotifyNew), good),
		"group of 201 bytes":        with(newRev, good, grouped(notify("mail", store.NotifyNew), strings.Repeat("g", 201))),
		"group of 201 bytes, runes": with(newRev, grouped(good, strings.Repeat("é", 100)+"g")),
		"group not UTF-8":           with(newRev, grouped(good, "digest/\xff")),
		"group cut in a rune":       with(newRev, grouped(good, "digest/"+"é"[:1])),
		"group with NUL":            with(newRev, grouped(good, "digest\x00")),
		"failing, bad group":        with(failing, grouped(notify("chat", store.EventFailing), strings.Repeat("g", 300))),
	}
	for name, r := range tests {
		if _, err := s.RecordCheck(ctx, r); err == nil {
			t.Errorf("RecordCheck(%s) = nil error, want a refusal", name)
		}
	}
	if got := getWatch(t, s, w.ID).State; !zeroState(got) {
		t.Errorf("refused checks changed the state to %+v", got)
	}
	if cs, err := s.Checks(ctx, w.ID, 0); err != nil || len(cs) != 0 {
		t.Errorf("refused checks left %d check rows (err %v), want none", len(cs), err)
	}
	if rs, err := s.Revisions(ctx, w.ID); err != nil || len(rs) != 0 {
		t.Errorf("refused checks left %d revisions (err %v), want none", len(rs), err)
	}
	if evs, err := s.Events(ctx, w.ID, 0); err != nil || len(evs) != 0 {
		t.Errorf("refused checks left %d events (err %v), want none", len(evs), err)
	}
	if items := listOutbox(t, s, store.OutboxFilter{}); len(items) != 0 {
		t.Errorf("refused checks left %d outbox items, want none", len(items))
	}

	// The limits themselves are accepted: a 64-character name of every
	// kind of character allowed, the same notifier on two kinds, the same
	// kind through two notifiers, a group of 200 bytes.
	long := strings.Repeat("Az09-_", 10) + "abcd"
	longGroup := strings.Repeat("é", 99) + "gg"
	r := with(newRev, named(long), notify(long, store.NotifyChanged), grouped(notify("chat", store.NotifyNew), longGroup))
	record(t, s, r)
	items := watchOutbox(t, s, w.ID)
	if len(items) != 2 || items[0].Notifier != long || items[1].Notifier != "chat" || items[1].Group != longGroup {
		t.Errorf("items of a check with a 64-character notifier = %+v, want %s then chat in a group of 200 bytes", items, long)
	}
}

// testOutboxPayload: the payload comes back as equivalent JSON, from
// ListOutbox and from ClaimOutbox.
func testOutboxPayload(t *testing.T, s store.Store) {
	w := addWatch(t, s, "https://example.com/outbox/payload")
	payloads := []string{
		`{}`,
		` {  "spaced" : [ 1 , 2 ] }` + "\n",
		`{"title":"Ünïcödé ✓ 日本語 🎉","n":-3e10,"f":0.1,"t":true,"nil":null,"nested":{"a":[1,{"b":[]}]}}`,
		`{"escapes":"quote \" backslash \\ tab \t nul \u0000 line\u2028sep","html":"<a href=\"x\">&amp;</a>"}`,
		`{"big":"` + strings.Repeat("large payload ", 10_000) + `"}`,
		`{"z":1,"a":2,"m":{"y":1,"b":2}}`,
	}
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	for i, p := range payloads {
		r.Notify = append(r.Notify, store.Notification{Notifier: fmt.Sprint("n", i), On: store.NotifyNew, Payload: json.RawMessage(p)})
	}
	record(t, s, r)
	check := func(step string, items []store.OutboxItem) {
		t.Helper()
		if len(items) != len(payloads) {
			t.Fatalf("%s: %d items, want %d", step, len(items), len(payloads))
		}
		for _, it := range items {
			i, err := strconv.Atoi(strings.TrimPrefix(it.Notifier, "n"))
			if err != nil || i >= len(payloads) {
				t.Fatalf("%s: item of notifier %q", step, it.Notifier)
			}
			if !json.Valid(it.Payload) {
				t.Errorf("%s: payload %d is not valid JSON: %.200s", step, i, it.Payload)
				continue
			}
			if d := diff(json.RawMessage(payloads[i]), it.Payload); d != "" {
				t.Errorf("%s: payload %d changed meaning (-want +got):\n%.2000s", step, i, d)
			}
		}
	}
	check("ListOutbox", listOutbox(t, s, store.OutboxFilter{}))
	check("ClaimOutbox", claimOutbox(t, s, "owner", base(), 100, time.Minute))
}

// testOutboxKey: every item's Key is "<watch id>-<kind>-<revision seq or
// event id>-<notifier>", unique in the store, and kept through the
// attempts.
func testOutboxKey(t *testing.T, s store.Store) {
	notifiers := []string{"team-chat", "team", "chat", "a_b", "X", "1"}
	var ns []store.Notification
	for _, n := range notifiers {
		ns = append(ns, notifyAll(n)...)
	}
	for wi := range 3 {
		w := addWatch(t, s, fmt.Sprint("https://example.com/outbox/key/", wi))
		outcomes := []store.Outcome{store.OutcomeNew, store.OutcomeError, store.OutcomeChanged, store.OutcomeError, store.OutcomeUnchanged, store.OutcomeChanged}
		for i, o := range outcomes {
			r := healthResult(w.ID, o, i, 1)
			r.Notify = ns
			record(t, s, r)
		}
	}
	items := listOutbox(t, s, store.OutboxFilter{})
	// Per watch: 3 revisions and 4 events, through 6 notifiers.
	if len(items) != 3*7*len(notifiers) {
		t.Fatalf("%d items, want %d", len(items), 3*7*len(notifiers))
	}
	keys := map[string]int64{}
	for _, it := range items {
		ref := int64(it.RevisionSeq)
		if it.Kind == store.EventFailing || it.Kind == store.EventRecovered {
			ref = it.EventID
			if it.RevisionSeq != 0 || it.EventID <= 0 {
				t.Errorf("item %d of kind %s: RevisionSeq %d, EventID %d; want 0 and an event", it.ID, it.Kind, it.RevisionSeq, it.EventID)
			}
		} else if it.EventID != 0 || it.RevisionSeq <= 0 {
			t.Errorf("item %d of kind %s: RevisionSeq %d, EventID %d; want a revision and 0", it.ID, it.Kind, it.RevisionSeq, it.EventID)
		}
		if want := fmt.Sprintf("%d-%s-%d-%s", it.WatchID, it.Kind, ref, it.Notifier); it.Key != want {
			t.Errorf("item %d: Key %q, want %q", it.ID, it.Key, want)
		}
		if prev, dup := keys[it.Key]; dup {
			t.Errorf("items %d and %d share the key %q", prev, it.ID, it.Key)
		}
		keys[it.Key] = it.ID
	}

	// The key stays through attempts and retries.
	now := base().Add(time.Hour)
	first := claimOutbox(t, s, "owner", now, 1, time.Minute)
	if len(first) != 1 {
		t.Fatalf("ClaimOutbox = %d items, want 1", len(first))
	}
	id, key := first[0].ID, first[0].Key
	finish(t, s, id, "owner", failed(now, now))
	if got := outboxItem(t, s, id).Key; got != key {
		t.Errorf("Key after a failed attempt = %q, want %q", got, key)
	}
	if err := s.RetryOutbox(t.Context(), id, now); err != nil {
		t.Fatal(err)
	}
	if got := outboxItem(t, s, id).Key; got != key {
		t.Errorf("Key after RetryOutbox = %q, want %q", got, key)
	}
}

// testOutboxNotBefore: an item is due at its notification's NotBefore,
// or at the check's start when that is zero; ClaimOutbox and NextOutboxDue
// honour it.
func testOutboxNotBefore(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	wantNext := func(step string, at, want time.Time, wantOK bool) {
		t.Helper()
		got, ok, err := s.NextOutboxDue(ctx, at)
		if err != nil {
			t.Fatalf("%s: NextOutboxDue: %v", step, err)
		}
		if ok != wantOK || !got.Equal(want) {
			t.Errorf("%s: NextOutboxDue(%v) = %v, %v; want %v, %v", step, at, got, ok, want, wantOK)
		}
	}
	wantNext("empty outbox", now, time.Time{}, false)

	w := addWatch(t, s, "https://example.com/outbox/not-before")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	at := func(n store.Notification, t time.Time) store.Notification {
		n.NotBefore = t
		return n
	}
	r.Notify = []store.Notification{
		notify("now", store.NotifyNew),                                   // due at the check's start
		at(notify("hour", store.NotifyNew), now.Add(time.Hour)),          // held back an hour
		at(notify("past", store.NotifyNew), now.Add(-time.Hour)),         // due an hour before the check
		at(notify("half", store.NotifyNew), now.Add(30*time.Minute+700)), // kept to the microsecond
	}
	record(t, s, r)
	byNotifier := map[string]store.OutboxItem{}
	for _, it := range listOutbox(t, s, store.OutboxFilter{}) {
		byNotifier[it.Notifier] = it
	}
	half := now.Add(30 * time.Minute)
	for n, want := range map[string]time.Time{"now": now, "hour": now.Add(time.Hour), "past": now.Add(-time.Hour), "half": half} {
		if got := byNotifier[n].NextAttemptAt; !got.Equal(want) {
			t.Errorf("item %s: NextAttemptAt = %v, want %v", n, got, want)
		}
		if got := byNotifier[n].CreatedAt; !got.Equal(now) {
			t.Errorf("item %s: CreatedAt = %v, want the check's start %v", n, got, now)
		}
	}
	wantNext("four pending", now, now.Add(-time.Hour), true)
	if got := claimOutbox(t, s, "early", now.Add(-time.Hour-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox before any is due = %+v, want none", got)
	}
	got := claimOutbox(t, s, "owner", now, 10, 10*time.Minute)
	if d := diff([]int64{byNotifier["past"].ID, byNotifier["now"].ID}, itemIDs(got)); d != "" {
		t.Errorf("ClaimOutbox at the check's start (-want +got):\n%s", d)
	}
	wantNext("two leased until now+10m", now, now.Add(10*time.Minute), true)
	for _, it := range got {
		finish(t, s, it.ID, "owner", sent(now.Add(time.Minute)))
	}
	wantNext("two sent", now, half, true)
	if got := claimOutbox(t, s, "owner", half.Add(-500), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox 500ns before NotBefore (the microsecond before) = %+v, want none", itemIDs(got))
	}
	if got := claimOutbox(t, s, "owner", half.Add(999), 10, time.Minute); len(got) != 1 || got[0].ID != byNotifier["half"].ID {
		t.Errorf("ClaimOutbox 999ns after NotBefore = %v, want item %d", itemIDs(got), byNotifier["half"].ID)
	}
	finish(t, s, byNotifier["half"].ID, "owner", dead(half))
	wantNext("one pending", now, now.Add(time.Hour), true)
	if got := claimOutbox(t, s, "owner", now.Add(59*time.Minute), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox before the last is due = %v, want none", itemIDs(got))
	}
	if got := claimOutbox(t, s, "owner", now.Add(time.Hour), 10, time.Minute); len(got) != 1 || got[0].ID != byNotifier["hour"].ID {
		t.Errorf("ClaimOutbox when the last is due = %v, want item %d", itemIDs(got), byNotifier["hour"].ID)
	}
	// A lease ending before the next attempt does not count; one running
	// past it does, until it ends.
	finish(t, s, byNotifier["hour"].ID, "owner", failed(now.Add(time.Hour), now.Add(2*time.Hour)))
	wantNext("retry in an hour", now.Add(time.Hour), now.Add(2*time.Hour), true)
	claimOutbox(t, s, "owner", now.Add(2*time.Hour), 1, 30*time.Minute)
	wantNext("claimed for 30m", now.Add(2*time.Hour), now.Add(150*time.Minute), true)
	wantNext("the lease has ended", now.Add(3*time.Hour), now.Add(2*time.Hour), true)
	finish(t, s, byNotifier["hour"].ID, "owner", sent(now.Add(3*time.Hour)))
	wantNext("all sent or dead", now, time.Time{}, false)
}

// testOutboxClaimOrder: ClaimOutbox takes the due, pending, unleased
// items by NextAttemptAt then ID, at most limit, and returns them whole
// and leased.
func testOutboxClaimOrder(t *testing.T, s store.Store) {
	now := base()
	lease := 10 * time.Minute
	a := addWatch(t, s, "https://example.com/outbox/order/a")
	b := addWatch(t, s, "https://example.com/outbox/order/b")
	at := func(n store.Notification, d time.Duration) store.Notification {
		n.NotBefore = now.Add(d)
		return n
	}
	ra := revisionResult(a.ID, store.OutcomeNew, 0, "a")
	ra.Notify = []store.Notification{at(notify("a1", store.NotifyNew), 2*time.Minute), notify("a2", store.NotifyNew),
		at(notify("a3", store.NotifyNew), time.Minute)}
	record(t, s, ra)
	rb := revisionResult(b.ID, store.OutcomeNew, -time.Minute, "b")
	rb.Notify = []store.Notification{notify("b1", store.NotifyNew), at(notify("b2", store.NotifyNew), 0),
		at(notify("b3", store.NotifyNew), time.Hour)}
	record(t, s, rb)
	id := map[string]int64{}
	all := listOutbox(t, s, store.OutboxFilter{})
	for _, it := range all {
		id[it.Notifier] = it.ID
	}
	if id["a1"] >= id["a2"] || id["a3"] >= id["b1"] {
		t.Errorf("IDs %v: want them in the order written", id)
	}

	first := claimOutbox(t, s, "owner-1", now.Add(5*time.Minute), 2, lease)
	if d := diff([]int64{id["b1"], id["a2"]}, itemIDs(first)); d != "" {
		t.Errorf("ClaimOutbox(limit 2) (-want +got):\n%s", d)
	}
	second := claimOutbox(t, s, "owner-2", now.Add(5*time.Minute), 10, lease)
	if d := diff([]int64{id["b2"], id["a3"], id["a1"]}, itemIDs(second)); d != "" {
		t.Errorf("ClaimOutbox(limit 10) (-want +got):\n%s", d)
	}
	for _, items := range [][]store.OutboxItem{first, second} {
		for _, it := range items {
			if d := diff(outboxItem(t, s, it.ID), it); d != "" {
				t.Errorf("ClaimOutbox returned item %d unlike ListOutbox (-ListOutbox +ClaimOutbox):\n%s", it.ID, d)
			}
		}
	}
	for _, it := range first {
		if it.LeaseOwner != "owner-1" || !it.LeaseExpiresAt.Equal(now.Add(5*time.Minute+lease)) || it.State != store.OutboxPending {
			t.Errorf("item %d: leased to %q until %v, state %s; want owner-1 until %v, pending", it.ID, it.LeaseOwner,
				it.LeaseExpiresAt, it.State, now.Add(5*time.Minute+lease))
		}
		if d := diff(json.RawMessage(fmt.Sprintf(`{"notifier":%q,"on":"new","text":"Ünïcödé ✓"}`, it.Notifier)), it.Payload); d != "" {
			t.Errorf("item %d: payload (-want +got):\n%s", it.ID, d)
		}
	}
	if got := claimOutbox(t, s, "owner-3", now.Add(5*time.Minute), 10, lease); len(got) != 0 {
		t.Errorf("ClaimOutbox with every due item leased = %v, want none", itemIDs(got))
	}

	// Sent and dead items are never claimed; pending ones are again once
	// their lease has ended, in due order.
	finish(t, s, id["b1"], "owner-1", sent(now))
	finish(t, s, id["a1"], "owner-2", dead(now))
	later := claimOutbox(t, s, "owner-4", now.Add(24*time.Hour), 10, lease)
	if d := diff([]int64{id["a2"], id["b2"], id["a3"], id["b3"]}, itemIDs(later)); d != "" {
		t.Errorf("ClaimOutbox a day later (-want +got):\n%s", d)
	}
}

// testOutboxLeases: a claimed item is not claimed again, not even by its
// owner, until its lease ends; then another owner takes it over, and the
// first owner's FinishDelivery fails with ErrLeaseLost and changes
// nothing. A lease that ended but that nobody took over is still its
// owner's.
func testOutboxLeases(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/leases")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.Notify = []store.Notification{notify("a", store.NotifyNew), notify("b", store.NotifyNew), notify("c", store.NotifyNew)}
	record(t, s, r)

	got := claimOutbox(t, s, "dead", now, 1, time.Minute)
	if len(got) != 1 {
		t.Fatalf("ClaimOutbox = %v, want one item", itemIDs(got))
	}
	it := got[0]
	for _, owner := range []string{"dead", "heir"} {
		for _, c := range claimOutbox(t, s, owner, now.Add(59*time.Second), 10, time.Minute) {
			if c.ID == it.ID {
				t.Errorf("ClaimOutbox(%s) during the lease returned item %d", owner, it.ID)
			}
		}
	}
	// The other two went to dead and heir meanwhile; finish them.
	for _, other := range listOutbox(t, s, store.OutboxFilter{}) {
		if other.ID != it.ID {
			finish(t, s, other.ID, other.LeaseOwner, sent(now))
		}
	}
	taken := claimOutbox(t, s, "heir", now.Add(time.Minute), 10, 2*time.Minute)
	if len(taken) != 1 || taken[0].ID != it.ID || taken[0].LeaseOwner != "heir" {
		t.Fatalf("ClaimOutbox when the lease ends = %+v, want item %d leased to heir", taken, it.ID)
	}
	before := outboxItem(t, s, it.ID)
	wantLeaseLostItem(t, "FinishDelivery by the old owner", it.ID, s.FinishDelivery(ctx, it.ID, "dead", sent(now.Add(time.Minute))))
	wantLeaseLostItem(t, "FinishDelivery(failed) by the old owner", it.ID,
		s.FinishDelivery(ctx, it.ID, "dead", failed(now.Add(time.Minute), now.Add(time.Hour))))
	if d := diff(before, outboxItem(t, s, it.ID)); d != "" {
		t.Errorf("the old owner's FinishDelivery changed the item (-before +after):\n%s", d)
	}
	finish(t, s, it.ID, "heir", failed(now.Add(2*time.Minute), now.Add(time.Hour)))
	wantLeaseLostItem(t, "FinishDelivery twice", it.ID, s.FinishDelivery(ctx, it.ID, "heir", sent(now.Add(2*time.Minute))))
	if got := outboxItem(t, s, it.ID); got.Attempts != 1 || got.LeaseOwner != "" || !got.LeaseExpiresAt.IsZero() {
		t.Errorf("after one finished attempt: %+v, want 1 attempt and no lease", got)
	}

	// Never claimed since: not leased.
	wantLeaseLostItem(t, "FinishDelivery of an unleased item", it.ID, s.FinishDelivery(ctx, it.ID, "heir", sent(now)))
	_, err := s.ClaimOutbox(ctx, "x", now, 1, time.Minute) // nothing due: no error
	if err != nil {
		t.Errorf("ClaimOutbox with nothing due: %v", err)
	}
	wantNotFound(t, "FinishDelivery(missing item)", s.FinishDelivery(ctx, it.ID+1000, "heir", sent(now)))

	// Ended but not taken over: still the owner's.
	late := claimOutbox(t, s, "slow", now.Add(time.Hour), 1, time.Minute)
	if len(late) != 1 {
		t.Fatalf("ClaimOutbox at the retry time = %v, want item %d", itemIDs(late), it.ID)
	}
	finish(t, s, it.ID, "slow", sent(now.Add(2*time.Hour)))
	if got := outboxItem(t, s, it.ID); got.State != store.OutboxSent || got.Attempts != 2 {
		t.Errorf("finished after its lease ended, not taken over: %+v, want sent after 2 attempts", got)
	}
}

// testFinishDelivery: each attempt counts; a failed one keeps the item
// pending until NextAttemptAt, or gives it up (dead); a delivered one is
// sent, its error cleared; the lease ends every time.
func testFinishDelivery(t *testing.T, s store.Store) {
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/finish")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	later := now.Add(100 * time.Hour)
	gu := notify("given-up", store.NotifyNew)
	gu.NotBefore = later
	r.Notify = []store.Notification{notify("retried", store.NotifyNew), gu}
	record(t, s, r)
	items := watchOutbox(t, s, w.ID)
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	retried, givenUp := items[0], items[1]

	want := retried
	step := func(name string, d store.Delivery, at time.Time) {
		t.Helper()
		if got := claimOutbox(t, s, "owner", at, 1, time.Minute); len(got) != 1 || got[0].ID != want.ID {
			t.Fatalf("%s: ClaimOutbox = %v, want item %d", name, itemIDs(got), want.ID)
		}
		finish(t, s, want.ID, "owner", d)
		want.Attempts++
		want.State, want.LastStatus = d.State, d.Status
		want.SentAt = time.Time{}
		switch d.State {
		case store.OutboxSent:
			want.LastError, want.SentAt = "", d.At
		case store.OutboxPending:
			want.LastError, want.NextAttemptAt = d.Error, d.NextAttemptAt
		default:
			want.LastError = d.Error
		}
		if diff := diff(want, outboxItem(t, s, want.ID)); diff != "" {
			t.Errorf("%s: item (-want +got):\n%s", name, diff)
		}
	}
	step("first failure", failed(now.Add(time.Second), now.Add(5*time.Minute)), now)
	if got := claimOutbox(t, s, "owner", now.Add(5*time.Minute-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox before the retry = %v, want none", itemIDs(got))
	}
	step("second failure, no answer", store.Delivery{State: store.OutboxPending, At: now.Add(5 * time.Minute),
		NextAttemptAt: now.Add(15 * time.Minute), Error: "dial tcp: connection refused"}, now.Add(5*time.Minute))
	step("delivered", store.Delivery{State: store.OutboxSent, At: now.Add(15*time.Minute + time.Second), Status: 204,
		Error: "ignored when sent", NextAttemptAt: now.Add(time.Hour)}, now.Add(15*time.Minute))
	if got := claimOutbox(t, s, "owner", later.Add(-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox after the delivery = %v, want none (the other item is not due)", itemIDs(got))
	}

	// Given up: dead, never claimed again.
	want = givenUp
	step("given up", dead(later.Add(time.Second)), later)
	if got := claimOutbox(t, s, "owner", later.Add(48*time.Hour), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox with only sent and dead items = %v, want none", itemIDs(got))
	}
}

// testFinishDeliveryError: at most 2048 bytes of an attempt's error are
// kept, cut at a character boundary, as valid UTF-8.
func testFinishDeliveryError(t *testing.T, s store.Store) {
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/errors")
	tests := []struct {
		name, in, want string
	}{
		{"short", "HTTP 500: boom", "HTTP 500: boom"},
		{"exactly 2048 bytes", strings.Repeat("x", 2048), strings.Repeat("x", 2048)},
		{"2049 bytes", strings.Repeat("y", 2049), strings.Repeat("y", 2048)},
		{"a character across the limit", strings.Repeat("a", 2047) + "é tail", strings.Repeat("a", 2047)},
		{"four-byte characters", strings.Repeat("🎉", 600), strings.Repeat("🎉", 512)},
		{"three-byte characters", strings.Repeat("日", 1000), strings.Repeat("日", 682)},
	}
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	for i := range len(tests) + 1 {
		r.Notify = append(r.Notify, notify(fmt.Sprint("n", i), store.NotifyNew))
	}
	record(t, s, r)
	items := claimOutbox(t, s, "owner", now, 100, time.Minute)
	if len(items) != len(tests)+1 {
		t.Fatalf("ClaimOutbox = %d items, want %d", len(items), len(tests)+1)
	}
	for i, tt := range tests {
		finish(t, s, items[i].ID, "owner", store.Delivery{State: store.OutboxDead, At: now, Error: tt.in})
		got := outboxItem(t, s, items[i].ID).LastError
		if got != tt.want {
			t.Errorf("%s: LastError is %d bytes (%.20q…), want %d bytes (%.20q…)", tt.name, len(got), got, len(tt.want), tt.want)
		}
	}
	// Not valid UTF-8: stored valid, the rest kept.
	id := items[len(tests)].ID
	finish(t, s, id, "owner", store.Delivery{State: store.OutboxPending, At: now, NextAttemptAt: now, Error: "bad \xff\xfe byte\x00s"})
	got := outboxItem(t, s, id).LastError
	if !utf8.ValidString(got) || !strings.HasPrefix(got, "bad ") || !strings.Contains(got, " byte") {
		t.Errorf("LastError of an error not valid UTF-8 = %q, want valid UTF-8 keeping the text", got)
	}
}

// testFinishDeliveryInvalid: a malformed delivery is refused and changes
// nothing.
func testFinishDeliveryInvalid(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/finish-invalid")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.Notify = []store.Notification{notify("chat", store.NotifyNew)}
	record(t, s, r)
	items := claimOutbox(t, s, "owner", now, 1, time.Minute)
	if len(items) != 1 {
		t.Fatalf("ClaimOutbox = %v, want one item", itemIDs(items))
	}
	id := items[0].ID
	before := outboxItem(t, s, id)
	tests := map[string]store.Delivery{
		"empty state":                   {At: now, Error: "boom"},
		"unknown state":                 {State: "delivered", At: now},
		"state in capitals":             {State: "SENT", At: now},
		"pending without NextAttemptAt": {State: store.OutboxPending, At: now, Error: "boom"},
		"pending without Error":         {State: store.OutboxPending, At: now, NextAttemptAt: now.Add(time.Minute), Status: 500},
		"dead without Error":            {State: store.OutboxDead, At: now, Status: 410},
		"sent without At":               {State: store.OutboxSent, Status: 200},
	}
	for name, d := range tests {
		err := s.FinishDelivery(ctx, id, "owner", d)
		if err == nil {
			t.Errorf("FinishDelivery(%s) = nil error, want a refusal", name)
		} else if errors.Is(err, store.ErrLeaseLost) || errors.Is(err, store.ErrNotFound) {
			t.Errorf("FinishDelivery(%s) = %v, want a refusal, not a lost lease or a missing item", name, err)
		}
	}
	if err := s.FinishDelivery(ctx, id, "", sent(now)); err == nil {
		t.Error("FinishDelivery(empty owner) = nil error, want a refusal")
	}
	if d := diff(before, outboxItem(t, s, id)); d != "" {
		t.Errorf("refused deliveries changed the item (-before +after):\n%s", d)
	}
	finish(t, s, id, "owner", sent(now))
}

// testListOutbox: the filters, newest first, the limit.
func testListOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	a := addWatch(t, s, "https://example.com/outbox/list/a")
	b := addWatch(t, s, "https://example.com/outbox/list/b")
	quiet := addWatch(t, s, "https://example.com/outbox/list/quiet")
	for i, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeError, store.OutcomeChanged} {
		for _, w := range []store.Watch{a, b} {
			r := healthResult(w.ID, o, i, 1)
			r.Notify = append(notifyAll("chat"), notify("mail", store.NotifyChanged))
			record(t, s, r)
		}
	}
	// Per watch: new(1) chat; changed(2) chat, mail; failing chat;
	// changed(3) chat, mail; recovered chat: 7 items, interleaved.
	all := listOutbox(t, s, store.OutboxFilter{})
	if len(all) != 14 {
		t.Fatalf("ListOutbox() = %d items, want 14", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatalf("ListOutbox() IDs %v, want them decreasing", itemIDs(all))
		}
	}
	// Give them states: the oldest of each watch sent, the next dead.
	claimOutbox(t, s, "owner", now.Add(time.Hour), 100, time.Minute)
	byWatch := map[int64][]store.OutboxItem{}
	for i := len(all) - 1; i >= 0; i-- {
		byWatch[all[i].WatchID] = append(byWatch[all[i].WatchID], all[i])
	}
	for _, items := range byWatch {
		finish(t, s, items[0].ID, "owner", sent(now))
		finish(t, s, items[1].ID, "owner", dead(now))
	}
	all = listOutbox(t, s, store.OutboxFilter{})
	match := func(f store.OutboxFilter) []int64 {
		out := []int64{}
		for _, it := range all {
			if (f.State == "" || it.State == f.State) && (f.WatchID == 0 || it.WatchID == f.WatchID) &&
				(f.RevisionSeq == 0 || it.RevisionSeq == f.RevisionSeq) && (f.Limit <= 0 || len(out) < f.Limit) {
				out = append(out, it.ID)
			}
		}
		return out
	}
	filters := []store.OutboxFilter{
		{},
		{Limit: -1},
		{Limit: 1},
		{Limit: 5},
		{State: store.OutboxPending},
		{State: store.OutboxSent},
		{State: store.OutboxDead},
		{WatchID: a.ID},
		{WatchID: b.ID, Limit: 3},
		{WatchID: a.ID, RevisionSeq: 2},
		{WatchID: b.ID, RevisionSeq: 3, Limit: 1},
		{WatchID: a.ID, RevisionSeq: 1},
		{WatchID: a.ID, RevisionSeq: 1, State: store.OutboxPending},
		{WatchID: b.ID, State: store.OutboxDead},
		{WatchID: a.ID, RevisionSeq: 9},
		{State: store.OutboxPending, Limit: 4},
	}
	for _, f := range filters {
		want := match(f)
		got := listOutbox(t, s, f)
		if d := diff(want, itemIDs(got)); d != "" {
			t.Errorf("ListOutbox(%+v) IDs (-want +got):\n%s", f, d)
		}
		for _, it := range got {
			if d := diff(outboxItem(t, s, it.ID), it); d != "" {
				t.Errorf("ListOutbox(%+v) item %d unlike the unfiltered list (-want +got):\n%s", f, it.ID, d)
			}
		}
	}
	if n := len(match(store.OutboxFilter{WatchID: a.ID, RevisionSeq: 2})); n != 2 {
		t.Errorf("items of watch a's revision 2 = %d, want 2 (chat and mail)", n)
	}

	if items, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: quiet.ID}); err != nil || len(items) != 0 {
		t.Errorf("ListOutbox(watch without items) = %v, %v; want none, nil", itemIDs(items), err)
	}
	_, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: quiet.ID + 1000})
	wantNotFound(t, "ListOutbox(missing watch)", err)
	for name, f := range map[string]store.OutboxFilter{
		"unknown state":             {State: "delivered"},
		"revision without a watch":  {RevisionSeq: 2},
		"revision without a watch2": {RevisionSeq: 1, State: store.OutboxSent},
	} {
		if items, err := s.ListOutbox(ctx, f); err == nil {
			t.Errorf("ListOutbox(%s) = %d items, nil error; want a refusal", name, len(items))
		}
	}
}

// testRetryOutbox: RetryOutbox makes any item pending again, due at now,
// with no attempts, keeping its key, its last error and status, and its
// lease.
func testRetryOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/retry")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	far := now.Add(100 * time.Hour)
	leased := notify("leased", store.NotifyNew)
	leased.NotBefore = far
	r.Notify = []store.Notification{notify("dead", store.NotifyNew), notify("sent", store.NotifyNew), leased}
	record(t, s, r)
	items := claimOutbox(t, s, "owner", now, 3, time.Minute)
	if len(items) != 2 {
		t.Fatalf("ClaimOutbox = %v, want 2 items", itemIDs(items))
	}
	deadID, sentID := items[0].ID, items[1].ID
	finish(t, s, deadID, "owner", failed(now, now))
	claimOutbox(t, s, "owner", now.Add(time.Minute), 1, time.Minute)
	finish(t, s, deadID, "owner", dead(now.Add(time.Minute)))
	finish(t, s, sentID, "owner", sent(now))

	later := now.Add(time.Hour + 500) // kept to the microsecond
	at := now.Add(time.Hour)
	for _, id := range []int64{deadID, sentID} {
		before := outboxItem(t, s, id)
		if err := s.RetryOutbox(ctx, id, later); err != nil {
			t.Fatalf("RetryOutbox(%s item %d): %v", before.State, id, err)
		}
		want := before
		want.State, want.Attempts, want.NextAttemptAt, want.SentAt = store.OutboxPending, 0, at, time.Time{}
		if d := diff(want, outboxItem(t, s, id)); d != "" {
			t.Errorf("RetryOutbox(%s item %d) (-want +got):\n%s", before.State, id, d)
		}
	}
	if got := claimOutbox(t, s, "other", at.Add(-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox before the retry time = %v, want none", itemIDs(got))
	}
	got := claimOutbox(t, s, "other", at, 10, time.Minute)
	if d := diff([]int64{deadID, sentID}, itemIDs(got)); d != "" {
		t.Errorf("ClaimOutbox at the retry time (-want +got):\n%s", d)
	}
	finish(t, s, sentID, "other", sent(at))
	finish(t, s, deadID, "other", dead(at))
	if it := outboxItem(t, s, sentID); it.Attempts != 1 || it.State != store.OutboxSent || it.Key != items[1].Key {
		t.Errorf("delivered again: %+v, want sent after 1 attempt under key %q", it, items[1].Key)
	}

	// A leased item keeps its lease: nobody else claims it meanwhile, and
	// its owner still finishes it.
	got = claimOutbox(t, s, "owner", far, 10, time.Minute)
	if len(got) != 1 {
		t.Fatalf("ClaimOutbox of the last item = %v, want one", itemIDs(got))
	}
	leasedID := got[0].ID
	if err := s.RetryOutbox(ctx, leasedID, far.Add(30*time.Second)); err != nil {
		t.Fatalf("RetryOutbox(leased): %v", err)
	}
	if it := outboxItem(t, s, leasedID); it.LeaseOwner != "owner" || !it.LeaseExpiresAt.Equal(far.Add(time.Minute)) ||
		!it.NextAttemptAt.Equal(far.Add(30*time.Second)) || it.State != store.OutboxPending {
		t.Errorf("RetryOutbox(leased) = %+v, want the lease kept and due at far+30s", it)
	}
	if got := claimOutbox(t, s, "other", far.Add(40*time.Second), 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox during the lease of a retried item = %v, want none", itemIDs(got))
	}
	finish(t, s, leasedID, "owner", sent(far.Add(40*time.Second)))

	wantNotFound(t, "RetryOutbox(missing item)", s.RetryOutbox(ctx, leasedID+1000, now))
	if err := s.RetryOutbox(ctx, deadID, time.Time{}); err == nil {
		t.Error("RetryOutbox(zero now) = nil error, want a refusal")
	}
}

// testRetryDead: RetryDead revives every dead item, and only those.
func testRetryDead(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	w := addWatch(t, s, "https://example.com/outbox/retry-dead")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	for i := range 6 {
		r.Notify = append(r.Notify, notify(fmt.Sprint("n", i), store.NotifyNew))
	}
	record(t, s, r)
	if n, err := s.RetryDead(ctx, now); err != nil || n != 0 {
		t.Errorf("RetryDead with none dead = %d, %v; want 0", n, err)
	}
	items := claimOutbox(t, s, "owner", now, 5, time.Minute)
	if len(items) != 5 {
		t.Fatalf("ClaimOutbox = %v, want 5 items", itemIDs(items))
	}
	for _, it := range items[:3] {
		finish(t, s, it.ID, "owner", dead(now))
	}
	finish(t, s, items[3].ID, "owner", sent(now))
	finish(t, s, items[4].ID, "owner", failed(now, now.Add(time.Hour)))
	before := map[int64]store.OutboxItem{}
	for _, it := range listOutbox(t, s, store.OutboxFilter{}) {
		before[it.ID] = it
	}
	later := now.Add(2 * time.Hour)
	if n, err := s.RetryDead(ctx, later); err != nil || n != 3 {
		t.Fatalf("RetryDead = %d, %v; want 3", n, err)
	}
	for _, it := range listOutbox(t, s, store.OutboxFilter{}) {
		want := before[it.ID]
		if want.State == store.OutboxDead {
			want.State, want.Attempts, want.NextAttemptAt = store.OutboxPending, 0, later
		}
		if d := diff(want, it); d != "" {
			t.Errorf("item %d after RetryDead (-want +got):\n%s", it.ID, d)
		}
	}
	if n, err := s.RetryDead(ctx, later); err != nil || n != 0 {
		t.Errorf("RetryDead again = %d, %v; want 0", n, err)
	}
	if _, err := s.RetryDead(ctx, time.Time{}); err == nil {
		t.Error("RetryDead(zero now) = nil error, want a refusal")
	}
}

// testCountOutbox: the items by state, every state present.
func testCountOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	want := func(step string, pending, sent, dead int64) {
		t.Helper()
		got, err := s.CountOutbox(ctx)
		if err != nil {
			t.Fatalf("%s: CountOutbox: %v", step, err)
		}
		w := map[string]int64{store.OutboxPending: pending, store.OutboxSent: sent, store.OutboxDead: dead}
		if len(got) != 3 {
			t.Errorf("%s: CountOutbox has keys %v, want exactly the three states", step, got)
		}
		for k, v := range w {
			if n, ok := got[k]; !ok || n != v {
				t.Errorf("%s: CountOutbox[%s] = %d (present %v), want %d", step, k, n, ok, v)
			}
		}
	}
	want("empty", 0, 0, 0)
	w := addWatch(t, s, "https://example.com/outbox/count")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.Notify = []store.Notification{notify("a", store.NotifyNew), notify("b", store.NotifyNew), notify("c", store.NotifyNew),
		notify("d", store.NotifyNew)}
	record(t, s, r)
	want("four pending", 4, 0, 0)
	items := claimOutbox(t, s, "owner", now, 3, time.Minute)
	want("three leased", 4, 0, 0)
	finish(t, s, items[0].ID, "owner", sent(now))
	finish(t, s, items[1].ID, "owner", dead(now))
	finish(t, s, items[2].ID, "owner", sent(now))
	want("mixed", 1, 2, 1)
}

// testOutboxDeleteWatch: deleting a watch deletes its items, leased or
// not; item IDs are never reused.
func testOutboxDeleteWatch(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	doomed := addWatch(t, s, "https://example.com/outbox/doomed")
	kept := addWatch(t, s, "https://example.com/outbox/kept")
	for i, w := range []store.Watch{doomed, kept} {
		r := revisionResult(w.ID, store.OutcomeNew, 0, fmt.Sprint("one", i))
		r.Notify = []store.Notification{notify("a", store.NotifyNew), notify("b", store.NotifyNew)}
		record(t, s, r)
	}
	all := listOutbox(t, s, store.OutboxFilter{})
	maxID := all[0].ID
	claimed := claimOutbox(t, s, "owner", now, 1, time.Minute) // the doomed watch's first
	if len(claimed) != 1 || claimed[0].WatchID != doomed.ID {
		t.Fatalf("ClaimOutbox = %+v, want the doomed watch's first item", claimed)
	}
	if err := s.DeleteWatch(ctx, doomed.ID); err != nil {
		t.Fatal(err)
	}
	for _, it := range listOutbox(t, s, store.OutboxFilter{}) {
		if it.WatchID != kept.ID {
			t.Errorf("item %d of the deleted watch %d survived", it.ID, it.WatchID)
		}
	}
	if n := len(listOutbox(t, s, store.OutboxFilter{WatchID: kept.ID})); n != 2 {
		t.Errorf("kept watch has %d items, want 2", n)
	}
	_, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: doomed.ID})
	wantNotFound(t, "ListOutbox(deleted watch)", err)
	wantNotFound(t, "FinishDelivery(item of a deleted watch)", s.FinishDelivery(ctx, claimed[0].ID, "owner", sent(now)))
	wantNotFound(t, "RetryOutbox(item of a deleted watch)", s.RetryOutbox(ctx, claimed[0].ID, now))
	if c, err := s.CountOutbox(ctx); err != nil || c[store.OutboxPending] != 2 {
		t.Errorf("CountOutbox after DeleteWatch = %v, %v; want 2 pending", c, err)
	}
	for _, it := range claimOutbox(t, s, "owner", now.Add(time.Hour), 10, time.Minute) {
		if it.WatchID != kept.ID {
			t.Errorf("ClaimOutbox returned item %d of the deleted watch", it.ID)
		}
	}

	// The newest items went with their watch: the next is numbered after
	// them.
	doomed2 := addWatch(t, s, "https://example.com/outbox/doomed-too")
	r := revisionResult(doomed2.ID, store.OutcomeNew, 0, "two")
	r.Notify = []store.Notification{notify("a", store.NotifyNew)}
	record(t, s, r)
	newest := listOutbox(t, s, store.OutboxFilter{Limit: 1})
	if err := s.DeleteWatch(ctx, doomed2.ID); err != nil {
		t.Fatal(err)
	}
	r = revisionResult(kept.ID, store.OutcomeChanged, time.Minute, "two")
	r.Notify = []store.Notification{notify("a", store.NotifyChanged)}
	record(t, s, r)
	again := listOutbox(t, s, store.OutboxFilter{Limit: 1})
	if len(newest) != 1 || len(again) != 1 || newest[0].ID <= maxID || again[0].ID <= newest[0].ID {
		t.Errorf("item IDs %d, then %v (deleted), then %v: want them increasing, never reused", maxID, itemIDs(newest), itemIDs(again))
	}
}

// testOutboxTimesUTC: every time of an item comes back in UTC, equal to
// the one given at millisecond precision and kept to the microsecond.
func testOutboxTimesUTC(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC+05:45", 5*3600+45*60)
	started := time.Date(2025, 12, 31, 23, 59, 59, 987_000_000, zone)
	w := addWatch(t, s, "https://example.com/outbox/times")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.StartedAt = started
	later := store.Notification{Notifier: "later", On: store.NotifyNew, Payload: json.RawMessage(`{}`),
		NotBefore: started.Add(time.Hour + 1_500*time.Nanosecond).In(time.FixedZone("X", -7*3600))}
	r.Notify = []store.Notification{notify("now", store.NotifyNew), later}
	record(t, s, r)

	lease := 90*time.Second + 250*time.Millisecond
	claimed := claimOutbox(t, s, "owner", started.Add(time.Hour+time.Millisecond), 10, lease)
	if len(claimed) != 2 {
		t.Fatalf("ClaimOutbox = %v, want 2 items", itemIDs(claimed))
	}
	sentAt := started.Add(2 * time.Hour).In(zone)
	finish(t, s, claimed[0].ID, "owner", sent(sentAt))
	retryAt := started.Add(3*time.Hour + 7*time.Millisecond).In(zone)
	finish(t, s, claimed[1].ID, "owner", failed(sentAt, retryAt))
	now := outboxItem(t, s, claimed[0].ID)
	held := outboxItem(t, s, claimed[1].ID)
	next, ok, err := s.NextOutboxDue(ctx, started)
	if err != nil || !ok {
		t.Fatalf("NextOutboxDue = %v, %v, %v", next, ok, err)
	}
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"CreatedAt", now.CreatedAt, started},
		{"NextAttemptAt at the check's start", now.NextAttemptAt, started},
		{"NextAttemptAt at NotBefore", claimed[1].NextAttemptAt, started.Add(time.Hour + time.Microsecond)},
		{"LeaseExpiresAt", claimed[0].LeaseExpiresAt, started.Add(time.Hour + time.Millisecond + lease)},
		{"SentAt", now.SentAt, sentAt},
		{"NextAttemptAt after a failure", held.NextAttemptAt, retryAt},
		{"NextOutboxDue", next, retryAt},
	}
	for _, tt := range times {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
		if tt.got.Location() != time.UTC {
			t.Errorf("%s location = %v, want UTC", tt.name, tt.got.Location())
		}
	}
}

// inGroup returns n in group, due at notBefore (zero: at the check's
// start).
func inGroup(n store.Notification, group string, notBefore time.Time) store.Notification {
	n.Group, n.NotBefore = group, notBefore
	return n
}

// changeNotifying adds a watch for url and records its first revision,
// started at base + at, asking for ns; it returns the items written, in
// the order of ns (those of ns are all NotifyNew).
func changeNotifying(t *testing.T, s store.Store, url string, at time.Duration, ns ...store.Notification) []store.OutboxItem {
	t.Helper()
	w := addWatch(t, s, url)
	r := revisionResult(w.ID, store.OutcomeNew, at, "one")
	r.Notify = ns
	record(t, s, r)
	items := watchOutbox(t, s, w.ID)
	if len(items) != len(ns) {
		t.Fatalf("watch %s: %d items, want %d", url, len(items), len(ns))
	}
	return items
}

// wantClaimed fails the test unless got lists the items want, in order,
// each as ListOutbox shows it (its Group included) and leased to owner
// until until.
func wantClaimed(t *testing.T, s store.Store, what string, got []store.OutboxItem, owner string, until time.Time, want ...store.OutboxItem) {
	t.Helper()
	if d := diff(itemIDs(want), itemIDs(got)); d != "" {
		t.Errorf("%s: claimed IDs (-want +got):\n%s", what, d)
		return
	}
	for i, it := range got {
		if it.LeaseOwner != owner || !it.LeaseExpiresAt.Equal(until) || it.State != store.OutboxPending {
			t.Errorf("%s: item %d leased to %q until %v, state %s; want %s until %v, pending", what, it.ID,
				it.LeaseOwner, it.LeaseExpiresAt, it.State, owner, until)
		}
		if it.Group != want[i].Group {
			t.Errorf("%s: item %d in group %q, want %q", what, it.ID, it.Group, want[i].Group)
		}
		if d := diff(outboxItem(t, s, it.ID), it); d != "" {
			t.Errorf("%s: item %d unlike ListOutbox (-ListOutbox +ClaimOutbox):\n%s", what, it.ID, d)
		}
	}
}

// testOutboxGroupRoundTrip: an item's Group is the notification's, "" for
// none, kept byte for byte (200 bytes, any character, case and spaces
// significant) through ListOutbox and ClaimOutbox; groups that differ in
// a byte are distinct.
func testOutboxGroupRoundTrip(t *testing.T, s store.Store) {
	now := base()
	special := `quo"te\ 'it' <&> %_* é ✓ 🎉`
	groups := []string{"", "digest/team-chat/1748766600", strings.Repeat("é", 100), special, "g", "G", "g ", " g"}
	var ns []store.Notification
	for i, g := range groups {
		ns = append(ns, inGroup(notify(fmt.Sprintf("n%d", i), store.NotifyNew), g, time.Time{}))
	}
	// Second items of three groups, due later, to be claimed with them.
	for i, g := range []string{special, "g", "G"} {
		ns = append(ns, inGroup(notify(fmt.Sprintf("m%d", i), store.NotifyNew), g, now.Add(time.Minute)))
	}
	items := changeNotifying(t, s, "https://example.com/outbox/group/round-trip", 0, ns...)
	for i, it := range items {
		if it.Group != ns[i].Group {
			t.Errorf("ListOutbox: item %d (%s) in group %q, want %q", it.ID, it.Notifier, it.Group, ns[i].Group)
		}
		for _, f := range []store.OutboxFilter{{State: store.OutboxPending}, {WatchID: it.WatchID, RevisionSeq: 1}} {
			for _, other := range listOutbox(t, s, f) {
				if other.ID == it.ID && other.Group != it.Group {
					t.Errorf("ListOutbox(%+v): item %d in group %q, want %q", f, it.ID, other.Group, it.Group)
				}
			}
		}
	}
	if !utf8.ValidString(items[2].Group) || len(items[2].Group) != 200 {
		t.Errorf("group of 200 bytes came back as %d bytes", len(items[2].Group))
	}

	// One at a time: each claim takes one item of the first column and,
	// a minute later, the other due items of its group, and nothing of
	// the groups that differ in case or spaces.
	at := now.Add(time.Minute)
	until := at.Add(time.Minute)
	later := map[string]store.OutboxItem{special: items[8], "g": items[9], "G": items[10]}
	for i := range groups {
		want := []store.OutboxItem{items[i]}
		if it, ok := later[groups[i]]; ok {
			want = append(want, it)
		}
		got := claimOutbox(t, s, "owner", at, 1, time.Minute)
		wantClaimed(t, s, fmt.Sprintf("claim %d (group %q)", i, groups[i]), got, "owner", until, want...)
	}
	if got := claimOutbox(t, s, "owner", at, 10, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox after every group was claimed = %v, want none", itemIDs(got))
	}
}

// testOutboxGroupClaim: claiming an item of a group claims every other
// due, pending, unleased item of that group, beyond the limit, and leaves
// the group's items not yet due, sent or dead, and the other groups.
func testOutboxGroupClaim(t *testing.T, s store.Store) {
	now := base()
	lease := 10 * time.Minute
	mail := func(group string, at time.Time) store.Notification {
		return inGroup(notify("mail", store.NotifyNew), group, at)
	}

	// A digest of five changes, due at the end of its window: limit 1
	// claims all five.
	window := now.Add(time.Hour)
	var a []store.OutboxItem
	for i := range 5 {
		a = append(a, changeNotifying(t, s, fmt.Sprintf("https://example.com/outbox/group/a/%d", i), time.Duration(i)*time.Minute,
			mail("digest/a", window))...)
	}
	if got := claimOutbox(t, s, "early", window.Add(-time.Microsecond), 10, lease); len(got) != 0 {
		t.Errorf("ClaimOutbox before the window ends = %v, want none", itemIDs(got))
	}
	got := claimOutbox(t, s, "owner-1", window, 1, lease)
	wantClaimed(t, s, "a digest of 5, limit 1", got, "owner-1", window.Add(lease), a...)
	for _, it := range a {
		finish(t, s, it.ID, "owner-1", sent(window))
	}

	// An ungrouped item due first, then a digest of five, one of its group
	// due later, and another digest due at once: limit 2 claims the
	// ungrouped item and the five, 6 items.
	window = now.Add(2 * time.Hour)
	chat := changeNotifying(t, s, "https://example.com/outbox/group/chat", 0, inGroup(notify("chat", store.NotifyNew), "", window.Add(-time.Minute)))[0]
	var b []store.OutboxItem
	for i := range 5 {
		b = append(b, changeNotifying(t, s, fmt.Sprintf("https://example.com/outbox/group/b/%d", i), time.Duration(i)*time.Minute,
			mail("digest/b", window))...)
	}
	late := changeNotifying(t, s, "https://example.com/outbox/group/b/late", 0, mail("digest/b", now.Add(3*time.Hour)))[0]
	other := changeNotifying(t, s, "https://example.com/outbox/group/c", 0, mail("digest/c", window))[0]
	got = claimOutbox(t, s, "owner-2", window, 2, lease)
	wantClaimed(t, s, "ungrouped then a digest of 5, limit 2", got, "owner-2", window.Add(lease), append([]store.OutboxItem{chat}, b...)...)
	got = claimOutbox(t, s, "owner-3", window, 10, lease)
	wantClaimed(t, s, "the other digest", got, "owner-3", window.Add(lease), other)
	if it := outboxItem(t, s, late.ID); it.LeaseOwner != "" {
		t.Errorf("the digest's item not yet due was leased to %q", it.LeaseOwner)
	}

	// Sent and dead items of the group are never claimed; a failed one
	// due again, the one written late and those whose lease ended are,
	// together.
	finish(t, s, chat.ID, "owner-2", sent(window))
	finish(t, s, other.ID, "owner-3", sent(window))
	finish(t, s, b[0].ID, "owner-2", sent(window))
	finish(t, s, b[1].ID, "owner-2", dead(window))
	finish(t, s, b[2].ID, "owner-2", failed(window, now.Add(3*time.Hour)))
	// b[3] and b[4]: never finished, their lease ended at window+lease.
	got = claimOutbox(t, s, "owner-4", now.Add(3*time.Hour), 1, lease)
	wantClaimed(t, s, "the digest's remaining items", got, "owner-4", now.Add(3*time.Hour+lease), b[3], b[4], b[2], late)
	if got := claimOutbox(t, s, "owner-5", now.Add(3*time.Hour+lease-time.Microsecond), 10, lease); len(got) != 0 {
		t.Errorf("ClaimOutbox with every pending item leased = %v, want none", itemIDs(got))
	}
}

// testOutboxGroupOrder: ClaimOutbox returns the items it chose within the
// limit in claim order (NextAttemptAt, then ID), each group's extra items,
// themselves in that order, right after the group's first.
func testOutboxGroupOrder(t *testing.T, s store.Store) {
	now := base()
	lease := time.Hour
	n := func(label, group string, due time.Duration) store.Notification {
		return inGroup(notify(label, store.NotifyNew), group, now.Add(due))
	}
	// In the order written (ID order); h3 is written first but due after
	// the other items of its group, h2, k1 and h4 are due together.
	ns := []store.Notification{
		n("h3", "H", 5*time.Minute),
		n("x", "", time.Minute),
		n("h1", "H", 2*time.Minute),
		n("y", "", 3*time.Minute),
		n("h2", "H", 4*time.Minute),
		n("k1", "K", 4*time.Minute),
		n("h4", "H", 4*time.Minute),
		n("z", "", 6*time.Minute),
		n("k2", "K", 6*time.Minute),
	}
	items := changeNotifying(t, s, "https://example.com/outbox/group/order", 0, ns...)
	it := map[string]store.OutboxItem{}
	for _, item := range items {
		it[item.Notifier] = item
	}
	at := now.Add(10 * time.Minute)
	// Chosen: x, h1, y; H's extras after h1, by due time then ID.
	got := claimOutbox(t, s, "owner-1", at, 3, lease)
	wantClaimed(t, s, "limit 3", got, "owner-1", at.Add(lease), it["x"], it["h1"], it["h2"], it["h4"], it["h3"], it["y"])
	// Chosen: k1, z; K's extra after k1.
	got = claimOutbox(t, s, "owner-2", at, 2, lease)
	wantClaimed(t, s, "limit 2", got, "owner-2", at.Add(lease), it["k1"], it["k2"], it["z"])

	// Two items of a group among those chosen: the extra ones come right
	// after the first, the second keeps its place.
	ns = []store.Notification{
		n("a1", "A", 20*time.Minute),
		n("w", "", 21*time.Minute),
		n("a2", "A", 22*time.Minute),
		n("b1", "B", 23*time.Minute),
		n("a3", "A", 24*time.Minute),
		n("b2", "B", 25*time.Minute),
		n("a4", "A", 26*time.Minute),
	}
	items = changeNotifying(t, s, "https://example.com/outbox/group/order/2", 0, ns...)
	for _, item := range items {
		it[item.Notifier] = item
	}
	at = now.Add(30 * time.Minute)
	got = claimOutbox(t, s, "owner-3", at, 4, lease)
	wantClaimed(t, s, "two of a group chosen", got, "owner-3", at.Add(lease), it["a1"], it["a3"], it["a4"], it["w"], it["a2"], it["b1"], it["b2"])
}

// testOutboxGroupLeased: an item of a group leased by another owner is
// not taken with the group while its lease runs; once it ended, it is.
func testOutboxGroupLeased(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := base()
	n := func(label, group string, due time.Duration) store.Notification {
		return inGroup(notify(label, store.NotifyNew), group, now.Add(due))
	}
	items := changeNotifying(t, s, "https://example.com/outbox/group/leased", 0,
		n("g0", "G", 0), n("g1", "G", time.Minute), n("g2", "G", time.Minute), n("o", "", time.Minute))
	g0, g1, g2, o := items[0], items[1], items[2], items[3]

	got := claimOutbox(t, s, "other", now, 1, time.Hour)
	wantClaimed(t, s, "the group's first, alone due", got, "other", now.Add(time.Hour), g0)
	at := now.Add(time.Minute)
	got = claimOutbox(t, s, "me", at, 1, 10*time.Minute)
	wantClaimed(t, s, "the group while other holds g0", got, "me", at.Add(10*time.Minute), g1, g2)
	if it := outboxItem(t, s, g0.ID); it.LeaseOwner != "other" || !it.LeaseExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("g0 leased to %q until %v, want other until %v", it.LeaseOwner, it.LeaseExpiresAt, now.Add(time.Hour))
	}
	got = claimOutbox(t, s, "me", at, 10, 10*time.Minute)
	wantClaimed(t, s, "what is left", got, "me", at.Add(10*time.Minute), o)

	// Every lease has ended, none finished: the group goes whole to a new
	// owner, o (no group, beyond the limit) stays.
	at = now.Add(2 * time.Hour)
	got = claimOutbox(t, s, "third", at, 1, time.Minute)
	wantClaimed(t, s, "the group after the leases ended", got, "third", at.Add(time.Minute), g0, g1, g2)
	if it := outboxItem(t, s, o.ID); it.LeaseOwner == "third" {
		t.Errorf("o, of no group and beyond the limit, was claimed with the group")
	}
	wantLeaseLostItem(t, "FinishDelivery by the owner of g0 taken with its group", g0.ID, s.FinishDelivery(ctx, g0.ID, "other", sent(at)))
	wantLeaseLostItem(t, "FinishDelivery by the owner of g1 taken with its group", g1.ID, s.FinishDelivery(ctx, g1.ID, "me", sent(at)))
	for _, it := range []store.OutboxItem{g0, g1, g2} {
		finish(t, s, it.ID, "third", sent(at))
	}
}

// claimAllOutbox records checks asking for deliveries from goroutines on
// each of stores (which share one database), then claims and delivers
// them from perStore goroutines on each until none is left, and checks
// that every item was written once per revision and notifier, and claimed
// by exactly one owner. Two of the three notifiers' items are in groups:
// mail's in two groups that every goroutine writes to, hook's in a group
// per goroutine, so that claims take groups beyond their limit and race
// for them.
func claimAllOutbox(t *testing.T, stores []store.Store, perStore int) {
	ctx := t.Context()
	const each = 5 // checks per goroutine
	notifiers := []string{"chat", "mail", "hook"}
	w := addWatch(t, stores[0], "https://example.com/outbox/busy")
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for si, s := range stores {
		for g := range perStore {
			wg.Go(func() {
				for i := range each {
					r := revisionResult(w.ID, store.OutcomeChanged, time.Duration(si*1000+g*10+i)*time.Second, fmt.Sprint(si, g, i))
					for _, n := range notifiers {
						r.Notify = append(r.Notify, notify(n, store.NotifyChanged))
					}
					r.Notify[1].Group = fmt.Sprintf("digest/mail/%d", i%2)
					r.Notify[2].Group = fmt.Sprintf("digest/hook/%d-%d", si, g)
					_, err := s.RecordCheck(ctx, r)
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent RecordCheck: %v", err)
	}
	revisions := len(stores) * perStore * each
	n := revisions * len(notifiers)
	perSeq := map[int]int{}
	grouped := 0
	for _, it := range listOutbox(t, stores[0], store.OutboxFilter{}) {
		perSeq[it.RevisionSeq]++
		if it.Group != "" {
			grouped++
		}
	}
	if grouped != 2*revisions {
		t.Errorf("%d items in a group, want %d", grouped, 2*revisions)
	}
	if len(perSeq) != revisions {
		t.Errorf("items about %d revisions, want %d", len(perSeq), revisions)
	}
	for seq, k := range perSeq {
		if seq < 1 || seq > revisions || k != len(notifiers) {
			t.Errorf("revision %d has %d items, want %d", seq, k, len(notifiers))
		}
	}

	now := base().Add(24 * time.Hour)
	got := map[int64]string{}
	var claims struct{ beyond int } // claims of more than their limit, thanks to groups
	for si, s := range stores {
		for g := range perStore {
			owner := fmt.Sprintf("store%d-worker%d", si, g)
			wg.Go(func() {
				for {
					items, err := s.ClaimOutbox(ctx, owner, now, 7, time.Hour)
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					}
					if len(items) > 7 {
						claims.beyond++
					}
					for _, it := range items {
						if prev, dup := got[it.ID]; dup {
							errs = append(errs, fmt.Errorf("item %d claimed by %s and by %s", it.ID, prev, owner))
						}
						got[it.ID] = owner
						if it.LeaseOwner != owner {
							errs = append(errs, fmt.Errorf("item %d claimed by %s shows owner %q", it.ID, owner, it.LeaseOwner))
						}
					}
					mu.Unlock()
					if err != nil || len(items) == 0 {
						return
					}
					for i, it := range items {
						d := sent(now)
						if i%3 == 1 {
							d = failed(now, now.Add(time.Hour)) // due again later, not now
						}
						if err := s.FinishDelivery(ctx, it.ID, owner, d); err != nil {
							mu.Lock()
							errs = append(errs, err)
							mu.Unlock()
						}
					}
				}
			})
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent ClaimOutbox: %v", err)
	}
	if len(got) != n {
		t.Errorf("%d items claimed, want %d", len(got), n)
	}
	if claims.beyond == 0 {
		t.Errorf("no claim took a group beyond its limit of 7")
	}
	for si, s := range stores {
		items := listOutbox(t, s, store.OutboxFilter{})
		for _, it := range items {
			if it.Attempts != 1 || it.LeaseOwner != "" {
				t.Errorf("store %d: item %d after one claim: %d attempts, leased to %q; want 1 and none", si, it.ID, it.Attempts, it.LeaseOwner)
			}
		}
		if c, err := s.CountOutbox(ctx); err != nil || c[store.OutboxSent]+c[store.OutboxPending] != int64(n) || c[store.OutboxDead] != 0 {
			t.Errorf("store %d: CountOutbox = %v, %v; want %d sent or pending", si, c, err, n)
		}
	}
	if items := claimOutbox(t, stores[0], "late", now, n, time.Hour); len(items) != 0 {
		t.Errorf("ClaimOutbox after all were claimed = %v, want none", itemIDs(items))
	}
}

// testConcurrentClaimOutbox: goroutines of one store writing and claiming
// items never write one twice nor claim one twice.
func testConcurrentClaimOutbox(t *testing.T, s store.Store) {
	claimAllOutbox(t, []store.Store{s}, 8)
}

// testSharedConcurrentClaimOutbox: the same across stores sharing one
// database, as several processes.
func testSharedConcurrentClaimOutbox(t *testing.T, stores []store.Store) {
	claimAllOutbox(t, stores, 3)
}

// testSharedOutboxLease: an item claimed in one store is seen leased from
// another, which takes it over once the lease has ended; the first store's
// owner then finds it lost.
func testSharedOutboxLease(t *testing.T, stores []store.Store) {
	ctx := t.Context()
	now := base()
	a, b := stores[0], stores[1]
	w := addWatch(t, a, "https://example.com/outbox/shared-lease")
	r := revisionResult(w.ID, store.OutcomeNew, 0, "one")
	r.Notify = []store.Notification{notify("chat", store.NotifyNew)}
	record(t, a, r)
	got := claimOutbox(t, a, "a", now, 1, time.Minute)
	if len(got) != 1 {
		t.Fatalf("ClaimOutbox in store a = %v, want one item", itemIDs(got))
	}
	id := got[0].ID
	if it := outboxItem(t, b, id); it.LeaseOwner != "a" || !it.LeaseExpiresAt.Equal(now.Add(time.Minute)) {
		t.Errorf("seen from store b: item leased to %q until %v, want a until %v", it.LeaseOwner, it.LeaseExpiresAt, now.Add(time.Minute))
	}
	if got := claimOutbox(t, b, "b", now.Add(30*time.Second), 1, time.Minute); len(got) != 0 {
		t.Errorf("ClaimOutbox in store b during a's lease = %v, want none", itemIDs(got))
	}
	if got := claimOutbox(t, b, "b", now.Add(2*time.Minute), 1, time.Minute); len(got) != 1 || got[0].ID != id {
		t.Fatalf("ClaimOutbox in store b after a's lease = %v, want item %d", itemIDs(got), id)
	}
	wantLeaseLostItem(t, "FinishDelivery in store a", id, a.FinishDelivery(ctx, id, "a", sent(now.Add(2*time.Minute))))
	finish(t, b, id, "b", sent(now.Add(2*time.Minute)))
	if it := outboxItem(t, a, id); it.State != store.OutboxSent || it.Attempts != 1 || it.LeaseOwner != "" {
		t.Errorf("seen from store a after b delivered: %+v, want sent after 1 attempt, no lease", it)
	}
}
