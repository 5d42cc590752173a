package monitor

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/redlinehq/redline/store"
)

// MetricsStore is what the metrics read from the store at scrape time.
type MetricsStore interface {
	CountDue(ctx context.Context, now time.Time) (int, error)
	CountWatches(ctx context.Context, failingAfter int) (store.WatchCounts, error)
	CountOutbox(ctx context.Context) (map[string]int64, error)
}

// Metrics are redline's Prometheus metrics, on a registry of their own
// (no global state). A nil *Metrics records nothing, so the checker and the
// daemon call it unconditionally.
type Metrics struct {
	reg          *prometheus.Registry
	checks       *prometheus.CounterVec
	skipped      prometheus.Counter
	fetch        prometheus.Histogram
	extract      prometheus.Histogram
	lag          prometheus.Histogram
	deliveries   *prometheus.CounterVec
	failingAfter int
}

// NewMetrics returns the metrics of one process. The due backlog and the
// watch and outbox counts are read from s when scraped (each scrape asks
// the store three times, with a 5-second limit); busy reports the checks in flight.
func NewMetrics(s MetricsStore, busy func() int, failingAfter int) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), failingAfter: failingAfter}
	m.checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "redline_checks_total",
		Help: "Checks recorded, by outcome (new, changed, unchanged, not-modified, error, flapping).",
	}, []string{"outcome"})
	m.skipped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "redline_extractions_skipped_total",
		Help: "Pages whose bytes changed found unchanged by their fingerprint, without a full extraction.",
	})
	buckets := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	m.fetch = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "redline_fetch_duration_seconds", Help: "Time to fetch a page (successful or not).", Buckets: buckets,
	})
	m.extract = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "redline_extract_duration_seconds", Help: "Time to extract a fetched page's text.", Buckets: buckets,
	})
	m.lag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "redline_schedule_lag_seconds",
		Help:    "How late checks started after their due time.",
		Buckets: []float64{.1, .5, 1, 2, 5, 10, 30, 60, 300, 900, 3600},
	})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "redline_deliveries_total",
		Help: "Notification delivery attempts, by notifier and outcome (ok or failed).",
	}, []string{"notifier", "outcome"})
	m.reg.MustRegister(m.checks, m.skipped, m.fetch, m.extract, m.lag, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if busy != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "redline_checks_in_flight", Help: "Checks claimed and not yet released.",
		}, func() float64 { return float64(busy()) }))
	}
	if s != nil {
		m.reg.MustRegister(&storeCollector{s: s, failingAfter: failingAfter})
	}
	for _, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged,
		store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping} {
		m.checks.WithLabelValues(string(o)) // present from the start, at 0
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveDelivery counts one delivery attempt through a notifier (for the
// dispatcher's OnAttempt).
func (m *Metrics) ObserveDelivery(notifier string, ok bool, _ time.Duration) {
	if m == nil {
		return
	}
	outcome := "ok"
	if !ok {
		outcome = "failed"
	}
	m.deliveries.WithLabelValues(notifier, outcome).Inc()
}

// observeCheck counts a recorded check.
func (m *Metrics) observeCheck(o store.Outcome, skipped bool) {
	if m == nil {
		return
	}
	m.checks.WithLabelValues(string(o)).Inc()
	if skipped {
		m.skipped.Inc()
	}
}

// observeSkip counts an extraction the fingerprint made unneeded outside
// a recorded check (a confirming fetch).
func (m *Metrics) observeSkip() {
	if m != nil {
		m.skipped.Inc()
	}
}

func (m *Metrics) observeFetch(d time.Duration) {
	if m != nil {
		m.fetch.Observe(d.Seconds())
	}
}

func (m *Metrics) observeExtract(d time.Duration) {
	if m != nil {
		m.extract.Observe(d.Seconds())
	}
}

// observeLag records how late a check started.
func (m *Metrics) observeLag(d time.Duration) {
	if m != nil {
		m.lag.Observe(max(d, 0).Seconds())
	}
}

// storeCollector reads the due backlog and the watch counts at scrape time.
type storeCollector struct {
	s            MetricsStore
	failingAfter int
}

var (
	dueDesc     = prometheus.NewDesc("redline_due_backlog", "Unpaused watches whose check is due now (leased ones included).", nil, nil)
	watchesDesc = prometheus.NewDesc("redline_watches", "Watches by health state: ok, failing (its last checks failed) or paused.", []string{"state"}, nil)
	revsDesc    = prometheus.NewDesc("redline_store_revisions", "Revisions kept in the store.", nil, nil)
	checksDesc  = prometheus.NewDesc("redline_store_checks", "Check rows kept in the store.", nil, nil)
	outboxDesc  = prometheus.NewDesc("redline_outbox_items", "Notification deliveries in the outbox, by state: pending, sent or dead.", []string{"state"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dueDesc
	ch <- watchesDesc
	ch <- revsDesc
	ch <- checksDesc
	ch <- outboxDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := c.s.CountDue(ctx, time.Now()); err == nil {
		ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(n))
	} else {
		ch <- prometheus.NewInvalidMetric(dueDesc, err)
	}
	wc, err := c.s.CountWatches(ctx, c.failingAfter)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(watchesDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(watchesDesc, prometheus.GaugeValue, float64(wc.OK), "ok")
	ch <- prometheus.MustNewConstMetric(watchesDesc, prometheus.GaugeValue, float64(wc.Failing), "failing")
	ch <- prometheus.MustNewConstMetric(watchesDesc, prometheus.GaugeValue, float64(wc.Paused), "paused")
	ch <- prometheus.MustNewConstMetric(revsDesc, prometheus.GaugeValue, float64(wc.Revisions))
	ch <- prometheus.MustNewConstMetric(checksDesc, prometheus.GaugeValue, float64(wc.Checks))
	ob, err := c.s.CountOutbox(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
		return
	}
	for _, st := range []string{store.OutboxPending, store.OutboxSent, store.OutboxDead} {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(ob[st]), st)
	}
}
