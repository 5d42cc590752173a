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
	"github.com/antchfx/xpath"
	"github.com/tidwall/gjson"
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
		if err := checkJSONPath(s); err != nil {
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

// checkJSONPath reports what is wrong with a gjson path, or nil. gjson
// itself accepts any string (a bad path just matches nothing), so this
// checks the syntax it documents:
//
//   - the path is not blank;
//   - a "\" escapes the next byte, so it may not end the path;
//   - no component is empty: the path does not start or end with "." or
//     "|", and has no two of them in a row (outside brackets), so also no
//     leading "..", the JSON Lines form, as a body is one document;
//   - brackets balance: a query "#(…)", a multipath "[…]" or "{…}" at the
//     start of a component, a JSON argument or literal; inside them, quoted
//     strings are closed; outside them a closing bracket is an error (a key
//     that has one escapes it: "a\)b");
//   - a component starting with "@" names a modifier gjson knows.
//
// It is a copy of the extract package's check (config imports nothing of
// redline's); keep the two in step.
func checkJSONPath(p string) error {
	if strings.TrimSpace(p) == "" {
		return errors.New("empty JSON path")
	}
	var stack []byte // the closing brackets expected
	start := true    // at the start of a component (depth 0)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' {
			if i == len(p)-1 {
				return errors.New("ends with a lone escape \\")
			}
			i++
			start = false
			continue
		}
		if len(stack) > 0 {
			switch c {
			case '"':
				end, ok := skipJSONString(p, i)
				if !ok {
					return fmt.Errorf("unterminated string at byte %d", i)
				}
				i = end
			case '(', '[', '{':
				stack = append(stack, closer(c))
			case ')', ']', '}':
				if c != stack[len(stack)-1] {
					return fmt.Errorf("unexpected %q at byte %d (want %q)", c, i, stack[len(stack)-1])
				}
				stack = stack[:len(stack)-1]
			}
			continue
		}
		switch {
		case c == '.' || c == '|':
			if start {
				return fmt.Errorf("empty component at byte %d", i)
			}
			start = true
			continue
		case c == ')' || c == ']' || c == '}':
			return fmt.Errorf("unbalanced %q at byte %d", c, i)
		case c == '#' && i+1 < len(p) && p[i+1] == '(':
			stack = append(stack, ')')
			i++
		case start && (c == '[' || c == '{'):
			stack = append(stack, closer(c))
		case start && c == '@':
			j := i + 1
			for j < len(p) && p[j] != ':' && p[j] != '.' && p[j] != '|' {
				j++
			}
			if name := p[i+1 : j]; !gjson.ModifierExists(name, nil) {
				return fmt.Errorf("unknown modifier @%s", name)
			}
			i = j - 1
			if j < len(p) && p[j] == ':' {
				i = j
				if end, ok := jsonArg(p, j+1, &stack); !ok {
					return fmt.Errorf("unterminated string at byte %d", j+1)
				} else if end >= 0 {
					i = end
				}
			}
		case start && c == '!':
			if end, ok := jsonArg(p, i+1, &stack); !ok {
				return fmt.Errorf("unterminated string at byte %d", i+1)
			} else if end >= 0 {
				i = end
			}
		}
		start = false
	}
	if len(stack) > 0 {
		return fmt.Errorf("missing %q at the end", stack[len(stack)-1])
	}
	if start {
		return errors.New("ends with an empty component")
	}
	return dryRunJSONPath(p)
}

// jsonArg handles a JSON value starting at p[i] (a modifier's argument or a
// literal): a string is skipped (its end returned), an object or array
// opens a bracket. It returns -1 when there is nothing to skip, and false
// for an unterminated string.
func jsonArg(p string, i int, stack *[]byte) (int, bool) {
	if i >= len(p) {
		return -1, true
	}
	switch p[i] {
	case '"':
		return skipJSONString(p, i)
	case '{', '[':
		*stack = append(*stack, closer(p[i]))
		return i, true
	}
	return -1, true
}

// skipJSONString returns the index of the quote closing the string that
// opens at p[i].
func skipJSONString(p string, i int) (int, bool) {
	for j := i + 1; j < len(p); j++ {
		switch p[j] {
		case '\\':
			j++
		case '"':
			return j, true
		}
	}
	return 0, false
}

func closer(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// dryRunJSONPath runs p on a small document, turning a panic in gjson into
// an error.
func dryRunJSONPath(p string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gjson: %v", r)
		}
	}()
	gjson.Get(`{"a":[{"b":1,"c":"x"},{"b":2}],"d":{"e":null}}`, p)
	return nil
}
