package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"
)

// The real tool's palette (a dark theme).
var (
	colorPrimary   = lipgloss.Color("#7C3AED") // purple
	colorSecondary = lipgloss.Color("#06B6D4") // cyan
	colorAccent    = lipgloss.Color("#F59E0B") // amber
	colorSuccess   = lipgloss.Color("#10B981") // green
	colorWarning   = lipgloss.Color("#F59E0B") // amber
	colorError     = lipgloss.Color("#EF4444") // red
	colorInfo      = lipgloss.Color("#3B82F6") // blue
	colorText      = lipgloss.Color("#E5E7EB") // light grey
	colorTextMuted = lipgloss.Color("#9CA3AF") // medium grey
	colorTextDim   = lipgloss.Color("#6B7280") // dark grey
	colorBorder    = lipgloss.Color("#374151") // border grey
)

// styles are the dashboard's styles, bound to one renderer (so a test can
// render without colour while the program renders for its terminal).
type styles struct {
	r *lipgloss.Renderer

	muted, dim                lipgloss.Style
	statusOK, statusWarn      lipgloss.Style
	statusError, statusInfo   lipgloss.Style
	box, header, section      lipgloss.Style
	footer                    lipgloss.Style
	value, good, bad, warn    lipgloss.Style
	bar, barEmpty, percent    lipgloss.Style
	simRule, simLabel, simKey lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) *styles {
	n := r.NewStyle
	fg := func(c lipgloss.Color) lipgloss.Style { return n().Foreground(c) }
	bold := func(c lipgloss.Color) lipgloss.Style { return fg(c).Bold(true) }
	return &styles{
		r:           r,
		muted:       fg(colorTextMuted),
		dim:         fg(colorTextDim),
		statusOK:    bold(colorSuccess),
		statusWarn:  bold(colorWarning),
		statusError: bold(colorError),
		statusInfo:  bold(colorInfo),
		box:         n().Border(lipgloss.RoundedBorder()).BorderForeground(colorBorder).Padding(0, 1),
		header:      n().Foreground(colorText).Background(colorPrimary).Bold(true).Padding(0, 1).MarginBottom(1),
		section: bold(colorSecondary).BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).
			BorderForeground(colorBorder),
		footer:   fg(colorTextMuted).MarginTop(1),
		value:    bold(colorText),
		good:     bold(colorSuccess),
		bad:      bold(colorError),
		warn:     bold(colorWarning),
		bar:      fg(colorPrimary),
		barEmpty: fg(colorBorder),
		percent:  bold(colorText),
		simRule:  fg(colorAccent),
		simLabel: bold(colorAccent),
		simKey:   bold(colorText),
	}
}

// label is a muted label of a fixed width (the real tool's 20, or 25 for
// wide labels), narrower when its column is.
func (s *styles) label(width int) lipgloss.Style {
	return s.muted.Width(width)
}

// speedStyle: green from real time, amber from 0.9x, red below.
func (s *styles) speedStyle(speed float64) lipgloss.Style {
	switch {
	case speed >= 1.0:
		return s.good
	case speed >= 0.9:
		return s.warn
	default:
		return s.bad
	}
}

// errorRateStyle: green at 0, amber below 1 %, red from 1 %.
func (s *styles) errorRateStyle(rate float64) lipgloss.Style {
	switch {
	case rate == 0:
		return s.good
	case rate < 0.01:
		return s.warn
	default:
		return s.bad
	}
}

// metricsLabel is the header's pipeline indicator: dropped parser lines
// degrade it, more than 10 % severely.
func (s *styles) metricsLabel(dropRate float64) string {
	switch {
	case dropRate > 0.10:
		return s.statusError.Render("● Metrics (severely degraded)")
	case dropRate > 0:
		return s.statusWarn.Render("● Metrics (degraded)")
	default:
		return s.statusOK.Render("● Metrics")
	}
}

// progressBar is the ramp's bar: width cells of █ and ░ and the percentage.
func (s *styles) progressBar(progress float64, width int) string {
	width = max(width, 10)
	filled := min(max(int(progress*float64(width)), 0), width)
	return s.bar.Render(repeat("█", filled)) + s.barEmpty.Render(repeat("░", width-filled)) +
		s.percent.Render(fmt.Sprintf(" %3.0f%%", progress*100))
}
