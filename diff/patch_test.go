package diff

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// applyUnified applies a unified diff, as Change.Unified writes it, to old
// and returns the patched text. It checks every context and removed line
// and every hunk count, as patch(1) would with no fuzz, so a wrong diff is
// an error rather than a silently different text.
func applyUnified(old, patch string) (string, error) {
	if patch == "" {
		return old, nil
	}
	src := splitKeepNewline(old)
	plines := strings.Split(patch, "\n")
	if plines[len(plines)-1] != "" {
		return "", fmt.Errorf("patch does not end with a newline")
	}
	plines = plines[:len(plines)-1]
	if len(plines) < 2 || !strings.HasPrefix(plines[0], "--- ") || !strings.HasPrefix(plines[1], "+++ ") {
		return "", fmt.Errorf("missing ---/+++ headers")
	}
	plines = plines[2:]

	var out strings.Builder
	pos := 0 // next line of src to use
	for len(plines) > 0 {
		oldStart, oldCount, newCount, err := parseHunkHeader(plines[0])
		if err != nil {
			return "", err
		}
		plines = plines[1:]
		first := oldStart - 1 // index of the hunk's first old line
		if oldCount == 0 {
			first = oldStart // an empty side names the line before it
		}
		if first < pos || first > len(src) {
			return "", fmt.Errorf("hunk at old line %d out of order or past the end", oldStart)
		}
		for _, l := range src[pos:first] {
			out.WriteString(l)
		}
		pos = first

		type hl struct {
			op   byte
			text string
		}
		var body []hl
		for len(plines) > 0 && !strings.HasPrefix(plines[0], "@@ ") {
			l := plines[0]
			plines = plines[1:]
			if l == noNewline {
				if len(body) == 0 || !strings.HasSuffix(body[len(body)-1].text, "\n") {
					return "", fmt.Errorf("misplaced %q", noNewline)
				}
				last := &body[len(body)-1]
				last.text = strings.TrimSuffix(last.text, "\n")
				continue
			}
			if l == "" || !strings.ContainsRune(" +-", rune(l[0])) {
				return "", fmt.Errorf("bad hunk line %q", l)
			}
			body = append(body, hl{l[0], l[1:] + "\n"})
		}
		gotOld, gotNew := 0, 0
		for _, l := range body {
			if l.op != '+' {
				gotOld++
				if pos >= len(src) || src[pos] != l.text {
					return "", fmt.Errorf("old line %d: have %q, hunk says %q", pos+1, at(src, pos), l.text)
				}
				pos++
			}
			if l.op != '-' {
				gotNew++
				out.WriteString(l.text)
			}
		}
		if gotOld != oldCount || gotNew != newCount {
			return "", fmt.Errorf("hunk counts -%d +%d, header says -%d +%d", gotOld, gotNew, oldCount, newCount)
		}
	}
	for _, l := range src[pos:] {
		out.WriteString(l)
	}
	return out.String(), nil
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end of text>"
}

// splitKeepNewline splits s into lines that keep their "\n".
func splitKeepNewline(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// parseHunkHeader parses "@@ -a,b +c,d @@" (",b" and ",d" default to 1).
func parseHunkHeader(h string) (oldStart, oldCount, newCount int, err error) {
	f := strings.Fields(h)
	if len(f) != 4 || f[0] != "@@" || f[3] != "@@" || f[1][0] != '-' || f[2][0] != '+' {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", h)
	}
	side := func(s string) (start, count int, err error) {
		a, b, ok := strings.Cut(s[1:], ",")
		if start, err = strconv.Atoi(a); err != nil {
			return 0, 0, fmt.Errorf("bad hunk header %q: %w", h, err)
		}
		count = 1
		if ok {
			if count, err = strconv.Atoi(b); err != nil {
				return 0, 0, fmt.Errorf("bad hunk header %q: %w", h, err)
			}
		}
		return start, count, nil
	}
	oldStart, oldCount, err = side(f[1])
	if err != nil {
		return 0, 0, 0, err
	}
	_, newCount, err = side(f[2])
	return oldStart, oldCount, newCount, err
}

// TestApplyUnified checks the test helper itself on hand-written patches.
func TestApplyUnified(t *testing.T) {
	tests := []struct {
		name, old, patch, want string
		wantErr                bool
	}{
		{"empty patch", "a\n", "", "a\n", false},
		{"replace", "a\nb\nc\n", "--- x\n+++ y\n@@ -2 +2 @@\n-b\n+B\n", "a\nB\nc\n", false},
		{"insert at start", "a\n", "--- x\n+++ y\n@@ -0,0 +1 @@\n+z\n", "z\na\n", false},
		{"no newline", "a\n", "--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n" + noNewline + "\n", "a", false},
		{"wrong context", "a\nb\n", "--- x\n+++ y\n@@ -1,2 +1,2 @@\n x\n-b\n+c\n", "", true},
		{"wrong count", "a\nb\n", "--- x\n+++ y\n@@ -1,3 +1,2 @@\n a\n-b\n+c\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyUnified(tt.old, tt.patch)
			if (err != nil) != tt.wantErr {
				t.Fatalf("applyUnified() error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("applyUnified() = %q, want %q", got, tt.want)
			}
		})
	}
}
