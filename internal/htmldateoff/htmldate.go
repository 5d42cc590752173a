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

// Options are the options go-trafilatura passes to FromDocument; the
// fields are those of go-htmldate that go-trafilatura sets.
type Options struct {
	ExtractTime         bool
	UseOriginalDate     bool
	URL                 string
	MinDate             time.Time
	MaxDate             time.Time
	EnableLog           bool
	SkipExtensiveSearch bool
	DeferUrlExtractor   bool
}

// Result is a date found in a document.
type Result struct {
	DateTime    time.Time
	HasTime     bool
	HasTimezone bool
	SrcString   string
}

// IsZero reports whether no date was found.
func (r Result) IsZero() bool { return r.DateTime.IsZero() }

// Format formats the date with layout, or returns "" for no date.
func (r Result) Format(layout string) string {
	if r.IsZero() {
		return ""
	}
	return r.DateTime.Format(layout)
}

// ErrNotBuilt is what FromDocument returns: date guessing is not part of
// redline's build.
var ErrNotBuilt = errors.New("htmldate: date guessing is not built into redline (use trafilatura.Disabled)")

// FromDocument returns ErrNotBuilt.
func FromDocument(*html.Node, Options) (Result, error) {
	return Result{}, ErrNotBuilt
}
