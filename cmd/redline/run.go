package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/notify"
	"github.com/redlinehq/redline/schedule"
	"github.com/redlinehq/redline/store"
)

// runRun is `redline run`, the daemon.
func runRun(ctx context.Context, a *app, args []string) int {
	fs := a.flagSet("run")
	var (
		workers     int
		grace       time.Duration
		listen      string
		watchConfig bool
	)
	fs.IntVar(&workers, "workers", 32, "checks in flight at once (page extractions are limited to the number of CPUs whatever this is)")
	fs.DurationVar(&grace, "shutdown-grace", 30*time.Second, "on SIGINT/SIGTERM, how long checks in flight may finish before they are cancelled")
	fs.StringVar(&listen, "listen", "", "`address` for /metrics, /healthz and /readyz (overrides the config's listen; \"off\" serves none)")
	fs.BoolVar(&watchConfig, "watch-config", false, "reload the config file when it changes (SIGHUP always reloads it)")
	fs.Usage = func() {
		fmt.Fprintln(a.err, "Usage: redline run [flags]\n\nCheck every watch on its schedule until stopped (SIGINT or SIGTERM), serving\n/metrics, /healthz and /readyz. SIGHUP reloads the config file.")
		fs.PrintDefaults()
	}
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return a.usageError("run", "takes no arguments")
	}
	if workers < 1 {
		return a.usageError("run", "--workers must be at least 1")
	}
	if a.logLevel == "" {
		a.logLevel = "info" // a daemon says what it does
		if err := a.setupLogging(); err != nil {
			return a.fail(err)
		}
	}

	cfg, s, err := a.open(ctx)
	if err != nil {
		return a.fail(err)
	}
	defer s.Close()
	if listen == "" {
		listen = cfg.Listen
	}

	rt := &daemonRun{app: a, store: s}
	rt.setConfig(cfg)
	rt.metrics = monitor.NewMetrics(s, func() int {
		if rt.daemon == nil {
			return 0
		}
		return rt.daemon.Busy()
	}, cfg.Defaults.FailingAfter)
	notifiers, err := buildNotifiers(cfg)
	if err != nil {
		return a.fail(err)
	}
	dispatcher, err := a.newDispatcher(cfg, s, notifiers, rt.metrics)
	if err != nil {
		return a.fail(err)
	}
	// The dispatcher runs even without notifiers, so that a reload may
	// add some, and delivers what an earlier run left in the outbox.
	rt.dispatcher = dispatcher
	checker, err := a.newChecker(cfg, s, rt.metrics, rt.routes, dispatcher.Wake)
	if err != nil {
		return a.fail(err)
	}
	d, err := monitor.NewDaemon(s, checker, monitor.DaemonOptions{
		Workers:        workers,
		Schedule:       rt.schedule,
		ShutdownGrace:  grace,
		CheckRetention: cfg.CheckRetention,
		Keep:           rt.keepRule(),
		Logger:         a.logger,
	})
	if err != nil {
		return a.fail(err)
	}
	rt.daemon = d

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	if listen != "off" {
		srv, ln, err := rt.serve(listen)
		if err != nil {
			return a.fail(err)
		}
		a.logger.Info("serving", "addr", ln.Addr().String(), "paths", "/metrics /healthz /readyz /watches/ID/revisions/N")
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.logger.Error("http server", "error", err.Error())
			}
		})
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
			wg.Wait()
		}()
	}
	wg.Go(func() { rt.reloadLoop(ctx, watchConfig) })
	// The dispatcher outlives the checks: it stops once they have
	// finished, so that what they recorded goes out.
	dctx, stopDispatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDispatch()
	var dwg sync.WaitGroup
	dwg.Go(func() {
		if err := dispatcher.Run(dctx); err != nil {
			a.logger.Error("notification dispatcher", "error", err.Error())
		}
	})

	a.logger.Info("redline running", "owner", d.Owner(), "workers", workers, "config", cfg.Path)
	err = d.Run(ctx)
	stop()
	stopDispatch()
	dwg.Wait()
	if err != nil {
		return a.fail(err)
	}
	a.logger.Info("redline stopped")
	return exitOK
}

// daemonRun is the state of one `redline run` that a reload changes.
type daemonRun struct {
	app        *app
	store      store.Store
	daemon     *monitor.Daemon
	metrics    *monitor.Metrics
	dispatcher *notify.Dispatcher

	mu     sync.RWMutex
	cfg    *config.Config
	keeps  map[string]config.Keep // the config's watches that set keep, by URL
	routeT *routeTable
}

// routes returns a watch's notification routes under the config in force.
func (rt *daemonRun) routes(w store.Watch) []config.Route {
	rt.mu.RLock()
	t := rt.routeT
	rt.mu.RUnlock()
	return t.routes(w)
}

// setConfig puts cfg in force.
func (rt *daemonRun) setConfig(cfg *config.Config) {
	keeps := make(map[string]config.Keep)
	for _, w := range cfg.Watches {
		if w.Keep != nil {
			keeps[w.URL] = *w.Keep
		}
	}
	t := newRouteTable(cfg)
	rt.mu.Lock()
	rt.cfg, rt.keeps, rt.routeT = cfg, keeps, t
	rt.mu.Unlock()
}

func (rt *daemonRun) config() *config.Config {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	return rt.cfg
}

// schedule resolves a watch's schedule: its own spec or the config's
// default, with the config's adaptive bounds.
func (rt *daemonRun) schedule(w store.Watch) (schedule.Spec, error) {
	def := rt.config().Defaults
	spec := w.Schedule
	if spec == "" {
		spec = def.Schedule
	}
	sp, err := schedule.ParseWith(spec, schedule.Adaptive{Min: def.AdaptiveMin, Max: def.AdaptiveMax})
	if err != nil {
		return schedule.Spec{}, fmt.Errorf("watch %s: %w", w.URL, err)
	}
	return sp, nil
}

// keep resolves the revisions a watch keeps: its own keep in the config,
// else defaults.keep; ok is false when it keeps all.
func (rt *daemonRun) keep(w store.Watch) (store.Keep, bool) {
	rt.mu.RLock()
	k, ok := rt.keeps[w.URL]
	if !ok {
		k = rt.cfg.Defaults.Keep
	}
	rt.mu.RUnlock()
	if k == (config.Keep{}) {
		return store.Keep{}, false
	}
	return store.Keep{Count: k.Count, Age: k.Age}, true
}

// keepRule returns rt.keep when the config keeps fewer than all revisions
// of some watch, and nil otherwise, so that the daemon does not go through
// every watch for nothing. (A keep rule added by a reload takes effect at
// the next start.)
func (rt *daemonRun) keepRule() func(store.Watch) (store.Keep, bool) {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	if rt.cfg.Defaults.Keep == (config.Keep{}) && len(rt.keeps) == 0 {
		return nil
	}
	return rt.keep
}

// reloadLoop reloads the config on SIGHUP, and when watch is set, when the
// file changes. A config that does not load is logged, with its position,
// and the one in force stays.
func (rt *daemonRun) reloadLoop(ctx context.Context, watch bool) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var tick <-chan time.Time
	var last time.Time
	path := rt.config().Path
	if watch && path != "" {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		tick = t.C
		last = modTime(path)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			rt.reload(ctx, "SIGHUP")
		case <-tick:
			if m := modTime(path); !m.Equal(last) {
				last = m
				rt.reload(ctx, "file changed")
			}
		}
	}
}

func modTime(path string) time.Time {
	fi, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// reload loads the config again and syncs its watches into the store.
func (rt *daemonRun) reload(ctx context.Context, why string) {
	log := rt.app.logger.With("reason", why)
	cfg, err := rt.app.loadConfig()
	if err != nil {
		log.Error("config not reloaded; the previous one stays in force", "error", err.Error())
		return
	}
	notifiers, err := buildNotifiers(cfg)
	if err != nil {
		log.Error("config not reloaded; the previous one stays in force", "error", err.Error())
		return
	}
	rep, err := monitor.SyncConfig(ctx, rt.store, cfg)
	if err != nil {
		log.Error("config reloaded but not synced; the previous one stays in force", "error", err.Error())
		return
	}
	rt.setConfig(cfg)
	if err := rt.dispatcher.SetNotifiers(notifiers); err != nil {
		log.Error("notifiers not reloaded; the previous ones stay in force", "error", err.Error())
	}
	log.Info("config reloaded", "added", len(rep.Added), "updated", len(rep.Updated), "removed", len(rep.Removed))
	rt.daemon.Wake()
}

// serve starts listening for the operations endpoints.
func (rt *daemonRun) serve(addr string) (*http.Server, net.Listener, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", rt.metrics.Handler())
	mux.Handle("GET /watches/{id}/revisions/{seq}", revisionPage(rt.store))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !rt.daemon.Ready() {
			http.Error(w, "not ready: the scheduler is not running", http.StatusServiceUnavailable)
			return
		}
		if _, err := rt.store.CountDue(r.Context(), time.Now()); err != nil {
			http.Error(w, "not ready: store: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return srv, ln, nil
}
