package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/redlinehq/redline/store"
)

// largeText returns about n bytes of varied, Unicode-rich text that
// compresses like real prose rather than like a repeated string.
func largeText(n int) string {
	rng := rand.New(rand.NewPCG(7, 11))
	words := []string{"le", "changement", "naïve", "façade", "日本語の文章", "Ελληνικά", "😀", "🇫🇷",
		"עברית", "e\u0301", "ß", "\t", "\r\n", "\n\n", "—", "«", "»", "2025-06-01", "$100"}
	var b strings.Builder
	b.Grow(n + 64)
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(8) == 0 {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func testTextRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	texts := []struct {
		name, text string
	}{
		{"empty", ""},
		{"ascii", "Hello, world."},
		{"unicode", "Ça a changé : 日本語, 😀, \u05e9\u05dc\u05d5\u05dd, e\u0301 vs é, \u200b zero width, \U0001F468\u200D\U0001F469\u200D\U0001F467"},
		{"whitespace", "  leading\r\n\ttabs\n\n\ntrailing   \n"},
		{"nul and invalid utf-8", "a\x00b\xff\xfe\xc3"},
		{"large", largeText(2 << 20)},
	}
	w := addWatch(t, s, "https://example.com/texts")
	for i, tt := range texts {
		outcome := store.OutcomeChanged
		if i == 0 {
			outcome = store.OutcomeNew
		}
		r := revisionResult(w.ID, outcome, time.Duration(i)*time.Minute, "x")
		r.Revision.Text = tt.text
		c := record(t, s, r)
		got, err := s.Revision(ctx, w.ID, c.RevisionSeq)
		if err != nil {
			t.Fatalf("%s: Revision(%d): %v", tt.name, c.RevisionSeq, err)
		}
		if got.Text != tt.text {
			t.Errorf("%s: text changed in the store: got %d bytes %.40q…, want %d bytes %.40q…",
				tt.name, len(got.Text), got.Text, len(tt.text), tt.text)
		}
	}
	latest, err := s.LatestRevision(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Text != texts[len(texts)-1].text {
		t.Errorf("LatestRevision: large text changed (%d bytes, want %d)", len(latest.Text), len(texts[len(texts)-1].text))
	}
}

func testDocumentRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	docs := []struct {
		name string
		doc  json.RawMessage
	}{
		{"none", nil},
		{"object", json.RawMessage(`{"title":"Le Monde","blocks":[{"kind":"p","text":"Ça change 😀"},{"kind":"h2","text":"x"}],"n":3,"ok":true,"nothing":null}`)},
		{"spaced", json.RawMessage("{\n  \"b\": [1, 2.5, -3e10],\n  \"a\": \"\\u00e9\\n\\\"quoted\\\"\"\n}")},
		{"array", json.RawMessage(`["a",{"z":1,"a":2}]`)},
		{"big number", json.RawMessage(`{"n":12345678901234567890}`)},
	}
	w := addWatch(t, s, "https://example.com/docs")
	for i, tt := range docs {
		r := revisionResult(w.ID, store.OutcomeChanged, time.Duration(i)*time.Minute, tt.name)
		r.Revision.Document = tt.doc
		c := record(t, s, r)
		got, err := s.Revision(ctx, w.ID, c.RevisionSeq)
		if err != nil {
			t.Fatalf("%s: Revision: %v", tt.name, err)
		}
		if tt.doc == nil {
			if len(got.Document) != 0 {
				t.Errorf("%s: Document = %s, want none", tt.name, got.Document)
			}
			continue
		}
		if d := diff(tt.doc, got.Document); d != "" {
			t.Errorf("%s: Document changed meaning (-want +got):\n%s", tt.name, d)
		}
	}
}

// decodeJSON decodes b keeping numbers exact, for comparing documents by
// meaning rather than by bytes.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers replaces each json.Number by its exact value as a
// fraction, since an engine may spell a number differently (-3e10 as
// -30000000000) without changing it.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalizeNumbers(x)
		}
	case []any:
		for i, x := range v {
			v[i] = normalizeNumbers(x)
		}
	case json.Number:
		if r, ok := new(big.Rat).SetString(v.String()); ok {
			return r.RatString()
		}
		return v.String()
	}
	return v
}

func testRevisions(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/history")
	other := addWatch(t, s, "https://example.com/other")
	var want []store.Revision
	for i, text := range []string{"one", "two", "three"} {
		outcome := store.OutcomeChanged
		if i == 0 {
			outcome = store.OutcomeNew
		}
		r := revisionResult(w.ID, outcome, time.Duration(i)*time.Hour, text)
		r.Revision.HTTPStatus = 200 + i
		c := record(t, s, r)
		record(t, s, plainResult(w.ID, store.OutcomeUnchanged, time.Duration(i)*time.Hour+time.Minute))
		record(t, s, revisionResult(other.ID, outcome, time.Duration(i)*time.Hour, "other "+text))
		rev := *r.Revision
		rev.WatchID, rev.Seq = w.ID, c.RevisionSeq
		rev.Text, rev.Document = "", nil // Revisions leaves them out
		want = append(want, rev)
	}
	got, err := s.Revisions(ctx, w.ID)
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("Revisions (-want +got):\n%s", d)
	}
	for i, r := range got {
		if r.Seq != i+1 {
			t.Errorf("Revisions[%d].Seq = %d, want %d (oldest first)", i, r.Seq, i+1)
		}
	}
}

// testClassRoundTrip: a revision's Class is stored as given and comes back
// from LatestRevision, Revision and Revisions.
func testClassRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := addWatch(t, s, "https://example.com/classes")
	classes := []string{"", "silent-edit", "headline", "metadata-only", "Ça a changé 😀 ' \" ; --"}
	for i, class := range classes {
		outcome := store.OutcomeChanged
		if i == 0 {
			outcome = store.OutcomeNew
		}
		r := revisionResult(w.ID, outcome, time.Duration(i)*time.Minute, fmt.Sprint("text ", i))
		r.Revision.Class = class
		c := record(t, s, r)
		got, err := s.Revision(ctx, w.ID, c.RevisionSeq)
		if err != nil {
			t.Fatalf("Revision(%d): %v", c.RevisionSeq, err)
		}
		if got.Class != class {
			t.Errorf("Revision(%d).Class = %q, want %q", c.RevisionSeq, got.Class, class)
		}
		latest, err := s.LatestRevision(ctx, w.ID)
		if err != nil {
			t.Fatalf("LatestRevision: %v", err)
		}
		if latest.Class != class {
			t.Errorf("LatestRevision.Class = %q, want %q", latest.Class, class)
		}
	}
	rs, err := s.Revisions(ctx, w.ID)
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Class)
	}
	if d := diff(classes, got); d != "" {
		t.Errorf("Revisions classes (-want +got):\n%s", d)
	}
}
