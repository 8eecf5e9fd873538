package stats

import (
	"cmp"
	"iter"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"swarmsim/sim/internal/prefetch"
)

// AggregatedStats is a snapshot of all clients of a StatsAggregator. It is
// a plain value owned by its caller. It is large (~90 KB) because it carries
// four dense histograms; copy the scalar fields you need rather than whole
// snapshots when keeping many of them.
type AggregatedStats struct {
	Timestamp time.Time     // the aggregator clock's time of the snapshot
	Elapsed   time.Duration // since the aggregator's StartTime

	// Clients. TotalClients: registered in the aggregator; ActiveClients:
	// those whose player process runs (not exited, see OnProcessExit);
	// ClientsAboveRealtime + ClientsBelowRealtime + ClientsNoReading ==
	// ActiveClients.
	TotalClients   int
	ActiveClients  int
	StalledClients int
	// RemovedClients is how many clients were removed (RemoveClient); the
	// cumulative totals include theirs.
	RemovedClients int

	TotalManifestReqs int64
	TotalSegmentReqs  int64
	TotalInitReqs     int64
	TotalUnknownReqs  int64
	TotalBytes        int64

	// Average rates since the aggregator's StartTime (per second).
	ManifestReqRate       float64
	SegmentReqRate        float64
	InitReqRate           float64
	ThroughputBytesPerSec float64
	// Instant rates since the previous snapshot of the same reader; filled
	// by RateTracker.Update, zero otherwise.
	InstantManifestRate   float64
	InstantSegmentRate    float64
	InstantInitRate       float64
	InstantThroughputRate float64

	// TotalHTTPErrors maps status code -> count (codes 400..599; every
	// other code under 0, "other"), non-zero counts only. AggregateInto
	// clears and refills the map dst already has, so a copy of a snapshot
	// shares its map with the original until the original is refilled.
	TotalHTTPErrors    map[int]int64
	HTTPErrorsTotal    int64 // the sum of TotalHTTPErrors
	TotalReconnections int64
	TotalTimeouts      int64
	// ErrorRate = (HTTP errors + timeouts) / (manifest + segment + init
	// requests); 0 without requests.
	ErrorRate float64

	// Playback.
	ClientsAboveRealtime int // speed >= 1.0
	ClientsBelowRealtime int // speed < 1.0, including 0 (no progress)
	ClientsNoReading     int // no speed reading since the process started
	// AverageSpeed is the mean instantaneous speed (x real time) over the
	// clients with a speed reading: the speed swarmsim's viewers report
	// (UpdateSpeed), the one that drives playback states and stalls.
	AverageSpeed float64
	// AverageFFmpegSpeed is the mean of FFmpeg's own speed figure over the
	// clients with a drift reading (UpdateDrift in the current process):
	// FFmpeg prints a running average, playback position (out_time) /
	// time since its process started, and that is what the real tool
	// reads as "speed". Per client it is (E - drift) / E at the snapshot's
	// instant, E = time since the current process started (out_time =
	// E - drift: the position the last reading implies now). It recovers
	// slowly after a stall, where AverageSpeed jumps back at once.
	AverageFFmpegSpeed float64

	// AverageDrift is the mean current drift over the clients whose
	// drift is above 0 (playback behind the clock).
	AverageDrift time.Duration
	// MaxDrift is the largest drift any registered client has had over
	// its life (0 when none was above 0).
	MaxDrift             time.Duration
	ClientsWithHighDrift int // current drift > HighDriftThreshold

	// Pipeline health.
	TotalLinesDropped int64
	TotalLinesRead    int64
	ClientsWithDrops  int
	CurrentDropRate   float64 // TotalLinesDropped / TotalLinesRead
	MetricsDegraded   bool    // CurrentDropRate > the aggregator's drop threshold
	// PeakDropRate is the worst single client's peak drop rate (each
	// client's highest rate at a RecordDroppedLines), over the registered
	// and the removed clients.
	PeakDropRate float64

	// The stderr part of TotalLinesDropped and TotalLinesRead (the rest
	// are progress lines), for readers that report the streams apart.
	StderrLinesDropped int64
	StderrLinesRead    int64

	// Uptime (time since each client's StartTime).
	MinUptime time.Duration
	MaxUptime time.Duration
	AvgUptime time.Duration
	UptimeP50 time.Duration
	UptimeP95 time.Duration
	UptimeP99 time.Duration

	// Latency percentiles of the merged per-client histograms (each within
	// HistogramRelativeError of an observed value).
	SegmentLatencyP25   time.Duration
	SegmentLatencyP50   time.Duration
	SegmentLatencyP75   time.Duration
	SegmentLatencyP95   time.Duration
	SegmentLatencyP99   time.Duration
	SegmentLatencyMax   time.Duration
	SegmentLatencyCount int64

	ManifestLatencyP25   time.Duration
	ManifestLatencyP50   time.Duration
	ManifestLatencyP75   time.Duration
	ManifestLatencyP95   time.Duration
	ManifestLatencyP99   time.Duration
	ManifestLatencyMax   time.Duration
	ManifestLatencyCount int64

	TCPConnectLatencyP25 time.Duration
	TCPConnectLatencyP50 time.Duration
	TCPConnectLatencyP75 time.Duration
	TCPConnectLatencyP95 time.Duration
	TCPConnectLatencyP99 time.Duration
	TCPConnectLatencyMax time.Duration
	TCPConnectAvg        time.Duration // mean successful connect time
	TCPConnectCount      int64         // all attempts
	TCPConnectSuccess    int64
	TCPConnectRefused    int64
	TCPConnectTimeout    int64

	// Playlist refreshes.
	PlaylistRefreshes  int64
	PlaylistLateCount  int64
	PlaylistJitterAvg  time.Duration
	PlaylistJitterMax  time.Duration
	SequenceSkips      int64 // skip events
	SkippedSequences   int64 // sequence numbers skipped
	TotalProcessStarts int64 // OnProcessStart calls over all clients
	// TotalProcessRestarts: process starts beyond each client's first, over
	// all clients (a client registered before its first start counts 0).
	TotalProcessRestarts int64

	// httpErrors holds the HTTP error counts as AggregateInto sums them,
	// before they fill TotalHTTPErrors.
	httpErrors HTTPErrorCounts

	// PerClientSummaries is filled (in ascending ClientID order) only when
	// AggregateOptions.PerClientSummaries is set.
	PerClientSummaries []Summary `json:",omitempty"`

	// Merged histograms, for recorders (Sub gives per-interval figures) and
	// exporters.
	SegmentLatencyHist    HistogramSnapshot
	ManifestLatencyHist   HistogramSnapshot
	TCPConnectLatencyHist HistogramSnapshot
	UptimeHist            HistogramSnapshot
}

// AggregateOptions selects optional parts of a snapshot.
type AggregateOptions struct {
	// PerClientSummaries fills AggregatedStats.PerClientSummaries.
	PerClientSummaries bool
}

// StatsAggregator tracks a set of clients. Clients live in a sync.Map (the
// source of truth); Aggregate iterates a cached, ID-sorted slice of them that
// is rebuilt only when membership changed. Every method is safe for
// concurrent use, including Aggregate while clients are updated, added and
// removed.
type StatsAggregator struct {
	clients       sync.Map // int -> *ClientStats
	count         atomic.Int64
	gen           atomic.Uint64 // bumped after every membership change
	cache         atomic.Pointer[clientList]
	clock         Clock
	startNs       atomic.Int64
	dropThreshold float64
	peakDropRate  atomic.Uint64
	scratchMu     sync.Mutex
	scratch       *keyCounts // guarded by scratchMu; all zero between uses
	half          *halfJob   // guarded by scratchMu; nil until the first large Aggregate
	// retired holds the cumulative counters of removed clients (nil until
	// the first RemoveClient; Reset clears it).
	retired atomic.Pointer[retiredTotals]
}

type clientList struct {
	gen  uint64
	list []*ClientStats
	// starts holds the clients' start times (unix ns) in ascending order and
	// startOffMean the mean of starts[i]-starts[0]: client start times never
	// change, so uptime figures need no per-client work in Aggregate.
	starts       []int64
	startOffMean float64
}

// NewStatsAggregator returns an aggregator on the real clock. A
// dropThreshold <= 0 means DefaultDropThreshold (1 %).
func NewStatsAggregator(dropThreshold float64) *StatsAggregator {
	return NewStatsAggregatorWithClock(dropThreshold, RealClock{})
}

// NewStatsAggregatorWithClock returns an aggregator reading time from c
// (nil means RealClock). Its clients should use the same clock.
func NewStatsAggregatorWithClock(dropThreshold float64, c Clock) *StatsAggregator {
	if c == nil {
		c = RealClock{}
	}
	if !(dropThreshold > 0) {
		dropThreshold = DefaultDropThreshold
	}
	a := &StatsAggregator{clock: c, dropThreshold: dropThreshold}
	a.startNs.Store(c.Now().UnixNano())
	a.cache.Store(&clientList{gen: 0})
	return a
}

// Clock returns the aggregator's clock.
func (a *StatsAggregator) Clock() Clock { return a.clock }

// DropThreshold returns the drop rate above which metrics are degraded.
func (a *StatsAggregator) DropThreshold() float64 { return a.dropThreshold }

// AddClient registers s under s.ClientID, replacing any client with the
// same ID. nil is ignored.
func (a *StatsAggregator) AddClient(s *ClientStats) {
	if s == nil {
		return
	}
	if _, loaded := a.clients.Swap(s.ClientID, s); !loaded {
		a.count.Add(1)
	}
	a.gen.Add(1)
}

// RemoveClient unregisters the client with the given ID (no-op if absent)
// and retires its totals: its cumulative counters (requests, bytes, HTTP
// errors, timeouts, reconnections, process starts, TCP connect outcomes,
// playlist refreshes, sequence skips, pipeline lines and latency
// histograms) stay in the aggregator's snapshots, so totals are cumulative
// over every client the aggregator has seen. Its gauges (speed, drift,
// stall state, uptime) and its place in the client counts go. Updates made
// to the client after its removal are not counted, and a snapshot taken
// concurrently with the removal may count the client's totals twice (from
// its cached client list and the retired totals) or miss them; the next one
// counts them once. The retired totals take one ~130 KB allocation, at the
// first removal.
func (a *StatsAggregator) RemoveClient(clientID int) {
	if v, loaded := a.clients.LoadAndDelete(clientID); loaded {
		a.retiredTotals().retire(v.(*ClientStats))
		a.count.Add(-1)
		a.gen.Add(1)
	}
}

// retiredTotals returns the accumulator of removed clients, creating it on
// first use.
func (a *StatsAggregator) retiredTotals() *retiredTotals {
	if r := a.retired.Load(); r != nil {
		return r
	}
	a.retired.CompareAndSwap(nil, new(retiredTotals))
	return a.retired.Load()
}

// GetClient returns the client with the given ID, nil if absent.
func (a *StatsAggregator) GetClient(clientID int) *ClientStats {
	v, ok := a.clients.Load(clientID)
	if !ok {
		return nil
	}
	return v.(*ClientStats)
}

// ClientCount returns the number of registered clients.
func (a *StatsAggregator) ClientCount() int { return int(a.count.Load()) }

// clientList returns the registered clients sorted by ClientID, rebuilding
// the cached slice when membership changed since it was built.
func (a *StatsAggregator) clientList() []*ClientStats { return a.clientCache().list }

// clientCache returns the cached client list, rebuilding it when membership
// changed since it was built.
func (a *StatsAggregator) clientCache() *clientList {
	g := a.gen.Load()
	c := a.cache.Load()
	if c.gen == g {
		return c
	}
	list := make([]*ClientStats, 0, max(a.count.Load(), 0)+8)
	a.clients.Range(func(_, v any) bool {
		list = append(list, v.(*ClientStats))
		return true
	})
	slices.SortFunc(list, func(x, y *ClientStats) int { return cmp.Compare(x.ClientID, y.ClientID) })
	n := &clientList{gen: g, list: list, starts: make([]int64, len(list))}
	for i, c := range list {
		n.starts[i] = c.startNs
	}
	slices.Sort(n.starts)
	if len(n.starts) > 0 {
		var sum float64
		for _, st := range n.starts {
			sum += float64(st - n.starts[0])
		}
		n.startOffMean = sum / float64(len(n.starts))
	}
	for {
		old := a.cache.Load()
		if old.gen >= g || a.cache.CompareAndSwap(old, n) {
			break
		}
	}
	return n
}

// fillUptime fills the uptime figures of dst from the sorted start times:
// the histogram takes one binary search per non-empty bucket instead of
// one bucket computation per client.
func fillUptime(dst *AggregatedStats, cl *clientList, nowNs int64) {
	st := cl.starts
	n := len(st)
	if n == 0 {
		return
	}
	dst.MinUptime = time.Duration(nowNs - st[n-1])
	dst.MaxUptime = time.Duration(nowNs - st[0])
	dst.AvgUptime = time.Duration(float64(nowNs-st[0]) - cl.startOffMean)
	h := &dst.UptimeHist
	var mask uint64
	// Uptimes ascend as start times descend: walk from the latest start.
	for j := n - 1; j >= 0; {
		b := bucketOf(nowNs - st[j])
		// every start s with nowNs-s below the bucket's upper bound,
		// i.e. s > nowNs-upper, falls into bucket b (or is already counted)
		limit := nowNs - (bucketLower(b) + bucketWidth(b))
		k, _ := slices.BinarySearch(st[:j+1], limit+1) // first index with st[k] > limit
		if b == NumHistogramBuckets-1 || bucketOf(nowNs-st[k]) != b {
			k = j // clamped bucket or a start in the future: count one by one
		}
		h.counts[b] += uint64(j - k + 1)
		mask |= 1 << (b >> 6 & 63)
		j = k - 1
	}
	h.fixup(mask)
}

// ForEachClient calls fn for every registered client in ascending ClientID
// order (the real tool's signature). Use Clients to stop early.
func (a *StatsAggregator) ForEachClient(fn func(clientID int, stats *ClientStats)) {
	for _, c := range a.clientList() {
		fn(c.ClientID, c)
	}
}

// Clients iterates over the registered clients in ascending ClientID order;
// breaking out of the range loop stops the iteration.
func (a *StatsAggregator) Clients() iter.Seq[*ClientStats] {
	return func(yield func(*ClientStats) bool) {
		for _, c := range a.clientList() {
			if !yield(c) {
				return
			}
		}
	}
}

// GetAllClientSummaries returns a summary of every client in ascending
// ClientID order, all evaluated at one instant of the aggregator's clock.
func (a *StatsAggregator) GetAllClientSummaries() []Summary {
	now := a.clock.Now().UnixNano()
	list := a.clientList()
	out := make([]Summary, 0, len(list))
	for _, c := range list {
		out = append(out, c.summaryAt(now))
	}
	return out
}

// Reset unregisters every client (without retiring them), clears the
// retired totals of removed clients, restarts StartTime at the clock's now
// and clears the peak drop rate.
func (a *StatsAggregator) Reset() {
	a.clients.Range(func(k, _ any) bool {
		if _, loaded := a.clients.LoadAndDelete(k); loaded {
			a.count.Add(-1)
		}
		return true
	})
	a.gen.Add(1)
	a.retired.Store(nil)
	a.startNs.Store(a.clock.Now().UnixNano())
	a.peakDropRate.Store(0)
}

// GetPeakDropRate returns the highest PeakDropRate of the snapshots taken
// since the aggregator was created or Reset (the worst single client's
// peak).
func (a *StatsAggregator) GetPeakDropRate() float64 {
	return math.Float64frombits(a.peakDropRate.Load())
}

// StartTime returns when the aggregator was created or last Reset.
func (a *StatsAggregator) StartTime() time.Time { return time.Unix(0, a.startNs.Load()).UTC() }

// Elapsed returns the clock's time since StartTime.
func (a *StatsAggregator) Elapsed() time.Duration {
	return time.Duration(a.clock.Now().UnixNano() - a.startNs.Load())
}

// Aggregate returns a new snapshot of all clients (one allocation).
func (a *StatsAggregator) Aggregate() *AggregatedStats {
	s := new(AggregatedStats)
	a.AggregateInto(s, AggregateOptions{})
	return s
}

// aggregateChunk is how many clients AggregateInto sums at a time (see
// also prefetchChunk): first their counters, then their latency slots (two
// small loops whose values stay in registers, where one loop doing both
// kept them on the stack), while their hot lines are still in the L1 cache.
const aggregateChunk = 32

// clientSums are the running sums of AggregateInto that are not fields of
// the snapshot.
type clientSums struct {
	speedSum float64
	ffSum    float64 // FFmpeg speeds (see AverageFFmpegSpeed)
	ffN      int
	driftSum int64
	driftN   int
	maxDrift int64  // the largest lifetime maximum drift (>= 0)
	peakDrop uint64 // the largest peak drop rate, float64 bits (rates >= 0 order as their bits)
	jitterNs int64
}

// addClients adds clients to dst, s and scratch (their latency slots), in
// chunks, and returns the 64-bucket blocks of scratch it touched.
func (s *clientSums) addClients(dst *AggregatedStats, clients []*ClientStats, scratch *keyCounts, nowNs int64) (latMask uint64) {
	chunk := aggregateChunk
	prefetching := len(clients) >= prefetchFrom // below, the clients fit the caches
	if prefetching {
		chunk = prefetchChunk
	}
	for lo := 0; lo < len(clients); lo += chunk {
		part := clients[lo:min(lo+chunk, len(clients))]
		if prefetching {
			// the next chunk's hot lines, while this one is summed
			for _, c := range clients[min(lo+chunk, len(clients)):min(lo+2*chunk, len(clients))] {
				prefetch.Lines(unsafe.Pointer(c), prefetchLines)
			}
		}
		s.add(dst, part, nowNs)
		latMask |= mergeLatencies(part, scratch)
	}
	return latMask
}

// merge adds the sums of the clients after s's.
func (s *clientSums) merge(o *clientSums) {
	s.maxDrift = max(s.maxDrift, o.maxDrift)
	s.peakDrop = max(s.peakDrop, o.peakDrop)
	s.speedSum += o.speedSum
	s.ffSum += o.ffSum
	s.ffN += o.ffN
	s.driftSum += o.driftSum
	s.driftN += o.driftN
	s.jitterNs += o.jitterNs
}

// addCounters adds the fields that clientSums.add fills in src to s
// (TestAggregate_SumsEqualSumOfClients checks each of them on a swarm
// large enough to be summed in halves).
func (s *AggregatedStats) addCounters(src *AggregatedStats) {
	s.ActiveClients += src.ActiveClients // minus the exited clients of src
	s.TotalManifestReqs += src.TotalManifestReqs
	s.TotalSegmentReqs += src.TotalSegmentReqs
	s.TotalInitReqs += src.TotalInitReqs
	s.TotalUnknownReqs += src.TotalUnknownReqs
	s.TotalBytes += src.TotalBytes
	s.ClientsNoReading += src.ClientsNoReading
	s.ClientsAboveRealtime += src.ClientsAboveRealtime
	s.ClientsBelowRealtime += src.ClientsBelowRealtime
	s.StalledClients += src.StalledClients
	s.TotalReconnections += src.TotalReconnections
	s.TotalTimeouts += src.TotalTimeouts
	s.ClientsWithHighDrift += src.ClientsWithHighDrift
	s.TotalProcessStarts += src.TotalProcessStarts
	s.TotalProcessRestarts += src.TotalProcessRestarts
	s.PlaylistRefreshes += src.PlaylistRefreshes
	s.PlaylistLateCount += src.PlaylistLateCount
	s.PlaylistJitterMax = max(s.PlaylistJitterMax, src.PlaylistJitterMax)
	s.SequenceSkips += src.SequenceSkips
	s.SkippedSequences += src.SkippedSequences
	s.TCPConnectRefused += src.TCPConnectRefused
	s.TCPConnectTimeout += src.TCPConnectTimeout
	s.TotalLinesDropped += src.TotalLinesDropped
	s.TotalLinesRead += src.TotalLinesRead
	s.StderrLinesDropped += src.StderrLinesDropped
	s.StderrLinesRead += src.StderrLinesRead
	s.ClientsWithDrops += src.ClientsWithDrops
	s.HTTPErrorsTotal += src.HTTPErrorsTotal
	for i, c := range src.httpErrors {
		s.httpErrors[i] += c
	}
}

// parallelFrom is the client count from which AggregateInto sums the two
// halves of the client list apart, the second on the helper goroutine when
// GOMAXPROCS allows (below, handing work over costs more than it saves).
const parallelFrom = 8192

// halfJob is the second half of a large AggregateInto: its own counters,
// sums and latency scratch, merged into the snapshot afterwards.
type halfJob struct {
	clients  []*ClientStats
	nowNs    int64
	part     AggregatedStats // only the fields clientSums.add fills
	sums     clientSums
	scratch  *keyCounts
	mask     uint64
	done     chan struct{}
	onHelper bool
}

func newHalfJob() *halfJob {
	return &halfJob{scratch: new(keyCounts), done: make(chan struct{}, 1)}
}

// start sums clients on the helper goroutine, or does nothing when there is
// a single P or the helper is busy (wait then sums them).
func (j *halfJob) start(clients []*ClientStats, nowNs int64) {
	j.clients, j.nowNs = clients, nowNs
	j.part.resetScalars()
	j.sums = clientSums{}
	j.onHelper = false
	if runtime.GOMAXPROCS(0) > 1 {
		startHelper.Do(func() { go helper() })
		select {
		case helperJobs <- j:
			j.onHelper = true
		default: // the helper is busy with another aggregator's job
		}
	}
}

// wait returns when the job's sums are ready.
func (j *halfJob) wait() {
	if j.onHelper {
		<-j.done
		j.onHelper = false
	} else {
		j.run()
	}
	j.clients = nil
}

func (j *halfJob) run() {
	j.mask = j.sums.addClients(&j.part, j.clients, j.scratch, j.nowNs)
}

// The helper goroutine sums the second halves of large aggregates, for every
// aggregator of the process. It is started on first use and never exits
// (parked on its channel it costs nothing).
var (
	startHelper sync.Once
	helperJobs  = make(chan *halfJob)
)

func helper() {
	for j := range helperJobs {
		j.run()
		j.done <- struct{}{}
	}
}

// add adds the counters of clients to dst and s (everything but the latency
// slots, see mergeLatencies).
func (s *clientSums) add(dst *AggregatedStats, clients []*ClientStats, nowNs int64) {
	speedSum, driftSum, driftN, maxDrift, jitterNs := s.speedSum, s.driftSum, s.driftN, s.maxDrift, s.jitterNs
	ffSum, ffN, peakDrop := s.ffSum, s.ffN, s.peakDrop
	for _, c := range clients {
		// cache line 0
		dst.TotalManifestReqs += c.ManifestRequests.Load()
		dst.TotalSegmentReqs += c.SegmentRequests.Load()
		dst.TotalInitReqs += c.InitRequests.Load()
		dst.TotalUnknownReqs += c.UnknownRequests.Load()
		dst.TotalBytes += c.bytesFromPreviousRuns.Load() + c.currentProcessBytes.Load()
		if sb := c.speedBits.Load(); sb == noSpeed {
			dst.ClientsNoReading++
		} else if sp := math.Float64frombits(sb); sp >= RealtimeSpeed {
			speedSum += sp
			dst.ClientsAboveRealtime++
		} else if sb != exitedSpeed {
			speedSum += sp
			dst.ClientsBelowRealtime++
		} else { // its process exited: not active (AggregateInto counted it)
			dst.ActiveClients--
		}
		if stalledAt(c.belowSince.Load(), nowNs) {
			dst.StalledClients++
		}

		// cache line 1
		dst.TotalReconnections += c.Reconnections.Load()
		dst.TotalTimeouts += c.Timeouts.Load()
		if d := c.currentDrift.Load(); d != noDrift {
			if d > 0 { // playback ahead of the clock is not drift
				driftSum += d
				driftN++
				if d > int64(HighDriftThreshold) {
					dst.ClientsWithHighDrift++
				}
			}
			if e := nowNs - c.processStart.Load(); e > 0 {
				ffSum += float64(e-d) / float64(e)
				ffN++
			}
		}
		starts := c.processStarts.Load()
		dst.TotalProcessStarts += int64(starts)
		flags := c.flags.Load()
		if flags&flagPlaylist != 0 {
			p := c.playlist.Load()
			dst.PlaylistRefreshes += int64(p >> 32)
			dst.PlaylistLateCount += int64(p & 0xffffffff)
			jitterNs += c.jitterSum.Load()
			dst.PlaylistJitterMax = max(dst.PlaylistJitterMax, time.Duration(c.jitterMax.Load()))
		}
		if flags&^flagPlaylist != 0 {
			addOptional(dst, c, flags, starts)
		}

		// cache line 4
		pd, sd := c.ProgressLinesDropped.Load(), c.StderrLinesDropped.Load()
		sr := c.StderrLinesRead.Load()
		dst.TotalLinesDropped += pd + sd
		dst.TotalLinesRead += c.ProgressLinesRead.Load() + sr
		dst.StderrLinesDropped += sd
		dst.StderrLinesRead += sr
		if pd > 0 || sd > 0 {
			dst.ClientsWithDrops++
		}
		peakDrop = max(peakDrop, c.peakDropRate.Load())
		maxDrift = max(maxDrift, c.maxDrift.Load())
	}
	s.speedSum, s.driftSum, s.driftN, s.maxDrift, s.jitterNs = speedSum, driftSum, driftN, maxDrift, jitterNs
	s.ffSum, s.ffN, s.peakDrop = ffSum, ffN, peakDrop
}

// addOptional adds the groups of c's counters that only some clients have
// (cache line 4, restarts and the HTTP error counters), as flags say.
// starts is the process count add read, so that a snapshot's restarts
// agree with its starts while OnProcessStart runs.
func addOptional(dst *AggregatedStats, c *ClientStats, flags, starts uint32) {
	if flags&flagSkips != 0 {
		sk := c.sequenceSkips.Load()
		dst.SequenceSkips += int64(sk >> skipEventShift)
		dst.SkippedSequences += int64(sk & skipCountMask)
	}
	if flags&flagTCPFail != 0 {
		f := c.tcpFailures.Load()
		dst.TCPConnectRefused += int64(f & 0xffffffff)
		dst.TCPConnectTimeout += int64(f >> 32)
	}
	if flags&flagRestarts != 0 {
		dst.TotalProcessRestarts += restartsOf(starts)
	}
	if flags&flagErrors != 0 {
		dst.HTTPErrorsTotal += c.addHTTPErrorsTo(&dst.httpErrors)
	}
}

// mergeLatencies adds the latency slots of clients to scratch (see
// keyCounts) and returns the 64-bucket blocks they touched.
func mergeLatencies(clients []*ClientStats, scratch *keyCounts) uint64 {
	var mask uint64
	_ = scratch[0] // the nil check, once
	for _, c := range clients {
		h := &c.latency
		slots := h.slots[:min(h.n.Load(), headSlots)]
		for i := range slots {
			v := slots[i].Load() // 0 (claimed, not yet stored) adds 0 to key 0
			scratch[v>>slotCountBits] += uint64(v & slotCountMask)
		}
		if h.next.Load() != nil {
			h.mergeChained(scratch)
		}
		// after the slots: every key they held has its block's bit set
		mask |= h.blocks.Load()
	}
	return mask
}

// From prefetchFrom clients on (their hot parts, 384 B each, then exceed a
// core's 1 MB L2), AggregateInto sums prefetchChunk clients at a time and
// prefetches the lines it reads of the next chunk's clients (the first
// prefetchLines lines of a ClientStats: the counters, the flags and the
// inline latency slots) while it sums one, so that the cache misses of
// several clients are in flight at once. Below that it only costs
// instructions.
const (
	prefetchFrom  = 4096
	prefetchLines = 4
	prefetchChunk = 4
)

var latencyQuantiles = []float64{0.25, 0.50, 0.75, 0.95, 0.99}
var uptimeQuantiles = []float64{0.50, 0.95, 0.99}

// AggregateInto fills dst with a snapshot of all clients, reusing its
// memory: without PerClientSummaries it does not allocate (except when
// membership changed since the previous call, which rebuilds the cached
// client slice). The clock is read once; stall state and uptime of every
// client are evaluated at that instant. Instant* fields are left zero (see
// RateTracker). Cumulative totals include the retired totals of removed
// clients (see RemoveClient); gauges and client counts cover the
// registered clients only.
func (a *StatsAggregator) AggregateInto(dst *AggregatedStats, opts AggregateOptions) {
	now := a.clock.Now()
	nowNs := now.UnixNano()
	cl := a.clientCache()
	list := cl.list

	dst.resetForAggregate()
	dst.Timestamp = now
	dst.Elapsed = time.Duration(nowNs - a.startNs.Load())
	dst.TotalClients = len(list)
	dst.ActiveClients = len(list)

	// Latency slots are summed into a dense scratch indexed by slot key;
	// the aggregator's own scratch when free, a fresh one when another
	// Aggregate is using it.
	var scratch *keyCounts
	var half *halfJob // the second half's job, for a large list
	finished := false // set at the end (see the deferred unlock)
	big := len(list) >= parallelFrom
	if a.scratchMu.TryLock() {
		if a.scratch == nil {
			a.scratch = new(keyCounts)
		}
		scratch = a.scratch
		if big && a.half == nil {
			a.half = newHalfJob()
		}
		half = a.half
		defer func() {
			if !finished { // a panic went through: do not reuse what it left half done
				if half != nil && half.onHelper {
					<-half.done // the helper may still be summing into it
				}
				a.scratch, a.half = nil, nil
			}
			a.scratchMu.Unlock()
		}()
	} else {
		scratch = new(keyCounts)
		if big {
			half = newHalfJob()
		}
	}

	sums := clientSums{}
	var latMask uint64
	if big {
		// The two halves are summed apart and then merged in order,
		// whether the second runs on another goroutine or not, so the
		// result never depends on GOMAXPROCS.
		mid := len(list) / 2
		half.start(list[mid:], nowNs)
		latMask = sums.addClients(dst, list[:mid], scratch, nowNs)
		half.wait()
		latMask |= half.mask
		dst.addCounters(&half.part)
		sums.merge(&half.sums)
		for kind, h := range [numKinds]*HistogramSnapshot{&dst.SegmentLatencyHist, &dst.ManifestLatencyHist, &dst.TCPConnectLatencyHist} {
			moveKind(half.scratch, kind, half.mask, h)
		}
	} else {
		latMask = sums.addClients(dst, list, scratch, nowNs)
	}
	speedSum, driftSum, driftN, maxDrift, jitterNs := sums.speedSum, sums.driftSum, sums.driftN, sums.maxDrift, sums.jitterNs
	if r := a.retired.Load(); r != nil {
		m, j := r.addTo(dst, scratch)
		latMask |= m
		jitterNs += j
	}
	for kind, h := range [numKinds]*HistogramSnapshot{&dst.SegmentLatencyHist, &dst.ManifestLatencyHist, &dst.TCPConnectLatencyHist} {
		moveKind(scratch, kind, latMask, h)
		h.fixup(latMask)
	}
	fillUptime(dst, cl, nowNs)
	if opts.PerClientSummaries {
		for _, c := range list {
			dst.PerClientSummaries = append(dst.PerClientSummaries, c.summaryAt(nowNs))
		}
	}

	// Derived figures.
	if secs := float64(dst.Elapsed) / float64(time.Second); secs > 0 {
		dst.ManifestReqRate = float64(dst.TotalManifestReqs) / secs
		dst.SegmentReqRate = float64(dst.TotalSegmentReqs) / secs
		dst.InitReqRate = float64(dst.TotalInitReqs) / secs
		dst.ThroughputBytesPerSec = float64(dst.TotalBytes) / secs
	}
	dst.fillHTTPErrors()
	if reqs := dst.TotalManifestReqs + dst.TotalSegmentReqs + dst.TotalInitReqs; reqs > 0 {
		dst.ErrorRate = float64(dst.HTTPErrorsTotal+dst.TotalTimeouts) / float64(reqs)
	}
	if speedN := dst.ClientsAboveRealtime + dst.ClientsBelowRealtime; speedN > 0 {
		dst.AverageSpeed = speedSum / float64(speedN)
	}
	if sums.ffN > 0 {
		dst.AverageFFmpegSpeed = sums.ffSum / float64(sums.ffN)
	}
	if driftN > 0 {
		dst.AverageDrift = time.Duration(driftSum / int64(driftN))
	}
	dst.MaxDrift = time.Duration(maxDrift)
	dst.CurrentDropRate = dropRate(dst.TotalLinesRead, dst.TotalLinesDropped)
	dst.MetricsDegraded = dst.CurrentDropRate > a.dropThreshold
	dst.PeakDropRate = max(dst.PeakDropRate, math.Float64frombits(sums.peakDrop)) // the retired clients' peak is in already
	atomicMaxFloat(&a.peakDropRate, dst.PeakDropRate)

	var q [5]time.Duration
	dst.UptimeHist.quantiles(uptimeQuantiles, q[:3])
	// Bucket midpoints may fall just outside the exact min/max; clamp.
	for i := range q[:3] {
		q[i] = min(max(q[i], dst.MinUptime), dst.MaxUptime)
	}
	dst.UptimeP50, dst.UptimeP95, dst.UptimeP99 = q[0], q[1], q[2]

	h := &dst.SegmentLatencyHist
	h.quantiles(latencyQuantiles, q[:])
	dst.SegmentLatencyP25, dst.SegmentLatencyP50, dst.SegmentLatencyP75, dst.SegmentLatencyP95, dst.SegmentLatencyP99 = q[0], q[1], q[2], q[3], q[4]
	dst.SegmentLatencyMax, dst.SegmentLatencyCount = h.Max(), h.Count()

	h = &dst.ManifestLatencyHist
	h.quantiles(latencyQuantiles, q[:])
	dst.ManifestLatencyP25, dst.ManifestLatencyP50, dst.ManifestLatencyP75, dst.ManifestLatencyP95, dst.ManifestLatencyP99 = q[0], q[1], q[2], q[3], q[4]
	dst.ManifestLatencyMax, dst.ManifestLatencyCount = h.Max(), h.Count()

	h = &dst.TCPConnectLatencyHist
	h.quantiles(latencyQuantiles, q[:])
	dst.TCPConnectLatencyP25, dst.TCPConnectLatencyP50, dst.TCPConnectLatencyP75, dst.TCPConnectLatencyP95, dst.TCPConnectLatencyP99 = q[0], q[1], q[2], q[3], q[4]
	dst.TCPConnectLatencyMax = h.Max()
	dst.TCPConnectAvg = h.Mean()
	dst.TCPConnectSuccess = h.Count()
	dst.TCPConnectCount = dst.TCPConnectSuccess + dst.TCPConnectRefused + dst.TCPConnectTimeout
	if dst.PlaylistRefreshes > 0 {
		dst.PlaylistJitterAvg = time.Duration(jitterNs / dst.PlaylistRefreshes)
	}
	finished = true
}

// fillHTTPErrors fills TotalHTTPErrors from httpErrors, reusing the map.
func (s *AggregatedStats) fillHTTPErrors() {
	if s.TotalHTTPErrors == nil {
		n := 0
		for range s.httpErrors.All() {
			n++
		}
		s.TotalHTTPErrors = make(map[int]int64, n)
	}
	for code, n := range s.httpErrors.All() {
		s.TotalHTTPErrors[code] = n
	}
}

// resetForAggregate zeroes every field while keeping the memory of the
// histograms (only their used ranges are cleared) and of
// PerClientSummaries. TestAggregateIntoResetsEveryField guards it.
func (s *AggregatedStats) resetForAggregate() {
	errs := s.TotalHTTPErrors
	clear(errs)
	sums := s.PerClientSummaries[:0]
	clear(sums[:cap(sums)])
	for _, h := range []*HistogramSnapshot{&s.SegmentLatencyHist, &s.ManifestLatencyHist, &s.TCPConnectLatencyHist, &s.UptimeHist} {
		h.Reset()
	}
	s.resetScalars()
	s.PerClientSummaries = sums
	s.TotalHTTPErrors = errs
}

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
