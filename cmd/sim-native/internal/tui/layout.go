package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// section is one part of the dashboard; keep orders what stays when the
// terminal is short (lower stays first).
type section struct {
	text string
	keep int
}

// Which sections stay first on a short terminal: the frame of the screen
// (header, footer, simulation panel), then what shows a swarm in trouble.
const (
	keepFrame = iota
	keepHealth
	keepOrigin
	keepRamp
	keepRequests
	keepLatency
	keepLayers
)

// fit keeps the sections (in their order) that fit height lines, dropping
// the ones with the highest keep first; it returns the screen and how many
// were dropped. A section that is empty (not shown) does not count.
func fit(parts []section, height int) (string, int) {
	used := 0
	for _, p := range parts {
		if p.keep == keepFrame {
			used += lipgloss.Height(p.text)
		}
	}
	shown := make([]bool, len(parts))
	hidden := 0
	for keep := keepFrame; keep <= keepLayers; keep++ {
		for i, p := range parts {
			if p.keep != keep || p.text == "" {
				continue
			}
			h := lipgloss.Height(p.text)
			if keep == keepFrame || used+h <= height {
				shown[i] = true
				if keep != keepFrame {
					used += h
				}
			} else {
				hidden++
			}
		}
	}
	var out []string
	for i, p := range parts {
		if shown[i] {
			out = append(out, p.text)
		}
	}
	return strings.Join(out, "\n"), hidden
}
