package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// unitBytes returns the number of bytes in a unit parseSize accepts,
// matched without regard to case.
func unitBytes(unit string) (int64, bool) {
	switch strings.ToLower(unit) {
	case "", "b":
		return 1, true
	case "kb":
		return 1000, true
	case "kib":
		return 1 << 10, true
	case "mb":
		return 1000 * 1000, true
	case "mib":
		return 1 << 20, true
	case "gb":
		return 1000 * 1000 * 1000, true
	case "gib":
		return 1 << 30, true
	}
	return 0, false
}

// parseSize parses a byte size: a non-negative integer, optionally followed
// (with or without a space) by a unit: B, KB, KiB, MB, MiB, GB or GiB.
// A plain integer is bytes.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && '0' <= t[i] && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf(`invalid size %q (want a whole number and a unit, e.g. "10MiB")`, s)
	}
	unit := strings.TrimSpace(t[i:])
	mult, ok := unitBytes(unit)
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (want B, KB, KiB, MB, MiB, GB or GiB)", s, unit)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n * mult, nil
}
