// Package notify delivers redline's notifications: a Message (one event of
// one watch: a new revision, a change, a watch failing or recovering)
// through a Notifier (a webhook, a program, a chat service, an email), and
// the outbox dispatcher that drains the store's outbox through them,
// retrying until each delivery is made or given up.
//
// It does not decide who is told about what: the monitor applies the
// config's routes when it records a check, and writes the messages it
// wants sent into the outbox. Nor does it order deliveries: items are
// attempted roughly in the order they fall due, several at a time, and a
// retried one goes out after later ones.
//
// # Notifiers
//
// New builds a notifier from a Spec (the config's notifiers section); the
// types are listed once, in registry.go. A spec that could not work (no URL,
// a field its type does not use, a program that does not exist) is refused
// there, so a broken config fails at start-up. Each notifier's Send makes
// one attempt, bounded by the spec's Timeout (30s by default), and returns
// a Receipt of what the receiver answered (a status and the start of its
// answer, at most 1 KiB). The webhook and command notifiers are described
// below; for chat and push services through shoutrrr URLs and for email
// see shoutrrr.go and email.go, and template.go for the text templates
// they render a Message with.
//
// # The outbox and its guarantees
//
// A check that records a revision or a health event writes, in the same
// database transaction, one outbox row per delivery it asks for (see
// store.CheckResult.Notify): the message as the monitor built it, the
// notifier's name and an idempotency key, "<watch id>-<event>-<revision
// sequence or event id>-<notifier>". So a delivery exists if and only if
// the revision or event it is about was recorded: a crash loses neither,
// nor invents one.
//
// The Dispatcher claims due rows under a lease, attempts each and records
// the attempt. Delivery is at least once: an attempt whose outcome is lost
// (a crash after the receiver accepted it and before the row was updated,
// a receiver that accepted it but answered too late, a lease that ran out
// while the attempt hung and another dispatcher took the row over) is made
// again. Every attempt at one delivery carries the same key, in the
// message's "delivery" field and the Redline-Delivery header, and no other
// delivery has it: a receiver that remembers the keys it accepted and
// acknowledges a repeated one without acting on it again sees each
// message exactly once. `redline outbox retry` sends a delivery again
// under its key too.
//
// # Digests
//
// A route with a digest schedule writes its deliveries with a group, the
// route's notifier and the schedule's next firing ("digest/<notifier>/<unix
// time>"), due at that firing (after quiet hours, if the route has some).
// The store claims a group's due items together, and the dispatcher sends
// them as one EventDigest message whose Changes are the items' messages,
// oldest first, each with its own delivery key, and records the outcome on
// every item: a failed digest is retried whole, at one time. Its own
// delivery key names the notifier and the items ("digest-<notifier>-<hash
// of their keys>"), so a repeated attempt carries the same key; should an
// item join the group after a failed attempt (a check that committed just
// after the window closed), the digest that includes it has a new key, and
// a receiver sees those changes again rather than missing one. Chat and
// email notifiers render a digest as "redline digest: <summary>" followed
// by each change as it would have been sent alone (a custom template is
// applied to each change), cut at change boundaries when too long, with
// "… N more changes"; the webhook posts it as JSON.
//
// # Retry policy
//
// A failed attempt (an error, a non-2xx answer, no answer within the
// timeout, a notifier name the config no longer declares) is retried after
// a backoff: after the n-th failure, d = min(MaxBackoff, MinBackoff·2^(n−1))
// (30s, 1m, 2m, … up to 1h by default) and the wait is drawn uniformly
// from [d/2, d], so that the deliveries a receiver's outage failed together
// do not come back together. The delivery is given up (dead) when that
// failure was its MaxAttempts-th (10 by default) or when it is MaxAge old
// (72h by default, counted from the check that wrote it); a payload that is
// not a Message is dead at once. Dead deliveries stay in the outbox, listed
// by `redline outbox`, until `redline outbox retry` revives them.
//
// Run is the daemon's loop: it claims what is due, attempts it on a fixed
// pool of Workers, sleeps until the next item falls due (a minute at most,
// to see items other processes wrote) or until Wake is called, and on
// shutdown lets the attempts in flight finish. Drain is `redline check`'s:
// one attempt at everything due when it starts. An attempt is cut off at
// four fifths of the lease, which must therefore exceed the notifiers'
// timeouts (NewDispatcher checks those it knows); several dispatchers may
// share one database, each item being claimed by one at a time.
//
// # Webhooks
//
// A webhook notifier POSTs each message to its URL as compact JSON
// (Content-Type: application/json), documented by webhook.schema.json
// (JSON Schema, draft 2020-12; version 1: new fields may be added,
// receivers ignore the ones they do not know). Each request carries:
//
//	User-Agent: redline
//	Redline-Event: <the message's event: new, changed, failing, recovered or test>
//	Redline-Delivery: <the message's idempotency key>
//	Redline-Timestamp: <the time of sending, in Unix seconds>
//	Redline-Signature: t=<Unix seconds>,v1=<hex HMAC-SHA256>   (when a secret is set)
//
// and the headers the config gives, which may not be any of these, nor
// Host, Content-Length, Transfer-Encoding, Connection, Accept-Encoding or
// another Redline-* name. A 2xx answer is success. Redirects are not
// followed (a 3xx is a failure naming its Location: configure the final
// URL); any other status is a failure whose error gives the status and the
// start of the answer; so is no answer within the timeout. At most 4 KiB of
// an answer is read.
//
// # Verifying a webhook's signature
//
// With a secret configured, v1 is the HMAC-SHA256, keyed by the secret,
// of the bytes "<t>.<body>": the decimal Unix time of the t= part, a full
// stop, and the request body exactly as received. A receiver:
//
//  1. reads the raw body, before parsing it;
//  2. splits Redline-Signature on ',' into key=value parts and takes t and
//     every v1 (there may be several while a secret is being changed;
//     unknown keys are other schemes and are ignored);
//  3. refuses the request unless t is within its tolerance of its own
//     clock, either way; we recommend 5 minutes (SignatureTolerance), to
//     absorb clock skew while keeping a captured request from being
//     replayed later;
//  4. computes the HMAC of "<t>.<body>" and compares it with each v1 in
//     constant time (hmac.Equal), accepting when one matches;
//  5. then deduplicates on Redline-Delivery.
//
// In Go, VerifySignature does steps 2 to 4:
//
//	func hook(w http.ResponseWriter, r *http.Request) {
//		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//		if err != nil {
//			http.Error(w, "bad body", http.StatusBadRequest)
//			return
//		}
//		err = notify.VerifySignature(secret, r.Header.Get("Redline-Signature"), body, time.Now(), 5*time.Minute)
//		if err != nil {
//			http.Error(w, "bad signature", http.StatusUnauthorized)
//			return
//		}
//		if seen(r.Header.Get("Redline-Delivery")) {
//			w.WriteHeader(http.StatusOK) // delivered before: acknowledge, do nothing
//			return
//		}
//		var m notify.Message
//		if err := json.Unmarshal(body, &m); err != nil { … }
//		…
//	}
//
// # Commands
//
// A command notifier runs a program (its first word: a path, or a name
// looked up in PATH) with the arguments the config gives, without a shell,
// for each message: the message's JSON, as a webhook would post it, on its
// standard input, and REDLINE_EVENT and REDLINE_DELIVERY added to
// redline's environment. Exit status 0 is success; any other is a failure
// whose Receipt carries the status and the start of the program's standard
// error. The program runs in a process group of its own, killed whole at
// the timeout, so that what it started does not outlive the attempt.
package notify
