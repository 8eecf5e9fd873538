package engine

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// countBetween integrates a per-second rate of the series over (from, to].
func countBetween(e *Engine, from, to float64, f func(Sample) float64) float64 {
	var total float64
	prev := 0.0
	for _, s := range e.Series().Samples {
		if s.T > from && s.T <= to {
			total += f(s) * (s.T - prev)
		}
		prev = s.T
	}
	return total
}

func requests(s Sample) float64 { return s.ManifestRate + s.SegmentRate + s.InitRate }

// An injected error burst answers a share p of the requests issued during
// its window with its status. Over n requests the observed share is
// binomial: within 4 standard deviations sqrt(p(1-p)/n) of p. The same
// holds for the origin's background error rate.
func TestErrorShare(t *testing.T) {
	cases := []struct {
		name       string
		background float64
		burst      float64
	}{
		{"injected burst 10 %", 0, 0.10},
		{"background 2 %", 0.02, 0},
		{"background 1 % + burst 5 %", 0.01, 0.05},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := testScenario(100, 3*time.Minute, func(s *scenario.Scenario) { s.Origin.ErrorRate = c.background })
			e, err := New(sc)
			require.NoError(t, err)
			e.RunUntil(60 * time.Second)
			if c.burst > 0 {
				require.NoError(t, e.Inject(scenario.Event{Kind: scenario.KindErrorBurst, Duration: sec(60), Rate: c.burst, Status: 502}))
			}
			e.Run()
			n := countBetween(e, 60, 120, requests)
			errs := float64(sampleAt(t, e, 120).HTTPErrors - sampleAt(t, e, 60).HTTPErrors)
			p := c.background + c.burst
			tol := 4 * math.Sqrt(p*(1-p)/n)
			assert.InDelta(t, p, errs/n, tol, "share of %v requests", n)
			a := e.Aggregate()
			if c.burst > 0 {
				assert.Positive(t, a.TotalHTTPErrors[502])
				// outside the window only the background rate applies
				before := float64(sampleAt(t, e, 60).HTTPErrors)
				nBefore := countBetween(e, 0, 60, requests)
				assert.InDelta(t, c.background, before/nBefore, 4*math.Sqrt(0.25/nBefore)+1e-9)
			}
			if c.background > 0 {
				assert.Positive(t, a.TotalHTTPErrors[503])
			}
			assert.Equal(t, a.HTTPErrorsTotal, sampleAt(t, e, 180).HTTPErrors, "series and ClientStats agree")
		})
	}
}

// The real tool's backoff: 250 ms x 1.7^attempt capped at 5 s:
// 250, 425, 722.5, 1228.25, 2088.025, 3549.6425, 5000, 5000 ms.
func TestBackoffSequence(t *testing.T) {
	policy := clients.BackoffPolicy{Initial: 250 * time.Millisecond, Multiplier: 1.7, Max: 5 * time.Second}
	want := []float64{250, 425, 722.5, 1228.25, 2088.025, 3549.6425, 5000, 5000}
	for i, w := range want {
		assert.InDelta(t, w, float64(policy.Delay(i))/1e6, 1e-3, "attempt %d", i)
	}

	// A client that cannot connect (outage, refused) exits after 1 + 3 retries
	// and restarts after exactly that sequence (no jitter).
	sc := testScenario(1, 60*time.Second, func(s *scenario.Scenario) {
		s.Clients.RampJitter = 0
		s.Clients.Backoff.Jitter = 0
		s.Events = []scenario.Event{{At: 0, Duration: sec(50), Kind: scenario.KindOutage, Mode: scenario.ModeRefused}}
	})
	got := backoffs(t, sc, len(want))
	assert.InDeltaSlice(t, want, got, 1, "got %v (ms resolution of the state history)", got)

	// with the default +-20 % jitter every delay stays within 20 % of it
	sc.Clients.Backoff.Jitter = 0.2
	sc.Seed = 7
	got = backoffs(t, sc, len(want))
	for i := range want {
		assert.InEpsilon(t, want[i], got[i], 0.2+1e-3)
	}
	assert.NotEqual(t, want[0], got[0])
}

// backoffs runs sc and returns client 0's first n backoff delays in ms,
// read from its state history (Backoff -> Starting).
func backoffs(t *testing.T, sc *scenario.Scenario, n int) []float64 {
	t.Helper()
	e, err := New(sc)
	require.NoError(t, err)
	var hist []StateChange
	for !e.Done() {
		e.Step()
		c, _ := e.Client(0)
		for _, h := range c.History {
			if len(hist) == 0 || h.At > hist[len(hist)-1].At || (h.At == hist[len(hist)-1].At && h.State != hist[len(hist)-1].State) {
				hist = append(hist, h)
			}
		}
	}
	var got []float64
	for i := 1; i < len(hist) && len(got) < n; i++ {
		if hist[i-1].State == clients.Backoff && hist[i].State == clients.Starting {
			got = append(got, float64(hist[i].At-hist[i-1].At)/1e6)
		}
	}
	require.Len(t, got, n)
	c, _ := e.Client(0)
	assert.GreaterOrEqual(t, c.Stats.Reconnections, int64(n))
	return got
}

// A playlist frozen for 10 s (2 s segments) then jumps 10/2 = 5 segments:
// every client sees its media sequence advance 5 while about 1 s passed
// since its last reload (it polls every d/2 while nothing changes), i.e. one
// skip event of 5 - 1 = 4 sequence numbers, and then fetches the 5 new
// segments back to back: a burst of 5 x N segment requests.
func TestStalePlaylist(t *testing.T) {
	const n = 50
	e := run(t, testScenario(n, 100*time.Second, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(60), Duration: sec(10), Kind: scenario.KindStalePlaylist}}
	}))
	a := e.Aggregate()
	assert.Equal(t, int64(n), a.SequenceSkips)
	assert.Equal(t, int64(4*n), a.SkippedSequences)
	during := countBetween(e, 62, 70, func(s Sample) float64 { return s.SegmentRate })
	assert.Less(t, during, float64(n), "no new segments while the playlist is frozen")
	burst := countBetween(e, 70, 72, func(s Sample) float64 { return s.SegmentRate })
	assert.InDelta(t, 5*n, burst, 2, "5 segments per client within 2 s of the jump")
	// buffers (about 3 segments) ran dry: clients buffered, then recovered
	worst := 0
	for _, s := range e.Series().Samples {
		worst = max(worst, s.Buffering+s.Stalled)
	}
	assert.Equal(t, n, worst)
	last := e.Series().Samples[len(e.Series().Samples)-1]
	assert.Equal(t, n, last.Playing)
}

// A freeze that does not start on a segment boundary (61 s + 9 s with 2 s
// segments hides the segments completed at 62, 64, 66, 68 and 70 s): by
// default the playlist jumps back to the live edge and stays there.
func TestStalePlaylistOffGridCatchesUp(t *testing.T) {
	const n = 5
	e := run(t, testScenario(n, 150*time.Second, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(61), Duration: sec(9), Kind: scenario.KindStalePlaylist}}
	}))
	d := e.env.SegmentDuration
	live := func(t time.Duration) int64 { return clients.SeqBase + int64(t/d) }
	assert.Equal(t, live(60*time.Second), e.env.Edge(69*time.Second), "frozen at the edge of 61 s")
	for _, at := range []time.Duration{70 * time.Second, 71 * time.Second, 100 * time.Second, 149 * time.Second} {
		assert.Equal(t, live(at), e.env.Edge(at), "at %v", at)
	}
	// each client saw one jump of 5 where 1 was due (4 beyond what time explains)
	a := e.Aggregate()
	assert.Equal(t, int64(n), a.SequenceSkips)
	assert.Equal(t, int64(4*n), a.SkippedSequences)
}

// A request whose first byte cannot arrive within clients.timeout times out
// (FFmpeg's rw_timeout): during a latency spike of 30 s with a 5 s timeout
// every request issued in the window ends in a timeout 5 s later; a spike
// of 4 s gives none. Afterwards every client plays again.
func TestLatencySpikeBeyondTimeout(t *testing.T) {
	const n = 50
	for _, c := range []struct {
		spike   float64
		timeout bool
	}{{30, true}, {4, false}} {
		t.Run(fmt.Sprintf("%.0fs", c.spike), func(t *testing.T) {
			e := run(t, testScenario(n, 150*time.Second, func(s *scenario.Scenario) {
				s.Clients.Timeout = sec(5)
				s.Events = []scenario.Event{{At: sec(60), Duration: sec(20), Kind: scenario.KindLatencySpike, Latency: sec(c.spike)}}
			}))
			a := e.Aggregate()
			last := e.Series().Samples[len(e.Series().Samples)-1]
			assert.Equal(t, n, last.Playing)
			if !c.timeout {
				assert.Zero(t, a.TotalTimeouts)
				return
			}
			assert.Zero(t, sampleAt(t, e, 64).Timeouts, "none before the first 5 s ran out")
			issued := countBetween(e, 60, 80, requests)
			require.Positive(t, issued)
			assert.InEpsilon(t, issued, float64(a.TotalTimeouts), 0.02, "every request of the window timed out")
			assert.Zero(t, a.HTTPErrorsTotal)
		})
	}
}

// A freeze longer than the playlist's window: 30 s with 10 segments listed.
// The playlist lagged the live edge by 14 segments at the last reload of the
// freeze (at 89.x s) and jumps 15 when it updates; the 5 segments after the
// viewer's position that left the window are skipped. One discontinuity per
// client, counted once: 14 sequence numbers beyond what time explains (the
// expired 5 are among them).
func TestLongStalePlaylistSkipsOnce(t *testing.T) {
	const n = 5
	e := run(t, testScenario(n, 120*time.Second, func(s *scenario.Scenario) {
		s.Stream.PlaylistSize = 10
		s.Events = []scenario.Event{{At: sec(60), Duration: sec(30), Kind: scenario.KindStalePlaylist}}
	}))
	a := e.Aggregate()
	assert.Equal(t, int64(n), a.SequenceSkips)
	assert.Equal(t, int64(14*n), a.SkippedSequences)
}

// A latency spike makes every request of the window take Latency longer. The
// viewer counts its reload interval from the end of a load (FFmpeg's
// last_load_time) and fetches what a reload lists before reloading again,
// so that even a reload slower than half a segment duration (1 s here) is
// followed by segments. With 1 s more per request a segment ends 1.1 s
// after the load that listed it, before the next reload is due (2 s after
// that load ended): the viewer keeps up at one segment per 2 s. With 3 s
// more each segment ends more than 2 s after the last load, so a reload
// precedes every segment (as in FFmpeg): 3.02 s + 3.09 s per segment, 0.164
// segments per second.
func TestLatencySpikeKeepsSegmentsFlowing(t *testing.T) {
	const n = 10
	for _, c := range []struct {
		spike    float64
		min, max float64 // segment requests per client and second, 70..120 s
	}{
		{0.9, 0.45, 0.55},
		{1.0, 0.45, 0.55},
		{3.0, 0.15, 0.18},
	} {
		t.Run(fmt.Sprintf("%.1fs", c.spike), func(t *testing.T) {
			e := run(t, testScenario(n, 150*time.Second, func(s *scenario.Scenario) {
				s.Events = []scenario.Event{{At: sec(60), Duration: sec(60), Kind: scenario.KindLatencySpike, Latency: sec(c.spike)}}
			}))
			perClient := countBetween(e, 70, 120, func(s Sample) float64 { return s.SegmentRate }) / n / 50
			assert.GreaterOrEqual(t, perClient, c.min)
			assert.LessOrEqual(t, perClient, c.max)
			last := e.Series().Samples[len(e.Series().Samples)-1]
			assert.Equal(t, n, last.Playing, "every client plays again after the spike")
		})
	}
}

// An outage of 20 s from 60 s in each mode. Refused: connects fail, each
// process exits after 4 attempts and restarts (reconnections). Timeout:
// requests hang for the 15 s timeout. Status: every request gets a 503.
// Afterwards every client plays again.
func TestOutage(t *testing.T) {
	const n = 20
	cases := []struct {
		mode  string
		check func(t *testing.T, e *Engine)
	}{
		{scenario.ModeRefused, func(t *testing.T, e *Engine) {
			a := e.Aggregate()
			assert.Positive(t, a.TCPConnectRefused)
			assert.GreaterOrEqual(t, a.TotalReconnections, int64(n))
			assert.Zero(t, a.TotalTimeouts)
			// restarts re-base drift (no high drift afterwards) and carry
			// the bytes of earlier processes (the total matches every byte
			// the series counted)
			assert.Zero(t, a.ClientsWithHighDrift)
			assert.Less(t, a.MaxDrift, 5*time.Second)
			assert.Equal(t, statsBytes(e), a.TotalBytes)
			assert.Greater(t, a.TotalProcessStarts, int64(n))
			// every restart followed an exit after failures (code 1);
			// nobody left, so nothing was terminated
			assert.Equal(t, map[int]int{1: int(a.TotalProcessRestarts)}, e.ExitCodes())
			// every process start after a client's first is a restart, and
			// the viewer counts each as a reconnection
			assert.Equal(t, a.TotalProcessStarts-int64(a.TotalClients), a.TotalProcessRestarts)
			assert.Equal(t, a.TotalReconnections, a.TotalProcessRestarts)
		}},
		{scenario.ModeTimeout, func(t *testing.T, e *Engine) {
			a := e.Aggregate()
			assert.GreaterOrEqual(t, a.TotalTimeouts, int64(n))
			assert.Positive(t, a.TCPConnectTimeout)
			assert.Zero(t, a.HTTPErrorsTotal)
		}},
		{scenario.ModeStatus, func(t *testing.T, e *Engine) {
			a := e.Aggregate()
			assert.Equal(t, a.HTTPErrorsTotal, a.TotalHTTPErrors[503])
			assert.GreaterOrEqual(t, a.HTTPErrorsTotal, int64(4*n))
			assert.GreaterOrEqual(t, a.TotalReconnections, int64(n))
			reqs := countBetween(e, 61, 79, requests)
			errs := float64(sampleAt(t, e, 79).HTTPErrors - sampleAt(t, e, 61).HTTPErrors)
			assert.InEpsilon(t, reqs, errs, 0.02, "every request in the window fails")
			for at := 62.0; at <= 79; at++ {
				rate := sampleAt(t, e, at).ErrorRate
				if sampleAt(t, e, at).HTTPErrors == sampleAt(t, e, at-1).HTTPErrors {
					// none ended: every client waits out a backoff
					assert.True(t, math.IsNaN(rate), "at %v s: no request ended, so no rate (NaN), got %v", at, rate)
					continue
				}
				assert.Equal(t, 1.0, rate, "at %v s: every request that ends fails", at)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			e := run(t, testScenario(n, 3*time.Minute, func(s *scenario.Scenario) {
				s.Events = []scenario.Event{{At: sec(60), Duration: sec(20), Kind: scenario.KindOutage, Mode: c.mode}}
				if c.mode == scenario.ModeStatus {
					s.Events[0].Status = 503
				}
			}))
			c.check(t, e)
			hit := 0
			for _, s := range e.Series().Samples {
				hit = max(hit, s.Buffering+s.Stalled+s.Backoff+s.Starting)
			}
			assert.Equal(t, n, hit, "every client is hit")
			last := e.Series().Samples[len(e.Series().Samples)-1]
			assert.Equal(t, n, last.Playing, "everyone recovers")
		})
	}
}

// A bandwidth drop to 1 Mbit/s (below the 2.128 Mbit/s stream) for a share
// 0.3 of 200 clients stalls about 60 of them: binomial, sd
// sqrt(200*0.3*0.7) = 6.5, so within 4 sd = 26.
func TestBandwidthDrop(t *testing.T) {
	const n = 200
	e := run(t, testScenario(n, 150*time.Second, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(30), Duration: sec(60), Kind: scenario.KindBandwidthDrop, Share: 0.3, BandwidthMbps: 1}}
	}))
	s := sampleAt(t, e, 89)
	assert.InDelta(t, 0.3*n, float64(s.Stalled), 26)
	assert.Equal(t, n-s.Stalled, s.Playing+s.Buffering, "the others play on")
	assert.Zero(t, e.Series().Samples[len(e.Series().Samples)-1].Stalled, "recovered after the window")
	c, _ := e.Client(0)
	assert.InDelta(t, 75, c.BandwidthMbps, 25, "own downlink restored")
}

// A bandwidth drop injected while a scripted one is in force: each client
// gets the lowest downlink of the drops in force, and its own back only when
// none is left (the injected one used to replace the lower cap, and the
// scripted one's end restored the full downlink under the injected drop).
func TestOverlappingBandwidthDrops(t *testing.T) {
	e, err := New(testScenario(5, 90*time.Second, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(10), Duration: sec(20), Kind: scenario.KindBandwidthDrop, Share: 1, BandwidthMbps: 1}}
	}))
	require.NoError(t, err)
	mbps := func() float64 { c, ok := e.Client(0); require.True(t, ok); return c.BandwidthMbps }
	e.RunUntil(5 * time.Second)
	own := mbps()
	require.Greater(t, own, 2.0)
	e.RunUntil(20 * time.Second)
	assert.Equal(t, 1.0, mbps(), "the scripted drop")
	require.NoError(t, e.Inject(scenario.Event{Duration: sec(40), Kind: scenario.KindBandwidthDrop, Share: 1, BandwidthMbps: 2}))
	e.RunUntil(25 * time.Second)
	assert.Equal(t, 1.0, mbps(), "the lower of 1 and 2 Mbit/s")
	e.RunUntil(40 * time.Second)
	assert.Equal(t, 2.0, mbps(), "the scripted drop ended, the injected one holds")
	e.RunUntil(65 * time.Second)
	assert.Equal(t, own, mbps(), "both ended: its own downlink")
}

// Churn at 2 joins/s and 1 leave/s for 30 s adds 60 clients and stops 30.
// add_clients 20 (instant) and remove_clients 10 (over 10 s) change the
// counts by exactly those numbers.
func TestChurnAddRemove(t *testing.T) {
	const n = 100
	e := run(t, testScenario(n, 2*time.Minute, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{
			{At: sec(10), Kind: scenario.KindAddClients, Clients: 20},
			{At: sec(20), Duration: sec(10), Kind: scenario.KindRemoveClients, Clients: 10},
			{At: sec(40), Duration: sec(30), Kind: scenario.KindChurn, JoinRate: 2, LeaveRate: 1},
		}
	}))
	assert.Equal(t, n, sampleAt(t, e, 10).Clients)
	assert.Equal(t, n+20, sampleAt(t, e, 11).Clients)
	s30 := sampleAt(t, e, 31)
	assert.Equal(t, n+20, s30.Clients)
	assert.Equal(t, 10, s30.Stopped)
	s25 := sampleAt(t, e, 25)
	assert.InDelta(t, 5, s25.Stopped, 1, "removal spread evenly: half after half the window")
	last := e.Series().Samples[len(e.Series().Samples)-1]
	assert.Equal(t, n+20+60, last.Clients)
	assert.Equal(t, e.ClientCount(), last.Clients)
	assert.Equal(t, 10+30, last.Stopped)
	assert.Equal(t, last.Clients-last.Stopped, e.Aggregator().ClientCount(), "leavers are removed from the aggregator")
	assert.Equal(t, last.Clients-last.Stopped, last.Playing)
	states := e.ClientStates(nil)
	require.Len(t, states, last.Clients)
	stopped := 0
	for _, st := range states {
		if st == clients.Stopped {
			stopped++
		}
	}
	assert.Equal(t, last.Stopped, stopped)
}

// Every sample's state counts add up to the clients, and the speed classes
// to the clients that are neither not started nor stopped.
func TestSampleCountsAddUp(t *testing.T) {
	sc, err := scenario.Preset("origin-outage")
	require.NoError(t, err)
	e, err := New(sc)
	require.NoError(t, err)
	e.RunUntil(min(e.Duration(), 3*time.Minute))
	for _, s := range e.Series().Samples {
		require.Equal(t, s.Clients, s.NotStarted+s.Starting+s.Playing+s.Buffering+s.Stalled+s.Backoff+s.Stopped, "at %v", s.T)
		require.Equal(t, s.Clients-s.NotStarted-s.Stopped, s.AboveRealtime+s.BelowRealtime+s.NoReading, "at %v", s.T)
	}
}

// The snapshot and the series agree on who is running, stalled and slow:
// a client whose process exited (in backoff, or stopped for good without
// reconnecting) has no speed, stall or drift reading in either and is not an
// active client. Checked every 10 s through a refused outage (60..80 s) with
// and without reconnecting, on a starved origin where clients stall.
func TestAggregateAgreesWithSeriesOnExitedClients(t *testing.T) {
	const n = 20
	for _, reconnect := range []bool{true, false} {
		t.Run(fmt.Sprint("reconnect=", reconnect), func(t *testing.T) {
			sc := testScenario(n, 3*time.Minute, func(s *scenario.Scenario) {
				s.Clients.Reconnect = &reconnect
				s.Origin.CapacityMbps = 20 // 20 clients of 2.128 Mbit/s: 0.47x each
				s.Events = []scenario.Event{{At: sec(60), Duration: sec(20), Kind: scenario.KindOutage, Mode: scenario.ModeRefused}}
			})
			e, err := New(sc)
			require.NoError(t, err)
			sawBackoff, sawStalled := false, false
			for at := 10 * time.Second; at <= e.Duration(); at += 10 * time.Second {
				e.RunUntil(at)
				a := e.Aggregate()
				s := sampleAt(t, e, at.Seconds())
				require.InDelta(t, at.Seconds(), s.T, 1e-9)
				running := s.Clients - s.NotStarted - s.Stopped - s.Backoff
				assert.Equal(t, running, a.ActiveClients, "at %v", at)
				assert.Equal(t, s.Stalled, a.StalledClients, "at %v", at)
				assert.Equal(t, s.AboveRealtime, a.ClientsAboveRealtime, "at %v", at)
				assert.Equal(t, s.BelowRealtime, a.ClientsBelowRealtime, "at %v", at)
				// the series counts clients in backoff as having no reading
				assert.Equal(t, s.NoReading-s.Backoff, a.ClientsNoReading, "at %v", at)
				sawBackoff = sawBackoff || s.Backoff > 0
				sawStalled = sawStalled || s.Stalled > 0
			}
			if reconnect {
				assert.True(t, sawBackoff, "the outage put clients in backoff")
			} else {
				a := e.Aggregate()
				assert.Equal(t, n, a.TotalClients)
				assert.Zero(t, a.ActiveClients, "every process exited for good")
				assert.Zero(t, a.StalledClients)
				assert.Zero(t, a.AverageSpeed)
			}
			assert.True(t, sawStalled, "the starved origin stalled clients")
		})
	}
}

// The per-interval error rate is a share of the requests that ended in the
// interval, so it never passes 1, even when a storm of retries fails in an
// interval that issued few requests (the reconnect-storm preset reached 1.21
// when it divided by the requests issued).
func TestIntervalErrorRateIsAShare(t *testing.T) {
	sc, err := scenario.Preset("reconnect-storm")
	require.NoError(t, err)
	e := run(t, sc)
	worst := 0.0
	for _, s := range e.Series().Samples {
		if math.IsNaN(s.ErrorRate) {
			continue // no request ended in the interval
		}
		require.GreaterOrEqual(t, s.ErrorRate, 0.0)
		worst = max(worst, s.ErrorRate)
	}
	assert.LessOrEqual(t, worst, 1.0)
	assert.Greater(t, worst, 0.5, "the storm's errors show")
}

// Clients that leave keep counting in the final snapshot: on the churn
// preset the aggregate's cumulative segments, manifests, bytes, errors and
// timeouts equal the recorder's series (its per-interval rates x interval,
// summed), which counts every client, including the ones that left.
func TestChurnTotalsIncludeLeavers(t *testing.T) {
	sc, err := scenario.Preset("churn")
	require.NoError(t, err)
	e, err := New(sc)
	require.NoError(t, err)
	e.RunUntil(min(e.Duration(), 180*time.Second)) // 240 leavers, some of them mid-transfer
	last := e.Series().Samples[len(e.Series().Samples)-1]
	require.Positive(t, last.Stopped, "the preset makes clients leave")
	a := e.Aggregate()
	assert.Equal(t, last.Clients-last.Stopped, a.TotalClients)
	assert.Equal(t, sumRate(e, func(s Sample) float64 { return s.SegmentRate }), a.TotalSegmentReqs)
	assert.Equal(t, sumRate(e, func(s Sample) float64 { return s.ManifestRate }), a.TotalManifestReqs)
	// Bytes count as the origin delivers them, in the series and in the
	// stats alike: the delivered part of the transfers the leavers cut off
	// and of those under way at the end included.
	var aborted int64
	for s := range e.shards {
		aborted += e.shards[s].tally.AbortedBytes
	}
	assert.Positive(t, aborted, "leavers cut transfers off")
	assert.Equal(t, statsBytes(e), a.TotalBytes)
	// the leavers' processes were terminated (255); the preset has no
	// failures, so no process exited on its own
	assert.Equal(t, map[int]int{255: a.RemovedClients}, e.ExitCodes())
	var httpErrs, timeouts int64
	for _, s := range e.Series().Samples {
		httpErrs += s.HTTPErrors
		timeouts += s.Timeouts
	}
	assert.Equal(t, httpErrs, a.HTTPErrorsTotal)
	assert.Equal(t, timeouts, a.TotalTimeouts)
}

// The interval error rate agrees with the injected share and with the
// snapshot's error rate when init segments are a large part of the requests:
// fMP4 viewers that exit at every failed reload (no retries) fetch an init
// segment at each restart, over a tenth of the requests here. Dividing by
// completed playlists and segments only gave 0.33-0.35 for an injected 0.3.
func TestIntervalErrorRateCountsInitSegments(t *testing.T) {
	const share = 0.3
	e := run(t, testScenario(400, 3*time.Minute, func(s *scenario.Scenario) {
		s.Stream.Container = scenario.ContainerFMP4
		s.Origin.ErrorRate = share
		s.Clients.SegmentRetries = 0
	}))
	a := e.Aggregate()
	require.Greater(t, float64(a.TotalInitReqs), 0.1*float64(a.TotalInitReqs+a.TotalSegmentReqs+a.TotalManifestReqs))
	var sum float64
	n := 0
	for _, s := range e.Series().Samples[30:] { // after the ramp
		if !math.IsNaN(s.ErrorRate) {
			sum += s.ErrorRate
			n++
		}
	}
	require.Positive(t, n)
	assert.InDelta(t, share, sum/float64(n), 0.01)
	assert.InDelta(t, share, a.ErrorRate, 0.01)
}

// A segment that fails 1 + Retries times in a row is skipped, as FFmpeg's
// HLS demuxer does; the process goes on (only a playlist that cannot be
// loaded ends it). With half the requests failing and one retry, a segment
// takes 1 + 0.5 = 1.5 requests on average and is skipped with probability
// 0.5^2 = 0.25: a sixth of the segment requests end in a skip, each a
// media-sequence skip of one. Playback keeps its place: skipping does not
// add drift.
func TestFailedSegmentsAreSkipped(t *testing.T) {
	e := run(t, testScenario(400, 3*time.Minute, func(s *scenario.Scenario) {
		s.Origin.ErrorRate = 0.5
		s.Clients.SegmentRetries = 1
	}))
	var a stats.AggregatedStats
	e.AggregateInto(&a, stats.AggregateOptions{PerClientSummaries: true})
	var maxCurrent time.Duration // (MaxDrift is the lifetime maximum)
	for _, c := range a.PerClientSummaries {
		maxCurrent = max(maxCurrent, c.CurrentDrift)
	}
	// every skip here is one of those (the playlist never lags the live
	// edge by more than its length), each a skip event of one segment
	assert.Equal(t, a.SequenceSkips, a.SkippedSequences)
	assert.InEpsilon(t, 1.0/6, float64(a.SequenceSkips)/float64(a.TotalSegmentReqs), 0.05)
	// (were the skipped media left out of the timeline, the largest drift
	// would be 7.1 s, and 5 clients stalled)
	assert.Less(t, maxCurrent, 3*time.Second, "skipped segments do not pile up drift")
	assert.Zero(t, a.StalledClients)
}

// An outage of refused connections has no HTTP error, so its error rate
// stays 0 (the real tool's formula); the connect failure share shows it:
// every connect that ends inside the outage is refused (1), none before
// or after it fails (0), and the share is 1 in some interval of it.
func TestConnectFailRateShowsARefusedOutage(t *testing.T) {
	e := run(t, testScenario(20, 3*time.Minute, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{{At: sec(60), Duration: sec(20), Kind: scenario.KindOutage, Mode: scenario.ModeRefused}}
	}))
	failing := 0
	for _, s := range e.Series().Samples {
		switch {
		case s.T > 60 && s.T <= 80:
			assert.False(t, s.ErrorRate > 0, "at %v s: refused connects are no HTTP errors (%v)", s.T, s.ErrorRate)
			if s.ConnectFailRate > 0 {
				assert.Equal(t, 1.0, s.ConnectFailRate, "at %v s: every connect is refused", s.T)
				failing++
			}
		case s.T <= 60 || s.T > 81:
			assert.False(t, s.ConnectFailRate > 0, "at %v s: the origin accepts every connect (%v)", s.T, s.ConnectFailRate)
		}
	}
	assert.Positive(t, failing, "the outage shows in the connect failure share")
}
