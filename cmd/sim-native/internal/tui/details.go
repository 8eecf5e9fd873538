package tui

import (
	"fmt"

	"swarmsim/sim/stats"

	"github.com/charmbracelet/lipgloss"
)

// clientTable is the real tool's detailed view (key d): one row per client
// with its requests, bytes, current speed and errors (HTTP errors, timeouts
// and reconnections); the first rows clients, then how many more.
func (v *view) clientTable(rows int) string {
	st := v.st
	s := v.f.Stats
	if len(s.PerClientSummaries) == 0 {
		return v.boxed(st.dim.Render("No per-client data available. Press 'd' to toggle."))
	}
	head := st.section.Render(fmt.Sprintf("%-6s %-10s %-10s %-10s %-8s %-8s",
		"ID", "Manifests", "Segments", "Bytes", "Speed", "Errors"))
	rows = max(rows, 3)
	var lines []string
	for i, c := range s.PerClientSummaries {
		if i >= rows {
			lines = append(lines, st.dim.Render(fmt.Sprintf("... and %d more clients", len(s.PerClientSummaries)-rows)))
			break
		}
		errs := c.Timeouts + c.Reconnections
		for _, n := range c.HTTPErrors {
			errs += n
		}
		row := st.r.NewStyle().Foreground(colorText)
		if i%2 == 1 {
			row = st.muted
		}
		lines = append(lines, row.Render(fmt.Sprintf("%-6d %-10s %-10s %-10s ", c.ClientID,
			stats.FormatShortCount(c.ManifestRequests), stats.FormatShortCount(c.SegmentRequests), stats.FormatShortBytes(c.TotalBytes)))+
			st.speedStyle(c.CurrentSpeed).Render(fmt.Sprintf("%-8s", fmt.Sprintf("%.2fx", c.CurrentSpeed)))+
			row.Render(fmt.Sprintf(" %-8d", errs)))
	}
	return v.boxed(lipgloss.JoinVertical(lipgloss.Left,
		append([]string{st.section.Render("Per-Client Statistics"), head}, lines...)...))
}
