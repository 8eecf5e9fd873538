package stats

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
	"unsafe"
)

// Thresholds shared with the real tool.
const (
	// StallThreshold: a speed below this counts as not keeping up.
	StallThreshold = 0.9
	// StallDuration: a client is stalled once its speed has stayed below
	// StallThreshold for longer than this.
	StallDuration = 5 * time.Second
	// HighDriftThreshold: drift above this is "high drift".
	HighDriftThreshold = 5 * time.Second
	// RealtimeSpeed: clients at or above this speed count as "at/above real time".
	RealtimeSpeed = 1.0
	// SegmentSizeRingSize is the number of recent segment sizes averaged by
	// GetAverageSegmentSize.
	SegmentSizeRingSize = 100
	// DefaultDropThreshold is the drop rate above which metrics are degraded
	// (used whenever a threshold <= 0 is given).
	DefaultDropThreshold = 0.01
)

// TCPOutcome is the result of one TCP connect attempt.
type TCPOutcome uint8

// TCP connect outcomes.
const (
	TCPSuccess TCPOutcome = iota
	TCPRefused
	TCPTimeout
)

// String names the outcome.
func (o TCPOutcome) String() string {
	switch o {
	case TCPSuccess:
		return "success"
	case TCPRefused:
		return "refused"
	case TCPTimeout:
		return "timeout"
	}
	return "unknown"
}

const (
	// noSpeed marks "no speed reading since the process started" (a NaN
	// bit pattern no caller can store: UpdateSpeed maps NaN to 0).
	noSpeed = 0x7ff8_0000_0000_0bad
	// exitedSpeed marks "the process exited and has not started again"
	// (OnProcessExit): no reading, and the client does not count as active.
	exitedSpeed = 0x7ff8_0000_0000_0e11
	// noDrift marks "no drift reading since the process started".
	noDrift = math.MinInt64

	skipEventShift = 40
	skipCountMask  = 1<<skipEventShift - 1
)

// ClientStats holds the statistics of one client (one player process and
// its restarts). Every method is safe for concurrent use and lock-free;
// Aggregate may read a client while its owner updates it.
//
// Create it with NewClientStats or NewClientStatsWithClock. The zero value
// does not panic, but it lacks the start time and the "no reading yet"
// markers: added to an aggregator it counts as a client below real time
// (speed 0) with a drift reading of 0 and an uptime since 1970.
//
// Time comes from the client's Clock (see NewClientStatsWithClock). The
// fields Aggregate reads come first so they share a few cache lines.
type ClientStats struct {
	// Cache line 0: read by every Aggregate.
	ManifestRequests      atomic.Int64
	SegmentRequests       atomic.Int64
	InitRequests          atomic.Int64
	UnknownRequests       atomic.Int64
	bytesFromPreviousRuns atomic.Int64
	currentProcessBytes   atomic.Int64
	speedBits             atomic.Uint64 // float64 bits or noSpeed
	belowSince            atomic.Int64  // unix ns of the reading that went below threshold; 0 = not below

	// Cache line 1: read by every Aggregate.
	Reconnections atomic.Int64
	Timeouts      atomic.Int64
	currentDrift  atomic.Int64  // ns or noDrift
	processStart  atomic.Int64  // unix ns of the current process start
	flags         atomic.Uint32 // which optional groups have data (flag*)
	processStarts atomic.Uint32
	playlist      atomic.Uint64 // refreshes<<32 | late refreshes
	jitterSum     atomic.Int64
	jitterMax     atomic.Int64

	// Cache lines 2-3: latency slots (a typical client's few slots are in
	// line 2).
	latency sparseCounts

	// Cache line 4: the skip and TCP failure counters are read when
	// flags say the group has data, the rest by every Aggregate.
	sequenceSkips atomic.Uint64 // events<<40 | skipped sequence numbers
	tcpFailures   atomic.Uint64 // timeouts<<32 | refused
	// Pipeline health, stored by RecordDroppedLines ("read" counts every
	// line read from the stream, including the dropped ones). Aggregate
	// reads them (and the peak drop rate and maximum drift after them)
	// for every client, however they were written.
	ProgressLinesDropped atomic.Int64
	StderrLinesDropped   atomic.Int64
	ProgressLinesRead    atomic.Int64
	StderrLinesRead      atomic.Int64
	peakDropRate         atomic.Uint64 // float64 bits
	maxDrift             atomic.Int64  // ns, >= 0

	// Cache line 5: not read by Aggregate.
	startNs      int64 // unix ns of StartTime
	segmentCount atomic.Uint32
	cold         atomic.Pointer[clientCold]
	// ClientID identifies the client in its aggregator.
	ClientID int
	// StartTime is when the client was created (its clock's time).
	StartTime time.Time
	clock     Clock

	// Lines 6-31: the HTTP error counters, in the struct itself rather
	// than behind a pointer, so that RecordHTTPError is a few inlined
	// instructions, also on a zero value. Aggregate reads them only for
	// clients whose flags say they have errors, and then only the counters
	// whose bit is set in errMask.
	errMask         [4]atomic.Uint64 // bit i set once httpErrorCounts[i] was incremented
	httpErrorCounts [HTTPErrorSlots]atomic.Int64
}

// clientCold holds the segment-size ring in a separate allocation (it is
// written once per segment and read only by GetAverageSegmentSize).
type clientCold struct {
	segmentSizes [SegmentSizeRingSize]atomic.Uint32
}

// arrays returns the client's cold part, allocating it for a zero-value
// ClientStats.
func (s *ClientStats) arrays() *clientCold {
	if c := s.cold.Load(); c != nil {
		return c
	}
	return s.allocCold()
}

func (s *ClientStats) allocCold() *clientCold {
	s.cold.CompareAndSwap(nil, new(clientCold))
	return s.cold.Load()
}

// Groups of optional fields (ClientStats.flags).
const (
	flagErrors   = 1 << iota // errMask / httpErrorCounts
	flagPlaylist             // playlist, jitterSum, jitterMax
	flagSkips                // sequenceSkips
	flagTCPFail              // tcpFailures
	flagRestarts             // processStarts > 1
)

// setFlag marks a group as having data (one load when already set).
func (s *ClientStats) setFlag(f uint32) {
	if s.flags.Load()&f == 0 {
		s.flags.Or(f)
	}
}

// NewClientStats returns the statistics of client id on the real clock.
func NewClientStats(id int) *ClientStats { return NewClientStatsWithClock(id, RealClock{}) }

// NewClientStatsWithClock returns the statistics of client id reading time
// from c (nil means RealClock). The client's StartTime and its first process
// start are c.Now().
func NewClientStatsWithClock(id int, c Clock) *ClientStats {
	if c == nil {
		c = RealClock{}
	}
	now := c.Now()
	s := &ClientStats{ClientID: id, StartTime: now, clock: c, startNs: now.UnixNano()}
	s.cold.Store(new(clientCold))
	s.processStart.Store(s.startNs)
	s.speedBits.Store(noSpeed)
	s.currentDrift.Store(noDrift)
	return s
}

// Clock returns the client's clock.
func (s *ClientStats) Clock() Clock {
	if s.clock == nil {
		return RealClock{}
	}
	return s.clock
}

func (s *ClientStats) nowNs() int64 {
	c := s.clock
	if c == nil {
		c = RealClock{}
	}
	n := c.Now().UnixNano()
	if n == 0 {
		n = 1 // 0 means "not below threshold" in belowSince
	}
	return n
}

// IncrementManifestRequests counts one playlist request.
func (s *ClientStats) IncrementManifestRequests() { s.ManifestRequests.Add(1) }

// IncrementSegmentRequests counts one media segment request.
func (s *ClientStats) IncrementSegmentRequests() { s.SegmentRequests.Add(1) }

// IncrementInitRequests counts one init segment request.
func (s *ClientStats) IncrementInitRequests() { s.InitRequests.Add(1) }

// IncrementUnknownRequests counts one request of unknown type.
func (s *ClientStats) IncrementUnknownRequests() { s.UnknownRequests.Add(1) }

// RecordHTTPError counts one HTTP error. Codes 400..599 are counted
// individually, every other code under "other". Lock-free, no allocation;
// small enough to be inlined (one atomic add and a branch).
func (s *ClientStats) RecordHTTPError(code int) {
	i := min(uint(code-MinHTTPErrorCode), HTTPOtherIndex) // below 400 wraps around
	// The add returns 1 for the first error of a code, which marks it. (A
	// concurrent Aggregate between the two may miss that one error, as if
	// it had run just before it.)
	if s.httpErrorCounts[i].Add(1) == 1 {
		s.errMask[i>>6].Or(1 << (i & 63))
		s.flags.Or(flagErrors)
	}
}

// GetHTTPErrors returns the non-zero error counts by status code, with
// "other" (codes outside 400..599) under key 0.
func (s *ClientStats) GetHTTPErrors() map[int]int64 {
	result := make(map[int]int64)
	s.forEachHTTPError(func(i int, c int64) {
		if i == HTTPOtherIndex {
			result[HTTPOtherCode] = c
		} else {
			result[i+MinHTTPErrorCode] = c
		}
	})
	return result
}

// forEachHTTPError calls fn for every non-zero counter index, using the
// bit mask of codes seen so far.
func (s *ClientStats) forEachHTTPError(fn func(i int, c int64)) {
	for w := range s.errMask {
		m := s.errMask[w].Load()
		for m != 0 {
			b := bits.TrailingZeros64(m)
			m &= m - 1
			i := w<<6 | b
			if c := s.httpErrorCounts[i].Load(); c != 0 {
				fn(i, c)
			}
		}
	}
}

// addHTTPErrorsTo adds the client's error counters to dst.
func (s *ClientStats) addHTTPErrorsTo(dst *AggregatedStats) int64 {
	var total int64
	s.forEachHTTPError(func(i int, c int64) {
		dst.errs.add(i, c)
		total += c
	})
	return total
}

// HTTPErrorTotal returns the number of HTTP errors of all codes.
func (s *ClientStats) HTTPErrorTotal() int64 {
	var t int64
	s.forEachHTTPError(func(_ int, c int64) { t += c })
	return t
}

// RecordReconnection counts one reconnection.
func (s *ClientStats) RecordReconnection() { s.Reconnections.Add(1) }

// RecordTimeout counts one timeout.
func (s *ClientStats) RecordTimeout() { s.Timeouts.Add(1) }

// OnProcessStart marks the start of a new player process (call it for
// every start, including the first): the bytes of the previous process are
// carried into TotalBytes, drift is re-based to the new start, and speed
// and drift go back to "no reading yet".
func (s *ClientStats) OnProcessStart() {
	now := s.nowNs()
	cur := s.currentProcessBytes.Swap(0)
	s.bytesFromPreviousRuns.Add(cur)
	s.processStart.Store(now)
	s.belowSince.Store(0)
	s.speedBits.Store(noSpeed)
	s.currentDrift.Store(noDrift)
	if s.processStarts.Add(1) > 1 {
		s.setFlag(flagRestarts)
	}
}

// OnProcessExit marks the end of the current player process (a client in
// backoff, or stopped for good): until the next OnProcessStart it has no
// speed, stall or drift reading and does not count as an active client. Its
// counters and bytes stay (the bytes are carried at the next start).
func (s *ClientStats) OnProcessExit() {
	s.belowSince.Store(0)
	s.currentDrift.Store(noDrift)
	s.speedBits.Store(exitedSpeed)
}

// restartsOf returns the restarts among a client's process starts: every
// start after its first.
func restartsOf(starts uint32) int64 { return int64(max(starts, 1) - 1) }

// ProcessStarts returns how often OnProcessStart was called.
func (s *ClientStats) ProcessStarts() int64 { return int64(s.processStarts.Load()) }

// UpdateCurrentBytes sets the byte total reported by the current process.
func (s *ClientStats) UpdateCurrentBytes(total int64) { s.currentProcessBytes.Store(total) }

// AddBytes adds n bytes to the current process's total.
func (s *ClientStats) AddBytes(n int64) { s.currentProcessBytes.Add(n) }

// TotalBytes returns the bytes of all processes of this client. During a
// concurrent OnProcessStart it may briefly miss the last process's bytes,
// never count them twice.
func (s *ClientStats) TotalBytes() int64 {
	prev := s.bytesFromPreviousRuns.Load()
	return prev + s.currentProcessBytes.Load()
}

// RecordSegmentSize stores the size of one downloaded segment in a ring of
// the last SegmentSizeRingSize sizes (each slot atomic: race-free). Sizes
// are clamped to 0..4 GiB-1.
func (s *ClientStats) RecordSegmentSize(size int64) {
	s.RecordSegmentSizes([]int64{size})
}

// RecordSegmentSizes stores several segment sizes, oldest first: the same
// as RecordSegmentSize for each, with one update of the ring's counter.
func (s *ClientStats) RecordSegmentSizes(sizes []int64) {
	if len(sizes) == 0 {
		return
	}
	idx := s.segmentCount.Add(uint32(len(sizes))) - uint32(len(sizes))
	ring := &s.arrays().segmentSizes
	for _, size := range sizes {
		if size < 0 {
			size = 0
		} else if size > math.MaxUint32 {
			size = math.MaxUint32
		}
		ring[idx%SegmentSizeRingSize].Store(uint32(size))
		idx++
	}
}

// NextSegmentSizeSlot returns the address of the segment-size ring slot the
// next RecordSegmentSize writes, for a caller that batches its writes and
// wants to prefetch that memory first (the ring lives in the cold part, a
// separate allocation). It is only a hint: other writers may move on.
func (s *ClientStats) NextSegmentSizeSlot() unsafe.Pointer {
	return unsafe.Pointer(&s.arrays().segmentSizes[s.segmentCount.Load()%SegmentSizeRingSize])
}

// GetAverageSegmentSize returns the mean of the non-zero sizes among the
// last (up to 100) segment sizes, 0 when there is none. Integer division,
// rounded down.
func (s *ClientStats) GetAverageSegmentSize() int64 {
	n := int(min(s.segmentCount.Load(), SegmentSizeRingSize))
	var sum, count int64
	cold := s.arrays()
	for i := 0; i < n; i++ {
		if size := int64(cold.segmentSizes[i].Load()); size > 0 {
			sum += size
			count++
		}
	}
	if count == 0 {
		return 0
	}
	return sum / count
}

// UpdateSpeed records the current playback speed (x real time). A speed of
// 0 (or a negative or NaN value) means "no progress": it counts as below
// real time and keeps the stall timer running. The stall timer starts at the
// first reading below StallThreshold, including the very first reading
// of a process, and stops at any reading at or above it.
func (s *ClientStats) UpdateSpeed(speed float64) {
	if !(speed > 0) {
		speed = 0
	}
	s.speedBits.Store(math.Float64bits(speed))
	if speed < StallThreshold {
		if s.belowSince.Load() == 0 {
			s.belowSince.CompareAndSwap(0, s.nowNs())
		}
	} else if s.belowSince.Load() != 0 {
		s.belowSince.Store(0)
	}
}

// GetSpeed returns the last speed reading, 0 when there is none.
func (s *ClientStats) GetSpeed() float64 {
	b := s.speedBits.Load()
	if !isReading(b) {
		return 0
	}
	return math.Float64frombits(b)
}

// HasSpeed reports whether the current process has given a speed reading.
func (s *ClientStats) HasSpeed() bool { return isReading(s.speedBits.Load()) }

// isReading reports whether speed bits hold a reading.
func isReading(b uint64) bool { return b != noSpeed && b != exitedSpeed }

// IsRunning reports whether the client's player process is running: it
// started (OnProcessStart) and has not exited since (OnProcessExit).
func (s *ClientStats) IsRunning() bool {
	return s.processStarts.Load() > 0 && s.speedBits.Load() != exitedSpeed
}

// IsStalled reports whether the speed has stayed below StallThreshold
// for longer than StallDuration (by the client's clock).
func (s *ClientStats) IsStalled() bool { return stalledAt(s.belowSince.Load(), s.nowNs()) }

func stalledAt(below, now int64) bool {
	return below != 0 && now-below > int64(StallDuration)
}

// UpdateDrift records the playback position (FFmpeg out_time in
// microseconds) of the current process: drift = wall time since the current
// process started (OnProcessStart) - playback position. A position <= 0
// (no output yet) is ignored. The maximum drift only takes positive drifts
// (playback ahead of the clock is not drift), so it stays 0 until a drift
// above 0 is seen.
func (s *ClientStats) UpdateDrift(outTimeUS int64) {
	if outTimeUS <= 0 {
		return
	}
	d := s.nowNs() - s.processStart.Load() - outTimeUS*int64(time.Microsecond)
	if d == noDrift {
		d++
	}
	s.currentDrift.Store(d)
	for d > 0 {
		m := s.maxDrift.Load()
		if m >= d {
			return
		}
		if s.maxDrift.CompareAndSwap(m, d) {
			return
		}
	}
}

// GetDrift returns the current drift (0 without a reading in the current
// process) and the largest drift seen over the client's life (0 before the
// first reading).
func (s *ClientStats) GetDrift() (current, max time.Duration) {
	return driftOrZero(s.currentDrift.Load()), time.Duration(s.maxDrift.Load())
}

func driftOrZero(d int64) time.Duration {
	if d == noDrift {
		return 0
	}
	return time.Duration(d)
}

// FFmpegSpeed returns the speed figure FFmpeg itself prints, a running
// average: playback position / time since the current process started,
// evaluated now from the last drift reading (position = elapsed - drift).
// 0 without a drift reading in the current process. See
// AggregatedStats.AverageFFmpegSpeed; GetSpeed is the instantaneous speed.
func (s *ClientStats) FFmpegSpeed() float64 {
	sp, _ := s.ffmpegSpeedAt(s.nowNs())
	return sp
}

// ffmpegSpeedAt returns FFmpegSpeed at nowNs, and whether there is one.
func (s *ClientStats) ffmpegSpeedAt(nowNs int64) (float64, bool) {
	d := s.currentDrift.Load()
	e := nowNs - s.processStart.Load()
	if d == noDrift || e <= 0 {
		return 0, false
	}
	return float64(e-d) / float64(e), true
}

// HasHighDrift reports whether the current drift exceeds HighDriftThreshold.
func (s *ClientStats) HasHighDrift() bool {
	return driftOrZero(s.currentDrift.Load()) > HighDriftThreshold
}

// RecordDroppedLines stores the pipeline counters of the output parser
// (totals, not increments; read counts include dropped lines) and updates
// the peak drop rate.
func (s *ClientStats) RecordDroppedLines(progressRead, progressDropped, stderrRead, stderrDropped int64) {
	s.ProgressLinesRead.Store(progressRead)
	s.ProgressLinesDropped.Store(progressDropped)
	s.StderrLinesRead.Store(stderrRead)
	s.StderrLinesDropped.Store(stderrDropped)
	r := dropRate(progressRead+stderrRead, progressDropped+stderrDropped)
	atomicMaxFloat(&s.peakDropRate, r)
}

func dropRate(read, dropped int64) float64 {
	if read <= 0 || dropped <= 0 {
		return 0
	}
	return float64(dropped) / float64(read)
}

func atomicMaxFloat(a *atomic.Uint64, v float64) {
	for {
		old := a.Load()
		if math.Float64frombits(old) >= v {
			return
		}
		if a.CompareAndSwap(old, math.Float64bits(v)) {
			return
		}
	}
}

// CurrentDropRate returns dropped / read lines over both streams (0 when
// nothing was read).
func (s *ClientStats) CurrentDropRate() float64 {
	return dropRate(s.ProgressLinesRead.Load()+s.StderrLinesRead.Load(),
		s.ProgressLinesDropped.Load()+s.StderrLinesDropped.Load())
}

// GetPeakDropRate returns the highest drop rate seen by RecordDroppedLines.
func (s *ClientStats) GetPeakDropRate() float64 { return math.Float64frombits(s.peakDropRate.Load()) }

// MetricsDegraded reports whether the current drop rate exceeds threshold
// (any threshold: with 0, any dropped line degrades).
func (s *ClientStats) MetricsDegraded(threshold float64) bool {
	return s.CurrentDropRate() > threshold
}

// Uptime returns the time since StartTime by the client's clock.
func (s *ClientStats) Uptime() time.Duration { return time.Duration(s.nowNs() - s.startNs) }

// RecordSegmentLatency records the wall time of one segment request.
func (s *ClientStats) RecordSegmentLatency(d time.Duration) {
	s.latency.add(slotKey(kindSegment, bucketOf(int64(d))))
}

// RecordManifestLatency records the wall time of one playlist request.
func (s *ClientStats) RecordManifestLatency(d time.Duration) {
	s.latency.add(slotKey(kindManifest, bucketOf(int64(d))))
}

// MaxLatencyBatch is the most values RecordLatencies takes in one call.
const MaxLatencyBatch = maxBatch

// RecordLatencies records the wall times of several segment and playlist
// requests: the same as RecordSegmentLatency for each of segment and
// RecordManifestLatency for each of manifest, but the client's histogram
// slots are read once for the whole batch instead of once per value. At
// most MaxLatencyBatch values in all; more panic.
func (s *ClientStats) RecordLatencies(segment, manifest []time.Duration) {
	var keys [maxBatch]uint32
	n := 0
	for _, d := range segment {
		keys[n] = slotKey(kindSegment, bucketOf(int64(d)))
		n++
	}
	for _, d := range manifest {
		keys[n] = slotKey(kindManifest, bucketOf(int64(d)))
		n++
	}
	s.latency.addKeys(keys[:n])
}

// RecordTCPConnect records one TCP connect attempt. The connect time d goes
// into the connect-time histogram for successful attempts only; refused and
// timed-out attempts are counted.
func (s *ClientStats) RecordTCPConnect(d time.Duration, outcome TCPOutcome) {
	switch outcome {
	case TCPSuccess:
		s.latency.add(slotKey(kindTCP, bucketOf(int64(d))))
	case TCPRefused:
		s.tcpFailures.Add(1)
		s.setFlag(flagTCPFail)
	default:
		s.tcpFailures.Add(1 << 32)
		s.setFlag(flagTCPFail)
	}
}

// RecordPlaylistRefresh records one playlist refresh: jitter is its
// deviation from the expected refresh time (its absolute value is used),
// late tells whether it came later than allowed.
func (s *ClientStats) RecordPlaylistRefresh(jitter time.Duration, late bool) {
	n := 0
	if late {
		n = 1
	}
	s.RecordPlaylistRefreshes([]time.Duration{jitter}, n)
}

// RecordPlaylistRefreshes records several playlist refreshes at once: the
// same as RecordPlaylistRefresh for each of jitters, late of which came
// later than allowed (clamped to 0..len(jitters)).
func (s *ClientStats) RecordPlaylistRefreshes(jitters []time.Duration, late int) {
	if len(jitters) == 0 {
		return
	}
	late = min(max(late, 0), len(jitters))
	var sum, peak time.Duration
	for _, j := range jitters {
		if j < 0 {
			j = -j
		}
		sum += j
		peak = max(peak, j)
	}
	s.playlist.Add(uint64(len(jitters))<<32 + uint64(late))
	s.setFlag(flagPlaylist)
	s.jitterSum.Add(int64(sum))
	for {
		m := s.jitterMax.Load()
		if m >= int64(peak) || s.jitterMax.CompareAndSwap(m, int64(peak)) {
			return
		}
	}
}

// RecordSequenceSkip records one media-sequence discontinuity where n
// sequence numbers were skipped (n <= 0 is ignored).
func (s *ClientStats) RecordSequenceSkip(n int) {
	if n > 0 {
		s.sequenceSkips.Add(1<<skipEventShift | uint64(n)&skipCountMask)
		s.setFlag(flagSkips)
	}
}

// SequenceSkips returns the number of skip events and of skipped sequence
// numbers.
func (s *ClientStats) SequenceSkips() (events, skipped int64) {
	v := s.sequenceSkips.Load()
	return int64(v >> skipEventShift), int64(v & skipCountMask)
}

// PlaylistRefreshes returns refreshes, late refreshes, and the mean and
// maximum absolute jitter.
func (s *ClientStats) PlaylistRefreshes() (refreshes, late int64, avgJitter, maxJitter time.Duration) {
	p := s.playlist.Load()
	refreshes, late = int64(p>>32), int64(p&0xffffffff)
	if refreshes > 0 {
		avgJitter = time.Duration(s.jitterSum.Load() / refreshes)
	}
	return refreshes, late, avgJitter, time.Duration(s.jitterMax.Load())
}

// TCPConnects returns the counts of successful, refused and timed-out
// connect attempts.
func (s *ClientStats) TCPConnects() (success, refused, timeout int64) {
	s.latency.forEachSlot(func(v uint32) {
		if v>>(slotCountBits+slotBucketBit) == kindTCP {
			success += int64(v & slotCountMask)
		}
	})
	f := s.tcpFailures.Load()
	return success, int64(f & 0xffffffff), int64(f >> 32)
}

// LatencySnapshot adds the client's segment, manifest and TCP connect
// histograms to the given snapshots (nil ones are skipped).
func (s *ClientStats) LatencySnapshot(segment, manifest, tcpConnect *HistogramSnapshot) {
	k := [numKinds]*HistogramSnapshot{segment, manifest, tcpConnect}
	s.latency.mergeInto(&k)
}
