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
	d := time.Hour
	if testing.Short() {
		d = 5 * time.Minute
	}
	benchRun(b, 10_000, d, 0)
}

// benchRun runs benchScenario(n, d) on an origin of capacityMbps (0 =
// unlimited) per iteration and reports simulated client-seconds per wall
// second.
func benchRun(b *testing.B, n int, d time.Duration, capacityMbps float64) {
	sc := benchScenario(n, d)
	sc.Origin.CapacityMbps = capacityMbps
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
func BenchmarkEngine1k(b *testing.B) { benchRun(b, 1_000, time.Hour, 0) }

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
func BenchmarkEngineOverloaded(b *testing.B) { benchRun(b, 10_000, 10*time.Minute, 10_000) }

// BenchmarkEngineCapped is BenchmarkEngine's swarm for 10 minutes on an
// origin it uses at 71 % on average: the fair-share level is computed every
// tick, and the swarm saturates the origin in bursts (see the package doc).
func BenchmarkEngineCapped(b *testing.B) { benchRun(b, 10_000, 10*time.Minute, 30_000) }
