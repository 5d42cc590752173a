package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"
)

// adaptiveSpec is the spec of the adaptive schedule.
const adaptiveSpec = "adaptive"

// parseOptions are the cron forms the package accepts: five fields, an
// optional leading seconds field, and descriptors.
const parseOptions = cron.SecondOptional | cron.Minute | cron.Hour |
	cron.Dom | cron.Month | cron.Dow | cron.Descriptor

// kind says which of the three schedules a Spec is. The zero kind is the
// zero Spec, which is no schedule at all.
type kind uint8

const (
	kindNone     kind = iota
	kindCron          // fields or a calendar descriptor: robfig/cron's SpecSchedule
	kindEvery         // @every <duration>, on a grid anchored at the Unix epoch
	kindAdaptive      // the spec "adaptive"
)

// Spec is a parsed schedule: a cron spec or the adaptive schedule. Get one
// from [Parse] or [ParseWith]; it is an immutable value, safe to copy and to
// share between goroutines.
//
// The zero Spec is not a schedule: its Next returns the zero Time and its
// Period zero.
type Spec struct {
	text     string
	kind     kind
	cron     *cron.SpecSchedule // kindCron; never mutated after parsing
	every    time.Duration      // kindEvery: whole seconds, ≥ 1s
	adaptive Adaptive           // kindAdaptive: bounds with defaults applied
}

// Parse parses spec with the default adaptive bounds; see [ParseWith].
func Parse(spec string) (Spec, error) {
	return ParseWith(spec, Adaptive{})
}

// ParseWith parses spec, which is one of:
//
//   - five cron fields, "minute hour day-of-month month day-of-week", or six
//     with a leading seconds field ("*/30 * * * * *");
//   - a descriptor: @yearly (= @annually), @monthly, @weekly, @daily
//     (= @midnight) or @hourly;
//   - "@every <duration>" with a Go duration of whole seconds, at least 1s;
//   - any of the above after a "CRON_TZ=Area/City " or "TZ=Area/City " prefix,
//     which reads the fields in that time zone (ignored by @every). Without a
//     prefix the fields are read in the location of the time given to Next;
//   - "adaptive", the age-driven schedule, clamped to the bounds in a.
//
// Leading and trailing blanks are ignored. a is used, and checked, only when
// spec is "adaptive"; its zero fields mean the defaults, 15m and 168h.
//
// Every error reads `invalid schedule "<spec>": <what is wrong>`.
func ParseWith(spec string, a Adaptive) (Spec, error) {
	text := strings.TrimSpace(spec)
	s, err := parse(text, a)
	if err != nil {
		return Spec{}, fmt.Errorf("invalid schedule %q: %w", text, err)
	}
	s.text = text
	return s, nil
}

func parse(text string, a Adaptive) (Spec, error) {
	if text == "" {
		return Spec{}, errors.New("empty spec")
	}
	if text == adaptiveSpec {
		a, err := a.withDefaults()
		if err != nil {
			return Spec{}, err
		}
		return Spec{kind: kindAdaptive, adaptive: a}, nil
	}

	// The time zone prefix is read here rather than by robfig/cron, which
	// panics on a prefix with nothing after it and reads an empty zone name
	// as UTC.
	var err error
	loc := time.Local
	body := text
	if rest, ok := cutTZ(text); ok {
		name, after := rest, ""
		if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
			name, after = rest[:i], rest[i:]
		}
		body = strings.TrimSpace(after)
		if name == "" {
			return Spec{}, errors.New("time zone prefix without a zone name")
		}
		if loc, err = time.LoadLocation(name); err != nil {
			return Spec{}, fmt.Errorf("time zone %q: %w", name, err)
		}
		if body == "" {
			return Spec{}, fmt.Errorf("nothing after time zone %q", name)
		}
		if body == adaptiveSpec {
			return Spec{}, errAdaptiveTZ
		}
	}

	if d, ok := strings.CutPrefix(body, "@every "); ok {
		return parseEvery(strings.TrimSpace(d))
	}
	sched, err := cron.NewParser(parseOptions).Parse(body)
	if err != nil {
		return Spec{}, err
	}
	if err := checkSteps(body); err != nil {
		return Spec{}, err
	}
	cs, ok := sched.(*cron.SpecSchedule)
	if !ok { // unreachable: @every is handled above
		return Spec{}, fmt.Errorf("unsupported schedule type %T", sched)
	}
	cs.Location = loc
	s := Spec{kind: kindCron, cron: cs}
	// A spec whose fields never meet ("0 0 30 2 *") would make every Next
	// the zero Time, i.e. always due. Any spec that fires at all fires
	// within 8 years of any date.
	if s.fire(time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return Spec{}, errors.New("never fires (no such date)")
	}
	return s, nil
}

func cutTZ(text string) (string, bool) {
	if rest, ok := strings.CutPrefix(text, "CRON_TZ="); ok {
		return rest, true
	}
	return strings.CutPrefix(text, "TZ=")
}

func parseEvery(s string) (Spec, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return Spec{}, fmt.Errorf("@every: %w", err)
	case d <= 0:
		return Spec{}, fmt.Errorf("@every %s: duration must be positive", s)
	case d < time.Second:
		return Spec{}, fmt.Errorf("@every %s: duration must be at least 1s", s)
	case d%time.Second != 0:
		return Spec{}, fmt.Errorf("@every %s: duration must be whole seconds", s)
	}
	return Spec{kind: kindEvery, every: d}, nil
}

// String returns the spec as given to Parse, without leading and trailing
// blanks.
func (s Spec) String() string { return s.text }

// IsAdaptive reports whether s is the adaptive schedule.
func (s Spec) IsAdaptive() bool { return s.kind == kindAdaptive }

// Next returns when the watch with id key is next due: the first due time
// strictly after now, in now's location. h is used by the adaptive schedule
// only.
//
// For cron specs the due times are the spec's firings, each delayed by the
// watch's jitter (see the package documentation); they form a sequence that
// depends on the spec and key only, so calling Next again from any time
// between two due times, or from a check that ran late, returns the same
// next due time: no slot is skipped or repeated. For the adaptive schedule
// it is now + interval(age) + jitter.
func (s Spec) Next(now time.Time, key int64, h History) time.Time {
	switch s.kind {
	case kindCron:
		return s.nextCron(now, key)
	case kindEvery:
		return s.nextEvery(now, key)
	case kindAdaptive:
		return s.nextAdaptive(now, key, h)
	}
	return time.Time{}
}

// Firing returns the spec's first firing strictly after now, without any
// jitter: the same time for every key, for windows that many watches share
// (a notification digest). For "@every d" the firings are the multiples of
// d since the Unix epoch. The adaptive schedule has no firings: the zero
// Time.
func (s Spec) Firing(now time.Time) time.Time {
	switch s.kind {
	case kindCron:
		return s.fire(now)
	case kindEvery:
		step := int64(s.every / time.Second)
		sec := now.Unix()
		q := sec / step
		if sec%step != 0 && sec < 0 {
			q--
		}
		return time.Unix((q+1)*step, 0).In(now.Location())
	}
	return time.Time{}
}

// Period returns the watch's normal gap between checks, before jitter: for
// cron specs the gap between the next two firings after now, for @every its
// duration, and for the adaptive schedule its upper bound (Adaptive.Max),
// the longest it waits, since the actual interval depends on the History
// that Next is given. It is meant as the cap of [Backoff].
func (s Spec) Period(now time.Time) time.Duration {
	switch s.kind {
	case kindCron:
		first := s.fire(now)
		second := s.fire(first)
		if first.IsZero() || second.IsZero() {
			return 0
		}
		return second.Sub(first)
	case kindEvery:
		return s.every
	case kindAdaptive:
		return s.adaptive.Max
	}
	return 0
}

// fire returns the cron spec's first firing strictly after t, or the zero
// Time if there is none. robfig/cron gives up after five years, which a
// February 29 spec can hit around 2100 (no leap day from 2097 to 2103), so
// the search goes on for a few more windows.
func (s Spec) fire(t time.Time) time.Time {
	for range 4 {
		if next := s.cron.Next(t); !next.IsZero() {
			return next
		}
		t = t.AddDate(5, 0, 0)
	}
	return time.Time{}
}
