package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redlinehq/redline/internal/pgtest"
	"github.com/redlinehq/redline/internal/testsite"
)

// page is what the test site serves at one moment.
type page struct {
	status int
	body   []byte
}

// site is a real HTTP server whose one page the test changes between checks.
type site struct {
	mu  sync.Mutex
	cur page
	srv *httptest.Server
}

func newSite(t *testing.T) *site {
	s := &site{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != articlePath {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		p := s.cur
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(p.status)
		_, _ = w.Write(p.body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) serve(status int, body []byte) {
	s.mu.Lock()
	s.cur = page{status, body}
	s.mu.Unlock()
}

const articlePath = "/en/20140329-putin-obama-ukraine"

func (s *site) url() string { return s.srv.URL + articlePath }

// cli runs the real CLI entry point against one database.
type cli struct {
	t  *testing.T
	db string
}

// run runs redline with args and returns its exit code and output.
func (c cli) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"HOME": c.t.TempDir()}
	code = run(context.Background(), append([]string{"--db", c.db}, args...), stdio{
		in: strings.NewReader(""), out: &out, err: &errb,
		getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// check runs `redline check --format jsonl` and decodes its one line.
func (c cli) check(wantCode int) checkLine {
	c.t.Helper()
	code, out, errOut := c.run("check", "--all", "--format", "jsonl")
	if code != wantCode {
		c.t.Fatalf("check: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		c.t.Fatalf("check printed %d lines, want 1:\n%s", len(lines), out)
	}
	var l checkLine
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		c.t.Fatalf("check output %q: %v", lines[0], err)
	}
	return l
}

// engines returns the databases the end-to-end tests run on: a real SQLite
// file, and the real PostgreSQL server when REDLINE_TEST_POSTGRES is set.
func engines(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "redline.db") },
		"postgres": func(t *testing.T) string { return pgtest.DSN(t) },
	}
}

// TestEditedArticle follows the flagship case: a France 24 article whose
// teasers rotate on every fetch is silently edited after publication.
func TestEditedArticle(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			c := cli{t: t, db: db(t)}
			paras := testsite.France24Paragraphs()

			s.serve(200, testsite.France24(testsite.France24Page{}))
			if code, out, errOut := c.run("add", s.url(), "--name", "putin-obama", "--tag", "news"); code != exitOK {
				t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
			}

			// Version 1: the first capture.
			if l := c.check(exitOK); l.Status != "new" || l.Revision != 1 || l.URL != s.url() || l.Watch != "putin-obama" {
				t.Fatalf("first check = %+v, want new revision 1 of putin-obama", l)
			}

			// Teasers rotated, a new generated-at stamp, a comment counter
			// and an ad id: noise, not a revision.
			s.serve(200, testsite.France24(testsite.France24Page{
				DontMiss:    testsite.France24ReadMore(),
				ReadMore:    testsite.France24DontMiss()[:4],
				GeneratedAt: "06:18:02 UTC, Tue 5 Mar 2024 in 885 ms",
				Comments:    172,
				AdSlot:      "div-gpt-ad-1712",
			}))
			if l := c.check(exitOK); l.Status != "unchanged" || l.Revision != 1 || l.Diff != "" {
				t.Fatalf("check after teaser rotation = %+v, want unchanged at revision 1", l)
			}

			// A sentence edited and "Latest update" bumped: revision 2.
			edited := strings.Replace(paras[3], "earlier this week", "on Wednesday", 1)
			if edited == paras[3] {
				t.Fatalf("test page changed: paragraph 3 is %q", paras[3])
			}
			editedPage := testsite.France24Page{
				Replace:      map[int]string{3: edited},
				LatestUpdate: "2014-03-30",
				DontMiss:     testsite.France24DontMiss()[3:],
				GeneratedAt:  "06:19:44 UTC, Tue 5 Mar 2024 in 912 ms",
			}
			s.serve(200, testsite.France24(editedPage))
			l := c.check(exitChanged)
			if l.Status != "changed" || l.Revision != 2 || l.Class != "declared-update" {
				t.Fatalf("check after edit = %+v, want changed revision 2, a declared update", l)
			}
			for _, want := range []string{
				"-" + paras[3],
				"+" + edited,
				"-Updated: 2014-03-29",
				"+Updated: 2014-03-30",
			} {
				if !strings.Contains(l.Diff, want) {
					t.Errorf("diff lacks %q:\n%s", want, l.Diff)
				}
			}
			if strings.Contains(l.Diff, "Read more") || strings.Contains(l.Diff, "Don't miss") {
				t.Errorf("diff shows teasers:\n%s", l.Diff)
			}

			// An error page is an error, never a revision.
			s.serve(500, []byte("<html><body><h1>Internal Server Error</h1><p>Something went wrong on our side. Please try again later.</p></body></html>"))
			if l := c.check(exitCheckFailed); l.Status != "error" || !strings.Contains(l.Error, "500") || !strings.Contains(l.Error, s.url()) {
				t.Fatalf("check of a 500 page = %+v, want an error naming the status and URL", l)
			}

			// The edited article again (teasers rotated once more) is
			// compared with the last good revision: unchanged.
			editedPage.DontMiss = testsite.France24DontMiss()[:2]
			editedPage.GeneratedAt = "07:00:00 UTC"
			s.serve(200, testsite.France24(editedPage))
			if l := c.check(exitOK); l.Status != "unchanged" || l.Revision != 2 {
				t.Fatalf("check after recovery = %+v, want unchanged at revision 2", l)
			}

			// The history shows both revisions and the failed check.
			code, out, errOut := c.run("history", "putin-obama")
			if code != exitOK {
				t.Fatalf("history: exit %d\n%s", code, errOut)
			}
			for _, want := range []string{"first capture", "declared-update", "paragraphs changed", "error", "HTTP 500"} {
				if !strings.Contains(out, want) {
					t.Errorf("history lacks %q:\n%s", want, out)
				}
			}
			var h historyJSON
			code, out, _ = c.run("history", s.url(), "--format", "json")
			if code != exitOK {
				t.Fatalf("history --format json: exit %d", code)
			}
			if err := json.Unmarshal([]byte(out), &h); err != nil {
				t.Fatalf("history json: %v\n%s", err, out)
			}
			if len(h.Revisions) != 2 || len(h.Checks) != 5 || h.Checks[1].Outcome != "error" || h.Checks[1].HTTPStatus != 500 {
				t.Errorf("history json: %d revisions, checks %+v; want 2 revisions and 5 checks, the second newest an HTTP 500 error", len(h.Revisions), h.Checks)
			}

			// diff shows the same change again, from the store.
			code, out, errOut = c.run("diff", s.url(), "--color", "never")
			if code != exitOK || !strings.Contains(out, "+"+edited) || !strings.Contains(out, "+Updated: 2014-03-30") {
				t.Errorf("diff: exit %d\n%s%s", code, out, errOut)
			}
			code, out, _ = c.run("diff", "putin-obama", "1", "2", "--color", "always")
			if code != exitOK || !strings.Contains(out, "\x1b[") || !strings.Contains(out, "on Wednesday") {
				t.Errorf("diff --color always: exit %d, want a coloured diff with the edit:\n%q", code, out)
			}

			// The flagship case: a sentence changed and no date moved.
			editedPage.Replace[6] = strings.Replace(paras[6], "Sunday", "Monday", 1)
			s.serve(200, testsite.France24(editedPage))
			if l := c.check(exitChanged); l.Status != "changed" || l.Revision != 3 || l.Class != "silent-edit" ||
				!strings.Contains(l.Diff, "+"+editedPage.Replace[6]) || strings.Contains(l.Diff, "Updated:") {
				t.Fatalf("check after a silent edit = %+v, want revision 3, a silent edit of paragraph 6 only", l)
			}
		})
	}
}

func TestListAndRemove(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.serve(200, testsite.France24(testsite.France24Page{}))
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}

	list := filepath.Join(t.TempDir(), "urls.txt")
	content := "# news\n" + s.url() + "\n\n" + s.srv.URL + "/missing # a comment\n"
	if err := os.WriteFile(list, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := c.run("add", "--from", list, "--tag", "news"); code != exitOK || strings.Count(out, "added ") != 2 {
		t.Fatalf("add --from: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := c.run("add", s.url()); code != exitFailure || !strings.Contains(errOut, "already watched") {
		t.Errorf("adding a watched URL again: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := c.run("add", "ftp://example.org/"); code != exitFailure || !strings.Contains(errOut, `"ftp://example.org/" is not an absolute http(s) URL`) {
		t.Errorf("adding an ftp URL: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := c.run("add", s.url()+"/x", "--mode", "selector", "--select", "div[["); code != exitFailure || !strings.Contains(errOut, "div[[") {
		t.Errorf("adding a bad selector: exit %d, stderr %q", code, errOut)
	}

	code, out, _ := c.run("check", "--tag", "news")
	if code != exitCheckFailed || !strings.Contains(out, "new        "+s.url()) || !strings.Contains(out, "error      "+s.srv.URL+"/missing") {
		t.Fatalf("check --tag news: exit %d\n%s", code, out)
	}
	code, out, _ = c.run("list")
	if code != exitOK || !strings.Contains(out, "ok(1 failed)") || !strings.Contains(out, "NEXT CHECK") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	if code, out, errOut := c.run("rm", s.srv.URL+"/missing"); code != exitOK || !strings.Contains(out, "removed") {
		t.Errorf("rm: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = c.run("list", "--format", "json")
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != exitOK {
		t.Fatalf("list --format json: exit %d, %v\n%s", code, err, out)
	}
	if len(entries) != 1 || entries[0].URL != s.url() || entries[0].Revisions != 1 || entries[0].State != "ok" {
		t.Errorf("list after rm = %+v, want only %s with 1 revision", entries, s.url())
	}
	if code, _, errOut := c.run("rm", "nope"); code != exitFailure || !strings.Contains(errOut, `no watch with URL, ID or name "nope"`) {
		t.Errorf("rm of an unknown watch: exit %d, stderr %q", code, errOut)
	}
}

func TestExtractCommand(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.serve(200, testsite.France24(testsite.France24Page{LatestUpdate: "2014-03-30", GeneratedAt: "now"}))
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}

	code, out, errOut := c.run("extract", s.url(), "--format", "json")
	if code != exitOK {
		t.Fatalf("extract: exit %d\n%s", code, errOut)
	}
	var got extractJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("extract json: %v\n%s", err, out)
	}
	if got.Title != testsite.France24Headline || got.Updated != "2014-03-30" || got.Byline != testsite.France24Byline ||
		got.UpdatedText != "Latest update : 2014-03-30" {
		t.Errorf("extract = title %q, byline %q, updated %q (from %q)", got.Title, got.Byline, got.Updated, got.UpdatedText)
	}
	if len(got.Paragraphs) == 0 || got.Paragraphs[0] != testsite.France24Paragraphs()[0] {
		t.Errorf("first paragraph = %q", got.Paragraphs)
	}
	if !strings.HasPrefix(got.Canonical, "# "+testsite.France24Headline+"\n") {
		t.Errorf("canonical starts %q", got.Canonical[:min(80, len(got.Canonical))])
	}
	for _, p := range got.Paragraphs {
		if strings.Contains(p, "Read more") || strings.Contains(p, "generated") {
			t.Errorf("paragraph is noise: %q", p)
		}
	}

	// A file, in selector mode.
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(`<html><body><div id="price">€ 12.50</div><div>other</div></body></html>`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = c.run("extract", file, "--select", "#price")
	if code != exitOK || out != "€ 12.50\n" {
		t.Errorf("extract --select: exit %d, out %q, stderr %q", code, out, errOut)
	}
}

func TestConfigErrorsAndSync(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.serve(200, testsite.France24(testsite.France24Page{}))
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "redline.yaml")
	c := cli{t: t, db: filepath.Join(dir, "redline.db")}

	bad := "watches:\n  - url: " + s.url() + "\n    selct: [\"x\"]\n"
	if err := os.WriteFile(cfgPath, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := c.run("--config", cfgPath, "list")
	if code != exitFailure || !strings.Contains(errOut, cfgPath+":3:5:") || !strings.Contains(errOut, `unknown field "selct"`) {
		t.Errorf("bad config: exit %d, stderr %q", code, errOut)
	}

	good := fmt.Sprintf("watches:\n  - url: %s\n    name: f24\n    tags: [news]\n", s.url())
	if err := os.WriteFile(cfgPath, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := c.run("--config", cfgPath, "check", "f24", "--format", "jsonl"); code != exitOK || !strings.Contains(out, `"status":"new"`) {
		t.Fatalf("check from config: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := c.run("--config", cfgPath, "rm", "f24"); code != exitFailure || !strings.Contains(errOut, "declared in the config file") {
		t.Errorf("rm of a config watch: exit %d, stderr %q", code, errOut)
	}
	// Removed from the file, removed from the store.
	if err := os.WriteFile(cfgPath, []byte("watches: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := c.run("--config", cfgPath, "list", "--format", "json"); code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("list after removing the watch from the config: exit %d\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"check", "--format", "xml"}, exitUsage, `--format must be text or jsonl, not "xml"`},
		{[]string{"check", "--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{[]string{"diff"}, exitUsage, "give a watch"},
		{[]string{"diff", "x", "zero"}, exitUsage, `revision "zero" is not a positive number`},
		{[]string{"add"}, exitUsage, "give at least one URL"},
		{[]string{"history", "https://nowhere.invalid/"}, exitFailure, `no watch with URL, ID or name "https://nowhere.invalid/"`},
		{[]string{"--log-level", "loud", "list"}, exitUsage, `--log-level: "loud"`},
	} {
		code, _, errOut := c.run(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("redline %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.err)
		}
	}
}

// TestExampleConfig keeps the README's quick start honest: the example
// config loads and declares its watches.
func TestExampleConfig(t *testing.T) {
	t.Parallel()
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}
	code, out, errOut := c.run("--config", "../../examples/news.yaml", "list", "--format", "json")
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); code != exitOK || err != nil {
		t.Fatalf("list with the example config: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	if len(entries) != 2 || entries[1].Extract.Mode != "text" || entries[0].Source != "config" {
		t.Errorf("example watches = %+v", entries)
	}
}

// TestExtractExplain: --explain says why each block was kept or dropped,
// and --watch shows what the checks learned about the watch's page.
func TestExtractExplain(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := cli{t: t, db: filepath.Join(t.TempDir(), "redline.db")}
	s.serve(200, testsite.France24(testsite.France24Page{GeneratedAt: "now"}))
	code, out, errOut := c.run("extract", "--explain", s.url())
	if code != exitOK {
		t.Fatalf("extract --explain: exit %d\n%s", code, errOut)
	}
	first := testsite.France24Paragraphs()[0]
	if !regexp.MustCompile(`(?m)^kept +\S.* +` + regexp.QuoteMeta(excerpt(first, 60)) + `\s*$`).MatchString(out) {
		t.Errorf("explain does not show the first paragraph as kept:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^dropped +.*Don't miss.*\(.+\)$`).MatchString(out) {
		t.Errorf("explain does not show the \"Don't miss\" box as dropped with a reason:\n%s", out)
	}

	// A status page whose ticker changes on every fetch.
	status := func(i int) []byte {
		return fmt.Appendf(nil, `<html><body><div id="ticker"><p>Checked %d seconds ago</p></div>
<main><p>All systems operational.</p><p>No incidents reported today.</p></main></body></html>`, 10+i)
	}
	s.serve(200, status(0))
	if code, _, errOut := c.run("add", "--mode", "text", "--no-confirm", "--name", "status", s.url()); code != exitOK {
		t.Fatalf("add: exit %d\n%s", code, errOut)
	}
	code, out, _ = c.run("extract", "--explain", "--watch", "status")
	if code != exitOK || !strings.Contains(out, "nothing learned yet") {
		t.Errorf("explain before any check: exit %d\n%s", code, out)
	}
	for i := range 4 {
		s.serve(200, status(i))
		if code, _, errOut := c.run("check", "--all"); code != exitOK && code != exitChanged {
			t.Fatalf("check %d: exit %d\n%s", i, code, errOut)
		}
	}
	code, out, errOut = c.run("extract", "--explain", "--watch", "status")
	if code != exitOK {
		t.Fatalf("extract --explain --watch: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		`Watch "status": blocks that changed on most of the last fetches:`,
		"#ticker > p  changed on 3 of the last 3 fetches",
		`exclude: ["#ticker > p"]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain --watch lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = c.run("extract", "--explain", "--watch", "status", "--format", "json")
	var got explainJSON
	if err := json.Unmarshal([]byte(out), &got); code != exitOK || err != nil {
		t.Fatalf("explain json: exit %d, %v\n%s", code, err, out)
	}
	var volatile []string
	for _, v := range got.Volatility {
		if v.Volatile {
			volatile = append(volatile, v.Selector)
		}
	}
	if !slices.Equal(volatile, []string{"#ticker > p"}) || len(got.Blocks) != 3 {
		t.Errorf("explain json: volatile %q, %d blocks", volatile, len(got.Blocks))
	}

	// Damaged statistics: the page is still explained, with a warning.
	db, err := sql.Open("sqlite", c.db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`UPDATE watch_blocks SET blocks = '[{"seen":"many"}]'`)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = c.run("extract", "--explain", "--watch", "status")
	if code != exitOK || !strings.Contains(out, "No incidents reported today.") {
		t.Errorf("explain with damaged stats: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "watch 1 ("+s.url()+")") || !strings.Contains(errOut, "damaged") {
		t.Errorf("explain with damaged stats: stderr does not name the watch and the damage:\n%s", errOut)
	}
}

// TestCPUProfile: --cpuprofile writes a profile of the command, in the
// gzipped protocol-buffer form go tool pprof and go build -pgo read, and
// an unwritable path is a clear error.
func TestCPUProfile(t *testing.T) {
	// The profiler is one per process: skip under go test -cpuprofile.
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		t.Skipf("CPU profiling in use: %v", err)
	}
	pprof.StopCPUProfile()
	dir := t.TempDir()
	c := cli{t: t, db: filepath.Join(dir, "redline.db")}
	path := filepath.Join(dir, "cpu.pprof")
	if code, _, errOut := c.run("--cpuprofile", path, "list"); code != exitOK {
		t.Fatalf("redline --cpuprofile %s list: exit %d, stderr %q", path, code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("%s holds %d bytes, not a gzipped profile", path, len(b))
	}
	bad := filepath.Join(dir, "no", "such", "dir", "cpu.pprof")
	code, _, errOut := c.run("list", "--cpuprofile", bad)
	if code != exitFailure || !strings.Contains(errOut, "--cpuprofile") || !strings.Contains(errOut, bad) {
		t.Errorf("redline list --cpuprofile %s: exit %d, stderr %q; want exit %d naming the flag and the path", bad, code, errOut, exitFailure)
	}
}
