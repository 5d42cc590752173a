package extract

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/internal/jsonpath"
)

// statusSummary is a status page's summary API response, as a statuspage.io
// page serves it at /api/v2/summary.json.
const statusSummary = `{
  "page": {"id": "kctbh9vrtdwd", "name": "GitHub", "url": "https://www.githubstatus.com", "time_zone": "Etc/UTC", "updated_at": "2024-05-02T09:46:11.123Z"},
  "components": [
    {"id": "8l4ygp009s5s", "name": "Git Operations", "status": "operational", "position": 1, "showcase": false, "group_id": null, "only_show_if_degraded": false},
    {"id": "brv1bkgrwx7q", "name": "API Requests", "status": "degraded_performance", "position": 2, "showcase": false, "group_id": null, "only_show_if_degraded": false},
    {"id": "4230lsnqdsld", "name": "Webhooks", "status": "operational", "position": 3, "showcase": false, "group_id": null, "only_show_if_degraded": false}
  ],
  "incidents": [
    {"id": "p1xr2bqzkk0r", "name": "Disruption with some GitHub services", "status": "investigating", "impact": "minor",
     "incident_updates": [{"status": "investigating", "body": "We are investigating reports of degraded performance.\n\nMore soon.", "display_at": "2024-05-02T09:40:00Z"}]}
  ],
  "scheduled_maintenances": [],
  "status": {"indicator": "minor", "description": "Partially Degraded Service"}
}`

// statusSummaryShuffled is statusSummary with every object's keys in
// another order and other white space, as another node of the same API
// might serve it.
const statusSummaryShuffled = `{"status":{"description":"Partially Degraded Service","indicator":"minor"},"scheduled_maintenances":[],
"incidents":[{"incident_updates":[{"display_at":"2024-05-02T09:40:00Z","body":"We are investigating reports of degraded performance.\n\nMore soon.","status":"investigating"}],"impact":"minor","status":"investigating","name":"Disruption with some GitHub services","id":"p1xr2bqzkk0r"}],
"components":[{"only_show_if_degraded":false,"group_id":null,"showcase":false,"position":1,"status":"operational","name":"Git Operations","id":"8l4ygp009s5s"},
{"status":"degraded_performance","name":"API Requests","id":"brv1bkgrwx7q","position":2,"showcase":false,"group_id":null,"only_show_if_degraded":false},
{"group_id":null,"only_show_if_degraded":false,"id":"4230lsnqdsld","name":"Webhooks","status":"operational","position":3,"showcase":false}],
"page":{"updated_at":"2024-05-02T09:46:11.123Z","url":"https://www.githubstatus.com","time_zone":"Etc/UTC","name":"GitHub","id":"kctbh9vrtdwd"}}`

func extractJSONText(t *testing.T, opts Options, body string) Document {
	t.Helper()
	opts.Mode = ModeJSON
	ex, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ex.Extract(Input{Body: []byte(body), ContentType: "application/json"})
	if err != nil {
		t.Fatal(err)
	}
	checkCanonical(t, doc)
	return doc
}

func TestJSONWholeDocument(t *testing.T) {
	t.Parallel()
	doc := extractJSONText(t, Options{}, statusSummary)
	want := []string{
		"components.0.group_id: null",
		"components.0.id: 8l4ygp009s5s",
		"components.0.name: Git Operations",
		"components.0.only_show_if_degraded: false",
		"components.0.position: 1",
		"components.0.showcase: false",
		"components.0.status: operational",
		"components.1.group_id: null",
		"components.1.id: brv1bkgrwx7q",
		"components.1.name: API Requests",
		"components.1.only_show_if_degraded: false",
		"components.1.position: 2",
		"components.1.showcase: false",
		"components.1.status: degraded_performance",
		"components.2.group_id: null",
		"components.2.id: 4230lsnqdsld",
		"components.2.name: Webhooks",
		"components.2.only_show_if_degraded: false",
		"components.2.position: 3",
		"components.2.showcase: false",
		"components.2.status: operational",
		"incidents.0.id: p1xr2bqzkk0r",
		"incidents.0.impact: minor",
		"incidents.0.incident_updates.0.body: We are investigating reports of degraded performance. More soon.",
		"incidents.0.incident_updates.0.display_at: 2024-05-02T09:40:00Z",
		"incidents.0.incident_updates.0.status: investigating",
		"incidents.0.name: Disruption with some GitHub services",
		"incidents.0.status: investigating",
		"page.id: kctbh9vrtdwd",
		"page.name: GitHub",
		"page.time_zone: Etc/UTC",
		"page.updated_at: 2024-05-02T09:46:11.123Z",
		"page.url: https://www.githubstatus.com",
		"scheduled_maintenances: []",
		"status.description: Partially Degraded Service",
		"status.indicator: minor",
	}
	if diff := cmp.Diff(Document{Paragraphs: want}, doc); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}

	// Another key order and other white space: the same canonical text.
	if got := extractJSONText(t, Options{}, statusSummaryShuffled).Canonical(); got != doc.Canonical() {
		t.Errorf("key order changed the canonical text:\n%s", cmp.Diff(doc.Canonical(), got))
	}

	// One value changed: exactly that line differs.
	changed := extractJSONText(t, Options{}, strings.Replace(statusSummaryShuffled, `"status":"degraded_performance"`, `"status":"operational"`, 1))
	var diffs []string
	for i := range doc.Paragraphs {
		if doc.Paragraphs[i] != changed.Paragraphs[i] {
			diffs = append(diffs, doc.Paragraphs[i]+" → "+changed.Paragraphs[i])
		}
	}
	if want := []string{"components.1.status: degraded_performance → components.1.status: operational"}; !cmp.Equal(want, diffs) || len(changed.Paragraphs) != len(doc.Paragraphs) {
		t.Errorf("changed lines = %q, want %q", diffs, want)
	}
}

func TestJSONSelect(t *testing.T) {
	t.Parallel()
	const api = `{"data":{"items":[{"title":"Go 1.26 released","tags":["go","release"],"meta":{"z":1,"a":{"y":true,"b":null}}},
{"title":"<Tips> & tricks","tags":[],"score":4.50},{"title":"Third","score":1e3}]},
"count":3,"ok":true,"next":null,"empty":"","weird.key":{"a*b":"x"},"nested":[[1,2],[3]]}`
	for _, tc := range []struct {
		name   string
		sel    []string
		ignore []string
		want   []string
	}{
		{"a string", []string{"data.items.0.title"}, nil, []string{"Go 1.26 released"}},
		{"numbers as written, booleans, null", []string{"count", "data.items.1.score", "data.items.2.score", "ok", "next"}, nil, []string{"3", "4.50", "1e3", "true", "null"}},
		{"an empty string gives nothing", []string{"empty"}, nil, nil},
		{"a missing path gives nothing", []string{"data.nope", "count"}, nil, []string{"3"}},
		{"map over an array", []string{"data.items.#.title"}, nil, []string{"Go 1.26 released", "<Tips> & tricks", "Third"}},
		{"an array of arrays and objects, compact with sorted keys", []string{"data.items.#.meta", "nested"}, nil, []string{`{"a":{"b":null,"y":true},"z":1}`, "[1,2]", "[3]"}},
		{"an empty array gives nothing", []string{"data.items.1.tags"}, nil, nil},
		{"an object gives path: value lines", []string{"data.items.0.meta"}, nil, []string{"a.b: null", "a.y: true", "z: 1"}},
		{"escaped keys", []string{`weird\.key`}, nil, []string{`a\*b: x`}},
		{"a query", []string{`data.items.#(score>2)#.title`}, nil, []string{"<Tips> & tricks", "Third"}},
		{"array length", []string{"data.items.#"}, nil, []string{"3"}},
		{"a modifier", []string{"data.items.0.tags|@reverse"}, nil, []string{"release", "go"}},
		{"select order is kept", []string{"ok", "count"}, nil, []string{"true", "3"}},
		{"ignore applies to the paragraphs", []string{"data.items.#.title"}, []string{`^Third$`}, []string{"Go 1.26 released", "<Tips> & tricks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := extractJSONText(t, Options{Select: tc.sel, Ignore: tc.ignore}, api)
			if diff := cmp.Diff(Document{Paragraphs: tc.want}, doc, cmp.Comparer(func(a, b []string) bool {
				return strings.Join(a, "\n") == strings.Join(b, "\n")
			})); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSONStatusIndicator(t *testing.T) {
	t.Parallel()
	opts := Options{Select: []string{"status.indicator", `components.#(status!="operational")#.name`}}
	a := extractJSONText(t, opts, statusSummary)
	b := extractJSONText(t, opts, statusSummaryShuffled)
	want := "minor\n\nAPI Requests\n"
	if a.Canonical() != want || b.Canonical() != want {
		t.Errorf("canonical = %q and %q, want %q", a.Canonical(), b.Canonical(), want)
	}
}

func TestJSONScalarsAndEdges(t *testing.T) {
	t.Parallel()
	for body, want := range map[string][]string{
		`"just a string"`:                 {"just a string"},
		` 42 `:                            {"42"},
		`null`:                            {"null"},
		`[]`:                              {"[]"},
		`{}`:                              {"{}"},
		`[{"b":1,"a":2},"x"]`:             {"0.a: 2", "0.b: 1", "1: x"},
		`{"a":{"b":{}},"c":[[]]}`:         {"a.b: {}", "c.0: []"},
		"\ufeff{\"a\":1}":                 {"a: 1"},
		`{"k":"line\none\t\u200btab"}`:    {"k: line one tab"},
		`{"a":1,"a":2}`:                   {"a: 2"},
		`{"x":"<b>&amp;</b>"}`:            {"x: <b>&amp;</b>"},
		`{"n":-0.0,"e":1E+2,"big":1e400}`: {"big: 1e400", "e: 1E+2", "n: -0.0"},
	} {
		doc := extractJSONText(t, Options{}, body)
		if diff := cmp.Diff(want, doc.Paragraphs); diff != "" || doc.Title != "" {
			t.Errorf("%q: title %q, paragraphs (-want +got):\n%s", body, doc.Title, diff)
		}
	}
}

func TestJSONInvalid(t *testing.T) {
	t.Parallel()
	ex, err := New(Options{Mode: ModeJSON})
	if err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]string{
		``:                        "extract: invalid JSON at byte offset 0: unexpected end of JSON input",
		`{"a": 1,}`:               "extract: invalid JSON at byte offset 9: invalid character '}' looking for beginning of object key string",
		`{"a": 1} {"b": 2}`:       "extract: invalid JSON at byte offset 10: invalid character '{' after top-level value",
		`{"a": [1, 2`:             "extract: invalid JSON at byte offset 11: unexpected end of JSON input",
		"\ufeff{\"a\" 1}":         "extract: invalid JSON at byte offset 9: invalid character '1' after object key",
		`<!DOCTYPE html><html>`:   "extract: invalid JSON at byte offset 1: invalid character '<' looking for beginning of value",
		"a: 1\nb: 2":              "extract: invalid JSON at byte offset 1: invalid character 'a' looking for beginning of value",
		"{\"a\":\"\x01\"}":        "extract: invalid JSON at byte offset 7: invalid character '\\x01' in string literal",
		`{"status":{"indicator"}`: "extract: invalid JSON at byte offset 23: invalid character '}' after object key",
	} {
		_, err := ex.Extract(Input{Body: []byte(body)})
		if err == nil || err.Error() != want {
			t.Errorf("Extract(%q) error = %v, want %s", body, err, want)
		}
	}
}

func TestJSONOptionErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Mode: ModeJSON, Select: []string{""}}, `extract: select: invalid JSON path "": empty JSON path`},
		{Options{Mode: ModeJSON, Select: []string{"status.indicator", "status..indicator"}}, `extract: select: invalid JSON path "status..indicator": empty component at byte 7`},
		{Options{Mode: ModeJSON, Select: []string{".status"}}, `invalid JSON path ".status": empty component at byte 0`},
		{Options{Mode: ModeJSON, Select: []string{"status."}}, `invalid JSON path "status.": ends with an empty component`},
		{Options{Mode: ModeJSON, Select: []string{"..#"}}, `invalid JSON path "..#": empty component at byte 0`},
		{Options{Mode: ModeJSON, Select: []string{`items.#(name=="x"`}}, `invalid JSON path "items.#(name==\"x\"": missing ')' at the end`},
		{Options{Mode: ModeJSON, Select: []string{`items.#(name=="x)`}}, `invalid JSON path "items.#(name==\"x)": unterminated string at byte 14`},
		{Options{Mode: ModeJSON, Select: []string{`items.#(a>1))`}}, `invalid JSON path "items.#(a>1))": unbalanced ')' at byte 12`},
		{Options{Mode: ModeJSON, Select: []string{`[a,b}`}}, `invalid JSON path "[a,b}": unexpected '}' at byte 4 (want ']')`},
		{Options{Mode: ModeJSON, Select: []string{`a.@nosuch`}}, `invalid JSON path "a.@nosuch": unknown modifier @nosuch`},
		{Options{Mode: ModeJSON, Select: []string{`a\`}}, `invalid JSON path "a\\": ends with a lone escape \`},
		{Options{Mode: ModeJSON, Select: []string{`@pretty:{"sortKeys":true`}}, `missing '}' at the end`},
		{Options{Mode: ModeJSON, Exclude: []string{".ad"}}, `extract: exclude selectors [".ad"] do not apply in json mode`},
		{Options{Mode: ModeText, Select: []string{"status.indicator"}}, `need selector mode (or json mode, for JSON paths), not text mode`},
	} {
		_, err := New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) error = %v, want one containing %s", tc.opts, err, tc.want)
		}
	}
}

// FuzzJSON checks json mode on any body and path: it never panics, a body
// either gives a document or an error naming a byte offset, and the whole
// document's canonical text is deterministic and does not depend on key
// order or white space (re-encoding the decoded value gives the same).
func FuzzJSON(f *testing.F) {
	f.Add([]byte(statusSummary), "status.indicator")
	f.Add([]byte(statusSummaryShuffled), `components.#(status!="operational")#.name`)
	f.Add([]byte(`[1,"a",{"b":[{}]},null,true,-1.5e-3]`), "#")
	f.Add([]byte(`{"a":{"a":{"a":"\u00e9\u0301\u200b"}}}`), "a.a|@keys")
	f.Add([]byte(`{"a.b":1,"":2,"*":3}`), `a\.b`)
	f.Add([]byte("{\"bad\":\xff}"), "@dig:a")
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`), "0.0.0|@flatten")
	whole, err := New(Options{Mode: ModeJSON})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		doc, err := whole.Extract(Input{Body: body})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "extract: invalid JSON at byte offset ") {
				t.Fatalf("error without an offset: %v", err)
			}
		} else {
			checkCanonical(t, doc)
			again, err := whole.Extract(Input{Body: body})
			if err != nil || again.Canonical() != doc.Canonical() {
				t.Fatalf("second extraction differs: %v\n%s", err, cmp.Diff(doc.Canonical(), again.Canonical()))
			}
			var v any
			if err := decodeJSON(bytes.TrimPrefix(body, []byte("\ufeff")), &v); err != nil {
				t.Fatal(err)
			}
			re, err := json.MarshalIndent(v, " ", "\t")
			if err != nil {
				t.Fatal(err)
			}
			redoc, err := whole.Extract(Input{Body: re})
			if err != nil || redoc.Canonical() != doc.Canonical() {
				t.Fatalf("re-encoded body differs: %v\n%s", err, cmp.Diff(doc.Canonical(), redoc.Canonical()))
			}
		}
		if jsonpath.Check(path) != nil {
			return
		}
		ex, err := New(Options{Mode: ModeJSON, Select: []string{path}})
		if err != nil {
			t.Fatalf("New with a checked path: %v", err)
		}
		d1, err1 := ex.Extract(Input{Body: body})
		d2, err2 := ex.Extract(Input{Body: body})
		if (err1 == nil) != (err2 == nil) || d1.Canonical() != d2.Canonical() {
			t.Fatalf("path %q is not deterministic", path)
		}
		if err1 == nil {
			checkCanonical(t, d1)
		}
	})
}
