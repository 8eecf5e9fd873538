package tui

import (
	"fmt"
	"strings"

	"swarmsim/sim/stats"

	"github.com/charmbracelet/lipgloss"
)

// layers is the real tool's "Origin Load Test Dashboard" (its HLS, HTTP and
// TCP layers) with the rows a simulated swarm counts: rows without a
// counterpart here (failed and expired segments, segment wall time,
// playlist failures) are left out. Its ⚠️ and ⏱️ (a symbol and an emoji
// variation selector) are drawn as the plain symbol and a space: terminals
// disagree on the width of the pair, which broke the box's right edge.
func (v *view) layers() string {
	s := v.f.Stats
	w := v.twoColumnWidth()
	lw, vw, bw := 18, 12, 12
	narrow := w < 42
	if narrow { // 15 + 10 + 11 cells, labels indented by one space
		lw, vw, bw = 15, 10, 11
	}
	st := v.st
	metric := func(label, value, bracket string, vs, bs lipgloss.Style) string {
		if narrow {
			label = strings.TrimPrefix(label, " ")
		}
		return lipgloss.JoinHorizontal(lipgloss.Left,
			st.r.NewStyle().Width(lw).Render(label),
			vs.Width(vw).Align(lipgloss.Right).Render(value),
			bs.Width(bw).Align(lipgloss.Right).Render(bracket))
	}
	when := func(cond bool, yes lipgloss.Style) lipgloss.Style {
		if cond {
			return yes
		}
		return st.value
	}
	pct := func(n, of int64) string {
		r := 0.0
		if of > 0 {
			r = float64(n) / float64(of)
		}
		return fmt.Sprintf("(%.2f%%)", r*100)
	}
	rate := func(r float64) string {
		switch {
		case r >= 1000:
			return fmt.Sprintf("+%.1fK/s", r/1000)
		case r >= 1:
			return fmt.Sprintf("+%.0f/s", r)
		case r > 0:
			return fmt.Sprintf("+%.1f/s", r)
		}
		return "(stalled)"
	}
	var segRate, manRate float64
	if smp := v.f.Sample; smp != nil {
		segRate, manRate = smp.SegmentRate, smp.ManifestRate
	}
	rule := strings.Repeat("─", max(v.width-4, 10))
	layer := func(title string, left, right []string) string {
		return lipgloss.JoinVertical(lipgloss.Left, st.section.Render(title), rule, v.columns(w, left, right))
	}

	hls := layer("📺 HLS LAYER",
		[]string{
			st.muted.Render("Segments"),
			metric("  ✅ Downloaded:", stats.FormatNumber(s.SegmentLatencyCount), rate(segRate),
				when(s.SegmentLatencyCount > 0, st.good), when(s.SegmentLatencyCount > 0, st.good)),
			metric("  🔴 Skipped:", stats.FormatNumber(s.SkippedSequences), "(data loss)",
				when(s.SkippedSequences > 0, st.bad), st.muted),
		},
		[]string{
			st.muted.Render("Playlists"),
			metric("  ✅ Refreshed:", stats.FormatNumber(s.PlaylistRefreshes), rate(manRate),
				when(s.PlaylistRefreshes > 0, st.good), when(s.PlaylistRefreshes > 0, st.good)),
			metric("  ⏱  Jitter:", fmt.Sprintf("%d ms avg", s.PlaylistJitterAvg.Milliseconds()),
				fmt.Sprintf("/%d ms max", s.PlaylistJitterMax.Milliseconds()),
				when(s.PlaylistJitterMax.Milliseconds() > 100, st.warn), when(s.PlaylistJitterMax.Milliseconds() > 100, st.warn)),
			metric("  ⏰ Late:", stats.FormatNumber(s.PlaylistLateCount), pct(s.PlaylistLateCount, s.PlaylistRefreshes),
				when(s.PlaylistLateCount > 0, st.warn), when(s.PlaylistLateCount > 0, st.warn)),
			metric("  Skips:", stats.FormatNumber(s.SequenceSkips), "", st.value, st.value),
		})

	var c4, c5 int64
	for code, n := range s.TotalHTTPErrors {
		switch {
		case code >= 400 && code < 500:
			c4 += n
		case code >= 500 && code < 600:
			c5 += n
		}
	}
	requests := s.TotalManifestReqs + s.TotalSegmentReqs + s.TotalInitReqs
	ok := max(requests-s.HTTPErrorsTotal-s.TotalTimeouts, 0)
	status, statusStyle := "● Healthy", st.good
	switch {
	case s.ErrorRate > 0.20:
		status, statusStyle = "● Critical", st.bad
	case s.ErrorRate > 0.05:
		status, statusStyle = "● Unhealthy", st.bad
	case s.ErrorRate > 0.01:
		status, statusStyle = "● Degraded", st.warn
	}
	http := layer("🌐 HTTP LAYER",
		[]string{
			st.muted.Render("Requests"),
			metric("  ✅ Successful:", stats.FormatNumber(ok), "", when(ok > 0, st.good), st.value),
			metric("  ⚠  Failed:", stats.FormatNumber(c4+c5), pct(c4+c5, ok), when(c4+c5 > 0, st.bad), when(c4+c5 > 0, st.bad)),
			metric("  🔄 Reconnects:", stats.FormatNumber(s.TotalReconnections), "", when(s.TotalReconnections > 0, st.warn), st.value),
		},
		[]string{
			st.muted.Render("Errors"),
			metric("  4xx Client:", stats.FormatNumber(c4), pct(c4, ok), when(c4 > 0, st.bad), when(c4 > 0, st.bad)),
			metric("  5xx Server:", stats.FormatNumber(c5), pct(c5, ok), when(c5 > 0, st.bad), when(c5 > 0, st.bad)),
			metric("  Error Rate:", fmt.Sprintf("%.2f%%", s.ErrorRate*100), "", st.errorRateStyle(s.ErrorRate), st.value),
			lipgloss.JoinHorizontal(lipgloss.Left, st.r.NewStyle().Width(lw).Render(strings.TrimPrefix("  Status:", map[bool]string{true: " "}[narrow])), statusStyle.Render(status)),
		})

	attempts := s.TCPConnectSuccess + s.TCPConnectRefused + s.TCPConnectTimeout
	health := 0.0
	if attempts > 0 {
		health = float64(s.TCPConnectSuccess) / float64(attempts)
	}
	healthStyle := st.value
	switch {
	case health < 0.5:
		healthStyle = st.bad
	case health < 0.9:
		healthStyle = st.warn
	}
	filled := min(max(int(health*10), 0), 10)
	avg := float64(s.TCPConnectAvg.Microseconds()) / 1000
	latStyle := st.value
	switch {
	case avg > 500:
		latStyle = st.bad
	case avg > 100:
		latStyle = st.warn
	}
	tcp := layer("🔌 TCP LAYER",
		[]string{
			st.muted.Render("Connections"),
			metric("  ✅ Success:", stats.FormatNumber(s.TCPConnectSuccess), pct(s.TCPConnectSuccess, attempts), st.good, st.good),
			metric("  🚫 Refused:", stats.FormatNumber(s.TCPConnectRefused), pct(s.TCPConnectRefused, attempts),
				when(s.TCPConnectRefused > 0, st.bad), when(s.TCPConnectRefused > 0, st.bad)),
			metric("  ⏱  Timeout:", stats.FormatNumber(s.TCPConnectTimeout), pct(s.TCPConnectTimeout, attempts),
				when(s.TCPConnectTimeout > 0, st.bad), when(s.TCPConnectTimeout > 0, st.bad)),
			metric("  Health:", repeat("●", filled)+repeat("○", 10-filled), fmt.Sprintf("%.2f%%", health*100), healthStyle, healthStyle),
		},
		[]string{
			st.muted.Render("Connect Latency"),
			metric("  Avg:", fmt.Sprintf("%.0fms", avg), "", latStyle, st.value),
			metric("  Max:", fmt.Sprintf("%dms", s.TCPConnectLatencyMax.Milliseconds()), "", latStyle, st.value),
			st.muted.Render("  (Note: Keep-alive = few connects)"),
		})

	title := st.r.NewStyle().Foreground(colorPrimary).Bold(true).Render("Origin Load Test Dashboard")
	return v.boxed(lipgloss.JoinVertical(lipgloss.Left, title, rule, hls, http, tcp))
}
