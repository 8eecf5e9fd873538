package tui

import (
	"fmt"
	"strings"

	"swarmsim/sim/stats"

	"github.com/charmbracelet/lipgloss"
)

// Speeds are the speed keys 1-4: real time, 10x, 60x and as fast as
// possible (0), the browser's choices.
var Speeds = [4]float64{1, 10, 60, 0}

// formatSpeed is "10x", or "max" for 0.
func formatSpeed(f float64) string {
	if f == 0 {
		return "max"
	}
	return fmt.Sprintf("%gx", f)
}

// simState is what the simulation panel shows beyond the frame.
type simState struct {
	speed  float64
	paused bool
	done   bool
	hidden int    // sections left out for the height
	note   string // the last key's outcome (an injected fault, an error)
}

// simPanel is the simulation's own part, apart from the real tool's layout
// under a rule marked "simulation": the virtual clock and speed, the
// current event and its caption, the keys.
func (v *view) simPanel(ss simState) string {
	st := v.st
	w := max(v.width, 20)
	title := " simulation "
	rule := st.simRule.Render("──") + st.simLabel.Render(title) + st.simRule.Render(repeat("─", w-2-lipgloss.Width(title)))

	state := "running"
	switch {
	case ss.done:
		state = "finished"
	case ss.paused:
		state = "PAUSED"
	}
	status := fmt.Sprintf("virtual %s / %s │ speed %s │ %s", stats.FormatExitDuration(v.f.Now), stats.FormatExitDuration(v.f.Duration),
		formatSpeed(ss.speed), state)
	if ss.hidden > 0 {
		noun := "sections"
		if ss.hidden == 1 {
			noun = "section"
		}
		status += fmt.Sprintf(" │ %d %s hidden", ss.hidden, noun)
		if w >= 100 {
			status += ": a taller terminal shows them"
		}
	}

	var event string
	switch ev, ok := v.f.activeEvent(); {
	case ss.note != "":
		event = ss.note
	case ok:
		kind := string(ev.Kind)
		if ev.Injected {
			kind += " (injected)"
		}
		event = fmt.Sprintf("now: %s %s-%s  %s", kind, stats.FormatExitDuration(ev.Start), stats.FormatExitDuration(ev.End), ev.Caption)
	default:
		if next, ok := v.f.nextEvent(); ok {
			event = fmt.Sprintf("next: %s at %s  %s", next.Kind, stats.FormatExitDuration(next.Start), next.Caption)
		} else {
			event = "no event in effect"
		}
	}
	speeds := "speed"
	if w >= 100 {
		speeds = "speed 1x/10x/60x/max"
	}
	key := func(k, what string) string { return st.simKey.Render(k) + st.muted.Render(" "+what) }
	keys := strings.Join([]string{
		key("space", "pause"), key("1-4", speeds),
		key("o", "outage") + " " + key("b", "503") + " " + key("c", "capacity") + " " + key("s", "stale") + " " + key("+/-", "clients"),
	}, st.dim.Render(" │ "))
	return lipgloss.JoinVertical(lipgloss.Left,
		rule,
		st.muted.Render(truncate(status, w)),
		st.value.Render(truncate(event, w)),
		truncateStyled(keys, w))
}

// truncateStyled cuts a styled line to w cells.
func truncateStyled(s string, w int) string {
	return lipgloss.NewStyle().MaxWidth(w).Render(s)
}
