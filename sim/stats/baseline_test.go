package stats

// Benchmark-only baselines (never used by the simulator):
//
//   - baselineClient/baselineAggregator: the seed's "before" design: HTTP
//     errors in a map behind a sync.Mutex, clients in a map behind a
//     sync.RWMutex, GetHTTPErrors copying the map for every client on every
//     Aggregate, TotalHTTPErrors a fresh map.
//   - realDesignClient/realDesignAggregator: the real tool's design (the
//     seed's proposed "after" design): [201]atomic.Int64 scanned in full
//     by GetHTTPErrors (which allocates a map per client), clients in a
//     sync.Map copied into a map on every Aggregate.

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

type baselineClient struct {
	ClientID         int
	StartTime        time.Time
	ManifestRequests int64
	SegmentRequests  int64
	InitRequests     int64
	UnknownRequests  int64
	Reconnections    int64
	Timeouts         int64
	bytesPrev        atomic.Int64
	bytesCur         atomic.Int64
	speed            atomic.Uint64
	drift            atomic.Int64
	httpErrorsMu     sync.Mutex
	HTTPErrors       map[int]int64
}

func newBaselineClient(id int) *baselineClient {
	return &baselineClient{ClientID: id, StartTime: VirtualEpoch, HTTPErrors: make(map[int]int64)}
}

func (c *baselineClient) RecordHTTPError(code int) {
	c.httpErrorsMu.Lock()
	c.HTTPErrors[code]++
	c.httpErrorsMu.Unlock()
}

func (c *baselineClient) GetHTTPErrors() map[int]int64 {
	c.httpErrorsMu.Lock()
	defer c.httpErrorsMu.Unlock()
	m := make(map[int]int64, len(c.HTTPErrors))
	for k, v := range c.HTTPErrors {
		m[k] = v
	}
	return m
}

type baselineAggregate struct {
	TotalClients, StalledClients                                   int
	TotalManifestReqs, TotalSegmentReqs, TotalInitReqs, TotalBytes int64
	TotalReconnections, TotalTimeouts                              int64
	TotalHTTPErrors                                                map[int]int64
	AverageSpeed                                                   float64
	MaxDrift                                                       time.Duration
}

type baselineAggregator struct {
	mu      sync.RWMutex
	clients map[int]*baselineClient
	now     time.Time
}

func (a *baselineAggregator) AddClient(c *baselineClient) {
	a.mu.Lock()
	a.clients[c.ClientID] = c
	a.mu.Unlock()
}

func (a *baselineAggregator) Aggregate() *baselineAggregate {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r := &baselineAggregate{TotalHTTPErrors: make(map[int]int64)}
	var speedSum float64
	for _, c := range a.clients {
		r.TotalClients++
		r.TotalManifestReqs += atomic.LoadInt64(&c.ManifestRequests)
		r.TotalSegmentReqs += atomic.LoadInt64(&c.SegmentRequests)
		r.TotalInitReqs += atomic.LoadInt64(&c.InitRequests)
		r.TotalReconnections += atomic.LoadInt64(&c.Reconnections)
		r.TotalTimeouts += atomic.LoadInt64(&c.Timeouts)
		r.TotalBytes += c.bytesPrev.Load() + c.bytesCur.Load()
		for code, n := range c.GetHTTPErrors() {
			r.TotalHTTPErrors[code] += n
		}
		speedSum += math.Float64frombits(c.speed.Load())
		if d := time.Duration(c.drift.Load()); d > r.MaxDrift {
			r.MaxDrift = d
		}
		_ = a.now.Sub(c.StartTime)
	}
	if r.TotalClients > 0 {
		r.AverageSpeed = speedSum / float64(r.TotalClients)
	}
	return r
}

// realDesignClient and realDesignAggregator do, per Aggregate, the work
// of the real tool's internal/stats (the seed's lock-free "after"
// design): every client copied out of the sync.Map into a fresh map, per
// client 201 atomic error counters scanned into a fresh map, two clock
// reads (stall timer, uptime) and the speed, drift and pipeline loads, and
// per call the snapshot, its error map and the rate memo allocated. It
// stands in for the real tool in committed benchmarks; BenchmarkSpeedRatios
// compares against it. (Checked by hand against the real tool's code run
// under the same workload: docs/PERFORMANCE.md, "sim/stats".)
type realDesignClient struct {
	ClientID                                                 int
	StartTime                                                time.Time
	ManifestRequests, SegmentRequests, InitRequests, Unknown atomic.Int64
	bytesPrev, bytesCur                                      atomic.Int64
	httpErrorCounts                                          [201]atomic.Int64
	Reconnections, Timeouts                                  atomic.Int64
	speed                                                    atomic.Uint64
	belowSince                                               atomic.Value // time.Time
	drift, maxDrift                                          atomic.Int64
	progressRead, progressDropped, stderrRead, stderrDropped atomic.Int64
	peakDropRate                                             atomic.Uint64
}

func newRealDesignClient(id int) *realDesignClient {
	return &realDesignClient{ClientID: id, StartTime: time.Now()}
}

func (s *realDesignClient) RecordHTTPError(code int) {
	if code >= 400 && code <= 599 {
		s.httpErrorCounts[code-400].Add(1)
	} else {
		s.httpErrorCounts[200].Add(1)
	}
}

func (s *realDesignClient) GetHTTPErrors() map[int]int64 {
	result := make(map[int]int64)
	for code := 400; code <= 599; code++ {
		if n := s.httpErrorCounts[code-400].Load(); n > 0 {
			result[code] = n
		}
	}
	if n := s.httpErrorCounts[200].Load(); n > 0 {
		result[0] = n
	}
	return result
}

func (s *realDesignClient) stalled() bool {
	v := s.belowSince.Load()
	if v == nil {
		return false
	}
	t := v.(time.Time)
	return !t.IsZero() && time.Since(t) > StallDuration
}

type realDesignSnapshot struct {
	baselineAggregate
	TotalUnknownReqs, TotalLinesRead, TotalLinesDropped  int64
	ActiveClients, ClientsAbove, ClientsBelow, HighDrift int
	ClientsWithDrops                                     int
	AverageDrift, MinUptime, MaxUptime, AvgUptime        time.Duration
	PeakDropRate, ErrorRate, SegmentRate, InstantSegment float64
	MetricsDegraded                                      bool
}

type realDesignRates struct {
	at                    time.Time
	manifest, segment, by int64
}

type realDesignAggregator struct {
	clients  sync.Map
	start    time.Time
	prev     atomic.Value // *realDesignRates
	peakDrop atomic.Uint64
}

func newRealDesignAggregator() *realDesignAggregator {
	a := &realDesignAggregator{start: time.Now()}
	a.prev.Store(&realDesignRates{at: time.Now()})
	return a
}

func (a *realDesignAggregator) Aggregate() *realDesignSnapshot {
	now := time.Now()
	prev, _ := a.prev.Load().(*realDesignRates)
	clients := make(map[int]*realDesignClient)
	a.clients.Range(func(k, v any) bool {
		clients[k.(int)] = v.(*realDesignClient)
		return true
	})
	r := &realDesignSnapshot{baselineAggregate: baselineAggregate{TotalHTTPErrors: make(map[int]int64)}}
	r.TotalClients = len(clients)
	var speedSum float64
	var speedN, driftN int
	var driftSum, uptimeSum time.Duration
	for _, c := range clients {
		r.ActiveClients++
		r.TotalManifestReqs += c.ManifestRequests.Load()
		r.TotalSegmentReqs += c.SegmentRequests.Load()
		r.TotalInitReqs += c.InitRequests.Load()
		r.TotalUnknownReqs += c.Unknown.Load()
		r.TotalBytes += c.bytesPrev.Load() + c.bytesCur.Load()
		for code, n := range c.GetHTTPErrors() {
			r.TotalHTTPErrors[code] += n
		}
		r.TotalReconnections += c.Reconnections.Load()
		r.TotalTimeouts += c.Timeouts.Load()
		if sp := math.Float64frombits(c.speed.Load()); sp > 0 {
			speedSum += sp
			speedN++
			if sp >= 1 {
				r.ClientsAbove++
			} else {
				r.ClientsBelow++
			}
		}
		if c.stalled() {
			r.StalledClients++
		}
		if d := time.Duration(c.drift.Load()); d > 0 {
			driftSum += d
			driftN++
		}
		r.MaxDrift = max(r.MaxDrift, time.Duration(c.maxDrift.Load()))
		if time.Duration(c.drift.Load()) > HighDriftThreshold {
			r.HighDrift++
		}
		pd, sd := c.progressDropped.Load(), c.stderrDropped.Load()
		r.TotalLinesRead += c.progressRead.Load() + c.stderrRead.Load()
		r.TotalLinesDropped += pd + sd
		if pd > 0 || sd > 0 {
			r.ClientsWithDrops++
		}
		r.PeakDropRate = max(r.PeakDropRate, math.Float64frombits(c.peakDropRate.Load()))
		up := time.Since(c.StartTime)
		uptimeSum += up
		if r.MinUptime == 0 || up < r.MinUptime {
			r.MinUptime = up
		}
		r.MaxUptime = max(r.MaxUptime, up)
	}
	if el := now.Sub(a.start).Seconds(); el > 0 {
		r.SegmentRate = float64(r.TotalSegmentReqs) / el
	}
	if prev != nil {
		if el := now.Sub(prev.at).Seconds(); el > 0 {
			r.InstantSegment = float64(r.TotalSegmentReqs-prev.segment) / el
		}
	}
	if speedN > 0 {
		r.AverageSpeed = speedSum / float64(speedN)
	}
	if driftN > 0 {
		r.AverageDrift = driftSum / time.Duration(driftN)
	}
	if r.ActiveClients > 0 {
		r.AvgUptime = uptimeSum / time.Duration(r.ActiveClients)
	}
	var errs int64
	for _, n := range r.TotalHTTPErrors {
		errs += n
	}
	if reqs := r.TotalManifestReqs + r.TotalSegmentReqs + r.TotalInitReqs; reqs > 0 {
		r.ErrorRate = float64(errs+r.TotalTimeouts) / float64(reqs)
	}
	if r.TotalLinesRead > 0 {
		r.MetricsDegraded = float64(r.TotalLinesDropped)/float64(r.TotalLinesRead) > DefaultDropThreshold
	}
	atomicMaxFloat(&a.peakDrop, r.PeakDropRate)
	a.prev.Store(&realDesignRates{at: now, manifest: r.TotalManifestReqs, segment: r.TotalSegmentReqs, by: r.TotalBytes})
	return r
}

// newRealDesignAggregator with n clients after the same activity as
// newBenchAggregator's (requests, bytes, a speed and drift reading, two
// HTTP errors for every tenth client).
func newRealDesignSwarm(n int) *realDesignAggregator {
	a := newRealDesignAggregator()
	for i := 0; i < n; i++ {
		c := newRealDesignClient(i)
		c.ManifestRequests.Store(4)
		c.SegmentRequests.Store(4)
		c.InitRequests.Store(1)
		c.bytesCur.Store(4 * 1_282_000)
		c.speed.Store(math.Float64bits(0.8 + float64(i%5)*0.1))
		c.belowSince.Store(time.Time{})
		c.drift.Store(int64(100 * time.Millisecond))
		c.maxDrift.Store(int64(100 * time.Millisecond))
		if i%10 == 0 {
			c.RecordHTTPError(404)
			c.RecordHTTPError(503)
		}
		a.clients.Store(i, c)
	}
	return a
}
