package diff

import (
	"slices"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

const (
	// minSimilarity is how alike a removed and an added paragraph must be,
	// word for word, to count as one changed paragraph rather than one
	// removed and one added.
	minSimilarity = 0.5
	// maxAlignCells bounds the exact alignment of a run of changes
	// (removed × added paragraphs); larger runs use a forward window.
	maxAlignCells = 64 * 64
	// pairWindow is how many added paragraphs past the last pair a removed
	// paragraph is compared with in a large run.
	pairWindow = 8
	// minBigramDice is the share of consecutive token pairs a removed and an
	// added paragraph of a large run must have in common to be confirmed
	// with a word diff. Unrelated paragraphs of a rewritten page share many
	// common words but few word pairs; this gate keeps a rewrite from
	// costing one failed word diff per paragraph.
	minBigramDice = 0.25
)

// headerFields are the canonical header lines; in the header, a line pairs
// with the line of the same field whatever their content, except for the
// lines of the one field that may repeat (listField), which pair like body
// lines, by their words, and only with each other.
var headerFields = [...]string{"# ", "Page title: ", "By: ", "Published: ", "Updated: ", listField}

// listField is the header field that may appear on several lines: the
// sentences of a structured copy of the article that differ from it.
const listField = "Structured data: "

// fieldKey returns the header field of a line, or "" for a body line.
func fieldKey(text string, no, headerEnd int) string {
	if no >= headerEnd {
		return ""
	}
	for _, f := range headerFields {
		if strings.HasPrefix(text, f) {
			return f
		}
	}
	return ""
}

// candidate is a non-blank line of a run, as the pairing sees it.
type candidate struct {
	index int      // in the run's removed or added lines
	key   string   // header field, "" in the body
	bag   []uint32 // sorted ids of the line's non-space tokens, folded
	pairs []uint64 // sorted ids of consecutive pairs of them, in a large run only
}

// pair is a removed and an added line found to be one edited paragraph.
type pair struct {
	del, ins int // indices in the run's removed and added lines
	words    wordDiff
}

// pairRun pairs the removed lines dels with the added lines ins of one run
// of changes. Pairs keep the order of both sides.
func pairRun(dmp *diffmatchpatch.DiffMatchPatch, dels, ins []Line, oldHeader, newHeader int) []pair {
	ids := make(map[string]uint32)
	large := len(dels)*len(ins) > maxAlignCells
	cands := func(lines []Line, header int, old bool) []candidate {
		var cs []candidate
		for i, l := range lines {
			if isBlank(l.Text) {
				continue
			}
			no := l.NewNo
			if old {
				no = l.OldNo
			}
			c := candidate{index: i, key: fieldKey(l.Text, no, header)}
			for s := l.Text; s != ""; {
				n, k := nextToken(s)
				if k != tokenSpace {
					key := Fold(s[:n])
					id, ok := ids[key]
					if !ok {
						id = uint32(len(ids))
						ids[key] = id
					}
					c.bag = append(c.bag, id)
				}
				s = s[n:]
			}
			if large {
				for k := 1; k < len(c.bag); k++ {
					c.pairs = append(c.pairs, uint64(c.bag[k-1])<<32|uint64(c.bag[k]))
				}
				slices.Sort(c.pairs)
			}
			slices.Sort(c.bag)
			cs = append(cs, c)
		}
		return cs
	}
	cd, ci := cands(dels, oldHeader, true), cands(ins, newHeader, false)

	var matched [][2]int // indices in cd, ci
	if large {
		matched = window(cd, ci)
	} else {
		matched = align(cd, ci)
	}

	var pairs []pair
	for _, m := range matched {
		d, i := cd[m[0]], ci[m[1]]
		wd, ok := diffWords(dmp, dels[d.index].Text, ins[i.index].Text)
		if !ok || ((d.key == "" || d.key == listField) && wd.similarity < minSimilarity) {
			continue
		}
		pairs = append(pairs, pair{del: d.index, ins: i.index, words: wd})
	}
	return pairs
}

// score rates a removed and an added line as a pair; 0 means they must not
// pair. Header lines pair only with the same field, and always do, but
// for the lines of listField, which pair as body lines do.
func score(a, b candidate) float64 {
	if a.key != b.key {
		return 0
	}
	if a.key != "" && a.key != listField {
		return 2
	}
	d := dice(a.bag, b.bag)
	if d < minSimilarity {
		return 0
	}
	return d
}

// dice is the Dice coefficient of two sorted multisets. On token bags it
// is an upper bound of the similarity the word diff will measure.
func dice[T uint32 | uint64](a, b []T) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// align returns the order-preserving pairing of cd and ci with the highest
// total score (dynamic programming, len(cd) × len(ci) cells).
func align(cd, ci []candidate) [][2]int {
	n, m := len(cd), len(ci)
	const (
		up = iota
		left
		diag
	)
	total := make([]float64, (n+1)*(m+1))
	move := make([]uint8, (n+1)*(m+1))
	at := func(i, j int) int { return i*(m+1) + j }
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best, mv := total[at(i-1, j)], uint8(up)
			if t := total[at(i, j-1)]; t > best {
				best, mv = t, left
			}
			if s := score(cd[i-1], ci[j-1]); s > 0 {
				if t := total[at(i-1, j-1)] + s; t > best {
					best, mv = t, diag
				}
			}
			total[at(i, j)], move[at(i, j)] = best, mv
		}
	}
	var pairs [][2]int
	for i, j := n, m; i > 0 && j > 0; {
		switch move[at(i, j)] {
		case diag:
			i--
			j--
			pairs = append(pairs, [2]int{i, j})
		case left:
			j--
		default:
			i--
		}
	}
	slices.Reverse(pairs)
	return pairs
}

// window pairs each removed line, in order, with the best-scoring of the
// next pairWindow added lines after the last pair: linear time for runs too
// large to align exactly, such as a rewritten page.
func window(cd, ci []candidate) [][2]int {
	var pairs [][2]int
	next := 0
	for i := range cd {
		best, bestScore := -1, 0.0
		for j := next; j < len(ci) && j < next+pairWindow; j++ {
			if cd[i].key == "" && len(cd[i].pairs) > 0 && len(ci[j].pairs) > 0 &&
				dice(cd[i].pairs, ci[j].pairs) < minBigramDice {
				continue
			}
			if s := score(cd[i], ci[j]); s > bestScore {
				best, bestScore = j, s
			}
		}
		if best >= 0 {
			pairs = append(pairs, [2]int{i, best})
			next = best + 1
		}
	}
	return pairs
}
