package config

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/redlinehq/redline/schedule"
)

// NotifierTypes are the notifier types the config accepts (the notify
// package's registry has one constructor for each).
var NotifierTypes = []string{"command", "email", "shoutrrr", "webhook"}

// Notifier declares one channel notifications go through, under a name
// that routes refer to. Which fields a type uses is documented in the
// README; the notify package checks the values in depth (URL syntax,
// addresses) when redline starts.
type Notifier struct {
	Name     string
	Type     string // one of NotifierTypes
	URL      string // webhook endpoint, shoutrrr service URL, or smtp:// server
	Secret   string // webhook signing secret
	Headers  map[string]string
	Command  []string // command: program and arguments
	From     string   // email sender
	To       []string // email recipients
	Template string   // message template (shoutrrr; email's text part)
	// HTMLTemplate is an email notifier's HTML part template.
	HTMLTemplate string
	Timeout      time.Duration
	Pos          Position // where the notifier is declared
}

// What a route may be on (Route.On).
const (
	OnNew      = "new"      // the first capture of a watch (not a change)
	OnBody     = "body"     // a revision whose class is about the body: correction, major-rewrite, declared-update, append-only, silent-edit
	OnHeadline = "headline" // a revision of class headline
	OnMetadata = "metadata" // a revision of class metadata-only
	OnErrors   = "errors"   // the watch became failing, or recovered
)

// onValues are the values On accepts; the revision classes are accepted
// too, to pick one exactly.
var onValues = []string{OnNew, OnBody, OnHeadline, OnMetadata, OnErrors,
	"correction", "major-rewrite", "declared-update", "append-only", "silent-edit", "metadata-only", "extractor-update"}

// DefaultOn is what a route is on when it does not say: every revision
// that is a change, and the watch's health.
var DefaultOn = []string{OnBody, OnHeadline, OnMetadata, OnErrors}

// Route sends a watch's events to one notifier, on conditions.
type Route struct {
	To string // the notifier's name
	// On lists what the route is on (the On constants or revision class
	// names); DefaultOn when the file does not say.
	On []string
	// MinWords: a change of fewer words (added plus removed) is not sent.
	MinWords int
	// Contains and NotContains look at the added text only, case
	// insensitively: the change is sent when it adds text containing one
	// of Contains (any, when empty) and none of NotContains.
	Contains, NotContains []string
	// Quiet holds deliveries back during a daily window.
	Quiet *QuietHours
	// Digest, when set, collects the route's messages and sends them as
	// one at each firing of this schedule (a cron spec or @every; not
	// adaptive). DigestSpec is Digest parsed.
	Digest     string
	DigestSpec *schedule.Spec
	Pos        Position
}

// QuietHours is a daily window, such as 22:00–07:00 in Europe/Paris, in
// which deliveries wait; they go out when it ends.
type QuietHours struct {
	Start, End time.Duration // since midnight; End < Start spans midnight
	Loc        *time.Location
}

// Until returns when the quiet window around t ends, or t itself when t is
// not in a quiet window.
func (q *QuietHours) Until(t time.Time) time.Time {
	if q == nil || q.Start == q.End {
		return t
	}
	lt := t.In(q.Loc)
	midnight := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, q.Loc)
	since := lt.Sub(midnight)
	at := func(days int, d time.Duration) time.Time {
		// Wall-clock time of day, so a DST change moves nothing.
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		return time.Date(lt.Year(), lt.Month(), lt.Day()+days, h, m, 0, 0, q.Loc)
	}
	switch {
	case q.Start < q.End && since >= q.Start && since < q.End:
		return at(0, q.End)
	case q.Start > q.End && since >= q.Start:
		return at(1, q.End)
	case q.Start > q.End && since < q.End:
		return at(0, q.End)
	}
	return t
}

// Tag holds settings given to every watch carrying a tag.
type Tag struct {
	// Notify are the routes of the tag's watches that declare none.
	Notify []Route
	Pos    Position
}

// Outbox configures the delivery of notifications.
type Outbox struct {
	// MaxAttempts is the number of attempts after which a delivery is
	// given up (dead); default 10.
	MaxAttempts int
	// MaxAge is how long a failing delivery is retried; default 72h.
	MaxAge time.Duration
	// MinBackoff and MaxBackoff bound the wait before retrying a failed
	// delivery: MinBackoff after the first failure, doubling, at most
	// MaxBackoff; defaults 30s and 1h.
	MinBackoff, MaxBackoff time.Duration
}

// Routes returns the routes of a watch with these tags and these routes of
// its own (nil when it declares none): its own when it declares any (an
// empty list declares "none"), else those of its tags that declare some
// (in tag order, a notifier listed by two tags once), else the defaults'.
func (c *Config) Routes(tags []string, own []Route) []Route {
	if own != nil {
		return own
	}
	var out []Route
	seen := map[string]bool{}
	found := false
	for _, t := range tags {
		tg, ok := c.Tags[t]
		if !ok || tg.Notify == nil {
			continue
		}
		found = true
		for _, r := range tg.Notify {
			if !seen[r.To] {
				seen[r.To] = true
				out = append(out, r)
			}
		}
	}
	if found {
		return out
	}
	return c.Defaults.Notify
}

// validNotifierName reports whether s may name a notifier: the outbox
// stores the name and idempotency keys carry it.
func validNotifierName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		switch {
		case c == '-', c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// notifiers decodes the notifiers mapping.
func (d *decoder) notifiers(n *yaml.Node, cfg *Config) {
	n = resolve(n)
	switch {
	case isNull(n):
		return
	case n.Kind != yaml.MappingNode:
		d.errorf(n, "", "notifiers", "expected a mapping of names to notifiers, got %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		name := k.Value
		ctx := fmt.Sprintf("notifier %q", name)
		if k.Kind != yaml.ScalarNode || !validNotifierName(name) {
			d.errorf(k, "notifiers", "", "invalid notifier name %s (1 to 64 letters, digits, '-' or '_')", describe(k))
			continue
		}
		if slices.ContainsFunc(cfg.Notifiers, func(o Notifier) bool { return o.Name == name }) {
			d.errorf(k, "notifiers", "", "notifier %q is declared twice", name)
			continue
		}
		nt := Notifier{Name: name, Pos: d.pos(k)}
		if v.Kind != yaml.MappingNode {
			d.errorf(v, ctx, "", "expected a mapping, got %s", describe(v))
			continue
		}
		var typ src
		d.fields(v, ctx, []string{"type", "url", "secret", "headers", "command", "from", "to", "template", "html_template", "timeout"}, func(key string, v *yaml.Node) {
			var s src
			switch key {
			case "type":
				nt.Type, typ = d.str(v, ctx, key)
			case "url":
				nt.URL, _ = d.str(v, ctx, key)
			case "secret":
				nt.Secret, _ = d.str(v, ctx, key)
			case "from":
				nt.From, _ = d.str(v, ctx, key)
			case "template":
				nt.Template, _ = d.str(v, ctx, key)
			case "html_template":
				nt.HTMLTemplate, _ = d.str(v, ctx, key)
			case "to":
				nt.To = d.strOrList(v, ctx, key)
			case "command":
				nt.Command, _ = d.list(v, ctx, key)
			case "timeout":
				if dur, ok := d.duration(v, ctx, key, &s); ok {
					if dur <= 0 {
						d.errorAt(s.pos, ctx, key, "must be greater than zero, got %s", dur)
					}
					nt.Timeout = dur
				}
			case "headers":
				d.fieldsAny(v, ctx+".headers", func(k, v *yaml.Node) {
					val, st := d.str(v, ctx+".headers", k.Value)
					if st.st != good {
						return
					}
					if nt.Headers == nil {
						nt.Headers = map[string]string{}
					}
					nt.Headers[k.Value] = val
				})
			}
		})
		switch {
		case typ.st == absent:
			d.errorAt(nt.Pos, ctx, "type", "missing (one of %s)", strings.Join(NotifierTypes, ", "))
		case typ.st == good && !slices.Contains(NotifierTypes, nt.Type):
			d.errorAt(typ.pos, ctx, "type", "unknown type %q (one of %s)", nt.Type, strings.Join(NotifierTypes, ", "))
		case typ.st == good:
			d.checkNotifier(nt, ctx)
		}
		cfg.Notifiers = append(cfg.Notifiers, nt)
	}
}

// checkNotifier checks that a notifier has what its type needs; the notify
// package checks the values themselves when redline starts.
func (d *decoder) checkNotifier(n Notifier, ctx string) {
	need := func(ok bool, key string) {
		if !ok {
			d.errorAt(n.Pos, ctx, key, "missing (required for type %s)", n.Type)
		}
	}
	switch n.Type {
	case "webhook", "shoutrrr":
		need(n.URL != "", "url")
	case "email":
		need(n.URL != "", "url")
		need(n.From != "", "from")
		need(len(n.To) > 0, "to")
	case "command":
		need(len(n.Command) > 0, "command")
	}
	if n.Type == "webhook" && n.URL != "" {
		if u, err := url.Parse(n.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.errorAt(n.Pos, ctx, "url", "%q is not an absolute http(s) URL", redactURL(n.URL))
		}
	}
}

// redactURL hides the password of a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// fieldsAny calls f for each key and value of mapping n, keys being any
// strings (header names).
func (d *decoder) fieldsAny(n *yaml.Node, ctx string, f func(k, v *yaml.Node)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ctx, "", "expected a mapping, got %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.errorf(k, ctx, "", "expected a name, got %s", describe(k))
			continue
		}
		f(k, n.Content[i+1])
	}
}

// strOrList decodes a string or a list of strings.
func (d *decoder) strOrList(n *yaml.Node, ctx, key string) []string {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode {
		v, st := d.str(n, ctx, key)
		if st.st == good && v != "" {
			return []string{v}
		}
		return nil
	}
	l, _ := d.list(n, ctx, key)
	return l
}

// routes decodes a notify key: a list whose elements are a notifier name
// or a mapping {to: name, on: [...], min_words: N, contains: [...],
// not_contains: [...], quiet_hours: "22:00-07:00 Europe/Paris"}. null is
// absent (nil); an empty list is "none" (non-nil, empty).
func (d *decoder) routes(n *yaml.Node, ctx string) []Route {
	n = resolve(n)
	switch {
	case isNull(n):
		return nil
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, ctx, "notify", "expected a list of notifier names or routes, got %s", describe(n))
		return nil
	}
	out := []Route{}
	for _, e := range n.Content {
		e = resolve(e)
		r := Route{Pos: d.pos(e), On: DefaultOn}
		switch e.Kind {
		case yaml.ScalarNode:
			r.To, _ = d.str(e, ctx, "notify")
		case yaml.MappingNode:
			rctx := ctx + ": notify"
			var to src
			d.fields(e, rctx, []string{"to", "on", "min_words", "contains", "not_contains", "quiet_hours", "digest"}, func(key string, v *yaml.Node) {
				switch key {
				case "digest":
					if spec, st := d.str(v, rctx, key); st.st == good {
						sp, err := schedule.Parse(spec)
						switch {
						case err != nil:
							d.errorAt(st.pos, rctx, key, "%v", err)
						case sp.IsAdaptive():
							d.errorAt(st.pos, rctx, key, "a digest needs a cron spec or @every, not adaptive")
						default:
							r.Digest, r.DigestSpec = spec, &sp
						}
					}
				case "to":
					r.To, to = d.str(v, rctx, key)
				case "on":
					if on, ls := d.list(v, rctx, key); ls.st == good {
						if len(on) == 0 {
							d.errorAt(ls.pos, rctx, key, "is empty: the route would send nothing (remove it, or list what it is on)")
						}
						for i, o := range on {
							if !slices.Contains(onValues, o) {
								d.errorAt(ls.elems[i], rctx, key, "unknown value %q (one of %s)", o, strings.Join(onValues, ", "))
							}
						}
						r.On = on
					}
				case "min_words":
					var s src
					if m, ok := d.integer(v, rctx, key, &s); ok {
						if m < 0 {
							d.errorAt(s.pos, rctx, key, "must not be negative, got %d", m)
						}
						r.MinWords = m
					}
				case "contains":
					r.Contains = d.strOrList(v, rctx, key)
				case "not_contains":
					r.NotContains = d.strOrList(v, rctx, key)
				case "quiet_hours":
					if q, st := d.str(v, rctx, key); st.st == good {
						qh, err := parseQuietHours(q)
						if err != nil {
							d.errorAt(st.pos, rctx, key, "%v", err)
						}
						r.Quiet = qh
					}
				}
			})
			if to.st == absent {
				d.errorAt(r.Pos, rctx, "to", "missing: the name of the notifier")
			}
		default:
			d.errorf(e, ctx, "notify", "expected a notifier name or a route mapping, got %s", describe(e))
			continue
		}
		out = append(out, r)
	}
	return out
}

// parseQuietHours parses "HH:MM-HH:MM" with an optional time zone after a
// space ("22:00-07:00 Europe/Paris"; UTC when none).
func parseQuietHours(s string) (*QuietHours, error) {
	window, zone, _ := strings.Cut(strings.TrimSpace(s), " ")
	from, to, ok := strings.Cut(window, "-")
	q := &QuietHours{Loc: time.UTC}
	var err1, err2 error
	q.Start, err1 = timeOfDay(from)
	q.End, err2 = timeOfDay(to)
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf(`invalid window %q (want "HH:MM-HH:MM", optionally followed by a time zone such as Europe/Paris)`, s)
	}
	if zone = strings.TrimSpace(zone); zone != "" {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return nil, fmt.Errorf("unknown time zone %q", zone)
		}
		q.Loc = loc
	}
	if q.Start == q.End {
		return nil, fmt.Errorf("window %q is empty: start and end are equal", s)
	}
	return q, nil
}

// timeOfDay parses "HH:MM" as a duration since midnight.
func timeOfDay(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("invalid time %q", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// tags decodes the tags mapping: tag name → {notify: routes}.
func (d *decoder) tags(n *yaml.Node, cfg *Config) {
	d.fieldsAny(n, "tags", func(k, v *yaml.Node) {
		ctx := fmt.Sprintf("tag %q", k.Value)
		t := Tag{Pos: d.pos(k)}
		d.fields(v, ctx, []string{"notify"}, func(key string, v *yaml.Node) {
			t.Notify = d.routes(v, ctx)
		})
		if cfg.Tags == nil {
			cfg.Tags = map[string]Tag{}
		}
		cfg.Tags[k.Value] = t
	})
}

// outbox decodes the outbox settings and returns where min_backoff and
// max_backoff are.
func (d *decoder) outbox(n *yaml.Node, cfg *Config) (minBack, maxBack src) {
	const ctx = "outbox"
	d.fields(n, ctx, []string{"max_attempts", "max_age", "min_backoff", "max_backoff"}, func(key string, v *yaml.Node) {
		var s src
		switch key {
		case "min_backoff", "max_backoff":
			if dur, ok := d.duration(v, ctx, key, &s); ok {
				if dur < time.Millisecond {
					d.errorAt(s.pos, ctx, key, "must be at least 1ms, got %s", dur)
				}
				if key == "min_backoff" {
					cfg.Outbox.MinBackoff, minBack = dur, s
				} else {
					cfg.Outbox.MaxBackoff, maxBack = dur, s
				}
			}
		case "max_attempts":
			if m, ok := d.integer(v, ctx, key, &s); ok {
				if m < 1 {
					d.errorAt(s.pos, ctx, key, "must be at least 1, got %d", m)
				}
				cfg.Outbox.MaxAttempts = m
			}
		case "max_age":
			if dur, ok := d.duration(v, ctx, key, &s); ok {
				if dur <= 0 {
					d.errorAt(s.pos, ctx, key, "must be greater than zero, got %s", dur)
				}
				cfg.Outbox.MaxAge = dur
			}
		}
	})
	return minBack, maxBack
}

// checkRoutes checks that every route names a declared notifier.
func (d *decoder) checkRoutes(cfg *Config) {
	known := map[string]bool{}
	for _, n := range cfg.Notifiers {
		known[n.Name] = true
	}
	check := func(ctx string, rs []Route) {
		seen := map[string]Position{}
		for _, r := range rs {
			if r.To != "" && !known[r.To] {
				d.errorAt(r.Pos, ctx, "notify", "no notifier named %q (declare it under notifiers)", r.To)
			}
			if first, dup := seen[r.To]; dup && r.To != "" {
				d.errorAt(r.Pos, ctx, "notify", "notifier %q is routed twice (first at %s): merge the two routes", r.To, first)
			}
			seen[r.To] = r.Pos
		}
	}
	check("defaults", cfg.Defaults.Notify)
	for name, t := range cfg.Tags {
		check(fmt.Sprintf("tag %q", name), t.Notify)
	}
	for _, w := range cfg.Watches {
		label := w.URL
		if w.Name != "" {
			label = w.Name
		}
		check(fmt.Sprintf("watch %q", label), w.Notify)
	}
}
