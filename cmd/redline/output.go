package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/monitor"
	"github.com/redlinehq/redline/store"
)

// wantColor decides whether to colour output written to w.
func wantColor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return isTerminal(w), nil
	}
	return false, fmt.Errorf("--color must be auto, always or never, not %q", mode)
}

// printResult writes one check result for people: a status line, and the
// diff when a new revision changed the text.
func printResult(w io.Writer, r monitor.Result, color bool) error {
	var line string
	switch r.Outcome {
	case store.OutcomeNew:
		line = fmt.Sprintf("new        %s  revision %d", r.Watch.URL, r.Revision)
	case store.OutcomeChanged:
		line = fmt.Sprintf("changed    %s  revision %d, %s: %s", r.Watch.URL, r.Revision, r.Class, r.Summary)
	case store.OutcomeError:
		line = fmt.Sprintf("error      %s  %v", r.Watch.URL, r.Err)
	case store.OutcomeFlapping:
		line = fmt.Sprintf("flapping   %s  a change did not reproduce on a second fetch; not recorded", r.Watch.URL)
	default:
		line = fmt.Sprintf("unchanged  %s", r.Watch.URL)
	}
	if _, err := fmt.Fprintln(w, line); err != nil {
		return err
	}
	if r.Change != nil {
		return writeChange(w, *r.Change, r.Revision-1, r.Revision, color)
	}
	return nil
}

// writeChange prints a change between two revisions as a unified diff,
// coloured for a terminal when color is set.
func writeChange(w io.Writer, ch diff.Change, from, to int, color bool) error {
	var text string
	if color {
		text = ch.Terminal(3)
	} else {
		text = ch.Unified(fmt.Sprintf("revision %d", from), fmt.Sprintf("revision %d", to), 3)
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	_, err := io.WriteString(w, text)
	return err
}
