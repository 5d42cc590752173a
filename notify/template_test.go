package notify

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func templateSample(t *testing.T, event string) Message {
	t.Helper()
	for _, m := range templateSamples() {
		if m.Event == event {
			return m
		}
	}
	t.Fatalf("no sample %q", event)
	return Message{}
}

func TestTemplateDefault(t *testing.T) {
	r, err := newRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	three := templateSample(t, EventChanged)
	three.Watch.Name = ""
	three.Revision.URL = ""
	three.Removed = []string{"Alpha one two.", "Beta gone entirely.", "Gamma six."}
	three.Added = []string{"Alpha one two three.", "Delta brand new.", "Gamma six seven."}
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"changed", templateSample(t, EventChanged), `Example: silent edit: the body changed and no date moved
An example headline
1 paragraph changed, +1 −1 words
https://redline.example/watches/1/revisions/2
− The minister resigned on Tuesday.
+ The minister was dismissed on Tuesday.
`},
		{"pairs in reading order, no name, no revision link", three, `https://example.com/article: silent edit: the body changed and no date moved
An example headline
1 paragraph changed, +1 −1 words
https://example.com/article
− Alpha one two.
+ Alpha one two three.
− Beta gone entirely.
+ Delta brand new.
− Gamma six.
+ Gamma six seven.
`},
		{"new", templateSample(t, EventNew), `Example: first revision
An example headline
first revision
https://redline.example/watches/1/revisions/2
+ The minister was dismissed on Tuesday.
`},
		{"failing", templateSample(t, EventFailing), `Example: failing
health: failing, 3 checks in a row failed
error: fetch https://example.com/article: 503 Service Unavailable
https://example.com/article
`},
		{"recovered", templateSample(t, EventRecovered), `Example: recovered
health: ok again after 3 failed checks
https://example.com/article
`},
		{"test", templateSample(t, EventTest), `Example: test notification
This is a test message from redline: if you can read it, the notifier works.
An example headline
1 paragraph changed, +1 −1 words
https://redline.example/watches/1/revisions/2
− The minister resigned on Tuesday.
+ The minister was dismissed on Tuesday.
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.render(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("render (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemplateCustom(t *testing.T) {
	r, err := newRenderer(`{{.Watch.Name}} [{{.Watch.Tags | join ", "}}] {{truncate 12 .Title}} {{link .}}{{range changes .}}|{{.Sign}}{{.Text}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	m := templateSample(t, EventChanged)
	m.Watch.Tags = []string{"news", "fr"}
	got, err := r.render(m)
	if err != nil {
		t.Fatal(err)
	}
	want := "Example [news, fr] An example… https://redline.example/watches/1/revisions/2|−The minister resigned on Tuesday.|+The minister was dismissed on Tuesday."
	if got != want {
		t.Errorf("render = %q, want %q", got, want)
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"does not parse", "{{.Title", "template: message:1: unclosed action"},
		{"unknown function", "{{shout .Title}}", `function "shout" not defined`},
		{"unknown field", "{{.Headline}}", `template fails on a sample "changed" message`},
		{"nil health on a change", "{{.Health.State}}", `template fails on a sample "changed" message`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newRenderer(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("newRenderer(%q) = %v, want an error containing %q", tt.text, err, tt.want)
			}
		})
	}
	// Through New, the error names the notifier.
	_, err := New(Spec{Name: "chat", Type: "shoutrrr", URL: "generic+http://127.0.0.1:1/hook", Template: "{{.Nope}}"})
	if err == nil || !strings.HasPrefix(err.Error(), "notifier chat: shoutrrr: template fails") {
		t.Errorf("New = %v, want a template error naming the notifier", err)
	}
}

func TestTemplateTruncate(t *testing.T) {
	tests := []struct {
		n    int
		s    string
		want string
	}{
		{10, "short", "short"},
		{5, "short", "short"},
		{4, "short", "sho…"},
		{11, "hello brave new world", "hello…"},
		{12, "hello brave new world", "hello brave…"},
		{7, "ééé ééé ééé", "ééé…"},
		{3, "日本語のテキスト", "日本…"},
		{0, "anything", ""},
	}
	for _, tt := range tests {
		if got := truncateWords(tt.n, tt.s); got != tt.want {
			t.Errorf("truncateWords(%d, %q) = %q, want %q", tt.n, tt.s, got, tt.want)
		}
	}
}

func TestLimitFits(t *testing.T) {
	tests := []struct {
		l    sizeLimit
		s    string
		want bool
	}{
		{sizeLimit{}, strings.Repeat("x", 1e6), true},
		{sizeLimit{runes: 3}, "abc", true},
		{sizeLimit{runes: 3}, "abcd", false},
		{sizeLimit{runes: 3}, "ééé", true}, // 6 bytes, 3 runes
		{sizeLimit{bytes: 5}, "ééé", false},
		{sizeLimit{bytes: 6}, "ééé", true},
		{sizeLimit{runes: 2}, "😀😀", true},
		{sizeLimit{runes: 2, utf16: true}, "😀😀", false}, // 4 UTF-16 code units
		{sizeLimit{runes: 4, utf16: true}, "😀😀", true},
	}
	for _, tt := range tests {
		if got := tt.l.fits(tt.s); got != tt.want {
			t.Errorf("%+v.fits(%q) = %v, want %v", tt.l, tt.s, got, tt.want)
		}
	}
}

// numberedParagraphs returns n paragraphs of words words each, every one distinct.
func numberedParagraphs(prefix string, n, words int) []string {
	out := make([]string, n)
	for i := range out {
		w := make([]string, words)
		for j := range w {
			w[j] = fmt.Sprintf("%s%dw%d", prefix, i, j)
		}
		out[i] = strings.Join(w, " ")
	}
	return out
}

func TestRenderLimited(t *testing.T) {
	r, err := newRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	base := templateSample(t, EventChanged)
	link := base.Revision.URL
	full := func(m Message) string {
		s, err := r.render(m)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	fullRunes := utf8.RuneCountInString(full(base))

	many := base
	many.Removed, many.Added = nil, numberedParagraphs("p", 40, 8) // 40 added paragraphs
	cyr := base
	cyr.Removed = nil
	cyr.Added = []string{
		strings.TrimSpace(strings.Repeat("Привет мир ", 20)),
		strings.TrimSpace(strings.Repeat("ещё один абзац ", 20)),
		strings.TrimSpace(strings.Repeat("и третий 😀 ", 20)),
	}
	huge := base
	huge.Removed, huge.Added = nil, []string{strings.Repeat("lorem ipsum dolor ", 500)}
	hugeTitle := base
	hugeTitle.Title = strings.Repeat("headline ", 400)
	noLink := templateSample(t, EventFailing)
	noLink.Watch.URL = ""
	noLink.Health.Error = strings.Repeat("error ", 400)
	oneWord := base
	oneWord.Removed, oneWord.Added = nil, []string{strings.Repeat("x", 5000)}

	tests := []struct {
		name string
		m    Message
		l    sizeLimit
		// want, when set, is the exact result; else the result is checked
		// against the invariants below and these:
		want     string
		wantMore int      // N in "… N more changes" (-1: no note)
		contains []string // pieces the result must hold
	}{
		{name: "exact boundary fits", m: base, l: sizeLimit{runes: fullRunes}, want: full(base)},
		{name: "unlimited", m: many, l: sizeLimit{}, want: full(many)},
		{
			name: "one rune short: two paragraphs left out, none cut", m: base, l: sizeLimit{runes: fullRunes - 1},
			want: `Example: silent edit: the body changed and no date moved
An example headline
1 paragraph changed, +1 −1 words
https://redline.example/watches/1/revisions/2
… 2 more changes: ` + link,
		},
		{
			name: "many paragraphs: count and link", m: many, l: sizeLimit{runes: 500},
			wantMore: -2, contains: []string{"+ p0w0 p0w1", "more changes: " + link},
		},
		{
			name: "multi-byte, bytes limit (ntfy)", m: cyr, l: sizeLimit{bytes: 600},
			wantMore: -2, contains: []string{"Привет мир Привет", "more change"},
		},
		{
			name: "multi-byte, rune limit", m: cyr, l: sizeLimit{runes: 780},
			wantMore: 1, contains: []string{"ещё один абзац", "more change"},
		},
		{
			name: "emoji counted as UTF-16 (telegram)", m: cyr, l: sizeLimit{runes: 650, utf16: true},
			wantMore: -2,
		},
		{
			name: "one huge paragraph is cut at a word", m: huge, l: sizeLimit{runes: 2000},
			wantMore: 1, contains: []string{"+ lorem ipsum dolor lorem", " …\n… 1 more change: " + link},
		},
		{
			name: "a huge title is cut, the change counted", m: hugeTitle, l: sizeLimit{runes: 1000},
			wantMore: 2, contains: []string{"Example: silent edit", "headline headline …\n… 2 more changes: " + link},
		},
		{
			name: "a single word longer than the limit is never cut", m: oneWord, l: sizeLimit{runes: 1024},
			wantMore: 1, contains: []string{"words\n" + link + "\n… 1 more change: " + link},
		},
		{
			name: "no link, no change: marked cut", m: noLink, l: sizeLimit{runes: 300},
			contains: []string{"error: error error", " …\n…"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.renderLimited(tt.m, tt.l)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("renderLimited (-want +got):\n%s", diff)
				}
				return
			}
			if !tt.l.fits(got) {
				t.Errorf("result does not fit %+v: %d runes, %d bytes", tt.l, utf8.RuneCountInString(got), len(got))
			}
			if !utf8.ValidString(got) {
				t.Errorf("result is not valid UTF-8")
			}
			for _, c := range tt.contains {
				if !strings.Contains(got, c) {
					t.Errorf("result lacks %q:\n%s", c, got)
				}
			}
			if l := messageLink(tt.m); l != "" && !strings.HasSuffix(got, l) {
				t.Errorf("result does not end with the link %s:\n%s", l, got)
			}
			// Every change line is a whole paragraph, or a prefix cut at
			// a word boundary and marked " …"; count the whole ones.
			paras := map[string]bool{}
			for _, p := range append(append([]string(nil), tt.m.Removed...), tt.m.Added...) {
				paras[p] = true
			}
			shown := 0
			for _, line := range strings.Split(got, "\n") {
				text, ok := strings.CutPrefix(line, "+ ")
				if !ok {
					text, ok = strings.CutPrefix(line, "− ")
				}
				if !ok {
					continue
				}
				if paras[text] {
					shown++
					continue
				}
				cut, marked := strings.CutSuffix(text, " …")
				if !marked {
					cut, marked = strings.CutSuffix(text, "…") // a word cut as a last resort
				}
				found := false
				for p := range paras {
					if marked && strings.HasPrefix(p, cut) && (len(cut) == len(p) || p[len(cut)] == ' ' || !strings.Contains(p, " ")) {
						found = true
					}
				}
				if !found {
					t.Errorf("line %q is neither a paragraph nor one cut at a word", line)
				}
			}
			left := len(paras) - shown
			if tt.wantMore > 0 && left != tt.wantMore {
				t.Errorf("%d paragraphs left out, want %d", left, tt.wantMore)
			}
			note := fmt.Sprintf("… %d more changes", left)
			if left == 1 {
				note = "… 1 more change"
			}
			if left > 0 && !strings.Contains(got, note) {
				t.Errorf("result lacks %q:\n%s", note, got)
			}
			if left > 0 && strings.Count(got, "more change") != 1 {
				t.Errorf("note appears %d times", strings.Count(got, "more change"))
			}
		})
	}
}

// TestRenderLimitedEveryLimit cuts one message at every limit from very
// small to its full size: each result fits, and the count is right.
func TestRenderLimitedEveryLimit(t *testing.T) {
	r, err := newRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	m := templateSample(t, EventChanged)
	m.Removed = []string{"Ünïcödé old words here.", "Second old paragraph 😀 with emoji."}
	m.Added = []string{"Ünïcödé new words here.", "Second new paragraph 😀 with emoji.", "Third, only added."}
	full, _ := r.render(m)
	for n := 120; n <= utf8.RuneCountInString(full)+1; n++ {
		for _, l := range []sizeLimit{{runes: n}, {bytes: n}, {runes: n, utf16: true}} {
			got, err := r.renderLimited(m, l)
			if err != nil {
				t.Fatal(err)
			}
			if !l.fits(got) || !utf8.ValidString(got) {
				t.Fatalf("limit %+v: result does not fit or is invalid:\n%s", l, got)
			}
			if got != full && !strings.HasSuffix(got, "change: "+m.Revision.URL) && !strings.HasSuffix(got, "changes: "+m.Revision.URL) {
				t.Fatalf("limit %+v: cut result lacks the note and link:\n%s", l, got)
			}
		}
	}
}

func TestTemplateChangeOrderFallsBack(t *testing.T) {
	m := Message{Removed: []string{"", "same\nlines"}, Added: []string{"", "x"}}
	got := changeLines(m)
	if len(got) != 4 {
		t.Fatalf("changeLines = %v, want all 4 paragraphs", got)
	}
	seen := map[string]int{}
	for _, c := range got {
		seen[c.Sign+c.Text]++
	}
	want := map[string]int{"−": 1, "−same\nlines": 1, "+": 1, "+x": 1}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("changeLines (-want +got):\n%s", diff)
	}
}

// digestMessage is a digest of three changes on two watches: a change and
// a failure of Example, and between them the first revision of City hall.
func digestMessage(t *testing.T) Message {
	t.Helper()
	first := templateSample(t, EventNew)
	first.Delivery = "2-new-1-team"
	first.Watch = Watch{ID: 2, Name: "City hall", URL: "https://city.example/news"}
	first.Revision = &Revision{New: 1, FetchedAt: first.Revision.FetchedAt, URL: "https://redline.example/watches/2/revisions/1"}
	first.Title = "Budget vote"
	first.Added = []string{"The council votes on the budget on Friday."}
	return Message{
		Version: Version, Event: EventDigest, Delivery: "digest-team-0123456789abcdef",
		Summary: "3 changes on 2 watches",
		Changes: []Message{templateSample(t, EventChanged), first, templateSample(t, EventFailing)},
	}
}

const digestText = `redline digest: 3 changes on 2 watches

Example: silent edit: the body changed and no date moved
An example headline
1 paragraph changed, +1 −1 words
https://redline.example/watches/1/revisions/2
− The minister resigned on Tuesday.
+ The minister was dismissed on Tuesday.

City hall: first revision
Budget vote
first revision
https://redline.example/watches/2/revisions/1
+ The council votes on the budget on Friday.

Example: failing
health: failing, 3 checks in a row failed
error: fetch https://example.com/article: 503 Service Unavailable
https://example.com/article
`

func TestTemplateDigest(t *testing.T) {
	r := defaultRenderer(t)
	got, err := r.render(digestMessage(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(digestText, got); diff != "" {
		t.Errorf("render (-want +got):\n%s", diff)
	}
	// Each section is the change's own message.
	for _, c := range digestMessage(t).Changes {
		alone, _ := r.render(c)
		if !strings.Contains(got, "\n\n"+alone) {
			t.Errorf("the digest lacks the %s message of %s as sent alone:\n%s", c.Event, c.Watch.Name, alone)
		}
	}
	// No changes: the header alone.
	empty := Message{Version: Version, Event: EventDigest, Delivery: "d", Summary: "0 changes"}
	if got, _ := r.render(empty); got != "redline digest: 0 changes\n" {
		t.Errorf("render of an empty digest = %q", got)
	}
	if got := messageHeadline(empty); got != "digest" {
		t.Errorf("headline = %q, want digest", got)
	}
	// templateSamples has a digest, so that newRenderer tries a template
	// on one.
	if d := templateSample(t, EventDigest); len(d.Changes) == 0 || d.Watch.URL != "" || d.Revision != nil {
		t.Errorf("digest sample = %+v, want changes and no watch or revision", d)
	}
}

func TestTemplateDigestCustom(t *testing.T) {
	tests := []struct{ name, tmpl, want string }{
		{
			"one line a change",
			`{{.Watch.Name}} — {{headline .}}{{with .Title}} ({{.}}){{end}} {{link .}}`,
			`redline digest: 3 changes on 2 watches

Example — silent edit: the body changed and no date moved (An example headline) https://redline.example/watches/1/revisions/2

City hall — first revision (Budget vote) https://redline.example/watches/2/revisions/1

Example — failing https://example.com/article
`,
		},
		{
			"a change shown as nothing is left out",
			`{{if ne .Event "failing"}}{{.Watch.Name}}: {{range changes .}}{{.}} {{end}}{{end}}`,
			`redline digest: 3 changes on 2 watches

Example: − The minister resigned on Tuesday. + The minister was dismissed on Tuesday.

City hall: + The council votes on the budget on Friday.
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := newRenderer(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.render(digestMessage(t))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("render (-want +got):\n%s", diff)
			}
			// Within a limit, sections are dropped whole.
			l := sizeLimit{runes: utf8.RuneCountInString(got) - 2}
			cut, err := r.renderLimited(digestMessage(t), l)
			if err != nil {
				t.Fatal(err)
			}
			if !l.fits(cut) || !strings.HasSuffix(cut, "\n\n… 1 more change") {
				t.Errorf("renderLimited(%+v) = %q, want the last section replaced by the note", l, cut)
			}
		})
	}
	// A template that fails on a change fails on the digest, naming it.
	r, err := newRenderer(`{{if eq .Event "new"}}{{.Health.State}}{{end}}`)
	if err == nil {
		_, err = r.render(digestMessage(t))
	}
	if err == nil || !strings.Contains(err.Error(), "new") {
		t.Errorf("a template failing on a first revision: %v", err)
	}
}

// checkDigestCut checks a digest cut to l: within l, valid UTF-8, the
// header, then the first sections whole and in order, then "… N more
// changes", N the changes not shown; it returns the sections shown.
func checkDigestCut(t *testing.T, r *renderer, m Message, l sizeLimit, got string) int {
	t.Helper()
	if !l.fits(got) || !utf8.ValidString(got) {
		t.Fatalf("limit %+v: result does not fit or is not valid UTF-8 (%d runes, %d bytes):\n%s", l, utf8.RuneCountInString(got), len(got), got)
	}
	header := "redline digest: " + m.Summary + "\n\n"
	body, ok := strings.CutPrefix(got, header)
	if !ok {
		t.Fatalf("limit %+v: result does not start with the header:\n%s", l, got)
	}
	parts := strings.Split(body, "\n\n")
	shown := len(parts) - 1
	for i, p := range parts[:shown] {
		want, _ := r.render(m.Changes[i])
		if p != strings.TrimRight(want, "\n") {
			t.Fatalf("limit %+v: section %d is not change %d whole:\n%s", l, i+1, i+1, p)
		}
	}
	if want := digestNote(len(m.Changes) - shown); parts[shown] != want {
		t.Fatalf("limit %+v: result ends with %q, want %q", l, parts[shown], want)
	}
	return shown
}

func TestRenderLimitedDigest(t *testing.T) {
	r := defaultRenderer(t)
	d := digestMessage(t)
	full, _ := r.render(d)
	fullRunes := utf8.RuneCountInString(full)

	t.Run("exact", func(t *testing.T) {
		if got, _ := r.renderLimited(d, sizeLimit{runes: fullRunes}); got != full {
			t.Errorf("at its own size the digest is cut:\n%s", got)
		}
		// Without its final newline, the whole digest fits: nothing is
		// left out.
		if got, _ := r.renderLimited(d, sizeLimit{runes: fullRunes - 1}); got != strings.TrimSuffix(full, "\n") {
			t.Errorf("one rune short, the digest is cut:\n%s", got)
		}
		got, _ := r.renderLimited(d, sizeLimit{runes: fullRunes - 2})
		want := strings.TrimSuffix(digestText, "\n")
		want = want[:strings.LastIndex(want, "\n\nExample: failing")] + "\n\n… 1 more change"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("two runes short (-want +got):\n%s", diff)
		}
		one := strings.Index(digestText, "\n\nCity hall")
		got, _ = r.renderLimited(d, sizeLimit{runes: utf8.RuneCountInString(digestText[:one]) + 20})
		if want := digestText[:one] + "\n\n… 2 more changes"; got != want {
			t.Errorf("room for one section:\n%s\nwant\n%s", got, want)
		}
	})

	// Many changes of many sizes, in Cyrillic with emoji.
	many := Message{Version: Version, Event: EventDigest, Delivery: "digest-many", Summary: "40 changes on 40 watches"}
	for i := range 40 {
		c := templateSample(t, EventChanged)
		c.Watch = Watch{ID: int64(i + 1), Name: fmt.Sprintf("Газета %d 😀", i+1), URL: fmt.Sprintf("https://example.ru/%d", i+1)}
		c.Removed = []string{strings.TrimSpace(strings.Repeat("старый абзац 😀 ", 1+i%7))}
		c.Added = []string{strings.TrimSpace(strings.Repeat("новый абзац 😀 ", 1+i%5))}
		many.Changes = append(many.Changes, c)
	}
	for _, l := range []sizeLimit{{runes: 2000}, {runes: 4096, utf16: true}, {bytes: 4096}, {runes: 1024}, {bytes: 1000}} {
		t.Run(fmt.Sprintf("many %+v", l), func(t *testing.T) {
			got, err := r.renderLimited(many, l)
			if err != nil {
				t.Fatal(err)
			}
			shown := checkDigestCut(t, r, many, l, got)
			if shown == 0 || shown == len(many.Changes) {
				t.Errorf("%d sections shown, want some but not all", shown)
			}
			// One more section would not have fitted.
			next := strings.TrimSuffix(got, "\n\n"+digestNote(len(many.Changes)-shown))
			sec, _ := r.render(many.Changes[shown])
			if l.fits(next + "\n\n" + strings.TrimRight(sec, "\n") + "\n\n" + digestNote(len(many.Changes)-shown-1)) {
				t.Errorf("section %d would have fitted too", shown+1)
			}
		})
	}

	t.Run("a huge first section is cut inside", func(t *testing.T) {
		huge := digestMessage(t)
		huge.Changes[0].Removed, huge.Changes[0].Added = nil, numberedParagraphs("p", 60, 8)
		l := sizeLimit{runes: 1000}
		got, err := r.renderLimited(huge, l)
		if err != nil {
			t.Fatal(err)
		}
		if !l.fits(got) || !utf8.ValidString(got) {
			t.Fatalf("result does not fit:\n%s", got)
		}
		for _, want := range []string{
			"redline digest: 3 changes on 2 watches\n\nExample: silent edit",
			"\n+ p0w0 p0w1",
			"more changes: https://redline.example/watches/1/revisions/2\n\n… 2 more changes",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("result lacks %q:\n%s", want, got)
			}
		}
		if !strings.HasSuffix(got, "\n\n… 2 more changes") || strings.Contains(got, "City hall") {
			t.Errorf("result does not end with the two other changes counted:\n%s", got)
		}
	})

	// Every limit from tiny to the full size: always within it, valid, and
	// a cut result ends with the count of the changes left out.
	t.Run("every limit", func(t *testing.T) {
		m := digestMessage(t)
		m.Changes[1].Added = []string{"Ünïcödé 😀 paragraph, the first.", "Second 😀 paragraph with emoji."}
		full, _ := r.render(m)
		for n := 40; n <= len(full)+1; n++ {
			for _, l := range []sizeLimit{{runes: n}, {bytes: n}, {runes: n, utf16: true}} {
				got, err := r.renderLimited(m, l)
				if err != nil {
					t.Fatal(err)
				}
				if !l.fits(got) || !utf8.ValidString(got) {
					t.Fatalf("limit %+v: result does not fit or is invalid:\n%s", l, got)
				}
				if got == full || got == strings.TrimSuffix(full, "\n") {
					continue
				}
				if !strings.HasSuffix(got, " more change") && !strings.HasSuffix(got, " more changes") {
					t.Fatalf("limit %+v: cut result lacks the note:\n%s", l, got)
				}
				if strings.Contains(got, "\n\nCity hall") {
					checkDigestCut(t, r, m, l, got)
				}
			}
		}
	})
}
