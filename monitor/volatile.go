package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/redlinehq/redline/config"
	"github.com/redlinehq/redline/diff"
	"github.com/redlinehq/redline/extract"
	"github.com/redlinehq/redline/store"
)

// Volatility learning. Each time a watch's page is extracted (its bytes
// changed), the kept blocks of the page (extract.Block, grouped by
// selector) are compared with the previous observation, and each block's
// store.BlockStat records whether its text changed. A block is volatile
// when it changed on at least minVolatileChanges observations and on at
// least three quarters of its last volatileWindow: one change never makes a
// block volatile, and a block that settles down stops being volatile after
// a few quiet fetches.
const (
	volatileWindow     = 8
	minVolatileChanges = 3
	// maxBlockStats caps what is remembered per watch; the blocks seen
	// first in the page are kept.
	maxBlockStats = 200
)

// observeBlocks returns the block statistics after one more observation
// of the page's kept blocks. Blocks no longer on the page are kept with an
// empty hash once (a module that comes and goes is volatile too) and
// forgotten after a second absence.
func observeBlocks(prev []store.BlockStat, blocks []extract.Block) []store.BlockStat {
	texts := make(map[string][]string)
	var order []string
	for _, b := range blocks {
		if !b.Kept {
			continue
		}
		sel := strings.ToValidUTF8(b.Selector, "\uFFFD")
		if _, ok := texts[sel]; !ok {
			order = append(order, sel)
		}
		texts[sel] = append(texts[sel], b.Text)
	}
	old := make(map[string]store.BlockStat, len(prev))
	for _, s := range prev {
		old[s.Selector] = s
	}
	out := make([]store.BlockStat, 0, min(len(order)+len(prev), maxBlockStats))
	for _, sel := range order {
		if len(out) == maxBlockStats {
			break
		}
		h := blockHash(texts[sel])
		s, ok := old[sel]
		if !ok {
			out = append(out, store.BlockStat{Selector: sel, Hash: h, Seen: 1})
			continue
		}
		delete(old, sel)
		out = append(out, observeStat(s, h))
	}
	for _, s := range prev {
		if _, gone := old[s.Selector]; !gone || s.Hash == "" || len(out) == maxBlockStats {
			continue // still on the page, absent twice, or no room
		}
		out = append(out, observeStat(s, ""))
	}
	return out
}

// blockHash hashes the texts of one selector's blocks.
func blockHash(texts []string) string {
	sum := sha256.Sum256([]byte(strings.Join(texts, "\n")))
	return hex.EncodeToString(sum[:8])
}

// isVolatile reports whether the block changed on most recent observations.
func isVolatile(s store.BlockStat) bool {
	n := min(s.Seen-1, volatileWindow) // comparisons made within the window
	if n < minVolatileChanges {
		return false
	}
	changed := bits.OnesCount32(s.Changes & (1<<n - 1))
	return changed >= minVolatileChanges && 4*changed >= 3*n
}

// volatileSelectors returns the selectors of the volatile blocks, in page order.
func volatileSelectors(stats []store.BlockStat) []string {
	var out []string
	for _, s := range stats {
		if isVolatile(s) {
			out = append(out, s.Selector)
		}
	}
	return out
}

// observeStat records one more observation of a block whose text now
// hashes to hash ("" when the block is absent).
func observeStat(s store.BlockStat, hash string) store.BlockStat {
	changed := uint32(0)
	if hash != s.Hash {
		changed = 1
	}
	s.Changes = s.Changes<<1 | changed
	s.Seen++
	s.Hash = hash
	return s
}

// confinedToVolatile reports whether every change in ch is inside the
// volatile blocks of the new page: each run of changed lines adds only
// paragraphs that come from volatile blocks, and removes no more
// paragraphs than it adds (a volatile block's old text being replaced by
// its new one), while the volatile blocks hold less than half of the
// page's kept text. A real edit next to a volatile block (a paragraph
// removed or added outside it) makes it false.
func confinedToVolatile(ch diff.Change, blocks []extract.Block, stats []store.BlockStat) bool {
	vol := volatileSelectors(stats)
	if len(vol) == 0 {
		return false
	}
	volatile := make(map[string]bool)
	var volRunes, allRunes int
	for _, b := range blocks {
		if !b.Kept {
			continue
		}
		n := utf8.RuneCountInString(b.Text)
		allRunes += n
		if slices.Contains(vol, b.Selector) {
			volatile[b.Text] = true
			volRunes += n
		}
	}
	if 2*volRunes >= allRunes {
		return false
	}
	added, removed, any := 0, 0, false
	flush := func() bool {
		ok := removed <= added
		added, removed = 0, 0
		return ok
	}
	for _, l := range ch.Lines {
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		switch l.Op {
		case diff.Equal:
			if !flush() {
				return false
			}
		case diff.Insert:
			if !volatile[l.Text] {
				return false
			}
			added++
			any = true
		case diff.Delete:
			removed++
			any = true
		}
	}
	return flush() && any
}

// policy is how a watch compares texts beyond byte equality.
type policy struct {
	volatile      string // "suggest", "ignore" or "off"
	ignoreNumbers bool
}

// comparePolicy resolves a watch's comparison settings against the defaults.
func comparePolicy(w, defaults store.Extraction) policy {
	p := policy{volatile: w.Volatile}
	if p.volatile == "" {
		p.volatile = defaults.Volatile
	}
	if p.volatile == "" {
		p.volatile = config.VolatileSuggest
	}
	switch {
	case w.IgnoreNumbers != nil:
		p.ignoreNumbers = *w.IgnoreNumbers
	case defaults.IgnoreNumbers != nil:
		p.ignoreNumbers = *defaults.IgnoreNumbers
	}
	return p
}

// noise says why a change between two texts that are not byte-equal is no
// change for this watch, or returns "" when it is one.
func (p policy) noise(ch diff.Change, blocks []extract.Block, stats []store.BlockStat) string {
	switch {
	case ch.Equal():
		return "only white space or typographic variants changed"
	case p.ignoreNumbers && ch.OnlyNumbers():
		return "only numbers changed (ignore_numbers)"
	case p.volatile == config.VolatileIgnore && confinedToVolatile(ch, blocks, stats):
		return "only volatile blocks changed (volatile: ignore)"
	}
	return ""
}

// storedBlocks returns the block statistics stored for w. Stats that do
// not decode are logged and learned again from this fetch on: they are
// what the monitor remembers, not what the user stored, and the check
// that records new ones repairs them.
func (c *Checker) storedBlocks(w store.Watch) []store.BlockStat {
	stats, err := w.State.Blocks.Decode()
	if err != nil {
		c.logger.Warn("stored block statistics are damaged; learning them again", "watch", watchLabel(w), "url", w.URL, "error", err.Error())
		return nil
	}
	return stats
}

// logVolatile logs, at info, each block that has just become volatile
// (volatile now but not in the stats before), with the exclude rule that
// would drop it.
func (c *Checker) logVolatile(w store.Watch, before, now []store.BlockStat) {
	was := make(map[string]bool)
	for _, s := range volatileSelectors(before) {
		was[s] = true
	}
	for _, s := range volatileSelectors(now) {
		if !was[s] {
			c.logger.Info("block changes on most fetches", "watch", watchLabel(w), "url", w.URL, "selector", s,
				"hint", "add it to the watch's exclude list, or set volatile: ignore; see redline extract --explain")
		}
	}
}

// Volatility is what was learned about one block of a watch's page, for
// people: how many of its recent observations changed it, and whether
// that makes it volatile.
type Volatility struct {
	Selector string
	Changed  int // observations within the window whose text differed from the one before
	Window   int // observations compared within the window (at most 8)
	Volatile bool
}

// Volatilities returns what was learned about a watch's blocks (its
// store.WatchState.Blocks, decoded), in page order.
func Volatilities(stats []store.BlockStat) []Volatility {
	out := make([]Volatility, 0, len(stats))
	for _, s := range stats {
		n := max(min(s.Seen-1, volatileWindow), 0)
		out = append(out, Volatility{
			Selector: s.Selector,
			Changed:  bits.OnesCount32(s.Changes & (1<<n - 1)),
			Window:   n,
			Volatile: isVolatile(s),
		})
	}
	return out
}
