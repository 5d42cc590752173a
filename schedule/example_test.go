package schedule_test

import (
	"fmt"
	"time"

	"github.com/redlinehq/redline/schedule"
)

func Example() {
	spec, err := schedule.Parse("CRON_TZ=Europe/Paris 0 9 * * *")
	if err != nil {
		fmt.Println(err)
		return
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	const watchID = 42
	now := time.Date(2025, time.January, 15, 12, 0, 0, 0, paris)
	next := spec.Next(now, watchID, schedule.History{})
	fmt.Println(next.Format(time.DateTime)) // 09:00 plus this watch's jitter
	// A check that ran at that time, or a bit late, is followed by the next day's.
	fmt.Println(spec.Next(next.Add(3*time.Second), watchID, schedule.History{}).Format(time.DateTime))
	fmt.Println(spec.Period(now))

	adaptive, err := schedule.ParseWith("adaptive", schedule.Adaptive{Min: 30 * time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := schedule.History{FirstSeen: now.Add(-10 * time.Hour)} // 10h old: hourly
	fmt.Println(adaptive.Next(now, watchID, h).Sub(now))

	_, err = schedule.Parse("*/61 * * * *")
	fmt.Println(err)

	// Retry a watch that failed three times in a row after
	// min(now+backoff, next due time).
	fmt.Println(schedule.Backoff(time.Minute, 3, spec.Period(now)))
	// Output:
	// 2025-01-16 09:10:13
	// 2025-01-17 09:10:13
	// 24h0m0s
	// 1h10m13s
	// invalid schedule "*/61 * * * *": step (61) above maximum (59): */61
	// 4m0s
}
