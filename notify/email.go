package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redlinehq/redline/diff"
)

// emailNotifier sends messages by mail, through one SMTP server, as a
// multipart/alternative message: the template's text, and an HTML rendering
// of the change with its words struck out and inserted (emailHTML, or the
// custom HTML template's: see htmlTemplateData).
type emailNotifier struct {
	name        string
	addr        string // host:port
	host        string
	implicitTLS bool // smtps://: TLS from the start; else STARTTLS when offered
	user        string
	password    string
	from        *mail.Address
	to          []*mail.Address
	tmpl        *renderer
	html        *template.Template // Spec.HTMLTemplate; nil: emailHTML
	timeout     time.Duration

	// tlsConfig, when set, is used (cloned) instead of the default TLS
	// configuration: tests trust their own certificate with it.
	tlsConfig *tls.Config
	// now is the clock for the Date header.
	now func() time.Time
}

// newEmail returns a notifier sending mail from spec.From to spec.To
// through the SMTP server of spec.URL: smtp://[user:password@]host[:port]
// (port 587 by default; STARTTLS when the server offers it) or
// smtps://[user:password@]host[:port] (TLS from the start; port 465 by
// default). With a user, it authenticates with AUTH PLAIN, which net/smtp
// allows only over TLS or to localhost. spec.Template, when set, replaces the
// template of the text part. spec.HTMLTemplate, when set, replaces the HTML
// part (emailHTML's): a Go html/template executed on an htmlTemplateData (the
// Message's fields, plus HTMLDiff, its changed paragraphs pre-rendered as
// HTML, and for a digest Changes, each change so); see htmlTemplateData for
// the data and htmlTemplateFuncs for the functions. Either template is tried
// on a sample message of every event, a digest included, so that one that
// does not parse or fails on a sample is refused here.
func newEmail(spec Spec) (Notifier, error) {
	switch {
	case spec.URL == "":
		return nil, errors.New("email: url is required (smtp://user:password@host:port or smtps://…)")
	case spec.Secret != "":
		return nil, errors.New("email: secret is not used by the email type (put the password in the url)")
	case len(spec.Headers) > 0:
		return nil, errors.New("email: headers are not used by the email type")
	case len(spec.Command) > 0:
		return nil, errors.New("email: command is not used by the email type")
	}
	u, err := url.Parse(spec.URL)
	if err != nil {
		return nil, fmt.Errorf("email: url does not parse: %s", urlRedactor(spec.URL)(err.Error()))
	}
	n := &emailNotifier{name: spec.Name, timeout: spec.timeout(), now: time.Now}
	port := ""
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		port = "587"
	case "smtps":
		port, n.implicitTLS = "465", true
	default:
		return nil, fmt.Errorf("email: url %s: scheme must be smtp or smtps", u.Redacted())
	}
	n.host = u.Hostname()
	if n.host == "" {
		return nil, fmt.Errorf("email: url %s: no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if v, err := strconv.Atoi(p); err != nil || v < 1 || v > 65535 {
			return nil, fmt.Errorf("email: url %s: bad port %q", u.Redacted(), p)
		}
		port = p
	}
	n.addr = net.JoinHostPort(n.host, port)
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("email: url %s: takes no path, parameters or fragment", u.Redacted())
	}
	if u.User != nil {
		n.user = u.User.Username()
		n.password, _ = u.User.Password()
		if n.user == "" {
			return nil, fmt.Errorf("email: url %s: a password needs a user name", u.Redacted())
		}
	}
	if spec.From == "" {
		return nil, errors.New("email: from is required")
	}
	if n.from, err = mail.ParseAddress(spec.From); err != nil {
		return nil, fmt.Errorf("email: from %q: %w", spec.From, err)
	}
	if len(spec.To) == 0 {
		return nil, errors.New("email: to needs at least one address")
	}
	for _, t := range spec.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, fmt.Errorf("email: to %q: %w", t, err)
		}
		n.to = append(n.to, a)
	}
	if n.tmpl, err = newRenderer(spec.Template); err != nil {
		return nil, fmt.Errorf("email: %w", err)
	}
	if spec.HTMLTemplate != "" {
		if n.html, err = newHTMLTemplate(spec.HTMLTemplate); err != nil {
			return nil, fmt.Errorf("email: %w", err)
		}
	}
	return n, nil
}

// Send composes the mail for m and delivers it to the SMTP server. An
// answer of the server that refuses it is an error whose Receipt holds the
// SMTP code (e.g. 550) and the server's text.
func (n *emailNotifier) Send(ctx context.Context, m Message) (Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	msg, err := n.compose(m)
	if err != nil {
		return Receipt{}, fmt.Errorf("email %s: %w", n.name, err)
	}
	if err := n.deliver(ctx, msg); err != nil {
		var r Receipt
		var te *textproto.Error
		if errors.As(err, &te) {
			r = Receipt{Status: te.Code, Body: clipReceiptBody(te.Msg)}
		}
		var ne net.Error
		switch {
		case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		case ctx.Err() == nil && errors.As(err, &ne) && ne.Timeout():
			// The connection's deadline, ctx's, passed a moment before
			// ctx's own timer fired.
			if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
				err = fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
			}
		}
		return r, fmt.Errorf("email %s: smtp %s: %w", n.name, n.addr, err)
	}
	return Receipt{Status: 250}, nil
}

// deliver sends msg through one SMTP session, within ctx.
func (n *emailNotifier) deliver(ctx context.Context, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", n.addr)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	// Cancelling ctx interrupts whatever read or write is under way.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if n.implicitTLS {
		tc := tls.Client(conn, n.tlsClientConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("tls: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, n.host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer func() { _ = c.Close() }()
	if !n.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(n.tlsClientConfig()); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if n.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("AUTH: the server offers no authentication, but the url has a user")
		}
		if err := c.Auth(smtp.PlainAuth("", n.user, n.password, n.host)); err != nil {
			return fmt.Errorf("AUTH as %s: %w", n.user, err)
		}
	}
	if err := c.Mail(n.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM <%s>: %w", n.from.Address, err)
	}
	for _, t := range n.to {
		if err := c.Rcpt(t.Address); err != nil {
			return fmt.Errorf("RCPT TO <%s>: %w", t.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	// The server has accepted the message; a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// tlsClientConfig returns the TLS configuration for the server.
func (n *emailNotifier) tlsClientConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if n.tlsConfig != nil {
		cfg = n.tlsConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = n.host
	}
	return cfg
}

// compose returns the whole mail for m: headers, then a
// multipart/alternative body with a text/plain part (the template's text)
// and a text/html part (emailHTML, or the custom HTML template's), both
// UTF-8 in quoted-printable.
func (n *emailNotifier) compose(m Message) ([]byte, error) {
	text, err := n.tmpl.render(m)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	var html string
	if n.html != nil {
		html, err = renderHTMLTemplate(n.html, m)
	} else {
		html, err = emailHTML(m)
	}
	if err != nil {
		return nil, fmt.Errorf("render html: %w", err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ typ, content string }{
		{"text/plain; charset=utf-8", text},
		{"text/html; charset=utf-8", html},
	} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write([]byte(p.content)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}

	to := make([]string, len(n.to))
	for i, a := range n.to {
		to[i] = a.String()
	}
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name + ": " + value + "\r\n")
	}
	header("From", n.from.String())
	header("To", strings.Join(to, ",\r\n "))
	header("Subject", encodeHeader(emailSubject(m)))
	header("Date", n.now().Format(time.RFC1123Z))
	header("Message-ID", messageID(m))
	header("MIME-Version", "1.0")
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	header("X-Redline-Delivery", encodeHeader(m.Delivery))
	header("X-Redline-Event", encodeHeader(m.Event))
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// emailSubject is the mail's subject: "<watch>: <what happened>", e.g.
// "Le Monde: silent edit: the body changed and no date moved"; for a digest,
// "redline digest: <summary>", e.g. "redline digest: 3 changes on 2 watches".
func emailSubject(m Message) string {
	s := cmp.Or(m.Watch.Name, m.Watch.URL) + ": " + messageHeadline(m)
	if m.Event == EventDigest {
		s = digestHeader(m)
	}
	return truncateWords(200, s)
}

// encodeHeader makes s a header value: one line, RFC 2047 encoded when it
// is not printable ASCII, folded between encoded words.
func encodeHeader(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	enc := mime.QEncoding.Encode("utf-8", s)
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

// messageID returns m's Message-ID: the delivery key, so that a resend of
// one delivery has the same ID and mail clients thread or drop the
// duplicate, followed by a digest of the key, the watch and the revision or
// health event, so that another installation (or a reset database) that
// reuses a key such as "12-changed-5-team" does not give another message the
// same ID, which some mailboxes would then silently drop as a duplicate. A
// digest, which has no watch, is told apart by its changes.
func messageID(m Message) string {
	h := sha256.New()
	var hashMessage func(m Message)
	hashMessage = func(m Message) {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", m.Delivery, m.Watch.URL, m.Event)
		if m.Revision != nil {
			fmt.Fprintf(h, "%d\x00%s\x00", m.Revision.New, m.Revision.FetchedAt.UTC().Format(time.RFC3339Nano))
		}
		if m.Health != nil {
			fmt.Fprintf(h, "%s\x00", m.Health.At.UTC().Format(time.RFC3339Nano))
		}
		for _, c := range m.Changes {
			hashMessage(c)
		}
	}
	hashMessage(m)
	var left strings.Builder
	for _, r := range m.Delivery {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r):
			left.WriteRune(r)
		default:
			left.WriteByte('_')
		}
	}
	if left.Len() > 0 {
		left.WriteByte('.')
	}
	left.WriteString(hex.EncodeToString(h.Sum(nil)[:6]))
	return "<" + left.String() + "@redline>"
}

// Inline styles of the HTML part: mail clients ignore <style> elements.
const (
	styleDel = "color:#82071e;background-color:#ffebe9;text-decoration:line-through"
	styleIns = "color:#116329;background-color:#dafbe1;text-decoration:none"
)

// emailHTMLTemplate renders emailHTMLData; html/template escapes every
// value (and makes a link whose URL is not http, https or mailto harmless),
// and the styles are constants in the template itself. The "section"
// template shows one message: its heading, a line of the watch's name and
// what happened (in a digest, a heading linked to the watch's page), then
// the title, the summary, the health, the changed paragraphs and the link.
// The "diff" template shows the changed paragraphs ([]htmlBlock), one <p>
// each; it also renders htmlTemplateData.HTMLDiff for custom templates.
var emailHTMLTemplate = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Title}}</title></head>
<body style="margin:0;padding:16px;background-color:#ffffff;color:#1f2328;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
{{- if .Digest}}
<h1 style="margin:0 0 4px;font-size:20px;line-height:1.3">redline digest</h1>
{{- with .Summary}}
<p style="margin:0 0 16px;color:#59636e">{{.}}</p>
{{- end}}
{{- end}}
{{- range .Sections}}
{{- template "section" .}}
{{- end}}
</body></html>
{{- define "section"}}
{{- if .InDigest}}
<h2 style="margin:24px 0 4px;padding-top:16px;border-top:1px solid #d1d9e0;font-size:17px;line-height:1.3">
{{- if .WatchURL}}<a href="{{.WatchURL}}" style="color:#1f2328;text-decoration:none">{{.Watch}}</a>{{else}}{{.Watch}}{{end}}
{{- ""}}: <span style="font-weight:normal;color:#59636e">{{.Headline}}</span></h2>
{{- with .Title}}
<p style="margin:0 0 8px;font-size:16px;font-weight:bold;line-height:1.3">{{.}}</p>
{{- end}}
{{- else}}
<p style="margin:0 0 8px;font-size:13px;color:#59636e"><strong>{{.Watch}}</strong>: {{.Headline}}</p>
{{- with .Title}}
<h1 style="margin:0 0 8px;font-size:20px;line-height:1.3">{{.}}</h1>
{{- end}}
{{- end}}
{{- with .Summary}}
<p style="margin:0 0 16px;color:#59636e">{{.}}</p>
{{- end}}
{{- if .Test}}
<p style="margin:0 0 16px">This is a test message from redline: if you can read it, the notifier works.</p>
{{- end}}
{{- with .Health}}
{{- if eq .State "failing"}}
<p style="margin:0 0 8px">Health: <strong style="color:#82071e">failing</strong>, {{.ConsecutiveErrors}} checks in a row failed.</p>
{{- else}}
<p style="margin:0 0 8px">Health: <strong style="color:#116329">{{.State}}</strong> again after {{.ConsecutiveErrors}} failed checks.</p>
{{- end}}
{{- with .Error}}
<pre style="margin:0 0 16px;padding:8px;white-space:pre-wrap;background-color:#f6f8fa;font-size:13px">{{.}}</pre>
{{- end}}
{{- end}}
{{- template "diff" .Blocks}}
{{- if .Link}}
<p style="margin:16px 0 0"><a href="{{.Link}}" style="color:#0969da">{{.LinkText}}</a></p>
{{- end}}
{{- end}}
{{- define "diff"}}
{{- range .}}
{{- if eq .Kind "removed"}}
<p style="margin:0 0 12px;padding:2px 0 2px 12px;border-left:3px solid #cf222e">
{{- else if eq .Kind "added"}}
<p style="margin:0 0 12px;padding:2px 0 2px 12px;border-left:3px solid #1a7f37">
{{- else if eq .Kind "moved"}}
<p style="margin:0 0 12px;padding:2px 0 2px 12px;border-left:3px solid #9a6700;color:#59636e">
{{- else}}
<p style="margin:0 0 12px;padding:2px 0 2px 12px;border-left:3px solid #d1d9e0">
{{- end}}
{{- range .Spans}}
{{- if eq .Op "del"}}<del style="` + styleDel + `">{{.Text}}</del>
{{- else if eq .Op "ins"}}<ins style="` + styleIns + `">{{.Text}}</ins>
{{- else}}{{.Text}}{{end}}
{{- end}}
{{- with .Note}} <em style="color:#59636e">({{.}})</em>{{end}}</p>
{{- end}}
{{- end}}
`))

// emailHTMLData is what emailHTMLTemplate shows: one section, or for a
// digest the digest's summary and a section per change.
type emailHTMLData struct {
	Title    string // of the document
	Digest   bool
	Summary  string // the digest's
	Sections []emailHTMLSection
}

// emailHTMLSection is one message of the HTML part.
type emailHTMLSection struct {
	InDigest        bool
	Watch, WatchURL string
	Headline        string
	Title, Summary  string
	Test            bool
	Health          *Health
	Blocks          []htmlBlock
	Link, LinkText  string
}

// htmlBlock is one paragraph of the HTML part: "edit" (an edited paragraph,
// words deleted and inserted inline), "removed", "added" or "moved".
type htmlBlock struct {
	Kind  string
	Spans []htmlSpan
	Note  string
}

// htmlSpan is a run of text: Op is "del", "ins" or "" (unchanged).
type htmlSpan struct {
	Op, Text string
}

// emailHTML renders m as the HTML part of a mail: the heading, the title,
// the summary, the health (failing, recovered), then every changed
// paragraph, and the link. An edited paragraph is shown once, as it was
// and as it is: the words deleted in red and struck out, the words inserted
// in green, from the word-level diff that diff.Compare computes between the
// removed and the added paragraphs. Paragraphs wholly removed or added are
// all red or all green; a paragraph both removed and added (moved) is
// plain, with a note. A digest shows its summary, then each change so,
// under a heading naming its watch, linked to the watch's page.
func emailHTML(m Message) (string, error) {
	d := emailHTMLData{Title: emailSubject(m)}
	if m.Event == EventDigest {
		d.Digest, d.Summary = true, m.Summary
		for _, c := range m.Changes {
			sec := htmlSection(c)
			sec.InDigest = true
			d.Sections = append(d.Sections, sec)
		}
	} else {
		d.Sections = []emailHTMLSection{htmlSection(m)}
	}
	var b strings.Builder
	if err := emailHTMLTemplate.Execute(&b, d); err != nil {
		return "", err
	}
	return b.String(), nil
}

// htmlTemplateData is what a custom HTML template (Spec.HTMLTemplate)
// is executed on, once per mail:
//
//   - The Message itself, embedded: {{.Event}}, {{.Watch.Name}},
//     {{.Watch.URL}}, {{.Title}}, {{.Summary}}, {{.Revision.URL}},
//     {{.Health.State}}, {{.Added}}, {{.Removed}}, {{.Stats}}, and {{.Diff}},
//     the unified diff as plain text, all as in the webhook payload (see
//     Message). Being plain strings, they are escaped wherever they are
//     printed, as html/template does; a URL that is not http, https or
//     mailto becomes harmless in an href.
//   - HTMLDiff: the message's changed paragraphs as the built-in HTML part
//     shows them, ready to print: one <p> per paragraph, one per line, in
//     reading order; in an edited paragraph the words deleted are in a
//     <del> and the words inserted in an <ins>, styled inline (red and
//     struck out, green), a paragraph wholly removed or added is all <del>
//     or all <ins>, a moved one plain with "(moved)". Its text is escaped;
//     it is a template.HTML, which {{.HTMLDiff}} prints as is. It is empty
//     when no paragraph changed (failing, recovered, a digest itself).
//   - Changes: for a digest (Event "digest", whose own Watch is empty and
//     whose Summary counts the changes), one htmlTemplateData per change
//     in the digest, oldest first, each with its own Message fields and
//     HTMLDiff, so that {{range .Changes}}…{{.HTMLDiff}}…{{end}} shows
//     every change; empty for any other event. (It stands for the
//     Message's own Changes, still reachable as {{.Message.Changes}}.)
//
// The template may call the functions of htmlTemplateFuncs.
type htmlTemplateData struct {
	Message
	HTMLDiff template.HTML
	Changes  []htmlTemplateData
}

// htmlTemplateFuncs are the functions a custom HTML template may call
// besides html/template's own; those that take a message M take either a
// htmlTemplateData (such as . or an element of .Changes) or a Message:
//
//   - headline M, link M, changes M, truncate N S, join SEP LIST: as in the
//     text templates (see templateFuncs);
//   - subject M: the mail's subject, e.g. "Le Monde: silent edit: the body
//     changed and no date moved" or "redline digest: 3 changes on 2
//     watches", as the built-in HTML part's <title>.
var htmlTemplateFuncs = template.FuncMap{
	"headline": onMessage(messageHeadline),
	"link":     onMessage(messageLink),
	"changes":  onMessage(changeLines),
	"subject":  onMessage(emailSubject),
	"truncate": templateFuncs["truncate"],
	"join":     templateFuncs["join"],
}

// onMessage makes f, a function of a Message, take a htmlTemplateData too.
func onMessage[T any](f func(Message) T) func(any) (T, error) {
	return func(v any) (T, error) {
		switch v := v.(type) {
		case Message:
			return f(v), nil
		case htmlTemplateData:
			return f(v.Message), nil
		}
		var zero T
		return zero, fmt.Errorf("want a message (. or an element of .Changes), got %T", v)
	}
}

// newHTMLTemplate parses text as a custom HTML template and tries it on a
// sample Message of every event, a digest included, so that a template
// that would fail at delivery fails at construction instead.
func newHTMLTemplate(text string) (*template.Template, error) {
	t, err := template.New("html").Funcs(htmlTemplateFuncs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("html_template: %w", err)
	}
	for _, m := range templateSamples() {
		if _, err := renderHTMLTemplate(t, m); err != nil {
			return nil, fmt.Errorf("html_template fails on a sample %q message: %w", m.Event, err)
		}
	}
	return t, nil
}

// renderHTMLTemplate executes the custom HTML template t on m's
// htmlTemplateData.
func renderHTMLTemplate(t *template.Template, m Message) (string, error) {
	d, err := newHTMLTemplateData(m)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", err
	}
	return b.String(), nil
}

// newHTMLTemplateData returns what a custom HTML template sees of m.
func newHTMLTemplateData(m Message) (htmlTemplateData, error) {
	d := htmlTemplateData{Message: m}
	if blocks := htmlBlocks(m); len(blocks) > 0 {
		var b strings.Builder
		if err := emailHTMLTemplate.ExecuteTemplate(&b, "diff", blocks); err != nil {
			return htmlTemplateData{}, fmt.Errorf("render the diff: %w", err)
		}
		d.HTMLDiff = template.HTML(strings.TrimPrefix(b.String(), "\n")) // escaped by emailHTMLTemplate
	}
	for _, c := range m.Changes {
		cd, err := newHTMLTemplateData(c)
		if err != nil {
			return htmlTemplateData{}, err
		}
		d.Changes = append(d.Changes, cd)
	}
	return d, nil
}

// htmlSection returns what the HTML part shows of the message m.
func htmlSection(m Message) emailHTMLSection {
	sec := emailHTMLSection{
		Watch:    cmp.Or(m.Watch.Name, m.Watch.URL),
		WatchURL: m.Watch.URL,
		Headline: messageHeadline(m),
		Title:    m.Title,
		Summary:  m.Summary,
		Test:     m.Event == EventTest,
		Health:   m.Health,
		Blocks:   htmlBlocks(m),
		Link:     messageLink(m),
		LinkText: "Open the page",
	}
	if m.Revision != nil && m.Revision.URL != "" {
		sec.LinkText = "See the change in redline"
	}
	return sec
}

// htmlBlocks returns m's changed paragraphs as HTML blocks, in reading
// order.
func htmlBlocks(m Message) []htmlBlock {
	whole := func(kind, op, text string) htmlBlock {
		return htmlBlock{Kind: kind, Spans: []htmlSpan{{Op: op, Text: text}}}
	}
	if len(m.Removed) == 0 || len(m.Added) == 0 {
		var out []htmlBlock
		for _, p := range m.Removed {
			out = append(out, whole("removed", "del", p))
		}
		for _, p := range m.Added {
			out = append(out, whole("added", "ins", p))
		}
		return out
	}
	c := diff.Compare(paragraphText(m.Removed), paragraphText(m.Added))
	// Paragraph i is on line 2i+1 (see paragraphText); show the paragraph
	// itself rather than its line, which paragraphText may have altered.
	para := func(list []string, no int) (string, bool) {
		if no%2 == 0 || (no-1)/2 >= len(list) {
			return "", false
		}
		return list[(no-1)/2], true
	}
	var out []htmlBlock
	for i := 0; i < len(c.Lines); i++ {
		l := c.Lines[i]
		switch l.Op {
		case diff.Equal:
			if p, ok := para(m.Added, l.NewNo); ok {
				b := whole("moved", "", p)
				b.Note = "moved"
				out = append(out, b)
			}
		case diff.Delete:
			p, ok := para(m.Removed, l.OldNo)
			if !ok {
				continue
			}
			if l.Words != nil && i+1 < len(c.Lines) && c.Lines[i+1].Op == diff.Insert && c.Lines[i+1].Words != nil {
				next := c.Lines[i+1]
				i++
				if spans, ok := mergeWordSpans(l.Words, next.Words); ok {
					out = append(out, htmlBlock{Kind: "edit", Spans: spans})
				} else {
					out = append(out, htmlBlock{Kind: "removed", Spans: wordSpans(l.Words)}, htmlBlock{Kind: "added", Spans: wordSpans(next.Words)})
				}
				continue
			}
			out = append(out, whole("removed", "del", p))
		case diff.Insert:
			if p, ok := para(m.Added, l.NewNo); ok {
				out = append(out, whole("added", "ins", p))
			}
		}
	}
	return out
}

// wordSpans converts one line's word spans.
func wordSpans(spans []diff.Span) []htmlSpan {
	out := make([]htmlSpan, len(spans))
	for i, s := range spans {
		out[i] = htmlSpan{Op: spanOp(s.Op), Text: s.Text}
	}
	return out
}

func spanOp(op diff.Op) string {
	switch op {
	case diff.Delete:
		return "del"
	case diff.Insert:
		return "ins"
	}
	return ""
}

// mergeWordSpans merges the word spans of a removed line (Equal and Delete)
// and of the added line paired with it (Equal and Insert) into one run, as
// track changes shows an edit: the unchanged text once, and at each place
// the words deleted followed by the words inserted. The two lines' Equal
// spans cover the same words but may be split differently (a deletion
// splits the old line's, not the new one's), so they are matched by their
// text. It returns false when an unchanged word differs in its bytes (a
// typographic variant, which diff counts as no change), as the two lines
// then cannot be aligned byte for byte.
func mergeWordSpans(old, new []diff.Span) ([]htmlSpan, bool) {
	var out []htmlSpan
	emit := func(op, text string) {
		if k := len(out) - 1; k >= 0 && out[k].Op == op {
			out[k].Text += text
			return
		}
		out = append(out, htmlSpan{Op: op, Text: text})
	}
	i, j := 0, 0
	var ro, rn string // the unmatched rest of the Equal span at old[i-1], new[j-1]
	haveO, haveN := false, false
	for {
		for !haveO && i < len(old) && old[i].Op == diff.Delete {
			emit("del", old[i].Text)
			i++
		}
		for !haveN && j < len(new) && new[j].Op == diff.Insert {
			emit("ins", new[j].Text)
			j++
		}
		if !haveO && i < len(old) {
			ro, haveO = old[i].Text, true
			i++
		}
		if !haveN && j < len(new) {
			rn, haveN = new[j].Text, true
			j++
		}
		switch {
		case !haveO && !haveN:
			return out, true
		case haveO != haveN:
			return nil, false
		case ro == rn:
			emit("", ro)
			haveO, haveN = false, false
		case strings.HasPrefix(rn, ro):
			emit("", ro)
			rn, haveO = rn[len(ro):], false
		case strings.HasPrefix(ro, rn):
			emit("", rn)
			ro, haveN = ro[len(rn):], false
		default:
			return nil, false
		}
	}
}

var _ Notifier = (*emailNotifier)(nil)
