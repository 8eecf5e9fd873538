package clients

import (
	"math/bits"
	"time"

	"swarmsim/sim/stats"
)

// Tally is what one shard of viewers tells the engine after each tick. The
// viewers update it incrementally (never scanned); the engine sums the
// shards in a fixed order.
type Tally struct {
	// AheadBytes: bytes of segments that completed after the tick's end
	// (ran ahead) that were delivered after it; the recorder subtracts them
	// so that a sample counts bytes delivered up to its time. Cleared with
	// ClearAhead.
	AheadBytes int64
	// Requests issued after the tick's end (ran ahead), which the recorder
	// counts in the next sample. Cleared with ClearAhead.
	AheadManifestReqs, AheadSegmentReqs, AheadInitReqs int64

	// States counts viewers by state.
	States [NumStates]int32
	// Speed readings of viewers that are neither NotStarted nor Stopped.
	Above, Below, NoReading int32
	// SpeedSumMicro: sum of the current speed readings in 1e-6 units
	// (integers, so the sum is exact whatever the order). DriftSumMs / DriftN:
	// sum and count of current drift readings (ms).
	SpeedSumMicro int64
	DriftSumMs    int64
	DriftN        int32
	// DriftHist counts the current drift readings by DriftBucket, for the
	// largest drift.
	DriftHist [NumDriftBuckets]int32
	// DriftTop is an upper bound of the highest non-empty DriftHist bucket.
	DriftTop int32

	// Cumulative counters.
	ManifestReqs, SegmentReqs, InitReqs int64
	HTTPErrors, Timeouts, Reconnections int64
	Bytes                               int64
	// Requests that ended neither as a completed segment or playlist (the
	// latency histograms count those) nor as an HTTP error or a timeout:
	// completed init segments, and requests whose connection was reset (a
	// refused connect is no request: none was issued).
	InitsDone, Resets int64
	// TCP connects that ended (Connects), and those of them that were
	// refused or timed out (ConnectFails).
	Connects, ConnectFails int64
	// AbortedBytes: bytes delivered of segment transfers that were cut off
	// (the process exited or the viewer left) and so never counted in Bytes.
	AbortedBytes int64
	// Process exits: after failures (FFmpeg's exit code 1), and terminated
	// by the load generator when the viewer left (255, FFmpeg's code after
	// SIGTERM). Processes still running at the end of a run are not counted.
	FailedExits, Terminated int64
	// Exits records the same exits with each process's uptime.
	Exits stats.ProcessExits
	// Latencies of requests completed since the recorder last reset them.
	SegLatency, ManLatency stats.HistogramSnapshot
}

// ResetInterval clears the per-interval parts (latency histograms).
func (t *Tally) ResetInterval() {
	t.SegLatency.Reset()
	t.ManLatency.Reset()
}

// ClearAhead empties the corrections for viewers that ran ahead.
func (t *Tally) ClearAhead() {
	t.AheadBytes = 0
	t.AheadManifestReqs, t.AheadSegmentReqs, t.AheadInitReqs = 0, 0, 0
}

// Drift buckets: exact milliseconds below 64 ms, then 32 linear
// sub-buckets per power-of-two octave of milliseconds (width <= 3.2 %).
const (
	driftSub = 32
	// NumDriftBuckets covers drifts up to 2^31 ms (about 25 days).
	NumDriftBuckets = 64 + (31-6)*driftSub
)

func driftBucket(d time.Duration) int {
	ms := int64(d / time.Millisecond)
	if ms < 64 {
		return int(max(ms, 0))
	}
	e := bits.Len64(uint64(ms)) - 1
	if e > 30 {
		return NumDriftBuckets - 1
	}
	return 64 + (e-6)*driftSub + int((uint64(ms)>>(e-5))&(driftSub-1))
}

// DriftBucketMid returns the middle of drift bucket i.
func DriftBucketMid(i int) time.Duration {
	if i < 64 {
		return time.Duration(i) * time.Millisecond
	}
	j := i - 64
	e := 6 + j/driftSub
	lo := int64(driftSub+j%driftSub) << (e - 5)
	w := int64(1) << (e - 5)
	return time.Duration(lo*2+w) * time.Millisecond / 2
}

// MaxDrift returns the middle of the highest non-empty drift bucket of the
// tallies (0 when there is no drift reading).
func MaxDrift(ts ...*Tally) time.Duration {
	top := -1
	for _, t := range ts {
		i := int(t.DriftTop)
		for i >= 0 && t.DriftHist[i] == 0 {
			i--
		}
		t.DriftTop = int32(max(i, 0))
		top = max(top, i)
	}
	if top < 0 {
		return 0
	}
	return DriftBucketMid(top)
}

func (t *Tally) addDrift(d time.Duration) {
	b := driftBucket(d)
	t.DriftHist[b]++
	if int32(b) > t.DriftTop {
		t.DriftTop = int32(b)
	}
}
