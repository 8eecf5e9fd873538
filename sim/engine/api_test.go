package engine

import (
	"math"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func TestNewRejectsBadInput(t *testing.T) {
	_, err := New(nil)
	require.Error(t, err)

	bad := testScenario(10, time.Minute, func(s *scenario.Scenario) { s.Clients.Count = 0 })
	_, err = New(bad)
	require.ErrorContains(t, err, "clients.count")

	_, err = New(testScenario(10, time.Minute, nil), WithSampleInterval(-time.Second))
	require.ErrorContains(t, err, "sample interval")

	var empty scenario.Scenario
	_, err = New(&empty)
	require.Error(t, err)
}

// Inject validates like a scripted event and changes nothing when invalid.
func TestInjectValidation(t *testing.T) {
	cases := []struct {
		name  string
		ev    scenario.Event
		field string
	}{
		{"unknown kind", scenario.Event{Kind: "flood", Duration: sec(10)}, "kind"},
		{"missing kind", scenario.Event{Duration: sec(10)}, "kind"},
		{"burst without rate", scenario.Event{Kind: scenario.KindErrorBurst, Duration: sec(10)}, "rate"},
		{"burst rate above 1", scenario.Event{Kind: scenario.KindErrorBurst, Duration: sec(10), Rate: 1.5}, "rate"},
		{"status out of range", scenario.Event{Kind: scenario.KindErrorBurst, Duration: sec(10), Rate: 0.1, Status: 200}, "status"},
		{"outage mode", scenario.Event{Kind: scenario.KindOutage, Duration: sec(10), Mode: "explode"}, "mode"},
		{"window without duration", scenario.Event{Kind: scenario.KindOutage}, "duration"},
		{"negative duration", scenario.Event{Kind: scenario.KindLatencySpike, Duration: -sec(1), Latency: sec(1)}, "duration"},
		{"capacity zero", scenario.Event{Kind: scenario.KindCapacity, Duration: sec(10)}, "capacity_mbps"},
		{"share above 1", scenario.Event{Kind: scenario.KindBandwidthDrop, Duration: sec(10), Share: 2, BandwidthMbps: 1}, "share"},
		{"churn without rates", scenario.Event{Kind: scenario.KindChurn, Duration: sec(10)}, "join_rate"},
		{"add no clients", scenario.Event{Kind: scenario.KindAddClients}, "clients"},
		{"field of another kind", scenario.Event{Kind: scenario.KindOutage, Duration: sec(10), Rate: 0.5}, "rate"},
		// 10 clients exist; the limit counts them plus what the event can add
		{"add above the limit", scenario.Event{Kind: scenario.KindAddClients, Clients: scenario.MaxClients - 9}, "above the limit 1000000"},
		{"churn joins above the limit", scenario.Event{Kind: scenario.KindChurn, Duration: sec(60), JoinRate: 100000}, "join_rate: 100000 joins/s over 1m can add 6000000 clients"},
	}
	e, err := New(testScenario(10, time.Minute, nil))
	require.NoError(t, err)
	e.RunFor(5 * time.Second)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := e.Inject(c.ev)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.field)
			assert.Empty(t, e.Events())
		})
	}

	// a valid event starts now, is clamped to the end of the run and marked
	require.NoError(t, e.Inject(scenario.Event{At: sec(999), Kind: scenario.KindOutage, Duration: sec(600)}))
	marks := e.Events()
	require.Len(t, marks, 1)
	assert.Equal(t, 5*time.Second, marks[0].Start)
	assert.Equal(t, time.Minute, marks[0].End)
	assert.True(t, marks[0].Injected)
	assert.Equal(t, scenario.ModeRefused, marks[0].Event.Mode, "defaults applied")
	assert.NotEmpty(t, marks[0].Caption)

	e.Run()
	require.ErrorContains(t, e.Inject(scenario.Event{Kind: scenario.KindOutage, Duration: sec(1)}), "ended")
}

func TestClockAndStepping(t *testing.T) {
	e, err := New(testScenario(5, 10*time.Second+50*time.Millisecond, nil), WithSampleInterval(2*time.Second))
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second+50*time.Millisecond, e.Duration())
	e.Step()
	assert.Equal(t, Tick, e.Now())
	e.RunUntil(time.Second + 10*time.Millisecond)
	assert.Equal(t, (time.Second+10*time.Millisecond+Tick-1)/Tick*Tick, e.Now(), "ends on the next tick boundary")
	e.RunFor(time.Hour)
	assert.True(t, e.Done())
	assert.Equal(t, e.Duration(), e.Now(), "clamped")
	e.Step()
	assert.Equal(t, e.Duration(), e.Now())
	s := e.Series()
	assert.Equal(t, 2*time.Second, s.Interval)
	require.Len(t, s.Samples, 6, "2, 4, 6, 8, 10 and the end")
	assert.InDelta(t, 10.05, s.Samples[5].T, 1e-9)
	assert.Equal(t, uint64(1), e.Seed())
	assert.Equal(t, "test", e.Scenario().Name)
}

func TestClientStatesAndView(t *testing.T) {
	e, err := New(testScenario(40, time.Minute, func(s *scenario.Scenario) { s.Clients.RampRate = 10 }))
	require.NoError(t, err)
	buf := make([]clients.State, 0, 64)
	states := e.ClientStates(buf)
	require.Len(t, states, 40)
	assert.Equal(t, clients.NotStarted, states[39])
	e.RunFor(10 * time.Second)
	allocs := testing.AllocsPerRun(10, func() { states = e.ClientStates(states) })
	assert.Zero(t, allocs)
	assert.Equal(t, clients.Playing, states[0])
	assert.Equal(t, "playing", states[0].String())

	c, ok := e.Client(0)
	require.True(t, ok)
	assert.Equal(t, 0, c.ID)
	assert.Equal(t, "broadband", c.Cohort)
	assert.Equal(t, 2000, c.BitrateKbps)
	assert.InDelta(t, 75, c.BandwidthMbps, 25)
	assert.Equal(t, 1.0, c.Speed)
	assert.Greater(t, c.AvgSpeed, 1.0, "FFmpeg's running average is above 1 after the start burst")
	assert.Less(t, c.Drift, time.Second)
	assert.Greater(t, c.Buffer, 2*time.Second)
	assert.Equal(t, 1, c.Starts)
	assert.Positive(t, c.Stats.SegmentRequests)
	require.NotEmpty(t, c.History)
	assert.Equal(t, clients.Starting, c.History[0].State)
	_, ok = e.Client(40)
	assert.False(t, ok)
	_, ok = e.Client(-1)
	assert.False(t, ok)
}

// fakeClock is a manually advanced stats.Clock for the pacer.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func TestPacer(t *testing.T) {
	e, err := New(testScenario(5, time.Minute, nil))
	require.NoError(t, err)
	clk := &fakeClock{t: time.Unix(1000, 0)}
	p := NewPacer(e, clk, 10)
	assert.Zero(t, p.Advance(), "the first call anchors")
	clk.t = clk.t.Add(500 * time.Millisecond)
	p.Advance()
	assert.Equal(t, 5*time.Second, e.Now(), "0.5 s of wall time x 10")
	p.SetFactor(2)
	p.Advance()
	clk.t = clk.t.Add(time.Second)
	p.Advance()
	assert.Equal(t, 7*time.Second, e.Now())
	p.MaxTicks = 3
	clk.t = clk.t.Add(10 * time.Second)
	assert.Equal(t, 3, p.Advance(), "bounded per call")
	p.MaxTicks = 0
	fast := NewPacer(e, clk, 0)
	fast.Advance()
	assert.True(t, e.Done(), "factor 0 runs as fast as possible")
	assert.Zero(t, fast.Advance())
}

// Readers may aggregate while the engine steps (run with -race).
func TestConcurrentReaders(t *testing.T) {
	e, err := New(testScenario(parallelMin+100, 30*time.Second, nil), WithWorkers(2))
	require.NoError(t, err)
	agg := e.Aggregator()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s stats.AggregatedStats
		for {
			select {
			case <-done:
				return
			default:
				agg.AggregateInto(&s, stats.AggregateOptions{})
				runtime.Gosched() // js/wasm has one thread and no preemption
			}
		}
	}()
	e.Run()
	close(done)
	wg.Wait()
	a := e.Aggregate()
	assert.Equal(t, parallelMin+100, a.TotalClients)
	last := e.Series().Samples[len(e.Series().Samples)-1]
	assert.Equal(t, int64(last.HTTPErrors), a.HTTPErrorsTotal)
}

// FuzzInject injects arbitrary events into a running engine: each is either
// rejected with an error or applied, and the run goes on without panicking
// and with consistent counts.
func FuzzInject(f *testing.F) {
	f.Add("outage", 10.0, "timeout", 0.0, 0, 0.0)
	f.Add("error_burst", 5.0, "", 0.5, 503, 0.0)
	f.Add("bandwidth_drop", 20.0, "", 0.5, 0, 1.0)
	f.Add("add_clients", 0.0, "", 0.0, 0, 5.0)
	f.Add("remove_clients", 3.0, "", 0.0, 0, 50.0)
	f.Add("churn", 30.0, "", 3.0, 0, 7.0)
	f.Add("stale_playlist", 8.0, "", 0.0, 2, 0.0)
	f.Add("capacity", 8.0, "", 0.0, 0, 0.001)
	f.Fuzz(func(t *testing.T, kind string, dur float64, mode string, rate float64, status int, x float64) {
		if dur != dur || x != x || rate != rate || dur > 1e6 || dur < -1e6 {
			return
		}
		e, err := New(testScenario(20, 40*time.Second, nil))
		require.NoError(t, err)
		e.RunFor(10 * time.Second)
		ev := scenario.Event{
			Kind: scenario.EventKind(kind), Duration: sec(dur), Mode: mode, Rate: rate, Status: status,
			Share: rate, BandwidthMbps: x, CapacityMbps: x, Latency: sec(x), Jump: status,
			Clients: int(x), JoinRate: rate, LeaveRate: x,
		}
		err = e.Inject(ev)
		e.Run()
		s := e.Series().Samples[len(e.Series().Samples)-1]
		require.Equal(t, s.Clients, s.NotStarted+s.Starting+s.Playing+s.Buffering+s.Stalled+s.Backoff+s.Stopped)
		if err == nil {
			require.Len(t, e.Events(), 1)
		} else {
			require.Empty(t, e.Events())
		}
	})
}

// Clients still to join from scripted events count against the limit of an
// injected event too.
func TestInjectCountsPendingJoins(t *testing.T) {
	e, err := New(testScenario(10, time.Hour, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(1800), Kind: scenario.KindAddClients, Clients: scenario.MaxClients - 10}}
	}))
	require.NoError(t, err)
	e.RunFor(time.Second)
	err = e.Inject(scenario.Event{Kind: scenario.KindAddClients, Clients: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1000000 clients exist or are still to join, 1 more would pass the limit 1000000")
	require.NoError(t, e.Inject(scenario.Event{Kind: scenario.KindRemoveClients, Clients: 1}), "removing is always allowed")
}

// A factor that is not a finite number >= 0 counts as 0 (as fast as
// possible) in NewPacer and SetFactor, and is an error for NewPacerChecked.
func TestPacerRejectsNonFiniteFactors(t *testing.T) {
	e, err := New(testScenario(5, time.Minute, nil))
	require.NoError(t, err)
	clk := &fakeClock{t: time.Unix(1000, 0)}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1} {
		p := NewPacer(e, clk, f)
		assert.Equal(t, 0.0, p.Factor(), "NewPacer(%v)", f)
		p = NewPacer(e, clk, 3)
		p.SetFactor(f)
		assert.Equal(t, 0.0, p.Factor(), "SetFactor(%v)", f)
		_, err := NewPacerChecked(e, clk, f)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "a finite number >= 0")
	}
	p, err := NewPacerChecked(e, clk, 2.5)
	require.NoError(t, err)
	assert.Equal(t, 2.5, p.Factor())

	// a NaN factor runs like factor 0, to the end, instead of computing a
	// target from NaN
	p = NewPacer(e, clk, math.NaN())
	p.Advance()
	assert.True(t, e.Done())
}
