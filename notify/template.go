package notify

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/redlinehq/redline/diff"
)

// defaultTemplate renders a Message as plain text for chat services and the
// text part of an email: a first line "<watch>: <what happened>", then the
// title, the summary and the link (or, for failing and recovered, the
// health), then one line per changed paragraph, "− " for a removed one and
// "+ " for an added one, in reading order.
//
// A template, this one or a custom one (Spec.Template), never sees a digest
// (EventDigest) itself: the renderer applies it to each of the digest's
// Changes and joins the sections, a blank line between them, under a first
// line "redline digest: <summary>" (see renderer.render).
const defaultTemplate = `{{- or .Watch.Name .Watch.URL}}: {{headline .}}
{{- if or (eq .Event "failing") (eq .Event "recovered")}}
{{- with .Health}}
{{- if eq .State "failing"}}
health: failing, {{.ConsecutiveErrors}} checks in a row failed
{{- else}}
health: {{.State}} again after {{.ConsecutiveErrors}} failed checks
{{- end}}
{{- with .Error}}
error: {{.}}
{{- end}}
{{- end}}
{{- else}}
{{- if eq .Event "test"}}
This is a test message from redline: if you can read it, the notifier works.
{{- end}}
{{- with .Title}}
{{.}}
{{- end}}
{{- with .Summary}}
{{.}}
{{- end}}
{{- end}}
{{- with link .}}
{{.}}
{{- end}}
{{- range changes .}}
{{.}}
{{- end}}
`

// templateFuncs are the functions a template may call besides text/template's
// own (and, or, eq, index, len, printf…):
//
//   - headline M: what happened, in a few words: the classification's
//     description for a change ("silent edit: the body changed and no date
//     moved"), else "changed", "first revision", "failing", "recovered",
//     "test notification" or "digest";
//   - link M: the revision's link in redline's web interface
//     (Message.Revision.URL) when there is one, else the watch's URL;
//   - changes M: the changed paragraphs in reading order, an edited
//     paragraph's old side right before its new side; each has Sign ("−"
//     or "+"), Text, and prints as "<sign> <text>";
//   - truncate N S: S cut to at most N characters at a word boundary, with
//     "…" at the end when it was cut;
//   - join SEP LIST: the strings of LIST separated by SEP, e.g.
//     {{.Watch.Tags | join ", "}}.
var templateFuncs = template.FuncMap{
	"headline": messageHeadline,
	"link":     messageLink,
	"changes":  changeLines,
	"truncate": truncateWords,
	"join":     func(sep string, list []string) string { return strings.Join(list, sep) },
}

// renderer renders Messages as text through one template.
type renderer struct {
	tmpl *template.Template
}

// newRenderer parses text (the default template when empty) and tries it on
// a sample Message of every event, so that a template that would fail at
// delivery fails at construction instead.
func newRenderer(text string) (*renderer, error) {
	if text == "" {
		text = defaultTemplate
	}
	tmpl, err := template.New("message").Funcs(templateFuncs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	r := &renderer{tmpl: tmpl}
	for _, m := range templateSamples() {
		if _, err := r.render(m); err != nil {
			return nil, fmt.Errorf("template fails on a sample %q message: %w", m.Event, err)
		}
	}
	return r, nil
}

// render returns m rendered in full. A digest is rendered as digestHeader,
// then each change as the template renders it, a blank line before each.
func (r *renderer) render(m Message) (string, error) {
	if m.Event == EventDigest {
		sections, err := r.digestSections(m)
		if err != nil {
			return "", err
		}
		return joinDigest(m, sections, ""), nil
	}
	var b strings.Builder
	if err := r.tmpl.Execute(&b, m); err != nil {
		return "", err
	}
	return b.String(), nil
}

// digestHeader is the first line of a digest's text: "redline digest:
// <summary>".
func digestHeader(m Message) string {
	return strings.TrimRightFunc("redline digest: "+m.Summary, unicode.IsSpace)
}

// digestSections renders each change of the digest m in full, with the
// white space it ends with trimmed.
func (r *renderer) digestSections(m Message) ([]string, error) {
	sections := make([]string, len(m.Changes))
	for i, c := range m.Changes {
		text, err := r.render(c)
		if err != nil {
			return nil, fmt.Errorf("change %d (%s of %s): %w", i+1, c.Event, cmp.Or(c.Watch.Name, c.Watch.URL), err)
		}
		sections[i] = strings.TrimRightFunc(text, unicode.IsSpace)
	}
	return sections, nil
}

// joinDigest returns the text of the digest m showing sections (those of
// its first changes), followed by note when it is not "": digestHeader,
// then each section that is not empty after a blank line, then the note
// after a blank line, and a final newline.
func joinDigest(m Message, sections []string, note string) string {
	var b strings.Builder
	b.WriteString(digestHeader(m))
	for _, s := range sections {
		if s == "" {
			continue // a custom template that shows nothing for this change
		}
		b.WriteString("\n\n")
		b.WriteString(s)
	}
	if note != "" {
		b.WriteString("\n\n")
		b.WriteString(note)
	}
	b.WriteByte('\n')
	return b.String()
}

// digestNote is what a cut digest ends with: "… N more changes", N the
// changes left out entirely; "" when none is.
func digestNote(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "… 1 more change"
	}
	return "… " + strconv.Itoa(n) + " more changes"
}

// messageHeadline says what happened to the watch, in a few words.
func messageHeadline(m Message) string {
	switch m.Event {
	case EventChanged:
		if m.ClassDescription != "" {
			return m.ClassDescription
		}
		return "changed"
	case EventNew:
		return "first revision"
	case EventTest:
		return "test notification"
	case EventDigest:
		return "digest"
	case "":
		return "notification"
	}
	return m.Event
}

// messageLink returns where to read more about m: the revision in
// redline's web interface, else the watch's page.
func messageLink(m Message) string {
	if m.Revision != nil && m.Revision.URL != "" {
		return m.Revision.URL
	}
	return m.Watch.URL
}

// changeLine is one changed paragraph as a template sees it.
type changeLine struct {
	Sign string // "−" (U+2212) for a removed paragraph, "+" for an added one
	Text string
}

// String returns the line as the default template prints it.
func (c changeLine) String() string { return c.Sign + " " + c.Text }

// changeRef points at a paragraph of Message.Removed (removed) or
// Message.Added.
type changeRef struct {
	removed bool
	index   int
}

// changeOrder returns every paragraph of m.Removed and m.Added in reading
// order: diff.Compare pairs the removed paragraphs with the added ones they
// are edits of, and lists each pair's old side right before its new side.
// The removed paragraphs keep their order, and so do the added ones, so the
// first k entries are always prefixes of both lists.
func changeOrder(m Message) []changeRef {
	total := len(m.Removed) + len(m.Added)
	if total == 0 {
		return nil
	}
	if len(m.Removed) == 0 || len(m.Added) == 0 {
		return removedThenAdded(m)
	}
	c := diff.Compare(paragraphText(m.Removed), paragraphText(m.Added))
	order := make([]changeRef, 0, total)
	nextOld, nextNew := 0, 0
	for _, l := range c.Lines {
		// Paragraph i is on line 2i+1 of the text paragraphText builds.
		if l.Op != diff.Insert && l.OldNo%2 == 1 {
			i := (l.OldNo - 1) / 2
			if i != nextOld {
				return removedThenAdded(m)
			}
			order = append(order, changeRef{removed: true, index: i})
			nextOld++
		}
		if l.Op != diff.Delete && l.NewNo%2 == 1 {
			i := (l.NewNo - 1) / 2
			if i != nextNew {
				return removedThenAdded(m)
			}
			order = append(order, changeRef{index: i})
			nextNew++
		}
	}
	if nextOld != len(m.Removed) || nextNew != len(m.Added) {
		return removedThenAdded(m)
	}
	return order
}

// removedThenAdded lists the removed paragraphs, then the added ones.
func removedThenAdded(m Message) []changeRef {
	order := make([]changeRef, 0, len(m.Removed)+len(m.Added))
	for i := range m.Removed {
		order = append(order, changeRef{removed: true, index: i})
	}
	for i := range m.Added {
		order = append(order, changeRef{index: i})
	}
	return order
}

// paragraphText joins paragraphs as a canonical text does, one per line
// with a blank line between them, so that paragraph i is on line 2i+1. A
// paragraph that is empty or spans lines is made a single non-blank line.
func paragraphText(paras []string) string {
	var b strings.Builder
	for i, p := range paras {
		if i > 0 {
			b.WriteString("\n\n")
		}
		p = strings.ReplaceAll(p, "\n", " ")
		if strings.TrimSpace(p) == "" {
			p = "\x00" // a non-blank line that matches no real paragraph
		}
		b.WriteString(p)
	}
	b.WriteByte('\n')
	return b.String()
}

// changeLines returns m's changed paragraphs in reading order.
func changeLines(m Message) []changeLine {
	order := changeOrder(m)
	out := make([]changeLine, len(order))
	for i, ref := range order {
		if ref.removed {
			out[i] = changeLine{Sign: "−", Text: m.Removed[ref.index]}
		} else {
			out[i] = changeLine{Sign: "+", Text: m.Added[ref.index]}
		}
	}
	return out
}

// truncateWords returns s cut to at most n runes at a word boundary (inside a
// word only when its first word alone is longer), with "…" appended when it
// was cut; the "…" counts in the n runes.
func truncateWords(n int, s string) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	l := sizeLimit{runes: n}
	ends := wordEnds(s)
	if i := searchLast(len(ends), func(i int) bool { return l.fits(s[:ends[i]] + "…") }); i >= 0 {
		return s[:ends[i]] + "…"
	}
	return hardCutToLimit(s, sizeLimit{runes: n - 1}) + "…"
}

// sizeLimit is how large a message a service accepts; a zero field is no limit.
type sizeLimit struct {
	runes int  // characters (code points; UTF-16 code units when utf16 is set)
	bytes int  // bytes of UTF-8
	utf16 bool // count characters outside the Basic Multilingual Plane twice
}

// fits reports whether s is within l.
func (l sizeLimit) fits(s string) bool {
	if l.bytes > 0 && len(s) > l.bytes {
		return false
	}
	if l.runes > 0 {
		if len(s) <= l.runes {
			return true // at least one byte per character
		}
		n := 0
		for _, r := range s {
			n++
			if l.utf16 && r > 0xFFFF {
				n++
			}
		}
		return n <= l.runes
	}
	return true
}

// share returns how much of l s takes: 1 is all of it.
func (l sizeLimit) share(s string) float64 {
	var sh float64
	if l.bytes > 0 {
		sh = float64(len(s)) / float64(l.bytes)
	}
	if l.runes > 0 {
		n := 0
		for _, r := range s {
			n++
			if l.utf16 && r > 0xFFFF {
				n++
			}
		}
		sh = max(sh, float64(n)/float64(l.runes))
	}
	return sh
}

// unlimited reports whether l has no bound at all.
func (l sizeLimit) unlimited() bool { return l.runes <= 0 && l.bytes <= 0 }

// renderLimited renders m within l without silently dropping anything. When
// the full text does not fit, it leaves out the last changed paragraphs
// (whole ones: the text is cut at a paragraph boundary) and ends with
// "… N more changes: <link>", N the number of changed paragraphs not shown
// in full. Only when not even the first changed paragraph fits, and leaving
// it out would leave more than half of the room unused, is it cut inside, at
// a word boundary, and marked with "…"; and only when the text without any
// changed paragraph is still too long is that text cut, at a line boundary
// if it can be, else at a word boundary. The result is always
// within l, but for a limit smaller than the note itself.
//
// A digest is cut at its changes' boundaries first: it shows the first
// changes' sections whole, as many as fit, and ends with "… N more changes",
// N the changes left out (see renderDigestLimited).
func (r *renderer) renderLimited(m Message, l sizeLimit) (string, error) {
	full, err := r.render(m)
	if err != nil {
		return "", err
	}
	if l.unlimited() || l.fits(full) {
		return full, nil
	}
	if m.Event == EventDigest {
		return r.renderDigestLimited(m, l, full)
	}
	order := changeOrder(m)
	total := len(order)
	link := messageLink(m)

	// attempt renders the first k changes, plus partial (when not "") as
	// the (k+1)th, followed by the note.
	attempt := func(k int, partial string) (string, bool) {
		sub := m
		nr, na := 0, 0
		for _, ref := range order[:k] {
			if ref.removed {
				nr++
			} else {
				na++
			}
		}
		sub.Removed, sub.Added = m.Removed[:nr:nr], m.Added[:na:na]
		if partial != "" {
			if order[k].removed {
				sub.Removed = append(sub.Removed, partial)
			} else {
				sub.Added = append(sub.Added, partial)
			}
		}
		text, err := r.render(sub)
		if err != nil {
			return "", false
		}
		text = strings.TrimRightFunc(text, unicode.IsSpace) + moreNote(total-k, link)
		return text, l.fits(text)
	}

	// The most whole changes that fit: fewer changes, shorter text.
	k := searchLast(total, func(k int) bool { _, ok := attempt(k, ""); return ok })
	if k > 0 {
		text, _ := attempt(k, "")
		return text, nil
	}
	if k == 0 {
		// Not one whole change fits. When that leaves most of the room
		// unused (one huge paragraph), show as much of the first change
		// as fits, cut at a word boundary.
		text, _ := attempt(0, "")
		if l.share(text) >= 0.5 {
			return text, nil
		}
		p := order[0]
		para := m.Added
		if p.removed {
			para = m.Removed
		}
		words := wordEnds(para[p.index])
		partial := func(i int) string { return para[p.index][:words[i]] + " …" }
		if i := searchLast(len(words), func(i int) bool { _, ok := attempt(0, partial(i)); return ok }); i >= 0 {
			text, _ = attempt(0, partial(i))
		}
		return text, nil
	}

	// Not even the text without changes fits (a huge title, error or
	// custom template): cut the full text itself, counting as left out
	// every changed paragraph it does not show in full.
	paras := append(append([]string(nil), m.Removed...), m.Added...)
	note := func(kept string) string {
		n := 0
		for _, p := range paras {
			if !strings.Contains(kept, p) {
				n++
			}
		}
		return moreNote(n, link)
	}
	return cutToLimit(full, l, note), nil
}

// renderDigestLimited renders the digest m, whose full text full does not
// fit l, within l: the first changes' sections, as many as fit whole, then
// "… N more changes", N the changes left out. When not even the first
// section fits whole, that section is cut as renderLimited cuts a single
// message (its last changed paragraphs left out, with its own note and
// link), in the room the header and the digest's note leave, provided that
// it keeps at least the section's first line. Only when that fails too (a
// limit not much larger than the header) is the full text cut.
func (r *renderer) renderDigestLimited(m Message, l sizeLimit, full string) (string, error) {
	all, err := r.digestSections(m)
	if err != nil {
		return "", err
	}
	// The changes a custom template shows nothing of are neither shown
	// nor counted.
	var sections []string
	var changes []Message
	for i, s := range all {
		if s != "" {
			sections, changes = append(sections, s), append(changes, m.Changes[i])
		}
	}
	total := len(sections)
	// A cut text ends with its note, as a cut message does.
	join := func(sections []string, note string) string {
		return strings.TrimRightFunc(joinDigest(m, sections, note), unicode.IsSpace)
	}
	attempt := func(k int) (string, bool) {
		text := join(sections[:k], digestNote(total-k))
		return text, l.fits(text)
	}
	// More whole sections, a longer text: the note shrinks by at most one
	// character for each section added, which adds at least two.
	if k := searchLast(total+1, func(k int) bool { _, ok := attempt(k); return ok }); k > 0 {
		text, _ := attempt(k)
		return text, nil
	}
	if total > 0 {
		// Cut inside the first section, in the room left around it.
		around := digestHeader(m) + "\n\n" // the header and the blank line
		if note := digestNote(total - 1); note != "" {
			around += "\n\n" + note
		}
		if room, ok := l.less(around); ok {
			sec, err := r.renderLimited(changes[0], room)
			if err != nil {
				return "", err
			}
			sec = strings.TrimRightFunc(sec, unicode.IsSpace)
			// Worth it only if it shows at least the section's first
			// line (which names the watch), not the note alone.
			first, _, _ := strings.Cut(sections[0], "\n")
			if text := join([]string{sec}, digestNote(total-1)); strings.HasPrefix(sec, first) && l.fits(text) {
				return text, nil
			}
		}
	}
	// Not even the header and the first change's start fit: cut the full
	// text, counting as left out every change whose section it does not
	// show in full.
	note := func(kept string) string {
		n := 0
		for _, s := range sections {
			if !strings.Contains(kept, s) {
				n++
			}
		}
		if n == 0 {
			return ""
		}
		return "\n" + digestNote(n)
	}
	return cutToLimit(full, l, note), nil
}

// less returns what is left of l once s is taken, and false when s takes
// all of it.
func (l sizeLimit) less(s string) (sizeLimit, bool) {
	out := l
	if l.bytes > 0 {
		out.bytes -= len(s)
		if out.bytes <= 0 {
			return sizeLimit{}, false
		}
	}
	if l.runes > 0 {
		n := 0
		for _, r := range s {
			n++
			if l.utf16 && r > 0xFFFF {
				n++
			}
		}
		out.runes -= n
		if out.runes <= 0 {
			return sizeLimit{}, false
		}
	}
	return out, true
}

// moreNote is what a cut message ends with: "… N more changes: <link>", or
// "…" and the link when no change was left out.
func moreNote(n int, link string) string {
	note := "\n…"
	switch {
	case n == 1:
		note += " 1 more change"
	case n > 1:
		note += " " + strconv.Itoa(n) + " more changes"
	}
	if link != "" {
		if n > 0 {
			note += ":"
		}
		note += " " + link
	}
	return note
}

// searchLast returns the largest i in [0, n) for which ok(i) holds,
// assuming ok holds up to some i and not past it, or -1 when ok(0) fails.
func searchLast(n int, ok func(int) bool) int {
	lo, hi := -1, n // ok(lo) holds (or lo is -1); ok(hi) fails (or hi is n)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if ok(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// wordEnds returns the byte offsets in s where a word ends and white space
// follows, in increasing order: the places s may be cut without splitting a
// word.
func wordEnds(s string) []int {
	var ends []int
	prevSpace := true
	for i, r := range s {
		space := unicode.IsSpace(r)
		if space && !prevSpace {
			ends = append(ends, i)
		}
		prevSpace = space
	}
	return ends
}

// cutToLimit returns the longest prefix of s that, trimmed and followed by
// note(prefix), fits l, preferring to cut at a line boundary (unless that
// leaves more than half of l unused), then at a word boundary (marked "…"),
// then, for a single word longer than the limit, between two characters
// (marked "…"). A cut never splits a UTF-8
// sequence. When not even the note fits, the note is cut instead.
func cutToLimit(s string, l sizeLimit, note func(kept string) string) string {
	var lines, words, runes []int
	prevSpace := true
	for i, r := range s {
		if i > 0 {
			runes = append(runes, i)
		}
		space := unicode.IsSpace(r)
		if space && !prevSpace {
			words = append(words, i)
		}
		if r == '\n' && i > 0 {
			lines = append(lines, i)
		}
		prevSpace = space
	}
	build := func(at int, mark string) string {
		kept := strings.TrimRightFunc(s[:at], unicode.IsSpace)
		return kept + mark + note(kept)
	}
	fallback := ""
	for _, c := range []struct {
		cuts []int
		mark string
	}{{lines, ""}, {words, " …"}, {runes, "…"}} {
		// Keep only the cuts that leave something.
		cuts := c.cuts
		for len(cuts) > 0 && strings.TrimSpace(s[:cuts[0]]) == "" {
			cuts = cuts[1:]
		}
		i := searchLast(len(cuts), func(i int) bool { return l.fits(build(cuts[i], c.mark)) })
		// note's count may shrink as more is kept, so check the neighbours.
		for i >= 0 && !l.fits(build(cuts[i], c.mark)) {
			i--
		}
		switch {
		case i < 0:
		case c.mark == "" && l.share(build(cuts[i], c.mark)) < 0.5:
			// A line boundary that leaves most of the room unused
			// (a long last line): rather cut inside that line.
			fallback = build(cuts[i], c.mark)
		default:
			return build(cuts[i], c.mark)
		}
	}
	if fallback != "" {
		return fallback
	}
	return hardCutToLimit(strings.TrimLeft(note(""), "\n"), l)
}

// hardCutToLimit returns the longest prefix of s within l, cut between two
// characters.
func hardCutToLimit(s string, l sizeLimit) string {
	ends := make([]int, 0, len(s))
	for i := range s {
		if i > 0 {
			ends = append(ends, i)
		}
	}
	ends = append(ends, len(s))
	i := searchLast(len(ends), func(i int) bool { return l.fits(s[:ends[i]]) })
	if i < 0 {
		return ""
	}
	return s[:ends[i]]
}

// templateSamples returns a Message of every event, with every field a
// template may read set, for newRenderer to try a template on.
func templateSamples() []Message {
	at := time.Date(2024, 3, 8, 9, 30, 0, 0, time.UTC)
	w := Watch{ID: 1, Name: "Example", URL: "https://example.com/article", Tags: []string{"news"}}
	rev := &Revision{Old: 1, New: 2, OldFetchedAt: at.Add(-time.Hour), FetchedAt: at, URL: "https://redline.example/watches/1/revisions/2"}
	changed := Message{
		Version: Version, Event: EventChanged, Delivery: "1-changed-2-sample", Watch: w, Revision: rev,
		Class: string(diff.ClassSilentEdit), ClassDescription: diff.ClassSilentEdit.Describe(),
		Title: "An example headline", Summary: "1 paragraph changed, +1 −1 words",
		Stats:   &Stats{ParagraphsChanged: 1, WordsAdded: 1, WordsRemoved: 1},
		Removed: []string{"The minister resigned on Tuesday."},
		Added:   []string{"The minister was dismissed on Tuesday."},
		Diff:    "--- old\n+++ new\n@@ -1 +1 @@\n-The minister resigned on Tuesday.\n+The minister was dismissed on Tuesday.\n",
	}
	first := changed
	first.Event, first.Delivery, first.Class, first.ClassDescription = EventNew, "1-new-1-sample", "", ""
	first.Revision = &Revision{New: 1, FetchedAt: at, URL: rev.URL}
	first.Removed, first.Summary, first.Stats = nil, "first revision", nil
	test := changed
	test.Event, test.Delivery = EventTest, "test-sample"
	failing := Message{
		Version: Version, Event: EventFailing, Delivery: "1-failing-7-sample", Watch: w,
		Health: &Health{State: "failing", ConsecutiveErrors: 3, Error: "fetch https://example.com/article: 503 Service Unavailable", At: at},
	}
	recovered := failing
	recovered.Event, recovered.Delivery = EventRecovered, "1-recovered-8-sample"
	recovered.Health = &Health{State: "ok", ConsecutiveErrors: 3, At: at}
	digest := Message{
		Version: Version, Event: EventDigest, Delivery: "digest-3-sample",
		Summary: "2 changes on 1 watch",
		Changes: []Message{changed, failing},
	}
	return []Message{changed, first, test, failing, recovered, digest}
}
