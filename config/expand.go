package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// expand returns the value of scalar n with environment variables expanded,
// recording an error for each bad or unset reference.
func (d *decoder) expand(n *yaml.Node, ctx, key string) (string, bool) {
	v, problems := expandVars(n.Value, d.lookup)
	for _, p := range problems {
		d.errorf(n, ctx, key, "%s", p)
	}
	return v, len(problems) == 0
}

// expandVars replaces each ${NAME} in s with the value lookup gives NAME,
// and each $$ with a single $. Any other $ is kept as is, so regular
// expressions such as "^Advertisement$" need no escaping. Values are
// inserted literally, not expanded again. When NAME is not set but
// NAME_FILE is, the value is the content of that file, less one final
// newline (how Docker and Kubernetes hand out secrets). NAME is a letter or underscore
// followed by letters, digits and underscores. It returns one message per
// problem: an unset variable, a bad name, a "${" never closed.
func expandVars(s string, lookup func(string) (string, bool)) (string, []string) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	var problems []string
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i += 2
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				problems = append(problems, fmt.Sprintf("unterminated variable reference %q (write $$ for a literal $)", s[i:]))
				return b.String(), problems
			}
			name := s[i+2 : i+2+end]
			i += end + 3
			if !isVarName(name) {
				problems = append(problems, fmt.Sprintf("invalid variable name %q (write $$ for a literal $)", "${"+name+"}"))
				continue
			}
			v, ok := lookup(name)
			if !ok {
				// The _FILE twin (Docker and Kubernetes secrets): the value
				// is the content of the file it names.
				if f, fok := lookup(name + "_FILE"); fok {
					data, err := os.ReadFile(f)
					if err != nil {
						problems = append(problems, fmt.Sprintf("environment variable %q is not set, and %s_FILE names a file that cannot be read: %v", name, name, err))
						continue
					}
					b.WriteString(strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r"))
					continue
				}
				msg := fmt.Sprintf("environment variable %q is not set", name)
				if !slices.Contains(problems, msg) {
					problems = append(problems, msg)
				}
				continue
			}
			b.WriteString(v)
		default:
			b.WriteByte('$')
			i++
		}
	}
	return b.String(), problems
}

func isVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
