package report

import (
	"io"
	"testing"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// BenchmarkReport1h renders the report of a one-hour run (3600 samples, 7 charts) with a
// baseline of the same size.
func BenchmarkReport1h(b *testing.B) {
	sc := scenario.Defaults()
	sc.Duration = scenario.Duration(time.Hour)
	run := &export.Run{Scenario: &sc, Final: &stats.AggregatedStats{}, Interval: time.Second,
		Series: make([]engine.Sample, 3600),
		Events: []engine.EventMark{{Start: 10 * time.Minute, End: 12 * time.Minute, Kind: scenario.KindOutage, Caption: "outage"}}}
	for i := range run.Series {
		run.Series[i] = engine.Sample{T: float64(i + 1), Clients: 10000, Playing: 9000 + i%500, SegmentRate: 5000 + float64(i%300),
			ThroughputBps: 2.6e9, SegLatP95: 0.2 + float64(i%50)/100, AvgInstantSpeed: 1, AvgDrift: 0.5}
	}
	page := FromRun(run, run, "base.json", "summary", nil)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, page); err != nil {
			b.Fatal(err)
		}
	}
}
