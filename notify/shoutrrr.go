package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/matrix"
	"github.com/nicholas-fedor/shoutrrr/pkg/types"
	"github.com/nicholas-fedor/shoutrrr/pkg/util/jsonclient"
)

// shoutrrrLimits are the largest messages the services accept, by shoutrrr
// service name; a message is cut to fit (see renderer.renderLimited).
// Services not listed get defaultShoutrrrLimit.
var shoutrrrLimits = map[string]sizeLimit{
	// "content: message contents (up to 2000 characters)":
	// https://discord.com/developers/docs/resources/message#create-message
	"discord": {runes: 2000},
	// "Text of the message to be sent, 1-4096 characters after entities
	// parsing"; Telegram counts UTF-16 code units:
	// https://core.telegram.org/bots/api#sendmessage
	"telegram": {runes: 4096, utf16: true},
	// Slack truncates messages longer than 40,000 characters
	// (https://api.slack.com/methods/chat.postMessage#truncating); a section
	// block holds 3000, but shoutrrr sends plain text.
	"slack": {runes: 40000},
	// "The message size limit is 28 KB", the card's JSON included
	// (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook);
	// users found the text alone fails past about 20,800 characters
	// (github.com/atc0005/go-teams-notify issue 59), hence 20,000 bytes.
	"teams": {bytes: 20000},
	// Google documents 32,000 bytes for a whole message, text and cards
	// (https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create);
	// 4096 characters stay well within it in any script.
	"googlechat": {runes: 4096},
	"hangouts":   {runes: 4096},
	// Mattermost 5.0+ accepts posts up to 16383 runes
	// (model.PostMessageMaxRunesV2).
	"mattermost": {runes: 16383},
	// Rocket.Chat's Message_MaxAllowedSize setting defaults to 5000
	// characters.
	"rocketchat": {runes: 5000},
	// "The complete event MUST NOT be larger than 65536 bytes", JSON and
	// formatting included (https://spec.matrix.org/latest/client-server-api/#size-limits);
	// half of it is safe.
	"matrix": {bytes: 30000},
	// ntfy turns a message body over 4096 bytes into an attachment
	// (https://docs.ntfy.sh/publish/#limitations).
	"ntfy": {bytes: 4096},
	// Gotify documents no limit; 65535 is safe.
	"gotify": {runes: 65535},
	// "Messages are currently limited to 1024 4-byte UTF-8 characters":
	// https://pushover.net/api#limits
	"pushover": {runes: 1024},
	// Pushbullet documents no limit; 4096 is what its apps show in full.
	"pushbullet": {runes: 4096},
	// Our own HTTP endpoints and mail servers: no limit but a sane one.
	"generic": {runes: 65535},
	"smtp":    {runes: 65535},
	"logger":  {runes: 65535},
}

// defaultShoutrrrLimit is the limit of a service shoutrrrLimits does not
// list: a size every chat service we know accepts.
var defaultShoutrrrLimit = sizeLimit{runes: 4096}

// shoutrrrNotifier sends messages as text through a shoutrrr service.
type shoutrrrNotifier struct {
	name    string
	service string // shoutrrr's service name, e.g. "telegram"
	limit   sizeLimit
	tmpl    *renderer
	timeout time.Duration
	redact  func(string) string

	// sem holds one token while a send is under way; it guards svc,
	// which shoutrrr does not make safe for concurrent sends, and lets a
	// send whose context ended leave the library's call behind.
	sem       chan struct{}
	svc       types.Service // nil until the first send for lazyInit services
	configURL *url.URL
}

// lazyInit lists the services whose initialisation does network I/O (a
// Matrix login with user and password), with a check of their URL that
// does none: they are initialised on their first send instead, so that
// construction stays offline.
var lazyInit = map[string]func(*url.URL) error{
	"matrix": func(u *url.URL) error { return (&matrix.Config{}).SetURL(u) },
}

// newShoutrrr returns a notifier sending through the shoutrrr service
// spec.URL names (https://github.com/nicholas-fedor/shoutrrr: discord://,
// telegram://, slack://, ntfy://, generic+https://…). The URL is parsed and
// checked now; errors name the service and never show the URL's secrets.
func newShoutrrr(spec Spec) (Notifier, error) {
	switch {
	case spec.URL == "":
		return nil, errors.New("shoutrrr: url is required (a shoutrrr service URL such as telegram://token@telegram?chats=@channel)")
	case spec.Secret != "":
		return nil, errors.New("shoutrrr: secret is not used by the shoutrrr type (put credentials in the URL)")
	case len(spec.Headers) > 0:
		return nil, errors.New("shoutrrr: headers are not used by the shoutrrr type (generic:// takes them as @Name=value URL parameters)")
	case len(spec.Command) > 0:
		return nil, errors.New("shoutrrr: command is not used by the shoutrrr type")
	case spec.From != "" || len(spec.To) > 0:
		return nil, errors.New("shoutrrr: from and to are not used by the shoutrrr type (use the email type, or put them in an smtp:// URL)")
	case spec.HTMLTemplate != "":
		return nil, errors.New("shoutrrr: html_template is not used by the shoutrrr type (only the email type sends an HTML part; template sets the message's text)")
	}
	redact := urlRedactor(spec.URL)
	u, err := url.Parse(spec.URL)
	if err != nil {
		return nil, fmt.Errorf("shoutrrr: url (%s://…) does not parse: %s", schemeOf(spec.URL), redact(err.Error()))
	}
	scheme := strings.ToLower(u.Scheme)
	service, _, _ := strings.Cut(scheme, "+")
	if service == "" {
		return nil, errors.New("shoutrrr: url has no scheme: it must start with the service's name, e.g. telegram://")
	}
	var sr router.ServiceRouter
	svc, err := sr.NewService(service)
	if err != nil {
		known := sr.ListServices()
		slices.Sort(known)
		return nil, fmt.Errorf("shoutrrr: unknown service %q in the url's scheme (known: %s)", service, strings.Join(known, ", "))
	}
	configURL := u
	if scheme != service {
		custom, ok := svc.(types.CustomURLService)
		if !ok {
			return nil, fmt.Errorf("shoutrrr: service %q takes no %s:// url", service, scheme)
		}
		if configURL, err = custom.GetConfigURLFromCustom(u); err != nil {
			return nil, fmt.Errorf("shoutrrr: %s url: %s", scheme, redact(err.Error()))
		}
	}
	n := &shoutrrrNotifier{
		name:      spec.Name,
		service:   service,
		limit:     defaultShoutrrrLimit,
		timeout:   spec.timeout(),
		redact:    redact,
		sem:       make(chan struct{}, 1),
		configURL: configURL,
	}
	if l, ok := shoutrrrLimits[service]; ok {
		n.limit = l
	}
	if check, ok := lazyInit[service]; ok {
		err = check(configURL)
	} else {
		err = initService(svc, configURL)
		n.svc = svc
	}
	if err != nil {
		return nil, fmt.Errorf("shoutrrr: %s url: %s", service, redact(err.Error()))
	}
	if n.tmpl, err = newRenderer(spec.Template); err != nil {
		return nil, fmt.Errorf("shoutrrr: %w", err)
	}
	return n, nil
}

// initService initialises svc from u, turning a panic of the library into
// an error.
func initService(svc types.Service, u *url.URL) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the service failed to read its url (%v)", p)
		}
	}()
	return svc.Initialize(u, nil)
}

// shoutrrrResult is what one call of the library gave.
type shoutrrrResult struct {
	err error
	log string // what the service logged meanwhile (e.g. the server's answer)
}

// Send renders m within the service's size limit and sends it. shoutrrr's
// services take no context: when ctx ends (or the notifier's timeout
// passes) first, Send returns ctx's error and the library's call, bounded
// by the service's own HTTP timeout, finishes in the background (and may
// still deliver the message, so a retry can deliver it twice); the next
// Send waits for it.
func (n *shoutrrrNotifier) Send(ctx context.Context, m Message) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, fmt.Errorf("shoutrrr %s: %s: %w", n.name, n.service, err)
	}
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	text, err := n.tmpl.renderLimited(m, n.limit)
	if err != nil {
		return Receipt{}, fmt.Errorf("shoutrrr %s: render: %w", n.name, err)
	}
	select {
	case n.sem <- struct{}{}:
	case <-ctx.Done():
		return Receipt{}, fmt.Errorf("shoutrrr %s: %s: waiting for the previous send: %w", n.name, n.service, ctx.Err())
	}
	done := make(chan shoutrrrResult, 1)
	go func() {
		defer func() { <-n.sem }()
		done <- n.send(text)
	}()
	var res shoutrrrResult
	select {
	case res = <-done:
	case <-ctx.Done():
		return Receipt{}, fmt.Errorf("shoutrrr %s: %s: %w", n.name, n.service, ctx.Err())
	}
	body := strings.TrimSpace(strings.TrimPrefix(res.log, "Server response: "))
	if res.err == nil {
		return Receipt{Body: clipReceiptBody(n.redact(body))}, nil
	}
	r := Receipt{Status: shoutrrrStatus(res.err), Body: body}
	var je jsonclient.Error
	if errors.As(res.err, &je) {
		r.Status, r.Body = je.StatusCode, je.Body
	}
	r.Body = clipReceiptBody(n.redact(r.Body))
	return r, fmt.Errorf("shoutrrr %s: %s: %s", n.name, n.service, n.redact(res.err.Error()))
}

// send calls the library; it runs holding n.sem.
func (n *shoutrrrNotifier) send(text string) (res shoutrrrResult) {
	log := &shoutrrrLog{}
	defer func() {
		if p := recover(); p != nil {
			res.err = fmt.Errorf("the service failed (%v)", p)
		}
		res.log = log.String()
	}()
	if n.svc == nil {
		svc, err := (&router.ServiceRouter{}).NewService(n.service)
		if err == nil {
			err = initService(svc, n.configURL)
		}
		if err != nil {
			return shoutrrrResult{err: fmt.Errorf("initialise: %w", err)}
		}
		n.svc = svc
	}
	n.svc.SetLogger(log)
	defer n.svc.SetLogger(nil)
	return shoutrrrResult{err: n.svc.Send(text, &types.Params{})}
}

// shoutrrrLog collects what a service logs during one send, up to 4 KiB.
type shoutrrrLog struct{ b strings.Builder }

func (l *shoutrrrLog) write(s string) {
	if l.b.Len() >= 4096 {
		return
	}
	if l.b.Len() > 0 {
		l.b.WriteByte('\n')
	}
	l.b.WriteString(strings.TrimRight(s, "\n"))
}

// Print, Printf and Println make shoutrrrLog a shoutrrr types.StdLogger.
func (l *shoutrrrLog) Print(v ...any)                 { l.write(fmt.Sprint(v...)) }
func (l *shoutrrrLog) Printf(format string, v ...any) { l.write(fmt.Sprintf(format, v...)) }
func (l *shoutrrrLog) Println(v ...any)               { l.write(fmt.Sprintln(v...)) }
func (l *shoutrrrLog) String() string                 { return l.b.String() }

// shoutrrrStatusRE finds an HTTP status in the text of a shoutrrr error:
// the library formats it as the response's Status ("500 Internal Server
// Error") or as "status code: 500", "HTTP 500"…, and exposes it no other way
// (but in jsonclient.Error).
var shoutrrrStatusRE = regexp.MustCompile(`\b([1-5][0-9]{2}) [A-Z][a-z]|(?i:status(?: code)?|HTTP)[ :]*([1-5][0-9]{2})\b`)

// shoutrrrStatus returns the HTTP status err reports, 0 when none.
func shoutrrrStatus(err error) int {
	m := shoutrrrStatusRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	s := m[1]
	if s == "" {
		s = m[2]
	}
	code, _ := strconv.Atoi(s)
	return code
}

// clipReceiptBody returns the start of s, at most 1 KiB, valid UTF-8.
func clipReceiptBody(s string) string {
	const maxBody = 1024
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxBody {
		return s
	}
	cut := maxBody
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// redacted replaces a secret in error messages.
const redacted = "[redacted]"

// schemeOf returns what precedes "://" in rawURL, if it looks like a
// scheme, else "?".
func schemeOf(rawURL string) string {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok || scheme == "" || strings.IndexFunc(scheme, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '+' && r != '-' && r != '.'
	}) >= 0 {
		return "?"
	}
	return scheme
}

// urlRedactor returns a function that replaces, in a text, every part of
// rawURL that may be a secret with "[redacted]": the user name and password,
// the host unless it is a domain name, an IP address, localhost or a service
// name (Discord's webhook ID and Pushover's user key are hosts), every path
// segment, every query value, and the fragment, as written and decoded. A
// URL that does not parse has every part after its scheme redacted. Parts of
// three characters or fewer are left alone: they would garble the text and
// hide nothing.
func urlRedactor(rawURL string) func(string) string {
	var parts []string
	add := func(ss ...string) {
		for _, s := range ss {
			parts = append(parts, s)
			if p, err := url.PathUnescape(s); err == nil {
				parts = append(parts, p)
			}
			if q, err := url.QueryUnescape(s); err == nil {
				parts = append(parts, q)
			}
			parts = append(parts, url.PathEscape(s), url.QueryEscape(s))
		}
	}
	scheme := schemeOf(rawURL)
	rest := strings.TrimPrefix(rawURL, scheme+"://")
	add(rest)
	u, err := url.Parse(rawURL)
	if err != nil {
		add(strings.FieldsFunc(rest, func(r rune) bool { return strings.ContainsRune(":/@?&=#,; ", r) })...)
	} else {
		if u.User != nil {
			add(u.User.Username())
			if p, ok := u.User.Password(); ok {
				add(p)
			}
			add(u.User.String())
		}
		if h := u.Hostname(); h != "" && !publicHost(h) {
			add(h)
		}
		add(strings.Split(u.EscapedPath(), "/")...)
		add(strings.Split(u.Path, "/")...)
		for _, vs := range u.Query() {
			for _, v := range vs {
				add(v)
				add(strings.Fields(v)...)
			}
		}
		add(u.RawQuery, u.Fragment)
	}
	keep := map[string]bool{}
	for _, s := range (&router.ServiceRouter{}).ListServices() {
		keep[s] = true
	}
	seen := map[string]bool{}
	var olds []string
	for _, p := range parts {
		if len(p) < 4 || keep[strings.ToLower(p)] || seen[p] {
			continue
		}
		seen[p] = true
		olds = append(olds, p)
	}
	// Longest first: strings.Replacer tries the olds in argument order.
	slices.SortStableFunc(olds, func(a, b string) int { return len(b) - len(a) })
	args := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		args = append(args, o, redacted)
	}
	r := strings.NewReplacer(args...)
	return r.Replace
}

// publicHost reports whether h names a host rather than carrying a secret:
// a domain name, an IP address or localhost.
func publicHost(h string) bool {
	return strings.Contains(h, ".") || net.ParseIP(h) != nil || strings.EqualFold(h, "localhost")
}

var _ Notifier = (*shoutrrrNotifier)(nil)
