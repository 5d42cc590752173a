package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/redlinehq/redline/store"
)

// TestBlockStats: stats round-trip through their encoding, nil and empty
// stay apart, two spellings of one list are equal, and a damaged value
// reads back as stored and fails only when decoded.
func TestBlockStats(t *testing.T) {
	t.Parallel()
	list := []store.BlockStat{{Selector: `div[data-x="a"] > p.é`, Hash: "h1", Seen: 3, Changes: 0b101}, {Selector: "#nul\x00<&>", Seen: 1}}
	for _, tt := range []struct {
		name string
		in   []store.BlockStat
	}{{"nil", nil}, {"empty", []store.BlockStat{}}, {"list", list}} {
		enc, err := store.EncodeBlockStats(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if enc.Recorded() != (tt.in != nil) {
			t.Errorf("%s: Recorded() = %v", tt.name, enc.Recorded())
		}
		got, err := store.BlockStatsJSON(enc.JSON()).Decode()
		if err != nil || (got == nil) != (tt.in == nil) || !slices.Equal(got, tt.in) {
			t.Errorf("%s: round trip = %#v, %v; want %#v", tt.name, got, err, tt.in)
		}
	}

	a, _ := store.EncodeBlockStats(list[:1])
	spaced := store.BlockStatsJSON(`[{"hash": "h1", "seen": 3, "changes": 5, "selector": "div[data-x=\"a\"] > p.é"}]`)
	if !a.Equal(spaced) || !spaced.Equal(a) {
		t.Errorf("%s and %s differ, want them equal", a, spaced)
	}
	empty, _ := store.EncodeBlockStats([]store.BlockStat{})
	if empty.Equal(store.BlockStats{}) || a.Equal(empty) {
		t.Error("an empty list equals no stats, or a list equals an empty one")
	}

	damaged := store.BlockStatsJSON(`[{"seen":"many"}]`)
	if damaged.JSON() != `[{"seen":"many"}]` || !damaged.Recorded() {
		t.Errorf("damaged value read back as %q", damaged.JSON())
	}
	if _, err := damaged.Decode(); err == nil || !strings.Contains(err.Error(), "block stats") {
		t.Errorf("Decode(damaged) error = %v, want one naming the block stats", err)
	}
	if damaged.Equal(a) || !damaged.Equal(store.BlockStatsJSON(`[{"seen":"many"}]`)) {
		t.Error("a damaged value equals a good one, or not itself")
	}
}
