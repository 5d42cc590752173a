package jsonpath

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// Check reports what is wrong with a gjson path, or nil. gjson
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
// The path is also run once on a small document, so that a path gjson
// panics on is an error too.
func Check(p string) error {
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
	return dryRun(p)
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

// dryRun runs p on a small document, turning a panic in gjson into
// an error.
func dryRun(p string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gjson: %v", r)
		}
	}()
	gjson.Get(`{"a":[{"b":1,"c":"x"},{"b":2}],"d":{"e":null}}`, p)
	return nil
}
