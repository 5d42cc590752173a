package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// env returns a lookup function over a fixed environment, so tests never
// read or change the process's.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func pos(line, col int) Position {
	return Position{File: "redline.yaml", Line: line, Column: col}
}

func TestExample(t *testing.T) {
	t.Parallel()
	const file = "testdata/example.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseEnv(file, data, env(map[string]string{"HOME": "/home/ann"}))
	if err != nil {
		t.Fatalf("ParseEnv: %v", err)
	}
	at := func(line, col int) Position { return Position{File: file, Line: line, Column: col} }
	yes := true
	want := &Config{
		Path:           file,
		DB:             "/home/ann/.local/share/redline/redline.db",
		Listen:         "127.0.0.1:8080",
		CheckRetention: 720 * time.Hour,
		Outbox:         Outbox{MaxAttempts: 10, MaxAge: 72 * time.Hour, MinBackoff: 30 * time.Second, MaxBackoff: time.Hour},
		Defaults: Defaults{
			Schedule:        "@hourly",
			HostConcurrency: 2,
			HostDelay:       time.Second,
			FailingAfter:    3,
			Mode:            ModeArticle,
			Timeout:         30 * time.Second,
			MaxBody:         10 << 20,
			ConfirmDelay:    5 * time.Second,
			Volatile:        VolatileSuggest,
			UserAgent:       "",
			Ignore:          []string{"^Advertisement$"},
			Exclude:         []string{".cookie-banner"},
		},
		Watches: []Watch{
			{
				URL:  "https://www.lemonde.fr/international/article/2014/03/29/poutine-appelle-obama_4391982_3210.html",
				Name: "lemonde-putin",
				Tags: []string{"news", "russia"},
				Pos:  at(31, 5),
			},
			{
				URL:     "https://www.france24.com/en/20140329-putin-obama-ukraine",
				Name:    "france24-putin",
				Tags:    []string{"news", "russia"},
				Mode:    ModeSelector,
				Select:  []string{"article .t-content__body"},
				Exclude: []string{".m-em-newsletter"},
				Ignore:  []string{`^\d+ comments$`},
				Pos:     at(36, 5),
			},
			{URL: "https://example.org/terms", Tags: []string{"legal"}, Mode: ModeText, Volatile: VolatileIgnore, IgnoreNumbers: &yes, Pos: at(46, 5)},
			{URL: "https://example.org/status.json", Mode: ModeRaw, Pos: at(51, 5)},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseEnv(%s) mismatch (-want +got):\n%s", file, diff)
	}

	// The defaults merge into the selector watch after its own settings.
	eff := got.Watches[1].Effective(got.Defaults)
	if diff := cmp.Diff([]string{"^Advertisement$", `^\d+ comments$`}, eff.Ignore); diff != "" {
		t.Errorf("effective ignore (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{".cookie-banner", ".m-em-newsletter"}, eff.Exclude); diff != "" {
		t.Errorf("effective exclude (-want +got):\n%s", diff)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "redline.yaml")
	if err := os.WriteFile(path, []byte("watches:\n  - url: https://example.org/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Default()
	want.Path = path
	want.Watches = []Watch{{URL: "https://example.org/", Pos: Position{File: path, Line: 2, Column: 5}}}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want an error matching fs.ErrNotExist", err)
	}
}

func TestParseValid(t *testing.T) {
	t.Parallel()
	withDefaults := func(f func(c *Config)) *Config {
		c := Default()
		c.Path = "redline.yaml"
		f(c)
		return c
	}
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want *Config
	}{
		{
			name: "empty file",
			yaml: "",
			want: withDefaults(func(*Config) {}),
		},
		{
			name: "only comments",
			yaml: "# nothing yet\n",
			want: withDefaults(func(*Config) {}),
		},
		{
			name: "empty document",
			yaml: "---\n",
			want: withDefaults(func(*Config) {}),
		},
		{
			name: "null sections and values keep the defaults",
			yaml: "db: ~\ndefaults:\n  timeout:\n  mode: null\nwatches:\n",
			want: withDefaults(func(*Config) {}),
		},
		{
			name: "every default set",
			yaml: `defaults:
  mode: text
  timeout: 1m30s
  max_body: 1048576
  user_agent: redline-test/1.0
  ignore: []
  exclude: [nav, "footer, aside"]
  confirm_delay: 0s
  volatile: ignore
  ignore_numbers: true
  schedule: "CRON_TZ=Europe/Paris */15 6-23 * * *"
  adaptive: {min: 30m, max: 24h}
  host_concurrency: 4
  host_delay: 250ms
  failing_after: 5
  keep: 50
  robots: true
listen: "[::1]:9090"
retention: {checks: 48h}
hosts:
  - match: "*.slow.example"
    delay: 10s
  - {match: "127.0.0.1", concurrency: 1}
`,
			want: withDefaults(func(c *Config) {
				c.Defaults = Defaults{
					Mode:            ModeText,
					Timeout:         90 * time.Second,
					MaxBody:         1 << 20,
					UserAgent:       "redline-test/1.0",
					Exclude:         []string{"nav", "footer, aside"},
					Volatile:        VolatileIgnore,
					IgnoreNumbers:   true,
					Schedule:        "CRON_TZ=Europe/Paris */15 6-23 * * *",
					AdaptiveMin:     30 * time.Minute,
					AdaptiveMax:     24 * time.Hour,
					HostConcurrency: 4,
					HostDelay:       250 * time.Millisecond,
					FailingAfter:    5,
					Keep:            Keep{Count: 50},
					Robots:          true,
				}
				c.Listen = "[::1]:9090"
				c.CheckRetention = 48 * time.Hour
				c.Hosts = []HostRule{
					{Match: "*.slow.example", Concurrency: 4, Delay: 10 * time.Second, Pos: pos(21, 5)},
					{Match: "127.0.0.1", Concurrency: 1, Delay: 250 * time.Millisecond, Pos: pos(23, 5)},
				}
			}),
		},
		{
			name: "variables expanded in values",
			yaml: `db: postgres://redline:${PG_PASSWORD}@localhost/redline?sslmode=disable
defaults:
  user_agent: "redline (+mailto:${CONTACT}) costs $$5"
watches:
  - url: https://${HOST}/a
    name: ${EMPTY}price
    ignore: ['^Total: \$\d+$', '^[$]$$']
`,
			env: map[string]string{"PG_PASSWORD": "s3cr${et}", "CONTACT": "ann@example.org", "HOST": "example.org", "EMPTY": ""},
			want: withDefaults(func(c *Config) {
				c.DB = "postgres://redline:s3cr${et}@localhost/redline?sslmode=disable"
				c.Defaults.UserAgent = "redline (+mailto:ann@example.org) costs $5"
				c.Watches = []Watch{{
					URL:    "https://example.org/a",
					Name:   "price",
					Ignore: []string{`^Total: \$\d+$`, `^[$]$`},
					Pos:    pos(5, 5),
				}}
			}),
		},
		{
			name: "home directory in a db path",
			yaml: "db: ~/data/redline.db\n",
			env:  map[string]string{"HOME": "/home/ann/"},
			want: withDefaults(func(c *Config) { c.DB = "/home/ann/data/redline.db" }),
		},
		{
			name: "home directory from USERPROFILE",
			yaml: "db: ~/redline.db\n",
			env:  map[string]string{"USERPROFILE": `C:\Users\ann`},
			want: withDefaults(func(c *Config) { c.DB = `C:\Users\ann/redline.db` }),
		},
		{
			name: "a tilde elsewhere is kept",
			yaml: "db: ./~/redline.db\n",
			want: withDefaults(func(c *Config) { c.DB = "./~/redline.db" }),
		},
		{
			name: "confirmation switched off for one watch",
			yaml: "watches:\n  - url: https://example.org/live\n    confirm: false\n",
			want: withDefaults(func(c *Config) {
				off := false
				c.Watches = []Watch{{URL: "https://example.org/live", Confirm: &off, Pos: pos(2, 5)}}
			}),
		},
		{
			name: "anchors and aliases",
			yaml: `defaults:
  exclude: &chrome [nav, footer]
watches:
  - url: https://example.org/a
    exclude: *chrome
  - &b {url: https://example.org/b, tags: [x]}
`,
			want: withDefaults(func(c *Config) {
				c.Defaults.Exclude = []string{"nav", "footer"}
				c.Watches = []Watch{
					{URL: "https://example.org/a", Exclude: []string{"nav", "footer"}, Pos: pos(4, 5)},
					{URL: "https://example.org/b", Tags: []string{"x"}, Pos: pos(6, 5)},
				}
			}),
		},
		{
			name: "scalars of any type are strings",
			yaml: "watches:\n  - url: https://example.org/\n    name: 2024\n    tags: [2024, true]\n",
			want: withDefaults(func(c *Config) {
				c.Watches = []Watch{{URL: "https://example.org/", Name: "2024", Tags: []string{"2024", "true"}, Pos: pos(2, 5)}}
			}),
		},
		{
			name: "selector mode from the defaults",
			yaml: "defaults: {mode: selector}\nwatches:\n  - {url: 'https://example.org/', select: [main]}\n  - {url: 'https://example.org/x', mode: raw}\n",
			want: withDefaults(func(c *Config) {
				c.Defaults.Mode = ModeSelector
				c.Watches = []Watch{
					{URL: "https://example.org/", Select: []string{"main"}, Pos: pos(3, 5)},
					{URL: "https://example.org/x", Mode: ModeRaw, Pos: pos(4, 5)},
				}
			}),
		},
		{
			name: "XPath selectors and json mode",
			yaml: `defaults:
  exclude: ['//div[@id="cookies"]']
watches:
  - url: https://shop.example/aeropress
    mode: selector
    select: ['//p[@class="price"]', '#stock', '(//li/@data-color)[1]', '(count(//li))']
    exclude: ['./html/body/nav']
  - url: https://status.example/api/v2/summary.json
    mode: json
    select: [status.indicator, 'components.#(status!="operational")#.name', 'a\.b|@reverse']
  - url: https://status.example/api/v2/status.json
    mode: json
`,
			want: withDefaults(func(c *Config) {
				c.Defaults.Exclude = []string{`//div[@id="cookies"]`}
				c.Watches = []Watch{
					{URL: "https://shop.example/aeropress", Mode: ModeSelector, Select: []string{`//p[@class="price"]`, "#stock", `(//li/@data-color)[1]`, `(count(//li))`}, Exclude: []string{"./html/body/nav"}, Pos: pos(4, 5)},
					{URL: "https://status.example/api/v2/summary.json", Mode: ModeJSON, Select: []string{"status.indicator", `components.#(status!="operational")#.name`, `a\.b|@reverse`}, Pos: pos(8, 5)},
					{URL: "https://status.example/api/v2/status.json", Mode: ModeJSON, Pos: pos(11, 5)},
				}
			}),
		},
		{
			name: "urls differing in path or query are distinct",
			yaml: "watches:\n  - url: https://example.org/a\n  - url: https://example.org/a?b\n  - url: https://example.org/a#c\n  - url: http://example.org/a\n",
			want: withDefaults(func(c *Config) {
				c.Watches = []Watch{
					{URL: "https://example.org/a", Pos: pos(2, 5)},
					{URL: "https://example.org/a?b", Pos: pos(3, 5)},
					{URL: "https://example.org/a#c", Pos: pos(4, 5)},
					{URL: "http://example.org/a", Pos: pos(5, 5)},
				}
			}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEnv("redline.yaml", []byte(tt.yaml), env(tt.env))
			if err != nil {
				t.Fatalf("ParseEnv: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseEnv mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	t.Parallel()
	want := &Config{Defaults: Defaults{Mode: ModeArticle, Timeout: 30 * time.Second, MaxBody: 10 * 1024 * 1024, ConfirmDelay: 5 * time.Second, Volatile: VolatileSuggest,
		Schedule: "@hourly", HostConcurrency: 2, HostDelay: time.Second, FailingAfter: 3}, Listen: "127.0.0.1:8080",
		CheckRetention: 720 * time.Hour, Outbox: Outbox{MaxAttempts: 10, MaxAge: 72 * time.Hour, MinBackoff: 30 * time.Second, MaxBackoff: time.Hour}}
	if diff := cmp.Diff(want, Default()); diff != "" {
		t.Errorf("Default() mismatch (-want +got):\n%s", diff)
	}
	// Each call is a fresh value: changing one changes no other.
	a := Default()
	a.Defaults.Ignore = append(a.Defaults.Ignore, "x")
	a.Defaults.Mode = ModeRaw
	if diff := cmp.Diff(want, Default()); diff != "" {
		t.Errorf("Default() changed by a caller (-want +got):\n%s", diff)
	}
}

func TestEffective(t *testing.T) {
	t.Parallel()
	d := Defaults{Mode: ModeText, Ignore: []string{"a", "b"}, Exclude: []string{"nav"}, Volatile: VolatileOff, IgnoreNumbers: true,
		Keep: Keep{Age: time.Hour}}
	yes, no := true, false
	tests := []struct {
		name string
		w    Watch
		d    Defaults
		want Watch
	}{
		{
			name: "mode and lists from the defaults",
			w:    Watch{URL: "u"},
			d:    d,
			want: Watch{URL: "u", Mode: ModeText, Ignore: []string{"a", "b"}, Exclude: []string{"nav"}, Volatile: VolatileOff, IgnoreNumbers: &yes, Keep: &Keep{Age: time.Hour}, Robots: &no},
		},
		{
			name: "own mode kept, own entries after the defaults, repeats dropped",
			w:    Watch{URL: "u", Mode: ModeRaw, Ignore: []string{"b", "c"}, Exclude: []string{"aside", "nav"}, Volatile: VolatileIgnore, IgnoreNumbers: &no, Keep: &Keep{Count: 3}, Robots: &yes},
			d:    d,
			want: Watch{URL: "u", Mode: ModeRaw, Ignore: []string{"a", "b", "c"}, Exclude: []string{"nav", "aside"}, Volatile: VolatileIgnore, IgnoreNumbers: &no, Keep: &Keep{Count: 3}, Robots: &yes},
		},
		{
			name: "zero defaults mean article mode",
			w:    Watch{URL: "u", Tags: []string{"t"}, Select: []string{"main"}},
			want: Watch{URL: "u", Mode: ModeArticle, Tags: []string{"t"}, Select: []string{"main"}, Volatile: VolatileSuggest, IgnoreNumbers: &no, Keep: &Keep{}, Robots: &no},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.w.Effective(tt.d)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Effective mismatch (-want +got):\n%s", diff)
			}
			if again := got.Effective(tt.d); !cmp.Equal(got, again) {
				t.Errorf("Effective is not idempotent:\n%s", cmp.Diff(got, again))
			}
		})
	}

	// The result shares no backing arrays with the watch or the defaults.
	w := Watch{Tags: []string{"t"}, Select: []string{"s"}, Ignore: []string{"i"}, Exclude: []string{"e"}}
	dd := Defaults{Ignore: make([]string, 1, 8), Exclude: make([]string, 1, 8)}
	dd.Ignore[0], dd.Exclude[0] = "di", "de"
	got := w.Effective(dd)
	got.Tags[0], got.Select[0], got.Ignore[0], got.Exclude[0] = "X", "X", "X", "X"
	_ = append(got.Ignore[:1], "Y")
	if w.Tags[0] != "t" || w.Select[0] != "s" || w.Ignore[0] != "i" || w.Exclude[0] != "e" ||
		dd.Ignore[0] != "di" || dd.Exclude[0] != "de" || dd.Ignore[:2][1] != "" {
		t.Errorf("Effective's result aliases its inputs: w=%+v d=%+v", w, dd)
	}
}

func TestPositionString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Position
		want string
	}{
		{Position{"redline.yaml", 14, 7}, "redline.yaml:14:7"},
		{Position{"redline.yaml", 3, 0}, "redline.yaml:3"},
		{Position{"redline.yaml", 0, 0}, "redline.yaml"},
		{Position{"", 14, 7}, "14:7"},
		{Position{}, ""},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
