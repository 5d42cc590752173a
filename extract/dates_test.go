package extract

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalizeDate(t *testing.T) {
	for in, want := range map[string]string{
		"2014-03-29":                      "2014-03-29",
		"2014-03-29T10:23:00+01:00":       "2014-03-29T10:23:00+01:00",
		"2014-03-29T10:23:00.123Z":        "2014-03-29T10:23:00Z",
		"2014-03-29T10:23:00+0100":        "2014-03-29T10:23:00+01:00",
		"2014-03-29T10:23":                "2014-03-29T10:23:00Z",
		"2014-03-29 10:23:05":             "2014-03-29T10:23:05Z",
		"Sat, 29 Mar 2014 10:23:00 +0100": "2014-03-29T10:23:00+01:00",
		"29 March 2014":                   "2014-03-29",
		"March 29, 2014 5:04 pm":          "2014-03-29T17:04:00Z",
		"29/03/2014 - 10:23":              "2014-03-29T10:23:00Z",
		"03/29/2014":                      "2014-03-29",
		"3 mars 2020 à 14h05":             "2020-03-03T14:05:00Z",
		"3. März 2020":                    "2020-03-03",
		"5 de octubre de 2018":            "2018-10-05",
		"2014/03/29":                      "2014-03-29",
		"":                                "",
		"yesterday":                       "",
		"2014-02-30":                      "",
		"99/99/2014":                      "",
		"0001-01-01":                      "",
	} {
		if got := normalizeDate(in); got != want {
			t.Errorf("normalizeDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateLine(t *testing.T) {
	for _, tc := range []struct {
		line           string
		published, upd string
		ok             bool
	}{
		{"Latest update : 2014-03-29", "", "2014-03-29", true},
		{"Date created : 2014-03-29", "2014-03-29", "", true},
		{"Updated: March 30, 2014 10:00 am", "", "2014-03-30T10:00:00Z", true},
		{"Mis à jour le 30 mars 2014", "", "2014-03-30", true},
		{"Aktualisiert am 30.03.2014, 14:05", "", "2014-03-30T14:05:00Z", true},
		{"Actualizado 30/03/2014", "", "2014-03-30", true},
		{"Published 29 March 2014 | Updated 30 March 2014", "2014-03-29", "2014-03-30", true},
		{"Updated figures published on 3 March 2020 show that prices rose again in most regions.", "", "", false},
		{"Updated 2 hours ago", "", "", false},
		{"Kerry and Lavrov are due to meet in Paris on 30 March 2014.", "", "", false},
	} {
		p, u, ok := dateLine(tc.line)
		if p != tc.published || u != tc.upd || ok != tc.ok {
			t.Errorf("dateLine(%q) = %q, %q, %v; want %q, %q, %v", tc.line, p, u, ok, tc.published, tc.upd, tc.ok)
		}
	}
}

func TestVisibleByline(t *testing.T) {
	for line, want := range map[string]string{
		"Text by FRANCE 24":                  "FRANCE 24",
		"By Jane Doe":                        "Jane Doe",
		"By Jane Doe and John Smith | AFP":   "Jane Doe and John Smith",
		"Par Jean Dupont":                    "Jean Dupont",
		"By Friday, the troops had left.":    "",
		"by the way this is lower case text": "",
	} {
		if got := visibleByline(line); got != want {
			t.Errorf("visibleByline(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestDateLineWords: every label the date-line expressions accept starts
// with one of dateLineWords, in any case, so the words only spare the
// expressions lines they would refuse.
func TestDateLineWords(t *testing.T) {
	for _, re := range []*regexp.Regexp{updatedLine, publishedLine} {
		src := re.String()
		open := strings.Index(src, "^(?:") + len("^(?:")
		labels := strings.Split(src[open:open+strings.Index(src[open:], ")")], "|")
		if len(labels) < 10 {
			t.Fatalf("could not read the labels of %s", src)
		}
		for _, l := range labels {
			r, size := utf8.DecodeRuneInString(l)
			for _, v := range []string{l, strings.ToUpper(l), string(unicode.ToUpper(r)) + l[size:]} {
				if !mayBeDateLine(v + " 3 May 2019") {
					t.Errorf("label %q (%q) is not among dateLineWords", l, v)
				}
			}
		}
	}
	for _, line := range []string{"Home", "Read more: the story", "By Jane Doe", "3 comments"} {
		if mayBeDateLine(line) {
			t.Errorf("mayBeDateLine(%q) = true", line)
		}
	}
	// (?i) folds the long s and the Kelvin sign like the expressions do.
	if !mayBeDateLine("Poſted 3 May 2019") {
		t.Error("the long s is not folded to s")
	}
}
