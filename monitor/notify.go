package monitor

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/notify"
	"github.com/redlinehq/redline/store"
)

// notifications returns the deliveries a check asks the store for: one per
// route of the watch whose conditions the check meets, for each thing the
// check may record (its revision; a failing or recovered event, which the
// store writes only if the check causes it). Conditions are decided here,
// once, when the check is recorded: a route changed later does not
// reconsider past changes.
func (c *Checker) notifications(a *attempt) ([]store.Notification, error) {
	if c.routes == nil {
		return nil, nil
	}
	routes := c.routes(a.w)
	if len(routes) == 0 {
		return nil, nil
	}
	w, res, rec := a.w, a.res, a.rec
	base := notify.Message{Version: notify.Version, Watch: notify.Watch{ID: w.ID, Name: w.Name, URL: w.URL, Tags: w.Tags}}

	// What this check may record, each with the message about it, encoded
	// once for all the routes that want it.
	type offer struct {
		on    string
		m     notify.Message
		wants func(config.Route) bool
	}
	var offers []offer
	if rec.Revision != nil && (res.Outcome == store.OutcomeNew || res.Outcome == store.OutcomeChanged) {
		m := base
		m.Event = notify.EventChanged
		m.Revision = &notify.Revision{Old: res.Revision, OldFetchedAt: res.PreviousAt, FetchedAt: rec.Revision.FetchedAt}
		m.Title = titleOf(rec.Revision.Text)
		on := store.NotifyChanged
		if res.Outcome == store.OutcomeNew {
			m.Event, on = notify.EventNew, store.NotifyNew
			m.Revision.Old = 0
		} else if res.Change != nil {
			m.Class, m.ClassDescription, m.Summary = string(res.Class), res.Class.Describe(), res.Summary
			st := res.Change.Stats
			m.Stats = &notify.Stats{ParagraphsAdded: st.ParagraphsAdded, ParagraphsRemoved: st.ParagraphsRemoved, ParagraphsChanged: st.ParagraphsChanged,
				ParagraphsMoved: st.ParagraphsMoved, WordsAdded: st.WordsAdded, WordsRemoved: st.WordsRemoved}
			m.Added, m.Removed = changedLines(*res.Change)
			m.Diff = res.Change.Unified(fmt.Sprintf("revision %d", res.Revision), fmt.Sprintf("revision %d", res.Revision+1), 3)
		}
		offers = append(offers, offer{on, m, func(r config.Route) bool { return routeWants(r, res, m) }})
	}
	// The health event this outcome may cause (failing after an error,
	// recovered after errors); the store writes it only if the check does
	// cause it.
	onErrors := func(r config.Route) bool { return slices.Contains(r.On, config.OnErrors) }
	if res.Outcome == store.OutcomeError {
		m := base
		m.Event = notify.EventFailing
		m.Health = &notify.Health{State: "failing", ConsecutiveErrors: w.State.ConsecutiveErrors + 1, Error: rec.Error, At: a.started}
		offers = append(offers, offer{store.EventFailing, m, onErrors})
	} else if w.State.ConsecutiveErrors > 0 {
		m := base
		m.Event = notify.EventRecovered
		m.Health = &notify.Health{State: "ok", ConsecutiveErrors: w.State.ConsecutiveErrors, At: a.started}
		offers = append(offers, offer{store.EventRecovered, m, onErrors})
	}

	now := c.now()
	var out []store.Notification
	for _, o := range offers {
		var payload json.RawMessage
		for _, r := range routes {
			if !o.wants(r) {
				continue
			}
			if payload == nil {
				p, err := json.Marshal(o.m)
				if err != nil {
					return nil, fmt.Errorf("encode the %s message of %s: %w", o.on, w.URL, err)
				}
				payload = p
			}
			n := store.Notification{Notifier: r.To, On: o.on, Payload: payload}
			at := now
			if r.DigestSpec != nil {
				// Collected until the digest's next firing, and sent with
				// the route's other messages of that window as one.
				at = r.DigestSpec.Firing(now)
				n.Group = fmt.Sprintf("digest/%s/%d", r.To, at.Unix())
			}
			if at = r.Quiet.Until(at); at.After(now) {
				n.NotBefore = at
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// routeWants reports whether route r is on the revision of res, whose
// message is m.
func routeWants(r config.Route, res Result, m notify.Message) bool {
	if res.Outcome == store.OutcomeNew {
		return slices.Contains(r.On, config.OnNew)
	}
	if res.Class == diff.ClassExtractorUpdate {
		// Not an edit the page is known to have made: only for routes
		// that ask for it by name.
		return slices.Contains(r.On, string(res.Class))
	}
	kind := config.OnBody
	switch res.Class {
	case diff.ClassHeadline:
		kind = config.OnHeadline
	case diff.ClassMetadataOnly:
		kind = config.OnMetadata
	}
	if !slices.Contains(r.On, kind) && !slices.Contains(r.On, string(res.Class)) {
		return false
	}
	if m.Stats != nil && m.Stats.WordsAdded+m.Stats.WordsRemoved < r.MinWords {
		return false
	}
	if len(r.Contains) == 0 && len(r.NotContains) == 0 {
		return true
	}
	added := strings.ToLower(strings.Join(m.Added, "\n"))
	for _, s := range r.NotContains {
		if strings.Contains(added, strings.ToLower(s)) {
			return false
		}
	}
	if len(r.Contains) == 0 {
		return true
	}
	for _, s := range r.Contains {
		if strings.Contains(added, strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// changedLines returns the added and removed lines of c (the two sides of
// edited lines included, moved ones and blank ones left out).
func changedLines(c diff.Change) (added, removed []string) {
	for _, l := range c.Lines {
		if l.MovedTo != 0 || strings.TrimSpace(l.Text) == "" {
			continue
		}
		switch l.Op {
		case diff.Insert:
			added = append(added, l.Text)
		case diff.Delete:
			removed = append(removed, l.Text)
		}
	}
	return added, removed
}

// titleOf returns the headline of a canonical text, "" when it has none.
func titleOf(text string) string {
	if t, ok := strings.CutPrefix(text, "# "); ok {
		t, _, _ = strings.Cut(t, "\n")
		return t
	}
	return ""
}
