package clients

import (
	"math"
	"math/bits"
	"time"

	"swarmsim/sim/stats"
)

// Bandwidth classes order the downlink caps of in-flight segment transfers
// for the origin's max-min fair share (water-filling) without sorting
// clients: class k holds caps in [ClassFloor(k), ClassFloor(k+1)), the floors
// growing by classRatio from classBase bytes/s. The floors are built by
// repeated multiplication (no math.Pow), so they are bit-identical on every
// platform.
const (
	// NumClasses is the number of bandwidth classes.
	NumClasses = 672
	classBase  = 1000.0 // bytes/s (8 kbit/s)
	classRatio = 1.025
)

var classFloor = func() (f [NumClasses + 1]float64) {
	v := classBase
	for i := range f {
		f[i] = v
		v *= classRatio
	}
	return f
}()

// classOfRate returns the largest k with classFloor[k] <= b (0 below the
// first floor) in O(1): the float's exponent and top mantissa bits name a
// bucket of 1/64 of an octave, whose ratio (at most 65/64) is below classRatio, so
// at most one floor falls inside it.
func classOfRate(b float64) uint16 {
	if !(b >= classFloor[0]) {
		return 0
	}
	if b >= classFloor[NumClasses-1] {
		return NumClasses - 1
	}
	k := bucketClass[int(math.Float64bits(b)>>bucketShift)-bucketFirst]
	if classFloor[k+1] <= b {
		k++
	}
	return k
}

const bucketShift = 52 - 6 // keep the exponent and 6 mantissa bits

var (
	bucketFirst = int(math.Float64bits(classBase) >> bucketShift)
	// bucketClass[i]: the class of the lowest value of bucket bucketFirst+i
	// (the classes are found by comparing with the floors, so they are exact)
	bucketClass = func() []uint16 {
		last := int(math.Float64bits(classFloor[NumClasses-1]) >> bucketShift)
		t := make([]uint16, last-bucketFirst+1)
		k := uint16(0)
		for i := range t {
			lo := math.Float64frombits(uint64(bucketFirst+i) << bucketShift)
			for int(k)+1 < NumClasses && classFloor[k+1] <= lo {
				k++
			}
			t[i] = k
		}
		return t
	}()
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

// ClearAhead empties the corrections for viewers that ran ahead.
func (t *Tally) ClearAhead() {
	t.AheadBytes = 0
	t.AheadManifestReqs, t.AheadSegmentReqs, t.AheadInitReqs = 0, 0, 0
}

// Outage modes.
const (
	OutageNone uint8 = iota
	OutageRefused
	OutageTimeout
	OutageStatus
)

// StaleWindow freezes the served playlist: from From to To it lists the live
// edge as of From; afterwards it jumps Jump segments and advances normally
// again (at most up to the true live edge).
type StaleWindow struct {
	From, To time.Duration
	Jump     int64
}

// CohortEnv is the per-cohort part of the environment.
type CohortEnv struct {
	RTT          time.Duration
	SegmentBytes float64 // mean segment size
	SizeSigma    float64 // standard deviation of the segment size (bytes)
}

// BackoffPolicy is the restart delay Initial x Multiplier^attempt capped at
// Max, then +/- Jitter; the attempt count resets after ResetAfter of uptime.
type BackoffPolicy struct {
	Initial, Max, ResetAfter time.Duration
	Multiplier, Jitter       float64
}

// Delay returns the un-jittered delay of the given attempt (0-based), by
// repeated multiplication.
func (b BackoffPolicy) Delay(attempt int) time.Duration {
	d := float64(b.Initial)
	for i := 0; i < attempt && d < float64(b.Max); i++ {
		d *= b.Multiplier
	}
	if d > float64(b.Max) {
		d = float64(b.Max)
	}
	return time.Duration(d)
}

// Env is everything a viewer needs to know about its world during one tick.
// The engine builds it before the tick; viewers only read it.
type Env struct {
	// Start and End bound the tick; Start is also the stats clock's time.
	Start, End time.Duration
	// Level is the fair share (bytes/s) of every transfer; +Inf = unlimited.
	// LevelChanged tells viewers with a transfer to re-rate it at Start.
	Level        float64
	LevelChanged bool
	// AheadUntil (>= End) lets a viewer handle request events (responses,
	// first bytes, completions, the requests that follow them) up to this
	// time within this call, when the engine knows that nothing it controls
	// changes at End: the origin's level is unlimited and the bytes the
	// viewers can receive up to AheadUntil at full downlink fit its capacity
	// (see OriginView.Bounds), and no event window opens or closes there. Starts, restarts and progress reports (which read the
	// stats clock) never run ahead.
	AheadUntil time.Duration

	SegmentDuration time.Duration
	FMP4            bool
	ManifestBytes   float64
	PlaylistSize    int64
	Cohorts         []CohortEnv

	Latency   time.Duration // origin processing time, spikes included
	Timeout   time.Duration
	Retries   int
	Reconnect bool
	Backoff   BackoffPolicy
	Tick      time.Duration

	Outage       uint8
	OutageStatus int
	// ErrorShare is the probability that a request gets an HTTP error;
	// ErrorCum/ErrorCodes pick its status (cumulative shares, ascending).
	ErrorShare float64
	ErrorCum   []float64
	ErrorCodes []int

	Stale []StaleWindow

	// Clock is the stats clock (reading Start during the tick); Aggregator
	// receives each viewer's ClientStats at its first start.
	Clock      stats.Clock
	Aggregator *stats.StatsAggregator

	// ParseRate is how many output lines per second the load generator's
	// parser drains for each running viewer.
	ParseRate float64

	// EveryReport (tests) makes viewers run every progress report instead
	// of skipping those of a healthy stretch, which must change no result.
	EveryReport bool
}

// SeqBase is the media sequence number of the segment that completes at
// virtual time 0 + SegmentDuration (the stream started long before).
const SeqBase = 1000

// LiveEdge returns the newest segment completed by t: what a playlist that
// is not stale lists.
func (e *Env) LiveEdge(t time.Duration) int64 { return SeqBase + int64(t/e.SegmentDuration) }

// Edge returns the newest segment the origin's playlist lists at t.
func (e *Env) Edge(t time.Duration) int64 {
	live := e.LiveEdge(t)
	for i := range e.Stale {
		w := &e.Stale[i]
		if t < w.From {
			continue
		}
		frozen := SeqBase + int64(w.From/e.SegmentDuration)
		lim := frozen
		if t >= w.To { // jumped, then one more per segment completed since
			lim = frozen + w.Jump + int64(t/e.SegmentDuration) - int64(w.To/e.SegmentDuration)
		}
		if lim < live {
			live = lim
		}
	}
	return live
}
