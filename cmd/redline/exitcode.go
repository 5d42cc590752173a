package main

// Exit codes, the same for every command. `redline check` is meant for cron
// jobs and scripts, so it tells "nothing to see" from "look at this" from
// "something is broken" by its status alone.
const (
	// exitOK: the command did what was asked; for check, nothing changed
	// and every check succeeded.
	exitOK = 0
	// exitFailure: redline could not do what was asked (unreadable config,
	// database error, unknown watch, bad input).
	exitFailure = 1
	// exitUsage: the command line is wrong (unknown command or flag,
	// missing argument).
	exitUsage = 2
	// exitChanged: check recorded at least one changed revision and every
	// check succeeded.
	exitChanged = 3
	// exitCheckFailed: at least one check failed (fetch or extraction
	// error), whether or not others found changes.
	exitCheckFailed = 4
)
