package diff

import "strconv"

// hunk is a group of changed lines with their context, as in a unified diff.
type hunk struct {
	start, end         int // Lines[start:end]
	oldStart, oldCount int
	newStart, newCount int
}

// header returns the hunk's "@@ -a,b +c,d @@" line, without newline.
func (h hunk) header() string {
	return "@@ -" + hunkRange(h.oldStart, h.oldCount) + " +" + hunkRange(h.newStart, h.newCount) + " @@"
}

// hunkRange formats one side of a hunk header the way GNU diff does: the
// count is left out when it is 1, and an empty side names the line before
// it.
func hunkRange(start, count int) string {
	if count == 1 {
		return strconv.Itoa(start)
	}
	return strconv.Itoa(start) + "," + strconv.Itoa(count)
}

// hunks groups the changed lines of c with up to context unchanged lines on
// each side; changes at most 2×context lines apart share a hunk. A negative
// context counts as 0. Variant lines are changes when variants is set, and
// unchanged lines otherwise.
func (c Change) hunks(context int, variants bool) []hunk {
	context = max(context, 0)
	var hs []hunk
	oldBefore, newBefore := 0, 0 // lines of each side before Lines[i]
	cur := hunk{start: -1}
	lastChange := -1
	closeHunk := func() {
		if cur.start < 0 {
			return
		}
		cur.end = min(lastChange+1+context, len(c.Lines))
		for _, l := range c.Lines[cur.start:cur.end] {
			if l.Op != Insert {
				cur.oldCount++
			}
			if l.Op != Delete {
				cur.newCount++
			}
		}
		if cur.oldCount > 0 {
			cur.oldStart++
		}
		if cur.newCount > 0 {
			cur.newStart++
		}
		hs = append(hs, cur)
		cur = hunk{start: -1}
	}
	for i, l := range c.Lines {
		if l.Op != Equal || (variants && l.Variant) {
			if cur.start >= 0 && i-lastChange-1 > 2*context {
				closeHunk()
			}
			if cur.start < 0 {
				// Start context lines back, which are all Equal (the
				// previous hunk ended more than 2×context lines ago).
				cur.start = max(i-context, 0)
				cur.oldStart = oldBefore - (i - cur.start)
				cur.newStart = newBefore - (i - cur.start)
			}
			lastChange = i
		}
		if l.Op != Insert {
			oldBefore++
		}
		if l.Op != Delete {
			newBefore++
		}
	}
	closeHunk()
	return hs
}
