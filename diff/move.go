package diff

// markMoves finds the paragraphs that moved: an unpaired removed line whose
// folded text is that of an unpaired added line anywhere in the change.
// Removed lines are matched in order, each with the first added line of the
// same text not yet matched. Blank lines and header fields (which pair by
// field instead) never move. It sets MovedTo and MovedFrom in place.
func markMoves(lines []Line, oldHeader, newHeader int) {
	movable := func(l Line, no, header int) bool {
		return l.Words == nil && !isBlank(l.Text) && fieldKey(l.Text, no, header) == ""
	}
	var dels int
	added := make(map[string][]int) // folded text → indices of unpaired added lines, in order
	for i, l := range lines {
		switch {
		case l.Op == Insert && movable(l, l.NewNo, newHeader):
			k := Fold(l.Text)
			added[k] = append(added[k], i)
		case l.Op == Delete:
			dels++
		}
	}
	if len(added) == 0 || dels == 0 {
		return
	}
	for i := range lines {
		l := &lines[i]
		if l.Op != Delete || !movable(*l, l.OldNo, oldHeader) {
			continue
		}
		k := Fold(l.Text)
		at := added[k]
		if len(at) == 0 {
			continue
		}
		to := &lines[at[0]]
		added[k] = at[1:]
		l.MovedTo, to.MovedFrom = to.NewNo, l.OldNo
	}
}
