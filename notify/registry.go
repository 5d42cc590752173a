package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Spec declares one notifier, as the config's notifiers section does; the
// fields a type does not use must be empty (New says which).
type Spec struct {
	// Name is the notifier's name in the config, used by routes and kept
	// in the outbox.
	Name string
	// Type is one of Types().
	Type string
	// URL is the webhook's endpoint, the shoutrrr service URL, or the
	// SMTP server of an email notifier (smtp://user:password@host:port,
	// smtps:// for implicit TLS).
	URL string
	// Secret signs webhook deliveries (see the Redline-Signature header).
	Secret string
	// Headers are sent with every webhook request.
	Headers map[string]string
	// Command is the program and its arguments of a command notifier.
	Command []string
	// From and To are an email notifier's sender and recipients.
	From string
	To   []string
	// Template, when set, replaces the default message template of a
	// shoutrrr or email notifier (Go text/template over a Message; see
	// the package documentation); for email, the text part.
	Template string
	// HTMLTemplate, when set, replaces the HTML part of an email
	// notifier's messages (Go html/template; see email.go for its data).
	HTMLTemplate string
	// Timeout bounds one delivery attempt; 0 means 30 seconds.
	Timeout time.Duration
	// BaseURL, when set, is where redline's web interface is reached;
	// messages link to revisions under it.
	BaseURL string
}

// providers lists every notifier type and its constructor.
var providers = map[string]func(Spec) (Notifier, error){
	"webhook":  newWebhook,
	"shoutrrr": newShoutrrr,
	"email":    newEmail,
	"command":  newCommand,
}

// Types returns the notifier types New knows, sorted.
func Types() []string {
	out := make([]string, 0, len(providers))
	for t := range providers {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// New returns the notifier spec declares, or an error naming what is wrong
// with it (an unknown type, a missing or malformed URL, a field the type
// does not use).
func New(spec Spec) (Notifier, error) {
	mk, ok := providers[spec.Type]
	if !ok {
		return nil, fmt.Errorf("notifier %s: unknown type %q (known: %s)", spec.Name, spec.Type, strings.Join(Types(), ", "))
	}
	n, err := mk(spec)
	if err != nil {
		return nil, fmt.Errorf("notifier %s: %w", spec.Name, err)
	}
	return n, nil
}

// timeout returns spec's attempt timeout.
func (s Spec) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 30 * time.Second
}
