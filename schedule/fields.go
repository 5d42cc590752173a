package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// fieldMax is the largest value of each of the six cron fields: second,
// minute, hour, day of month, month, day of week (0 is Sunday; robfig/cron
// does not accept 7).
var fieldMax = [6]uint64{59, 59, 23, 31, 12, 6}

// checkSteps rejects a step larger than its field's largest value, such as
// the 61 of "*/61 * * * *". robfig/cron accepts it and fires only at the
// start of the range (minute 0 here), which is never what was meant. body
// must have passed robfig/cron's parser, which checked everything else.
func checkSteps(body string) error {
	if strings.HasPrefix(body, "@") {
		return nil
	}
	fields := strings.Fields(body)
	if len(fields) == 5 {
		fields = append([]string{"0"}, fields...)
	}
	if len(fields) != len(fieldMax) {
		return nil // robfig/cron counted them already
	}
	for i, field := range fields {
		for expr := range strings.SplitSeq(field, ",") {
			_, stepText, ok := strings.Cut(expr, "/")
			if !ok {
				continue
			}
			step, err := strconv.ParseUint(stepText, 10, 64)
			if err != nil { // robfig/cron accepted it, so it cannot happen
				return fmt.Errorf("step of range: %s", expr)
			}
			if step > fieldMax[i] {
				return fmt.Errorf("step (%d) above maximum (%d): %s", step, fieldMax[i], expr)
			}
		}
	}
	return nil
}
