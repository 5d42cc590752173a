package checkstate

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/redlinehq/redline/store"
)

func TestValidateNotification(t *testing.T) {
	t.Parallel()
	ok := store.Notification{Notifier: "team-chat_2", On: store.NotifyNew, Payload: json.RawMessage(` {"a": [1]} `)}
	for _, on := range []string{store.NotifyNew, store.NotifyChanged, store.EventFailing, store.EventRecovered} {
		n := ok
		n.On = on
		if err := ValidateNotification(n); err != nil {
			t.Errorf("ValidateNotification(On %s) = %v", on, err)
		}
	}
	n := ok
	n.Notifier = strings.Repeat("x", MaxNotifier)
	if err := ValidateNotification(n); err != nil {
		t.Errorf("ValidateNotification(%d-character name) = %v", MaxNotifier, err)
	}
	for _, g := range []string{"digest/team/1748766600", "é", strings.Repeat("x", MaxGroup), strings.Repeat("é", MaxGroup/2), " "} {
		n := ok
		n.Group = g
		if err := ValidateNotification(n); err != nil {
			t.Errorf("ValidateNotification(Group %.20q…, %d bytes) = %v", g, len(g), err)
		}
	}
	tests := []struct {
		name   string
		modify func(*store.Notification)
		want   string
	}{
		{"empty name", func(n *store.Notification) { n.Notifier = "" }, "1 to 64"},
		{"long name", func(n *store.Notification) { n.Notifier = strings.Repeat("x", MaxNotifier+1) }, "1 to 64"},
		{"space", func(n *store.Notification) { n.Notifier = "team chat" }, "character ' '"},
		{"not ASCII", func(n *store.Notification) { n.Notifier = "café" }, "character"},
		{"unknown On", func(n *store.Notification) { n.On = "unchanged" }, `unknown On "unchanged"`},
		{"empty On", func(n *store.Notification) { n.On = "" }, "unknown On"},
		{"no payload", func(n *store.Notification) { n.Payload = nil }, "not a JSON object"},
		{"array", func(n *store.Notification) { n.Payload = json.RawMessage(`[]`) }, "not a JSON object"},
		{"invalid", func(n *store.Notification) { n.Payload = json.RawMessage(`{"a":}`) }, "not a JSON object"},
		{"not UTF-8", func(n *store.Notification) { n.Payload = json.RawMessage("{\"a\":\"\xff\"}") }, "not a JSON object"},
		{"long group", func(n *store.Notification) { n.Group = strings.Repeat("x", MaxGroup+1) }, "group of 201 bytes, want at most 200"},
		{"long group of runes", func(n *store.Notification) { n.Group = strings.Repeat("é", MaxGroup/2) + "x" }, "group of 201 bytes"},
		{"group not UTF-8", func(n *store.Notification) { n.Group = "digest\xff" }, "not valid UTF-8"},
		{"group cut in a rune", func(n *store.Notification) { n.Group = "é"[:1] }, "not valid UTF-8"},
		{"group with NUL", func(n *store.Notification) { n.Group = "a\x00b" }, "contains NUL"},
	}
	for _, tt := range tests {
		n := ok
		tt.modify(&n)
		if err := ValidateNotification(n); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ValidateNotification = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}

	// Through Validate, with the notification's index; duplicates refused.
	r := store.CheckResult{WatchID: 1, StartedAt: t0, Outcome: store.OutcomeUnchanged,
		Notify: []store.Notification{ok, {Notifier: "x", On: "nope", Payload: ok.Payload}}}
	if err := Validate(r); err == nil || !strings.Contains(err.Error(), "notification 1") {
		t.Errorf("Validate(bad notification) = %v, want it named", err)
	}
	r.Notify = []store.Notification{ok, {Notifier: "other", On: ok.On, Payload: ok.Payload}, ok}
	if err := Validate(r); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("Validate(duplicate notification) = %v, want a refusal", err)
	}
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	payload := json.RawMessage(`{"k":1}`)
	// b's notifications are of a group, a's of none.
	group := map[string]string{"a": "", "b": "digest/b"}
	all := func(notifier string, notBefore time.Time) []store.Notification {
		var ns []store.Notification
		for _, on := range []string{store.NotifyNew, store.NotifyChanged, store.EventFailing, store.EventRecovered} {
			ns = append(ns, store.Notification{Notifier: notifier, On: on, Payload: payload, NotBefore: notBefore, Group: group[notifier]})
		}
		return ns
	}
	later := time.Date(2025, 3, 1, 14, 0, 0, 1_999, time.FixedZone("X", 3600))
	item := func(kind string, seq int, event int64, notifier string, next time.Time) store.OutboxItem {
		ref := int64(seq) + event
		return store.OutboxItem{WatchID: 7, Notifier: notifier, Kind: kind, RevisionSeq: seq, EventID: event,
			Key: OutboxKey(7, kind, ref, notifier), Payload: payload, Group: group[notifier], State: store.OutboxPending,
			CreatedAt: t0, NextAttemptAt: next}
	}
	tests := []struct {
		name    string
		outcome store.Outcome
		seq     int
		ev      store.Event
		want    []store.OutboxItem
	}{
		{"new", store.OutcomeNew, 1, store.Event{}, []store.OutboxItem{
			item(store.NotifyNew, 1, 0, "a", t0), item(store.NotifyNew, 1, 0, "b", time.Date(2025, 3, 1, 13, 0, 0, 1_000, time.UTC))}},
		{"changed and recovered", store.OutcomeChanged, 4, store.Event{ID: 9, Kind: store.EventRecovered}, []store.OutboxItem{
			item(store.NotifyChanged, 4, 0, "a", t0), item(store.EventRecovered, 0, 9, "a", t0),
			item(store.NotifyChanged, 4, 0, "b", later.Truncate(time.Microsecond).UTC()),
			item(store.EventRecovered, 0, 9, "b", later.Truncate(time.Microsecond).UTC())}},
		{"failing", store.OutcomeError, 0, store.Event{ID: 3, Kind: store.EventFailing}, []store.OutboxItem{
			item(store.EventFailing, 0, 3, "a", t0), item(store.EventFailing, 0, 3, "b", later.Truncate(time.Microsecond).UTC())}},
		{"nothing", store.OutcomeUnchanged, 0, store.Event{}, nil},
	}
	for _, tt := range tests {
		r := store.CheckResult{WatchID: 7, StartedAt: t0, Outcome: tt.outcome, Notify: append(all("a", time.Time{}), all("b", later)...)}
		got := Outbox(r, tt.seq, tt.ev)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: Outbox (-want +got):\n%s", tt.name, d)
		}
	}
	if k := OutboxKey(12, store.NotifyChanged, 5, "team-chat"); k != "12-changed-5-team-chat" {
		t.Errorf("OutboxKey = %q, want the documented example", k)
	}
}

func TestValidateDelivery(t *testing.T) {
	t.Parallel()
	good := []store.Delivery{
		{State: store.OutboxSent, At: t0},
		{State: store.OutboxSent, At: t0, Error: "ignored"},
		{State: store.OutboxPending, At: t0, NextAttemptAt: t1, Error: "503"},
		{State: store.OutboxPending, NextAttemptAt: t1, Error: "503"},
		{State: store.OutboxDead, At: t0, Error: "410"},
	}
	for _, d := range good {
		if err := ValidateDelivery(d); err != nil {
			t.Errorf("ValidateDelivery(%+v) = %v", d, err)
		}
	}
	bad := []store.Delivery{
		{},
		{State: "delivered", At: t0},
		{State: store.OutboxSent},
		{State: store.OutboxPending, At: t0, Error: "503"},
		{State: store.OutboxPending, At: t0, NextAttemptAt: t1},
		{State: store.OutboxDead, At: t0},
	}
	for _, d := range bad {
		if err := ValidateDelivery(d); err == nil {
			t.Errorf("ValidateDelivery(%+v) = nil, want a refusal", d)
		}
	}
}

func TestDeliveryError(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"boom", "boom"},
		{strings.Repeat("a", MaxDeliveryError), strings.Repeat("a", MaxDeliveryError)},
		{strings.Repeat("a", MaxDeliveryError+1), strings.Repeat("a", MaxDeliveryError)},
		{strings.Repeat("a", MaxDeliveryError-1) + "é", strings.Repeat("a", MaxDeliveryError-1)},
		{strings.Repeat("a", MaxDeliveryError-2) + "é", strings.Repeat("a", MaxDeliveryError-2) + "é"},
		{strings.Repeat("🎉", 513), strings.Repeat("🎉", 512)},
		{"bad \xff\xfe byte", "bad \uFFFD byte"},
		{"nul\x00", "nul\uFFFD"},
	}
	for _, tt := range tests {
		got := DeliveryError(tt.in)
		if got != tt.want || !utf8.ValidString(got) || len(got) > MaxDeliveryError {
			t.Errorf("DeliveryError(%.20q… %d bytes) = %.20q… %d bytes, want %.20q… %d bytes", tt.in, len(tt.in), got, len(got), tt.want, len(tt.want))
		}
	}
}

func TestValidateOutboxFilter(t *testing.T) {
	t.Parallel()
	for _, f := range []store.OutboxFilter{{}, {State: store.OutboxDead, Limit: -1}, {WatchID: 3, RevisionSeq: 2}} {
		if err := ValidateOutboxFilter(f); err != nil {
			t.Errorf("ValidateOutboxFilter(%+v) = %v", f, err)
		}
	}
	for _, f := range []store.OutboxFilter{{State: "gone"}, {RevisionSeq: 2}} {
		if err := ValidateOutboxFilter(f); err == nil {
			t.Errorf("ValidateOutboxFilter(%+v) = nil, want a refusal", f)
		}
	}
}

func TestCompareOutbox(t *testing.T) {
	t.Parallel()
	a := store.OutboxItem{ID: 5, NextAttemptAt: t0}
	b := store.OutboxItem{ID: 2, NextAttemptAt: t1}
	c := store.OutboxItem{ID: 6, NextAttemptAt: t0}
	if CompareOutbox(a, b) >= 0 || CompareOutbox(a, c) >= 0 || CompareOutbox(c, a) <= 0 || CompareOutbox(a, a) != 0 {
		t.Error("CompareOutbox does not order by NextAttemptAt, then ID")
	}
}

func TestOutboxGroups(t *testing.T) {
	t.Parallel()
	items := []store.OutboxItem{{ID: 1}, {ID: 2, Group: "b"}, {ID: 3, Group: "a"}, {ID: 4}, {ID: 5, Group: "b"}, {ID: 6, Group: "c"}}
	if d := cmp.Diff([]string{"b", "a", "c"}, OutboxGroups(items)); d != "" {
		t.Errorf("OutboxGroups (-want +got):\n%s", d)
	}
	if got := OutboxGroups([]store.OutboxItem{{ID: 1}}); len(got) != 0 {
		t.Errorf("OutboxGroups(no group) = %q, want none", got)
	}
}

func TestClaimOrder(t *testing.T) {
	t.Parallel()
	it := func(id int64, at time.Time, group string) store.OutboxItem {
		return store.OutboxItem{ID: id, NextAttemptAt: at, Group: group}
	}
	ids := func(items []store.OutboxItem) []int64 {
		out := []int64{}
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	tests := []struct {
		name           string
		claimed, extra []store.OutboxItem
		want           []int64
	}{
		{"nothing", nil, nil, []int64{}},
		{"no group", []store.OutboxItem{it(2, t0, ""), it(1, t0, "")}, nil, []int64{1, 2}},
		{"a whole group", []store.OutboxItem{it(1, t0, "g")}, []store.OutboxItem{it(5, t1, "g"), it(3, t0, "g"), it(4, t0, "g")},
			[]int64{1, 3, 4, 5}},
		{"after the group's first", // claimed 2 (g) comes later in claim order; g's extras right after 1
			[]store.OutboxItem{it(1, t0, "g"), it(9, t0, ""), it(2, t1, "g")},
			[]store.OutboxItem{it(7, t1, "g"), it(8, t1, "g")},
			[]int64{1, 7, 8, 9, 2}},
		{"two groups", // claimed in disorder (a re-checked row), sorted
			[]store.OutboxItem{it(6, t1, "h"), it(1, t0, ""), it(2, t0, "g")},
			[]store.OutboxItem{it(10, t1, "g"), it(11, t1, "h"), it(12, t1, "g")},
			[]int64{1, 2, 10, 12, 6, 11}},
		{"an extra of no claimed group", []store.OutboxItem{it(1, t0, "g")}, []store.OutboxItem{it(3, t0, "x"), it(2, t0, "g")},
			[]int64{1, 2, 3}},
	}
	for _, tt := range tests {
		claimed, extra := slices.Clone(tt.claimed), slices.Clone(tt.extra)
		if d := cmp.Diff(tt.want, ids(ClaimOrder(tt.claimed, tt.extra))); d != "" {
			t.Errorf("%s: ClaimOrder (-want +got):\n%s", tt.name, d)
		}
		if !slices.Equal(ids(claimed), ids(tt.claimed)) || !slices.Equal(ids(extra), ids(tt.extra)) {
			t.Errorf("%s: ClaimOrder modified its arguments", tt.name)
		}
	}
}
