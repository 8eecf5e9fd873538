package app

import (
	"testing"
	"time"
)

// BenchmarkControllerUpdate is the browser's performance run without the
// browser: 10 000 clients of the steady preset on a 50 Gbit/s origin (43 %) at
// 10x, one dashboard update per 1/60 s of (simulated) wall time, measured
// after the ramp. It reports the mean and the largest work per update.
func BenchmarkControllerUpdate(b *testing.B) {
	cfg := ParseParams("?scenario=steady&clients=10000&ramp_rate=500&duration=30m&capacity=50000&seed=1&speed=10")
	var wall time.Duration
	c, err := NewController(cfg, NewEngineSim(1), func() time.Duration { return wall })
	if err != nil {
		b.Fatal(err)
	}
	c.Budget = time.Hour // never drop work: measure all of it
	for range 60 * 30 {  // 30 s of wall time: 300 s virtual, past the ramp
		wall += time.Second / 60
		c.Update()
	}
	// the slowest update is what drops frames: report it with the mean
	var slowest time.Duration
	b.ResetTimer()
	for range b.N {
		wall += time.Second / 60
		t := time.Now()
		c.Update()
		slowest = max(slowest, time.Since(t))
	}
	b.ReportMetric(float64(slowest)/1e6, "max-ms")
}
