package stats

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newVirtualSwarm returns an aggregator and n clients on one virtual clock.
func newVirtualSwarm(n int) (*VirtualClock, *StatsAggregator, []*ClientStats) {
	c := NewVirtualClock(0)
	a := NewStatsAggregatorWithClock(0, c)
	cs := make([]*ClientStats, n)
	for i := range cs {
		cs[i] = NewClientStatsWithClock(i, c)
		a.AddClient(cs[i])
	}
	return c, a, cs
}

func TestAggregate_HandArithmetic(t *testing.T) {
	// 50 clients, 2 s segments of a 5000+128 kbps stream, one playlist
	// refresh per segment, for 60 s of virtual time.
	c, a, cs := newVirtualSwarm(50)
	const segBytes = (5000 + 128) * 1000 * 2 / 8 // 1 282 000 B
	for _, s := range cs {
		s.OnProcessStart()
	}
	for step := 0; step < 30; step++ {
		c.Advance(2 * time.Second)
		for _, s := range cs {
			s.IncrementManifestRequests()
			s.IncrementSegmentRequests()
			s.AddBytes(segBytes)
			s.UpdateSpeed(1.0)
		}
	}
	cs[0].RecordHTTPError(503)
	cs[1].RecordHTTPError(404)
	cs[2].RecordTimeout()
	st := a.Aggregate()
	assert.Equal(t, 60*time.Second, st.Elapsed)
	assert.Equal(t, int64(1500), st.TotalSegmentReqs)
	assert.Equal(t, 25.0, st.SegmentReqRate)  // 1500 / 60 s
	assert.Equal(t, 25.0, st.ManifestReqRate) // 1500 / 60 s
	assert.Equal(t, int64(1500*segBytes), st.TotalBytes)
	assert.Equal(t, float64(1500*segBytes)/60, st.ThroughputBytesPerSec) // 32.05 MB/s
	assert.InDelta(t, 3.0/3000, st.ErrorRate, 1e-15)                     // (2 HTTP + 1 timeout) / 3000 requests
	assert.Equal(t, 50, st.ClientsAboveRealtime)
	assert.Equal(t, 1.0, st.AverageSpeed)
	assert.Equal(t, int64(2), st.HTTPErrorsTotal)
	assert.Equal(t, int64(1), st.TotalHTTPErrors[503])
	assert.Equal(t, int64(50), st.TotalProcessStarts)
}

// Restarts are the starts beyond each client's first: a client registered
// before its first start counts none, and clients that left keep theirs
// (starts - clients would count a leaver's first start as a restart).
func TestAggregate_ProcessRestarts(t *testing.T) {
	c := NewVirtualClock(0)
	a := NewStatsAggregatorWithClock(0, c)
	starts := []int64{0, 1, 3, 2}
	var wantStarts, wantRestarts int64
	for id, n := range starts {
		s := NewClientStatsWithClock(id, c)
		for range n {
			s.OnProcessStart()
		}
		a.AddClient(s)
		wantStarts += n
		wantRestarts += max(n-1, 0)
	}
	st := a.Aggregate()
	assert.Equal(t, wantStarts, st.TotalProcessStarts)
	assert.Equal(t, wantRestarts, st.TotalProcessRestarts)
	assert.NotEqual(t, wantStarts-int64(len(starts)), st.TotalProcessRestarts, "the client without a start must not lower the count")

	a.RemoveClient(2)
	a.RemoveClient(1)
	st = a.Aggregate()
	assert.Equal(t, 2, st.TotalClients)
	assert.Equal(t, wantStarts, st.TotalProcessStarts)
	assert.Equal(t, wantRestarts, st.TotalProcessRestarts, "clients that left keep their restarts")
}

// Every snapshot's restarts agree with its starts while clients restart:
// never more than the starts beyond each client's first.
func TestAggregate_RestartsConsistentWithStarts(t *testing.T) {
	const n = 300
	c, a, cs := newVirtualSwarm(n)
	for _, s := range cs {
		s.OnProcessStart()
	}
	var wg sync.WaitGroup
	var restarting atomic.Bool
	restarting.Store(true)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 50_000 {
			cs[i%n].OnProcessStart()
		}
		restarting.Store(false)
	}()
	var st AggregatedStats
	for restarting.Load() {
		a.AggregateInto(&st, AggregateOptions{})
		require.LessOrEqual(t, st.TotalProcessRestarts, st.TotalProcessStarts-n)
		runtime.Gosched() // with one P (wasm) the restarts run only now
	}
	wg.Wait()
	c.Advance(time.Second)
	a.AggregateInto(&st, AggregateOptions{})
	assert.Equal(t, st.TotalProcessStarts-n, st.TotalProcessRestarts)
}

// randomActivity gives every client a seeded random mix of everything.
func randomActivity(c *VirtualClock, cs []*ClientStats, seed uint64) {
	for _, s := range cs {
		rng := rand.New(rand.NewPCG(seed, uint64(s.ClientID)))
		s.OnProcessStart()
		for k := rng.IntN(20); k > 0; k-- {
			s.IncrementManifestRequests()
		}
		for k := rng.IntN(20); k > 0; k-- {
			s.IncrementSegmentRequests()
			s.RecordSegmentLatency(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		}
		for k := rng.IntN(3); k > 0; k-- {
			s.IncrementInitRequests()
			s.RecordManifestLatency(time.Duration(500+rng.IntN(2000)) * time.Microsecond)
		}
		for k := rng.IntN(3); k > 0; k-- {
			s.IncrementUnknownRequests()
			s.RecordHTTPError(390 + rng.IntN(220))
			s.RecordTCPConnect(time.Duration(100+rng.IntN(900))*time.Microsecond, TCPOutcome(rng.IntN(3)))
		}
		if rng.IntN(4) == 0 { // a restart
			s.OnProcessStart()
			s.RecordReconnection()
			s.RecordTimeout()
			s.RecordSequenceSkip(1 + rng.IntN(5))
		}
		s.UpdateCurrentBytes(rng.Int64N(10_000_000))
		switch rng.IntN(4) {
		case 0: // no reading
		case 1:
			s.UpdateSpeed(0)
		default:
			s.UpdateSpeed(0.5 + rng.Float64())
		}
		if rng.IntN(2) == 0 {
			// 1 s into the process, a position from 0 to 2 s: drift from
			// -1 s to 1 s
			c.Advance(time.Second)
			s.UpdateDrift(rng.Int64N(2_000_000))
		}
		if rng.IntN(3) == 0 {
			s.RecordDroppedLines(1000, rng.Int64N(30), 100, rng.Int64N(3))
		}
		s.RecordPlaylistRefresh(time.Duration(rng.IntN(50))*time.Millisecond, rng.IntN(5) == 0)
		if rng.IntN(5) == 0 { // the process exited (in backoff, or stopped)
			s.OnProcessExit()
		}
		c.Advance(time.Duration(rng.IntN(100)) * time.Millisecond)
	}
}

// Every figure of a snapshot is the sum (or extreme, or mean) of the
// clients': for a small swarm, and for one large enough that AggregateInto
// sums two halves apart and merges them (see parallelFrom).
func TestAggregate_SumsEqualSumOfClients(t *testing.T) {
	for _, n := range []int{300, parallelFrom + 301} {
		t.Run(fmt.Sprint(n, " clients"), func(t *testing.T) { testSumsEqualSumOfClients(t, n) })
	}
}

func testSumsEqualSumOfClients(t *testing.T, n int) {
	c, a, cs := newVirtualSwarm(n)
	randomActivity(c, cs, 11)
	c.Advance(7 * time.Second)
	st := a.Aggregate()

	var want AggregatedStats
	var speedSum float64
	var speedN, driftN, ffN int
	var driftSum int64
	var ffSum float64
	var wantErrs HTTPErrorCounts
	var seg, man, tcp HistogramSnapshot
	var uptimes []time.Duration
	for _, s := range cs {
		sum := s.GetSummary()
		want.TotalManifestReqs += sum.ManifestRequests
		want.TotalSegmentReqs += sum.SegmentRequests
		want.TotalInitReqs += sum.InitRequests
		want.TotalUnknownReqs += sum.UnknownRequests
		want.TotalBytes += sum.TotalBytes
		want.TotalReconnections += sum.Reconnections
		want.TotalTimeouts += sum.Timeouts
		want.TotalProcessStarts += s.ProcessStarts()
		want.TotalProcessRestarts += max(s.ProcessStarts()-1, 0)
		for code, n := range sum.HTTPErrors {
			wantErrs.Add(code, n)
		}
		if s.IsRunning() {
			want.ActiveClients++
		}
		switch {
		case !s.IsRunning(): // not active: in none of the three
		case !sum.HasSpeed:
			want.ClientsNoReading++
		case sum.CurrentSpeed >= 1:
			want.ClientsAboveRealtime++
		default:
			want.ClientsBelowRealtime++
		}
		if sum.HasSpeed {
			speedSum += sum.CurrentSpeed
			speedN++
		}
		if sum.IsStalled {
			want.StalledClients++
		}
		if sp, ok := s.ffmpegSpeedAt(st.Timestamp.UnixNano()); ok {
			ffSum += sp
			ffN++
		}
		want.MaxDrift = max(want.MaxDrift, sum.MaxDrift)
		if sum.CurrentDrift > 0 {
			driftSum += int64(sum.CurrentDrift)
			driftN++
		}
		d := s.ProgressLinesDropped.Load() + s.StderrLinesDropped.Load()
		want.TotalLinesDropped += d
		want.TotalLinesRead += s.ProgressLinesRead.Load() + s.StderrLinesRead.Load()
		want.StderrLinesDropped += s.StderrLinesDropped.Load()
		want.StderrLinesRead += s.StderrLinesRead.Load()
		if d > 0 {
			want.ClientsWithDrops++
		}
		ok, ref, to := s.TCPConnects()
		want.TCPConnectSuccess += ok
		want.TCPConnectRefused += ref
		want.TCPConnectTimeout += to
		r, late, _, _ := s.PlaylistRefreshes()
		want.PlaylistRefreshes += r
		want.PlaylistLateCount += late
		ev, sk := s.SequenceSkips()
		want.SequenceSkips += ev
		want.SkippedSequences += sk
		s.LatencySnapshot(&seg, &man, &tcp)
		uptimes = append(uptimes, sum.Uptime)
	}
	assert.Equal(t, n, st.TotalClients)
	assert.Less(t, want.ActiveClients, n, "some processes exited")
	assert.Equal(t, want.ActiveClients, st.ActiveClients)
	assert.Equal(t, want.TotalManifestReqs, st.TotalManifestReqs)
	assert.Equal(t, want.TotalSegmentReqs, st.TotalSegmentReqs)
	assert.Equal(t, want.TotalInitReqs, st.TotalInitReqs)
	assert.Equal(t, want.TotalUnknownReqs, st.TotalUnknownReqs)
	assert.Equal(t, want.TotalBytes, st.TotalBytes)
	assert.Equal(t, want.TotalReconnections, st.TotalReconnections)
	assert.Equal(t, want.TotalTimeouts, st.TotalTimeouts)
	assert.Equal(t, want.TotalProcessStarts, st.TotalProcessStarts)
	assert.Equal(t, want.TotalProcessRestarts, st.TotalProcessRestarts)
	assert.Positive(t, st.TotalProcessRestarts)
	assert.Equal(t, wantErrs.Map(), st.TotalHTTPErrors)
	assert.Equal(t, wantErrs.Total(), st.HTTPErrorsTotal)
	assert.Positive(t, st.TotalHTTPErrors[0], "some codes fell into other")
	assert.Equal(t, want.ClientsNoReading, st.ClientsNoReading)
	assert.Equal(t, want.ClientsAboveRealtime, st.ClientsAboveRealtime)
	assert.Equal(t, want.ClientsBelowRealtime, st.ClientsBelowRealtime)
	assert.Equal(t, st.ActiveClients, st.ClientsAboveRealtime+st.ClientsBelowRealtime+st.ClientsNoReading)
	assert.Equal(t, want.StalledClients, st.StalledClients)
	assert.Positive(t, st.StalledClients)
	assert.InDelta(t, speedSum/float64(speedN), st.AverageSpeed, 1e-12)
	assert.Positive(t, ffN)
	assert.InDelta(t, ffSum/float64(ffN), st.AverageFFmpegSpeed, 1e-12)
	assert.Equal(t, ffN, st.ClientsWithDrift, "the clients AverageFFmpegSpeed averages over")
	assert.Equal(t, time.Duration(driftSum/int64(driftN)), st.AverageDrift)
	assert.Equal(t, want.MaxDrift, st.MaxDrift)
	assert.Equal(t, want.TotalLinesDropped, st.TotalLinesDropped)
	assert.Equal(t, want.TotalLinesRead, st.TotalLinesRead)
	assert.Equal(t, want.StderrLinesDropped, st.StderrLinesDropped)
	assert.Equal(t, want.StderrLinesRead, st.StderrLinesRead)
	assert.Positive(t, st.StderrLinesRead)
	assert.Less(t, st.StderrLinesRead, st.TotalLinesRead, "progress lines too")
	assert.Equal(t, want.ClientsWithDrops, st.ClientsWithDrops)
	assert.Equal(t, want.TCPConnectSuccess, st.TCPConnectSuccess)
	assert.Equal(t, want.TCPConnectRefused, st.TCPConnectRefused)
	assert.Equal(t, want.TCPConnectTimeout, st.TCPConnectTimeout)
	assert.Equal(t, want.TCPConnectSuccess+want.TCPConnectRefused+want.TCPConnectTimeout, st.TCPConnectCount)
	assert.Equal(t, want.PlaylistRefreshes, st.PlaylistRefreshes)
	assert.Equal(t, want.PlaylistLateCount, st.PlaylistLateCount)
	assert.Equal(t, want.SequenceSkips, st.SequenceSkips)
	assert.Equal(t, want.SkippedSequences, st.SkippedSequences)
	assert.Equal(t, seg.counts, st.SegmentLatencyHist.counts)
	assert.Equal(t, man.counts, st.ManifestLatencyHist.counts)
	assert.Equal(t, tcp.counts, st.TCPConnectLatencyHist.counts)
	assert.Equal(t, seg.Count(), st.SegmentLatencyCount)
	slices.Sort(uptimes)
	assert.Equal(t, uptimes[0], st.MinUptime)
	assert.Equal(t, uptimes[len(uptimes)-1], st.MaxUptime)
	var upSum time.Duration
	for _, u := range uptimes {
		upSum += u
	}
	assert.Equal(t, upSum/time.Duration(len(uptimes)), st.AvgUptime)
	assertWithin(t, exactQuantile(uptimes, 0.5), st.UptimeP50)
	assertWithin(t, exactQuantile(uptimes, 0.95), st.UptimeP95)
	assertWithin(t, exactQuantile(uptimes, 0.99), st.UptimeP99)
	// error rate formula
	reqs := st.TotalManifestReqs + st.TotalSegmentReqs + st.TotalInitReqs
	assert.InDelta(t, float64(st.HTTPErrorsTotal+st.TotalTimeouts)/float64(reqs), st.ErrorRate, 1e-15)
}

func TestAggregate_MergedPercentilesNotMaxOfClients(t *testing.T) {
	n := 40
	per := 500
	if testing.Short() {
		per = 100
	}
	c, a, cs := newVirtualSwarm(n)
	_ = c
	rng := rand.New(rand.NewPCG(3, 4))
	var all, man []time.Duration
	var maxOfP50 time.Duration
	for i, s := range cs {
		var vals []time.Duration
		base := 10 * time.Millisecond
		if i == 0 {
			base = time.Second // one slow client
		}
		for k := 0; k < per; k++ {
			v := base + time.Duration(rng.Int64N(int64(base)))
			s.RecordSegmentLatency(v)
			vals = append(vals, v)
			m := time.Duration(300+rng.IntN(5000)) * time.Microsecond
			s.RecordManifestLatency(m)
			man = append(man, m)
		}
		all = append(all, vals...)
		maxOfP50 = max(maxOfP50, s.GetSummary().SegmentLatencyP50)
	}
	slices.Sort(all)
	slices.Sort(man)
	st := a.Aggregate()
	require.Equal(t, int64(len(all)), st.SegmentLatencyCount)
	for _, c := range []struct {
		q   float64
		got time.Duration
	}{{0.25, st.SegmentLatencyP25}, {0.5, st.SegmentLatencyP50}, {0.75, st.SegmentLatencyP75}, {0.95, st.SegmentLatencyP95}, {0.99, st.SegmentLatencyP99}, {1, st.SegmentLatencyMax}} {
		assertWithin(t, exactQuantile(all, c.q), c.got, "segment q=%v", c.q)
	}
	for _, c := range []struct {
		q   float64
		got time.Duration
	}{{0.25, st.ManifestLatencyP25}, {0.5, st.ManifestLatencyP50}, {0.75, st.ManifestLatencyP75}, {0.95, st.ManifestLatencyP95}, {0.99, st.ManifestLatencyP99}, {1, st.ManifestLatencyMax}} {
		assertWithin(t, exactQuantile(man, c.q), c.got, "manifest q=%v", c.q)
	}
	// The real tool's "max of per-client p50" would report the slow client.
	assert.Greater(t, maxOfP50, 50*st.SegmentLatencyP50)
}

func TestAggregate_ClockDrivenStallDriftUptime(t *testing.T) {
	c, a, cs := newVirtualSwarm(5)
	for _, s := range cs {
		s.OnProcessStart()
	}
	cs[0].UpdateSpeed(1.2) // above real time
	cs[1].UpdateSpeed(0.5) // slow from its first reading
	cs[2].UpdateSpeed(0)   // no progress
	cs[3].UpdateSpeed(0.95)
	// cs[4]: no reading
	c.Advance(5 * time.Second)
	st := a.Aggregate()
	assert.Equal(t, 0, st.StalledClients, "exactly 5 s is not yet a stall")
	c.Advance(time.Millisecond)
	st = a.Aggregate()
	assert.Equal(t, 2, st.StalledClients)
	assert.Equal(t, 1, st.ClientsAboveRealtime)
	assert.Equal(t, 3, st.ClientsBelowRealtime)
	assert.Equal(t, 1, st.ClientsNoReading)
	assert.InDelta(t, (1.2+0.5+0+0.95)/4, st.AverageSpeed, 1e-12)

	cs[0].UpdateDrift(4_000_000) // 5.001 s wall - 4 s = 1.001 s
	cs[1].UpdateDrift(500)       // 5.001 s - 0.5 ms = 5.0005 s
	cs[2].UpdateDrift(5_501_000) // 5.001 s - 5.501 s = -0.5 s: ahead, not drift
	cs[3].UpdateDrift(0)         // no output yet: ignored
	st = a.Aggregate()
	assert.Equal(t, 1, st.ClientsWithHighDrift)
	assert.Equal(t, 5000500*time.Microsecond, st.MaxDrift)
	assert.Equal(t, (1001000+5000500)*time.Microsecond/2, st.AverageDrift, "the negative drift is not averaged")

	// restart re-bases drift and clears the stall; MaxDrift is the
	// lifetime maximum
	cs[1].OnProcessStart()
	st = a.Aggregate()
	assert.Equal(t, 0, st.ClientsWithHighDrift)
	assert.Equal(t, 5000500*time.Microsecond, st.MaxDrift)
	assert.Equal(t, 1001*time.Millisecond, st.AverageDrift)
	assert.Equal(t, 1, st.StalledClients)
	assert.Equal(t, 2, st.ClientsNoReading)

	// uptime: clients added later have less uptime
	late := NewClientStatsWithClock(99, c)
	a.AddClient(late)
	c.Advance(10 * time.Second)
	st = a.Aggregate()
	assert.Equal(t, 10*time.Second, st.MinUptime)
	assert.Equal(t, 15001*time.Millisecond, st.MaxUptime)
	assert.Equal(t, (5*15001*time.Millisecond+10*time.Second)/6, st.AvgUptime)
	assertWithin(t, 15001*time.Millisecond, st.UptimeP50)
	assert.Equal(t, VirtualEpoch.Add(15001*time.Millisecond), st.Timestamp)
}

func TestAggregate_ConcurrentUpdatesAndMembership(t *testing.T) {
	iters := 3000
	if testing.Short() {
		iters = 500
	}
	clock := NewVirtualClock(0)
	a := NewStatsAggregatorWithClock(0, clock)
	const stable = 64
	for i := 0; i < stable; i++ {
		a.AddClient(NewClientStatsWithClock(i, clock))
	}
	var updaters, churners sync.WaitGroup
	for g := 0; g < 8; g++ {
		updaters.Add(1)
		go func() {
			defer updaters.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			for i := 0; i < iters; i++ {
				s := a.GetClient(rng.IntN(stable))
				s.IncrementSegmentRequests()
				s.IncrementManifestRequests()
				s.AddBytes(1000)
				s.RecordHTTPError(500 + i%4)
				s.RecordSegmentLatency(time.Duration(1+i%50) * time.Millisecond)
				s.UpdateSpeed(float64(i%3) * 0.6)
				s.RecordSegmentSize(int64(i))
				s.RecordDroppedLines(int64(i+1), int64(i%2), 0, 0)
				clock.Advance(time.Millisecond)
			}
		}()
	}
	for g := 0; g < 2; g++ {
		churners.Add(1)
		go func() {
			defer churners.Done()
			for i := 0; i < iters/4; i++ {
				id := 1000 + g*100000 + i
				a.AddClient(NewClientStatsWithClock(id, clock))
				if i%3 != 0 {
					a.RemoveClient(id)
				}
			}
		}()
	}
	done := make(chan struct{})
	aggDone := make(chan int)
	go func() {
		var prev int64
		passes := 0
		var st AggregatedStats
		var tr RateTracker
		for {
			a.AggregateInto(&st, AggregateOptions{PerClientSummaries: passes%50 == 0})
			tr.Update(&st)
			passes++
			// invariants that must hold in every snapshot
			assert.Equal(t, st.ActiveClients, st.ClientsAboveRealtime+st.ClientsBelowRealtime+st.ClientsNoReading)
			assert.GreaterOrEqual(t, st.TotalClients, stable)
			assert.GreaterOrEqual(t, st.TotalSegmentReqs, prev, "stable clients' counters never go back")
			errs := HTTPErrorCountsOf(st.TotalHTTPErrors)
			assert.Equal(t, errs.Total(), st.HTTPErrorsTotal)
			assert.GreaterOrEqual(t, st.InstantSegmentRate, 0.0)
			prev = st.TotalSegmentReqs
			select {
			case <-done:
				aggDone <- passes
				return
			default:
				// js/wasm has no preemption: let the updaters run.
				runtime.Gosched()
			}
		}
	}()
	updaters.Wait()
	churners.Wait()
	close(done)
	passes := <-aggDone
	assert.Positive(t, passes)

	st := a.Aggregate()
	total := int64(8 * iters)
	assert.Equal(t, total, st.TotalSegmentReqs)
	assert.Equal(t, total, st.TotalManifestReqs)
	assert.Equal(t, total*1000, st.TotalBytes)
	assert.Equal(t, total, st.HTTPErrorsTotal)
	assert.Equal(t, total, st.SegmentLatencyCount)
	kept := 0
	for i := 0; i < iters/4; i++ {
		if i%3 == 0 {
			kept++
		}
	}
	assert.Equal(t, stable+2*kept, st.TotalClients)
	assert.Equal(t, stable+2*kept, a.ClientCount())
}

func TestRateTracker_IndependentReaders(t *testing.T) {
	c, a, cs := newVirtualSwarm(10)
	// every 100 ms of virtual time each client requests one segment of
	// 1000 B: 10 clients -> 100 segments/s, 100 000 B/s.
	tick := func() {
		c.Advance(100 * time.Millisecond)
		for _, s := range cs {
			s.IncrementSegmentRequests()
			s.AddBytes(1000)
		}
	}
	// readers at 500 ms and 1 s; the rate doubles at step 26, inside the
	// metrics reader's interval (20, 30] but between two dashboard reads,
	// so the two see different rates there (a shared previous snapshot
	// would give the metrics reader the dashboard's)
	var dash, metrics RateTracker
	var ds, ms AggregatedStats
	for step := 1; step <= 40; step++ {
		if step == 26 { // rate doubles: two segments per tick
			tick = func() {
				c.Advance(100 * time.Millisecond)
				for _, s := range cs {
					s.IncrementSegmentRequests()
					s.IncrementSegmentRequests()
					s.AddBytes(2000)
				}
			}
		}
		tick()
		if step%5 == 0 {
			a.AggregateInto(&ds, AggregateOptions{})
			dash.Update(&ds)
			want := 100.0
			if step > 25 {
				want = 200
			}
			if step == 5 {
				assert.Equal(t, ds.SegmentReqRate, ds.InstantSegmentRate, "first update = average rate")
			}
			assert.InDelta(t, want, ds.InstantSegmentRate, 1e-9, "dashboard step %d", step)
			assert.InDelta(t, want*1000, ds.InstantThroughputRate, 1e-6, "dashboard step %d", step)
		}
		if step%10 == 0 {
			a.AggregateInto(&ms, AggregateOptions{})
			metrics.Update(&ms)
			want := map[int]float64{10: 100, 20: 100, 30: 150, 40: 200}[step]
			assert.InDelta(t, want, ms.InstantSegmentRate, 1e-9, "metrics step %d", step)
		}
	}
	// no time passed: the previous instant rate is repeated
	a.AggregateInto(&ds, AggregateOptions{})
	dash.Update(&ds)
	assert.InDelta(t, 200.0, ds.InstantSegmentRate, 1e-9)
	// clients removed: totals drop, rate clamps to 0
	c.Advance(time.Second)
	for i := 0; i < 5; i++ {
		a.RemoveClient(i)
	}
	a.AggregateInto(&ds, AggregateOptions{})
	dash.Update(&ds)
	assert.Equal(t, 0.0, ds.InstantSegmentRate)
	dash.Reset()
	dash.Update(&ds)
	assert.Equal(t, ds.SegmentReqRate, ds.InstantSegmentRate)
	// Aggregate itself leaves instant rates zero
	assert.Equal(t, 0.0, a.Aggregate().InstantSegmentRate)
}

// fillNonZero sets every settable field of v to a non-zero value.
func fillNonZero(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(123, 0)))
			return
		}
		if v.Type() == reflect.TypeOf(HistogramSnapshot{}) {
			h := v.Addr().Interface().(*HistogramSnapshot)
			h.Record(time.Second)
			h.Record(time.Millisecond)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillNonZero(v.Field(i))
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fillNonZero(v.Index(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 3, 3))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(7.5)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem())
		v.Set(m)
	}
}

func TestAggregateInto_ResetsEveryField(t *testing.T) {
	c, a, cs := newVirtualSwarm(20)
	randomActivity(c, cs, 5)
	for _, opts := range []AggregateOptions{{}, {PerClientSummaries: true}} {
		var dst AggregatedStats
		fillNonZero(reflect.ValueOf(&dst).Elem())
		a.AggregateInto(&dst, opts)
		fresh := new(AggregatedStats)
		a.AggregateInto(fresh, opts)
		if !opts.PerClientSummaries {
			assert.Empty(t, dst.PerClientSummaries)
			dst.PerClientSummaries = nil
		}
		assert.Equal(t, *fresh, dst)
	}
	// the other direction: a snapshot of an empty aggregator is all zero
	// except time fields
	empty := NewStatsAggregatorWithClock(0, c)
	var dst AggregatedStats
	fillNonZero(reflect.ValueOf(&dst).Elem())
	empty.AggregateInto(&dst, AggregateOptions{})
	dst.Timestamp = time.Time{}
	dst.PerClientSummaries = nil
	assert.Equal(t, AggregatedStats{TotalHTTPErrors: map[int]int64{}}, dst)
}

func TestAggregateInto_NoAllocations(t *testing.T) {
	for _, n := range []int{100, parallelFrom} {
		c, a, cs := newVirtualSwarm(n)
		randomActivity(c, cs, 8)
		var dst AggregatedStats
		a.AggregateInto(&dst, AggregateOptions{}) // builds the client cache
		allocs := testing.AllocsPerRun(20, func() { a.AggregateInto(&dst, AggregateOptions{}) })
		assert.Equal(t, 0.0, allocs, "%d clients", n)
		allocs = testing.AllocsPerRun(20, func() { _ = a.Aggregate() })
		assert.LessOrEqual(t, allocs, 9.0, "%d clients: the snapshot, its error map, a window per histogram", n)
	}
}

// A large snapshot is the same whether its second half is summed on the
// helper goroutine or on the caller's, and whether the helper is free or
// busy with another aggregator's snapshot.
func TestAggregate_HalvesIndependentOfGOMAXPROCS(t *testing.T) {
	c, a, cs := newVirtualSwarm(parallelFrom + 77)
	randomActivity(c, cs, 5)
	c.Advance(3 * time.Second)
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	one := a.Aggregate()
	runtime.GOMAXPROCS(2)
	two := a.Aggregate()
	assert.Empty(t, differentFields(one, two))
	// two aggregators at once: one of them finds the helper busy
	b := NewStatsAggregatorWithClock(0, c)
	for _, s := range cs {
		b.AddClient(s)
	}
	runtime.GOMAXPROCS(1)
	oneB := b.Aggregate()
	runtime.GOMAXPROCS(2)
	var wg sync.WaitGroup
	snaps := make([]*AggregatedStats, 8)
	for i := range snaps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				snaps[i] = a.Aggregate()
			} else {
				snaps[i] = b.Aggregate()
			}
		}()
	}
	wg.Wait()
	for i, s := range snaps {
		want := one
		if i%2 == 1 {
			want = oneB
		}
		assert.Empty(t, differentFields(want, s))
	}
}

// differentFields returns the names of the fields in which a and b differ.
func differentFields(a, b *AggregatedStats) []string {
	var diff []string
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		if !va.Type().Field(i).IsExported() {
			continue // httpErrors: the same as TotalHTTPErrors
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			diff = append(diff, va.Type().Field(i).Name)
		}
	}
	return diff
}

func TestAggregator_Membership(t *testing.T) {
	c := NewVirtualClock(time.Minute)
	a := NewStatsAggregatorWithClock(-1, c)
	assert.Equal(t, DefaultDropThreshold, a.DropThreshold())
	assert.Equal(t, VirtualEpoch.Add(time.Minute), a.StartTime())
	assert.Nil(t, a.GetClient(1))
	for _, id := range []int{5, 1, 3} {
		a.AddClient(NewClientStatsWithClock(id, c))
	}
	a.AddClient(nil)
	assert.Equal(t, 3, a.ClientCount())
	replacement := NewClientStatsWithClock(3, c)
	a.AddClient(replacement)
	assert.Equal(t, 3, a.ClientCount(), "same ID replaces")
	assert.Same(t, replacement, a.GetClient(3))
	var ids []int
	a.ForEachClient(func(id int, s *ClientStats) { require.Equal(t, id, s.ClientID); ids = append(ids, id) })
	assert.Equal(t, []int{1, 3, 5}, ids, "ascending ID order")
	ids = ids[:0]
	for s := range a.Clients() {
		ids = append(ids, s.ClientID)
		break
	}
	assert.Equal(t, []int{1}, ids)

	sums := a.GetAllClientSummaries()
	require.Len(t, sums, 3)
	assert.Equal(t, 5, sums[2].ClientID)
	st := new(AggregatedStats)
	a.AggregateInto(st, AggregateOptions{PerClientSummaries: true})
	assert.Equal(t, sums, st.PerClientSummaries)

	a.RemoveClient(1)
	a.RemoveClient(1)
	a.RemoveClient(42)
	assert.Equal(t, 2, a.ClientCount())
	assert.Equal(t, 2, a.Aggregate().TotalClients)

	c.Advance(30 * time.Second)
	assert.Equal(t, 30*time.Second, a.Elapsed())
	a.Reset()
	assert.Equal(t, 0, a.ClientCount())
	assert.Equal(t, 0, a.Aggregate().TotalClients)
	assert.Equal(t, time.Duration(0), a.Elapsed())
	assert.Equal(t, VirtualEpoch.Add(90*time.Second), a.StartTime())

	r := NewStatsAggregator(0.05)
	assert.Equal(t, 0.05, r.DropThreshold())
	assert.Equal(t, RealClock{}, r.Clock())
}

func TestAggregate_PipelineHealth(t *testing.T) {
	_, a, cs := newVirtualSwarm(4)
	cs[0].RecordDroppedLines(1000, 50, 0, 0) // 5 %
	cs[1].RecordDroppedLines(1000, 0, 1000, 0)
	st := a.Aggregate()
	assert.Equal(t, int64(50), st.TotalLinesDropped)
	assert.Equal(t, int64(3000), st.TotalLinesRead)
	assert.Equal(t, 1, st.ClientsWithDrops)
	assert.InDelta(t, 50.0/3000, st.CurrentDropRate, 1e-15)
	assert.True(t, st.MetricsDegraded) // 1.67 % > 1 %
	assert.InDelta(t, 0.05, st.PeakDropRate, 1e-15, "the worst client's peak")
	cs[1].RecordDroppedLines(10000, 0, 10000, 0)
	st = a.Aggregate()
	assert.InDelta(t, 50.0/21000, st.CurrentDropRate, 1e-15)
	assert.False(t, st.MetricsDegraded)
	assert.InDelta(t, 0.05, st.PeakDropRate, 1e-15)
	assert.InDelta(t, 0.05, a.GetPeakDropRate(), 1e-15)

	// Counters written directly are read, as the real tool reads them
	// (the peak only moves through RecordDroppedLines).
	cs[2].ProgressLinesRead.Store(100)
	cs[2].ProgressLinesDropped.Store(30)
	st = a.Aggregate()
	assert.Equal(t, int64(80), st.TotalLinesDropped)
	assert.Equal(t, int64(21100), st.TotalLinesRead)
	assert.Equal(t, 2, st.ClientsWithDrops)
	assert.InDelta(t, 0.05, st.PeakDropRate, 1e-15)

	// A removed client's peak stays in the snapshots (its totals retire).
	cs[3].RecordDroppedLines(100, 20, 0, 0)
	a.RemoveClient(3)
	st = a.Aggregate()
	assert.InDelta(t, 0.2, st.PeakDropRate, 1e-15)
	assert.InDelta(t, 0.2, a.GetPeakDropRate(), 1e-15)
}

func TestAggregate_ConcurrentReadersAgree(t *testing.T) {
	c, a, cs := newVirtualSwarm(200)
	randomActivity(c, cs, 21)
	want := a.Aggregate()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st AggregatedStats
			for i := 0; i < 20; i++ {
				a.AggregateInto(&st, AggregateOptions{})
				assert.Equal(t, want.SegmentLatencyHist, st.SegmentLatencyHist)
				assert.Equal(t, want.ManifestLatencyP99, st.ManifestLatencyP99)
				assert.Equal(t, want.TCPConnectLatencyHist, st.TCPConnectLatencyHist)
				assert.Equal(t, want.TotalHTTPErrors, st.TotalHTTPErrors)
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
}

func TestAggregate_UptimeSumDoesNotOverflow(t *testing.T) {
	// 10 clients x 10^18 ns of uptime: the sum (10^19) exceeds int64.
	c, a, _ := newVirtualSwarm(10)
	c.Advance(time.Duration(1e18))
	st := a.Aggregate()
	assert.Equal(t, time.Duration(1e18), st.AvgUptime)
	assert.Equal(t, time.Duration(1e18), st.MinUptime)
	assert.Equal(t, time.Duration(1e18), st.MaxUptime)
}

func TestAggregate_UptimePercentilesWithinMinMax(t *testing.T) {
	c, a, _ := newVirtualSwarm(6)
	c.Advance(30*time.Second + 400*time.Millisecond) // 30.4 s: its bucket midpoint is above 30.4 s
	st := a.Aggregate()
	for _, p := range []time.Duration{st.UptimeP50, st.UptimeP95, st.UptimeP99} {
		assert.Equal(t, 30400*time.Millisecond, p)
	}
}

func TestAggregate_UptimeHistogramMatchesPerClient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := NewVirtualClock(100 * time.Hour)
	a := NewStatsAggregatorWithClock(0, c)
	var want HistogramSnapshot
	now := 100 * time.Hour
	for i := 0; i < 2000; i++ {
		var start time.Duration
		switch i % 4 {
		case 0: // a ramp within the last minute
			start = now - time.Duration(rng.Int64N(int64(time.Minute)))
		case 1: // spread over hours
			start = now - time.Duration(rng.Int64N(int64(20*time.Hour)))
		case 2: // beyond the histogram's range (clamped into the last bucket)
			start = time.Duration(rng.Int64N(int64(time.Hour)))
		default: // several clients with the very same start
			start = now - 90*time.Second
		}
		c.Set(start)
		a.AddClient(NewClientStatsWithClock(i, c))
		want.Record(now - start)
	}
	c.Set(now + 5*time.Second) // one client starts "in the future" of the previous reading
	a.AddClient(NewClientStatsWithClock(99999, c))
	c.Set(now)
	want.Record(0)
	st := a.Aggregate()
	assert.Equal(t, want.counts, st.UptimeHist.counts)
	assert.Equal(t, want.Count(), st.UptimeHist.Count())
	assert.Equal(t, time.Duration(-5*time.Second), st.MinUptime)
}

// Clients whose latencies spill into chained slot tables merge exactly, and
// AggregateInto leaves its scratch counts all zero for the next call (every
// key it adds lies in a block sparseCounts.blocks names).
func TestAggregate_ChainedSlotsAndCleanScratch(t *testing.T) {
	for _, n := range []int{50, parallelFrom + 3} {
		c, a, cs := newVirtualSwarm(n)
		var want [numKinds]HistogramSnapshot
		for i, s := range cs {
			for k := range 40 + i%60 { // 40-99 distinct buckets: one or two chained tables
				d := time.Duration(1000+37*k*k+i%7) * time.Microsecond
				s.RecordSegmentLatency(d)
				want[kindSegment].Record(d)
				if k%3 == 0 {
					s.RecordManifestLatency(d / 10)
					want[kindManifest].Record(d / 10)
				}
			}
		}
		c.Advance(time.Second)
		var dst AggregatedStats
		for range 2 {
			a.AggregateInto(&dst, AggregateOptions{})
			assert.Equal(t, want[kindSegment].counts, dst.SegmentLatencyHist.counts, "%d clients", n)
			assert.Equal(t, want[kindManifest].counts, dst.ManifestLatencyHist.counts, "%d clients", n)
		}
		assert.Equal(t, keyCounts{}, *a.scratch, "%d clients", n)
		if a.half != nil {
			assert.Equal(t, keyCounts{}, *a.half.scratch, "%d clients", n)
		}
	}
}

func TestAggregate_TwoSpeeds(t *testing.T) {
	// AverageSpeed averages the instantaneous speeds the viewers report;
	// AverageFFmpegSpeed averages FFmpeg's running average, position /
	// time since the process started, here worked out by hand.
	c, a, cs := newVirtualSwarm(3)
	for _, s := range cs {
		s.OnProcessStart() // all at t = 0
	}
	c.Advance(10 * time.Second)
	cs[0].UpdateSpeed(1)
	cs[0].UpdateDrift(10_000_000) // 10 s played in 10 s: 10/10 = 1
	cs[1].UpdateSpeed(0)          // stuck right now
	cs[1].UpdateDrift(6_000_000)  // 6 s played in 10 s: 6/10 = 0.6
	cs[2].UpdateSpeed(1)          // no drift reading: not in the FFmpeg mean
	st := a.Aggregate()
	assert.InDelta(t, (1+0+1)/3.0, st.AverageSpeed, 1e-12)
	assert.InDelta(t, (1+0.6)/2, st.AverageFFmpegSpeed, 1e-12)
	assert.InDelta(t, 0.6, cs[1].FFmpegSpeed(), 1e-12)

	// Client 1 plays at real time again: its instantaneous speed is 1 at
	// once, FFmpeg's average climbs slowly (16 s played in 20 s).
	c.Advance(10 * time.Second)
	cs[1].UpdateSpeed(1)
	cs[1].UpdateDrift(16_000_000)
	cs[0].UpdateDrift(20_000_000)
	st = a.Aggregate()
	assert.InDelta(t, 1.0, st.AverageSpeed, 1e-12)
	assert.InDelta(t, (1+0.8)/2, st.AverageFFmpegSpeed, 1e-12)

	// Between readings the position moves on with the clock (drift
	// stays): 5 s later client 1 stands at 21 s of 25 s.
	// Client 0 restarts at t = 20 s: its FFmpeg speed counts from the new
	// process (4 s played in 5 s).
	cs[0].OnProcessStart()
	c.Advance(5 * time.Second)
	cs[0].UpdateDrift(4_000_000)
	st = a.Aggregate()
	assert.InDelta(t, (0.8+21.0/25)/2, st.AverageFFmpegSpeed, 1e-12)
	assert.Zero(t, cs[2].FFmpegSpeed(), "no drift reading")
}
