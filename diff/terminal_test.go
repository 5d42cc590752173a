package diff

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestTerminalGolden compares Terminal's output with testdata/*.golden;
// `go test ./diff -update` rewrites them. View one with `cat`.
func TestTerminalGolden(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		context  int
	}{
		{
			name: "article",
			old:  article,
			new: edit(t,
				"'diplomatic end'", "'diplomatic solution'",
				"Updated: 2014-03-30", "Updated: 2014-03-31",
				"called US President", "phoned US President",
				"Obama urged Russia to pull back its troops from the Ukrainian border.\n\n", "",
				"next steps.\n", "next steps.\n\nThe talks are set for Sunday in Paris.\n"),
			context: 1,
		},
		{
			name:    "no-final-newline",
			old:     "# Title\n\nOne paragraph.",
			new:     "# Title\n\nOne longer paragraph.",
			context: 3,
		},
		{
			name:    "escapes",
			old:     "plain\n\nbell \a and \x1b[2J clear\n",
			new:     "plain\n\nbell \a and \x1b[2J wipe\tout \x9b6n \xff\n",
			context: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(tt.old, tt.new).Terminal(tt.context)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Terminal() mismatch with %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestTerminalEqual(t *testing.T) {
	if got := Compare(article, article).Terminal(3); got != "" {
		t.Errorf("Terminal() of equal texts = %q, want \"\"", got)
	}
}

func TestWriteSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, ünïcode 東京", "plain text, ünïcode 東京"},
		{"tab\tkept", "tab\tkept"},
		{"esc \x1b[31m red", "esc ␛[31m red"},
		{"cr\r nul\x00 del\x7f", "cr␍ nul␀ del␡"},
		{"csi \u009b bad \xff", "csi \ufffd bad \ufffd"},
	}
	for _, tt := range tests {
		var b strings.Builder
		writeSafe(&b, tt.in)
		if got := b.String(); got != tt.want {
			t.Errorf("writeSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
