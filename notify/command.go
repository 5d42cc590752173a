package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

// commandWaitDelay is how long Send waits, after the program exited or
// was killed, for its output pipes to close (a process it left behind may
// hold them).
const commandWaitDelay = 2 * time.Second

// command runs a program for each message, the message's JSON on its
// standard input.
type command struct {
	argv    []string
	timeout time.Duration
}

var _ Notifier = (*command)(nil)

// newCommand returns the command notifier spec declares: Command, the
// program (a path, or a name looked up in PATH) and its arguments, is
// required; the program must exist and be executable now.
func newCommand(spec Spec) (Notifier, error) {
	if err := refuseUnused(spec, "command", "url", "secret", "headers", "from", "to", "template", "html_template"); err != nil {
		return nil, err
	}
	if len(spec.Command) == 0 || spec.Command[0] == "" {
		return nil, errors.New("command: command is required: the program to run and its arguments")
	}
	if _, err := exec.LookPath(spec.Command[0]); err != nil {
		return nil, fmt.Errorf("command: program %q: %w", spec.Command[0], err)
	}
	if spec.Timeout < 0 {
		return nil, fmt.Errorf("command: timeout %s is negative", spec.Timeout)
	}
	return &command{argv: slices.Clone(spec.Command), timeout: spec.timeout()}, nil
}

// attemptTimeout implements timeoutNotifier.
func (c *command) attemptTimeout() time.Duration { return c.timeout }

// Send implements Notifier: it runs the program, without a shell, with
// m's JSON on its standard input and REDLINE_EVENT and REDLINE_DELIVERY
// added to its environment. Exit status 0 is success (Receipt.Body is then
// the start of its standard output); another is a failure whose Receipt
// holds the status and the start of its standard error. At the timeout,
// the program's whole process group is killed.
func (c *command) Send(ctx context.Context, m Message) (Receipt, error) {
	body, err := payloadJSON(m)
	if err != nil {
		return Receipt{}, err
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(actx, c.argv[0], c.argv[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	cmd.Env = append(os.Environ(), "REDLINE_EVENT="+m.Event, "REDLINE_DELIVERY="+m.Delivery)
	var stdout, stderr headBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Its own process group, so that the children it started die with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	cmd.WaitDelay = commandWaitDelay

	err = cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) && actx.Err() == nil && cmd.ProcessState != nil && cmd.ProcessState.Success() {
		err = nil // it exited 0; something it left behind kept its output open
	}
	if err == nil {
		return Receipt{Body: receiptText(stdout.b)}, nil
	}
	r := Receipt{Body: receiptText(stderr.b)}
	name := c.argv[0]
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("run %s: %w", name, ctx.Err())
	case actx.Err() != nil:
		return r, fmt.Errorf("run %s: killed after the timeout (%s), with its process group", name, c.timeout)
	case cmd.ProcessState == nil:
		return r, fmt.Errorf("run %s: %w", name, err) // it did not start
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			err = fmt.Errorf("run %s: killed by %s", name, ws.Signal())
		} else {
			r.Status = ee.ExitCode()
			err = fmt.Errorf("run %s: exit status %d", name, r.Status)
		}
	} else {
		err = fmt.Errorf("run %s: %w", name, err)
	}
	if r.Body != "" {
		err = fmt.Errorf("%w: %s", err, r.Body)
	}
	return r, err
}

// headBuffer keeps the first maxReadBody bytes written to it and discards
// the rest (still accepting them, so that the writer is not blocked).
type headBuffer struct{ b []byte }

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := maxReadBody - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
