package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redlinehq/redline/store"
)

const (
	// progressEvery is the least time between two redraws of the bar for
	// new results; the final count is drawn whatever the time.
	progressEvery = 100 * time.Millisecond
	// progressTick is how often the bar is redrawn while no result comes
	// in, so the elapsed time keeps moving during a slow check.
	progressTick = time.Second
	// eraseLine returns to the start of the line and erases it.
	eraseLine = "\r\x1b[2K"
	// barMin and barMax bound the width of the bar between its brackets.
	barMin, barMax = 10, 40
)

// progressCounts is what the bar shows.
type progressCounts struct {
	total, done                         int
	created, changed, unchanged, failed int // created counts the outcome "new"
}

// progress draws `redline check`'s progress on a terminal: one line,
// redrawn in place, that lines written through it go above. A nil
// *progress draws nothing and writes lines straight through.
type progress struct {
	w      io.Writer
	width  int              // columns the line may use
	shared bool             // results are printed on the terminal the bar is on
	now    func() time.Time // the clock, injected for tests

	mu       sync.Mutex
	counts   progressCounts
	started  time.Time
	drawnAt  time.Time
	shown    bool // the bar is on the screen
	finished bool

	stop    chan struct{}
	ticking sync.WaitGroup
}

// checkProgress returns the bar for checking total watches, drawn on
// stderr, or nil when stderr is not a terminal: logs and pipes get no
// escape sequences.
func (a *app) checkProgress(total int) *progress {
	if total == 0 || !isTerminal(a.err) {
		return nil
	}
	return newProgress(a.err, total, terminalWidth(a.getenv), isTerminal(a.out), time.Now)
}

// newProgress returns a bar for total results drawn on w, a terminal width
// columns wide. shared says the results are printed on the same terminal,
// so the bar must be cleared before each and put back after.
func newProgress(w io.Writer, total, width int, shared bool, now func() time.Time) *progress {
	return &progress{w: w, width: width, shared: shared, now: now, counts: progressCounts{total: total}}
}

// terminalWidth is $COLUMNS, or 80 when it is not set.
func terminalWidth(getenv func(string) string) int {
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}

// start draws the bar and, when tick is positive, redraws it every tick
// until finish.
func (p *progress) start(tick time.Duration) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.started = p.now()
	p.draw(true)
	p.mu.Unlock()
	if tick <= 0 {
		return
	}
	p.stop = make(chan struct{})
	p.ticking.Go(func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.mu.Lock()
				p.draw(false)
				p.mu.Unlock()
			}
		}
	})
}

// result counts one check's outcome and calls write to print it. When
// the results share the bar's terminal the bar is cleared first and put
// back after, so the line is not garbled.
func (p *progress) result(o store.Outcome, write func() error) error {
	if p == nil {
		return write()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch o {
	case store.OutcomeNew:
		p.counts.created++
	case store.OutcomeChanged:
		p.counts.changed++
	case store.OutcomeError:
		p.counts.failed++
	default: // unchanged, not modified or flapping: nothing recorded
		p.counts.unchanged++
	}
	p.counts.done++
	if !p.shared {
		err := write()
		p.draw(p.counts.done == p.counts.total)
		return err
	}
	return p.interrupt(write)
}

// above calls write, which writes a line to the bar's terminal, with the
// bar cleared, and puts it back after.
func (p *progress) above(write func() error) error {
	if p == nil {
		return write()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.interrupt(write)
}

// interrupt clears the bar, calls write and draws the bar again at once,
// so it does not flicker while lines scroll past. p.mu is held.
func (p *progress) interrupt(write func() error) error {
	p.clear()
	err := write()
	p.draw(true)
	return err
}

// finish stops the redraws and erases the bar, leaving the terminal as it
// was for whatever is printed next.
func (p *progress) finish() {
	if p == nil {
		return
	}
	if p.stop != nil {
		close(p.stop)
		p.ticking.Wait()
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	p.finished = true
}

// draw redraws the bar, when it is due or force is set. p.mu is held.
func (p *progress) draw(force bool) {
	if p.finished {
		return
	}
	now := p.now()
	if !force && p.shown && now.Sub(p.drawnAt) < progressEvery {
		return
	}
	// The bar is a courtesy: a terminal that fails to take it must not
	// fail the check, so write errors are deliberately dropped.
	_, _ = io.WriteString(p.w, eraseLine+renderProgress(p.width, p.counts, now.Sub(p.started)))
	p.drawnAt, p.shown = now, true
}

// clear erases the bar if it is on the screen. p.mu is held.
func (p *progress) clear() {
	if p.shown {
		_, _ = io.WriteString(p.w, eraseLine) // see draw
		p.shown = false
	}
}

// logger returns l writing its records above the bar.
func (p *progress) logger(l *slog.Logger) *slog.Logger {
	if p == nil {
		return l
	}
	return slog.New(progressHandler{l.Handler(), p})
}

// progressHandler writes log records above a progress bar.
type progressHandler struct {
	slog.Handler
	p *progress
}

func (h progressHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.p.above(func() error { return h.Handler.Handle(ctx, r) })
}

func (h progressHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return progressHandler{h.Handler.WithAttrs(attrs), h.p}
}

func (h progressHandler) WithGroup(name string) slog.Handler {
	return progressHandler{h.Handler.WithGroup(name), h.p}
}

var _ slog.Handler = progressHandler{}

// renderProgress returns the bar's line for a terminal width columns wide:
//
//	[=====>       ] 412/905  new 0  changed 12  unchanged 395  failed 5  0:17
//
// The bar's width depends on the terminal and the total only, so it stays
// put as the counts grow. The line leaves the last column free, so it never
// wraps, which would leave a copy behind on every redraw. Without room for
// the bar it shows the counts alone, dropping the least telling ones until
// the line fits.
func renderProgress(width int, c progressCounts, elapsed time.Duration) string {
	fields := progressFields(c, elapsed)
	all := c.total
	widest := strings.Join(progressFields(progressCounts{all, all, all, all, all, all}, max(elapsed, time.Hour-time.Second)), "  ")
	room := width - 1
	bar := min(room-len(widest)-len("[] "), barMax)
	if bar < barMin || c.total <= 0 {
		return fitFields(fields, room)
	}
	filled := min(bar, bar*c.done/c.total)
	var b strings.Builder
	b.WriteByte('[')
	b.WriteString(strings.Repeat("=", filled))
	if filled < bar {
		b.WriteByte('>')
		b.WriteString(strings.Repeat(" ", bar-filled-1))
	}
	b.WriteString("] ")
	b.WriteString(strings.Join(fields, "  "))
	return b.String()
}

// progressFields are the bar's counts and elapsed time, in the order shown.
func progressFields(c progressCounts, elapsed time.Duration) []string {
	return []string{
		fmt.Sprintf("%d/%d", c.done, c.total),
		fmt.Sprintf("new %d", c.created),
		fmt.Sprintf("changed %d", c.changed),
		fmt.Sprintf("unchanged %d", c.unchanged),
		fmt.Sprintf("failed %d", c.failed),
		formatElapsed(elapsed),
	}
}

// fitFields joins as many of the progress fields as fit in room columns,
// dropping first the unchanged count, then the time, the new, changed and
// failed counts; a field is shown whole or not at all.
func fitFields(fields []string, room int) string {
	drop := []int{3, 5, 1, 2, 4}
	for {
		line := strings.Join(slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == "" }), "  ")
		if len(line) <= room {
			return line
		}
		if len(drop) == 0 {
			return line[:max(0, room)]
		}
		fields[drop[0]], drop = "", drop[1:]
	}
}

// formatElapsed shows d as m:ss, or h:mm:ss from an hour on.
func formatElapsed(d time.Duration) string {
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
