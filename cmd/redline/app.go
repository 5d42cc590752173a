package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/store"
)

// version is redline's version, set at build time with
// -ldflags "-X main.version=…".
var version = "dev"

// stdio is the process environment a command runs in, passed in so tests
// run the real CLI without touching the process's own.
type stdio struct {
	in     io.Reader
	out    io.Writer
	err    io.Writer
	getenv func(string) string
}

// command is one subcommand.
type command struct {
	name    string
	args    string // synopsis of the arguments
	summary string
	run     func(ctx context.Context, a *app, args []string) int
}

// commands lists every subcommand, in the order `redline help` shows them.
var commands = []command{
	{"add", "URL... | --from FILE", "watch pages", runAdd},
	{"list", "", "show the watches and their state", runList},
	{"rm", "URL|ID...", "stop watching pages and drop their history", runRm},
	{"check", "[URL... | --all | --tag T]", "check watches now and record what changed", runCheck},
	{"run", "", "check every watch on its schedule until stopped (the daemon)", runRun},
	{"history", "URL|ID", "show a watch's revisions and recent checks", runHistory},
	{"diff", "URL|ID [REV [REV]]", "show what changed between two revisions", runDiff},
	{"extract", "URL|FILE", "show what the extractor sees in a page", runExtract},
	{"outbox", "[list | retry ID | retry --dead]", "show and retry notification deliveries", runOutbox},
	{"notify", "test NAME", "send a test message through a notifier", runNotify},
	{"version", "", "print redline's version", runVersion},
}

// app holds what every command shares: the global options and the process
// environment. Commands open the store and the config through it.
type app struct {
	stdio
	dbFlag     string
	configFlag string
	logLevel   string
	cpuProfile string
	logger     *slog.Logger
	profile    *os.File // the open --cpuprofile file while profiling
}

func run(ctx context.Context, args []string, io stdio) int {
	a := &app{stdio: io}
	fs := a.flagSet("redline")
	fs.Usage = func() { a.usage() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		a.usage()
		return exitUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	if name == "help" {
		a.usage()
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			code := c.run(ctx, a, rest)
			if err := a.stopProfile(); err != nil {
				fmt.Fprintf(a.err, "redline: %v\n", err)
				if code == exitOK {
					code = exitFailure
				}
			}
			return code
		}
	}
	fmt.Fprintf(a.err, "redline: unknown command %q (run 'redline help')\n", name)
	return exitUsage
}

func (a *app) usage() {
	fmt.Fprintf(a.err, "redline %s: watch web pages and report exactly what changed\n\nUsage: redline [--db DSN] [--config FILE] COMMAND [ARGS]\n\nCommands:\n", version)
	for _, c := range commands {
		fmt.Fprintf(a.err, "  %-8s %-30s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(a.err, `
Global flags (before or after the command):
  --db DSN         SQLite file or postgres:// URL (default $REDLINE_DB, the
                   config's db:, or `+defaultDBPath(a.getenv)+`)
  --config FILE    YAML config (default `+defaultConfigPath(a.getenv)+` if it exists)
  --log-level L    debug, info, warn or error (default warn)
  --cpuprofile F   write a CPU profile of the command to F, for go tool pprof
                   and for rebuilding cmd/redline/default.pgo

Exit codes: 0 ok / nothing changed, 1 failure, 2 usage error,
3 changes found (check), 4 some checks failed (check).
Run 'redline COMMAND --help' for a command's flags.
`)
}

// flagSet returns a flag set with the global flags registered, so they may
// be given before or after the command name.
func (a *app) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.err)
	if fs.Lookup("db") == nil {
		fs.StringVar(&a.dbFlag, "db", a.dbFlag, "SQLite file or postgres:// URL")
		fs.StringVar(&a.configFlag, "config", a.configFlag, "YAML config file")
		fs.StringVar(&a.logLevel, "log-level", a.logLevel, "log level: debug, info, warn, error")
		fs.StringVar(&a.cpuProfile, "cpuprofile", a.cpuProfile, "write a CPU profile of the command to `file`")
	}
	return fs
}

// parse parses a command's flags, allowing flags and arguments in any order
// ("--" ends the flags), and sets up logging. It returns the positional
// arguments, or an exit code when the command should stop.
func (a *app) parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		consumed, rest := len(args)-fs.NArg(), fs.Args()
		if consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if err := a.setupLogging(); err != nil {
		fmt.Fprintf(a.err, "redline: %v\n", err)
		return nil, exitUsage, false
	}
	if err := a.startProfile(); err != nil {
		fmt.Fprintf(a.err, "redline: %v\n", err)
		return nil, exitFailure, false
	}
	return pos, 0, true
}

// startProfile starts the CPU profile --cpuprofile asks for, once the
// command's flags are parsed; run stops it when the command returns.
func (a *app) startProfile() error {
	if a.cpuProfile == "" || a.profile != nil {
		return nil
	}
	f, err := os.Create(a.cpuProfile)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile %s: %w", a.cpuProfile, err)
	}
	a.profile = f
	return nil
}

// stopProfile stops a running CPU profile and closes its file.
func (a *app) stopProfile() error {
	if a.profile == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := a.profile.Close()
	a.profile = nil
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	return nil
}

func (a *app) setupLogging() error {
	var level slog.Level
	lv := a.logLevel
	if lv == "" {
		lv = "warn"
	}
	if err := level.UnmarshalText([]byte(lv)); err != nil {
		return fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", a.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	if isTerminal(a.err) {
		a.logger = slog.New(slog.NewTextHandler(a.err, opts))
	} else {
		a.logger = slog.New(slog.NewJSONHandler(a.err, opts))
	}
	return nil
}

// fail prints an error the way every command does and returns exitFailure.
func (a *app) fail(err error) int {
	fmt.Fprintf(a.err, "redline: %v\n", err)
	return exitFailure
}

// usageError prints a command-line mistake and returns exitUsage.
func (a *app) usageError(cmd, format string, args ...any) int {
	fmt.Fprintf(a.err, "redline %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return exitUsage
}

// loadConfig reads the config named by --config, or the default file when
// it exists; without either it returns the built-in defaults.
func (a *app) loadConfig() (*config.Config, error) {
	path := a.configFlag
	if path == "" {
		path = defaultConfigPath(a.getenv)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return config.Default(), nil
		}
	}
	return config.Load(path)
}

// openStore opens the store named by --db, $REDLINE_DB, the config's db:
// or the default path, in that order.
func (a *app) openStore(ctx context.Context, cfg *config.Config) (store.Store, error) {
	dsn := a.dbFlag
	if dsn == "" {
		dsn = a.getenv("REDLINE_DB")
	}
	if dsn == "" && cfg != nil {
		dsn = cfg.DB
	}
	if dsn == "" {
		dsn = defaultDBPath(a.getenv)
	}
	return openStore(ctx, dsn)
}

// defaultDBPath is redline.db in the user's data directory
// ($XDG_DATA_HOME/redline, else ~/.local/share/redline; on macOS
// ~/Library/Application Support/redline).
func defaultDBPath(getenv func(string) string) string {
	return filepath.Join(dataDir(getenv), "redline", "redline.db")
}

func dataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return d
	}
	home := getenv("HOME")
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support")
	}
	return filepath.Join(home, ".local", "share")
}

// defaultConfigPath is redline.yaml in the user's config directory.
func defaultConfigPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	switch {
	case dir != "":
	case runtime.GOOS == "darwin":
		dir = filepath.Join(getenv("HOME"), "Library", "Application Support")
	default:
		dir = filepath.Join(getenv("HOME"), ".config")
	}
	return filepath.Join(dir, "redline", "redline.yaml")
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// open loads the config, opens the store and syncs the config's watches
// into it, which every command that reads or writes watches needs.
func (a *app) open(ctx context.Context) (*config.Config, store.Store, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	s, err := a.openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	rep, err := monitor.SyncConfig(ctx, s, cfg)
	if err != nil {
		_ = s.Close() // the sync error is the one worth reporting
		return nil, nil, err
	}
	for _, u := range rep.Added {
		a.logger.Info("watch added from config", "url", u)
	}
	for _, u := range rep.Updated {
		a.logger.Info("watch updated from config", "url", u)
	}
	for _, u := range rep.Removed {
		a.logger.Info("watch removed from config", "url", u)
	}
	return cfg, s, nil
}

// findWatch resolves a command-line reference to a watch: its exact URL, its
// numeric ID or its name.
func findWatch(ctx context.Context, s store.Store, ref string) (store.Watch, error) {
	w, err := s.WatchByURL(ctx, ref)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return w, err
	}
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		w, err := s.Watch(ctx, id)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return w, err
		}
	}
	all, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil {
		return store.Watch{}, err
	}
	for _, w := range all {
		if w.Name == ref {
			return w, nil
		}
	}
	return store.Watch{}, fmt.Errorf("no watch with URL, ID or name %q (see 'redline list'): %w", ref, store.ErrNotFound)
}

// configDefaults returns the extraction settings the config applies to
// every watch.
func configDefaults(cfg *config.Config) store.Extraction {
	return store.Extraction{
		Mode:          cfg.Defaults.Mode,
		Ignore:        cfg.Defaults.Ignore,
		Exclude:       cfg.Defaults.Exclude,
		Volatile:      cfg.Defaults.Volatile,
		IgnoreNumbers: &cfg.Defaults.IgnoreNumbers,
	}
}

// newFetcher builds the fetcher the config describes.
func newFetcher(cfg *config.Config) (*monitor.Fetcher, error) {
	return monitor.NewFetcher(monitor.FetchOptions{
		Timeout:   cfg.Defaults.Timeout,
		MaxBody:   cfg.Defaults.MaxBody,
		UserAgent: cfg.Defaults.UserAgent,
		Version:   version,
	})
}

// newChecker builds a checker recording into s, polite to each host as
// the config says; m may be nil.
// newChecker returns a checker for cfg's watches; routes (nil: no
// notifications) gives each watch's notification routes and notified is
// called when a check wrote deliveries.
func (a *app) newChecker(cfg *config.Config, s store.Store, m *monitor.Metrics, routes func(store.Watch) []config.Route, notified func()) (*monitor.Checker, error) {
	f, err := newFetcher(cfg)
	if err != nil {
		return nil, err
	}
	robots := map[string]bool{}
	for _, w := range cfg.Watches {
		if w.Robots != nil {
			robots[w.URL] = *w.Robots
		}
	}
	obey := func(w store.Watch) bool {
		if b, ok := robots[w.URL]; ok {
			return b
		}
		return cfg.Defaults.Robots
	}
	return monitor.NewChecker(s, f, monitor.CheckerOptions{
		Robots:       f.NewRobots(),
		ObeyRobots:   obey,
		Defaults:     configDefaults(cfg),
		ConfirmDelay: cfg.Defaults.ConfirmDelay,
		Hosts:        hostLimiter(cfg),
		Metrics:      m,
		FailingAfter: cfg.Defaults.FailingAfter,
		Routes:       routes,
		Notified:     notified,
		Logger:       a.logger,
	}), nil
}

// hostLimiter builds the per-host limits the config sets.
func hostLimiter(cfg *config.Config) *monitor.HostLimiter {
	rules := make([]monitor.HostRule, len(cfg.Hosts))
	for i, r := range cfg.Hosts {
		rules[i] = monitor.HostRule{Match: r.Match, HostLimit: monitor.HostLimit{Concurrency: r.Concurrency, Delay: r.Delay}}
	}
	return monitor.NewHostLimiter(rules, monitor.HostLimit{Concurrency: cfg.Defaults.HostConcurrency, Delay: cfg.Defaults.HostDelay})
}

// openInput opens a file named on the command line, or standard input for
// "-".
func (a *app) openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(a.in), nil
	}
	return os.Open(path)
}
