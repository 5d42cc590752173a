package main

import (
	"context"
	"fmt"

	"github.com/redlinehq/redline/store"
)

func runRm(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("rm")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline rm URL|ID|NAME...\n\nStop watching pages and delete their revisions and checks.\nWatches declared in the config file are removed by deleting them there.")
		fs.PrintDefaults()
	}
	refs, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(refs) == 0 {
		return a.usageError("rm", "give at least one watch URL, ID or name")
	}
	_, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	failed := false
	for _, ref := range refs {
		w, err := findWatch(ctx, s, ref)
		if err != nil {
			fmt.Fprintf(a.err, "redline rm: %v\n", err)
			failed = true
			continue
		}
		if w.Source == store.SourceConfig {
			fmt.Fprintf(a.err, "redline rm: %s is declared in the config file; remove it there\n", w.URL)
			failed = true
			continue
		}
		if err := s.DeleteWatch(ctx, w.ID); err != nil {
			return a.fail(fmt.Errorf("remove %s: %w", w.URL, err))
		}
		fmt.Fprintf(a.out, "removed %s (%d revisions)\n", w.URL, w.State.Revisions)
	}
	if failed {
		return exitFailure
	}
	return exitOK
}
