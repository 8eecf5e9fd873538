package app

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Counts and byte totals use stats.FormatNumber and stats.FormatBytes, as
// the command-line summary does. The formatters below stay UI-specific
// because their output must differ:

// FormatRate writes a per-second rate with an SI prefix: "512/s", "1.2k/s",
// "71.9 MB/s". stats.FormatRate has no prefix ("71900000.0/s"), too wide for
// a stat column or a chart axis, and no unit.
func FormatRate(n float64, unit string) string {
	return siUnit(n, unit) + "/s"
}

func siUnit(n float64, unit string) string {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "–"
	}
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	prefixes := []string{"", "k", "M", "G", "T", "P"}
	i := 0
	for n >= 999.5 && i < len(prefixes)-1 {
		n /= 1000
		i++
	}
	sep := " "
	if unit == "" {
		sep = ""
	}
	if i == 0 {
		if n == math.Floor(n) {
			return fmt.Sprintf("%s%.0f%s%s", sign, n, sep, unit)
		}
		return fmt.Sprintf("%s%.3g%s%s", sign, n, sep, unit)
	}
	return fmt.Sprintf("%s%.3g%s%s%s", sign, n, sep, prefixes[i], unit)
}

// FormatPercent writes a ratio as a percentage with 2 significant decimals
// for small values: 0 -> "0 %", 0.00042 -> "0.042 %", 0.125 -> "12.5 %".
func FormatPercent(r float64) string {
	if r == 0 {
		return "0 %"
	}
	p := r * 100
	switch {
	case p >= 10:
		return fmt.Sprintf("%.1f %%", p)
	case p >= 1:
		return fmt.Sprintf("%.2f %%", p)
	default:
		return fmt.Sprintf("%.2g %%", p)
	}
}

// FormatSeconds writes a span in seconds with a unit fitting its size:
// "850 ms", "2.4 s", "3m05s". Unlike stats.FormatDuration it keeps three
// significant digits below a millisecond step ("12.3 ms", not "12ms": chart
// latencies of a few ms need them) and writes a Gap (NaN) as "–".
func FormatSeconds(s float64) string {
	switch {
	case math.IsNaN(s):
		return "–"
	case s < 0:
		return "-" + FormatSeconds(-s)
	case s == 0:
		return "0 s"
	case s < 1:
		return fmt.Sprintf("%.3g ms", s*1000)
	case s < 60:
		return fmt.Sprintf("%.3g s", s)
	default:
		d := time.Duration(s * float64(time.Second)).Round(time.Second)
		out := d.String()
		if strings.HasSuffix(out, "m0s") {
			out = strings.TrimSuffix(out, "0s")
		}
		return out
	}
}
