package tui

import (
	"fmt"
	"strings"
	"time"
)

// The real tool's number formats.

// formatClock is HH:MM:SS.
func formatClock(d time.Duration) string {
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	s := int(d.Seconds()) % 60
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}

// formatCount is n with a K or M suffix from a thousand on: 999, 1.2K, 3.4M.
func formatCount(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%.1fK", float64(n)/1_000)
	}
	return fmt.Sprintf("%d", n)
}

// formatBytes is a byte count in decimal units with two decimals: 1.50 MB.
func formatBytes(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.2f GB", float64(n)/1_000_000_000)
	case n >= 1_000_000:
		return fmt.Sprintf("%.2f MB", float64(n)/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%.2f KB", float64(n)/1_000)
	}
	return fmt.Sprintf("%d B", n)
}

// formatByteRate is a rate in bytes/s with one decimal: 12.3 MB/s.
func formatByteRate(bps float64) string {
	switch {
	case bps >= 1_000_000_000:
		return fmt.Sprintf("%.1f GB/s", bps/1_000_000_000)
	case bps >= 1_000_000:
		return fmt.Sprintf("%.1f MB/s", bps/1_000_000)
	case bps >= 1_000:
		return fmt.Sprintf("%.1f KB/s", bps/1_000)
	}
	return fmt.Sprintf("%.0f B/s", bps)
}

// formatRate is a per-second rate: 0.25/s, 12.3/s, 1.2K/s.
func formatRate(r float64) string {
	switch {
	case r >= 1000:
		return fmt.Sprintf("%.1fK/s", r/1000)
	case r >= 1:
		return fmt.Sprintf("%.1f/s", r)
	}
	return fmt.Sprintf("%.2f/s", r)
}

// formatPercent is a ratio as a percentage with one decimal: 0.123 -> 12.3%.
func formatPercent(ratio float64) string { return fmt.Sprintf("%.1f%%", ratio*100) }

// formatMs is a latency in whole milliseconds, or microseconds below one.
func formatMs(d time.Duration) string {
	if ms := d.Milliseconds(); ms != 0 || d <= 0 {
		return fmt.Sprintf("%d ms", ms)
	}
	return fmt.Sprintf("%d µs", d.Microseconds())
}

// formatThousands is n with comma separators: 1,234,567.
func formatThousands(n int64) string {
	if n < 0 {
		n = 0
	}
	s := fmt.Sprintf("%d", n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s, n)
}
