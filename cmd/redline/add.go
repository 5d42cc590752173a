package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

func runAdd(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("add")
	var (
		name, mode, from, sched    string
		noConfirm                  bool
		tags, sel, exclude, ignore stringList
	)
	fs.StringVar(&name, "name", "", "a short `name` for the watch (one URL only)")
	fs.Var(&tags, "tag", "a `tag` for grouping (repeatable)")
	fs.StringVar(&mode, "mode", "", "extraction `mode`: article (default), text, selector, raw or json")
	fs.Var(&sel, "select", "CSS `selector` or XPath (starting /, ./ or \"(\") whose text is watched; in json mode a gjson path (repeatable; implies selector mode without --mode)")
	fs.Var(&exclude, "exclude", "CSS `selector` or XPath of elements to drop, in HTML modes (repeatable)")
	fs.Var(&ignore, "ignore", "`regexp`; matching lines are ignored (repeatable)")
	fs.BoolVar(&noConfirm, "no-confirm", false, "record changes from one fetch, without the confirming second fetch")
	fs.StringVar(&sched, "schedule", "", "when `redline run` checks it: a cron spec (\"*/15 * * * *\", \"@hourly\", \"@every 30m\", CRON_TZ=Area/City prefix) or \"adaptive\"; default: the config's")
	fs.StringVar(&from, "from", "", "read URLs from `FILE`, one a line, # comments; - is stdin")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline add URL... [flags]\n       redline add --from FILE [flags]\n\nWatch pages. Flags apply to every URL added.")
		fs.PrintDefaults()
	}
	urls, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if from != "" {
		more, err := a.readURLList(from)
		if err != nil {
			return a.fail(err)
		}
		urls = append(urls, more...)
	}
	if len(urls) == 0 {
		return a.usageError("add", "give at least one URL, or --from FILE")
	}
	if name != "" && len(urls) > 1 {
		return a.usageError("add", "--name names one watch, but %d URLs were given", len(urls))
	}
	if mode == "" && len(sel) > 0 {
		mode = string(extract.ModeSelector)
	}
	ext := store.Extraction{Mode: mode, Select: sel, Exclude: exclude, Ignore: ignore}

	cfg, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	defaults := configDefaults(cfg)
	if _, err := extract.New(monitor.ExtractOptions(ext, defaults)); err != nil {
		return a.fail(err)
	}
	if sched != "" {
		if _, err := schedule.ParseWith(sched, schedule.Adaptive{Min: cfg.Defaults.AdaptiveMin, Max: cfg.Defaults.AdaptiveMax}); err != nil {
			return a.fail(fmt.Errorf("--schedule: %w", err))
		}
	}
	failed := false
	for _, u := range urls {
		if err := validateURL(u); err != nil {
			fmt.Fprintf(a.err, "redline add: %v\n", err)
			failed = true
			continue
		}
		w, err := s.AddWatch(ctx, store.Watch{URL: u, Name: name, Tags: tags, Extract: ext, Source: store.SourceCLI, SkipConfirm: noConfirm, Schedule: sched})
		switch {
		case errors.Is(err, store.ErrExists):
			fmt.Fprintf(a.err, "redline add: %s is already watched\n", u)
			failed = true
		case err != nil:
			return a.fail(fmt.Errorf("add %s: %w", u, err))
		default:
			fmt.Fprintf(a.out, "added %s (id %d)\n", w.URL, w.ID)
		}
	}
	if failed {
		return exitFailure
	}
	return exitOK
}

// readURLList reads one URL a line, skipping blank lines and # comments.
func (a *app) readURLList(path string) ([]string, error) {
	r, err := a.openInput(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var urls []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i == 0 || (i > 0 && line[i-1] == ' ') {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if err := validateURL(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		urls = append(urls, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return urls, nil
}

// validateURL accepts absolute http and https URLs with a host.
func validateURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
