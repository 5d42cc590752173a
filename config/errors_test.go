package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want []string // the lines of err.Error()
	}{
		{
			name: "unknown top-level key",
			yaml: "db: x.db\nnotifier:\n  - webhook\n",
			want: []string{`redline.yaml:2:1: unknown field "notifier"`},
		},
		{
			name: "unknown watch key",
			yaml: "watches:\n  - url: https://www.lemonde.fr/\n    name: lemonde\n    mode: selector\n    selct: [article]\n",
			want: []string{`redline.yaml:5:5: watch "lemonde": unknown field "selct"`},
		},
		{
			name: "unknown watch key in an unnamed watch, before the url",
			yaml: "watches:\n  - ulr: https://x.example/\n",
			want: []string{
				`redline.yaml:2:5: watches[0]: unknown field "ulr"`,
				`redline.yaml:2:5: watches[0]: missing required field "url"`,
			},
		},
		{
			name: "unknown defaults key",
			yaml: "defaults:\n  scheduel: '@hourly'\n",
			want: []string{`redline.yaml:2:3: defaults: unknown field "scheduel"`},
		},
		{
			name: "bad schedules, listen address and host rules",
			yaml: "listen: localhost\nhosts:\n  - delay: -1s\n  - {match: '[a-', concurrency: -2}\ndefaults:\n  schedule: '*/61 * * * *'\n  adaptive: {min: 2h, max: 1h}\n  failing_after: 0\nwatches:\n  - url: https://a.example/\n    name: lemonde\n    schedule: 'CRON_TZ=Mars/Olympus 0 9 * * *'\n",
			want: []string{
				`redline.yaml:1:9: listen: invalid address "localhost": want host:port, such as 127.0.0.1:8080`,
				`redline.yaml:3:5: hosts[0]: missing required field "match"`,
				`redline.yaml:3:12: hosts[0]: delay: must not be negative, got -1s`,
				`redline.yaml:4:13: hosts[1]: match: invalid glob "[a-": syntax error in pattern`,
				`redline.yaml:4:33: hosts[1]: concurrency: must be 0 (no limit) or more, got -2`,
				`redline.yaml:6:13: defaults: schedule: invalid schedule "*/61 * * * *": step (61) above maximum (59): */61`,
				`redline.yaml:7:28: defaults.adaptive: max: must not be less than min (2h0m0s), got 1h0m0s`,
				`redline.yaml:8:18: defaults: failing_after: must be at least 1, got 0`,
				`redline.yaml:12:15: watch "lemonde": schedule: invalid schedule "CRON_TZ=Mars/Olympus 0 9 * * *": time zone "Mars/Olympus": unknown time zone Mars/Olympus`,
			},
		},
		{
			name: "bad keep and retention",
			yaml: "retention: {checks: -1h}\ndefaults:\n  keep: 0\nwatches:\n  - {url: 'https://a.example/', keep: soon}\n",
			want: []string{
				`redline.yaml:1:21: retention: checks: must not be negative, got -1h0m0s (0 keeps checks forever)`,
				`redline.yaml:3:9: defaults: keep: must keep at least 1 revision, got 0`,
				`redline.yaml:5:39: watches[0]: keep: invalid value "soon" (want a number of revisions, such as 50, or a positive duration, such as "2160h")`,
			},
		},
		{
			name: "unknown volatile value",
			yaml: "defaults:\n  volatile: apply\nwatches:\n  - url: https://a.example/\n    name: a\n    volatile: sometimes\n    ignore_numbers: 1\n",
			want: []string{
				`redline.yaml:2:13: defaults: volatile: unknown value "apply" (want suggest, ignore or off)`,
				`redline.yaml:6:15: watch "a": volatile: unknown value "sometimes" (want suggest, ignore or off)`,
				`redline.yaml:7:21: watch "a": ignore_numbers: expected true or false, got 1`,
			},
		},
		{
			name: "confirm not a boolean",
			yaml: "watches:\n  - url: https://a.example/\n    confirm: \"no\"\n",
			want: []string{`redline.yaml:3:14: watches[0]: confirm: expected true or false, got "no"`},
		},
		{
			name: "confirm delay out of range",
			yaml: "defaults:\n  confirm_delay: 11m\n",
			want: []string{`redline.yaml:2:18: defaults: confirm_delay: must be between 0 (off) and 10m, got 11m0s`},
		},
		{
			name: "repeated key",
			yaml: "watches:\n  - url: https://a.example/\n    tags: [a]\n    tags: [b]\n",
			want: []string{`redline.yaml:4:5: watches[0]: field "tags" is repeated (first at redline.yaml:3:5)`},
		},
		{
			name: "a top-level key only to hold an anchor",
			yaml: "base: &b {mode: text}\n",
			want: []string{`redline.yaml:1:1: unknown field "base"`},
		},
		{
			name: "merge keys are refused",
			yaml: "watches:\n  - {url: 'https://a.example/', <<: {mode: text}}\n",
			want: []string{`redline.yaml:2:33: watches[0]: merge keys ("<<") are not supported`},
		},
		{
			name: "tags not a list",
			yaml: "watches:\n  - url: https://a.example/\n    tags: \"news\"\n",
			want: []string{`redline.yaml:3:11: watches[0]: tags: expected a list, got "news"`},
		},
		{
			name: "list element not a string",
			yaml: "watches:\n  - url: https://a.example/\n    ignore: [a, {b: c}, ~]\n",
			want: []string{
				`redline.yaml:3:17: watches[0]: ignore: expected a string, got a mapping`,
				`redline.yaml:3:25: watches[0]: ignore: expected a string, got null`,
			},
		},
		{
			name: "watch not a mapping",
			yaml: "watches:\n  - https://a.example/\n",
			want: []string{`redline.yaml:2:5: watches[0]: expected a mapping, got "https://a.example/"`},
		},
		{
			name: "watches not a list",
			yaml: "watches:\n  url: https://a.example/\n",
			want: []string{`redline.yaml:2:3: watches: expected a list, got a mapping`},
		},
		{
			name: "top level not a mapping",
			yaml: "- url: https://a.example/\n",
			want: []string{`redline.yaml:1:1: expected a mapping, got a list`},
		},
		{
			name: "string field given a list",
			yaml: "db: [a, b]\n",
			want: []string{`redline.yaml:1:5: db: expected a string, got a list`},
		},
		{
			name: "bad duration",
			yaml: "defaults:\n  timeout: 30 seconds\n",
			want: []string{`redline.yaml:2:12: defaults: timeout: invalid duration "30 seconds" (want a number and a unit: ms, s, m or h, e.g. "30s")`},
		},
		{
			name: "duration without a unit",
			yaml: "defaults:\n  timeout: 30\n",
			want: []string{`redline.yaml:2:12: defaults: timeout: invalid duration "30" (want a number and a unit: ms, s, m or h, e.g. "30s")`},
		},
		{
			name: "zero and negative limits",
			yaml: "defaults:\n  timeout: -5s\n  max_body: 0KiB\n",
			want: []string{
				`redline.yaml:2:12: defaults: timeout: must be greater than zero, got -5s`,
				`redline.yaml:3:13: defaults: max_body: must be greater than zero, got 0`,
			},
		},
		{
			name: "bad size unit",
			yaml: "defaults:\n  max_body: 10MiBs\n",
			want: []string{`redline.yaml:2:13: defaults: max_body: invalid size "10MiBs": unknown unit "MiBs" (want B, KB, KiB, MB, MiB, GB or GiB)`},
		},
		{
			name: "size without a number",
			yaml: "defaults:\n  max_body: MiB\n",
			want: []string{`redline.yaml:2:13: defaults: max_body: invalid size "MiB" (want a whole number and a unit, e.g. "10MiB")`},
		},
		{
			name: "unknown mode",
			yaml: "defaults:\n  mode: readability\nwatches:\n  - {url: 'https://a.example/', mode: html}\n",
			want: []string{
				`redline.yaml:2:9: defaults: mode: unknown mode "readability" (want article, text, selector, raw or json)`,
				`redline.yaml:4:39: watches[0]: mode: unknown mode "html" (want article, text, selector, raw or json)`,
			},
		},
		{
			name: "user agent with a newline",
			yaml: "defaults:\n  user_agent: \"a\\nX-Evil: 1\"\n",
			want: []string{`redline.yaml:2:15: defaults: user_agent: must not contain control characters, got "a\nX-Evil: 1"`},
		},
		{
			name: "bad regexp",
			yaml: "watches:\n  - url: https://a.example/\n    name: a\n    ignore: ['^ok$', '(unclosed']\n",
			want: []string{`redline.yaml:4:22: watch "a": ignore: invalid regexp "(unclosed": missing closing )`},
		},
		{
			name: "bad regexp in defaults, with the failing part",
			yaml: "defaults:\n  ignore: ['x{2,1}y', '']\n",
			want: []string{
				"redline.yaml:2:12: defaults: ignore: invalid regexp \"x{2,1}y\": invalid repeat count at `{2,1}`",
				`redline.yaml:2:23: defaults: ignore: empty regexp (it would match every line)`,
			},
		},
		{
			name: "bad selector",
			yaml: "defaults:\n  exclude: ['.ok', 'div >']\nwatches:\n  - url: https://a.example/\n    mode: selector\n    select: [\"article[\"]\n",
			want: []string{
				`redline.yaml:2:20: defaults: exclude: invalid CSS selector "div >": expected selector, found EOF instead`,
				`redline.yaml:6:14: watches[0]: select: invalid CSS selector "article[": expected identifier, found EOF instead`,
			},
		},
		{
			name: "selector mode without select",
			yaml: "watches:\n  - url: https://a.example/\n    name: a\n    mode: selector\n",
			want: []string{`redline.yaml:2:5: watch "a": missing field "select", required in selector mode`},
		},
		{
			name: "select outside selector mode",
			yaml: "defaults:\n  mode: text\nwatches:\n  - url: https://a.example/\n    select: [main]\n",
			want: []string{`redline.yaml:5:13: watches[0]: select: only used in selector and json modes (mode is "text")`},
		},
		{
			name: "bad XPath",
			yaml: `defaults:
  exclude: ['//div[@class="ad"', '(count(//p))']
watches:
  - url: https://shop.example/aeropress
    name: aeropress
    mode: selector
    select: ['//p[@class="price"]', '(//span[1]', './/div[nosuch()]']
    exclude: ['  //aside[']
`,
			want: []string{
				`redline.yaml:2:13: defaults: exclude: invalid XPath "//div[@class=\"ad\"": //div[@class="ad" has an invalid token`,
				`redline.yaml:2:34: defaults: exclude: XPath "(count(//p))" gives a value, not nodes to remove`,
				`redline.yaml:7:37: watch "aeropress": select: invalid XPath "(//span[1]": (//span[1] has an invalid token`,
				`redline.yaml:7:51: watch "aeropress": select: invalid XPath ".//div[nosuch()]": not yet support this function nosuch()`,
				`redline.yaml:8:15: watch "aeropress": exclude: invalid XPath "  //aside[": expression must evaluate to a node-set`,
			},
		},
		{
			name: "bad JSON paths",
			yaml: `watches:
  - url: https://status.example/api/v2/summary.json
    name: status
    mode: json
    select:
      - status.indicator
      - status..indicator
      - 'components.#(status!="operational"'
      - data.@nosuch
      - ""
`,
			want: []string{
				`redline.yaml:7:9: watch "status": select: invalid JSON path "status..indicator": empty component at byte 7`,
				`redline.yaml:8:9: watch "status": select: invalid JSON path "components.#(status!=\"operational\"": missing ')' at the end`,
				`redline.yaml:9:9: watch "status": select: invalid JSON path "data.@nosuch": unknown modifier @nosuch`,
				`redline.yaml:10:9: watch "status": select: invalid JSON path "": empty JSON path`,
			},
		},
		{
			name: "JSON paths are checked in json mode from the defaults, not as CSS",
			yaml: "defaults:\n  mode: json\nwatches:\n  - url: https://a.example/\n    select: ['a[', 'a.']\n",
			want: []string{`redline.yaml:5:20: watches[0]: select: invalid JSON path "a.": ends with an empty component`},
		},
		{
			name: "exclude in json and raw modes",
			yaml: "watches:\n  - url: https://a.example/\n    mode: json\n    exclude: [.ad]\n  - url: https://b.example/\n    mode: raw\n    exclude: [.ad]\n",
			want: []string{
				`redline.yaml:4:14: watches[0]: exclude: not used in json mode: it removes HTML elements`,
				`redline.yaml:7:14: watches[1]: exclude: not used in raw mode: it removes HTML elements`,
			},
		},
		{
			name: "bad urls",
			yaml: `watches:
  - name: none
  - url: ftp://x
  - url: example.org/page
  - url: https:///path
  - url: "http://[::1"
  - url: ""
`,
			want: []string{
				`redline.yaml:2:5: watch "none": missing required field "url"`,
				`redline.yaml:3:10: watches[1]: url: "ftp://x" is not an http(s) URL`,
				`redline.yaml:4:10: watches[2]: url: "example.org/page" is not an http(s) URL`,
				`redline.yaml:5:10: watches[3]: url: "https:///path" has no host`,
				`redline.yaml:6:10: watches[4]: url: invalid URL "http://[::1": missing ']' in host`,
				`redline.yaml:7:10: watches[5]: url: "" is not an http(s) URL`,
			},
		},
		{
			name: "duplicate url",
			yaml: "watches:\n  - url: https://a.example/x\n  - url: HTTPS://A.example/x\n  - url: https://a.example\n  - url: https://a.example/\n",
			want: []string{
				`redline.yaml:3:10: watches[1]: url: "HTTPS://A.example/x" duplicates the url at redline.yaml:2:10`,
				`redline.yaml:5:10: watches[3]: url: "https://a.example/" duplicates the url at redline.yaml:4:10`,
			},
		},
		{
			name: "duplicate and blank names",
			yaml: "watches:\n  - {url: 'https://a.example/', name: a}\n  - {url: 'https://b.example/', name: a}\n  - {url: 'https://c.example/', name: ' '}\n",
			want: []string{
				`redline.yaml:3:39: watch "a": name: "a" duplicates the name at redline.yaml:2:39`,
				`redline.yaml:4:39: watch " ": name: must not be empty (leave the key out instead)`,
			},
		},
		{
			name: "bad tags",
			yaml: "watches:\n  - url: https://a.example/\n    tags: [ok, 'two words', 'a,b', '', ok]\n",
			want: []string{
				`redline.yaml:3:16: watches[0]: tags: tag "two words" contains a space or a comma`,
				`redline.yaml:3:29: watches[0]: tags: tag "a,b" contains a space or a comma`,
				`redline.yaml:3:36: watches[0]: tags: empty tag`,
				`redline.yaml:3:40: watches[0]: tags: tag "ok" is repeated`,
			},
		},
		{
			name: "unset variable",
			yaml: "db: postgres://redline:${PG_PASSWORD}@db/redline\nwatches:\n  - url: https://${HOST}/${HOST}\n",
			env:  map[string]string{"HOME": "/home/ann"},
			want: []string{
				`redline.yaml:1:5: db: environment variable "PG_PASSWORD" is not set`,
				`redline.yaml:3:10: watches[0]: url: environment variable "HOST" is not set`,
			},
		},
		{
			name: "malformed variable references",
			yaml: "defaults:\n  user_agent: 'a ${} b ${1X} ${A-B}'\n  ignore: ['x${']\n",
			want: []string{
				`redline.yaml:2:15: defaults: user_agent: invalid variable name "${}" (write $$ for a literal $)`,
				`redline.yaml:2:15: defaults: user_agent: invalid variable name "${1X}" (write $$ for a literal $)`,
				`redline.yaml:2:15: defaults: user_agent: invalid variable name "${A-B}" (write $$ for a literal $)`,
				`redline.yaml:3:12: defaults: ignore: unterminated variable reference "${" (write $$ for a literal $)`,
			},
		},
		{
			name: "a name with an unset variable labels the watch by index",
			yaml: "watches:\n  - {url: 'https://a.example/', name: '${WHO}', mode: selector}\n",
			want: []string{`redline.yaml:2:39: watches[0]: name: environment variable "WHO" is not set`},
		},
		{
			name: "home directory unknown",
			yaml: "db: ~/redline.db\n",
			want: []string{`redline.yaml:1:5: db: cannot expand "~/": HOME is not set`},
		},
		{
			name: "yaml syntax error",
			yaml: "watches:\n  - url: https://a.example/\n    name: a: b\n",
			want: []string{`redline.yaml:3: invalid YAML: mapping values are not allowed in this context`},
		},
		{
			name: "tab indentation",
			yaml: "watches:\n\t- url: https://a.example/\n",
			want: []string{`redline.yaml:2: invalid YAML: found character that cannot start any token`},
		},
		{
			name: "unknown alias",
			yaml: "watches: *nope\n",
			want: []string{`redline.yaml: invalid YAML: unknown anchor 'nope' referenced`},
		},
		{
			name: "two documents",
			yaml: "db: a.db\n---\ndb: b.db\n",
			want: []string{`redline.yaml:2:1: a second YAML document; the file must hold one`},
		},
		{
			name: "multiple errors reported together, sorted by position",
			yaml: `defaults:
  timeout: soon
  max_body: 1 TiB
watches:
  - url: https://www.lemonde.fr/
    name: lemonde
    selct: [article]
    tags: news
  - url: ftp://x
    ignore: ["("]
  - url: https://www.lemonde.fr/
    name: lemonde
unknown: 1
`,
			want: []string{
				`redline.yaml:2:12: defaults: timeout: invalid duration "soon" (want a number and a unit: ms, s, m or h, e.g. "30s")`,
				`redline.yaml:3:13: defaults: max_body: invalid size "1 TiB": unknown unit "TiB" (want B, KB, KiB, MB, MiB, GB or GiB)`,
				`redline.yaml:7:5: watch "lemonde": unknown field "selct"`,
				`redline.yaml:8:11: watch "lemonde": tags: expected a list, got "news"`,
				`redline.yaml:9:10: watches[1]: url: "ftp://x" is not an http(s) URL`,
				`redline.yaml:10:14: watches[1]: ignore: invalid regexp "(": missing closing )`,
				`redline.yaml:11:10: watch "lemonde": url: "https://www.lemonde.fr/" duplicates the url at redline.yaml:5:10`,
				`redline.yaml:12:11: watch "lemonde": name: "lemonde" duplicates the name at redline.yaml:6:11`,
				`redline.yaml:13:1: unknown field "unknown"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := ParseEnv("redline.yaml", []byte(tt.yaml), env(tt.env))
			if err == nil {
				t.Fatalf("ParseEnv succeeded with %+v, want errors", cfg)
			}
			if cfg != nil {
				t.Errorf("ParseEnv returned a config with its error: %+v", cfg)
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("ParseEnv errors mismatch (-want +got):\n%s", diff)
			}
			// Every error is an *Error whose text is its position and message.
			var pe *Error
			if !errors.As(err, &pe) || pe.Error() != tt.want[0] {
				t.Errorf("errors.As(*Error) = %v, want the first error %q", pe, tt.want[0])
			}
			for _, e := range unwrapAll(err) {
				if pe := (*Error)(nil); !errors.As(e, &pe) {
					t.Errorf("error %q is a %T, want *Error", e, e)
				}
			}
		})
	}
}

// unwrapAll returns the errors joined in err.
func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestExpandVars(t *testing.T) {
	t.Parallel()
	lookup := env(map[string]string{"A": "1", "B_2": "two", "EMPTY": "", "REF": "${A}"})
	tests := []struct {
		in       string
		want     string
		problems []string
	}{
		{in: "", want: ""},
		{in: "plain", want: "plain"},
		{in: "${A}", want: "1"},
		{in: "x${A}y${B_2}z", want: "x1ytwoz"},
		{in: "${EMPTY}", want: ""},
		{in: "${REF}", want: "${A}"}, // values are not expanded again
		{in: "$$", want: "$"},
		{in: "$${A}", want: "${A}"},
		{in: "$$$${A}", want: "$${A}"},
		{in: "$$$$${A}", want: "$$1"},
		{in: "^end$", want: "^end$"},
		{in: "$A $", want: "$A $"},
		{in: "${NOPE}${NOPE}", want: "", problems: []string{`environment variable "NOPE" is not set`}},
		{in: "${A", want: "", problems: []string{`unterminated variable reference "${A" (write $$ for a literal $)`}},
		{in: "${a.b}", want: "", problems: []string{`invalid variable name "${a.b}" (write $$ for a literal $)`}},
	}
	for _, tt := range tests {
		got, problems := expandVars(tt.in, lookup)
		if got != tt.want && len(tt.problems) == 0 {
			t.Errorf("expandVars(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if diff := cmp.Diff(tt.problems, problems); diff != "" {
			t.Errorf("expandVars(%q) problems (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{in: "0", want: 0},
		{in: "1048576", want: 1 << 20},
		{in: "512B", want: 512},
		{in: "10KB", want: 10_000},
		{in: "10KiB", want: 10 << 10},
		{in: "10MiB", want: 10 << 20},
		{in: "10 MB", want: 10_000_000},
		{in: "2GiB", want: 2 << 30},
		{in: "3gb", want: 3_000_000_000},
		{in: " 7 kib ", want: 7 << 10},
		{in: "8589934591GiB", want: 8589934591 << 30},
		{in: "8589934592GiB", wantErr: `invalid size "8589934592GiB": too large`},
		{in: "99999999999999999999", wantErr: `invalid size "99999999999999999999": too large`},
		{in: "", wantErr: `invalid size "" (want a whole number and a unit, e.g. "10MiB")`},
		{in: "-1", wantErr: `invalid size "-1" (want a whole number and a unit, e.g. "10MiB")`},
		{in: "1.5MiB", wantErr: `invalid size "1.5MiB": unknown unit ".5MiB" (want B, KB, KiB, MB, MiB, GB or GiB)`},
		{in: "10M", wantErr: `invalid size "10M": unknown unit "M" (want B, KB, KiB, MB, MiB, GB or GiB)`},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseSize(%q) = %d, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}
