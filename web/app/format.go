package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatBytes writes a byte count with a binary-free SI unit: "0 B", "950 B",
// "1.33 MB", "2.05 GB".
func FormatBytes(n float64) string {
	return siUnit(n, "B")
}

// FormatRate writes a per-second rate with an SI prefix: "512/s", "1.2k/s".
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

// FormatCount writes an integer with thin grouping: 12345 -> "12 345".
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
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

// FormatClock writes a virtual time as h:mm:ss (or m:ss under an hour).
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

// FormatSeconds writes a span in seconds with a unit fitting its size:
// "850 ms", "2.4 s", "3m05s".
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
