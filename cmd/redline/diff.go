package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/store"
)

func runDiff(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("diff")
	var color string
	fs.StringVar(&color, "color", "auto", "colour the diff: auto, always or never")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline diff URL|ID|NAME [REV [REV]] [flags]\n\nShow what changed between two revisions: the newest two by default,\nREV-1 and REV with one revision number, or the two given.")
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) < 1 || len(pos) > 3 {
		return a.usageError("diff", "give a watch and up to two revision numbers")
	}
	colorOut, err := wantColor(color, a.out)
	if err != nil {
		return a.usageError("diff", "%v", err)
	}
	var revs []int
	for _, p := range pos[1:] {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return a.usageError("diff", "revision %q is not a positive number", p)
		}
		revs = append(revs, n)
	}

	_, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	w, err := findWatch(ctx, s, pos[0])
	if err != nil {
		return a.fail(err)
	}
	var from, to int
	switch len(revs) {
	case 0:
		from, to = w.State.Revisions-1, w.State.Revisions
	case 1:
		from, to = revs[0]-1, revs[0]
	default:
		from, to = revs[0], revs[1]
	}
	if w.State.Revisions == 0 {
		return a.fail(fmt.Errorf("%s has no revisions yet: run 'redline check %s'", w.URL, w.URL))
	}
	if len(revs) < 2 {
		if from, err = previousStored(ctx, s, w.ID, to); err != nil {
			return a.fail(err)
		}
	}
	if from < 1 && len(revs) == 0 {
		return a.fail(fmt.Errorf("%s has only one revision, nothing to compare it with", w.URL))
	}
	var oldText string
	if from >= 1 {
		old, err := s.Revision(ctx, w.ID, from)
		if err != nil {
			return a.fail(fmt.Errorf("%s revision %d: %w", w.URL, from, err))
		}
		oldText = old.Text
	}
	cur, err := s.Revision(ctx, w.ID, to)
	if err != nil {
		return a.fail(fmt.Errorf("%s revision %d: %w", w.URL, to, err))
	}
	ch := diff.Compare(oldText, cur.Text)
	fmt.Fprintf(a.err, "%s: revision %d → %d: %s\n", w.URL, from, to, ch.Stats)
	if err := writeChange(a.out, ch, from, to, colorOut); err != nil {
		return a.fail(err)
	}
	return exitOK
}

// previousStored returns the newest revision of watch id before seq that is
// still stored (retention may have dropped the ones in between), 0 when
// there is none.
func previousStored(ctx context.Context, s store.Store, id int64, seq int) (int, error) {
	stored, err := s.Revisions(ctx, id)
	if err != nil {
		return 0, err
	}
	prev := 0
	for _, r := range stored {
		if r.Seq < seq && r.Seq > prev {
			prev = r.Seq
		}
	}
	return prev, nil
}
