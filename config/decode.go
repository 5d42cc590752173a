package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder turns a YAML node tree into a Config, collecting every problem
// as a positioned *Error instead of stopping at the first.
type decoder struct {
	file   string
	lookup func(string) (string, bool)
	errs   []*Error
}

// state says what became of one key while decoding.
type state uint8

const (
	absent state = iota // key missing or null: the value keeps its default
	good                // decoded; the value is set
	bad                 // present but wrong; an error is recorded and the value is unusable
)

// src is where a decoded value came from and whether it decoded.
type src struct {
	pos Position
	st  state
}

// listSrc is a list's src plus the position of each element kept.
type listSrc struct {
	src
	elems []Position // parallel to the decoded slice
}

// sources records the positions of the decoded values, for validate.
type sources struct {
	defaults defaultsSrc
	watches  []watchSrc // parallel to Config.Watches
	listen   src
	baseURL  src
	minBack  src       // outbox.min_backoff
	maxBack  src       // outbox.max_backoff
	hosts    []hostSrc // parallel to Config.Hosts
	checks   src       // retention.checks
}

type hostSrc struct {
	label                     string
	match, concurrency, delay src
}

type defaultsSrc struct {
	mode, timeout, maxBody, userAgent, confirmDelay, volatile src
	schedule, adaptiveMin, adaptiveMax, hostConc, hostDelay   src
	failingAfter, keep                                        src
	ignore, exclude                                           listSrc
}

type watchSrc struct {
	label                      string // `watch "name"` or `watches[i]`, the prefix of its messages
	broken                     bool   // some part failed to decode: skip the checks that combine fields
	url, name, mode, volatile  src
	schedule, keep             src
	tags, sel, exclude, ignore listSrc
}

func (d *decoder) pos(n *yaml.Node) Position {
	return Position{File: d.file, Line: n.Line, Column: n.Column}
}

// errorAt records a problem at p. ctx (a watch label or "defaults") and key
// (a field name) prefix the message when not empty.
func (d *decoder) errorAt(p Position, ctx, key, format string, args ...any) {
	var b strings.Builder
	for _, s := range []string{ctx, key} {
		if s != "" {
			b.WriteString(s)
			b.WriteString(": ")
		}
	}
	fmt.Fprintf(&b, format, args...)
	d.errs = append(d.errs, &Error{Pos: p, Msg: b.String()})
}

func (d *decoder) errorf(n *yaml.Node, ctx, key, format string, args ...any) {
	d.errorAt(d.pos(n), ctx, key, format, args...)
}

func (d *decoder) err() error { return joinErrors(d.errs) }

// decode parses data and fills cfg (which holds the defaults) with the
// values present, recording problems in d.errs.
func (d *decoder) decode(data []byte, cfg *Config) *sources {
	s := &sources{}
	root := d.parse(data)
	if root == nil {
		return s
	}
	d.fields(root, "", []string{"db", "listen", "base_url", "hosts", "retention", "notifiers", "tags", "outbox", "defaults", "watches"}, func(key string, v *yaml.Node) {
		switch key {
		case "base_url":
			var u string
			if u, s.baseURL = d.str(v, "", key); s.baseURL.st == good {
				cfg.BaseURL = strings.TrimRight(u, "/")
			}
		case "notifiers":
			d.notifiers(v, cfg)
		case "tags":
			d.tags(v, cfg)
		case "outbox":
			s.minBack, s.maxBack = d.outbox(v, cfg)
		case "retention":
			d.fields(v, "retention", []string{"checks"}, func(key string, v *yaml.Node) {
				if dur, ok := d.duration(v, "retention", key, &s.checks); ok {
					cfg.CheckRetention = dur
				}
			})
		case "listen":
			var l string
			if l, s.listen = d.str(v, "", key); s.listen.st == good {
				cfg.Listen = l
			}
		case "hosts":
			d.hosts(v, cfg, s)
		case "db":
			db, st := d.str(v, "", key)
			if st.st == good {
				cfg.DB = d.expandHome(v, key, db)
			}
		case "defaults":
			s.defaults = d.defaults(v, &cfg.Defaults)
		case "watches":
			d.watches(v, cfg, s)
		}
	})
	return s
}

// parse returns the root node of the single YAML document in data, or nil
// when the file is empty or holds only null or is not valid YAML.
func (d *decoder) parse(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			d.syntaxError(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.errorf(&extra, "", "", "a second YAML document; the file must hold one")
	case !errors.Is(err, io.EOF):
		d.syntaxError(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	root = resolve(root)
	if isNull(root) {
		return nil
	}
	return root
}

// syntaxError records an error from the YAML parser, which reads
// "yaml: line 3: mapping values are not allowed in this context" (or has no
// line at all).
func (d *decoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Position{File: d.file}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(num); err == nil {
				p.Line, msg = line, text
			}
		}
	}
	d.errorAt(p, "", "", "invalid YAML: %s", msg)
}

// resolve follows aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	// Alias targets are never aliases themselves; the bound only guards
	// against a malformed tree.
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's kind and value for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!str", "!!binary", "!!timestamp":
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "nothing"
}

// fields checks that n is a mapping whose keys are all in keys, each at
// most once, and calls f for each key in file order. A null n is an empty
// mapping. Each caller lists exactly the keys its switch handles: a key is
// accepted only once the code that uses it exists, and anything else in the
// file is an "unknown field".
func (d *decoder) fields(n *yaml.Node, ctx string, keys []string, f func(key string, v *yaml.Node)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ctx, "", "expected a mapping, got %s", describe(n))
		return
	}
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, ctx, "", "expected a field name, got %s", describe(k))
			continue
		case k.ShortTag() == "!!merge":
			d.errorf(k, ctx, "", `merge keys ("<<") are not supported`)
			continue
		}
		key := k.Value
		if !slices.Contains(keys, key) {
			d.errorf(k, ctx, "", "unknown field %q", key)
			continue
		}
		if first, dup := seen[key]; dup {
			d.errorf(k, ctx, "", "field %q is repeated (first at %s)", key, d.pos(first))
			continue
		}
		seen[key] = k
		f(key, v)
	}
}

// firstValue returns the value of the first key named key in mapping n, or
// nil.
func firstValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k.Kind == yaml.ScalarNode && k.ShortTag() != "!!merge" && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// str decodes a scalar as a string with ${VAR} expanded. Any scalar type
// is taken as written ("5", "true"); null is absent.
func (d *decoder) str(n *yaml.Node, ctx, key string) (string, src) {
	n = resolve(n)
	s := src{pos: d.pos(n)}
	switch {
	case isNull(n):
		return "", s
	case n.Kind != yaml.ScalarNode:
		d.errorf(n, ctx, key, "expected a string, got %s", describe(n))
		s.st = bad
		return "", s
	}
	v, ok := d.expand(n, ctx, key)
	if !ok {
		s.st = bad
		return "", s
	}
	s.st = good
	return v, s
}

// duration decodes a Go duration ("30s", "1m30s") into *s's state.
func (d *decoder) duration(n *yaml.Node, ctx, key string, s *src) (time.Duration, bool) {
	var t string
	if t, *s = d.str(n, ctx, key); s.st != good {
		return 0, false
	}
	dur, err := time.ParseDuration(t)
	if err != nil {
		d.errorAt(s.pos, ctx, key, `invalid duration %q (want a number and a unit: ms, s, m or h, e.g. "30s")`, t)
		s.st = bad
		return 0, false
	}
	return dur, true
}

// integer decodes a whole number into *s's state.
func (d *decoder) integer(n *yaml.Node, ctx, key string, s *src) (int, bool) {
	n = resolve(n)
	*s = src{pos: d.pos(n)}
	if isNull(n) {
		return 0, false
	}
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
		d.errorf(n, ctx, key, "expected a whole number, got %s", describe(n))
		s.st = bad
		return 0, false
	}
	s.st = good
	return i, true
}

// keep decodes a revision-keeping rule: a whole number of revisions or a
// duration.
func (d *decoder) keep(n *yaml.Node, ctx string, s *src) (Keep, bool) {
	var v string
	if v, *s = d.str(n, ctx, "keep"); s.st != good {
		return Keep{}, false
	}
	if c, err := strconv.Atoi(v); err == nil {
		if c < 1 {
			d.errorAt(s.pos, ctx, "keep", "must keep at least 1 revision, got %d", c)
			s.st = bad
			return Keep{}, false
		}
		return Keep{Count: c}, true
	}
	age, err := time.ParseDuration(v)
	if err != nil || age <= 0 {
		d.errorAt(s.pos, ctx, "keep", `invalid value %q (want a number of revisions, such as 50, or a positive duration, such as "2160h")`, v)
		s.st = bad
		return Keep{}, false
	}
	return Keep{Age: age}, true
}

// hosts decodes the list of per-host rules.
func (d *decoder) hosts(n *yaml.Node, cfg *Config, s *sources) {
	n = resolve(n)
	switch {
	case isNull(n):
		return
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, "", "hosts", "expected a list, got %s", describe(n))
		return
	}
	for i, e := range n.Content {
		e = resolve(e)
		hs := hostSrc{label: fmt.Sprintf("hosts[%d]", i)}
		r := HostRule{Pos: d.pos(e)}
		if e.Kind != yaml.MappingNode {
			d.errorf(e, hs.label, "", "expected a mapping, got %s", describe(e))
			continue
		}
		d.fields(e, hs.label, []string{"match", "concurrency", "delay"}, func(key string, v *yaml.Node) {
			switch key {
			case "match":
				r.Match, hs.match = d.str(v, hs.label, key)
			case "concurrency":
				if c, ok := d.integer(v, hs.label, key, &hs.concurrency); ok {
					r.Concurrency = c
				}
			case "delay":
				if dur, ok := d.duration(v, hs.label, key, &hs.delay); ok {
					r.Delay = dur
				}
			}
		})
		cfg.Hosts = append(cfg.Hosts, r)
		s.hosts = append(s.hosts, hs)
	}
}

// boolean decodes true or false; null is absent.
func (d *decoder) boolean(n *yaml.Node, ctx, key string) (bool, bool) {
	n = resolve(n)
	if isNull(n) {
		return false, false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		d.errorf(n, ctx, key, "expected true or false, got %s", describe(n))
		return false, false
	}
	return b, true
}

// list decodes a list of strings; null is absent. Elements that fail are
// left out and mark the list bad.
func (d *decoder) list(n *yaml.Node, ctx, key string) ([]string, listSrc) {
	n = resolve(n)
	ls := listSrc{src: src{pos: d.pos(n)}}
	switch {
	case isNull(n):
		return nil, ls
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, ctx, key, "expected a list, got %s", describe(n))
		ls.st = bad
		return nil, ls
	}
	ls.st = good
	var out []string
	for _, e := range n.Content {
		e = resolve(e)
		if e.Kind != yaml.ScalarNode || isNull(e) {
			d.errorf(e, ctx, key, "expected a string, got %s", describe(e))
			ls.st = bad
			continue
		}
		v, ok := d.expand(e, ctx, key)
		if !ok {
			ls.st = bad
			continue
		}
		out = append(out, v)
		ls.elems = append(ls.elems, d.pos(e))
	}
	return out, ls
}

// expandHome replaces a leading "~/" in a db path with the home directory.
func (d *decoder) expandHome(n *yaml.Node, key, path string) string {
	rest, ok := strings.CutPrefix(path, "~/")
	if !ok {
		return path
	}
	for _, v := range []string{"HOME", "USERPROFILE"} {
		if home, ok := d.lookup(v); ok && home != "" {
			return filepath.Join(home, rest)
		}
	}
	d.errorf(resolve(n), "", key, "cannot expand %q: HOME is not set", "~/")
	return path
}

func (d *decoder) defaults(n *yaml.Node, def *Defaults) defaultsSrc {
	const ctx = "defaults"
	var s defaultsSrc
	d.fields(n, ctx, []string{"mode", "timeout", "max_body", "user_agent", "ignore", "exclude", "confirm_delay", "volatile", "ignore_numbers",
		"schedule", "adaptive", "host_concurrency", "host_delay", "failing_after", "keep", "robots", "notify"}, func(key string, v *yaml.Node) {
		switch key {
		case "notify":
			def.Notify = d.routes(v, ctx)
		case "robots":
			if b, ok := d.boolean(v, ctx, key); ok {
				def.Robots = b
			}
		case "keep":
			if k, ok := d.keep(v, ctx, &s.keep); ok {
				def.Keep = k
			}
		case "failing_after":
			if n, ok := d.integer(v, ctx, key, &s.failingAfter); ok {
				def.FailingAfter = n
			}
		case "schedule":
			var sc string
			if sc, s.schedule = d.str(v, ctx, key); s.schedule.st == good {
				def.Schedule = sc
			}
		case "adaptive":
			d.fields(v, "defaults.adaptive", []string{"min", "max"}, func(key string, v *yaml.Node) {
				switch key {
				case "min":
					if dur, ok := d.duration(v, "defaults.adaptive", key, &s.adaptiveMin); ok {
						def.AdaptiveMin = dur
					}
				case "max":
					if dur, ok := d.duration(v, "defaults.adaptive", key, &s.adaptiveMax); ok {
						def.AdaptiveMax = dur
					}
				}
			})
		case "host_concurrency":
			if n, ok := d.integer(v, ctx, key, &s.hostConc); ok {
				def.HostConcurrency = n
			}
		case "host_delay":
			if dur, ok := d.duration(v, ctx, key, &s.hostDelay); ok {
				def.HostDelay = dur
			}
		case "volatile":
			var m string
			if m, s.volatile = d.str(v, ctx, key); s.volatile.st == good {
				def.Volatile = m
			}
		case "ignore_numbers":
			if b, ok := d.boolean(v, ctx, key); ok {
				def.IgnoreNumbers = b
			}
		case "mode":
			var m string
			if m, s.mode = d.str(v, ctx, key); s.mode.st == good {
				def.Mode = m
			}
		case "timeout":
			if dur, ok := d.duration(v, ctx, key, &s.timeout); ok {
				def.Timeout = dur
			}
		case "confirm_delay":
			if dur, ok := d.duration(v, ctx, key, &s.confirmDelay); ok {
				def.ConfirmDelay = dur
			}
		case "max_body":
			var b string
			if b, s.maxBody = d.str(v, ctx, key); s.maxBody.st == good {
				size, err := parseSize(b)
				if err != nil {
					d.errorAt(s.maxBody.pos, ctx, key, "%v", err)
					s.maxBody.st = bad
					break
				}
				def.MaxBody = size
			}
		case "user_agent":
			var ua string
			if ua, s.userAgent = d.str(v, ctx, key); s.userAgent.st == good {
				def.UserAgent = ua
			}
		case "ignore":
			def.Ignore, s.ignore = d.list(v, ctx, key)
		case "exclude":
			def.Exclude, s.exclude = d.list(v, ctx, key)
		}
	})
	return s
}

func (d *decoder) watches(n *yaml.Node, cfg *Config, s *sources) {
	n = resolve(n)
	switch {
	case isNull(n):
		return
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, "", "watches", "expected a list, got %s", describe(n))
		return
	}
	for i, e := range n.Content {
		w, ws := d.watch(e, i)
		cfg.Watches = append(cfg.Watches, w)
		s.watches = append(s.watches, ws)
	}
}

func (d *decoder) watch(n *yaml.Node, i int) (Watch, watchSrc) {
	n = resolve(n)
	w := Watch{Pos: d.pos(n)}
	ws := watchSrc{label: fmt.Sprintf("watches[%d]", i)}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ws.label, "", "expected a mapping, got %s", describe(n))
		ws.broken = true
		ws.url.st = bad // not "missing": there is no watch to speak of
		return w, ws
	}
	nerr := len(d.errs)
	// The name labels every other message about the watch, so it comes first.
	if v := firstValue(n, "name"); v != nil {
		if w.Name, ws.name = d.str(v, ws.label, "name"); w.Name != "" {
			ws.label = fmt.Sprintf("watch %q", w.Name)
		}
	}
	ctx := ws.label
	d.fields(n, ctx, []string{"url", "name", "tags", "mode", "select", "exclude", "ignore", "confirm", "volatile", "ignore_numbers", "schedule", "keep", "robots", "notify"}, func(key string, v *yaml.Node) {
		switch key {
		case "notify":
			w.Notify = d.routes(v, ctx)
		case "robots":
			if b, ok := d.boolean(v, ctx, key); ok {
				w.Robots = &b
			}
		case "keep":
			if k, ok := d.keep(v, ctx, &ws.keep); ok {
				w.Keep = &k
			}
		case "schedule":
			w.Schedule, ws.schedule = d.str(v, ctx, key)
		case "volatile":
			w.Volatile, ws.volatile = d.str(v, ctx, key)
		case "ignore_numbers":
			if b, ok := d.boolean(v, ctx, key); ok {
				w.IgnoreNumbers = &b
			}
		case "name":
			// Decoded above.
		case "url":
			w.URL, ws.url = d.str(v, ctx, key)
		case "mode":
			w.Mode, ws.mode = d.str(v, ctx, key)
		case "tags":
			w.Tags, ws.tags = d.list(v, ctx, key)
		case "select":
			w.Select, ws.sel = d.list(v, ctx, key)
		case "exclude":
			w.Exclude, ws.exclude = d.list(v, ctx, key)
		case "ignore":
			w.Ignore, ws.ignore = d.list(v, ctx, key)
		case "confirm":
			if b, ok := d.boolean(v, ctx, key); ok {
				w.Confirm = &b
			}
		}
	})
	ws.broken = len(d.errs) > nerr
	return w, ws
}
