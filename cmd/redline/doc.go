// Command redline watches web pages and reports exactly what changed.
//
// Usage:
//
//	redline [--db DSN] [--config FILE] [--log-level L] COMMAND [ARGS]
//
// The commands are add, list, rm, check, history, diff, extract and
// version; `redline help` lists them and `redline COMMAND --help` shows a
// command's flags. Each command lives in its own file; app.go holds what
// they share (global flags, opening the config and the store, resolving a
// watch by URL, ID or name). main only wires the process's signals and
// standard streams to run, so the end-to-end tests call the real CLI.
//
// Exit codes are listed in exitcode.go: 0 success (for check: nothing
// changed), 1 failure, 2 usage error, 3 check found changes, 4 some checks
// failed. The JSON Lines that `check --format jsonl` prints are a contract
// documented in the README (checkLine in check.go).
package main
