package slo

import (
	"math"

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
	// a share of no active clients is undefined (NaN: it violates every
	// objective), not 0, when clients remain: a swarm that is down at the
	// end must not pass "stalled_ratio<0.01"; a run whose viewers all left
	// has nobody stalled
	ofActive := func(n int) float64 {
		if active == 0 {
			if final.TotalClients == 0 {
				return 0
			}
			return math.NaN()
		}
		return float64(n) / active
	}
	v["error_rate"] = final.ErrorRate
	v["stalled_ratio"] = ofActive(final.StalledClients)
	v["below_realtime_ratio"] = ofActive(final.ClientsBelowRealtime)
	v["high_drift_ratio"] = ofActive(final.ClientsWithHighDrift)
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
	peak, buffering, peakBuffering, playing, peakDown := 0.0, 0.0, 0.0, math.NaN(), 0.0
	if len(samples) == 0 {
		peak = v["stalled_ratio"]
	}
	for _, s := range samples {
		running := float64(s.Clients - s.NotStarted - s.Stopped)
		peak = max(peak, Ratio(float64(s.Stalled), running))
		buffering = Ratio(float64(s.Buffering+s.Stalled), running)
		peakBuffering = max(peakBuffering, buffering)
		peakDown = max(peakDown, Ratio(float64(s.Backoff), running))
	}
	if n := len(samples); n > 0 { // the last sample; undefined (NaN) with nobody running
		last := samples[n-1]
		if running := float64(last.Clients - last.NotStarted - last.Stopped); running > 0 {
			playing = float64(last.Playing) / running
		}
	}
	v["peak_stalled_ratio"] = peak
	v["buffering_ratio"] = buffering
	v["peak_buffering_ratio"] = peakBuffering
	v["playing_ratio"] = playing
	v["peak_down_ratio"] = peakDown
	return v
}
