package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// exitsByCode converts ProcessExits' counts to ExitCodes' form.
func exitsByCode(p *stats.ProcessExits) map[int]int {
	out := map[int]int{}
	for code, n := range p.ByCode() {
		out[code] = int(n)
	}
	return out
}

// A refused outage of 20 s from 60 s: every client's first process (all
// start at 0) exits at 60..80 s, after about a minute of uptime; the
// restarts that fail during the outage exit after a few seconds. Every
// exit is recorded with its code (1) and its process's uptime, as
// ExitCodes counts them.
func TestProcessExits_UptimeOfEachExit(t *testing.T) {
	const n = 20
	e := run(t, testScenario(n, 2*time.Minute, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(60), Duration: sec(20), Kind: scenario.KindOutage, Mode: scenario.ModeRefused}}
	}))
	var exits stats.ProcessExits
	e.ProcessExits(&exits)
	require.Positive(t, exits.Count())
	assert.Equal(t, e.ExitCodes(), exitsByCode(&exits))
	assert.Equal(t, e.Aggregate().TotalProcessRestarts, exits.Count(), "every exit restarted")
	long, short := int64(0), int64(0)
	for up, c := range exits.Uptime.Buckets() {
		switch {
		case up >= 55*time.Second && up <= 85*time.Second:
			long += c
		case up < 30*time.Second:
			short += c
		default:
			t.Errorf("%d exits after %v of uptime", c, up)
		}
	}
	assert.EqualValues(t, n, long, "each first process ran until the outage")
	assert.Equal(t, exits.Count()-n, short)

	// a second call fills the same figures (dst is reset first)
	e.ProcessExits(&exits)
	assert.Equal(t, e.ExitCodes(), exitsByCode(&exits))
}

// On the churn preset the leavers' processes are terminated (255), each
// after running no longer than the run so far.
func TestProcessExits_Terminated(t *testing.T) {
	sc, err := scenario.Preset("churn")
	require.NoError(t, err)
	e, err := New(sc)
	require.NoError(t, err)
	e.RunUntil(min(e.Duration(), 120*time.Second))
	var exits stats.ProcessExits
	e.ProcessExits(&exits)
	a := e.Aggregate()
	require.Positive(t, a.RemovedClients)
	assert.Equal(t, map[int]int{255: a.RemovedClients}, exitsByCode(&exits))
	assert.Equal(t, map[string]int64{"success": 0, "error": 0, "signal": int64(a.RemovedClients)}, exits.ByCategory())
	assert.LessOrEqual(t, exits.Uptime.Max(), time.Duration(float64(120*time.Second)*(1+stats.HistogramRelativeError)))
}
