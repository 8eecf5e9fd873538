package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// fakeWall is a wall clock that advances 1 ms per reading.
type fakeWall struct{ now time.Duration }

func (w *fakeWall) Now() time.Duration { w.now += time.Millisecond; return w.now }

// testController runs a controller on a wall clock that moves 1/60 s per
// update (see update).
type testController struct {
	*Controller
	wall *steppedWall
	n    *int64 // updates so far
}

func (tc testController) update(n int) {
	for range n {
		*tc.n++
		// n/60 s, rounded up to the nanosecond so n updates at speed s
		// reach exactly n*s/60 s of virtual time.
		tc.wall.now = (time.Duration(*tc.n)*time.Second + UpdatesPerSecond - 1) / UpdatesPerSecond
		tc.Update()
	}
}

func newTestController(t *testing.T, query string) testController {
	t.Helper()
	cfg := ParseParams(query)
	require.Empty(t, cfg.Problems)
	w := &steppedWall{}
	c, err := NewController(cfg, NewEngineSim(1), w.Now)
	require.NoError(t, err)
	return testController{c, w, new(int64)}
}

// steppedWall is a wall clock the test moves by hand.
type steppedWall struct{ now time.Duration }

func (w *steppedWall) Now() time.Duration { return w.now }

func TestPacingFollowsTheWallClock(t *testing.T) {
	// One second of wall time moves virtual time by the speed in seconds:
	// 1 s at 1x, 10 s at 10x, 60 s at 60x (whole 100 ms ticks), whether it
	// took 60 updates or 30 (dropped frames do not slow the run).
	for _, sp := range []Speed{1, 10, 60} {
		for _, updates := range []int{60, 30} {
			w := &steppedWall{}
			cfg := ParseParams("scenario=steady&clients=20&speed=" + sp.String())
			c, err := NewController(cfg, NewEngineSim(1), w.Now)
			require.NoError(t, err)
			for i := range updates {
				w.now = time.Duration(i+1) * time.Second / time.Duration(updates)
				c.Update()
			}
			assert.Equal(t, time.Duration(sp)*time.Second, c.Now(), "speed %s, %d updates", sp, updates)
			assert.Equal(t, int64(updates), c.Updates())
		}
	}
}

func TestPacingDropsABacklogBeyondTheBudget(t *testing.T) {
	w := &steppedWall{}
	c, err := NewController(ParseParams("scenario=steady&clients=20&speed=10"), NewEngineSim(1), w.Now)
	require.NoError(t, err)
	w.now += time.Hour // the tab was hidden for an hour
	c.Update()
	assert.Equal(t, 5*time.Minute, c.Now(), "the run ends (steady lasts 5 min) instead of catching up forever")
}

func TestMaxSpeedStopsAtTheBudget(t *testing.T) {
	cfg := ParseParams("scenario=steady&clients=20&speed=max")
	w := &fakeWall{}
	c, err := NewController(cfg, NewEngineSim(1), w.Now)
	require.NoError(t, err)
	c.Budget = 5 * time.Millisecond // the fake wall clock ticks 1 ms per reading
	c.Update()
	ticks := c.Now() / engine.Tick
	assert.GreaterOrEqual(t, ticks, time.Duration(3))
	assert.LessOrEqual(t, ticks, time.Duration(5), "the loop checks the budget before each tick")
}

func TestPauseRestartAndSeeds(t *testing.T) {
	c := newTestController(t, "scenario=steady&clients=20&seed=4&speed=60")
	c.update(30)
	at := c.Now()
	assert.Equal(t, 30*time.Second, at, "half a second at 60x")
	c.SetPaused(true)
	assert.Equal(t, StatePaused, c.State())
	c.update(30)
	assert.Equal(t, at, c.Now(), "paused: no virtual time passes")
	c.SetPaused(false)
	c.update(1)
	assert.Greater(t, c.Now(), at)

	require.NoError(t, c.Restart(c.Seed()))
	assert.Zero(t, c.Now())
	assert.Equal(t, uint64(4), c.Seed())
	require.NoError(t, c.NewSeed())
	assert.Equal(t, NextSeed(4), c.Seed())
	assert.Contains(t, c.Query(), "seed="+strings.TrimSpace(jsonNum(NextSeed(4))))

	require.NoError(t, c.SelectPreset("origin-outage"))
	assert.Equal(t, "origin-outage", c.Preset())
	assert.NotEmpty(t, c.Charts().Charts[0].Bands, "the preset's scripted events are bands")
	assert.Error(t, c.SelectPreset("nope"))
}

func TestControllerQueryKeepsTheURLSettings(t *testing.T) {
	c := newTestController(t, "scenario=steady&clients=20&capacity=1500&seed=4&speed=60")
	want := "?scenario=steady&clients=20&seed=4&capacity=1500&speed=60x"
	assert.Equal(t, want, c.Query())
	require.NoError(t, c.Restart(c.Seed()))
	assert.Equal(t, want, c.Query(), "a restart keeps every setting")
	assert.Equal(t, 1500.0, c.Scenario().Origin.CapacityMbps)
	require.NoError(t, c.NewSeed())
	assert.Equal(t, "?scenario=steady&clients=20&seed="+jsonNum(NextSeed(4))+"&capacity=1500&speed=60x", c.Query())
	c.SetSpeed(1)
	assert.Contains(t, c.Query(), "capacity=1500&speed=1x")

	require.NoError(t, c.SelectPreset("origin-outage"))
	assert.NotContains(t, c.Query(), "capacity", "a preset is a complete scenario: the URL settings are dropped")
}

func jsonNum(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestInjectRaisesErrorsAndAddsABand(t *testing.T) {
	c := newTestController(t, "scenario=steady&clients=50&seed=1&speed=60")
	c.update(30) // 30 s: past the ramp (50 clients at 20/s)
	before := len(c.TakeView().Charts.Charts[0].Bands)
	require.NoError(t, c.Inject("503"))
	c.update(10)
	raw, err := c.SnapshotJSON()
	require.NoError(t, err)
	var snap struct {
		Injected int
		Stats    struct {
			Elapsed         float64
			HTTPErrorsTotal int64
			TotalHTTPErrors map[string]int64
		}
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &snap))
	assert.Equal(t, 40.0, snap.Stats.Elapsed, "durations in seconds, as in the export")
	assert.Equal(t, 1, snap.Injected)
	assert.Greater(t, snap.Stats.TotalHTTPErrors["503"], int64(0))
	assert.Equal(t, snap.Stats.HTTPErrorsTotal, snap.Stats.TotalHTTPErrors["503"])
	bands := c.TakeView().Charts.Charts[0].Bands
	require.Len(t, bands, before+1)
	assert.True(t, bands[len(bands)-1].Live)
	assert.Equal(t, "error_burst", bands[len(bands)-1].Kind)

	assert.ErrorContains(t, c.Inject("meteor"), "unknown fault")
	for _, kind := range []string{"outage", "capacity", "stale", "add", "remove"} {
		assert.NoError(t, c.Inject(kind), kind)
	}
}

func TestLiveFaultSizes(t *testing.T) {
	c := newTestController(t, "scenario=steady&clients=200")
	sc := c.Scenario()
	// Capacity: 20 % of demand; demand = 200 clients x (2000 + 128) kbps = 425.6 Mbps.
	ev := LiveFault(CmdFaultCapacity, sc, nil)
	assert.Equal(t, 85.0, ev.CapacityMbps, "round(425.6 x 0.2) = 85")
	assert.Equal(t, 20, LiveFault(CmdAddClients, sc, nil).Clients, "10 % of 200")
	assert.Equal(t, 0.5, LiveFault(CmdFault503, sc, nil).Rate)
	assert.Equal(t, 15*time.Second, LiveFault(CmdFaultOutage, sc, nil).Duration.D())
}

func TestDownloadsMatchTheExportFormat(t *testing.T) {
	c := newTestController(t, "scenario=steady&clients=20&seed=9&speed=60")
	c.update(20) // 20 s of virtual time
	js, err := c.Download("json")
	require.NoError(t, err)
	run, err := export.ReadJSON(strings.NewReader(js))
	require.NoError(t, err)
	assert.Equal(t, uint64(9), run.Seed)
	assert.Len(t, run.Series, 20, "one sample per virtual second for 20 s")
	csv, err := c.Download("csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	assert.Equal(t, strings.Join(export.CSVHeader(), ","), lines[0])
	assert.Len(t, lines, 21)
	_, err = c.Download("xml")
	assert.ErrorContains(t, err, "allowed json, csv")
}

func TestLiveFiguresShowAnOutage(t *testing.T) {
	c := newTestController(t, "scenario=origin-outage&clients=50&seed=3&speed=60")
	c.update(90) // 1:30
	c.TakeView()
	c.update(60) // 2:30, before the outage at 3:00
	before := c.TakeView().Live
	require.NotNil(t, before.Sample)
	assert.Equal(t, time.Second, before.Interval)
	assert.Equal(t, c.Now().Seconds(), before.Sample.T, "the last sample")
	assert.Greater(t, before.Sample.SegmentRate, 0.0)
	assert.Equal(t, time.Minute, before.Connects.Window, "the connects since the previous view")
	assert.Zero(t, before.Connects.Refused)
	assert.Equal(t, HealthGood, ConnectHealth(before.Connects.FailedShare()))

	c.update(30) // 3:00: the outage starts
	base := c.TakeView().Agg.TCPConnectCount
	c.update(60) // 4:00: the end of the refused minute
	v := c.TakeView()
	during := v.Live
	assert.Zero(t, during.Sample.SegmentRate, "no segment is served: the current rate is 0")
	assert.Zero(t, during.Sample.ThroughputBps)
	assert.Equal(t, time.Minute, during.Connects.Window)
	assert.Greater(t, during.Connects.Refused, int64(0))
	assert.Equal(t, HealthBad, ConnectHealth(during.Connects.FailedShare()), "%+v", during.Connects)
	assert.Equal(t, v.Agg.TCPConnectCount-base, during.Connects.Attempts, "the window counts only its own connects")
	var label string
	for _, s := range SummaryStats(&v.Agg, during) {
		if strings.HasPrefix(s.Label, "TCP failed") {
			label = s.Label
			assert.Equal(t, HealthBad, s.Health)
		}
	}
	assert.Equal(t, "TCP failed (last 1:00)", label)

	// A view right after does not shrink the window to nothing.
	assert.Equal(t, during.Connects, c.TakeView().Live.Connects)
}

// A view is one instant: its aggregate, client states, charts and last
// sample are all at At, and it does not move while the run goes on until
// the next view is taken (the dashboard draws from it while updates run).
func TestViewIsOneInstant(t *testing.T) {
	c := newTestController(t, "scenario=origin-outage&clients=60&seed=3&speed=60")
	c.update(200) // 3:20, inside the first outage
	v := c.TakeView()
	at := c.Now()
	assert.Equal(t, 200*time.Second, at)
	assert.Equal(t, at, v.At)

	var exact stats.AggregatedStats
	c.sim.AggregateInto(&exact)
	assert.Equal(t, exact.TotalBytes, v.Agg.TotalBytes, "the aggregate is exact at At")
	assert.Equal(t, exact.ActiveClients, v.Agg.ActiveClients)
	assert.Equal(t, exact.TCPConnectRefused, v.Agg.TCPConnectRefused)
	assert.Equal(t, c.sim.ClientStates(nil), v.States)
	for i := range v.Charts.Charts {
		d := &v.Charts.Charts[i]
		assert.Equal(t, at.Seconds(), d.Now, "chart %d ends at At", i)
		require.NotEmpty(t, d.Times)
		assert.Equal(t, at.Seconds(), d.Times[len(d.Times)-1], "chart %d's last sample is At's", i)
	}
	require.NotNil(t, v.Live.Sample)
	assert.Equal(t, at.Seconds(), v.Live.Sample.T)

	seq, bytes, states := v.Seq, v.Agg.TotalBytes, append([]clients.State(nil), v.States...)
	samples := len(v.Charts.Charts[0].Times)
	c.update(30) // the run goes on: the view stays
	assert.Greater(t, c.Now(), at)
	assert.Equal(t, at, c.View().At)
	assert.Equal(t, seq, c.View().Seq)
	assert.Equal(t, bytes, c.View().Agg.TotalBytes)
	assert.Equal(t, states, c.View().States)
	assert.Len(t, c.View().Charts.Charts[0].Times, samples, "the charts do not grow between views")
	assert.Equal(t, at.Seconds(), c.View().Charts.Charts[0].Now)

	_, err := c.SnapshotJSON() // a snapshot for JavaScript leaves the view alone
	require.NoError(t, err)
	assert.Equal(t, bytes, c.View().Agg.TotalBytes)

	gen := c.Generation()
	c.SetPaused(true)
	assert.NotEqual(t, gen, c.Generation(), "a pause asks for a view at once")
	v = c.TakeView()
	assert.Equal(t, c.Now(), v.At)
	assert.Greater(t, v.Seq, seq)
	assert.Equal(t, StatePaused, v.State)
}

// The story strip tells the preset's story only as the preset's when the
// URL changes the run: 10 000 viewers for 30 minutes are not "200 viewers
// for 5 minutes".
func TestStorySaysWhenTheRunDiffersFromThePreset(t *testing.T) {
	steady, err := scenario.Preset("steady")
	require.NoError(t, err)
	desc := steady.Description

	c := newTestController(t, "scenario=steady&clients=10000&ramp_rate=500&duration=30m&capacity=50000&seed=1")
	assert.Equal(t, "the preset's story, which this run changes (clients=10000, capacity=50000, duration=30m, ramp_rate=500): "+desc, c.Story())
	require.NoError(t, c.SelectPreset("steady"))
	assert.Equal(t, desc, c.Story(), "a preset picked from the menu is the preset")

	for _, q := range []string{"scenario=steady&seed=5", "scenario=steady&clients=200"} {
		assert.Equal(t, desc, newTestController(t, q).Story(), "%s: the preset's own run", q)
	}
	assert.Equal(t, "the preset's story, which this run changes (clients=20): "+desc, newTestController(t, "scenario=steady&clients=20").Story())
}
