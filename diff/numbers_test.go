package diff

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNumbers checks which number changes a reader is shown, and whether
// the change is one of numbers only.
func TestNumbers(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string // "old → new"
		only     bool
	}{
		{name: "counter", old: "# T\n\n3 comments\n", new: "# T\n\n4 comments\n", want: []string{"3 → 4"}, only: true},
		{name: "thousands", old: "Views: 1,200 today.\n", new: "Views: 1,350 today.\n", want: []string{"1,200 → 1,350"}, only: true},
		{name: "several in one number", old: "Cases: 1,234.\n", new: "Cases: 2,235.\n", want: []string{"1,234 → 2,235"}, only: true},
		{name: "currency and percent", old: "Now $1,200 (40% off)\n", new: "Now $1,350 (45% off)\n", want: []string{"$1,200 → $1,350", "40% → 45%"}, only: true},
		{name: "euro after", old: "Prix : 249,00\u00A0€\n", new: "Prix : 229,00\u00A0€\n", want: []string{"249,00 → 229,00"}, only: true},
		{name: "sign", old: "Shares fell -5% today.\n", new: "Shares rose +5% today.\n", want: []string{"-5% → +5%"}, only: false},
		{name: "sign alone", old: "Change: -5%\n", new: "Change: +5%\n", want: []string{"-5% → +5%"}, only: true},
		{name: "decimals", old: "Rate 1.5 now\n", new: "Rate 1.75 now\n", want: []string{"1.5 → 1.75"}, only: true},
		{name: "thin space groups", old: "Pop. 12\u2009345\n", new: "Pop. 12\u2009346\n", want: []string{"12\u2009345 → 12\u2009346"}, only: true},
		{name: "hyphen is not a sign", old: "COVID-19 cases\n", new: "COVID-20 cases\n", want: []string{"19 → 20"}, only: true},
		{name: "date", old: "Updated: 2014-03-30\n", new: "Updated: 2014-03-31\n", want: []string{"30 → 31"}, only: true},
		{name: "ideographs", old: "死者3人\n", new: "死者4人\n", want: []string{"3 → 4"}, only: true},
		{name: "digits in a word", old: "Paper size A4\n", new: "Paper size A5\n", want: nil, only: false},
		{name: "ordinal", old: "The 3rd day\n", new: "The 4th day\n", want: nil, only: false},
		{name: "number and word", old: "The story has 3 comments so far\n", new: "The story has 4 replies so far\n", want: []string{"3 → 4"}, only: false},
		{name: "paragraph replaced", old: "3 comments\n", new: "4 replies\n", want: nil, only: false},
		{name: "number to word", old: "3 comments\n\nx\n", new: "three comments\n\nx\n", want: nil, only: false},
		{name: "word to number", old: "We won\n", new: "We 2\n", want: nil, only: false},
		{name: "number added", old: "Votes counted\n", new: "Votes counted 12\n", want: nil, only: false},
		{name: "number and a paragraph added", old: "# T\n\n3 comments\n", new: "# T\n\n4 comments\n\nNew.\n", want: []string{"3 → 4"}, only: false},
		{name: "number and white space", old: "# T\n\n3 comments\n", new: "# T\n\n\n4 comments \n", want: []string{"3 → 4"}, only: true},
		{name: "number and typographic variants", old: "It's 3 o'clock\n", new: "It’s 4 o’clock\n", want: []string{"3 → 4"}, only: true},
		{name: "typographic variants only", old: "It's 3\n", new: "It’s 3\n", want: nil, only: false},
		{name: "white space only", old: "a 3\n", new: "a 3 \n", want: nil, only: false},
		{name: "four numbers", old: "Scores 1 2 3 4 in the first round of the match\n", new: "Scores 5 6 7 8 in the first round of the match\n", want: []string{"1 → 5", "2 → 6", "3 → 7", "4 → 8"}, only: true},
		{name: "two lines", old: "# 3 dead\n\nThe toll rose to 3.\n", new: "# 4 dead\n\nThe toll rose to 4.\n", want: []string{"3 → 4", "3 → 4"}, only: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.old, tt.new)
			checkChange(t, tt.old, tt.new, c)
			var got []string
			for _, n := range c.Numbers() {
				got = append(got, n.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Numbers() mismatch (-want +got):\n%s\n%s", diff, c.Unified("old", "new", 0))
			}
			if got := c.OnlyNumbers(); got != tt.only {
				t.Errorf("OnlyNumbers() = %v, want %v\n%s", got, tt.only, c.Unified("old", "new", 0))
			}
		})
	}
}

func TestNumbersLines(t *testing.T) {
	c := Compare("# 3 dead\n\nSame.\n\nToll: 3.\n", "# 3 dead\n\nNew.\n\nSame.\n\nToll: 4.\n")
	want := []NumberChange{{Old: "3", New: "4", OldNo: 5, NewNo: 7}}
	if diff := cmp.Diff(want, c.Numbers()); diff != "" {
		t.Errorf("Numbers() mismatch (-want +got):\n%s", diff)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "# T\n\nA 3.\n", "# T\n\nA 3.\n", "no changes"},
		{"typographic variants", "# T\n\nIt's 3.\n", "# T\n\nIt’s 3.\n", "no changes"},
		{"one number", "# T\n\nA 3 b.\n", "# T\n\nA 4 b.\n", "1 paragraph changed, +1 −1 words, 3 → 4"},
		{"words and a number", "# T\n\nA 3 b.\n", "# T\n\nA 4 c.\n", "1 paragraph changed, +2 −2 words, 3 → 4"},
		{"no number", "# T\n\nA b c.\n", "# T\n\nA d c.\n", "1 paragraph changed, +1 −1 words"},
		{"more than three", "# T\n\n1, 2, 3, 4, go.\n", "# T\n\n5, 6, 7, 8, go.\n", "1 paragraph changed, +4 −4 words, 1 → 5, 2 → 6, 3 → 7, …"},
		{"moved", "# T\n\nFirst here.\n\nSecond here.\n", "# T\n\nSecond here.\n\nFirst here.\n", "1 paragraph moved"},
	}
	for _, tt := range tests {
		if got := Compare(tt.old, tt.new).Summary(); got != tt.want {
			t.Errorf("%s: Summary() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIsNumber(t *testing.T) {
	yes := []string{"0", "42", "-3.5", "+7", "−2", "1,200,000", "1.200,50", "12\u2009345", "€249.00", "-$5", "$-5", "12%", "249,00€", "٣"}
	no := []string{"", "-", "$", "%", "1,", ",1", "1,,2", "1 200", "A4", "3rd", "1-2", "--1", "$$1", "5%%", "1.2.x"}
	for _, s := range yes {
		if !isNumber(s) {
			t.Errorf("isNumber(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if isNumber(s) {
			t.Errorf("isNumber(%q) = true, want false", s)
		}
	}
}
