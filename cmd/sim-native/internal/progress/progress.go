package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"swarmsim/sim/stats"
)

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Bar is a throttled progress line. The zero value is not usable; use New.
type Bar struct {
	w        io.Writer
	enabled  bool
	total    time.Duration
	now      func() time.Time
	start    time.Time
	last     time.Time
	delay    time.Duration // nothing is drawn before this much real time has passed
	interval time.Duration // minimum real time between redraws
	drawn    bool
	width    int
}

// New returns a bar for a run of total virtual time. When enabled is false every method
// is a no-op. now is the wall clock (time.Now in production).
func New(w io.Writer, total time.Duration, enabled bool, now func() time.Time) *Bar {
	t := now()
	return &Bar{w: w, enabled: enabled, total: total, now: now, start: t,
		delay: 300 * time.Millisecond, interval: 100 * time.Millisecond, width: 30}
}

// Update redraws the bar for done virtual time, at most every 100 ms of real time and
// only once the run has taken longer than a moment.
func (b *Bar) Update(done time.Duration) {
	if b == nil || !b.enabled {
		return
	}
	t := b.now()
	if t.Sub(b.start) < b.delay || t.Sub(b.last) < b.interval {
		return
	}
	b.last = t
	b.drawn = true
	fmt.Fprintf(b.w, "\r%s\x1b[K", Render(done, b.total, t.Sub(b.start), b.width))
}

// Finish clears the bar line if anything was drawn.
func (b *Bar) Finish() {
	if b == nil || !b.enabled || !b.drawn {
		return
	}
	fmt.Fprint(b.w, "\r\x1b[K")
	b.drawn = false
}

// Render formats one progress line: a bar of width cells, virtual time done of total,
// the speed (virtual / real time) and the ETA at that speed.
func Render(done, total, real time.Duration, width int) string {
	frac := 0.0
	if total > 0 {
		frac = min(max(float64(done)/float64(total), 0), 1)
	}
	filled := int(frac * float64(width))
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	speed, eta := "-", "-"
	if real > 0 && done > 0 {
		x := float64(done) / float64(real)
		speed = fmt.Sprintf("%.0fx", x)
		if x < 10 {
			speed = fmt.Sprintf("%.1fx", x)
		}
		left := time.Duration(float64(total-done) / x)
		eta = stats.FormatClock(left.Round(time.Second))
	}
	return fmt.Sprintf("[%s] %s / %s %3.0f%%  speed %s  ETA %s",
		bar, stats.FormatClock(done.Truncate(time.Second)), stats.FormatClock(total), 100*frac, speed, eta)
}
