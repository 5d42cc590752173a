// Package htmldate stands in for github.com/markusmobius/go-htmldate in
// redline's build (see the replace directive in redline's go.mod).
//
// go-trafilatura imports go-htmldate to guess a page's publication date,
// and go-htmldate imports go-dateparser, whose package initialisation
// compiles some four thousand regular expressions for two hundred
// locales: about 0.1 s of CPU at every process start and 26 MB of heap
// kept for the life of the process. redline reads dates itself and always
// calls go-trafilatura with HtmlDateMode Disabled, so go-trafilatura never
// calls FromDocument; this package keeps the types go-trafilatura names
// and refuses the call, so that none of that is built in.
package htmldate

import (
	"errors"
	"time"

	"golang.org/x/net/html"
)

// Options are the options go-trafilatura passes to FromDocument: the
// fields of go-htmldate's Options that go-trafilatura sets.
type Options struct {
	UseOriginalDate     bool
	SkipExtensiveSearch bool
	URL                 string
}

// Result is a date found in a document: the fields of go-htmldate's
// Result that go-trafilatura reads.
type Result struct {
	DateTime time.Time
	HasTime  bool
}

// IsZero reports whether no date was found.
func (r Result) IsZero() bool { return r.DateTime.IsZero() }

// ErrNotBuilt is what FromDocument returns: date guessing is not part of
// redline's build.
var ErrNotBuilt = errors.New("htmldate: date guessing is not built into redline (use trafilatura.Disabled)")

// FromDocument returns ErrNotBuilt.
func FromDocument(*html.Node, Options) (Result, error) {
	return Result{}, ErrNotBuilt
}
