package stats

import (
	"cmp"
	"iter"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

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
	scratch       *keyCounts     // guarded by scratchMu; all zero between uses
	errs          *httpErrorSums // guarded by scratchMu; all zero between uses
	half          *halfJob       // guarded by scratchMu; nil until the first large Aggregate
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
		if a.errs == nil {
			a.errs = new(httpErrorSums)
		}
		dst.errs = a.errs
		if big && a.half == nil {
			a.half = newHalfJob()
		}
		half = a.half
		defer func() {
			if !finished { // a panic went through: do not reuse what it left half done
				if half != nil && half.onHelper {
					<-half.done // the helper may still be summing into it
				}
				a.scratch, a.half, a.errs = nil, nil, nil
				dst.errs = nil
			}
			a.scratchMu.Unlock()
		}()
	} else {
		scratch = new(keyCounts)
		dst.errs = new(httpErrorSums)
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
		m, j, d := r.addTo(dst, scratch)
		latMask |= m
		jitterNs += j
		maxDrift = max(maxDrift, d) // MaxDrift covers every client seen, as PeakDropRate does
	}
	// A fresh snapshot's histograms take their memory in one allocation.
	hists := [numKinds + 1]*HistogramSnapshot{&dst.SegmentLatencyHist, &dst.ManifestLatencyHist, &dst.TCPConnectLatencyHist, &dst.UptimeHist}
	var kmasks [numKinds]uint64
	var spans [numKinds + 1][2]int
	for kind := range kmasks {
		kmasks[kind] = kindBlocks(scratch, kind, latMask)
		if k := kmasks[kind]; k != 0 {
			spans[kind] = [2]int{bits.TrailingZeros64(k), 64 - bits.LeadingZeros64(k)}
		}
	}
	spans[numKinds] = uptimeBlocks(cl, nowNs)
	shareWindows(hists[:], spans[:])
	for kind, h := range hists[:numKinds] {
		moveBlocks(scratch, kind, kmasks[kind], h)
		h.canon()
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
	dst.errs.clear()
	dst.errs = nil
	if reqs := dst.TotalManifestReqs + dst.TotalSegmentReqs + dst.TotalInitReqs; reqs > 0 {
		dst.ErrorRate = float64(dst.HTTPErrorsTotal+dst.TotalTimeouts) / float64(reqs)
	}
	if speedN := dst.ClientsAboveRealtime + dst.ClientsBelowRealtime; speedN > 0 {
		dst.AverageSpeed = speedSum / float64(speedN)
	}
	dst.ClientsWithDrift = sums.ffN
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

	var q [3]time.Duration
	dst.UptimeHist.quantiles(uptimeQuantiles, q[:])
	// Bucket midpoints may fall just outside the exact min/max; clamp.
	for i := range q {
		q[i] = min(max(q[i], dst.MinUptime), dst.MaxUptime)
	}
	dst.UptimeP50, dst.UptimeP95, dst.UptimeP99 = q[0], q[1], q[2]

	dst.setSegmentLatency(percentilesOf(&dst.SegmentLatencyHist))
	dst.setManifestLatency(percentilesOf(&dst.ManifestLatencyHist))
	dst.setTCPConnectLatency(percentilesOf(&dst.TCPConnectLatencyHist))
	dst.TCPConnectAvg = dst.TCPConnectLatencyHist.Mean()
	dst.TCPConnectCount = dst.TCPConnectSuccess + dst.TCPConnectRefused + dst.TCPConnectTimeout
	if dst.PlaylistRefreshes > 0 {
		dst.PlaylistJitterAvg = time.Duration(jitterNs / dst.PlaylistRefreshes)
	}
	finished = true
}
