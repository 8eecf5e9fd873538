package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/export/wire"
	"swarmsim/sim/scenario"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_*.txt and testdata/run_*.txt from a run on this platform")

// mixedClients is mixedScenario's client count: enough for the parallel
// path (checked in TestMixedScenarioIsParallel) and fixed, so that the
// golden digests do not depend on parallelMin.
const mixedClients = 2548

// mixedScenario has mixedClients clients, a constrained origin and every
// kind of fault, so that determinism covers fair sharing, errors, restarts
// and client changes.
func mixedScenario() *scenario.Scenario { return mixedScenarioScaled(1) }

// mixedScenarioScaled is mixedScenario with every time (duration, event
// windows) multiplied by k.
func mixedScenarioScaled(k float64) *scenario.Scenario {
	sec := func(s float64) scenario.Duration {
		return scenario.Duration(time.Duration(s * k * float64(time.Second)))
	}
	return testScenario(mixedClients, time.Duration(sec(150)), func(s *scenario.Scenario) {
		s.Clients.RampRate = 100
		s.Origin.CapacityMbps = 4000
		s.Origin.ErrorRate = 0.01
		s.Clients.Cohorts = []scenario.Cohort{
			{Name: "broadband", Share: 0.7, BandwidthMbps: scenario.Range{Min: 20, Max: 100}, RTT: scenario.Duration(20 * time.Millisecond)},
			{Name: "mobile", Share: 0.3, BandwidthMbps: scenario.Range{Min: 2, Max: 8}, RTT: scenario.Duration(80 * time.Millisecond)},
		}
		s.Events = []scenario.Event{
			{At: sec(30), Duration: sec(10), Kind: scenario.KindOutage, Mode: scenario.ModeRefused},
			{At: sec(50), Duration: sec(20), Kind: scenario.KindErrorBurst, Rate: 0.2, Status: 500},
			{At: sec(60), Duration: sec(10), Kind: scenario.KindStalePlaylist},
			{At: sec(80), Duration: sec(20), Kind: scenario.KindBandwidthDrop, Share: 0.2, BandwidthMbps: 1},
			{At: sec(90), Duration: sec(30), Kind: scenario.KindChurn, JoinRate: 5, LeaveRate: 5},
			{At: sec(100), Duration: sec(10), Kind: scenario.KindLatencySpike, Latency: scenario.Duration(500 * time.Millisecond)},
			{At: sec(110), Duration: sec(20), Kind: scenario.KindCapacity, CapacityMbps: 2000},
		}
	})
}

func TestMixedScenarioIsParallel(t *testing.T) {
	e, err := New(mixedScenario(), WithWorkers(2))
	require.NoError(t, err)
	require.True(t, e.holdCrew())
	defer e.dismissCrew()
	e.Step()
	assert.NotNil(t, e.crew, "the determinism tests must cover the parallel path (more than parallelMin clients)")
}

// runSeries runs sc and returns its series in the form it leaves the
// program (a figure without a value is NaN, which == never matches; the
// wire form writes it as null).
func runSeries(t *testing.T, sc *scenario.Scenario, opts ...Option) string {
	t.Helper()
	return seriesWire(t, run(t, sc, opts...).Series())
}

func seriesWire(t *testing.T, s *Series) string {
	t.Helper()
	data, err := wire.Marshal(s)
	require.NoError(t, err)
	return string(data)
}

// The same scenario and seed give identical series: twice in a row, with 1
// or 4 workers, and with GOMAXPROCS 1 or 2.
func TestDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	sc := mixedScenario()
	if raceEnabled {
		sc = mixedScenarioScaled(0.25)
	}
	a := runSeries(t, sc)
	b := runSeries(t, sc)
	require.Equal(t, a, b, "two runs")
	w1 := runSeries(t, sc, WithWorkers(1))
	w4 := runSeries(t, sc, WithWorkers(4))
	require.Equal(t, w1, w4, "1 vs 4 workers")
	require.Equal(t, a, w1)
	// tick by tick (a crew for each Step) as with Run (one crew for the
	// whole run)
	stepped, err := New(sc, WithWorkers(4))
	require.NoError(t, err)
	for !stepped.Done() {
		stepped.Step()
	}
	require.Equal(t, w4, seriesWire(t, stepped.Series()), "Step vs Run")
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	p1 := runSeries(t, sc)
	runtime.GOMAXPROCS(2)
	p2 := runSeries(t, sc)
	runtime.GOMAXPROCS(prev)
	require.Equal(t, p1, p2, "GOMAXPROCS 1 vs 2")
	require.Equal(t, a, p1)

	// a different seed gives a different run
	sc2 := *sc
	sc2.Seed++
	assert.NotEqual(t, a, runSeries(t, &sc2))

	// the final ClientStats agree too
	e1 := run(t, sc, WithWorkers(1))
	e2 := run(t, sc, WithWorkers(3))
	s1, s2 := e1.Aggregate(), e2.Aggregate()
	s1.Timestamp, s2.Timestamp = time.Time{}, time.Time{}
	assert.Equal(t, s1, s2)
}

// digest is the SHA-256 of a run's series, events and final counters in
// the form they leave the program (sim/export's wire form): what the golden
// files and the wasm test compare.
func digest(t *testing.T, e *Engine) string {
	t.Helper()
	a := e.Aggregate()
	// only plain sums of the ClientStats, so that a change in how sim/stats
	// derives figures (averages, percentiles) does not look like a
	// platform difference; the series carries the engine's own figures
	final := map[string]any{
		"segments": a.TotalSegmentReqs, "manifests": a.TotalManifestReqs, "bytes": a.TotalBytes,
		"errors": a.HTTPErrorsTotal, "timeouts": a.TotalTimeouts, "reconnections": a.TotalReconnections,
		"clients": e.ClientCount(), "skips": a.SkippedSequences, "refreshes": a.PlaylistRefreshes,
	}
	data, err := wire.Marshal(struct {
		Series *Series
		Events []EventMark
		Final  any
	}{e.Series(), e.Events(), final})
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readable is a golden run as a short table that a reader can follow in a
// diff: a few series columns every 10 s of virtual time and the final
// counters. The digest checks every bit; this shows what changed.
func readable(name string, dur time.Duration, e *Engine) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# golden run %q, %v of virtual time: the series every 10 s and the final counters.\n", name, dur)
	b.WriteString("# Written by `go test ./sim/engine -run '^TestGolden$' -update`; the digest beside it checks every bit.\n")
	b.WriteString("#    t  clients  playing  buffering  stalled  backoff    seg/s    MB/s  err_rate  http_err  timeouts  reconn  seg_p95_s inst_speed  max_drift_s\n")
	for _, s := range e.Series().Samples {
		if int64(s.T*1000)%10000 != 0 {
			continue
		}
		fmt.Fprintf(&b, "%6.0f  %7d  %7d  %9d  %7d  %7d  %7.1f  %6.1f  %8.4f  %8d  %8d  %6d  %9.3f  %9.3f  %11.1f\n",
			s.T, s.Clients, s.Playing, s.Buffering, s.Stalled, s.Backoff, s.SegmentRate,
			s.ThroughputBps/1e6, s.ErrorRate, s.HTTPErrors, s.Timeouts, s.Reconnections,
			s.SegLatP95, s.AvgInstantSpeed, s.MaxDrift)
	}
	a := e.Aggregate()
	fmt.Fprintf(&b, "final: segments %d, manifests %d, bytes %d, http errors %d, timeouts %d, reconnections %d, clients %d, skipped segments %d, playlist refreshes %d\n",
		a.TotalSegmentReqs, a.TotalManifestReqs, a.TotalBytes, a.HTTPErrorsTotal, a.TotalTimeouts,
		a.TotalReconnections, e.ClientCount(), a.SkippedSequences, a.PlaylistRefreshes)
	return b.String()
}

// goldenRuns are the runs whose digests are kept in testdata: two presets,
// shortened, and the mixed scenario.
var goldenRuns = []struct {
	name string
	make func(t *testing.T) *scenario.Scenario
	dur  time.Duration
}{
	{"steady", presetFn("steady"), 2 * time.Minute},
	{"capacity-knee", presetFn("capacity-knee"), 5 * time.Minute},
	{"mixed", func(*testing.T) *scenario.Scenario { return mixedScenario() }, 150 * time.Second},
}

func presetFn(name string) func(t *testing.T) *scenario.Scenario {
	return func(t *testing.T) *scenario.Scenario {
		sc, err := scenario.Preset(name)
		require.NoError(t, err)
		return sc
	}
}

// TestGolden compares each run's digest with testdata/golden_<name>.txt,
// which a native run writes with `go test ./sim/engine -run TestGolden
// -update`. Run as wasm (GOOS=js GOARCH=wasm with wasmbrowsertest) it proves
// that the browser reproduces the native run bit for bit.
func TestGolden(t *testing.T) {
	for _, g := range goldenRuns {
		t.Run(g.name, func(t *testing.T) {
			if raceEnabled && !*update {
				t.Skip("the digests check platforms, not races; TestDeterminism runs under -race")
			}
			e, err := New(g.make(t))
			require.NoError(t, err)
			e.RunUntil(g.dur)
			got := digest(t, e)
			table := readable(g.name, g.dur, e)
			path := filepath.Join("testdata", "golden_"+g.name+".txt")
			tablePath := filepath.Join("testdata", "run_"+g.name+".txt")
			if *update {
				require.Equal(t, "amd64", runtime.GOARCH, "golden files are generated by a native amd64 run")
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
				require.NoError(t, os.WriteFile(tablePath, []byte(table), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update natively first")
			assert.Equal(t, strings.TrimSpace(string(want)), got, "%s/%s reproduces the native run", runtime.GOOS, runtime.GOARCH)
			wantTable, err := os.ReadFile(tablePath)
			require.NoError(t, err, "run with -update natively first")
			assert.Equal(t, string(wantTable), table, "%s/%s reproduces the native run (%s)", runtime.GOOS, runtime.GOARCH, tablePath)
		})
	}
}

// Every preset runs (the first 90 s, or all of it) without panicking, and
// its series counts add up.
func TestPresetsRun(t *testing.T) {
	for _, p := range scenario.Presets() {
		t.Run(p.Name, func(t *testing.T) {
			sc, err := scenario.Preset(p.Name)
			require.NoError(t, err)
			e, err := New(sc)
			require.NoError(t, err)
			e.RunUntil(90 * time.Second)
			require.NotEmpty(t, e.Series().Samples)
			s := e.Series().Samples[len(e.Series().Samples)-1]
			assert.Equal(t, s.Clients, s.NotStarted+s.Starting+s.Playing+s.Buffering+s.Stalled+s.Backoff+s.Stopped)
			assert.Positive(t, s.Playing+s.Buffering+s.Stalled+s.Starting+s.Backoff)
			assert.Len(t, e.Events(), len(sc.Events))
		})
	}
}

// Aggregating (which flushes every viewer's buffered statistics) at
// arbitrary moments does not change the run: the browser aggregates every
// frame, at wall-clock moments.
func TestAggregateDoesNotPerturb(t *testing.T) {
	sc := mixedScenarioScaled(0.4)
	plain := run(t, sc)
	e, err := New(sc)
	require.NoError(t, err)
	for i := 0; !e.Done(); i++ {
		e.Step()
		if i%7 == 3 {
			e.Aggregate()
		}
		if i%11 == 5 {
			e.Client(i % e.ClientCount())
		}
	}
	assert.Equal(t, digest(t, plain), digest(t, e))
}
