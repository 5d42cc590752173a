package store

import (
	"encoding/json"
	"fmt"
)

// BlockStats is a list of BlockStat as the store keeps it: encoded, as a
// JSON array. Reading a watch does not decode its stats, because most
// checks never look at them (only a full extraction of the page does):
// decoding the stats of every watch listed took a fifth of the CPU of a
// check round in which no page changed. The zero value means that none
// were recorded.
type BlockStats struct {
	enc string // a JSON array of BlockStat; "" when none were recorded
}

// EncodeBlockStats encodes bs: the zero BlockStats for nil (none recorded),
// an empty list for an empty non-nil slice.
func EncodeBlockStats(bs []BlockStat) (BlockStats, error) {
	if bs == nil {
		return BlockStats{}, nil
	}
	b, err := json.Marshal(bs)
	if err != nil {
		return BlockStats{}, fmt.Errorf("encode block stats: %w", err)
	}
	return BlockStats{enc: string(b)}, nil
}

// BlockStatsJSON returns the stats encoded as s, a JSON array of BlockStat
// as a store read it back ("" for none recorded), without decoding them:
// Decode reports a malformed s.
func BlockStatsJSON(s string) BlockStats { return BlockStats{enc: s} }

// JSON returns the stats as a JSON array, "" when none were recorded.
func (b BlockStats) JSON() string { return b.enc }

// Recorded reports whether stats were recorded (an empty list included).
func (b BlockStats) Recorded() bool { return b.enc != "" }

// Decode returns the stats: nil when none were recorded, an empty non-nil
// slice after an empty list was. It fails when the stored value is not a
// JSON array of BlockStat.
func (b BlockStats) Decode() ([]BlockStat, error) {
	if b.enc == "" {
		return nil, nil
	}
	bs := []BlockStat{}
	if err := json.Unmarshal([]byte(b.enc), &bs); err != nil {
		return nil, fmt.Errorf("decode block stats: %w", err)
	}
	return bs, nil
}

// Equal reports whether b and o hold the same stats in the same order. Two
// encodings of one list are equal whatever their spacing (PostgreSQL's
// jsonb spells JSON its own way); a value that does not decode equals only
// the same bytes.
func (b BlockStats) Equal(o BlockStats) bool {
	if b.enc == o.enc {
		return true
	}
	x, errX := b.Decode()
	y, errY := o.Decode()
	if errX != nil || errY != nil || (x == nil) != (y == nil) || len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// String returns the JSON array, or "none" when no stats were recorded.
func (b BlockStats) String() string {
	if b.enc == "" {
		return "none"
	}
	return b.enc
}
