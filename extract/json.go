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
