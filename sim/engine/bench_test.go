package engine

import (
	"runtime"
	"testing"
	"time"

	"swarmsim/sim/scenario"
)

// benchScenario is the default stream (2 s TS segments, 2128 kbit/s) with n
// broadband clients that all start within the first seconds, on an origin
// with room for all of them: the steady state a load test spends most of its
// time in.
func benchScenario(n int, d time.Duration) *scenario.Scenario {
	sc := scenario.Defaults()
	sc.Name = "bench"
	sc.Clients.Count = n
	sc.Clients.RampRate = 0
	sc.Clients.RampJitter = scenario.Duration(2 * time.Second)
	sc.Origin.CapacityMbps = 0
	sc.Duration = scenario.Duration(d)
	return &sc
}

// BenchmarkEngine runs 10 000 clients for one simulated hour per iteration
// and reports simulated client-seconds per wall second.
func BenchmarkEngine(b *testing.B) {
	const n = 10_000
	d := time.Hour
	if testing.Short() {
		d = 5 * time.Minute
	}
	sc := benchScenario(n, d)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e, err := New(sc)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
	}
	b.ReportMetric(float64(n)*d.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "client-s/s")
}

// BenchmarkEngine1k is BenchmarkEngine at the browser app's scale: 1 000
// clients for one simulated hour (its working set fits the CPU caches).
func BenchmarkEngine1k(b *testing.B) {
	const n = 1_000
	d := time.Hour
	sc := benchScenario(n, d)
	for i := 0; i < b.N; i++ {
		e, err := New(sc)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
	}
	b.ReportMetric(float64(n)*d.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "client-s/s")
}

// BenchmarkEngineMillion runs 1 000 000 clients for 20 simulated seconds and
// reports the memory held per client (viewer, ClientStats, aggregator entry,
// shard arrays) and the simulation speed.
func BenchmarkEngineMillion(b *testing.B) {
	const n = 1_000_000
	d := 20 * time.Second
	sc := benchScenario(n, d)
	var before, after runtime.MemStats
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&before)
		e, err := New(sc)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/client")
		runtime.KeepAlive(e)
	}
	b.ReportMetric(float64(n)*d.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "client-s/s")
}

// BenchmarkEngineOverloaded runs 10 000 clients for 10 simulated minutes
// against the default 10 Gbit/s origin: 21.3 Gbit/s of demand, so the fair
// share is in force all the time (the slow path).
func BenchmarkEngineOverloaded(b *testing.B) {
	const n = 10_000
	d := 10 * time.Minute
	sc := benchScenario(n, d)
	sc.Origin.CapacityMbps = 10_000
	for i := 0; i < b.N; i++ {
		e, err := New(sc)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
	}
	b.ReportMetric(float64(n)*d.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "client-s/s")
}

// BenchmarkEngineCapped is BenchmarkEngine's swarm for 10 minutes on an
// origin that carries it at 71 % of its capacity (the browser's performance
// scenario): the fair-share level is computed every tick.
func BenchmarkEngineCapped(b *testing.B) {
	const n = 10_000
	d := 10 * time.Minute
	sc := benchScenario(n, d)
	sc.Origin.CapacityMbps = 30_000
	for i := 0; i < b.N; i++ {
		e, err := New(sc)
		if err != nil {
			b.Fatal(err)
		}
		e.Run()
	}
	b.ReportMetric(float64(n)*d.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "client-s/s")
}
