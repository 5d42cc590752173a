package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const articleTmpl = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%[1]s</title></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article>
<h1>%[1]s</h1>
<p>%[2]s</p>
<p>The council met on Tuesday evening to discuss the proposal, which had been debated for several months by residents, business owners and local officials who attended the public hearing in large numbers.</p>
<p>Officials said the final decision would be published next week after a review of the submitted comments, and that the project could begin construction as early as next spring if funding is approved by the regional authority.</p>
<p>Several residents expressed concern about traffic and noise during the construction period, while others welcomed the new investment and the jobs it is expected to bring to the town over the coming years.</p>
</article></main>
<footer><p>Copyright 2024 Example News</p></footer>
</body></html>`

func TestInitAndCheck(t *testing.T) {
	var mu sync.Mutex
	pages := map[string]string{
		"/a": fmt.Sprintf(articleTmpl, "Town council weighs new bridge plan",
			"The town council is considering a plan to build a new bridge across the river, a project estimated to cost 12 million dollars according to the latest figures released by the planning office."),
		"/b": fmt.Sprintf(articleTmpl, "Local library extends opening hours",
			"The local library will extend its opening hours on weekdays starting next month, the head librarian announced, citing strong demand from students preparing for their final examinations."),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken" {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		mu.Lock()
		page, ok := pages[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()

	dir := t.TempDir()
	urlFile := filepath.Join(dir, "urls.txt")
	urlA, urlB, urlBroken := srv.URL+"/a", srv.URL+"/b", srv.URL+"/broken"
	if err := os.WriteFile(urlFile, []byte(urlA+"\n"+urlB+"\n"+urlBroken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	statePath := filepath.Join(dir, "state.json")
	ctx := context.Background()

	var stderr bytes.Buffer
	if code := run(ctx, []string{"init", "-state", statePath, urlFile}, new(bytes.Buffer), &stderr); code != 0 {
		t.Fatalf("init exited %d: %s", code, stderr.String())
	}

	check := func() map[string]report {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"check", "-state", statePath, "-c", "2"}, &stdout, &stderr); code != 0 {
			t.Fatalf("check exited %d: %s", code, stderr.String())
		}
		got := map[string]report{}
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			var r report
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("bad JSONL line %q: %v", line, err)
			}
			got[r.URL] = r
		}
		if len(got) != 3 {
			t.Fatalf("got %d reports, want 3:\n%s", len(got), stdout.String())
		}
		return got
	}

	got := check()
	for u, want := range map[string]string{urlA: "new", urlB: "new", urlBroken: "error"} {
		if got[u].Status != want {
			t.Errorf("round 0: %s: status %q (error %q), want %q", u, got[u].Status, got[u].Error, want)
		}
	}
	if e := got[urlBroken].Error; !strings.Contains(e, "500") {
		t.Errorf("round 0: error for the 500 page = %q, want it to mention 500", e)
	}

	mu.Lock()
	pages["/a"] = strings.Replace(pages["/a"], "12 million dollars", "15 million dollars", 1)
	mu.Unlock()

	got = check()
	for u, want := range map[string]string{urlA: "changed", urlB: "unchanged", urlBroken: "error"} {
		if got[u].Status != want {
			t.Errorf("round 1: %s: status %q (error %q), want %q", u, got[u].Status, got[u].Error, want)
		}
	}
	diff := got[urlA].Diff
	var minus, plus bool
	for _, line := range strings.Split(diff, "\n") {
		minus = minus || strings.HasPrefix(line, "-") && strings.Contains(line, "12 million")
		plus = plus || strings.HasPrefix(line, "+") && strings.Contains(line, "15 million")
	}
	if !minus || !plus {
		t.Errorf("round 1: diff does not show the edit:\n%s", diff)
	}
}

func TestLineDiff(t *testing.T) {
	got := lineDiff("title\n\none\ntwo\nthree", "title\n\none\n2\nthree\nfour")
	want := "-two\n+2\n+four"
	if got != want {
		t.Errorf("lineDiff = %q, want %q", got, want)
	}
}
