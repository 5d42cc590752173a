package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/redlinehq/redline/internal/heapfloor"
)

// heapFloor is the memory the runtime may hold while the live heap is
// small; the collector runs when the heap reaches five eighths of it (see
// package heapfloor): a check allocates about a megabyte per page and
// keeps little, so without it a busy round collects dozens of times a
// second. Setting GOGC or GOMEMLIMIT turns it off.
const heapFloor = 96 << 20

func main() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		heapfloor.Set(heapFloor)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}
