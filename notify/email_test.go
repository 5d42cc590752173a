package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// smtpBackend is an in-process SMTP server's backend that records every
// message it accepts.
type smtpBackend struct {
	mu   sync.Mutex
	mail []smtpMail

	user, password string // when set, AUTH PLAIN is offered and required
	rejectRcpt     string // a recipient refused with 550
}

type smtpMail struct {
	from string
	to   []string
	data []byte
	tls  bool // the session was over TLS
	auth string
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{b: b, conn: c}, nil
}

func (b *smtpBackend) got() []smtpMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]smtpMail(nil), b.mail...)
}

type smtpSession struct {
	b    *smtpBackend
	conn *smtp.Conn
	cur  smtpMail
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.b.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.b.user || password != s.b.password {
			return smtp.ErrAuthFailed
		}
		s.cur.auth = user
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.cur.auth == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.from = from
	_, s.cur.tls = s.conn.TLSConnectionState()
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.b.rejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = data
	s.b.mu.Lock()
	s.b.mail = append(s.b.mail, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.cur = smtpMail{auth: s.cur.auth} }
func (s *smtpSession) Logout() error { return nil }

// startSMTP serves be on a local port: with STARTTLS when cert is set (or
// TLS from the start when implicit is set). It returns the address.
func startSMTP(t *testing.T, be *smtpBackend, cert *tls.Certificate, implicit bool) string {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = cert == nil
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = smtpDiscardLog{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
		if implicit {
			l = tls.NewListener(l, srv.TLSConfig)
		}
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

type smtpDiscardLog struct{}

func (smtpDiscardLog) Printf(string, ...interface{}) {}
func (smtpDiscardLog) Println(...interface{})        {}

// smtpTestCert returns a self-signed certificate for 127.0.0.1 and a pool
// that trusts it.
func smtpTestCert(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "redline test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func newTestEmail(t *testing.T, spec Spec) *emailNotifier {
	t.Helper()
	spec.Type = "email"
	if spec.Name == "" {
		spec.Name = "mail"
	}
	if spec.From == "" {
		spec.From = "Redline <redline@example.com>"
	}
	if spec.To == nil {
		spec.To = []string{"desk@example.com", "Ana Núñez <ana@example.org>"}
	}
	n, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	e := n.(*emailNotifier)
	e.now = func() time.Time { return time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC) }
	return e
}

// emailMessage is a change whose watch name needs RFC 2047 and whose new
// paragraph holds markup that must come out escaped.
func emailMessage(t *testing.T) Message {
	m := templateSample(t, EventChanged)
	m.Watch.Name = "Le Monde — économie"
	m.Added = []string{"The minister <script> was dismissed on Tuesday."}
	m.Removed = []string{"The minister resigned on Tuesday."}
	return m
}

// parsedMail is a received mail taken apart.
type parsedMail struct {
	header      mail.Header
	text, html  string
	types       []string
	contentType string
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("mail.ReadMessage: %v\n%s", err, data)
	}
	p := parsedMail{header: msg.Header}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	p.contentType = mt
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		ct := part.Header.Get("Content-Type")
		p.types = append(p.types, ct)
		switch ct {
		case "text/plain; charset=utf-8":
			p.text = string(body)
		case "text/html; charset=utf-8":
			p.html = string(body)
		}
	}
	return p
}

func TestEmailSend(t *testing.T) {
	be := &smtpBackend{}
	addr := startSMTP(t, be, nil, false)
	n := newTestEmail(t, Spec{URL: "smtp://" + addr})
	m := emailMessage(t)
	r, err := n.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r.Status != 250 {
		t.Errorf("Receipt.Status = %d, want 250", r.Status)
	}
	got := be.got()
	if len(got) != 1 {
		t.Fatalf("%d mails, want 1", len(got))
	}
	if got[0].from != "redline@example.com" {
		t.Errorf("MAIL FROM %q", got[0].from)
	}
	if diff := cmp.Diff([]string{"desk@example.com", "ana@example.org"}, got[0].to); diff != "" {
		t.Errorf("RCPT TO (-want +got):\n%s", diff)
	}
	p := parseMail(t, got[0].data)

	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(p.header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	to, err := p.header.AddressList("To")
	if err != nil {
		t.Fatal(err)
	}
	date, err := p.header.Date()
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{
		"From":               p.header.Get("From"),
		"To":                 to[0].Address + ", " + to[1].Name + " <" + to[1].Address + ">",
		"Subject":            subject,
		"Date":               date.UTC().Format(time.RFC3339),
		"MIME-Version":       p.header.Get("MIME-Version"),
		"Content-Type":       p.contentType,
		"X-Redline-Delivery": p.header.Get("X-Redline-Delivery"),
		"X-Redline-Event":    p.header.Get("X-Redline-Event"),
	}
	want := map[string]string{
		"From":               `"Redline" <redline@example.com>`,
		"To":                 "desk@example.com, Ana Núñez <ana@example.org>",
		"Subject":            "Le Monde — économie: silent edit: the body changed and no date moved",
		"Date":               "2024-03-08T10:00:00Z",
		"MIME-Version":       "1.0",
		"Content-Type":       "multipart/alternative",
		"X-Redline-Delivery": m.Delivery,
		"X-Redline-Event":    "changed",
	}
	if diff := cmp.Diff(want, headers); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if s := p.header.Get("Subject"); !strings.HasPrefix(s, "=?utf-8?q?") {
		t.Errorf("Subject %q is not RFC 2047 encoded", s)
	}
	id := p.header.Get("Message-ID")
	if !strings.HasPrefix(id, "<"+m.Delivery+".") || !strings.HasSuffix(id, "@redline>") {
		t.Errorf("Message-ID %q does not hold the delivery key", id)
	}

	if diff := cmp.Diff([]string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}, p.types); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	wantText, _ := defaultRenderer(t).render(m)
	if p.text = strings.ReplaceAll(p.text, "\r\n", "\n"); p.text != wantText {
		t.Errorf("text part = %q, want %q", p.text, wantText)
	}
	for _, w := range []string{
		`The minister <del style="` + styleDel + `">resigned</del><ins style="` + styleIns + `">&lt;script&gt; was dismissed</ins> on Tuesday.`,
		`<a href="https://redline.example/watches/1/revisions/2"`,
		`<strong>Le Monde — économie</strong>: silent edit`,
	} {
		if !strings.Contains(p.html, w) {
			t.Errorf("html part lacks %s:\n%s", w, p.html)
		}
	}
	if strings.Contains(p.html, "<script>") || strings.Contains(p.html, "<style") {
		t.Errorf("html part has <script> or <style>:\n%s", p.html)
	}

	// A resend of the same delivery has the same Message-ID; another
	// delivery has another.
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	other := m
	other.Delivery = "1-changed-3-mail"
	if _, err := n.Send(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	got = be.got()
	id2 := parseMail(t, got[1].data).header.Get("Message-ID")
	id3 := parseMail(t, got[2].data).header.Get("Message-ID")
	if id2 != id || id3 == id {
		t.Errorf("Message-IDs %s, %s, %s: want the first two equal, the third different", id, id2, id3)
	}
}

// TestEmailDigest: a digest arrives as one mail, its subject the digest's
// summary, its text part the digest's text, and its HTML part a section per
// change, each with its watch linked and its own inline diff.
func TestEmailDigest(t *testing.T) {
	be := &smtpBackend{}
	addr := startSMTP(t, be, nil, false)
	n := newTestEmail(t, Spec{URL: "smtp://" + addr})
	first := emailMessage(t)
	second := templateSample(t, EventChanged)
	second.Delivery = "2-changed-9-mail"
	second.Watch = Watch{ID: 2, Name: "City hall", URL: "https://city.example/news?id=4&lang=fr"}
	second.Revision = &Revision{Old: 8, New: 9, FetchedAt: second.Revision.FetchedAt, URL: "https://redline.example/watches/2/revisions/9"}
	second.Class, second.ClassDescription = "headline", "headline changed"
	second.Title = "Budget & bridge"
	second.Removed = []string{"The council votes on Friday."}
	second.Added = []string{"The council votes on Monday."}
	m := Message{Version: Version, Event: EventDigest, Delivery: "digest-mail-00ff00ff00ff00ff",
		Summary: "2 changes on 2 watches", Changes: []Message{first, second}}
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := be.got()
	if len(got) != 1 {
		t.Fatalf("%d mails, want 1", len(got))
	}
	p := parseMail(t, got[0].data)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(p.header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != "redline digest: 2 changes on 2 watches" {
		t.Errorf("Subject = %q", subject)
	}
	if e, d := p.header.Get("X-Redline-Event"), p.header.Get("X-Redline-Delivery"); e != "digest" || d != m.Delivery {
		t.Errorf("X-Redline-Event %q, X-Redline-Delivery %q", e, d)
	}
	if id := p.header.Get("Message-ID"); !strings.HasPrefix(id, "<"+m.Delivery+".") {
		t.Errorf("Message-ID %q does not hold the delivery key", id)
	}

	wantText, _ := defaultRenderer(t).render(m)
	if p.text = strings.ReplaceAll(p.text, "\r\n", "\n"); p.text != wantText {
		t.Errorf("text part = %q, want %q", p.text, wantText)
	}
	for _, want := range []string{"redline digest: 2 changes on 2 watches\n\nLe Monde — économie: silent edit", "\n\nCity hall: headline changed\nBudget & bridge\n"} {
		if !strings.Contains(p.text, want) {
			t.Errorf("text part lacks %q:\n%s", want, p.text)
		}
	}

	// The HTML part: the summary, then each change under its heading, in
	// order, with its inline diff and its link.
	html := p.html
	wants := []string{
		`<title>redline digest: 2 changes on 2 watches</title>`,
		`<p style="margin:0 0 16px;color:#59636e">2 changes on 2 watches</p>`,
		`<a href="https://example.com/article" style="color:#1f2328;text-decoration:none">Le Monde — économie</a>: <span style="font-weight:normal;color:#59636e">silent edit: the body changed and no date moved</span></h2>`,
		`>An example headline</p>`,
		`The minister <del style="` + styleDel + `">resigned</del><ins style="` + styleIns + `">&lt;script&gt; was dismissed</ins> on Tuesday.`,
		`<a href="https://redline.example/watches/1/revisions/2" style="color:#0969da">See the change in redline</a>`,
		`<a href="https://city.example/news?id=4&amp;lang=fr" style="color:#1f2328;text-decoration:none">City hall</a>: <span style="font-weight:normal;color:#59636e">headline changed</span></h2>`,
		`>Budget &amp; bridge</p>`,
		`The council votes on <del style="` + styleDel + `">Friday</del><ins style="` + styleIns + `">Monday</ins>.</p>`,
		`<a href="https://redline.example/watches/2/revisions/9" style="color:#0969da">See the change in redline</a>`,
	}
	at := 0
	for _, w := range wants {
		i := strings.Index(html[at:], w)
		if i < 0 {
			t.Errorf("html part lacks, after what precedes it, %s:\n%s", w, html)
			continue
		}
		at += i + len(w)
	}
	if c := strings.Count(html, "<h2 "); c != 2 {
		t.Errorf("html part has %d section headings, want 2", c)
	}
	if strings.Contains(html, "<script>") {
		t.Errorf("html part has <script>:\n%s", html)
	}
}

func TestEmailRcptRejected(t *testing.T) {
	be := &smtpBackend{rejectRcpt: "nobody@example.com"}
	addr := startSMTP(t, be, nil, false)
	n := newTestEmail(t, Spec{URL: "smtp://" + addr, To: []string{"desk@example.com", "nobody@example.com"}})
	r, err := n.Send(context.Background(), emailMessage(t))
	if err == nil {
		t.Fatal("Send succeeded")
	}
	if r.Status != 550 || !strings.Contains(r.Body, "No such user here") {
		t.Errorf("Receipt = %+v, want 550 and the server's text", r)
	}
	for _, w := range []string{"email mail: smtp " + addr, "RCPT TO <nobody@example.com>", "550"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if len(be.got()) != 0 {
		t.Error("a mail was accepted")
	}
}

func TestEmailAuth(t *testing.T) {
	be := &smtpBackend{user: "redline", password: "s3cret pass"}
	addr := startSMTP(t, be, nil, false)
	// Over plain TCP, net/smtp allows AUTH PLAIN only to localhost.
	n := newTestEmail(t, Spec{URL: "smtp://redline:s3cret%20pass@" + addr})
	if _, err := n.Send(context.Background(), emailMessage(t)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := be.got(); len(got) != 1 || got[0].auth != "redline" {
		t.Errorf("mails %+v, want one sent as redline", got)
	}

	bad := newTestEmail(t, Spec{URL: "smtp://redline:wrong@" + addr})
	r, err := bad.Send(context.Background(), emailMessage(t))
	if err == nil || r.Status != 535 {
		t.Errorf("Send with a wrong password = %+v, %v; want status 535", r, err)
	}
	if err != nil && strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q shows the password", err)
	}

	none := newTestEmail(t, Spec{URL: "smtp://" + addr})
	if r, err := none.Send(context.Background(), emailMessage(t)); err == nil || r.Status != 502 {
		t.Errorf("Send without AUTH = %+v, %v; want the server's 502", r, err)
	}
}

func TestEmailTLS(t *testing.T) {
	cert, pool := smtpTestCert(t)
	for _, implicit := range []bool{false, true} {
		name, scheme := "STARTTLS", "smtp"
		if implicit {
			name, scheme = "implicit TLS", "smtps"
		}
		t.Run(name, func(t *testing.T) {
			be := &smtpBackend{user: "redline", password: "pw"}
			addr := startSMTP(t, be, cert, implicit)
			n := newTestEmail(t, Spec{URL: scheme + "://redline:pw@" + addr})
			n.tlsConfig = &tls.Config{RootCAs: pool}
			if _, err := n.Send(context.Background(), emailMessage(t)); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := be.got(); len(got) != 1 || !got[0].tls || got[0].auth != "redline" {
				t.Errorf("mails %+v, want one over TLS, authenticated", got)
			}
			// Without trusting the certificate, the handshake fails.
			untrusting := newTestEmail(t, Spec{URL: scheme + "://redline:pw@" + addr})
			if _, err := untrusting.Send(context.Background(), emailMessage(t)); err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("Send with an unknown certificate = %v, want a certificate error", err)
			}
		})
	}
}

func TestEmailTimeout(t *testing.T) {
	// A server that accepts and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	n := newTestEmail(t, Spec{URL: "smtp://" + l.Addr().String(), Timeout: 100 * time.Millisecond})
	start := time.Now()
	_, err = n.Send(context.Background(), emailMessage(t))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Send took %v", d)
	}

	// Cancelling the context interrupts the session too.
	n.timeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	if _, err := n.Send(ctx, emailMessage(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled Send took %v", d)
	}
}

func TestEmailConstructionErrors(t *testing.T) {
	ok := Spec{URL: "smtp://mail.example.com", From: "a@example.com", To: []string{"b@example.com"}}
	tests := []struct {
		name   string
		edit   func(*Spec)
		want   string
		secret string
	}{
		{"no url", func(s *Spec) { s.URL = "" }, "url is required", ""},
		{"bad scheme", func(s *Spec) { s.URL = "http://u:hunter22@mail.example.com" }, "scheme must be smtp or smtps", "hunter22"},
		{"bad url", func(s *Spec) { s.URL = "smtp://u:hunter22@mail.example.com:port" }, "url does not parse", "hunter22"},
		{"bad port", func(s *Spec) { s.URL = "smtp://u:hunter22@mail.example.com:99999" }, "bad port", "hunter22"},
		{"no host", func(s *Spec) { s.URL = "smtp://" }, "no host", ""},
		{"parameters", func(s *Spec) { s.URL = "smtp://mail.example.com/?insecure=1" }, "takes no path, parameters", ""},
		{"no from", func(s *Spec) { s.From = "" }, "from is required", ""},
		{"bad from", func(s *Spec) { s.From = "not an address" }, `from "not an address"`, ""},
		{"no to", func(s *Spec) { s.To = nil }, "to needs at least one address", ""},
		{"bad to", func(s *Spec) { s.To = []string{"b@example.com", "c@"} }, `to "c@"`, ""},
		{"secret", func(s *Spec) { s.Secret = "x" }, "secret is not used", ""},
		{"headers", func(s *Spec) { s.Headers = map[string]string{"A": "b"} }, "headers are not used", ""},
		{"command", func(s *Spec) { s.Command = []string{"true"} }, "command is not used", ""},
		{"template", func(s *Spec) { s.Template = "{{.Nope}}" }, "template fails", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := ok
			spec.Name, spec.Type = "mail", "email"
			tt.edit(&spec)
			_, err := New(spec)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if !strings.HasPrefix(err.Error(), "notifier mail: email: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to name the notifier and hold %q", err, tt.want)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
	spec := ok
	spec.Type = "email"
	spec.URL = "smtps://mail.example.com"
	n, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	if e := n.(*emailNotifier); e.addr != "mail.example.com:465" || !e.implicitTLS {
		t.Errorf("smtps default = %s (implicit TLS %v), want port 465", e.addr, e.implicitTLS)
	}
	spec.URL = "smtp://mail.example.com"
	n, _ = New(spec)
	if e := n.(*emailNotifier); e.addr != "mail.example.com:587" || e.implicitTLS {
		t.Errorf("smtp default = %s, want port 587 with STARTTLS", e.addr)
	}
}

func TestEmailHTMLBlocks(t *testing.T) {
	m := templateSample(t, EventChanged)
	m.Removed = []string{"Kept words and old words.", "Gone entirely here.", "Moved paragraph stays the same."}
	m.Added = []string{"Kept words and new words.", "Brand new paragraph.", "Moved paragraph stays the same."}
	got := htmlBlocks(m)
	want := []htmlBlock{
		{Kind: "moved", Spans: []htmlSpan{{Text: "Moved paragraph stays the same."}}, Note: "moved"},
		{Kind: "edit", Spans: []htmlSpan{{Text: "Kept words and "}, {Op: "del", Text: "old"}, {Op: "ins", Text: "new"}, {Text: " words."}}},
		{Kind: "removed", Spans: []htmlSpan{{Op: "del", Text: "Gone entirely here."}}},
		{Kind: "added", Spans: []htmlSpan{{Op: "ins", Text: "Brand new paragraph."}}},
	}
	// The order of unpaired blocks depends on the diff's alignment; compare
	// as sets of blocks.
	key := func(b htmlBlock) string {
		var s strings.Builder
		s.WriteString(b.Kind + ":")
		for _, sp := range b.Spans {
			s.WriteString("[" + sp.Op + "]" + sp.Text)
		}
		return s.String() + "(" + b.Note + ")"
	}
	gotKeys, wantKeys := map[string]bool{}, map[string]bool{}
	for _, b := range got {
		gotKeys[key(b)] = true
	}
	for _, b := range want {
		wantKeys[key(b)] = true
	}
	if diff := cmp.Diff(wantKeys, gotKeys); diff != "" {
		t.Errorf("htmlBlocks (-want +got):\n%s", diff)
	}

	only := Message{Added: []string{"a <b>"}}
	if got := htmlBlocks(only); len(got) != 1 || got[0].Kind != "added" {
		t.Errorf("htmlBlocks of an added paragraph = %+v", got)
	}
}

func TestEmailMergeWordSpans(t *testing.T) {
	type sp = htmlSpan
	cases := []struct {
		name     string
		old, new string
		want     []sp
		ok       bool
	}{
		{"replace", "a b c", "a x c", []sp{{Text: "a "}, {Op: "del", Text: "b"}, {Op: "ins", Text: "x"}, {Text: " c"}}, true},
		{"delete only", "a b c d", "a c d", nil, true},
		{"insert only", "one two", "one and two", nil, true},
		{"typographic variant", "l’homme a vu", "l'homme a lu", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Message{Removed: []string{c.old}, Added: []string{c.new}}
			blocks := htmlBlocks(m)
			if !c.ok {
				if len(blocks) != 2 || blocks[0].Kind != "removed" || blocks[1].Kind != "added" {
					t.Errorf("blocks = %+v, want the two lines apart", blocks)
				}
				return
			}
			if len(blocks) != 1 || blocks[0].Kind != "edit" {
				t.Fatalf("blocks = %+v, want one edit", blocks)
			}
			// The unchanged and deleted text gives the old line back; the
			// unchanged and inserted text, the new one.
			var o, n strings.Builder
			for _, s := range blocks[0].Spans {
				if s.Op != "ins" {
					o.WriteString(s.Text)
				}
				if s.Op != "del" {
					n.WriteString(s.Text)
				}
			}
			if o.String() != c.old || n.String() != c.new {
				t.Errorf("spans %+v give %q and %q", blocks[0].Spans, o.String(), n.String())
			}
			if c.want != nil {
				if diff := cmp.Diff(c.want, blocks[0].Spans); diff != "" {
					t.Errorf("spans (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestEmailHTMLTemplate: a custom HTML template's output arrives as the
// text/html part, the text part unchanged: the Message's fields escaped,
// the pre-rendered diff (the built-in part's paragraphs) inline, and for a
// digest each change with its own diff.
func TestEmailHTMLTemplate(t *testing.T) {
	be := &smtpBackend{}
	addr := startSMTP(t, be, nil, false)
	const tmpl = `<html><head><title>{{subject .}}</title></head><body>
{{- if .Changes}}<h1>{{.Summary}}</h1>{{end}}
{{- range .Changes}}
<h2><a href="{{.Watch.URL}}">{{.Watch.Name}}</a>: {{headline .}}</h2>{{.HTMLDiff}}
{{- else}}
<h1>{{.Watch.Name}}: {{headline .}}</h1><p class="title">{{.Title}}</p>
{{.HTMLDiff}}
<p><a href="{{link .}}">open</a> ({{len .Removed}} removed, {{len .Added}} added, {{headline .Message}})</p>
{{- end}}
</body></html>`
	n := newTestEmail(t, Spec{URL: "smtp://" + addr, HTMLTemplate: tmpl})
	m := emailMessage(t)
	m.Title = `Budget <b>"cuts"</b> & bridge`
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	second := templateSample(t, EventChanged)
	second.Delivery = "2-changed-9-mail"
	second.Watch = Watch{ID: 2, Name: "City <hall>", URL: "https://city.example/news?id=4&lang=fr"}
	second.Removed = []string{"The council votes on Friday."}
	second.Added = []string{"The council votes on Monday."}
	failing := templateSample(t, EventFailing)
	digest := Message{Version: Version, Event: EventDigest, Delivery: "digest-mail-html",
		Summary: "3 changes on 2 watches", Changes: []Message{m, second, failing}}
	if _, err := n.Send(context.Background(), digest); err != nil {
		t.Fatalf("Send digest: %v", err)
	}
	got := be.got()
	if len(got) != 2 {
		t.Fatalf("%d mails, want 2", len(got))
	}

	diffOf := func(m Message) string {
		t.Helper()
		d, err := newHTMLTemplateData(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(d.HTMLDiff)
	}
	edit := `<p style="margin:0 0 12px;padding:2px 0 2px 12px;border-left:3px solid #d1d9e0">The minister <del style="` + styleDel + `">resigned</del><ins style="` + styleIns + `">&lt;script&gt; was dismissed</ins> on Tuesday.</p>`
	if d := diffOf(m); d != edit {
		t.Errorf("HTMLDiff = %s\nwant %s", d, edit)
	}
	// The pre-rendered diff is what the built-in part shows.
	if builtin, err := emailHTML(m); err != nil || !strings.Contains(builtin, "\n"+edit+"\n") {
		t.Errorf("the built-in HTML part (err %v) lacks the HTMLDiff:\n%s", err, builtin)
	}
	if d := diffOf(failing); d != "" {
		t.Errorf("HTMLDiff of a failing message = %q, want none", d)
	}

	p := parseMail(t, got[0].data)
	if diff := cmp.Diff([]string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}, p.types); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	wantText, _ := defaultRenderer(t).render(m)
	if text := strings.ReplaceAll(p.text, "\r\n", "\n"); text != wantText {
		t.Errorf("text part = %q, want the default template's %q", text, wantText)
	}
	want := `<html><head><title>Le Monde — économie: silent edit: the body changed and no date moved</title></head><body>
<h1>Le Monde — économie: silent edit: the body changed and no date moved</h1><p class="title">Budget &lt;b&gt;&#34;cuts&#34;&lt;/b&gt; &amp; bridge</p>
` + edit + `
<p><a href="https://redline.example/watches/1/revisions/2">open</a> (1 removed, 1 added, silent edit: the body changed and no date moved)</p>
</body></html>`
	// Quoted-printable text ends its lines with CRLF.
	if diff := cmp.Diff(want, strings.ReplaceAll(p.html, "\r\n", "\n")); diff != "" {
		t.Errorf("html part (-want +got):\n%s", diff)
	}

	p = parseMail(t, got[1].data)
	want = `<html><head><title>redline digest: 3 changes on 2 watches</title></head><body><h1>3 changes on 2 watches</h1>
<h2><a href="https://example.com/article">Le Monde — économie</a>: silent edit: the body changed and no date moved</h2>` + edit + `
<h2><a href="https://city.example/news?id=4&amp;lang=fr">City &lt;hall&gt;</a>: silent edit: the body changed and no date moved</h2>` + diffOf(second) + `
<h2><a href="https://example.com/article">Example</a>: failing</h2>
</body></html>`
	if diff := cmp.Diff(want, strings.ReplaceAll(p.html, "\r\n", "\n")); diff != "" {
		t.Errorf("digest html part (-want +got):\n%s", diff)
	}
	if !strings.Contains(p.html, `The council votes on <del style="`+styleDel+`">Friday</del><ins style="`+styleIns+`">Monday</ins>.</p>`) {
		t.Errorf("digest html part lacks the second change's diff:\n%s", p.html)
	}
	if strings.Contains(p.html, "<script>") || strings.Contains(p.html, "<hall>") {
		t.Errorf("digest html part has unescaped text:\n%s", p.html)
	}
}

// TestEmailHTMLTemplateRefused: an HTML template that does not parse, or
// fails on a sample message (the digest's included), is refused at
// construction, saying why.
func TestEmailHTMLTemplateRefused(t *testing.T) {
	ok := Spec{Name: "mail", Type: "email", URL: "smtp://mail.example.com", From: "a@example.com", To: []string{"b@example.com"}}
	for _, tt := range []struct {
		name, tmpl string
		want       []string
	}{
		{"unclosed if", "<p>{{if .Title}}x</p>", []string{"html_template: template: html:1:", "unexpected EOF"}},
		{"unknown function", "<p>{{nope .}}</p>", []string{"html_template: template: html:1:", `function "nope" not defined`}},
		{"unknown field", "<p>{{.Nope}}</p>", []string{`html_template fails on a sample "changed" message`, "can't evaluate field Nope"}},
		{"fails on the digest", `{{if eq .Event "digest"}}{{(index .Changes 5).Title}}{{end}}`, []string{`html_template fails on a sample "digest" message`, "index out of range"}},
		{"not a message", "<p>{{headline .Title}}</p>", []string{`html_template fails on a sample`, "want a message", "got string"}},
		{"unclosed attribute", `<a href="{{link .}}>open</a>`, []string{`html_template fails on a sample`, "ends in a non-text context"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := ok
			spec.HTMLTemplate = tt.tmpl
			_, err := New(spec)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if !strings.HasPrefix(err.Error(), "notifier mail: email: ") {
				t.Errorf("error %q does not name the notifier", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	spec := ok
	spec.HTMLTemplate = `<p>{{range .Changes}}{{truncate 10 .Title}} {{join ", " .Watch.Tags}} {{range changes .}}{{.}}{{end}}{{end}}</p>`
	if _, err := New(spec); err != nil {
		t.Errorf("a template using the functions: %v", err)
	}
}
