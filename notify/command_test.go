package notify

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// script writes a /bin/sh script into dir and returns its path.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCommandDelivers: the program gets the message's JSON on its standard
// input, the event and delivery key in its environment, and its arguments
// as given (no shell).
func TestCommandDelivers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	prog := writeScript(t, dir, "hook.sh", `cat > "$1"
printf '%s\n%s\n%s\n' "$REDLINE_EVENT" "$REDLINE_DELIVERY" "$3" > "$2"
echo accepted
`)
	in, env := filepath.Join(dir, "in.json"), filepath.Join(dir, "env.txt")
	n := mustNotifier(t, Spec{Name: "script", Type: "command", Command: []string{prog, in, env, "$HOME; echo `id`"}})
	for _, m := range schemaSamples() {
		r, err := n.Send(t.Context(), m)
		if err != nil || r.Status != 0 || r.Body != "accepted" {
			t.Fatalf("Send(%s) = %+v, %v; want success, body %q", m.Event, r, err, "accepted")
		}
		got, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := payloadJSON(m)
		if string(got) != string(want) {
			t.Errorf("%s: stdin\n%s\nwant\n%s", m.Event, got, want)
		}
		gotEnv, err := os.ReadFile(env)
		if err != nil {
			t.Fatal(err)
		}
		if wantEnv := m.Event + "\n" + m.Delivery + "\n$HOME; echo `id`\n"; string(gotEnv) != wantEnv {
			t.Errorf("%s: environment and argument %q, want %q", m.Event, gotEnv, wantEnv)
		}
	}
}

// TestCommandFails: a non-zero exit status is a failure carrying the
// status and the start of standard error.
func TestCommandFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	prog := writeScript(t, dir, "fail.sh", `cat > /dev/null
echo "some output"
echo "receiver rejected the message" >&2
exit 3
`)
	n := mustNotifier(t, Spec{Name: "script", Type: "command", Command: []string{prog}})
	r, err := n.Send(t.Context(), Sample(""))
	if err == nil || r.Status != 3 || r.Body != "receiver rejected the message" {
		t.Fatalf("Send = %+v, %v; want status 3 and the stderr text", r, err)
	}
	if !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "receiver rejected the message") {
		t.Errorf("error %q does not give the status and stderr", err)
	}

	// Only the first KiB of a long stderr is kept.
	prog = writeScript(t, dir, "long.sh", `i=0
while [ $i -lt 500 ]; do echo "error line $i" >&2; i=$((i+1)); done
exit 1
`)
	n = mustNotifier(t, Spec{Name: "script", Type: "command", Command: []string{prog}})
	r, err = n.Send(t.Context(), Sample(""))
	if err == nil || r.Status != 1 || len(r.Body) > 1024 || !strings.HasPrefix(r.Body, "error line 0\nerror line 1\n") {
		t.Errorf("Send(long stderr) = status %d, %d bytes of body, %v", r.Status, len(r.Body), err)
	}
}

// TestCommandTimeout: at the timeout the program is killed with the
// children it started.
func TestCommandTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	prog := writeScript(t, dir, "slow.sh", `sleep 60 &
echo $! > "$1.tmp" && mv "$1.tmp" "$1"
sleep 60
`)
	n := mustNotifier(t, Spec{Name: "script", Type: "command", Command: []string{prog, pidFile}, Timeout: 500 * time.Millisecond})
	start := time.Now()
	r, err := n.Send(t.Context(), Sample(""))
	took := time.Since(start)
	if err == nil || r.Status != 0 || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("Send = %+v, %v; want a timeout with status 0", r, err)
	}
	if took > 5*time.Second {
		t.Errorf("Send took %s with a timeout of 500ms", took)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the script did not start its child: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the script's child %d is still running after the timeout", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processGone reports whether process pid has ended (a zombie waiting for
// a parent to reap it counts as ended).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return os.IsNotExist(err)
	}
	// The state follows the command name in parentheses.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X')
}

// TestNewCommandRefuses: a spec that could not work is refused, saying
// why.
func TestNewCommandRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notExec := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(notExec, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{}, "command is required"},
		{Spec{Command: []string{""}}, "command is required"},
		{Spec{Command: []string{"/bin/true"}, URL: "https://x.example"}, "does not use url"},
		{Spec{Command: []string{"/bin/true"}, Secret: "s", Headers: map[string]string{"A": "b"}}, "does not use secret, headers"},
		{Spec{Command: []string{"/bin/true"}, From: "a@b", To: []string{"c"}, Template: "t"}, "does not use from, to, template"},
		{Spec{Command: []string{"/bin/true"}, HTMLTemplate: "<p>{{.Title}}</p>"}, "does not use html_template"},
		{Spec{Command: []string{filepath.Join(dir, "missing")}}, "no such file"},
		{Spec{Command: []string{notExec}}, "permission denied"},
		{Spec{Command: []string{"redline-no-such-program"}}, "not found"},
		{Spec{Command: []string{"/bin/true"}, Timeout: -1}, "negative"},
	} {
		c.spec.Name, c.spec.Type = "script", "command"
		_, err := New(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "notifier script: command: ") {
			t.Errorf("New(%+v) = %v, want an error naming the notifier and saying %q", c.spec, err, c.want)
		}
	}
	if _, err := New(Spec{Name: "script", Type: "command", Command: []string{"sh", "-c", "true"}}); err != nil {
		t.Errorf("a program found in PATH: %v", err)
	}
}
