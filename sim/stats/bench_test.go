package stats

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

var benchSizes = []int{100, 500, 1000, 10_000, 100_000}

// typicalActivity is what one client has done after a short while of a
// normal run: requests, bytes, a speed and drift reading, a few latencies
// (segment wall times within ~10 %), segment sizes, and for every tenth
// client two HTTP errors.
func typicalActivity(s *ClientStats, i int) {
	s.OnProcessStart()
	for k := 0; k < 4; k++ {
		s.IncrementManifestRequests()
		s.IncrementSegmentRequests()
		s.RecordSegmentLatency(time.Duration(40_000+k*1_000+i%97) * time.Microsecond)
		s.RecordSegmentSize(1_282_000 + int64(k*1000))
		s.AddBytes(1_282_000)
	}
	s.IncrementInitRequests()
	s.RecordManifestLatency(time.Millisecond + time.Duration(i%50)*time.Microsecond)
	s.RecordManifestLatency(1100 * time.Microsecond)
	s.RecordTCPConnect(300*time.Microsecond, TCPSuccess)
	s.RecordPlaylistRefresh(5*time.Millisecond, false)
	s.UpdateSpeed(0.8 + float64(i%5)*0.1)
	s.UpdateDrift(1_900_000)
	if i%10 == 0 {
		s.RecordHTTPError(404)
		s.RecordHTTPError(503)
	}
}

func newBenchAggregator(n int) *StatsAggregator {
	c := NewVirtualClock(0)
	a := NewStatsAggregatorWithClock(0, c)
	for i := 0; i < n; i++ {
		s := NewClientStatsWithClock(i, c)
		typicalActivity(s, i)
		a.AddClient(s)
	}
	c.Advance(2 * time.Second)
	return a
}

// cpuTimer reports cpu-ns/op next to the wall-clock ns/op (see
// processCPUNanos). Only meaningful for single-goroutine benchmarks.
type cpuTimer struct{ start int64 }

func startCPU(b *testing.B) cpuTimer {
	runtime.GC() // do not bill the set-up's garbage to the benchmark
	b.ResetTimer()
	return cpuTimer{processCPUNanos()}
}

func (c cpuTimer) report(b *testing.B) {
	if c.start != 0 && b.N > 0 {
		b.ReportMetric(float64(processCPUNanos()-c.start)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkAggregate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			a := newBenchAggregator(n)
			a.Aggregate()
			b.ReportAllocs()
			t := startCPU(b)
			for b.Loop() {
				_ = a.Aggregate()
			}
			t.report(b)
		})
	}
}

func BenchmarkAggregateInto(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			a := newBenchAggregator(n)
			var dst AggregatedStats
			a.AggregateInto(&dst, AggregateOptions{})
			b.ReportAllocs()
			t := startCPU(b)
			for b.Loop() {
				a.AggregateInto(&dst, AggregateOptions{})
			}
			t.report(b)
		})
	}
}

func newBaselineAggregator(n int) *baselineAggregator {
	a := &baselineAggregator{clients: make(map[int]*baselineClient), now: VirtualEpoch.Add(time.Minute)}
	for i := 0; i < n; i++ {
		c := newBaselineClient(i)
		c.ManifestRequests, c.SegmentRequests, c.InitRequests = 4, 4, 1
		c.bytesCur.Store(4 * 1_282_000)
		if i%10 == 0 {
			c.RecordHTTPError(404)
			c.RecordHTTPError(503)
		}
		a.AddClient(c)
	}
	return a
}

func BenchmarkBaselineAggregate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			a := newBaselineAggregator(n)
			b.ReportAllocs()
			t := startCPU(b)
			for b.Loop() {
				_ = a.Aggregate()
			}
			t.report(b)
		})
	}
}

func BenchmarkRealDesignAggregate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			a := newRealDesignSwarm(n)
			b.ReportAllocs()
			t := startCPU(b)
			for b.Loop() {
				_ = a.Aggregate()
			}
			t.report(b)
		})
	}
}

func BenchmarkRecordHTTPError(b *testing.B) {
	b.Run("single", func(b *testing.B) {
		s := NewClientStats(0)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s.RecordHTTPError(400 + i&127)
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		s := NewClientStats(0)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				s.RecordHTTPError(400 + i&127)
				i++
			}
		})
	})
}

func BenchmarkBaselineRecordHTTPError(b *testing.B) {
	b.Run("single", func(b *testing.B) {
		s := newBaselineClient(0)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			s.RecordHTTPError(400 + i&127)
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		s := newBaselineClient(0)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				s.RecordHTTPError(400 + i&127)
				i++
			}
		})
	})
}

// BenchmarkAtomicAdd is the hardware floor for RecordHTTPError: one
// uncontended atomic add.
func BenchmarkAtomicAdd(b *testing.B) {
	var v atomic.Int64
	for b.Loop() {
		v.Add(1)
	}
}

func BenchmarkGetHTTPErrors(b *testing.B) {
	s := NewClientStats(0)
	s.RecordHTTPError(404)
	s.RecordHTTPError(503)
	s.RecordHTTPError(0)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.GetHTTPErrors()
	}
}

func BenchmarkBaselineGetHTTPErrors(b *testing.B) {
	s := newBaselineClient(0)
	s.RecordHTTPError(404)
	s.RecordHTTPError(503)
	s.RecordHTTPError(0)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.GetHTTPErrors()
	}
}

func BenchmarkRecordSegmentLatency(b *testing.B) {
	s := NewClientStats(0)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.RecordSegmentLatency(time.Duration(40_000+i%2_000) * time.Microsecond)
		i++
	}
}

func BenchmarkUpdateSpeed(b *testing.B) {
	s := NewClientStatsWithClock(0, NewVirtualClock(0))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.UpdateSpeed(float64(i&1) + 0.5)
		i++
	}
}

// heapInUse returns live heap bytes after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkMemoryPerClient reports live heap bytes per client (B/client)
// for 10 000 clients with typicalActivity: "stats" counts the ClientStats
// alone (held in a slice), "stats+aggregator" adds the aggregator's sync.Map
// and cached client slice, "baseline" is the seed's before-design client.
func BenchmarkMemoryPerClient(b *testing.B) {
	const n = 10_000
	b.Run("stats", func(b *testing.B) {
		for b.Loop() {
			before := heapInUse()
			c := NewVirtualClock(0)
			cs := make([]*ClientStats, n)
			for i := range cs {
				cs[i] = NewClientStatsWithClock(i, c)
				typicalActivity(cs[i], i)
			}
			after := heapInUse()
			b.ReportMetric(float64(after-before)/n, "B/client")
			runtime.KeepAlive(cs)
		}
	})
	b.Run("stats+aggregator", func(b *testing.B) {
		for b.Loop() {
			before := heapInUse()
			a := newBenchAggregator(n)
			a.Aggregate() // builds the cached client slice
			after := heapInUse()
			b.ReportMetric(float64(after-before)/n, "B/client")
			runtime.KeepAlive(a)
		}
	})
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			before := heapInUse()
			a := newBaselineAggregator(n)
			after := heapInUse()
			b.ReportMetric(float64(after-before)/n, "B/client")
			runtime.KeepAlive(a)
		}
	})
}
