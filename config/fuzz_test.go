package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes ParseEnv panic, and that it either
// returns a config whose watches passed validation or only positioned
// errors naming the file.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/example.yaml"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"db: ${SET}/x\nwatches:\n  - url: https://${UNSET}/\n",
		"defaults: {mode: selector, timeout: 0s, max_body: 1 TiB, ignore: ['('], exclude: ['a[']}\n",
		"watches:\n  - &w {url: 'https://a.example/', tags: [a, a]}\n  - *w\n  - <<: *w\n",
		"watches: &l [*l]\n",
		"a: [\n",
		"x: 1\n---\ny: 2\n",
		"watches:\n  - {url: 'HTTP://A.example', name: n, mode: text, select: [main]}\n",
	} {
		f.Add([]byte(s))
	}
	lookup := env(map[string]string{"SET": "value", "HOME": "/home/fuzz"})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseEnv("fuzz.yaml", data, lookup)
		if err != nil {
			if cfg != nil {
				t.Fatalf("config returned with an error: %v", err)
			}
			for _, e := range unwrapAll(err) {
				var pe *Error
				if !errors.As(e, &pe) {
					t.Fatalf("error %q is a %T, want *Error", e, e)
				}
				if !strings.HasPrefix(pe.Error(), "fuzz.yaml") || pe.Msg == "" {
					t.Fatalf("error %q lacks its position or message", pe)
				}
			}
			return
		}
		if cfg == nil {
			t.Fatal("nil config and nil error")
		}
		if cfg.Defaults.Timeout <= 0 || cfg.Defaults.MaxBody <= 0 {
			t.Fatalf("invalid defaults accepted: %+v", cfg.Defaults)
		}
		for _, w := range cfg.Watches {
			if _, problem := checkURL(w.URL); problem != "" {
				t.Fatalf("invalid watch accepted: %s", problem)
			}
			if e := w.Effective(cfg.Defaults); !isMode(e.Mode) {
				t.Fatalf("watch %q has effective mode %q", w.URL, e.Mode)
			}
		}
	})
}
