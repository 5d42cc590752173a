package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Dates come, in order of preference, from visible lines such as "Latest
// update : 2014-03-29" or "Mis à jour le 3 mars 2020", from JSON-LD
// (datePublished, dateModified), from meta tags, and from <time> elements
// marked as the publication date. They are normalised to 2006-01-02 when
// only the day is known and to RFC 3339 when a time is known. The text the
// date was read from is kept beside it (Document.PublishedText,
// UpdatedText), so a reader can always see what the page said.
//
// Time zones. A numeric offset ("+01:00", "+0100", "GMT+1", "UTC-05:00") is
// kept. A zone abbreviation is looked up in zoneOffsets, a fixed table
// (never the machine's local zone, so that the result does not depend on
// where redline runs): "10:00 EDT" is 10:00-04:00. A time given without
// any zone, or with an abbreviation the table does not know, is taken as
// UTC: a guess, which may be hours off for a page that writes local time;
// the original text is in PublishedText/UpdatedText.
//
// Day and month. "03/04/2014" is read month first when the page declares a
// region that writes dates that way (en-US, es-US, en-PH, …: see
// monthFirstRegions) and day first otherwise, including for a bare "en";
// a reading that cannot be a date (month 13 and over) is swapped.

// isoLayouts are tried, in order, on machine-readable dates.
var isoLayouts = []struct {
	layout string
	clock  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05Z0700", true},
	{"2006-01-02T15:04:05.999999999Z0700", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02T15:04:05-07", true},
	{"2006-01-02T15:04:05", true},
	{"2006-01-02T15:04:05.999999999", true},
	{"2006-01-02T15:04", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 -07:00", true},
	{"2006-01-02 15:04:05 MST", true},
	{"2006-01-02 15:04:05", true},
	{"2006-01-02 15:04", true},
	{time.RFC1123Z, true},
	{time.RFC1123, true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", true},
	{"Mon, 2 Jan 2006 15:04:05 MST", true},
	{time.RFC850, true},
	{time.ANSIC, true},
	{"2006-01-02", false},
	{"2006/01/02", false},
	{"2006.01.02", false},
	{"20060102", false},
}

// months maps month names and abbreviations in several languages to their
// number.
var months = func() map[string]int {
	m := map[string]int{}
	add := func(names ...string) {
		for i, n := range names {
			for _, v := range strings.Split(n, "|") {
				m[v] = i + 1
			}
		}
	}
	add("january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun", "july|jul",
		"august|aug", "september|sep|sept", "october|oct", "november|nov", "december|dec")
	add("janvier|janv", "février|fevrier|févr|fév", "mars", "avril|avr", "mai", "juin", "juillet|juil",
		"août|aout", "septembre", "octobre", "novembre", "décembre|decembre|déc") //nolint:misspell // French month names
	add("januar|jänner", "februar", "märz|maerz", "april", "mai", "juni", "juli",
		"august", "september", "oktober|okt", "november", "dezember|dez")
	add("enero|ene", "febrero", "marzo", "abril|abr", "mayo", "junio", "julio",
		"agosto|ago", "septiembre|setiembre", "octubre", "noviembre", "diciembre|dic")
	add("gennaio|gen", "febbraio", "marzo", "aprile", "maggio|mag", "giugno|giu", "luglio|lug",
		"agosto", "settembre|set", "ottobre|ott", "novembre", "dicembre")
	add("janeiro", "fevereiro|fev", "março|marco", "abril", "maio", "junho", "julho",
		"agosto", "setembro", "outubro|out", "novembro", "dezembro|dez")
	return m
}()

var (
	reDMYName = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(\pL{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b`)
	reMDYName = regexp.MustCompile(`(?i)\b(\pL{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	reYMD     = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reDMY     = regexp.MustCompile(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`)
	reClock   = regexp.MustCompile(`(?i)\b(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?` +
		// an optional zone: "GMT+1", "UTC-05:00", "+0100", "EDT", "(CET)"
		`(?:\s*\(?(?:(?:utc|gmt)\s*([+-]\d{1,2}(?::?\d{2})?)|([+-]\d{2}:?\d{2})|([a-z]{1,5}))\b)?`)
)

// normalizeDate parses a date in any of the forms above, day first, and
// returns it in canonical form, or "" when s holds no recognisable date.
func normalizeDate(s string) string { return parseDate(s, false) }

// parseDate is normalizeDate; monthFirst reads "03/04/2014" as March 4.
func parseDate(s string, monthFirst bool) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return ""
	}
	for _, l := range isoLayouts {
		// In UTC, not time.Local: a zone abbreviation must not be
		// resolved by the machine's own zone.
		if t, err := time.ParseInLocation(l.layout, s, time.UTC); err == nil {
			return formatDate(knownZone(t), l.clock)
		}
	}
	return textualDate(s, monthFirst)
}

// zoneOffsets are the zone abbreviations redline understands, with their
// offset from UTC in hours. Ambiguous ones take their most common meaning
// on news sites (CST is US Central); IST (India, Israel, Ireland) is left
// out and, like any abbreviation not listed, read as UTC.
var zoneOffsets = map[string]float64{
	"UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
	"AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
	"BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3,
	"SGT": 8, "HKT": 8, "JST": 9, "KST": 9,
	"AWST": 8, "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}

// knownZone gives a time parsed with an unknown zone abbreviation (which
// time.Parse records with offset zero) the offset of zoneOffsets.
func knownZone(t time.Time) time.Time {
	name, off := t.Zone()
	if off != 0 || name == "" || name == "UTC" {
		return t
	}
	if h, ok := zoneOffsets[strings.ToUpper(name)]; ok && h != 0 {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
			time.FixedZone(strings.ToUpper(name), int(h*3600)))
	}
	return t
}

func formatDate(t time.Time, clock bool) string {
	if t.Year() < 1900 || t.Year() > 2200 {
		return ""
	}
	if !clock {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// textualDate finds a human-written date (and an optional clock time and
// zone) in s.
func textualDate(s string, monthFirst bool) string {
	var y, mo, d int
	var rest string // s without the date, where a clock time may follow
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	if m := reYMD.FindStringSubmatchIndex(s); m != nil {
		y, mo, d = atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		rest = s[:m[0]] + " " + s[m[1]:]
	} else if m := reDMYName.FindStringSubmatchIndex(s); m != nil && months[strings.ToLower(s[m[4]:m[5]])] > 0 {
		d, mo, y = atoi(s[m[2]:m[3]]), months[strings.ToLower(s[m[4]:m[5]])], atoi(s[m[6]:m[7]])
		rest = s[:m[0]] + " " + s[m[1]:]
	} else if m := reMDYName.FindStringSubmatchIndex(s); m != nil && months[strings.ToLower(s[m[2]:m[3]])] > 0 {
		mo, d, y = months[strings.ToLower(s[m[2]:m[3]])], atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		rest = s[:m[0]] + " " + s[m[1]:]
	} else if m := reDMY.FindStringSubmatchIndex(s); m != nil {
		// Day first (month first for monthFirst), unless that cannot be
		// (03/29/2014).
		d, mo, y = atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		if monthFirst {
			d, mo = mo, d
		}
		if mo > 12 && d <= 12 {
			d, mo = mo, d
		}
		rest = s[:m[0]] + " " + s[m[1]:]
	} else {
		return ""
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return ""
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return ""
	}
	if m := reClock.FindStringSubmatch(rest); m != nil {
		h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3])
		switch strings.ToLower(strings.ReplaceAll(m[4], ".", "")) {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		}
		if h < 24 && mi < 60 && sec < 60 {
			return formatDate(time.Date(y, time.Month(mo), d, h, mi, sec, 0, clockZone(m[5], m[6], m[7])), true)
		}
	}
	return formatDate(t, false)
}

// clockZone returns the zone written after a clock time: an offset after
// UTC or GMT, a bare offset, or an abbreviation of zoneOffsets; UTC for
// anything else.
func clockZone(afterUTC, offset, abbr string) *time.Location {
	if afterUTC == "" {
		afterUTC = offset
	}
	if afterUTC != "" {
		sign := 1
		if afterUTC[0] == '-' {
			sign = -1
		}
		digits := strings.ReplaceAll(afterUTC[1:], ":", "")
		h, m := digits, ""
		if len(digits) > 2 {
			h, m = digits[:len(digits)-2], digits[len(digits)-2:]
		}
		hh, _ := strconv.Atoi(h)
		mm, _ := strconv.Atoi(m)
		if hh > 14 || mm > 59 {
			return time.UTC
		}
		secs := sign * (hh*3600 + mm*60)
		if secs == 0 {
			return time.UTC
		}
		return time.FixedZone("", secs)
	}
	if h, ok := zoneOffsets[strings.ToUpper(abbr)]; ok && h != 0 {
		return time.FixedZone(strings.ToUpper(abbr), int(h*3600))
	}
	return time.UTC
}

// monthFirstRegions write numeric dates month first (03/29/2014): the
// United States and its territories, Micronesia, the Marshall Islands,
// Palau and the Philippines.
var monthFirstRegions = map[string]bool{
	"us": true, "as": true, "gu": true, "mp": true, "pr": true, "um": true, "vi": true,
	"fm": true, "mh": true, "pw": true, "ph": true,
}

// monthFirst reports whether a language tag ("en-US", "en_us", "es-419")
// names a region of monthFirstRegions.
func monthFirst(lang string) bool {
	parts := strings.FieldsFunc(strings.ToLower(lang), func(r rune) bool { return r == '-' || r == '_' })
	for _, p := range parts[min(1, len(parts)):] {
		if len(p) == 2 && monthFirstRegions[p] {
			return true
		}
	}
	return false
}

// Visible date lines: a label, an optional separator, a date.
var (
	updatedLine = regexp.MustCompile(`(?i)^(?:latest update|last update|last updated|last modified|updated|updated on|updated at|modified|` +
		`mis à jour|mise à jour|dernière mise à jour|modifié|aktualisiert|zuletzt aktualisiert|geändert|` +
		`actualizado|última actualización|aggiornato|ultimo aggiornamento|atualizado|atualizado em|обновлено)` +
		`\s*(?:on|at|le|am|el|il|em|:|：|-|–|—)?\s*(?:on|le|am|el|il|em)?\s*(.+)$`)
	publishedLine = regexp.MustCompile(`(?i)^(?:date created|created|created on|published|published on|first published|first published on|` +
		`posted|posted on|date|publié|publié le|veröffentlicht|veröffentlicht am|erstellt|erstellt am|publicado|publicado el|` +
		`publicado em|pubblicato|pubblicato il|опубликовано)` +
		`\s*(?:on|at|le|am|el|il|em|:|：|-|–|—)?\s*(?:on|le|am|el|il|em)?\s*(.+)$`)
)

// dateLine reports whether a short visible line is a date stamp, and
// returns the normalised dates it carries. Lines like "Published: 2 May
// 2019 | Updated: 3 May 2019" are split at the separator.
func dateLine(line string) (published, updated string, ok bool) {
	st, ok := readDateLine(line, false)
	return st.published, st.updated, ok
}

// dateStamp is what a visible date line says: the normalised dates and the
// parts of the line they were read from ("Latest update : 2014-03-29").
type dateStamp struct {
	published, updated         string
	publishedText, updatedText string
}

// dateLineWords are the first words of the labels updatedLine and
// publishedLine accept: a line whose first part starts with none of them
// is no date line, and the expressions are not run on it (most of a
// page's short lines are not; the test is readDateLine's main cost).
var dateLineWords = []string{
	"latest", "last", "updated", "modified", "mis", "dernière", "modifié", "aktualisiert", "zuletzt", "geändert",
	"actualizado", "última", "aggiornato", "ultimo", "atualizado", "обновлено",
	"date", "created", "published", "first", "posted", "publié", "veröffentlicht", "erstellt", "publicado", "pubblicato",
	"опубликовано",
}

// dateLineFirst holds the first letters of dateLineWords and every rune
// that folds to one of them: a part whose first rune is not here starts
// with none of the words.
var dateLineFirst = func() map[rune]bool {
	m := make(map[rune]bool)
	for _, w := range dateLineWords {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = true
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m[f] = true
		}
	}
	return m
}()

// mayBeDateLine reports whether part starts with one of dateLineWords,
// with the expressions' case folding.
func mayBeDateLine(part string) bool {
	if r, _ := utf8.DecodeRuneInString(part); !dateLineFirst[r] {
		return false
	}
	for _, w := range dateLineWords {
		if hasFoldPrefix(part, w) {
			return true
		}
	}
	return false
}

// hasFoldPrefix reports whether s starts with prefix under simple Unicode
// case folding, the folding of (?i) in regexp.
func hasFoldPrefix(s, prefix string) bool {
	for _, pr := range prefix {
		sr, size := utf8.DecodeRuneInString(s)
		if size == 0 || !foldEqual(sr, pr) {
			return false
		}
		s = s[size:]
	}
	return true
}

// foldEqual reports whether a and b are equal under simple case folding.
func foldEqual(a, b rune) bool {
	if a == b {
		return true
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// readDateLine is dateLine, keeping the text of each date; monthFirst is
// as for parseDate.
func readDateLine(line string, monthFirst bool) (st dateStamp, ok bool) {
	if len(line) > 160 {
		return dateStamp{}, false
	}
	// The first part, as splitStamp would cut it, is tested before the
	// line is cut.
	first := strings.TrimLeftFunc(line, func(r rune) bool { return isStampSeparator(r) || unicode.IsSpace(r) })
	if !mayBeDateLine(first) {
		return dateStamp{}, false
	}
	for _, part := range splitStamp(line) {
		if m := updatedLine.FindStringSubmatch(part); m != nil && len(m[1]) <= 50 {
			if v := parseDate(m[1], monthFirst); v != "" {
				if st.updated == "" {
					st.updated, st.updatedText = v, part
				}
				continue
			}
		}
		if m := publishedLine.FindStringSubmatch(part); m != nil && len(m[1]) <= 50 {
			if v := parseDate(m[1], monthFirst); v != "" {
				if st.published == "" {
					st.published, st.publishedText = v, part
				}
				continue
			}
		}
		return dateStamp{}, false
	}
	return st, st.published != "" || st.updated != ""
}

// isStampSeparator reports whether r separates the parts of a metadata
// line.
func isStampSeparator(r rune) bool { return r == '|' || r == '·' || r == '•' }

// splitStamp splits a metadata line at "|", "·" or "•".
func splitStamp(line string) []string {
	parts := strings.FieldsFunc(line, isStampSeparator)
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
