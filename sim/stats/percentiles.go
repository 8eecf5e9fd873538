package stats

import "time"

// LatencyPercentiles are the figures of one merged latency distribution:
// nearest-rank percentiles and the maximum (bucket midpoints, each within
// HistogramRelativeError of an observed value) and the number of
// observations. AggregatedStats keeps three of them as flat fields
// (SegmentLatency*, ManifestLatency*, TCPConnectLatency*), the form the
// wire format and the real tool's snapshot use.
type LatencyPercentiles struct {
	P25, P50, P75, P95, P99 time.Duration
	Max                     time.Duration
	Count                   int64
}

var latencyQuantiles = []float64{0.25, 0.50, 0.75, 0.95, 0.99}

// percentilesOf computes the figures of h in one pass over its buckets.
func percentilesOf(h *HistogramSnapshot) LatencyPercentiles {
	var q [5]time.Duration
	h.quantiles(latencyQuantiles, q[:])
	return LatencyPercentiles{P25: q[0], P50: q[1], P75: q[2], P95: q[3], P99: q[4], Max: h.Max(), Count: h.Count()}
}

// SegmentLatency returns the segment latency figures of the snapshot.
func (s *AggregatedStats) SegmentLatency() LatencyPercentiles {
	return LatencyPercentiles{s.SegmentLatencyP25, s.SegmentLatencyP50, s.SegmentLatencyP75,
		s.SegmentLatencyP95, s.SegmentLatencyP99, s.SegmentLatencyMax, s.SegmentLatencyCount}
}

// ManifestLatency returns the playlist latency figures of the snapshot.
func (s *AggregatedStats) ManifestLatency() LatencyPercentiles {
	return LatencyPercentiles{s.ManifestLatencyP25, s.ManifestLatencyP50, s.ManifestLatencyP75,
		s.ManifestLatencyP95, s.ManifestLatencyP99, s.ManifestLatencyMax, s.ManifestLatencyCount}
}

// TCPConnectLatency returns the TCP connect time figures of the snapshot
// (Count: the successful connects).
func (s *AggregatedStats) TCPConnectLatency() LatencyPercentiles {
	return LatencyPercentiles{s.TCPConnectLatencyP25, s.TCPConnectLatencyP50, s.TCPConnectLatencyP75,
		s.TCPConnectLatencyP95, s.TCPConnectLatencyP99, s.TCPConnectLatencyMax, s.TCPConnectSuccess}
}

func (s *AggregatedStats) setSegmentLatency(p LatencyPercentiles) {
	s.SegmentLatencyP25, s.SegmentLatencyP50, s.SegmentLatencyP75 = p.P25, p.P50, p.P75
	s.SegmentLatencyP95, s.SegmentLatencyP99, s.SegmentLatencyMax, s.SegmentLatencyCount = p.P95, p.P99, p.Max, p.Count
}

func (s *AggregatedStats) setManifestLatency(p LatencyPercentiles) {
	s.ManifestLatencyP25, s.ManifestLatencyP50, s.ManifestLatencyP75 = p.P25, p.P50, p.P75
	s.ManifestLatencyP95, s.ManifestLatencyP99, s.ManifestLatencyMax, s.ManifestLatencyCount = p.P95, p.P99, p.Max, p.Count
}

func (s *AggregatedStats) setTCPConnectLatency(p LatencyPercentiles) {
	s.TCPConnectLatencyP25, s.TCPConnectLatencyP50, s.TCPConnectLatencyP75 = p.P25, p.P50, p.P75
	s.TCPConnectLatencyP95, s.TCPConnectLatencyP99, s.TCPConnectLatencyMax, s.TCPConnectSuccess = p.P95, p.P99, p.Max, p.Count
}
