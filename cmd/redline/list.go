package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redlinehq/redline/store"
)

// listEntry is one watch in `redline list --format json`.
type listEntry struct {
	ID                int64            `json:"id"`
	URL               string           `json:"url"`
	Name              string           `json:"name,omitempty"`
	Tags              []string         `json:"tags,omitempty"`
	Extract           store.Extraction `json:"extract"`
	Source            store.Source     `json:"source"`
	State             string           `json:"state"`
	Revisions         int              `json:"revisions"`
	LastCheck         *time.Time       `json:"last_check,omitempty"`
	LastChange        *time.Time       `json:"last_change,omitempty"`
	ConsecutiveErrors int              `json:"consecutive_errors,omitempty"`
	Flaps             int              `json:"flaps,omitempty"`
	SkipConfirm       bool             `json:"skip_confirm,omitempty"`
	LastError         string           `json:"last_error,omitempty"`
	Schedule          string           `json:"schedule,omitempty"`
	NextCheck         *time.Time       `json:"next_check,omitempty"`
}

func runList(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("list")
	var tag, format string
	fs.StringVar(&tag, "tag", "", "only watches with this `tag`")
	fs.StringVar(&format, "format", "text", "output `format`: text or json")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline list [--tag T] [--format text|json]\n\nShow the watches and their state.")
		fs.PrintDefaults()
	}
	rest, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return a.usageError("list", "unexpected argument %q", rest[0])
	}
	if format != "text" && format != "json" {
		return a.usageError("list", "--format must be text or json, not %q", format)
	}
	cfg, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	failingAfter := cfg.Defaults.FailingAfter
	ws, err := s.ListWatches(ctx, store.WatchFilter{Tag: tag})
	if err != nil {
		return a.fail(err)
	}
	if format == "json" {
		entries := make([]listEntry, 0, len(ws))
		for _, w := range ws {
			entries = append(entries, newListEntry(w, failingAfter))
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			return a.fail(err)
		}
		return exitOK
	}
	if len(ws) == 0 {
		fmt.Fprintln(a.err, "no watches yet: add one with 'redline add URL'")
		return exitOK
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tURL\tTAGS\tSTATE\tREVS\tLAST CHECK\tLAST CHANGE\tNEXT CHECK\tLAST ERROR")
	for _, w := range ws {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", w.ID, dash(w.Name), w.URL, dash(strings.Join(w.Tags, ",")),
			watchState(w, failingAfter), w.State.Revisions, when(w.State.LastCheckAt), when(w.State.LastChangeAt),
			when(w.State.NextCheckAt), dash(oneLine(w.State.LastError, 60)))
	}
	if err := tw.Flush(); err != nil {
		return a.fail(err)
	}
	return exitOK
}

func newListEntry(w store.Watch, failingAfter int) listEntry {
	return listEntry{
		Schedule: w.Schedule, NextCheck: timePtr(w.State.NextCheckAt),
		ID: w.ID, URL: w.URL, Name: w.Name, Tags: w.Tags, Extract: w.Extract, Source: w.Source,
		State: watchState(w, failingAfter), Revisions: w.State.Revisions,
		LastCheck: timePtr(w.State.LastCheckAt), LastChange: timePtr(w.State.LastChangeAt),
		ConsecutiveErrors: w.State.ConsecutiveErrors, LastError: w.State.LastError,
		Flaps: w.State.Flaps, SkipConfirm: w.SkipConfirm,
	}
}

// watchState summarises a watch's health in a word: failing once its last
// failingAfter checks (or more) failed, until one succeeds.
func watchState(w store.Watch, failingAfter int) string {
	switch {
	case w.Paused:
		return "paused"
	case w.State.ConsecutiveErrors >= max(failingAfter, 1):
		return fmt.Sprintf("failing(%d)", w.State.ConsecutiveErrors)
	case w.State.ConsecutiveErrors > 0:
		return fmt.Sprintf("ok(%d failed)", w.State.ConsecutiveErrors)
	case w.State.LastCheckAt.IsZero():
		return "unchecked"
	}
	return "ok"
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// when formats a time for tables, in the local zone, or "-" when unset.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine shortens s to at most n runes on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
