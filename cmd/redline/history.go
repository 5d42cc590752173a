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

// historyJSON is `redline history --format json`.
type historyJSON struct {
	Watch     listEntry      `json:"watch"`
	Revisions []revisionJSON `json:"revisions"`
	Checks    []checkJSON    `json:"checks"`
}

type revisionJSON struct {
	Seq        int       `json:"revision"`
	FetchedAt  time.Time `json:"fetched_at"`
	HTTPStatus int       `json:"http_status"`
	FinalURL   string    `json:"final_url"`
	Hash       string    `json:"content_hash"`
	Summary    string    `json:"summary,omitempty"`
	Class      string    `json:"class,omitempty"`
	// Deliveries are the notifications of the revision, one per notifier.
	Deliveries []deliveryJSON `json:"deliveries,omitempty"`
}

type deliveryJSON struct {
	Notifier string `json:"notifier"`
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	Error    string `json:"last_error,omitempty"`
}

type checkJSON struct {
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
	Outcome    string    `json:"outcome"`
	HTTPStatus int       `json:"http_status,omitempty"`
	Revision   int       `json:"revision,omitempty"`
	Error      string    `json:"error,omitempty"`
}

func runHistory(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("history")
	var format string
	var checks int
	fs.StringVar(&format, "format", "text", "output `format`: text or json")
	fs.IntVar(&checks, "checks", 10, "show the newest `N` checks (0: none)")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline history URL|ID|NAME [flags]\n\nShow a watch's revisions, oldest first, and its newest checks.")
		fs.PrintDefaults()
	}
	refs, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(refs) != 1 {
		return a.usageError("history", "give one watch URL, ID or name")
	}
	if format != "text" && format != "json" {
		return a.usageError("history", "--format must be text or json, not %q", format)
	}
	cfg, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	w, err := findWatch(ctx, s, refs[0])
	if err != nil {
		return a.fail(err)
	}
	revs, err := s.Revisions(ctx, w.ID)
	if err != nil {
		return a.fail(err)
	}
	items, err := s.ListOutbox(ctx, store.OutboxFilter{WatchID: w.ID})
	if err != nil {
		return a.fail(err)
	}
	byRev := map[int][]deliveryJSON{}
	for i := len(items) - 1; i >= 0; i-- { // oldest first
		it := items[i]
		if it.RevisionSeq == 0 {
			continue
		}
		d := deliveryJSON{Notifier: it.Notifier, State: it.State, Attempts: it.Attempts}
		if it.State != store.OutboxSent {
			d.Error = it.LastError
		}
		byRev[it.RevisionSeq] = append(byRev[it.RevisionSeq], d)
	}
	var chks []store.Check
	if checks > 0 {
		if chks, err = s.Checks(ctx, w.ID, checks); err != nil {
			return a.fail(err)
		}
	}
	if format == "json" {
		h := historyJSON{Watch: newListEntry(w, cfg.Defaults.FailingAfter), Revisions: []revisionJSON{}, Checks: []checkJSON{}}
		for _, r := range revs {
			h.Revisions = append(h.Revisions, revisionJSON{r.Seq, r.FetchedAt, r.HTTPStatus, r.FinalURL, r.ContentHash, r.Summary, r.Class, byRev[r.Seq]})
		}
		for _, c := range chks {
			h.Checks = append(h.Checks, checkJSON{c.StartedAt, c.Duration.Milliseconds(), string(c.Outcome), c.HTTPStatus, c.RevisionSeq, c.Error})
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(h); err != nil {
			return a.fail(err)
		}
		return exitOK
	}

	fmt.Fprintf(a.out, "%s  (%s, %d revisions)\n\n", w.URL, watchState(w, cfg.Defaults.FailingAfter), len(revs))
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REV\tFETCHED\tHTTP\tKIND\tCHANGE\tNOTIFIED")
	for _, r := range revs {
		summary := r.Summary
		if r.Seq == 1 {
			summary = "first capture"
		}
		var notified []string
		for _, d := range byRev[r.Seq] {
			notified = append(notified, d.Notifier+": "+d.State)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", r.Seq, when(r.FetchedAt), r.HTTPStatus, dash(r.Class), dash(summary), dash(strings.Join(notified, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return a.fail(err)
	}
	if len(chks) > 0 {
		fmt.Fprintf(a.out, "\nNewest checks:\n")
		tw = tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "STARTED\tOUTCOME\tHTTP\tTOOK\tDETAIL")
		for _, c := range chks {
			detail := oneLine(c.Error, 80)
			if c.RevisionSeq > 0 {
				detail = fmt.Sprintf("revision %d", c.RevisionSeq)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.StartedAt.Local().Format("2006-01-02 15:04:05"), c.Outcome,
				dash(statusText(c.HTTPStatus)), c.Duration.Round(time.Millisecond), dash(detail))
		}
		if err := tw.Flush(); err != nil {
			return a.fail(err)
		}
	}
	return exitOK
}

func statusText(code int) string {
	if code == 0 {
		return ""
	}
	return fmt.Sprint(code)
}
