package jsonpath

import "testing"

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, p := range []string{
		"status", "status.indicator", "data.items.#.title", "items.#", "items.0", "a*b?", `fav\.movie`,
		`friends.#(last=="Murphy").first`, `friends.#(last=="Mu\"r(phy")#.first`, `friends.#(nets.#(=="fb"))#.first`,
		`children|@reverse`, `children.@reverse.0`, `@this`, `@pretty:{"sortKeys":true}`, `@join:{"preserve":true}.a`,
		`{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}`, `[a,b].0`, `{a,"c":!true,"d":!"x.y"}`,
		`items.#(a>1)|name`, `a:b`, `a(b`, `a\)b`, `a\]`,
	} {
		if err := Check(p); err != nil {
			t.Errorf("Check(%q) = %v, want nil", p, err)
		}
	}
	for p, want := range map[string]string{
		"":               "empty JSON path",
		" ":              "empty JSON path",
		"a..b":           "empty component at byte 2",
		"..#":            "empty component at byte 0",
		"|a":             "empty component at byte 0",
		"a|":             "ends with an empty component",
		`a\`:             `ends with a lone escape \`,
		`items.#(a=="x`:  "unterminated string at byte 11",
		`items.#(a>1`:    "missing ')' at the end",
		`items.#(a>1))`:  "unbalanced ')' at byte 12",
		`[a,b}`:          "unexpected '}' at byte 4 (want ']')",
		`a.@nosuch`:      "unknown modifier @nosuch",
		`a.@`:            "unknown modifier @",
		`@pretty:{"a":1`: "missing '}' at the end",
		`{a,"c":!"x}`:    "unterminated string at byte 8",
	} {
		if err := Check(p); err == nil || err.Error() != want {
			t.Errorf("Check(%q) = %v, want %s", p, err, want)
		}
	}
}
