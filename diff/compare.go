package diff

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Time budgets for go-diff. Past them go-diff returns a coarser diff
// (whole blocks removed and added), which is still correct, so that
// pathological inputs stay bounded in time.
const (
	lineBudget  = time.Second            // the line-level diffs of one Compare, together
	wordTimeout = 100 * time.Millisecond // each word-level diff of a pair of lines
)

// Compare diffs two canonical texts line by line, pairs removed and added
// lines that are edits of one another, refines each pair word by word,
// finds the paragraphs that moved, and counts the changes. Lines and words
// are compared in their folded form (see Fold), so typographic variants
// are no change. It never fails: any two strings, valid UTF-8 or not, give
// a Change whose Unified form turns oldText into newText.
func Compare(oldText, newText string) Change {
	var lines []Line
	if oldText == newText {
		lines = appendLines(nil, Equal, oldText, new(int), new(int))
	} else {
		dmp := diffmatchpatch.New()
		lines = diffLines(dmp, oldText, newText)
		dmp.DiffTimeout = wordTimeout
		oldHeader, newHeader := headerEnd(oldText), headerEnd(newText)
		lines = pairLines(dmp, lines, oldHeader, newHeader)
		markMoves(lines, oldHeader, newHeader)
	}
	return Change{Lines: lines, Stats: countStats(lines)}
}

// diffLines diffs two texts line by line, lines comparing by their folded
// form with their newline, in two passes so that blank lines cannot steer
// the alignment of paragraphs: first the non-blank lines alone (the
// paragraphs, header lines included), whose common lines become anchors;
// then, between consecutive anchors, all the lines, blank ones included. A
// single pass would happily align the blank lines around a removed
// paragraph with those around an added one and show an unchanged paragraph
// as removed and added again.
func diffLines(dmp *diffmatchpatch.DiffMatchPatch, oldText, newText string) []Line {
	deadline := time.Now().Add(lineBudget)
	budget := func() {
		dmp.DiffTimeout = max(time.Until(deadline), time.Nanosecond)
	}

	var (
		lines        []Line
		oldNo, newNo int
	)
	oldLines, newLines := splitLines(oldText), splitLines(newText)
	ra, rb, ok := encodeLines(oldLines, newLines)
	if !ok {
		// More distinct lines than runes: all removed, all added.
		lines = appendLines(lines, Delete, oldText, &oldNo, &newNo)
		return appendLines(lines, Insert, newText, &oldNo, &newNo)
	}
	equal := func(i, j int) {
		lines = append(lines, equalLine(oldLines[i], newLines[j], &oldNo, &newNo))
	}
	// gap appends the diff of old lines [i0, i1) and new lines [j0, j1).
	gap := func(i0, i1, j0, j1 int) {
		if slices.Equal(ra[i0:i1], rb[j0:j1]) {
			for k := range i1 - i0 {
				equal(i0+k, j0+k)
			}
			return
		}
		budget()
		i, j := i0, j0
		for _, d := range dmp.DiffMainRunes(ra[i0:i1], rb[j0:j1], false) {
			n := utf8.RuneCountInString(d.Text)
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				for k := range n {
					equal(i+k, j+k)
				}
				i += n
				j += n
			case diffmatchpatch.DiffDelete:
				for _, l := range oldLines[i : i+n] {
					lines = appendLines(lines, Delete, l, &oldNo, &newNo)
				}
				i += n
			case diffmatchpatch.DiffInsert:
				for _, l := range newLines[j : j+n] {
					lines = appendLines(lines, Insert, l, &oldNo, &newNo)
				}
				j += n
			}
		}
	}

	pa, ia := paragraphs(ra, oldLines)
	pb, ib := paragraphs(rb, newLines)
	budget()
	i, j := 0, 0   // next old and new line not yet appended
	pi, pj := 0, 0 // next old and new paragraph not yet consumed
	for _, d := range dmp.DiffMainRunes(pa, pb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			pi += n
		case diffmatchpatch.DiffInsert:
			pj += n
		case diffmatchpatch.DiffEqual:
			for k := range n {
				oi, nj := ia[pi+k], ib[pj+k]
				gap(i, oi, j, nj)
				equal(oi, nj)
				i, j = oi+1, nj+1
			}
			pi += n
			pj += n
		}
	}
	gap(i, len(ra), j, len(rb))
	return lines
}

// encodeLines maps each line of both sides, newline included, to one rune
// per distinct folded line, as go-diff's DiffLinesToChars does for exact
// lines. It returns false when there are more distinct lines than runes.
func encodeLines(oldLines, newLines []string) (ra, rb []rune, ok bool) {
	ids := make(map[string]int, len(oldLines)+len(newLines))
	encode := func(lines []string) ([]rune, bool) {
		rs := make([]rune, len(lines))
		for i, l := range lines {
			key := Fold(l)
			id, ok := ids[key]
			if !ok {
				if len(ids) >= maxTokens {
					return nil, false
				}
				id = len(ids)
				ids[key] = id
			}
			rs[i] = tokenRune(id)
		}
		return rs, true
	}
	if ra, ok = encode(oldLines); !ok {
		return nil, nil, false
	}
	rb, ok = encode(newLines)
	return ra, rb, ok
}

// equalLine returns the Equal line for an old and a new line (with their
// newlines, if any) that fold alike, numbered from the counters: the new
// text, and the old one too if its bytes differ.
func equalLine(oldLine, newLine string, oldNo, newNo *int) Line {
	*oldNo++
	*newNo++
	l := Line{Op: Equal, OldNo: *oldNo, NewNo: *newNo}
	// Folding keeps newlines, so both lines end alike.
	var hasNewline bool
	l.Text, hasNewline = strings.CutSuffix(newLine, "\n")
	oldLine = strings.TrimSuffix(oldLine, "\n")
	l.NoNewline = !hasNewline
	if oldLine != l.Text {
		l.Variant, l.OldText = true, oldLine
	}
	return l
}

// paragraphs returns the runes of the non-blank lines and their indices.
func paragraphs(runes []rune, lines []string) ([]rune, []int) {
	var ps []rune
	var at []int
	for i, r := range runes {
		if !isBlank(lines[i]) {
			ps = append(ps, r)
			at = append(at, i)
		}
	}
	return ps, at
}

// splitLines splits text after each newline, as DiffLinesToChars does.
func splitLines(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// appendLines splits text into lines with operation op and appends them,
// numbering them from the counters of the sides they belong to.
func appendLines(lines []Line, op Op, text string, oldNo, newNo *int) []Line {
	for text != "" {
		l := Line{Op: op}
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			l.Text, text = text[:i], text[i+1:]
		} else {
			l.Text, text, l.NoNewline = text, "", true
		}
		if op != Insert {
			*oldNo++
			l.OldNo = *oldNo
		}
		if op != Delete {
			*newNo++
			l.NewNo = *newNo
		}
		lines = append(lines, l)
	}
	return lines
}

// pairLines finds the pairs in each run of removed and added lines, gives
// them their word spans and moves each added line of a pair right after its
// removed line.
func pairLines(dmp *diffmatchpatch.DiffMatchPatch, lines []Line, oldHeader, newHeader int) []Line {
	out := make([]Line, 0, len(lines))
	var dels, ins []Line
	flush := func() {
		if len(dels) > 0 && len(ins) > 0 {
			d, i := 0, 0
			for _, p := range pairRun(dmp, dels, ins, oldHeader, newHeader) {
				out = append(out, dels[d:p.del]...)
				out = append(out, ins[i:p.ins]...)
				del, add := dels[p.del], ins[p.ins]
				del.Words, add.Words = p.words.old, p.words.new
				out = append(out, del, add)
				d, i = p.del+1, p.ins+1
			}
			dels, ins = dels[d:], ins[i:]
		}
		out = append(out, dels...)
		out = append(out, ins...)
		dels, ins = dels[:0], ins[:0]
	}
	for _, l := range lines {
		switch l.Op {
		case Delete:
			dels = append(dels, l)
		case Insert:
			ins = append(ins, l)
		default:
			flush()
			out = append(out, l)
		}
	}
	flush()
	return out
}

// headerEnd returns the number of the first blank line of text: the lines
// before it are the canonical header (headline, byline, dates).
func headerEnd(text string) int {
	for no := 1; text != ""; no++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if isBlank(line) {
			return no
		}
	}
	return math.MaxInt
}

// isBlank reports whether a line is empty or white space only (ignorable
// runes such as zero-width spaces aside): a paragraph separator, not a
// paragraph.
func isBlank(s string) bool {
	return strings.TrimFunc(s, isSpaceOrIgnorable) == ""
}
