package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// extractJSON is json mode: the body is one JSON document. Without paths,
// every leaf becomes a "path: value" paragraph (see flattenJSON); with
// paths, each gjson path's result gives paragraphs (see resultParagraphs),
// in the order of paths.
func extractJSON(body []byte, paths []string) (Document, error) {
	body, skipped := bytes.CutPrefix(body, []byte("\ufeff"))
	var v any
	if err := decodeJSON(body, &v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off := se.Offset
			if skipped {
				off += 3
			}
			return Document{}, fmt.Errorf("extract: invalid JSON at byte offset %d: %s", off, se.Error())
		}
		return Document{}, fmt.Errorf("extract: invalid JSON: %w", err)
	}
	var d Document
	if len(paths) == 0 {
		d.Paragraphs = flattenJSON(nil, "", v)
		return d, nil
	}
	for _, p := range paths {
		d.Paragraphs = append(d.Paragraphs, resultParagraphs(gjson.GetBytes(body, p))...)
	}
	return d, nil
}

// decodeJSON parses exactly one JSON value (white space around it allowed)
// into v, keeping numbers as written. A syntax error, including trailing
// data and an empty body, is a *json.SyntaxError with its byte offset.
func decodeJSON(data []byte, v *any) error {
	// Unmarshal checks the whole input before decoding, so its error
	// carries the offset even for truncated input or trailing data.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// resultParagraphs renders one gjson result: nothing when the path matched
// nothing; a string as its text; a number or boolean as its literal, null
// as "null"; an array as one paragraph per element (each rendered by
// compactJSON, so a string element is its text and an object or array
// element compact JSON with sorted keys); an object as "path: value" lines
// relative to it, like a whole document.
func resultParagraphs(r gjson.Result) []string {
	if !r.Exists() {
		return nil
	}
	switch r.Type {
	case gjson.String:
		return []string{r.Str}
	case gjson.Null:
		return []string{"null"}
	case gjson.Number, gjson.True, gjson.False:
		if raw := strings.TrimSpace(r.Raw); raw != "" {
			return []string{raw}
		}
		return []string{r.String()}
	}
	var v any
	if err := decodeJSON([]byte(r.Raw), &v); err != nil {
		// A modifier may build something that is not JSON; keep it as text.
		return []string{r.Raw}
	}
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			out = append(out, compactJSON(e))
		}
		return out
	case map[string]any:
		return flattenJSON(nil, "", v)
	default:
		return []string{compactJSON(v)}
	}
}

// compactJSON renders a decoded value on one line: a string as its text, a
// number as written, true, false, null, and an object or array as compact
// JSON with the object keys sorted (so key order is never a change) and
// <, >, & left as they are.
func compactJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v) // unreachable: v came from the decoder
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// flattenJSON appends one "path: value" line per leaf of v to out, in a
// stable order: object keys sorted, array elements by index. A path is the
// gjson path of the leaf (keys escaped with gjson.Escape, array indexes as
// numbers, "." between), so it can be pasted into select. A leaf is a
// string, number, boolean, null, empty object {} or empty array []; at the
// top level, with no path, the line is the value alone.
func flattenJSON(out []string, path string, v any) []string {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) > 0 {
			for _, k := range slices.Sorted(maps.Keys(v)) {
				out = flattenJSON(out, join(gjson.Escape(k)), v[k])
			}
			return out
		}
	case []any:
		if len(v) > 0 {
			for i, e := range v {
				out = flattenJSON(out, join(fmt.Sprint(i)), e)
			}
			return out
		}
	}
	if path == "" {
		return append(out, compactJSON(v))
	}
	return append(out, path+": "+compactJSON(v))
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
// The config package has a copy of this check; keep the two in step.
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
