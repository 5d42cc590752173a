package config

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
)

// Position is a place in a configuration file. Line and Column count from 1;
// zero means unknown.
type Position struct {
	File   string
	Line   int
	Column int
}

// String formats the position as "file:line:col", leaving out the parts
// that are unknown ("file:line", "file").
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	return s
}

// Error is one problem in a configuration file, at the position of the
// offending node.
type Error struct {
	Pos Position
	Msg string // e.g. `watch "lemonde": unknown field "selct"`
}

// Error returns the message prefixed with the position, like
// `redline.yaml:14:7: watch "lemonde": unknown field "selct"`.
func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

// joinErrors sorts errs by position (keeping the order of errors at the
// same position) and joins them; nil when there are none.
func joinErrors(errs []*Error) error {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}
