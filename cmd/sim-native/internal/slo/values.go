package slo

import (
	"swarmsim/sim/engine"
	"swarmsim/sim/stats"
)

// FromRun computes every catalogue metric from a run's final snapshot and its samples.
func FromRun(final *stats.AggregatedStats, samples []engine.Sample) Values {
	v := Values{}
	if final == nil {
		return v
	}
	active := float64(final.ActiveClients)
	v["error_rate"] = final.ErrorRate
	v["stalled_ratio"] = Ratio(float64(final.StalledClients), active)
	v["below_realtime_ratio"] = Ratio(float64(final.ClientsBelowRealtime), active)
	v["high_drift_ratio"] = Ratio(float64(final.ClientsWithHighDrift), active)
	v["avg_speed"] = final.AverageSpeed
	v["seg_p50"] = final.SegmentLatencyP50.Seconds()
	v["seg_p95"] = final.SegmentLatencyP95.Seconds()
	v["seg_p99"] = final.SegmentLatencyP99.Seconds()
	v["manifest_p99"] = final.ManifestLatencyP99.Seconds()
	v["max_drift"] = final.MaxDrift.Seconds()
	v["avg_drift"] = final.AverageDrift.Seconds()
	v["active_clients"] = active
	v["throughput_mbps"] = final.ThroughputBytesPerSec * 8 / 1e6
	// the peaks come from the samples alone: stalled (or buffering) viewers
	// over running ones, one definition for every sample
	peak, buffering, peakBuffering := 0.0, 0.0, 0.0
	if len(samples) == 0 {
		peak = v["stalled_ratio"]
	}
	for _, s := range samples {
		running := float64(s.Clients - s.NotStarted - s.Stopped)
		peak = max(peak, Ratio(float64(s.Stalled), running))
		buffering = Ratio(float64(s.Buffering+s.Stalled), running)
		peakBuffering = max(peakBuffering, buffering)
	}
	v["peak_stalled_ratio"] = peak
	v["buffering_ratio"] = buffering
	v["peak_buffering_ratio"] = peakBuffering
	return v
}
