package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates come, in order of preference, from JSON-LD (datePublished,
// dateModified), from meta tags, from visible lines such as "Latest update :
// 2014-03-29" or "Mis à jour le 3 mars 2020", and from <time> elements
// marked as the publication date. They are normalised to 2006-01-02 when
// only the day is known and to RFC 3339 when a time is known; a time given
// without an offset is taken as UTC.

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
	reClock   = regexp.MustCompile(`(?i)\b(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?`)
)

// normalizeDate parses a date in any of the forms above and returns it in
// canonical form, or "" when s holds no recognisable date.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return ""
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return formatDate(t, l.clock)
		}
	}
	return textualDate(s)
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

// textualDate finds a human-written date (and an optional clock time) in s.
func textualDate(s string) string {
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
		// Day first, unless that cannot be (03/29/2014).
		d, mo, y = atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
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
			return formatDate(t.Add(time.Duration(h)*time.Hour+time.Duration(mi)*time.Minute+time.Duration(sec)*time.Second), true)
		}
	}
	return formatDate(t, false)
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
	if len(line) > 160 {
		return "", "", false
	}
	for _, part := range splitStamp(line) {
		if m := updatedLine.FindStringSubmatch(part); m != nil && len(m[1]) <= 50 {
			if v := normalizeDate(m[1]); v != "" {
				if updated == "" {
					updated = v
				}
				continue
			}
		}
		if m := publishedLine.FindStringSubmatch(part); m != nil && len(m[1]) <= 50 {
			if v := normalizeDate(m[1]); v != "" {
				if published == "" {
					published = v
				}
				continue
			}
		}
		return "", "", false
	}
	return published, updated, published != "" || updated != ""
}

// splitStamp splits a metadata line at "|", "·" or "•".
func splitStamp(line string) []string {
	parts := strings.FieldsFunc(line, func(r rune) bool { return r == '|' || r == '·' || r == '•' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
