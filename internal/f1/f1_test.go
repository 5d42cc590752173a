package f1

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// doc is one synthetic document: the true text and the predicted one.
type doc struct{ truth, pred string }

// cases exercise the tokenizer (scripts, combining marks, numbers,
// underscores, punctuation) and the edge cases of the metric (short and
// empty texts, repeated shingles).
var cases = []doc{
	{"The quick brown fox jumps over the lazy dog.", "The quick brown fox jumps over the lazy dog!"},
	{"The quick brown fox jumps over the lazy dog.", "Menu Home. The quick brown fox jumps over the lazy dog. Share this"},
	{"The quick brown fox jumps over the lazy dog.", "The quick brown fox"},
	{"one two three", "one two three"},
	{"one two three", "one two"},
	{"only", ""},
	{"", "something predicted where nothing was"},
	{"", ""},
	{"a b c d a b c d a b c d", "a b c d a b c d"},
	{"snake_case and 3.14 and x²=9 and ½ cup", "snake_case and 3 14 and x²=9 and ½ cup"},
	{"end.Next sentence starts here and goes on", "end. Next sentence starts here and goes on"},
	{"नमस्ते दुनिया यह एक परीक्षण वाक्य है", "नमस्ते दुनिया यह एक परीक्षण वाक्य है और"},
	{"日本語のテキスト、句読点。もう一つの文です。さらに", "日本語のテキスト、句読点。もう一つの文です"},
	{"Привет, мир! Это тестовое предложение на русском языке.", "Это тестовое предложение на русском языке."},
	{"مرحبا بالعالم هذه جملة اختبار باللغة العربية", "مرحبا بالعالم هذه جملة اختبار"},
	{"café naïve Ωmega — ﬁne 🙂 emoji ٣٤ digits", "café naïve Ωmega ﬁne emoji ٣٤ digits 🙂"},
	{"Tab\tand\nnewlines\r\nand  spaces  fold", "Tab and newlines and spaces fold"},
	{"한국어 문장 테스트 입니다 그리고 더", "한국어 문장 테스트 입니다"},
}

func TestTokens(t *testing.T) {
	for in, want := range map[string][]string{
		"":                       nil,
		"  ,. ":                  nil,
		"Hello, world!":          {"Hello", "world"},
		"snake_case x²=9 ½":      {"snake_case", "x²", "9", "½"},
		"नमस्ते":                 {"नमस", "त"}, // virama and vowel signs are marks, not \w
		"end.Next":               {"end", "Next"},
		"日本語、テキスト":               {"日本語", "テキスト"},
		"٣٤ digits":              {"٣٤", "digits"},
		"e\u0301 (decomposed é)": {"e", "decomposed", "é"},
	} {
		if got := Tokens(in); !slices.Equal(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShingles(t *testing.T) {
	if got := Shingles(""); len(got) != 0 {
		t.Errorf("Shingles(\"\") = %v", got)
	}
	if got := Shingles("a, b"); len(got) != 1 || got["a b"] != 1 {
		t.Errorf("Shingles(\"a, b\") = %v", got)
	}
	got := Shingles("a b c d a b c d")
	want := map[string]int{"a b c d": 2, "b c d a": 1, "c d a b": 1, "d a b c": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Shingles = %v, want %v", got, want)
	}
}

func score(docs []doc) (Score, []Counts) {
	var cs []Counts
	for _, d := range docs {
		cs = append(cs, Match(d.truth, d.pred))
	}
	return Aggregate(cs), cs
}

// TestAggregate checks the figures score.py gives for cases (computed
// with python3 score.py --bootstrap 0 --json; TestAgainstScorePy
// recomputes them when Python and score.py are at hand).
func TestAggregate(t *testing.T) {
	s, _ := score(cases)
	want := Score{F1: 0.7008229192191456, Precision: 0.7822916666666666, Recall: 0.6347222222222223, Exact: 0.3888888888888889, Documents: len(cases)}
	if !near(s.F1, want.F1) || !near(s.Precision, want.Precision) || !near(s.Recall, want.Recall) || !near(s.Exact, want.Exact) || s.Documents != want.Documents {
		t.Errorf("Aggregate = %+v, want %+v", s, want)
	}
	if s := Aggregate(nil); s != (Score{}) {
		t.Errorf("Aggregate(nil) = %+v", s)
	}
	if s := Aggregate([]Counts{Match("", "")}); s.F1 != 0 || s.Exact != 1 {
		t.Errorf("two empty texts: %+v", s)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestAgainstScorePy runs the shared benchmark's score.py on cases and
// compares every figure, including each document's token counts.
func TestAgainstScorePy(t *testing.T) {
	script := filepath.Join("..", "..", "..", "shared", "bench", "extraction", "score.py")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("no score.py: %v", err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	dir := t.TempDir()
	truth, preds := map[string]any{}, map[string]any{}
	for i, d := range cases {
		id := fmt.Sprintf("doc%02d", i)
		truth[id] = map[string]string{"articleBody": d.truth, "url": ""}
		preds[id] = map[string]string{"articleBody": d.pred}
	}
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tp, pp := write("truth.json", truth), write("pred.json", preds)
	out, err := exec.Command(python, script, pp, "--truth", tp, "--bootstrap", "0", "--json").Output()
	if err != nil {
		t.Fatalf("score.py: %v", err)
	}
	var res struct {
		F1, Precision, Recall, Exact float64
		PerDocument                  []struct {
			ID                    string
			F1, Precision, Recall float64
			TrueTokens            int `json:"true_tokens"`
			PredTokens            int `json:"pred_tokens"`
		} `json:"per_document"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	s, cs := score(cases)
	if !near(s.F1, res.F1) || !near(s.Precision, res.Precision) || !near(s.Recall, res.Recall) || !near(s.Exact, res.Exact) {
		t.Errorf("Go %+v, score.py F1 %v P %v R %v exact %v", s, res.F1, res.Precision, res.Recall, res.Exact)
	}
	for i, row := range res.PerDocument {
		c, d := cs[i], cases[i]
		p := c.Precision()
		if c.TP+c.FP == 0 {
			p = 0 // score.py's per-document rows
		}
		if len(Tokens(d.truth)) != row.TrueTokens || len(Tokens(d.pred)) != row.PredTokens ||
			!near(p, row.Precision) || !near(c.Recall(), row.Recall) || !near(F1(p, c.Recall()), row.F1) {
			t.Errorf("%s: Go tokens %d/%d p %v r %v; score.py tokens %d/%d p %v r %v",
				row.ID, len(Tokens(d.truth)), len(Tokens(d.pred)), p, c.Recall(), row.TrueTokens, row.PredTokens, row.Precision, row.Recall)
		}
	}
	t.Logf("score.py: F1 %v P %v R %v exact %v", res.F1, res.Precision, res.Recall, res.Exact)
}
