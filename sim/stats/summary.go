package stats

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Summary is a plain snapshot of one client.
type Summary struct {
	ClientID         int
	Uptime           time.Duration
	TotalBytes       int64
	ManifestRequests int64
	SegmentRequests  int64
	InitRequests     int64
	UnknownRequests  int64
	Reconnections    int64
	Timeouts         int64
	HTTPErrors       map[int]int64 // non-zero counts, "other" under key 0
	ProcessStarts    int64

	// Segment latency (wall time) of this client.
	SegmentLatencyP50   time.Duration
	SegmentLatencyP95   time.Duration
	SegmentLatencyP99   time.Duration
	SegmentLatencyMax   time.Duration
	SegmentLatencyCount int64
	// Manifest latency (wall time) of this client.
	ManifestLatencyP50   time.Duration
	ManifestLatencyP95   time.Duration
	ManifestLatencyP99   time.Duration
	ManifestLatencyMax   time.Duration
	ManifestLatencyCount int64

	AverageSegmentSize int64
	CurrentSpeed       float64 // 0 when HasSpeed is false
	HasSpeed           bool
	IsStalled          bool
	CurrentDrift       time.Duration
	MaxDrift           time.Duration
	HasHighDrift       bool
	DropRate           float64
	PeakDropRate       float64
}

// GetSummary returns a snapshot of the client at its clock's current time.
func (s *ClientStats) GetSummary() Summary { return s.summaryAt(s.nowNs()) }

func (s *ClientStats) summaryAt(nowNs int64) Summary {
	sum := Summary{
		ClientID:           s.ClientID,
		Uptime:             time.Duration(nowNs - s.startNs),
		TotalBytes:         s.TotalBytes(),
		ManifestRequests:   s.ManifestRequests.Load(),
		SegmentRequests:    s.SegmentRequests.Load(),
		InitRequests:       s.InitRequests.Load(),
		UnknownRequests:    s.UnknownRequests.Load(),
		Reconnections:      s.Reconnections.Load(),
		Timeouts:           s.Timeouts.Load(),
		HTTPErrors:         s.GetHTTPErrors(),
		ProcessStarts:      s.ProcessStarts(),
		AverageSegmentSize: s.GetAverageSegmentSize(),
		DropRate:           s.CurrentDropRate(),
		PeakDropRate:       s.GetPeakDropRate(),
	}
	if b := s.speedBits.Load(); isReading(b) {
		sum.HasSpeed = true
		sum.CurrentSpeed = math.Float64frombits(b)
	}
	sum.CurrentDrift, sum.MaxDrift = s.GetDrift()
	sum.IsStalled = stalledAt(s.belowSince.Load(), nowNs)
	sum.HasHighDrift = sum.CurrentDrift > HighDriftThreshold

	var q [3]time.Duration
	sum.SegmentLatencyCount, sum.SegmentLatencyMax = s.latency.kindQuantiles(kindSegment, summaryQuantiles, q[:])
	sum.SegmentLatencyP50, sum.SegmentLatencyP95, sum.SegmentLatencyP99 = q[0], q[1], q[2]
	sum.ManifestLatencyCount, sum.ManifestLatencyMax = s.latency.kindQuantiles(kindManifest, summaryQuantiles, q[:])
	sum.ManifestLatencyP50, sum.ManifestLatencyP95, sum.ManifestLatencyP99 = q[0], q[1], q[2]
	return sum
}

var summaryQuantiles = []float64{0.50, 0.95, 0.99}

type bucketCount struct {
	bucket int
	count  uint64
}

// kindQuantiles computes nearest-rank quantiles (qs ascending) of one kind
// straight from the sparse slots, without a dense snapshot. It returns the
// observation count and the maximum.
func (s *sparseCounts) kindQuantiles(kind int, qs []float64, out []time.Duration) (int64, time.Duration) {
	var buf [64]bucketCount
	pairs := buf[:0]
	var total uint64
	s.forEachSlot(func(v uint32) {
		key := v >> slotCountBits
		if int(key>>slotBucketBit) != kind {
			return
		}
		c := uint64(v & slotCountMask)
		pairs = append(pairs, bucketCount{int(key & (1<<slotBucketBit - 1)), c})
		total += c
	})
	clear(out)
	if total == 0 {
		return 0, 0
	}
	slices.SortFunc(pairs, func(a, b bucketCount) int { return cmp.Compare(a.bucket, b.bucket) })
	j := 0
	var cum uint64
	for _, p := range pairs {
		cum += p.count
		for j < len(qs) {
			if cum < nearestRank(qs[j], total) {
				break
			}
			out[j] = bucketValue(p.bucket)
			j++
		}
	}
	return int64(total), bucketValue(pairs[len(pairs)-1].bucket)
}
