package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// starts returns every client's start time, right after New.
func starts(t *testing.T, n int, rate float64, jitter time.Duration) []time.Duration {
	t.Helper()
	sc := scenario.Defaults()
	sc.Clients.Count = n
	sc.Clients.RampRate = rate
	sc.Clients.RampJitter = scenario.Duration(jitter)
	e, err := New(&sc)
	require.NoError(t, err)
	out := make([]time.Duration, n)
	for id := range out {
		sh, i := e.viewer(id)
		out[id] = sh.viewers[i].Wake()
	}
	return out
}

// The ramp follows the real tool's rule (its orchestrator's RampScheduler):
// client 0 starts at once, each next one 1/rate plus a jitter after the one
// before, the jitter uniform below min(ramp_jitter, half of 1/rate).
func TestRampIsTheRealToolsRule(t *testing.T) {
	// no jitter: i/rate (to the nanosecond)
	for i, at := range starts(t, 50, 5, 0) {
		assert.InDelta(t, float64(time.Duration(i)*200*time.Millisecond), float64(at), 1)
	}
	// 5/s with 1 s of jitter: the jitter is capped at 100 ms, half of 200 ms,
	// so every gap is in [200, 300) ms and 1000 clients take about 999 x
	// 250 ms = 249.75 s (the default 200 ms jitter is capped the same way:
	// a real 1000-client ramp at 5/s takes 250 s, not 200 s)
	at := starts(t, 1000, 5, time.Second)
	assert.Zero(t, at[0], "client 0 starts at once")
	for i := 1; i < len(at); i++ {
		gap := at[i] - at[i-1]
		assert.True(t, gap >= 200*time.Millisecond && gap < 300*time.Millisecond, "gap %d: %s", i, gap)
	}
	assert.InEpsilon(t, 249.75, at[999].Seconds(), 0.02)
	// 10/s with 20 ms: below the cap, every gap is in [100, 120) ms
	at = starts(t, 200, 10, 20*time.Millisecond)
	for i := 1; i < len(at); i++ {
		gap := at[i] - at[i-1]
		assert.True(t, gap >= 100*time.Millisecond && gap < 120*time.Millisecond, "gap %d: %s", i, gap)
	}
	assert.InEpsilon(t, 199*0.11, at[199].Seconds(), 0.03)
	// rate 0: every client at 0 plus its own jitter below ramp_jitter
	for _, a := range starts(t, 100, 0, 200*time.Millisecond) {
		assert.True(t, a >= 0 && a < 200*time.Millisecond, "%s", a)
	}
}
