package stats

import (
	"time"
)

// RateTracker turns consecutive snapshots into instant rates. Each reader
// (dashboard, metrics exporter, recorder) owns its own tracker, so readers
// at different intervals never disturb each other. The zero value is ready.
type RateTracker struct {
	valid                            bool
	prevTime                         time.Time
	prevManifest, prevSegment        int64
	prevInit, prevBytes              int64
	manifest, segment, init, through float64
}

// Update fills s's Instant* fields from the change since the snapshot given
// to the previous Update of this tracker, then remembers s. The first
// Update uses the average rates since the aggregator's start. Decreases
// (clients removed) count as zero; if no time passed the previous instant
// rates are repeated.
func (t *RateTracker) Update(s *AggregatedStats) {
	if !t.valid {
		t.manifest, t.segment, t.init, t.through = s.ManifestReqRate, s.SegmentReqRate, s.InitReqRate, s.ThroughputBytesPerSec
	} else if dt := s.Timestamp.Sub(t.prevTime); dt > 0 {
		secs := float64(dt) / float64(time.Second)
		rate := func(cur, prev int64) float64 {
			if cur <= prev {
				return 0
			}
			return float64(cur-prev) / secs
		}
		t.manifest = rate(s.TotalManifestReqs, t.prevManifest)
		t.segment = rate(s.TotalSegmentReqs, t.prevSegment)
		t.init = rate(s.TotalInitReqs, t.prevInit)
		t.through = rate(s.TotalBytes, t.prevBytes)
	}
	s.InstantManifestRate, s.InstantSegmentRate, s.InstantInitRate, s.InstantThroughputRate = t.manifest, t.segment, t.init, t.through
	t.valid = true
	t.prevTime = s.Timestamp
	t.prevManifest, t.prevSegment, t.prevInit, t.prevBytes = s.TotalManifestReqs, s.TotalSegmentReqs, s.TotalInitReqs, s.TotalBytes
}

// Reset forgets the previous snapshot.
func (t *RateTracker) Reset() { *t = RateTracker{} }
