package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/redlinehq/redline/config"
	"slices"
	"strings"

	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/notify"
	"github.com/redlinehq/redline/store"
)

// checkLine is one line of `redline check --format jsonl`: the contract the
// README documents and benchmarks parse. Keep it stable.
type checkLine struct {
	URL      string `json:"url"`
	Watch    string `json:"watch,omitempty"`
	Status   string `json:"status"` // new, unchanged, changed or error
	Revision int    `json:"revision,omitempty"`
	Class    string `json:"class,omitempty"`    // what kind of edit a changed revision is
	Flapping bool   `json:"flapping,omitempty"` // a change was seen but did not reproduce; nothing recorded
	Diff     string `json:"diff,omitempty"`
	Error    string `json:"error,omitempty"`
}

func runCheck(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("check")
	var (
		all     bool
		tags    stringList
		format  string
		color   string
		workers int
	)
	fs.BoolVar(&all, "all", false, "check every watch that is not paused (the default without URLs)")
	fs.Var(&tags, "tag", "check the watches with this `tag` (repeatable)")
	fs.StringVar(&format, "format", "text", "output `format`: text or jsonl")
	fs.StringVar(&color, "color", "auto", "colour diffs: auto, always or never")
	fs.IntVar(&workers, "workers", 8, "checks to run at once")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline check [URL|ID|NAME... | --all | --tag T] [flags]\n\nCheck watches now, record new revisions and show what changed.\nExit status: 0 nothing changed, 3 changes found, 4 some checks failed, 1 redline failed.")
		fs.PrintDefaults()
	}
	refs, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if format != "text" && format != "jsonl" {
		return a.usageError("check", "--format must be text or jsonl, not %q", format)
	}
	colorOut, err := wantColor(color, a.out)
	if err != nil {
		return a.usageError("check", "%v", err)
	}
	if workers < 1 {
		return a.usageError("check", "--workers must be at least 1")
	}
	if len(refs) > 0 && (all || len(tags) > 0) {
		return a.usageError("check", "give URLs or --all or --tag, not both")
	}

	cfg, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	notifiers, err := buildNotifiers(cfg)
	if err != nil {
		return a.fail(err)
	}
	var dispatcher *notify.Dispatcher // nil: no notifiers, nothing to deliver
	if len(notifiers) > 0 {
		if dispatcher, err = a.newDispatcher(cfg, s, notifiers, nil); err != nil {
			return a.fail(err)
		}
	}
	watches, err := selectWatches(ctx, s, refs, tags)
	if err != nil {
		return a.fail(err)
	}
	// On a terminal, a progress bar on stderr; log records and results
	// printed on the same terminal go above it.
	bar := a.checkProgress(len(watches))
	a.logger = bar.logger(a.logger)
	var routes func(store.Watch) []config.Route
	if dispatcher != nil {
		routes = newRouteTable(cfg).routes
	}
	checker, err := a.newChecker(cfg, s, nil, routes, nil)
	if err != nil {
		return a.fail(err)
	}

	counts := map[store.Outcome]int{}
	enc := json.NewEncoder(a.out)
	enc.SetEscapeHTML(false)
	var writeErr error
	bar.start(progressTick)
	err = checker.CheckAll(ctx, watches, workers, func(r monitor.Result) {
		counts[r.Outcome]++
		writeErr = bar.result(r.Outcome, func() error {
			switch {
			case writeErr != nil:
				return writeErr // print no more; reported after the checks
			case format == "jsonl":
				return enc.Encode(resultLine(r))
			}
			return printResult(a.out, r, colorOut)
		})
	})
	bar.finish()
	if err != nil {
		return a.fail(err)
	}
	if writeErr != nil {
		return a.fail(fmt.Errorf("write output: %w", writeErr))
	}
	if format == "text" || isTerminal(a.err) {
		fmt.Fprintf(a.err, "checked %d: %d new, %d changed, %d unchanged, %d failed\n", len(watches),
			counts[store.OutcomeNew], counts[store.OutcomeChanged],
			counts[store.OutcomeUnchanged]+counts[store.OutcomeNotModified]+counts[store.OutcomeFlapping], counts[store.OutcomeError])
	}
	if dispatcher != nil {
		// One attempt at every delivery due, this run's and any left over;
		// what fails waits in the outbox for the next run or the daemon.
		st, err := dispatcher.Drain(ctx)
		if err != nil {
			return a.fail(fmt.Errorf("deliver notifications: %w", err))
		}
		if st.Sent+st.Retry+st.Dead > 0 && (format == "text" || isTerminal(a.err)) {
			fmt.Fprintf(a.err, "notifications: %d sent, %d to retry, %d given up (see 'redline outbox')\n", st.Sent, st.Retry, st.Dead)
		}
	}
	switch {
	case counts[store.OutcomeError] > 0:
		return exitCheckFailed
	case counts[store.OutcomeChanged] > 0:
		return exitChanged
	}
	return exitOK
}

// selectWatches returns the watches named by refs, or those carrying any of
// tags, or every unpaused watch.
func selectWatches(ctx context.Context, s store.Store, refs, tags []string) ([]store.Watch, error) {
	if len(refs) > 0 {
		ws := make([]store.Watch, 0, len(refs))
		for _, ref := range refs {
			w, err := findWatch(ctx, s, ref)
			if err != nil {
				return nil, err
			}
			ws = append(ws, w)
		}
		return ws, nil
	}
	all, err := s.ListWatches(ctx, store.WatchFilter{})
	if err != nil {
		return nil, err
	}
	ws := all[:0]
	for _, w := range all {
		if w.Paused {
			continue
		}
		if len(tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(w.Tags, t) }) {
			continue
		}
		ws = append(ws, w)
	}
	if len(tags) > 0 && len(ws) == 0 {
		return nil, fmt.Errorf("no watch is tagged %s", strings.Join(tags, " or "))
	}
	return ws, nil
}

func resultLine(r monitor.Result) checkLine {
	l := checkLine{URL: r.Watch.URL, Watch: r.Watch.Name, Status: string(r.Outcome), Revision: r.Revision}
	switch r.Outcome {
	case store.OutcomeNotModified:
		l.Status = string(store.OutcomeUnchanged)
	case store.OutcomeFlapping:
		l.Status, l.Flapping = string(store.OutcomeUnchanged), true
	case store.OutcomeChanged:
		l.Diff, l.Class = r.Diff(), string(r.Class)
	case store.OutcomeError:
		l.Error = r.Err.Error()
	}
	return l
}
