package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const notifyYAML = `base_url: https://redline.example.org/
notifiers:
  newsroom-hook: {type: webhook, url: "https://hooks.example.org/redline", secret: "${HOOK_SECRET}", headers: {X-Team: news}, timeout: 10s}
  team-chat: {type: shoutrrr, url: "slack://${SLACK_TOKEN}@channel"}
  desk: {type: email, url: "smtp://mail.example.org:587", from: redline@example.org, to: desk@example.org}
  script: {type: command, command: [/usr/local/bin/on-change, --verbose]}
outbox: {max_attempts: 5, max_age: 24h, min_backoff: 1s, max_backoff: 10s}
tags:
  politics: {notify: [team-chat]}
  world:
    notify:
      - team-chat
      - {to: desk, on: [body, headline], min_words: 5, contains: [resign], not_contains: "sport", quiet_hours: "22:00-07:00 Europe/Paris", digest: "CRON_TZ=Europe/Paris 0 18 * * *"}
defaults: {notify: [newsroom-hook]}
watches:
  - {url: "https://www.france24.com/en/a", notify: [script]}
  - {url: "https://www.france24.com/en/b", tags: [politics, world]}
  - {url: "https://www.france24.com/en/c", tags: [sport]}
  - {url: "https://www.france24.com/en/d", notify: []}
`

func TestNotifiers(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseEnv("redline.yaml", []byte(notifyYAML), env(map[string]string{"HOOK_SECRET_FILE": secret, "SLACK_TOKEN": "T0/B1/xyz"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://redline.example.org" {
		t.Errorf("BaseURL = %q", cfg.BaseURL)
	}
	if cfg.Outbox != (Outbox{MaxAttempts: 5, MaxAge: 24 * time.Hour, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}) {
		t.Errorf("Outbox = %+v", cfg.Outbox)
	}
	want := []Notifier{
		{Name: "newsroom-hook", Type: "webhook", URL: "https://hooks.example.org/redline", Secret: "s3cret", Headers: map[string]string{"X-Team": "news"}, Timeout: 10 * time.Second, Pos: pos(3, 3)},
		{Name: "team-chat", Type: "shoutrrr", URL: "slack://T0/B1/xyz@channel", Pos: pos(4, 3)},
		{Name: "desk", Type: "email", URL: "smtp://mail.example.org:587", From: "redline@example.org", To: []string{"desk@example.org"}, Pos: pos(5, 3)},
		{Name: "script", Type: "command", Command: []string{"/usr/local/bin/on-change", "--verbose"}, Pos: pos(6, 3)},
	}
	if diff := cmp.Diff(want, cfg.Notifiers); diff != "" {
		t.Errorf("Notifiers (-want +got):\n%s", diff)
	}

	names := func(rs []Route) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.To)
		}
		return strings.Join(out, ",")
	}
	for i, want := range []string{"script", "team-chat,desk", "newsroom-hook", ""} {
		w := cfg.Watches[i]
		if got := names(cfg.Routes(w.Tags, w.Notify)); got != want {
			t.Errorf("watch %s: routes %q, want %q", w.URL, got, want)
		}
	}
	desk := cfg.Tags["world"].Notify[1]
	if desk.MinWords != 5 || !cmp.Equal(desk.On, []string{"body", "headline"}) || !cmp.Equal(desk.Contains, []string{"resign"}) ||
		!cmp.Equal(desk.NotContains, []string{"sport"}) || desk.Quiet == nil || desk.Quiet.Loc.String() != "Europe/Paris" ||
		desk.Digest != "CRON_TZ=Europe/Paris 0 18 * * *" || desk.DigestSpec == nil {
		t.Errorf("desk route = %+v", desk)
	}
	if r := cfg.Defaults.Notify[0]; !cmp.Equal(r.On, DefaultOn) {
		t.Errorf("a bare notifier name is on %v, want %v", r.On, DefaultOn)
	}
}

func TestNotifierErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"unknown type", "notifiers:\n  x: {type: pager}\n", nil, `redline.yaml:2:13: notifier "x": type: unknown type "pager" (one of command, email, shoutrrr, webhook)`},
		{"missing type", "notifiers:\n  x: {url: https://a.example}\n", nil, `redline.yaml:2:3: notifier "x": type: missing (one of command, email, shoutrrr, webhook)`},
		{"missing url", "notifiers:\n  x: {type: webhook}\n", nil, `redline.yaml:2:3: notifier "x": url: missing (required for type webhook)`},
		{"bad webhook url", "notifiers:\n  x: {type: webhook, url: \"ftp://u:pw@a.example\"}\n", nil, `redline.yaml:2:3: notifier "x": url: "ftp://u:xxxxx@a.example" is not an absolute http(s) URL`},
		{"missing secret", "notifiers:\n  x: {type: webhook, url: https://a.example, secret: \"${S}\"}\n", nil, `redline.yaml:2:54: notifier "x": secret: environment variable "S" is not set`},
		{"unreadable secret file", "notifiers:\n  x: {type: webhook, url: https://a.example, secret: \"${S}\"}\n", map[string]string{"S_FILE": "/nonexistent/s"},
			`redline.yaml:2:54: notifier "x": secret: environment variable "S" is not set, and S_FILE names a file that cannot be read: open /nonexistent/s: no such file or directory`},
		{"bad name", "notifiers:\n  \"a b\": {type: webhook, url: https://a.example}\n", nil, `redline.yaml:2:3: notifiers: invalid notifier name "a b" (1 to 64 letters, digits, '-' or '_')`},
		{"email without to", "notifiers:\n  m: {type: email, url: \"smtp://h:25\", from: a@example.org}\n", nil, `redline.yaml:2:3: notifier "m": to: missing (required for type email)`},
		{"route to nothing", "defaults: {notify: [hook]}\n", nil, `redline.yaml:1:21: defaults: notify: no notifier named "hook" (declare it under notifiers)`},
		{"watch route to nothing", "watches:\n  - {url: \"https://a.example/\", name: a, notify: [{to: hook}]}\n", nil, `redline.yaml:2:51: watch "a": notify: no notifier named "hook" (declare it under notifiers)`},
		{"bad on", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [{to: h, on: [body, typo]}]\n", nil, `redline.yaml:4:31: defaults: notify: on: unknown value "typo" (one of new, body, headline, metadata, errors, correction, major-rewrite, declared-update, append-only, silent-edit, metadata-only, extractor-update)`},
		{"bad quiet hours", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [{to: h, quiet_hours: \"22h-7h\"}]\n", nil, `redline.yaml:4:33: defaults: notify: quiet_hours: invalid window "22h-7h" (want "HH:MM-HH:MM", optionally followed by a time zone such as Europe/Paris)`},
		{"bad digest", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [{to: h, digest: adaptive}]\n", nil, `redline.yaml:4:28: defaults: notify: digest: a digest needs a cron spec or @every, not adaptive`},
		{"routed twice", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [h, {to: h, on: [errors]}]\n", nil, `redline.yaml:4:15: defaults: notify: notifier "h" is routed twice (first at redline.yaml:4:12): merge the two routes`},
		{"empty on", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [{to: h, on: []}]\n", nil, `redline.yaml:4:24: defaults: notify: on: is empty: the route would send nothing (remove it, or list what it is on)`},
		{"backoff bounds crossed", "outbox: {min_backoff: 2h}\n", nil, `redline.yaml:1:23: outbox: min_backoff: must not be more than max_backoff (1h0m0s), got 2h0m0s`},
		{"max backoff below min", "outbox: {min_backoff: 10s, max_backoff: 5s}\n", nil, `redline.yaml:1:41: outbox: max_backoff: must not be less than min_backoff (10s), got 5s`},
		{"route without to", "notifiers:\n  h: {type: webhook, url: https://a.example}\ndefaults:\n  notify: [{on: [body]}]\n", nil, `redline.yaml:4:12: defaults: notify: to: missing: the name of the notifier`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseEnv("redline.yaml", []byte(tc.yaml), env(tc.env))
			if err == nil {
				t.Fatal("ParseEnv succeeded, want an error")
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestQuietHoursUntil(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	night, _ := parseQuietHours("22:00-07:00 Europe/Paris")
	lunch, _ := parseQuietHours("12:00-13:30")
	at := func(loc *time.Location, s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		q        *QuietHours
		at, want time.Time
	}{
		{night, at(paris, "2026-03-10 23:15"), at(paris, "2026-03-11 07:00")},
		{night, at(paris, "2026-03-11 06:59"), at(paris, "2026-03-11 07:00")},
		{night, at(paris, "2026-03-11 07:00"), at(paris, "2026-03-11 07:00")},
		{night, at(paris, "2026-03-11 12:00"), at(paris, "2026-03-11 12:00")},
		{night, at(paris, "2026-03-28 23:00"), at(paris, "2026-03-29 07:00")}, // DST starts that night
		{lunch, at(time.UTC, "2026-03-11 12:30"), at(time.UTC, "2026-03-11 13:30")},
		{lunch, at(time.UTC, "2026-03-11 13:30"), at(time.UTC, "2026-03-11 13:30")},
		{nil, at(time.UTC, "2026-03-11 12:30"), at(time.UTC, "2026-03-11 12:30")},
	} {
		if got := tc.q.Until(tc.at); !got.Equal(tc.want) {
			t.Errorf("Until(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}
