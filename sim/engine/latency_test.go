package engine

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"swarmsim/sim/scenario"
)

// steadyStats returns the mean segment p95 (s) and the mean and standard
// deviation of the per-second segment request rate over the samples after
// from seconds.
func steadyStats(e *Engine, from float64) (p95, rate, sd float64) {
	var n, nLat, sum2 float64
	for _, s := range e.Series().Samples {
		if s.T <= from {
			continue
		}
		n++
		if !math.IsNaN(s.SegLatP95) { // NaN: no segment completed
			nLat++
			p95 += s.SegLatP95
		}
		rate += s.SegmentRate
		sum2 += s.SegmentRate * s.SegmentRate
	}
	p95 /= nLat
	rate /= n
	sd = math.Sqrt(max(sum2/n-rate*rate, 0))
	return p95, rate, sd
}

// A capacity limit the swarm is far from reaching changes nothing: 2000
// viewers of a 2.128 Mbit/s stream want 4.26 Gbit/s of a 10 Gbit/s origin
// (43 %), so segment latency and the per-second request rate look as they do
// without a limit (same seed, so the same viewers and downlinks).
func TestHealthyOriginKeepsSegmentLatency(t *testing.T) {
	mk := func(capMbps float64) *scenario.Scenario {
		return testScenario(2000, 100*time.Second, func(s *scenario.Scenario) {
			s.Clients.RampRate = 50
			s.Origin.CapacityMbps = capMbps
			s.Stream.SegmentDuration = sec(2)
			s.Stream.BitratesKbps = []int{2000}
			s.Stream.AudioKbps = 128
		})
	}
	free := run(t, mk(0))
	limited := run(t, mk(10000))
	p0, r0, sd0 := steadyStats(free, 50)
	p1, r1, sd1 := steadyStats(limited, 50)
	assert.InEpsilon(t, p0, p1, 0.02, "mean segment p95 (s) with and without the limit")
	assert.InEpsilon(t, r0, r1, 0.01, "segment requests/s")
	assert.InEpsilon(t, sd0, sd1, 0.1, "spread of the per-second segment rate")
	// and the limit is used: at 1.05x demand the origin is the bottleneck
	over := run(t, mk(2000*2.128/1.05))
	p2, _, _ := steadyStats(over, 50)
	assert.Greater(t, p2, 5*p0, "mean segment p95 (s) on an origin 5 %% short")
}
