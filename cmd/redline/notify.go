package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/notify"
	"github.com/redlinehq/redline/store"
)

// buildNotifiers makes the config's notifiers. The first one that the
// notify package refuses (a URL it cannot use, an address that does not
// parse) is an error naming its position in the config.
func buildNotifiers(cfg *config.Config) (map[string]notify.Notifier, error) {
	out := make(map[string]notify.Notifier, len(cfg.Notifiers))
	for _, n := range cfg.Notifiers {
		nt, err := notify.New(notifySpec(cfg, n))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Pos, err)
		}
		out[n.Name] = nt
	}
	return out, nil
}

// notifySpec turns a config notifier into the notify package's Spec.
func notifySpec(cfg *config.Config, n config.Notifier) notify.Spec {
	return notify.Spec{Name: n.Name, Type: n.Type, URL: n.URL, Secret: n.Secret, Headers: n.Headers, Command: n.Command,
		From: n.From, To: n.To, Template: n.Template, HTMLTemplate: n.HTMLTemplate, Timeout: n.Timeout, BaseURL: cfg.BaseURL}
}

// routeTable answers which routes a stored watch has under one config:
// the config's own watches by URL, the others (added with `redline add`)
// by their tags and the defaults.
type routeTable struct {
	cfg   *config.Config
	byURL map[string]config.Watch
}

func newRouteTable(cfg *config.Config) *routeTable {
	t := &routeTable{cfg: cfg, byURL: make(map[string]config.Watch, len(cfg.Watches))}
	for _, w := range cfg.Watches {
		t.byURL[w.URL] = w
	}
	return t
}

// routes returns w's routes.
func (t *routeTable) routes(w store.Watch) []config.Route {
	if cw, ok := t.byURL[w.URL]; ok {
		return t.cfg.Routes(cw.Tags, cw.Notify)
	}
	return t.cfg.Routes(w.Tags, nil)
}

// newDispatcher returns a dispatcher for the config's notifiers.
func (a *app) newDispatcher(cfg *config.Config, s store.Store, notifiers map[string]notify.Notifier, m *monitor.Metrics) (*notify.Dispatcher, error) {
	host, _ := os.Hostname()
	return notify.NewDispatcher(s, notifiers, notify.DispatcherOptions{
		Owner:       fmt.Sprintf("%s/%d/dispatch", host, os.Getpid()),
		MaxAttempts: cfg.Outbox.MaxAttempts,
		MaxAge:      cfg.Outbox.MaxAge,
		MinBackoff:  cfg.Outbox.MinBackoff,
		MaxBackoff:  cfg.Outbox.MaxBackoff,
		BaseURL:     cfg.BaseURL,
		OnAttempt:   m.ObserveDelivery,
		Logger:      a.logger,
	})
}

// runOutbox is `redline outbox`: list deliveries, and retry them.
func runOutbox(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("outbox")
	var (
		state, watch, format string
		limit                int
		dead                 bool
	)
	fs.StringVar(&state, "state", "", "only deliveries in this `state`: pending, sent or dead")
	fs.StringVar(&watch, "watch", "", "only the deliveries of this watch (`URL|ID|NAME`)")
	fs.IntVar(&limit, "limit", 50, "show at most `N` deliveries, newest first (0: all)")
	fs.StringVar(&format, "format", "text", "output `format`: text or json")
	fs.BoolVar(&dead, "dead", false, "with retry: retry every dead delivery")
	fs.Usage = func() {
		fmt.Fprintln(a.err, `Usage: redline outbox [list] [flags]
       redline outbox retry ID | --dead

Show the notifications waiting, delivered and given up, newest first;
retry one (even a delivered one: it goes out again with the same
Redline-Delivery key) or every dead one. 'redline run' delivers them.`)
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	switch {
	case sub == "list" && len(pos) > 0:
		return a.usageError("outbox", "list takes no arguments")
	case sub == "retry" && dead == (len(pos) == 1) || sub == "retry" && len(pos) > 1:
		return a.usageError("outbox", "retry takes one delivery ID, or --dead")
	case sub != "list" && sub != "retry":
		return a.usageError("outbox", "unknown subcommand %q (list or retry)", sub)
	case state != "" && state != store.OutboxPending && state != store.OutboxSent && state != store.OutboxDead:
		return a.usageError("outbox", "--state must be pending, sent or dead, not %q", state)
	case format != "text" && format != "json":
		return a.usageError("outbox", "--format must be text or json, not %q", format)
	}
	_, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	now := time.Now()

	if sub == "retry" {
		if dead {
			n, err := s.RetryDead(ctx, now)
			if err != nil {
				return a.fail(err)
			}
			fmt.Fprintf(a.out, "%d dead deliveries queued again\n", n)
			return exitOK
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			return a.usageError("outbox", "%q is not a delivery ID (see 'redline outbox')", pos[0])
		}
		if err := s.RetryOutbox(ctx, id, now); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return a.fail(fmt.Errorf("no delivery %d (see 'redline outbox')", id))
			}
			return a.fail(err)
		}
		fmt.Fprintf(a.out, "delivery %d queued again\n", id)
		return exitOK
	}

	f := store.OutboxFilter{State: state, Limit: limit}
	if watch != "" {
		w, err := findWatch(ctx, s, watch)
		if err != nil {
			return a.fail(err)
		}
		f.WatchID = w.ID
	}
	items, err := s.ListOutbox(ctx, f)
	if err != nil {
		return a.fail(err)
	}
	if format == "json" {
		out := make([]outboxJSON, 0, len(items))
		for _, it := range items {
			out = append(out, newOutboxJSON(it))
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return a.fail(err)
		}
		return exitOK
	}
	if len(items) == 0 {
		fmt.Fprintln(a.out, "no deliveries")
		return exitOK
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWATCH\tEVENT\tNOTIFIER\tSTATE\tTRIES\tWHEN\tLAST ERROR")
	for _, it := range items {
		event := it.Kind
		if it.RevisionSeq > 0 {
			event = fmt.Sprintf("%s rev %d", it.Kind, it.RevisionSeq)
		}
		at := it.NextAttemptAt
		switch it.State {
		case store.OutboxSent:
			at = it.SentAt
		case store.OutboxDead:
			at = time.Time{}
		}
		errText := it.LastError
		if it.State == store.OutboxSent {
			errText = ""
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n", it.ID, it.WatchID, event, it.Notifier, it.State, it.Attempts,
			when(at), dash(oneLine(errText, 60)))
	}
	if err := tw.Flush(); err != nil {
		return a.fail(err)
	}
	return exitOK
}

// outboxJSON is one delivery in `redline outbox --format json`.
type outboxJSON struct {
	ID            int64     `json:"id"`
	WatchID       int64     `json:"watch_id"`
	Event         string    `json:"event"`
	Revision      int       `json:"revision,omitempty"`
	Notifier      string    `json:"notifier"`
	Delivery      string    `json:"delivery"`
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	CreatedAt     time.Time `json:"created_at"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	LastStatus    int       `json:"last_status,omitempty"`
	LastError     string    `json:"last_error,omitempty"`
}

func newOutboxJSON(it store.OutboxItem) outboxJSON {
	o := outboxJSON{ID: it.ID, WatchID: it.WatchID, Event: it.Kind, Revision: it.RevisionSeq, Notifier: it.Notifier, Delivery: it.Key,
		State: it.State, Attempts: it.Attempts, CreatedAt: it.CreatedAt, SentAt: it.SentAt, LastStatus: it.LastStatus, LastError: it.LastError}
	if it.State == store.OutboxPending {
		o.NextAttemptAt = it.NextAttemptAt
	}
	return o
}

// runNotify is `redline notify test NAME`.
func runNotify(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("notify")
	fs.Usage = func() {
		fmt.Fprintln(a.err, `Usage: redline notify test NAME

Send a sample message through the notifier NAME of the config and show
what the receiver answered. Fails unless the receiver accepted it.`)
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 || pos[0] != "test" {
		return a.usageError("notify", "usage: redline notify test NAME")
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return a.fail(err)
	}
	name := pos[1]
	var spec *config.Notifier
	for i := range cfg.Notifiers {
		if cfg.Notifiers[i].Name == name {
			spec = &cfg.Notifiers[i]
		}
	}
	if spec == nil {
		if len(cfg.Notifiers) == 0 {
			return a.fail(fmt.Errorf("no notifier named %q: the config (%s) declares none", name, cfgName(cfg)))
		}
		return a.fail(fmt.Errorf("no notifier named %q in %s", name, cfgName(cfg)))
	}
	n, err := notify.New(notifySpec(cfg, *spec))
	if err != nil {
		return a.fail(fmt.Errorf("%s: %w", spec.Pos, err))
	}
	m := notify.Sample(cfg.BaseURL)
	r, err := n.Send(ctx, m)
	if r.Status != 0 || r.Body != "" {
		fmt.Fprintf(a.out, "receiver answered: %d\n", r.Status)
		if r.Body != "" {
			fmt.Fprintf(a.out, "%s\n", r.Body)
		}
	}
	if err != nil {
		return a.fail(fmt.Errorf("notifier %s: %w", name, err))
	}
	fmt.Fprintf(a.out, "sent a test message through %s (%s), delivery %s\n", name, spec.Type, m.Delivery)
	return exitOK
}

// cfgName names the config file for messages.
func cfgName(cfg *config.Config) string {
	if cfg.Path == "" {
		return "the default config (no file)"
	}
	return cfg.Path
}
