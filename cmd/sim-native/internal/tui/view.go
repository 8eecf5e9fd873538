package tui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"swarmsim/sim/stats"

	"github.com/charmbracelet/lipgloss"
)

// Column widths of the real tool at full size: two columns of 42 and three
// of 30, joined by " │ ".
const (
	twoColWidth   = 42
	threeColWidth = 30
	labelWidth    = 20
	wideLabel     = 25
)

// view renders the dashboard's sections for a frame at a width; the model
// fits them to the height.
type view struct {
	st     *styles
	f      *Frame
	width  int
	target int    // target client count
	stream string // the footer's stream
}

// inner is the width inside a box (borders and padding).
func (v *view) inner() int { return max(v.width-4, 20) }

// boxed draws content in the real tool's rounded box across the width.
func (v *view) boxed(content string) string {
	return v.st.box.Width(max(v.width-2, 10)).Render(content)
}

func (v *view) twoColumnWidth() int { return min(twoColWidth, (v.inner()-3)/2) }

func (v *view) threeColumnWidth() int { return min(threeColWidth, (v.inner()-6)/3) }

// columns joins columns of width w side by side, separated by " │ ".
func (v *view) columns(w int, cols ...[]string) string {
	sep := v.st.muted.Render(" │ ")
	var parts []string
	for i, c := range cols {
		if i > 0 {
			parts = append(parts, sep)
		}
		parts = append(parts, v.st.r.NewStyle().Width(w).Render(lipgloss.JoinVertical(lipgloss.Left, c...)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, parts...)
}

// row is "label: value" with the label in a column of width lw.
func (v *view) row(lw int, label, value string, style lipgloss.Style) string {
	return lipgloss.JoinHorizontal(lipgloss.Left, v.st.label(lw).Render(label+":"), style.Render(value))
}

// header: the tool's name, the pipeline status, clients and elapsed time.
func (v *view) header() string {
	s := v.f.Stats
	text := fmt.Sprintf(" go-ffmpeg-hls-swarm │ %s │ Clients: %d/%d │ Elapsed: %s ",
		v.st.metricsLabel(s.CurrentDropRate), s.ActiveClients, v.target, stats.FormatExitDuration(v.f.Now))
	return v.st.header.Width(v.width).Render(text)
}

// rampProgress: active clients against the target.
func (v *view) rampProgress() string {
	active := v.f.Stats.ActiveClients
	progress := 0.0
	if v.target > 0 {
		progress = float64(active) / float64(v.target)
	}
	var status string
	if progress >= 1 {
		status = v.st.statusOK.Render(fmt.Sprintf("✓ All clients running (%d / %d)", active, v.target))
	} else {
		status = v.st.statusInfo.Render(fmt.Sprintf("Ramping up... %d/%d", active, v.target))
	}
	return v.boxed(lipgloss.JoinVertical(lipgloss.Left,
		v.st.section.Render("Ramp Progress"),
		v.st.progressBar(progress, max(v.width-30, 20)),
		status))
}

// requestStats: totals and average rates since the start.
func (v *view) requestStats() string {
	s := v.f.Stats
	lw := min(wideLabel, v.inner()-24)
	row := func(label, value, rate string) string {
		return lipgloss.JoinHorizontal(lipgloss.Left,
			v.st.label(lw).Render(label+":"),
			v.st.value.Width(12).Render(value),
			v.st.muted.Render(" ("), v.st.value.Render(rate), v.st.muted.Render(")"))
	}
	return v.boxed(lipgloss.JoinVertical(lipgloss.Left,
		v.st.section.Render("Request Statistics"),
		row("Manifest Requests", stats.FormatShortCount(s.TotalManifestReqs), formatRate(s.ManifestReqRate)),
		row("Segment Requests", stats.FormatShortCount(s.TotalSegmentReqs), formatRate(s.SegmentReqRate)),
		row("Total Bytes", stats.FormatShortBytes(s.TotalBytes), stats.FormatShortBytes(int64(s.ThroughputBytesPerSec))+"/s")))
}

// latency: manifest and segment latency percentiles, segment throughput
// over windows. Shown once a median exists, as in the real tool.
func (v *view) latency() string {
	s := v.f.Stats
	if s.SegmentLatencyP50 == 0 && s.ManifestLatencyP50 == 0 {
		return ""
	}
	w := v.threeColumnWidth()
	lw := min(labelWidth, w-9)
	percentiles := func(title string, p25, p50, p75, p95, p99, pmax time.Duration) []string {
		col := []string{v.st.section.Render(title)}
		if p50 == 0 {
			return append(col, v.st.dim.Render("  (no data)"))
		}
		for _, r := range []struct {
			label string
			d     time.Duration
		}{{"P25", p25}, {"P50 (median)", p50}, {"P75", p75}, {"P95", p95}, {"P99", p99}, {"Max", pmax}} {
			col = append(col, v.row(lw, r.label, stats.FormatWholeMs(r.d), v.st.value))
		}
		return col
	}
	man := percentiles("Manifest Latency *", s.ManifestLatencyP25, s.ManifestLatencyP50, s.ManifestLatencyP75,
		s.ManifestLatencyP95, s.ManifestLatencyP99, s.ManifestLatencyMax)
	seg := percentiles("Segment Latency *", s.SegmentLatencyP25, s.SegmentLatencyP50, s.SegmentLatencyP75,
		s.SegmentLatencyP95, s.SegmentLatencyP99, s.SegmentLatencyMax)
	thr := []string{v.st.section.Render("Segment Throughput *")}
	if smp := v.f.Sample; smp != nil && s.TotalBytes > 0 {
		thr = append(thr,
			v.row(lw, "Last 1s", formatByteRate(smp.ThroughputBps), v.st.value),
			v.row(lw, "Last 30s", formatByteRate(smp.Throughput30s), v.st.value),
			v.row(lw, "Last 60s", formatByteRate(smp.Throughput60s), v.st.value),
			v.row(lw, "Last 5m", formatByteRate(smp.Throughput5m), v.st.value),
			v.row(lw, "Overall", formatByteRate(s.ThroughputBytesPerSec), v.st.value),
			v.row(lw, "Total", stats.FormatShortBytes(s.TotalBytes), v.st.value))
	} else {
		thr = append(thr, v.st.dim.Render("  (warming up)"))
	}
	note := v.st.dim.Render("* simulated: exact virtual-time latencies and the bytes the origin sent")
	return v.boxed(lipgloss.JoinVertical(lipgloss.Left, v.columns(w, man, seg, thr), note))
}

// healthAndErrors: Playback Health | Errors.
func (v *view) healthAndErrors() string {
	s := v.f.Stats
	w := v.twoColumnWidth()
	lw := min(labelWidth, w-12)
	speedDist := "N/A"
	if n := s.ClientsAboveRealtime + s.ClientsBelowRealtime; n > 0 {
		speedDist = fmt.Sprintf("%d healthy (%.0f%%), %d buffering",
			s.ClientsAboveRealtime, float64(s.ClientsAboveRealtime)/float64(n)*100, s.ClientsBelowRealtime)
	}
	stalled := v.st.value
	if s.StalledClients > 0 {
		stalled = v.st.bad
	}
	left := []string{
		v.st.section.Render("Playback Health"),
		v.row(lw, "Speed Distribution", speedDist, v.st.value),
		v.row(lw, "Average Speed", fmt.Sprintf("%.2fx", s.AverageSpeed), v.st.speedStyle(s.AverageSpeed)),
		v.row(lw, "Stalled Clients", fmt.Sprintf("%d", s.StalledClients), stalled),
	}
	if s.MaxDrift > 0 {
		drift := v.st.value
		if s.ClientsWithHighDrift > 0 {
			drift = v.st.warn
		}
		left = append(left, v.row(lw, "Max Drift", stats.FormatWholeMs(s.MaxDrift), drift))
	}
	right := []string{v.st.section.Render("Errors")}
	if s.HTTPErrorsTotal > 0 || s.TotalTimeouts > 0 || s.TotalReconnections > 0 {
		for _, code := range slices.Sorted(maps.Keys(s.TotalHTTPErrors)) {
			n := s.TotalHTTPErrors[code]
			label := fmt.Sprintf("HTTP %d", code)
			if code == 0 {
				label = "HTTP other"
			}
			right = append(right, v.row(lw, label, fmt.Sprintf("%d", n), v.st.bad))
		}
		if s.TotalTimeouts > 0 {
			right = append(right, v.row(lw, "Timeouts", fmt.Sprintf("%d", s.TotalTimeouts), v.st.bad))
		}
		if s.TotalReconnections > 0 {
			right = append(right, v.row(lw, "Reconnections", fmt.Sprintf("%d", s.TotalReconnections), v.st.warn))
		}
		right = append(right, v.row(lw, "Error Rate", formatPercent(s.ErrorRate), v.st.errorRateStyle(s.ErrorRate)))
	} else {
		right = append(right, v.st.dim.Render("  (no errors)"))
	}
	return v.boxed(v.columns(w, left, right))
}

// originMetrics: the real tool's Origin Metrics box filled from the
// simulated origin. CPU, memory and inbound traffic have no counterpart and
// are left out.
func (v *view) originMetrics() string {
	f := v.f
	w := v.twoColumnWidth()
	lw := 14
	vw := max(w-lw-12, 10)
	row := func(label, value, extra string) string {
		parts := []string{v.st.label(lw).Render(label), v.st.value.Width(vw).Render(value)}
		if extra != "" {
			parts = append(parts, v.st.muted.Render(extra))
		}
		return lipgloss.JoinHorizontal(lipgloss.Left, parts...)
	}
	out := 0.0
	if f.Sample != nil {
		out = f.Sample.ThroughputBps
	}
	left := []string{v.st.section.Render("Origin Server")}
	left = append(left, row("Net Out:", stats.FormatShortBytes(int64(out))+"/s", ""))
	if p50, peak := windowStats(f); peak > 0 {
		left = append(left, v.st.muted.Render(fmt.Sprintf("  (P50: %s/s, Max: %s/s, %ds)",
			stats.FormatShortBytes(int64(p50)), stats.FormatShortBytes(int64(peak)), int(OriginWindow.Seconds()))))
	}
	if c := f.Origin.CapacityBps; c > 0 {
		used := out / c
		left = append(left, row("Capacity:", stats.FormatShortBytes(int64(c))+"/s", ""),
			lipgloss.JoinHorizontal(lipgloss.Left, v.st.label(lw).Render("Used:"),
				v.st.value.Width(vw).Render(fmt.Sprintf("%.1f%%", used*100)), v.st.muted.Render(meter(used, 10))))
	} else {
		left = append(left, row("Capacity:", "unlimited", ""))
	}
	left = append(left, v.st.dim.Render("  (no CPU or memory: simulated)"))
	right := []string{
		v.st.section.Render("Nginx"),
		row("Connections:", stats.FormatNumber(int64(f.Origin.Connections)), ""),
		row("Req/sec:", fmt.Sprintf("%.1f", f.requestRate()), ""),
	}
	return v.boxed(v.columns(w, left, right))
}

// windowStats is the median and the peak of the origin's throughput over
// the frame's window of samples.
func windowStats(f *Frame) (p50, peak float64) {
	n := len(f.Window)
	if n == 0 {
		return 0, 0
	}
	xs := make([]float64, n)
	for i, s := range f.Window {
		xs[i] = s.ThroughputBps
		peak = max(peak, s.ThroughputBps)
	}
	slices.Sort(xs)
	return xs[(n-1)/2], peak
}

// meter is the real tool's bracketed bar: [████░░░░░░].
func meter(ratio float64, width int) string {
	filled := min(max(int(ratio*float64(width)), 0), width)
	return "[" + repeat("█", filled) + repeat("░", width-filled) + "]"
}

// footer: the keys of the real tool's footer and the stream.
func (v *view) footer() string {
	left := v.st.dim.Render(strings.Join([]string{"q: quit", "d: toggle details", "r: refresh"}, " │ "))
	right := v.st.dim.Render("Stream: " + truncate(v.stream, max(v.width-lipgloss.Width(left)-11, 10)))
	pad := max(v.width-lipgloss.Width(left)-lipgloss.Width(right)-2, 1)
	return v.st.footer.Render(left + strings.Repeat(" ", pad) + right)
}

// truncate cuts s to n cells with "...".
func truncate(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+3 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}
