package schedule

import (
	"errors"
	"fmt"
	"time"
)

// Bounds of the adaptive schedule used for zero Adaptive fields.
const (
	defaultAdaptiveMin = 15 * time.Minute
	defaultAdaptiveMax = 168 * time.Hour
)

// Adaptive bounds the interval of the adaptive schedule: the interval the
// age table gives is clamped into [Min, Max]. A zero field means its
// default, [defaultAdaptiveMin] or [defaultAdaptiveMax]. It is the config's
// `adaptive: {min: 30m, max: 24h}`, given to [ParseWith].
type Adaptive struct {
	Min time.Duration // shortest interval; at least 1s when set
	Max time.Duration // longest interval; at least Min
}

// withDefaults fills in the zero bounds and checks the result.
func (a Adaptive) withDefaults() (Adaptive, error) {
	if a.Min < 0 || a.Max < 0 {
		return a, fmt.Errorf("adaptive bounds min %s, max %s: must not be negative", a.Min, a.Max)
	}
	if a.Min == 0 {
		a.Min = defaultAdaptiveMin
	}
	if a.Max == 0 {
		a.Max = defaultAdaptiveMax
	}
	switch {
	case a.Min < time.Second:
		return a, fmt.Errorf("adaptive min %s: must be at least 1s", a.Min)
	case a.Min > a.Max:
		return a, fmt.Errorf("adaptive min %s is above max %s", a.Min, a.Max)
	}
	return a, nil
}

// errAdaptiveTZ is returned for "TZ=… adaptive": the adaptive schedule has
// no wall-clock fields for a zone to apply to.
var errAdaptiveTZ = errors.New("adaptive takes no time zone")

// History is what the adaptive schedule knows of a watch. Cron specs ignore
// it. A zero field means unknown or never.
type History struct {
	// FirstSeen is when the watch was added or its page first captured:
	// the page's birth when it gives no Published date.
	FirstSeen time.Time
	// Published is the article's own date, as extracted from the page:
	// when known, the page's birth, in place of FirstSeen (an article
	// from last year added today is not young).
	Published time.Time
	// LastChange is when the page was last edited: the newest revision
	// after the first capture, which is no edit.
	LastChange time.Time
}

// age returns how long the page has been still: now minus the later of
// its birth (Published, or FirstSeen when that is unknown) and LastChange.
// It is 0 when all are unknown (a new watch is checked as often as a new
// article) or when the later is after now.
func (h History) age(now time.Time) time.Duration {
	latest := h.Published
	if latest.IsZero() {
		latest = h.FirstSeen
	}
	if h.LastChange.After(latest) {
		latest = h.LastChange
	}
	if latest.IsZero() {
		return 0
	}
	return max(now.Sub(latest), 0)
}

// interval returns the adaptive schedule's gap for a page still for age:
// the age table of the package documentation, clamped into [a.Min, a.Max].
func (a Adaptive) interval(age time.Duration) time.Duration {
	var d time.Duration
	switch {
	case age < 3*time.Hour:
		d = 15 * time.Minute
	case age < 24*time.Hour:
		d = time.Hour
	case age < 7*24*time.Hour:
		d = 3 * time.Hour
	case age < 30*24*time.Hour:
		d = 24 * time.Hour
	default:
		d = 7 * 24 * time.Hour
	}
	return min(max(d, a.Min), a.Max)
}

// nextAdaptive returns now + interval + jitter(key, interval).
func (s Spec) nextAdaptive(now time.Time, key int64, h History) time.Time {
	d := s.adaptive.interval(h.age(now))
	return now.Add(d + jitter(key, d))
}
