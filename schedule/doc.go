// Package schedule computes when a watch is next due.
//
// Its one job is to turn a watch's schedule spec into due times: [Parse]
// reads the spec (a cron spec or "adaptive"), [Spec.Next] returns the first
// due time strictly after a given moment, [Spec.Period] the watch's normal
// gap between checks, and [Backoff] how long a failing watch waits before
// its retry. It is pure: no I/O, no goroutines, no clock (now is always an
// argument), no package state. A [Spec] is an immutable value, safe to copy
// and share; equal inputs give equal outputs on every run and machine.
//
// # Specs
//
// Cron specs are parsed by github.com/robfig/cron/v3:
//
//	0 9 * * 1-5                      five fields: minute hour dom month dow
//	*/30 * * * * *                   six: a leading seconds field
//	@hourly @daily @midnight @weekly @monthly @yearly @annually
//	@every 30m                       a Go duration, whole seconds, ≥ 1s
//	CRON_TZ=Europe/Paris 0 9 * * *   fields read in that zone (also TZ=)
//	adaptive                         see below
//
// Without a zone prefix the fields are read in the location of the time
// given to Next (the daemon passes time.Now(), so local time). A step above
// its field's largest value ("*/61") is rejected, as is a spec that never
// fires ("0 0 30 2 *"); robfig/cron would accept both. Errors read
// `invalid schedule "*/61 * * * *": step (61) above maximum (59): */61`,
// for the config package to prefix with the file position and watch name.
//
// # Jitter
//
// So that a hundred watches on @hourly do not all fetch at :00, each watch
// is delayed by a jitter that depends only on its id (key) and its period:
//
//	j = splitmix64(key) mod min(period/4, 15m), in whole seconds
//
// so j lies in [0, min(period/4, 15m)). All @hourly watches spread over the
// first 15 minutes of the hour, each always at the same offset; a watch on
// "*/4 * * * *" is at most 59s late. The due times of a cron spec are its
// firings, each delayed by j, where period is the gap from that firing to
// the next one; for a regular spec (all descriptors, daily or hourly fields,
// DST days included, since a 23h or 25h day still caps j at 15m) j is the
// same at every firing and Next(now) = cron.Next(now − j) + j.
//
// The due times are thus a fixed increasing sequence d₀ < d₁ < … that
// depends only on the spec and the key (j is under a quarter of the gap, so
// jitter never reorders firings), and Next(now) is the first dₖ after now.
// This is why a daemon that computes the next due time from the time of the
// check it just did neither skips nor repeats a slot: a check that ran at
// dₖ, or late at dₖ + δ for any δ < dₖ₊₁ − dₖ, gets dₖ₊₁, never dₖ again
// and never dₖ₊₂; a process restarted anywhere between dₖ and dₖ₊₁ computes
// the same dₖ₊₁. A check so late that it passes dₖ₊₁ is not caught up twice:
// Next gives the first due time after it.
//
// robfig/cron counts @every from the time it is given, which would cancel
// the jitter and let late checks drift; here @every d fires instead at the
// multiples of d since the Unix epoch (so @every 30m at :00 and :30 UTC),
// plus the jitter for period d, a fixed sequence like any cron spec's.
//
// # Time zones and daylight saving time
//
// Firings follow robfig/cron, which this package does not correct:
//
//   - On the spring-forward day, a time in the skipped hour does not exist
//     and a daily spec at that time (02:30 in Europe/Paris) does not fire
//     that day at all: its next firing is the following day's.
//   - On the fall-back day, a daily spec at a time in the repeated hour fires
//     twice, an hour apart (02:30 CEST, then 02:30 CET): two distinct
//     instants, each with the same jitter, so Next returns each once, in
//     order, and never the same instant twice; the watch is checked twice
//     that day. Hourly specs fire at every real hour (25 firings that day).
//
// # The adaptive schedule
//
// The spec "adaptive" checks an article often while it is young or changing
// and less as it ages and stays still. Its age is now minus the later of
// its birth and its last edit ([History]'s LastChange); the birth is the
// article's Published date, or FirstSeen when the page gives none (0 if
// all are unknown or the later is in the future). Its interval:
//
//	age < 3h     every 15m
//	age < 24h    every 1h
//	age < 7d     every 3h
//	age < 30d    every 24h
//	older        every 168h (7 days)
//
// clamped into [Adaptive.Min, Adaptive.Max] (15m and 168h unless set with
// [ParseWith]). Next is now + interval + j, with the jitter j above for
// period interval. History is ignored by cron specs.
//
// # What it does not do
//
// It stores nothing and remembers nothing: the caller keeps each watch's
// next due time, or the time of its last check to recompute it from. It has
// no timers and does not decide when to run a check; it does not know which
// watches exist, count failures or fetch pages. A Spec from Parse never
// yields the zero Time; the zero Spec is no schedule and yields only zeros.
package schedule
