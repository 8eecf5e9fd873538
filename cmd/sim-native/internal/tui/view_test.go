package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

// The screens at fixed virtual times and sizes, as text.
func TestScreens(t *testing.T) {
	cases := []struct {
		name, preset string
		at           time.Duration
		fault        Fault         // injected at faultAt when set
		faultAt      time.Duration //
		w, h         int
	}{
		{name: "outage-120x40.txt", preset: "origin-outage", at: 3*time.Minute + 30*time.Second, w: 120, h: 40},
		{name: "outage-80x24.txt", preset: "origin-outage", at: 3*time.Minute + 30*time.Second, w: 80, h: 24},
		{name: "healthy-120x40.txt", preset: "origin-outage", at: 90 * time.Second, w: 120, h: 40},
		{name: "fault503-100x60.txt", preset: "steady", at: 75 * time.Second, fault: scenario.Live503, faultAt: time.Minute, w: 100, h: 60},
		{name: "outage-120x100.txt", preset: "origin-outage", at: 3*time.Minute + 30*time.Second, w: 120, h: 100},
		{name: "fault503-80x100.txt", preset: "steady", at: 75 * time.Second, fault: scenario.Live503, faultAt: time.Minute, w: 80, h: 100},
		{name: "ramp-80x50.txt", preset: "ramp-up", at: 40 * time.Second, w: 80, h: 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var eng *engine.Engine
			if c.fault != "" {
				eng = newEngine(t, c.preset, c.faultAt)
				newModel(t, eng, 10, c.w, c.h, nil).Inject(c.fault)
				eng.RunUntil(c.at)
			} else {
				eng = newEngine(t, c.preset, c.at)
			}
			m := newModel(t, eng, 10, c.w, c.h, nil)
			got := screen(m)
			golden(t, c.name, got)
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			assert.LessOrEqual(t, len(lines), c.h, "taller than the terminal")
			for i, l := range lines {
				assert.LessOrEqual(t, len([]rune(l)), c.w, "line %d is wider than the terminal: %q", i+1, l)
			}
		})
	}
}

// A resize redraws at the new size, and every section fits the width.
func TestResize(t *testing.T) {
	eng := newEngine(t, "steady", 75*time.Second)
	m := newModel(t, eng, 10, 120, 60, nil)
	wide := screen(m)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {60, 20}, {200, 80}} {
		m.Update(teaSize(sz[0], sz[1]))
		got := screen(m)
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		assert.LessOrEqual(t, len(lines), sz[1], "%dx%d", sz[0], sz[1])
		if sz[0] >= 80 {
			for _, l := range lines {
				assert.LessOrEqual(t, len([]rune(l)), sz[0], "%dx%d: %q", sz[0], sz[1], l)
			}
		}
	}
	m.Update(teaSize(120, 60))
	assert.Equal(t, wide, screen(m), "back at the first size, the same screen")
}

// On a short terminal whole sections go, the frame stays and the panel
// says how many went.
func TestShortTerminalHidesSections(t *testing.T) {
	eng := newEngine(t, "steady", 75*time.Second)
	tall := screen(newModel(t, eng, 10, 120, 80, nil))
	short := screen(newModel(t, eng, 10, 120, 24, nil))
	for _, s := range []string{"Request Statistics", "Segment Latency *", "Playback Health", "Origin Server"} {
		assert.Contains(t, tall, s)
	}
	assert.NotContains(t, tall, "hidden")
	for _, s := range []string{"go-ffmpeg-hls-swarm", "Playback Health", "q: quit", "── simulation", "space pause"} {
		assert.Contains(t, short, s)
	}
	assert.NotContains(t, short, "Segment Latency *")
	require.Regexp(t, `│ \d sections? hidden: a taller terminal shows them`, short)
}

// d shows the real tool's per-client table, fitted to the height, and d
// again the summary.
func TestDetailsView(t *testing.T) {
	eng := newEngine(t, "origin-outage", 3*time.Minute+30*time.Second)
	m := newModel(t, eng, 10, 100, 30, nil)
	m.Update(key("d"))
	require.True(t, m.Details())
	got := screen(m)
	golden(t, "details-100x30.txt", got)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	assert.Len(t, lines, 30, "the table fills the height exactly")
	assert.Contains(t, got, "... and 285 more clients", "300 clients, 15 rows")
	assert.Len(t, m.Frame().Stats.PerClientSummaries, 300)
	m.Update(key("d"))
	assert.False(t, m.Details())
	assert.Contains(t, screen(m), "Playback Health")
}
