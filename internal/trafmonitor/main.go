// Command trafmonitor is a baseline page monitor for the figures produced by
// `newsroom bench` (shared/bench/newsroom): a monitor that hashes the text of
// one go-trafilatura call per page and reports a change whenever that hash
// moves. It is go-trafilatura alone: no boilerplate removal of its own, no
// confirmation fetch, no normalisation beyond what go-trafilatura does. It
// exists only so that redline's own monitor can be shown side by side with
// "what a plain user of go-trafilatura would get"; it is not part of redline.
//
// It speaks the bench's JSONL contract: `check` prints one JSON object per
// URL on stdout, {"url": …, "status": "new"|"changed"|"unchanged"|"error"},
// with a "diff" field on changes (a line diff of the extracted text, removed
// lines prefixed "-", added lines prefixed "+") and an "error" field on
// errors. Logs go to stderr.
//
// Usage:
//
//	trafmonitor init -state DIR/state.json URLFILE
//	trafmonitor check -state DIR/state.json [-c 8] [-timeout 10s]
//
// `init` reads the URL file (one URL per line, as newsroom writes {{urls}};
// blank lines and lines starting with '#' are skipped) and stores the list in
// the state file, forgetting any texts stored before. `check` fetches every
// URL with net/http (at most -c at a time, each bounded by -timeout,
// redirects followed by the default policy). A transport error or a non-2xx
// status is reported as "error" and leaves the stored text alone; so does a
// page go-trafilatura fails to extract. Otherwise the page text is the
// metadata title, a blank line and the content text of
// trafilatura.Extract(page, Options{EnableFallback: true,
// ExcludeComments: true, Focus: Balanced}); it is "new" when nothing was
// stored for the URL, "unchanged" when its SHA-256 equals the stored one and
// "changed" otherwise. The texts are then saved to the state file (written
// to a temporary file and renamed).
//
// The bench command used for the figures:
//
//	cd shared/bench/newsroom && go build -o /tmp/newsroom .
//	go build -o /tmp/trafmonitor ./internal/trafmonitor   # from the repository root
//	/tmp/newsroom bench -replicas 5 -rounds 6 -edit-rate 0.1 -fault-rate 0.02 \
//	    -workdir DIR -label trafilatura-baseline \
//	    -setup '/tmp/trafmonitor init -state {{dir}}/state.json {{urls}}' \
//	    -cmd '/tmp/trafmonitor check -state {{dir}}/state.json'
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxBody bounds how much of a response body is read.
const maxBody = 32 << 20

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  trafmonitor init -state FILE URLFILE
  trafmonitor check -state FILE [-c 8] [-timeout 10s]
`

// run executes one subcommand and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "init":
		return runInit(args[1:], stderr, log)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr, log)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "trafmonitor: unknown command %q\n%s", args[0], usage)
		return 2
	}
}

// state is what the state file holds.
type state struct {
	URLs  []string         `json:"urls"`
	Pages map[string]entry `json:"pages"`
}

// entry is the last text recorded for a URL.
type entry struct {
	Hash string `json:"hash"` // hex SHA-256 of Text
	Text string `json:"text"`
}

func runInit(args []string, stderr io.Writer, log *slog.Logger) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	statePath := fs.String("state", "", "state file (JSON)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *statePath == "" || fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	urls, err := readURLs(fs.Arg(0))
	if err != nil {
		log.Error("reading URL file", "err", err)
		return 1
	}
	if err := saveState(*statePath, &state{URLs: urls, Pages: map[string]entry{}}); err != nil {
		log.Error("saving state", "err", err)
		return 1
	}
	log.Info("initialised", "urls", len(urls), "state", *statePath)
	return 0
}

// readURLs reads one URL per line, skipping blank lines and '#' comments.
func readURLs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var urls []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || seen[line] {
			continue
		}
		if _, err := url.ParseRequestURI(line); err != nil {
			return nil, fmt.Errorf("%s: bad URL %q: %w", path, line, err)
		}
		seen[line] = true
		urls = append(urls, line)
	}
	return urls, sc.Err()
}

func loadState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Pages == nil {
		st.Pages = map[string]entry{}
	}
	return &st, nil
}

// saveState writes st to a temporary file next to path and renames it over
// path, so that a crash never leaves a half-written state.
func saveState(path string, st *state) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// report is one line of the JSONL output.
type report struct {
	URL    string `json:"url"`
	Status string `json:"status"`
	Diff   string `json:"diff,omitempty"`
	Error  string `json:"error,omitempty"`
}

// result is what checking one URL produced: the report and, unless it was
// an error, the text to record.
type result struct {
	report
	entry *entry
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	statePath := fs.String("state", "", "state file written by init")
	conc := fs.Int("c", 8, "concurrent fetches")
	timeout := fs.Duration("timeout", 10*time.Second, "timeout per fetch, including the body")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *statePath == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if *conc < 1 {
		*conc = 1
	}
	st, err := loadState(*statePath)
	if err != nil {
		log.Error("loading state (run init first)", "err", err)
		return 1
	}

	start := time.Now()
	client := &http.Client{Timeout: *timeout} // default transport: gzip, keep-alive, default redirect policy
	jobs := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for range *conc {
		wg.Go(func() {
			for u := range jobs {
				prev, ok := st.Pages[u] // read-only while workers run
				var prevp *entry
				if ok {
					prevp = &prev
				}
				results <- checkOne(ctx, client, u, prevp)
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, u := range st.URLs {
			select {
			case jobs <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	updates := map[string]entry{}
	counts := map[string]int{}
	for r := range results {
		if err := enc.Encode(r.report); err != nil {
			log.Error("writing report", "err", err)
		}
		counts[r.Status]++
		if r.entry != nil {
			updates[r.URL] = *r.entry
		}
	}
	for u, e := range updates {
		st.Pages[u] = e
	}
	if err := saveState(*statePath, st); err != nil {
		log.Error("saving state", "err", err)
		return 1
	}
	log.Info("checked", "urls", len(st.URLs), "new", counts["new"], "changed", counts["changed"],
		"unchanged", counts["unchanged"], "error", counts["error"], "took", time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		log.Error("interrupted", "err", ctx.Err())
		return 1
	}
	return 0
}

// checkOne fetches u, extracts its text and compares it with prev (nil when
// nothing is recorded).
func checkOne(ctx context.Context, client *http.Client, u string, prev *entry) result {
	fail := func(err error) result {
		return result{report: report{URL: u, Status: "error", Error: err.Error()}}
	}
	body, err := fetch(ctx, client, u)
	if err != nil {
		return fail(err)
	}
	text, err := extract(body, u)
	if err != nil {
		return fail(fmt.Errorf("extract: %w", err))
	}
	sum := sha256.Sum256([]byte(text))
	e := &entry{Hash: hex.EncodeToString(sum[:]), Text: text}
	switch {
	case prev == nil:
		return result{report: report{URL: u, Status: "new"}, entry: e}
	case prev.Hash == e.Hash:
		return result{report: report{URL: u, Status: "unchanged"}, entry: e}
	default:
		return result{report: report{URL: u, Status: "changed", Diff: lineDiff(prev.Text, text)}, entry: e}
	}
}

func fetch(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return body, nil
}

// extract returns the metadata title, a blank line and the content text of
// one go-trafilatura call, as a plain user would make it.
func extract(page []byte, u string) (text string, err error) {
	defer func() { // go-trafilatura and its fallbacks can panic on odd markup
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	opts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		Focus:           trafilatura.Balanced,
	}
	if pu, perr := url.Parse(u); perr == nil {
		opts.OriginalURL = pu
	}
	res, err := trafilatura.Extract(bytes.NewReader(page), opts)
	if err != nil {
		return "", err
	}
	if res == nil {
		return "", errors.New("no result")
	}
	return res.Metadata.Title + "\n\n" + res.ContentText, nil
}

// lineDiff is a line diff of a and b: removed lines prefixed "-", added lines
// prefixed "+", common lines left out.
func lineDiff(a, b string) string {
	// End both texts with a newline so that a last line followed by new
	// lines does not count as changed.
	if !strings.HasSuffix(a, "\n") {
		a += "\n"
	}
	if !strings.HasSuffix(b, "\n") {
		b += "\n"
	}
	dmp := diffmatchpatch.New()
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var sb strings.Builder
	for _, d := range diffs {
		var prefix string
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			prefix = "-"
		case diffmatchpatch.DiffInsert:
			prefix = "+"
		default:
			continue
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if line == "" {
				continue
			}
			sb.WriteString(prefix)
			sb.WriteString(strings.TrimSuffix(line, "\n"))
			sb.WriteByte('\n')
		}
	}
	return strings.TrimSuffix(sb.String(), "\n")
}
