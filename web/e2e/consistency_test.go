//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// busyLoops starts n shell busy loops beside Chromium, as a machine busy
// with builds would have, and stops them (by their process ids) when the
// test ends; it then checks that they did run.
func busyLoops(t *testing.T, n int) {
	t.Helper()
	var cmds []*exec.Cmd
	for range n {
		cmd := exec.Command("sh", "-c", "while :; do :; done")
		require.NoError(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	t.Cleanup(func() {
		var cpu time.Duration
		for _, cmd := range cmds {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		// Chromium's processes run at a higher priority and may leave the
		// loops little CPU; what matters is that they competed for it.
		assert.Positive(t, cpu, "the busy loops ran")
	})
}

// panelReadout is one panel of window.swarmsim.drawn(): the figures it
// shows and the virtual instant (seconds) they are of.
type panelReadout struct {
	At     float64            `json:"at"`
	Values map[string]float64 `json:"values"`
}

// screenAndEngine is what the screen shows and the engine's snapshot, read
// in one evaluation (no frame or update runs in between).
type screenAndEngine struct {
	Drawn map[string]panelReadout
	Snap  snapshot
	Now   float64
}

func readScreen(t *testing.T, ctx context.Context) screenAndEngine {
	t.Helper()
	raw := eval[string](t, ctx, `(() => {
		const s = swarmsim.snapshot();
		return JSON.stringify({Drawn: JSON.parse(swarmsim.drawn()), Snap: typeof s === "string" ? JSON.parse(s) : s, Now: swarmsim.time()});
	})()`)
	var r screenAndEngine
	require.NoError(t, json.Unmarshal([]byte(raw), &r), raw)
	return r
}

// checkOneInstant asserts that every panel on screen shows the header's
// instant and that the panels agree with each other.
func checkOneInstant(t *testing.T, r screenAndEngine) float64 {
	t.Helper()
	h, ok := r.Drawn["header"]
	require.True(t, ok, "the header is drawn: %v", r.Drawn)
	at := h.At
	assert.Equal(t, at, h.Values["clock"], "the header's clock shows its instant")
	for _, name := range []string{"summary", "errors", "cells", "chart0", "chart1", "chart2", "chart3", "chart4", "chart5"} {
		p, ok := r.Drawn[name]
		if assert.True(t, ok, "%s is drawn", name) {
			assert.Equal(t, at, p.At, "%s shows %.1f s while the header shows %.1f s", name, p.At, at)
		}
	}
	for i := range 6 {
		c := r.Drawn[fmt.Sprintf("chart%d", i)]
		assert.Equal(t, at, c.Values["end"], "chart %d is drawn up to the instant", i)
		if c.Values["samples"] > 0 {
			assert.LessOrEqual(t, c.Values["last_t"], at, "chart %d has no sample after the instant", i)
			assert.Greater(t, c.Values["last_t"], at-1.01, "chart %d has the instant's last sample", i)
		}
	}
	assert.Equal(t, h.Values["active"], r.Drawn["summary"].Values["active"], "header and summary count the same active clients")
	assert.Equal(t, h.Values["clients"], r.Drawn["cells"].Values["total"], "header and grid count the same clients")
	// The engine is at or after the instant shown, with at least its counts.
	assert.LessOrEqual(t, at, r.Snap.Time)
	assert.LessOrEqual(t, r.Drawn["summary"].Values["bytes"], float64(r.Snap.Stats.TotalBytes))
	assert.LessOrEqual(t, r.Drawn["summary"].Values["segments_total"], float64(r.Snap.Stats.TotalSegmentReqs))
	return at
}

// TestPanelsShowOneInstantUnderLoad runs the dashboard beside busy loops
// (frames become slow and uneven) through the origin-outage preset and
// checks, at several moments, that every panel on screen shows the same
// virtual instant; paused, that it is the engine's snapshot's.
func TestPanelsShowOneInstantUnderLoad(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=origin-outage&clients=300&seed=3&speed=max"))
	busyLoops(t, max(2, runtime.NumCPU())) // once the page has loaded

	// Moments before, inside and after the refused minute (3:00-4:00):
	// while running, every panel shows one instant; paused, the engine's.
	for _, m := range []struct {
		after  float64
		paused bool
	}{{30, false}, {120, true}, {190, false}, {205, true}, {225, false}} {
		waitJS(t, ctx, fmt.Sprintf(`(d => d.header && d.header.at >= %f)(JSON.parse(swarmsim.drawn()))`, m.after), 60*time.Second)
		if !m.paused {
			assert.GreaterOrEqual(t, checkOneInstant(t, readScreen(t, ctx)), m.after)
			continue
		}
		require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
		waitJS(t, ctx, `(d => d.header && d.header.at === swarmsim.time())(JSON.parse(swarmsim.drawn()))`, 20*time.Second)
		r := readScreen(t, ctx)
		shown := checkOneInstant(t, r)
		require.Equal(t, r.Snap.Time, shown, "paused: the screen shows the engine's instant")
		s, e := r.Drawn["summary"].Values, r.Drawn["errors"].Values
		assert.Equal(t, float64(r.Snap.Stats.ActiveClients), s["active"], "at %.0f s", shown)
		assert.Equal(t, float64(r.Snap.Stats.TotalBytes), s["bytes"], "at %.0f s", shown)
		assert.Equal(t, float64(r.Snap.Stats.TotalSegmentReqs), s["segments_total"], "at %.0f s", shown)
		assert.Equal(t, float64(r.Snap.Stats.HTTPErrorsTotal), e["http_errors"], "at %.0f s", shown)
		assert.Equal(t, float64(r.Snap.Stats.TotalReconnections), e["reconnections"], "at %.0f s", shown)
		assert.Equal(t, float64(r.Snap.Stats.TCPConnectRefused), e["refused_connects"], "at %.0f s", shown)
		if shown >= 185 {
			assert.Greater(t, e["refused_connects"], 0.0, "inside the outage, refused connects are shown")
		}
		require.Empty(t, eval[string](t, ctx, `swarmsim.resume()`))
	}
	t.Logf("%.1f frames/s, load average %s", eval[float64](t, ctx, `swarmsim.fps()`), loadAverage())
}
