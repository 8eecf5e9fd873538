package tui

import (
	"fmt"
	"strings"
)

// The real tool's number formats.

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

func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s, n)
}
