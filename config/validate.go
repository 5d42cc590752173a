package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xpath"

	"github.com/redlinehq/redline/internal/jsonpath"
	"github.com/redlinehq/redline/schedule"
)

// validate checks the meaning of the decoded values, recording a
// positioned error for each problem. Values that failed to decode (state
// bad) are not checked again, so one mistake gives one message.
func (d *decoder) validate(cfg *Config, s *sources) {
	def, ds := cfg.Defaults, s.defaults
	const ctx = "defaults"
	if ds.mode.st == good {
		d.checkMode(ds.mode.pos, ctx, def.Mode)
	}
	if ds.volatile.st == good {
		d.checkVolatile(ds.volatile.pos, ctx, def.Volatile)
	}
	if ds.timeout.st == good && def.Timeout <= 0 {
		d.errorAt(ds.timeout.pos, ctx, "timeout", "must be greater than zero, got %s", def.Timeout)
	}
	if ds.confirmDelay.st == good && (def.ConfirmDelay < 0 || def.ConfirmDelay > 10*time.Minute) {
		d.errorAt(ds.confirmDelay.pos, ctx, "confirm_delay", "must be between 0 (off) and 10m, got %s", def.ConfirmDelay)
	}
	if ds.maxBody.st == good && def.MaxBody <= 0 {
		d.errorAt(ds.maxBody.pos, ctx, "max_body", "must be greater than zero, got %d", def.MaxBody)
	}
	if ds.userAgent.st == good && strings.ContainsFunc(def.UserAgent, unicode.IsControl) {
		d.errorAt(ds.userAgent.pos, ctx, "user_agent", "must not contain control characters, got %q", def.UserAgent)
	}
	d.checkRegexps(ds.ignore, ctx, "ignore", def.Ignore)
	d.checkSelectors(ds.exclude, ctx, "exclude", def.Exclude)
	if ds.adaptiveMin.st == good && def.AdaptiveMin <= 0 {
		d.errorAt(ds.adaptiveMin.pos, "defaults.adaptive", "min", "must be greater than zero, got %s", def.AdaptiveMin)
	}
	if ds.adaptiveMax.st == good && def.AdaptiveMax <= 0 {
		d.errorAt(ds.adaptiveMax.pos, "defaults.adaptive", "max", "must be greater than zero, got %s", def.AdaptiveMax)
	}
	if ds.adaptiveMin.st == good && ds.adaptiveMax.st == good && def.AdaptiveMin > def.AdaptiveMax {
		d.errorAt(ds.adaptiveMax.pos, "defaults.adaptive", "max", "must not be less than min (%s), got %s", def.AdaptiveMin, def.AdaptiveMax)
	}
	if ds.schedule.st == good {
		d.checkSchedule(ds.schedule.pos, ctx, def.Schedule, def)
	}
	if ds.hostConc.st == good && def.HostConcurrency < 0 {
		d.errorAt(ds.hostConc.pos, ctx, "host_concurrency", "must be 0 (no limit) or more, got %d", def.HostConcurrency)
	}
	if ds.failingAfter.st == good && def.FailingAfter < 1 {
		d.errorAt(ds.failingAfter.pos, ctx, "failing_after", "must be at least 1, got %d", def.FailingAfter)
	}
	if ds.hostDelay.st == good && def.HostDelay < 0 {
		d.errorAt(ds.hostDelay.pos, ctx, "host_delay", "must not be negative, got %s", def.HostDelay)
	}
	if s.checks.st == good && cfg.CheckRetention < 0 {
		d.errorAt(s.checks.pos, "retention", "checks", "must not be negative, got %s (0 keeps checks forever)", cfg.CheckRetention)
	}
	if s.baseURL.st == good && cfg.BaseURL != "" {
		if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.errorAt(s.baseURL.pos, "", "base_url", "%q is not an absolute http(s) URL", cfg.BaseURL)
		}
	}
	d.checkRoutes(cfg)
	if cfg.Outbox.MinBackoff > cfg.Outbox.MaxBackoff {
		if s.maxBack.st == good {
			d.errorAt(s.maxBack.pos, "outbox", "max_backoff", "must not be less than min_backoff (%s), got %s", cfg.Outbox.MinBackoff, cfg.Outbox.MaxBackoff)
		} else {
			d.errorAt(s.minBack.pos, "outbox", "min_backoff", "must not be more than max_backoff (%s), got %s", cfg.Outbox.MaxBackoff, cfg.Outbox.MinBackoff)
		}
	}
	if s.listen.st == good {
		if problem := checkListen(cfg.Listen); problem != "" {
			d.errorAt(s.listen.pos, "", "listen", "%s", problem)
		}
	}
	for i, r := range cfg.Hosts {
		hs := s.hosts[i]
		switch {
		case hs.match.st == absent:
			d.errorAt(r.Pos, hs.label, "", `missing required field "match"`)
		case hs.match.st == good && strings.TrimSpace(r.Match) == "":
			d.errorAt(hs.match.pos, hs.label, "match", "must not be empty")
		case hs.match.st == good:
			if _, err := path.Match(r.Match, ""); err != nil {
				d.errorAt(hs.match.pos, hs.label, "match", "invalid glob %q: %v", r.Match, err)
			}
		}
		if hs.concurrency.st == good && r.Concurrency < 0 {
			d.errorAt(hs.concurrency.pos, hs.label, "concurrency", "must be 0 (no limit) or more, got %d", r.Concurrency)
		}
		if hs.delay.st == good && r.Delay < 0 {
			d.errorAt(hs.delay.pos, hs.label, "delay", "must not be negative, got %s", r.Delay)
		}
	}

	// The mode a watch without its own gets, or "" when that is unknown
	// because defaults.mode is itself wrong.
	defMode := def.Mode
	if ds.mode.st == bad || !isMode(defMode) {
		defMode = ""
	}
	urls := make(map[string]Position)
	names := make(map[string]Position)
	for i, w := range cfg.Watches {
		d.checkWatch(w, s.watches[i], defMode, urls, names)
		if ws := s.watches[i]; ws.schedule.st == good {
			d.checkSchedule(ws.schedule.pos, ws.label, w.Schedule, def)
		}
	}
}

func (d *decoder) checkWatch(w Watch, ws watchSrc, defMode string, urls, names map[string]Position) {
	ctx := ws.label
	switch ws.url.st {
	case absent:
		d.errorAt(w.Pos, ctx, "", `missing required field "url"`)
	case good:
		if key, problem := checkURL(w.URL); problem != "" {
			d.errorAt(ws.url.pos, ctx, "url", "%s", problem)
		} else if first, dup := urls[key]; dup {
			d.errorAt(ws.url.pos, ctx, "url", "%q duplicates the url at %s", w.URL, first)
		} else {
			urls[key] = ws.url.pos
		}
	}
	if ws.name.st == good {
		if strings.TrimSpace(w.Name) == "" {
			d.errorAt(ws.name.pos, ctx, "name", "must not be empty (leave the key out instead)")
		} else if first, dup := names[w.Name]; dup {
			d.errorAt(ws.name.pos, ctx, "name", "%q duplicates the name at %s", w.Name, first)
		} else {
			names[w.Name] = ws.name.pos
		}
	}
	if ws.mode.st == good {
		d.checkMode(ws.mode.pos, ctx, w.Mode)
	}
	if ws.volatile.st == good {
		d.checkVolatile(ws.volatile.pos, ctx, w.Volatile)
	}
	seen := make(map[string]bool)
	for i, tag := range w.Tags {
		p := ws.tags.elems[i]
		switch {
		case tag == "":
			d.errorAt(p, ctx, "tags", "empty tag")
		case strings.ContainsFunc(tag, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }):
			d.errorAt(p, ctx, "tags", "tag %q contains a space or a comma", tag)
		case seen[tag]:
			d.errorAt(p, ctx, "tags", "tag %q is repeated", tag)
		}
		seen[tag] = true
	}
	// The watch's effective mode, or "" when it is unknown (its own mode
	// failed to decode, or it has none and defaults.mode is wrong).
	var mode string
	switch ws.mode.st {
	case good:
		mode = w.Mode
	case absent:
		mode = defMode
	}
	if mode == ModeJSON {
		d.checkJSONPaths(ws.sel, ctx, "select", w.Select)
	} else {
		d.checkSelectors(ws.sel, ctx, "select", w.Select)
	}
	d.checkSelectors(ws.exclude, ctx, "exclude", w.Exclude)
	d.checkRegexps(ws.ignore, ctx, "ignore", w.Ignore)

	// Checks that combine fields need all of them decoded.
	if ws.broken || !isMode(mode) {
		// Unknown mode: reported above, or defaults.mode is wrong.
		return
	}
	switch {
	case mode == ModeSelector && len(w.Select) == 0:
		d.errorAt(w.Pos, ctx, "", `missing field "select", required in selector mode`)
	case mode != ModeSelector && mode != ModeJSON && len(w.Select) > 0:
		d.errorAt(ws.sel.pos, ctx, "select", "only used in selector and json modes (mode is %q)", mode)
	}
	if (mode == ModeRaw || mode == ModeJSON) && len(w.Exclude) > 0 {
		d.errorAt(ws.exclude.pos, ctx, "exclude", "not used in %s mode: it removes HTML elements", mode)
	}
}

func isMode(m string) bool {
	switch m {
	case ModeArticle, ModeText, ModeSelector, ModeRaw, ModeJSON:
		return true
	}
	return false
}

func (d *decoder) checkMode(p Position, ctx, mode string) {
	if !isMode(mode) {
		d.errorAt(p, ctx, "mode", "unknown mode %q (want %s, %s, %s, %s or %s)", mode, ModeArticle, ModeText, ModeSelector, ModeRaw, ModeJSON)
	}
}

func (d *decoder) checkVolatile(p Position, ctx, v string) {
	switch v {
	case VolatileSuggest, VolatileIgnore, VolatileOff:
		return
	}
	d.errorAt(p, ctx, "volatile", "unknown value %q (want %s, %s or %s)", v, VolatileSuggest, VolatileIgnore, VolatileOff)
}

// checkSchedule checks a schedule spec, with the adaptive bounds of def.
func (d *decoder) checkSchedule(p Position, ctx, spec string, def Defaults) {
	if _, err := schedule.ParseWith(spec, schedule.Adaptive{Min: def.AdaptiveMin, Max: def.AdaptiveMax}); err != nil {
		d.errorAt(p, ctx, "schedule", "%v", err)
	}
}

// checkListen returns what is wrong with a listen address, or "".
func checkListen(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("invalid address %q: want host:port, such as 127.0.0.1:8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Sprintf("invalid port %q in %q", port, addr)
	}
	return ""
}

// checkURL returns a message saying what is wrong with a watch URL, or else
// the key under which duplicates are detected: the URL with its scheme and
// host in lower case and an empty path read as "/".
func checkURL(raw string) (key, problem string) {
	u, err := url.Parse(raw)
	if err != nil {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Sprintf("invalid URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Sprintf("%q is not an http(s) URL", raw)
	}
	if u.Hostname() == "" {
		return "", fmt.Sprintf("%q has no host", raw)
	}
	k := *u
	k.Host = strings.ToLower(k.Host)
	if k.Path == "" && k.RawPath == "" {
		k.Path = "/"
	}
	return k.String(), ""
}

// checkSelectors checks select or exclude entries: an entry that starts
// (after white space) with "/", "./" or "(" must compile as an XPath 1.0
// expression, and in exclude must select nodes rather than give a value;
// any other must parse as a CSS selector group. The extract package applies
// the same rule.
func (d *decoder) checkSelectors(ls listSrc, ctx, key string, sels []string) {
	for i, s := range sels {
		p := ls.elems[i]
		switch {
		case strings.TrimSpace(s) == "":
			d.errorAt(p, ctx, key, "empty CSS selector")
		case isXPath(s):
			scalar, err := checkXPath(s)
			if err != nil {
				d.errorAt(p, ctx, key, "invalid XPath %q: %v", s, err)
			} else if scalar && key == "exclude" {
				d.errorAt(p, ctx, key, "XPath %q gives a value, not nodes to remove", s)
			}
		default:
			if _, err := cascadia.Compile(s); err != nil {
				d.errorAt(p, ctx, key, "invalid CSS selector %q: %v", s, err)
			}
		}
	}
}

// isXPath reports whether a select or exclude entry is an XPath expression.
func isXPath(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n\f")
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "(")
}

// checkXPath compiles an XPath expression and tells whether it is known to
// give a value (string, number, boolean) rather than nodes, by evaluating
// it on an empty document.
func checkXPath(s string) (scalar bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			scalar, err = false, fmt.Errorf("%v", r)
		}
	}()
	expr, err := xpath.Compile(strings.TrimSpace(s))
	if err != nil {
		return false, err
	}
	func() {
		defer func() { _ = recover() }() // some expressions fail without a document: not an error here
		_, nodes := expr.Evaluate(emptyDoc{}).(*xpath.NodeIterator)
		scalar = !nodes
	}()
	return scalar, nil
}

// emptyDoc is an xpath.NodeNavigator over a document with no nodes.
type emptyDoc struct{}

func (emptyDoc) NodeType() xpath.NodeType              { return xpath.RootNode }
func (emptyDoc) LocalName() string                     { return "" }
func (emptyDoc) Prefix() string                        { return "" }
func (emptyDoc) Value() string                         { return "" }
func (emptyDoc) Copy() xpath.NodeNavigator             { return emptyDoc{} }
func (emptyDoc) MoveToRoot()                           {}
func (emptyDoc) MoveToParent() bool                    { return false }
func (emptyDoc) MoveToNextAttribute() bool             { return false }
func (emptyDoc) MoveToChild() bool                     { return false }
func (emptyDoc) MoveToFirst() bool                     { return false }
func (emptyDoc) MoveToNext() bool                      { return false }
func (emptyDoc) MoveToPrevious() bool                  { return false }
func (emptyDoc) MoveTo(other xpath.NodeNavigator) bool { _, ok := other.(emptyDoc); return ok }

// checkJSONPaths checks json mode select entries as gjson paths.
func (d *decoder) checkJSONPaths(ls listSrc, ctx, key string, paths []string) {
	for i, s := range paths {
		if err := jsonpath.Check(s); err != nil {
			d.errorAt(ls.elems[i], ctx, key, "invalid JSON path %q: %v", s, err)
		}
	}
}

func (d *decoder) checkRegexps(ls listSrc, ctx, key string, exprs []string) {
	for i, e := range exprs {
		p := ls.elems[i]
		if e == "" {
			d.errorAt(p, ctx, key, "empty regexp (it would match every line)")
			continue
		}
		if _, err := regexp.Compile(e); err != nil {
			msg := err.Error()
			if se := (*syntax.Error)(nil); errors.As(err, &se) {
				msg = se.Code.String()
				if se.Expr != "" && se.Expr != e {
					msg += " at `" + se.Expr + "`"
				}
			}
			d.errorAt(p, ctx, key, "invalid regexp %q: %s", e, msg)
		}
	}
}
