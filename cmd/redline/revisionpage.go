package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/store"
)

// revisionPage serves GET /watches/{id}/revisions/{seq}: one revision of a
// watch and what changed since the one before it that is still stored, as
// a page. Notifications link here when the config sets base_url.
func revisionPage(s store.Store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
		seq, err2 := strconv.Atoi(r.PathValue("seq"))
		if err1 != nil || err2 != nil || id < 1 || seq < 1 {
			http.Error(w, "not a watch id and revision number", http.StatusNotFound)
			return
		}
		page, err := loadRevisionPage(r.Context(), s, id, seq)
		switch {
		case errors.Is(err, store.ErrNotFound):
			http.Error(w, fmt.Sprintf("no revision %d of watch %d (retention may have dropped it)", seq, id), http.StatusNotFound)
			return
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := revisionTemplate.Execute(w, page); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

// revisionView is what the revision page shows.
type revisionView struct {
	Watch     store.Watch
	Rev       store.Revision
	Prev      int // the revision compared with; 0 for the first
	Class     string
	Describe  string
	Summary   string
	Lines     []viewLine
	FetchedAt string
}

// viewLine is one line of the change, as spans.
type viewLine struct {
	Op    string // "eq", "del" or "ins"
	Spans []viewSpan
}

type viewSpan struct {
	Op   string
	Text string
}

func loadRevisionPage(ctx context.Context, s store.Store, id int64, seq int) (revisionView, error) {
	w, err := s.Watch(ctx, id)
	if err != nil {
		return revisionView{}, err
	}
	rev, err := s.Revision(ctx, id, seq)
	if err != nil {
		return revisionView{}, err
	}
	v := revisionView{Watch: w, Rev: rev, Class: rev.Class, Describe: diff.Class(rev.Class).Describe(), Summary: rev.Summary,
		FetchedAt: rev.FetchedAt.UTC().Format(time.RFC3339)}
	if v.Prev, err = previousStored(ctx, s, id, seq); err != nil {
		return revisionView{}, err
	}
	oldText := ""
	if v.Prev > 0 {
		old, err := s.Revision(ctx, id, v.Prev)
		if err != nil {
			return revisionView{}, err
		}
		oldText = old.Text
	}
	ch := diff.Compare(oldText, rev.Text)
	for _, l := range ch.Lines {
		if strings.TrimSpace(l.Text) == "" {
			continue // the blank lines between paragraphs
		}
		vl := viewLine{Op: opName(l.Op)}
		if l.Words != nil {
			for _, sp := range l.Words {
				vl.Spans = append(vl.Spans, viewSpan{Op: opName(sp.Op), Text: sp.Text})
			}
		} else {
			vl.Spans = []viewSpan{{Op: vl.Op, Text: l.Text}}
		}
		v.Lines = append(v.Lines, vl)
	}
	return v, nil
}

func opName(op diff.Op) string {
	switch op {
	case diff.Delete:
		return "del"
	case diff.Insert:
		return "ins"
	}
	return "eq"
}

var revisionTemplate = template.Must(template.New("revision").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{or .Watch.Name .Watch.URL}}: revision {{.Rev.Seq}} · redline</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
.meta{color:#59636e}.line{margin:0 0 .6rem;padding-left:.75rem;border-left:3px solid transparent;white-space:pre-wrap}
.line.del{border-color:#cf222e}.line.ins{border-color:#1a7f37}
del{color:#82071e;background:#ffebe9}ins{color:#116329;background:#dafbe1;text-decoration:none}
</style></head><body>
<h1>{{or .Watch.Name .Watch.URL}}: revision {{.Rev.Seq}}</h1>
<p class="meta"><a href="{{.Watch.URL}}">{{.Watch.URL}}</a><br>
fetched {{.FetchedAt}}{{if .Prev}}, compared with revision {{.Prev}}{{else}}, the first capture{{end}}
{{- with .Describe}}<br>{{.}}{{end}}{{with .Summary}}<br>{{.}}{{end}}</p>
{{range .Lines}}<p class="line {{.Op}}">{{range .Spans}}{{if eq .Op "del"}}<del>{{.Text}}</del>{{else if eq .Op "ins"}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}</p>
{{end}}</body></html>
`))
