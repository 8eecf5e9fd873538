package stats

import (
	"fmt"
	"time"
)

// FormatClock writes a position on a run's clock as h:mm:ss, or m:ss under
// an hour, as a media player shows it: "0:00", "1:05", "2:00:01". Fractions
// of a second are dropped and negative times read as 0:00. FormatDuration
// writes a span instead ("3m04s", "12.5s"), whose width and units change
// with its size.
func FormatClock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	h, m, sec := s/3600, (s/60)%60, s%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}
