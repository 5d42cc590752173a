package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/redlinehq/redline/internal/testsite"
	"github.com/redlinehq/redline/store"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2024, 3, 5, 6, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// terminal is a fake terminal: it records what is written to it, from
// any goroutine.
type terminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// frames returns the bars drawn on t, in order, and fails on any escape
// sequence but the erase-line the bar uses.
func (t *terminal) frames(tt *testing.T) []string {
	tt.Helper()
	var frames []string
	for _, f := range strings.Split(t.String(), eraseLine)[1:] {
		if strings.ContainsAny(f, "\r\x1b") {
			tt.Fatalf("unexpected control characters in %q", f)
		}
		if f != "" {
			frames = append(frames, f)
		}
	}
	return frames
}

// screen replays what was written on t as a terminal shows it: the lines
// scrolled up, and the line the cursor is on.
func (t *terminal) screen() (lines []string, cur string) {
	for i, part := range strings.Split(t.String(), eraseLine) {
		if i > 0 {
			cur = "" // the bar's "\r" and erase-line wipe the cursor's line
		}
		for {
			nl := strings.IndexByte(part, '\n')
			if nl < 0 {
				break
			}
			lines = append(lines, cur+part[:nl])
			cur, part = "", part[nl+1:]
		}
		cur += part
	}
	return lines, cur
}

func TestProgressRender(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		width   int
		c       progressCounts
		elapsed time.Duration
		want    string
	}{
		{"start", 80, progressCounts{total: 905}, 0,
			"[>            ] 0/905  new 0  changed 0  unchanged 0  failed 0  0:00"},
		{"under way", 80, progressCounts{total: 905, done: 412, changed: 12, unchanged: 395, failed: 5}, 17 * time.Second,
			"[=====>       ] 412/905  new 0  changed 12  unchanged 395  failed 5  0:17"},
		{"done", 80, progressCounts{total: 3, done: 3, created: 1, changed: 1, failed: 1}, 75 * time.Second,
			"[=========================] 3/3  new 1  changed 1  unchanged 0  failed 1  1:15"},
		{"wide terminal caps the bar", 200, progressCounts{total: 4, done: 2, created: 2}, time.Hour + 2*time.Minute + 3*time.Second,
			"[====================>                   ] 2/4  new 2  changed 0  unchanged 0  failed 0  1:02:03"},
		{"no room for the bar", 60, progressCounts{total: 905, done: 412, changed: 12, unchanged: 395, failed: 5}, 17 * time.Second,
			"412/905  new 0  changed 12  unchanged 395  failed 5  0:17"},
		{"40 columns: the unchanged count and the time go first", 40, progressCounts{total: 905, done: 412, changed: 12, unchanged: 395, failed: 5}, 17 * time.Second,
			"412/905  new 0  changed 12  failed 5"},
		{"20 columns", 20, progressCounts{total: 905, done: 412, changed: 12, unchanged: 395, failed: 5}, 17 * time.Second,
			"412/905  failed 5"},
		{"8 columns", 8, progressCounts{total: 905, done: 412}, 0, "412/905"},
		{"5 columns", 5, progressCounts{total: 905, done: 412}, 0, "412/"},
		{"tiny", 1, progressCounts{total: 1}, 0, ""},
	} {
		got := renderProgress(tc.width, tc.c, tc.elapsed)
		if got != tc.want {
			t.Errorf("%s: renderProgress(%d, %+v, %v) =\n%q\nwant\n%q", tc.name, tc.width, tc.c, tc.elapsed, got, tc.want)
		}
	}
}

// TestProgressWidth: with COLUMNS=40 no line drawn is wider than the
// terminal, from the first result to the last, nor at any other width.
func TestProgressWidth(t *testing.T) {
	t.Parallel()
	env := map[string]string{"COLUMNS": "40"}
	width := terminalWidth(func(k string) string { return env[k] })
	if width != 40 {
		t.Fatalf("terminalWidth with COLUMNS=40 = %d", width)
	}
	for _, cols := range []string{"", "0", "wide"} {
		if w := terminalWidth(func(string) string { return cols }); w != 80 {
			t.Errorf("terminalWidth with COLUMNS=%q = %d, want the default 80", cols, w)
		}
	}

	var term terminal
	clock := newFakeClock()
	const total = 1234
	p := newProgress(&term, total, width, false, clock.now)
	p.start(0)
	outcomes := []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeUnchanged, store.OutcomeNotModified, store.OutcomeError, store.OutcomeFlapping}
	for i := range total {
		clock.advance(317 * time.Millisecond)
		if err := p.result(outcomes[i%len(outcomes)], func() error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	p.finish()
	frames := term.frames(t)
	if len(frames) < 100 {
		t.Fatalf("%d frames drawn, want one per result more than %v apart", len(frames), progressEvery)
	}
	for _, f := range frames {
		if len(f) > width {
			t.Errorf("a %d-character line on a %d-column terminal: %q", len(f), width, f)
		}
	}

	for width := 1; width <= 160; width++ {
		for _, done := range []int{0, 1, 499, 1000} {
			c := progressCounts{total: 1000, done: done, created: done / 4, changed: done / 4, unchanged: done / 4, failed: done - 3*(done/4)}
			if l := renderProgress(width, c, 10*time.Hour); len(l) >= width {
				t.Errorf("width %d, %d done: line of %d characters %q", width, done, len(l), l)
			}
		}
	}
}

// TestProgressThrottle: results redraw the bar at most once every
// progressEvery, the final count is always drawn, and finish erases it.
func TestProgressThrottle(t *testing.T) {
	t.Parallel()
	var term terminal
	clock := newFakeClock()
	p := newProgress(&term, 5, 80, false, clock.now)
	p.start(0)
	step := func(d time.Duration, o store.Outcome) {
		clock.advance(d)
		if err := p.result(o, func() error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	step(10*time.Millisecond, store.OutcomeNew)       // too soon
	step(50*time.Millisecond, store.OutcomeUnchanged) // still too soon
	step(50*time.Millisecond, store.OutcomeChanged)   // 110ms after the first frame
	step(20*time.Millisecond, store.OutcomeError)     // too soon
	step(0, store.OutcomeUnchanged)                   // the last: always drawn
	want := []string{
		"[>                        ] 0/5  new 0  changed 0  unchanged 0  failed 0  0:00",
		"[===============>         ] 3/5  new 1  changed 1  unchanged 1  failed 0  0:00",
		"[=========================] 5/5  new 1  changed 1  unchanged 2  failed 1  0:00",
	}
	if diff := cmp.Diff(want, term.frames(t)); diff != "" {
		t.Errorf("frames drawn (-want +got):\n%s", diff)
	}

	p.finish()
	out := term.String()
	if !strings.HasSuffix(out, eraseLine) {
		t.Errorf("finish did not erase the bar: output ends %q", out[max(0, len(out)-40):])
	}
	if lines, cur := term.screen(); len(lines) != 0 || cur != "" {
		t.Errorf("after finish the screen shows %q and %q, want nothing", lines, cur)
	}
	// Nothing is drawn once finished, whatever comes late.
	n := len(out)
	if err := p.above(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(term.String()) != n {
		t.Errorf("drawn after finish: %q", term.String()[n:])
	}
}

// TestProgressSharedTerminal: results and log records printed on the
// bar's terminal scroll above it intact, the bar follows them, and the
// terminal is left with the printed lines only.
func TestProgressSharedTerminal(t *testing.T) {
	t.Parallel()
	var term terminal
	clock := newFakeClock()
	p := newProgress(&term, 3, 80, true, clock.now)
	logger := p.logger(slog.New(slog.NewTextHandler(&term, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))).With("watch", "a")
	p.start(0)
	var want []string
	for i, o := range []store.Outcome{store.OutcomeNew, store.OutcomeChanged, store.OutcomeError} {
		clock.advance(time.Millisecond) // within the throttle: the bar is put back anyway
		line := fmt.Sprintf("%-10s https://example.org/%d", o, i)
		if err := p.result(o, func() error {
			_, err := fmt.Fprintf(&term, "%s\n--- revision 1\n+++ revision 2\n", line)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want = append(want, line, "--- revision 1", "+++ revision 2")
		if i == 0 {
			logger.Info("block changes on most fetches")
			want = append(want, `level=INFO msg="block changes on most fetches" watch=a`)
		}
		if _, cur := term.screen(); !strings.Contains(cur, fmt.Sprintf("] %d/3  ", i+1)) {
			t.Errorf("after result %d the bottom line is %q, want the bar at %d/3", i+1, cur, i+1)
		}
	}
	p.finish()
	lines, cur := term.screen()
	if diff := cmp.Diff(want, lines); diff != "" || cur != "" {
		t.Errorf("screen (-want +got):\n%s\ncursor line %q, want empty", diff, cur)
	}
}

// TestProgressTicker: the elapsed time is redrawn while no result comes
// in, and finish stops the redraws before it returns.
func TestProgressTicker(t *testing.T) {
	t.Parallel()
	var term terminal
	clock := newFakeClock()
	p := newProgress(&term, 2, 80, false, clock.now)
	p.start(time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(term.String(), " 0:03") {
		if time.Now().After(deadline) {
			t.Fatalf("no redraw showing 0:03 after the clock moved; output %q", term.String())
		}
		clock.advance(time.Second)
		time.Sleep(5 * time.Millisecond)
	}
	p.finish()
	out := term.String()
	if !strings.HasSuffix(out, eraseLine) {
		t.Errorf("finish did not erase the bar: output ends %q", out[max(0, len(out)-40):])
	}
	clock.advance(time.Hour)
	time.Sleep(20 * time.Millisecond)
	if got := term.String(); got != out {
		t.Errorf("redrawn after finish: %q", got[len(out):])
	}
}

// TestProgressNil: without a terminal there is no bar, and lines go
// straight through.
func TestProgressNil(t *testing.T) {
	t.Parallel()
	var p *progress
	p.start(time.Millisecond)
	var out bytes.Buffer
	if err := p.result(store.OutcomeNew, func() error { _, err := out.WriteString("new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	l := slog.New(slog.NewTextHandler(&out, nil))
	if p.logger(l) != l {
		t.Error("a nil progress wraps the logger")
	}
	p.finish()
	if out.String() != "new\n" {
		t.Errorf("output %q", out.String())
	}
	a := &app{stdio: stdio{out: &out, err: &out, getenv: func(string) string { return "" }}}
	if a.checkProgress(10) != nil {
		t.Error("a progress bar for a stderr that is not a terminal")
	}
}

// TestCheckNoProgressOffTerminal: with stderr not a terminal (a pipe, a
// CI log) `redline check` writes no carriage return or escape sequence,
// and still prints its summary.
func TestCheckNoProgressOffTerminal(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.serve(200, testsite.France24(testsite.France24Page{}))
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}
	if code, out, errOut := c.run("add", s.url(), s.srv.URL+"/missing"); code != exitOK {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	for _, format := range []string{"text", "jsonl"} {
		code, out, errOut := c.run("check", "--all", "--format", format)
		if code != exitCheckFailed {
			t.Errorf("check --format %s: exit %d, want %d\n%s%s", format, code, exitCheckFailed, out, errOut)
		}
		if strings.ContainsAny(out+errOut, "\r\x1b") {
			t.Errorf("check --format %s off a terminal wrote control characters:\nstdout %q\nstderr %q", format, out, errOut)
		}
		if format == "text" && !strings.Contains(errOut, "checked 2: ") {
			t.Errorf("check --format text: no summary on stderr %q", errOut)
		}
		if n := strings.Count(out, "\n"); n != 2 {
			t.Errorf("check --format %s printed %d lines, want 2:\n%s", format, n, out)
		}
	}
}

// TestCheckProgressOnCharDevice runs `redline check` with stderr a
// character device (/dev/null), the path a terminal takes: the bar and
// its ticker run and stop, and stdout is untouched by them.
func TestCheckProgressOnCharDevice(t *testing.T) {
	t.Parallel()
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no %s: %v", os.DevNull, err)
	}
	defer devNull.Close()
	if !isTerminal(devNull) {
		t.Skipf("%s is not a character device here", os.DevNull)
	}
	s := newSite(t)
	s.serve(200, testsite.France24(testsite.France24Page{}))
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}
	if code, out, errOut := c.run("add", s.url()); code != exitOK {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	var out bytes.Buffer
	env := map[string]string{"HOME": t.TempDir(), "COLUMNS": "40"}
	code := run(context.Background(), []string{"--db", c.db, "check", "--all", "--log-level", "debug"}, stdio{
		in: strings.NewReader(""), out: &out, err: devNull,
		getenv: func(k string) string { return env[k] },
	})
	if code != exitOK || out.String() != "new        "+s.url()+"  revision 1\n" {
		t.Errorf("check: exit %d, stdout %q", code, out.String())
	}
}
