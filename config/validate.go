package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
	"unicode"

	"github.com/andybalholm/cascadia"
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
	d.checkSelectors(ws.sel, ctx, "select", w.Select)
	d.checkSelectors(ws.exclude, ctx, "exclude", w.Exclude)
	d.checkRegexps(ws.ignore, ctx, "ignore", w.Ignore)

	// Checks that combine fields need all of them decoded.
	if ws.broken {
		return
	}
	mode := w.Mode
	if ws.mode.st == absent {
		mode = defMode
	}
	switch {
	case !isMode(mode):
		// Unknown: reported above, or defaults.mode is wrong.
	case mode == ModeSelector && len(w.Select) == 0:
		d.errorAt(w.Pos, ctx, "", `missing field "select", required in selector mode`)
	case mode != ModeSelector && len(w.Select) > 0:
		d.errorAt(ws.sel.pos, ctx, "select", "only used in selector mode (mode is %q)", mode)
	}
}

func isMode(m string) bool {
	switch m {
	case ModeArticle, ModeText, ModeSelector, ModeRaw:
		return true
	}
	return false
}

func (d *decoder) checkMode(p Position, ctx, mode string) {
	if !isMode(mode) {
		d.errorAt(p, ctx, "mode", "unknown mode %q (want %s, %s, %s or %s)", mode, ModeArticle, ModeText, ModeSelector, ModeRaw)
	}
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

func (d *decoder) checkSelectors(ls listSrc, ctx, key string, sels []string) {
	for i, s := range sels {
		p := ls.elems[i]
		if strings.TrimSpace(s) == "" {
			d.errorAt(p, ctx, key, "empty CSS selector")
			continue
		}
		if _, err := cascadia.Compile(s); err != nil {
			d.errorAt(p, ctx, key, "invalid CSS selector %q: %v", s, err)
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
