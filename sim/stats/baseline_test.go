package stats

// Benchmark-only baselines (never used by the simulator):
//
//   - baselineClient/baselineAggregator: the seed's "before" design: HTTP
//     errors in a map behind a sync.Mutex, clients in a map behind a
//     sync.RWMutex, GetHTTPErrors copying the map for every client on every
//     Aggregate, TotalHTTPErrors a fresh map.
//   - seedClient/seedAggregator: the seed's proposed "after" design taken
//     literally: [201]atomic.Int64 scanned in full by GetHTTPErrors (which
//     allocates a map per client), clients in a sync.Map iterated with
//     Range.

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

type seedClient struct {
	ClientID         int
	ManifestRequests atomic.Int64
	SegmentRequests  atomic.Int64
	InitRequests     atomic.Int64
	Reconnections    atomic.Int64
	Timeouts         atomic.Int64
	bytesPrev        atomic.Int64
	bytesCur         atomic.Int64
	speed            atomic.Uint64
	drift            atomic.Int64
	httpErrorCounts  [201]atomic.Int64
}

func (s *seedClient) RecordHTTPError(code int) {
	if code >= 400 && code <= 599 {
		s.httpErrorCounts[code-400].Add(1)
	} else {
		s.httpErrorCounts[200].Add(1)
	}
}

func (s *seedClient) GetHTTPErrors() map[int]int64 {
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

type seedAggregator struct{ clients sync.Map }

func (a *seedAggregator) Aggregate() *baselineAggregate {
	r := &baselineAggregate{TotalHTTPErrors: make(map[int]int64)}
	var speedSum float64
	a.clients.Range(func(_, v any) bool {
		c := v.(*seedClient)
		r.TotalClients++
		r.TotalManifestReqs += c.ManifestRequests.Load()
		r.TotalSegmentReqs += c.SegmentRequests.Load()
		r.TotalInitReqs += c.InitRequests.Load()
		r.TotalReconnections += c.Reconnections.Load()
		r.TotalTimeouts += c.Timeouts.Load()
		r.TotalBytes += c.bytesPrev.Load() + c.bytesCur.Load()
		for code, n := range c.GetHTTPErrors() {
			r.TotalHTTPErrors[code] += n
		}
		speedSum += math.Float64frombits(c.speed.Load())
		if d := time.Duration(c.drift.Load()); d > r.MaxDrift {
			r.MaxDrift = d
		}
		return true
	})
	if r.TotalClients > 0 {
		r.AverageSpeed = speedSum / float64(r.TotalClients)
	}
	return r
}
