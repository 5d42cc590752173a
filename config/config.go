package config

import (
	"fmt"
	"os"
	"slices"
	"time"
)

// Extraction modes, the values of the mode keys.
const (
	ModeArticle  = "article"  // the main article: headline, byline, dates, body (the default)
	ModeText     = "text"     // all visible text of the page
	ModeSelector = "selector" // the text of the elements matched by select
	ModeRaw      = "raw"      // the response body as received
	ModeJSON     = "json"     // a JSON body: its leaves, or the values at select's paths
)

// What a watch does with the blocks of its page that change on most
// fetches, the values of the volatile keys.
const (
	VolatileSuggest = "suggest" // learn them and suggest exclude rules (the default)
	VolatileIgnore  = "ignore"  // learn them; a change confined to them is not a revision
	VolatileOff     = "off"     // do not learn
)

// Config is a loaded, validated configuration file.
type Config struct {
	// Path is the name of the file the configuration came from, as given to
	// Load or Parse; empty for Default.
	Path string
	// DB is the database: a SQLite file path (a leading "~/" already
	// expanded) or a postgres:// DSN. Empty when the file does not set it;
	// the --db flag and REDLINE_DB override it either way.
	DB string
	// Listen is the address `redline run` serves /metrics, /healthz and
	// /readyz on, host:port. Default 127.0.0.1:8080.
	Listen string
	// Hosts are per-host politeness rules, in file order: the first whose
	// Match fits a watch's host name sets its limits.
	Hosts []HostRule
	// CheckRetention is how long `redline run` keeps check rows; older
	// ones are pruned every hour. 0 keeps them forever. Default 720h.
	CheckRetention time.Duration
	// BaseURL is the address readers reach `redline run`'s listen address
	// at (for example http://redline.internal:8080); messages link to the
	// revision pages served there (/watches/ID/revisions/N). Empty: no
	// links.
	BaseURL string
	// Notifiers are the channels notifications go through, in file order.
	Notifiers []Notifier
	// Tags hold settings for the watches carrying each tag.
	Tags map[string]Tag
	// Outbox configures deliveries.
	Outbox Outbox
	// Defaults apply to every watch; see Watch.Effective.
	Defaults Defaults
	// Watches are the watches declared in the file, in file order, as
	// written: merge the defaults in with Watch.Effective.
	Watches []Watch
}

// Defaults are the settings shared by all watches.
type Defaults struct {
	Mode      string        // extraction mode of watches that set none; one of the Mode constants
	Timeout   time.Duration // per-request fetch timeout; > 0
	MaxBody   int64         // cap on a response body after decompression, in bytes; > 0
	UserAgent string        // User-Agent header; empty means redline's own
	Ignore    []string      // regular expressions added to every watch's ignore list
	Exclude   []string      // CSS selectors added to every watch's exclude list
	// ConfirmDelay is how long after seeing a change redline fetches the
	// page again to confirm it (a change that does not reproduce is not
	// recorded); 0 turns confirmation off for every watch.
	ConfirmDelay time.Duration
	// Volatile is what watches that set none do with blocks that change on
	// most fetches: one of the Volatile constants.
	Volatile string
	// IgnoreNumbers makes watches that set none treat a change in which
	// only numbers changed ("3 comments" → "4 comments") as no change.
	IgnoreNumbers bool
	// Schedule is when watches that set none are checked by `redline
	// run`: a cron spec ("*/15 * * * *", "@hourly", "@every 30m", with an
	// optional seconds field and CRON_TZ= prefix) or "adaptive".
	Schedule string
	// AdaptiveMin and AdaptiveMax bound the interval of the adaptive
	// schedule; 0 means the schedule package's defaults (15m and 168h).
	AdaptiveMin, AdaptiveMax time.Duration
	// HostConcurrency and HostDelay limit the requests to each remote host
	// that no Hosts rule matches: at most HostConcurrency at once (0: no
	// limit), HostDelay apart. Loopback hosts are not limited unless a
	// rule says so.
	HostConcurrency int
	HostDelay       time.Duration
	// FailingAfter is the number of consecutive failed checks after which
	// a watch's health is "failing" (until a check succeeds).
	FailingAfter int
	// Keep is the revisions each watch that sets none keeps; the zero
	// Keep keeps all of them (the default).
	Keep Keep
	// Robots makes watches that set none obey their site's robots.txt.
	// Default false: a watch is one page a person asked for, as in a
	// browser.
	Robots bool
	// Notify are the routes of watches that declare none and carry no tag
	// that does (see Config.Routes).
	Notify []Route
}

// Keep says which revisions of a watch `redline run` keeps, besides the
// first and the newest, which are never dropped: the newest Count, or
// those fetched within Age (whichever is set; the zero Keep keeps all).
// In the file it is a whole number ("50") or a duration ("2160h").
type Keep struct {
	Count int
	Age   time.Duration
}

// HostRule gives the hosts matching Match their own request limits.
type HostRule struct {
	// Match is a glob on the host name, lower case, without the port
	// ("*.example.org", "news.example.com", "127.0.0.1").
	Match string
	// Concurrency is the most requests at once to one matching host; 0
	// means no limit.
	Concurrency int
	// Delay is the least time between the starts of two requests.
	Delay time.Duration
	Pos   Position // where the rule is declared
}

// Watch is one page to monitor, as declared in the file.
type Watch struct {
	URL     string   // absolute http(s) URL; unique within the file
	Name    string   // optional; unique within the file when set
	Tags    []string // labels for grouping (`redline check --tag news`); no spaces or commas
	Mode    string   // extraction mode; empty means the default mode
	Select  []string // CSS selectors whose text is kept (selector mode only)
	Exclude []string // CSS selectors whose elements are dropped
	Ignore  []string // regular expressions; matching lines are dropped before comparing
	Confirm *bool    // confirm changes with a second fetch; nil means yes (when the delay is not 0)
	// Volatile is one of the Volatile constants; empty means the default.
	Volatile string
	// IgnoreNumbers: a change in which only numbers changed is no change;
	// nil means the default.
	IgnoreNumbers *bool
	// Schedule is the watch's schedule spec; empty means the default.
	Schedule string
	// Keep is the revisions the watch keeps; nil means the default.
	Keep *Keep
	// Robots: obey the site's robots.txt; nil means the default.
	Robots *bool
	// Notify are the watch's routes; nil means its tags' or the
	// defaults' (see Config.Routes), an empty list none at all.
	Notify []Route
	Pos    Position // where the watch is declared
}

// Default returns the configuration used when there is no file. It is the
// one place where default values are set: Parse starts from it, and keys
// present in the file replace its values.
func Default() *Config {
	return &Config{
		Listen:         "127.0.0.1:8080",
		CheckRetention: 720 * time.Hour,
		Outbox:         Outbox{MaxAttempts: 10, MaxAge: 72 * time.Hour, MinBackoff: 30 * time.Second, MaxBackoff: time.Hour},
		Defaults: Defaults{
			Mode:         ModeArticle,
			Timeout:      30 * time.Second,
			MaxBody:      10 << 20,
			ConfirmDelay: 5 * time.Second,
			Volatile:     VolatileSuggest,
			Schedule:     "@hourly",

			HostConcurrency: 2,
			HostDelay:       time.Second,
			FailingAfter:    3,
		},
	}
}

// Effective returns the watch with the defaults merged in: the default mode
// when the watch sets none (article if d sets none either), and d's ignore
// and exclude entries before the watch's own (leaving out those already
// among d's). The result
// shares no slices with w or d, and merging again with the same defaults
// changes nothing.
func (w Watch) Effective(d Defaults) Watch {
	if w.Mode == "" {
		w.Mode = d.Mode
	}
	if w.Mode == "" {
		w.Mode = ModeArticle
	}
	if w.Volatile == "" {
		w.Volatile = d.Volatile
	}
	if w.Schedule == "" {
		w.Schedule = d.Schedule
	}
	if w.Robots == nil {
		b := d.Robots
		w.Robots = &b
	} else {
		b := *w.Robots
		w.Robots = &b
	}
	if w.Keep == nil {
		k := d.Keep
		w.Keep = &k
	} else {
		k := *w.Keep
		w.Keep = &k
	}
	if w.Volatile == "" {
		w.Volatile = VolatileSuggest
	}
	if w.IgnoreNumbers == nil {
		b := d.IgnoreNumbers
		w.IgnoreNumbers = &b
	} else {
		b := *w.IgnoreNumbers
		w.IgnoreNumbers = &b
	}
	w.Tags = slices.Clone(w.Tags)
	w.Select = slices.Clone(w.Select)
	w.Ignore = union(d.Ignore, w.Ignore)
	w.Exclude = union(d.Exclude, w.Exclude)
	return w
}

// union returns a followed by the elements of b that are not in a, or nil
// when both are empty.
func union(a, b []string) []string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make([]string, 0, len(a)+len(b))
	out = append(out, a...)
	for _, s := range b {
		if !slices.Contains(a, s) {
			out = append(out, s)
		}
	}
	return out
}

// inheritHostLimits gives each host rule the defaults' limits it does not
// set itself; defaults may come after hosts in the file, so this runs once
// everything is decoded.
func inheritHostLimits(cfg *Config, s *sources) {
	for i := range cfg.Hosts {
		if s.hosts[i].concurrency.st == absent {
			cfg.Hosts[i].Concurrency = cfg.Defaults.HostConcurrency
		}
		if s.hosts[i].delay.st == absent {
			cfg.Hosts[i].Delay = cfg.Defaults.HostDelay
		}
	}
}

// Load reads the file at path and parses it with Parse. Errors reading the
// file wrap the os error (test for a missing file with
// errors.Is(err, fs.ErrNotExist)).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a configuration file's contents, taking ${VAR} values from
// the process environment. name is the file name used in positions and
// stored in Config.Path. See ParseEnv.
func Parse(name string, data []byte) (*Config, error) {
	return ParseEnv(name, data, os.LookupEnv)
}

// ParseEnv parses a configuration file's contents, taking ${VAR} values and
// the home directory (for "~/" in db, from HOME or else USERPROFILE) from
// lookup, which has the signature of os.LookupEnv.
//
// It decodes strictly (unknown keys and wrong types are errors), expands
// variables in values, starts from Default, and validates the result. On
// failure it returns a nil Config and the errors.Join of one *Error per
// problem found, sorted by position, so err.Error() lists them one per line.
// An empty file is a valid, empty configuration.
func ParseEnv(name string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	d := &decoder{file: name, lookup: lookup}
	cfg := Default()
	cfg.Path = name
	src := d.decode(data, cfg)
	inheritHostLimits(cfg, src)
	d.validate(cfg, src)
	if err := d.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}
