package clients

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/stats"
)

func TestStateNames(t *testing.T) {
	want := []string{"not started", "starting", "playing", "buffering", "stalled", "backoff", "stopped"}
	for s := State(0); s < NumStates; s++ {
		assert.Equal(t, want[s], s.String())
	}
	assert.Equal(t, "unknown", NumStates.String())
	assert.True(t, Playing.Running())
	assert.False(t, Backoff.Running())
}

// Classes grow by 2.5 %: class k starts at 1000 x 1.025^k bytes/s.
func TestBandwidthClasses(t *testing.T) {
	assert.Equal(t, uint16(0), classOfRate(1))
	assert.Equal(t, uint16(0), classOfRate(1000))
	assert.Equal(t, uint16(1), classOfRate(1025))
	assert.Equal(t, uint16(0), classOfRate(1024))
	k := classOfRate(6_250_000) // 50 Mbit/s: k = floor(ln 6250 / ln 1.025) = floor(353.97)
	assert.Equal(t, uint16(353), k)
	assert.Equal(t, uint16(NumClasses-1), classOfRate(math.MaxInt64))
	prev := uint16(0)
	for b := int64(1000); b < 1e12; b = b*3/2 + 1 {
		c := classOfRate(float64(b))
		assert.GreaterOrEqual(t, c, prev)
		prev = c
	}
}

// The origin's level by hand. Three viewers, each able to transfer for the
// whole second, with downlinks of 2, 10 and 10 Mbit/s, against 12 Mbit
// (1.5 MB) in the second: the first gets its 2, the others (12-2)/2 = 5
// each. Weighted: a viewer that can transfer for 0.1 s and one for 0.2 s,
// both at 1 MB/s, with 150 kB to share and 50 kB already taken by
// playlists: 0.3 s x L = 100 kB, L = 333 kB/s.
func TestOriginDemandLevel(t *testing.T) {
	var d OriginDemand
	d.Reset()
	d.Add(time.Second, 250_000, 0)
	d.Add(time.Second, 1_250_000, 0)
	d.Add(time.Second, 1_250_000, 0)
	assert.InDelta(t, 625_000, d.Level(1_500_000), 1e-6)
	assert.True(t, math.IsInf(d.Level(2_750_000), 1), "demand fits: unlimited")
	assert.InDelta(t, 100_000, d.Level(300_000), 1e-6, "all capped")
	assert.Equal(t, MinLevel, d.Level(0), "no budget left")

	d.Reset()
	d.Add(100*time.Millisecond, 1_000_000, 0)
	d.Add(200*time.Millisecond, 1_000_000, 50_000)
	assert.InDelta(t, 350_000.0, d.Total, 1e-6, "bytes at an unlimited level, playlists included")
	assert.InDelta(t, 100_000/0.3, d.Level(150_000), 1e-6)

	// conditional bytes count only at levels from their threshold on: two
	// viewers of 1 s at 1 MB/s share 1 MB (500 kB/s each); 400 kB that
	// apply from 900 kB/s do not apply there, 400 kB that apply from
	// 100 kB/s do: (1 MB - 400 kB) / 2 s = 300 kB/s, still above 100 kB/s
	d.Reset()
	d.Add(time.Second, 1_000_000, 0)
	d.Add(time.Second, 1_000_000, 0)
	d.AddConditional(400_000, 900_000)
	assert.InDelta(t, 2_400_000.0, d.Total, 1e-6, "bytes at an unlimited level, conditional ones included")
	assert.True(t, math.IsInf(d.Level(2_400_000), 1))
	assert.InDelta(t, 500_000, d.Level(1_000_000), 1e-6, "threshold above the level")
	d.AddConditional(400_000, 100_000)
	assert.InDelta(t, 300_000, d.Level(1_000_000), 1e-6, "threshold below the level")

	var a, b OriginDemand // merging two halves gives the same level
	a.Reset()
	b.Reset()
	a.Add(time.Second, 250_000, 0)
	b.Add(time.Second, 1_250_000, 0)
	b.Add(time.Second, 1_250_000, 0)
	b.AddConditional(300_000, 100_000)
	a.Merge(&b)
	assert.InDelta(t, (1_500_000-300_000-250_000)/2.0, a.Level(1_500_000), 1e-6)
}

// The level's promise, on random demands: the bytes the viewers can receive
// at the level (OriginDemand.At) fit the budget, unless even the fixed bytes
// do not (MinLevel); and, without conditional bytes (whose second pass may
// settle lower), at a level 5 % higher they would not (the level is not
// needlessly low: the classes' rounding costs less).
func TestOriginDemandLevelFitsItsBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 2000 {
		var d OriginDemand
		d.Reset()
		for range 1 + rng.IntN(40) {
			w := time.Duration(1+rng.IntN(200)) * time.Millisecond
			c := math.Exp(rng.Float64()*12) * 100 // 100 B/s .. 16 MB/s
			d.Add(w, c, int64(rng.IntN(3))*2001)
			if i%2 == 1 && rng.IntN(4) == 0 {
				d.AddConditional(int64(1+rng.IntN(5))*2001, math.Exp(rng.Float64()*12)*100)
			}
		}
		budget := d.Total * rng.Float64() * 1.2
		l := d.Level(budget)
		if math.IsInf(l, 1) {
			require.LessOrEqual(t, d.Total, budget, "case %d", i)
			continue
		}
		if l == MinLevel {
			continue
		}
		require.LessOrEqual(t, d.At(l), budget*(1+1e-12), "case %d: level %g", i, l)
		if i%2 == 0 {
			require.Greater(t, d.At(l*1.05), budget, "case %d: level %g needlessly low", i, l)
		}
	}
}

// flushedViewer runs viewer id on a 1 MB/s downlink in env from 0 to
// virtual time end and flushes its statistics.
func flushedViewer(env *Env, id int, end time.Duration) (*Tally, *Viewer) {
	tl, v := &Tally{}, &Viewer{}
	v.Init(id, 1, tl)
	v.Setup(0, 1_000_000, 0)
	step(v, env, tl, end)
	v.Flush(end)
	return tl, v
}

// startArithmeticViewer is the viewer of TestViewerStartArithmetic, run to
// virtual time end.
func startArithmeticViewer(end time.Duration) (*Env, *Tally, *Viewer) {
	env, tl, v := testEnv(), &Tally{}, &Viewer{}
	v.Init(7, 1, tl)
	v.Setup(0, 1_000_000, 0)
	step(v, env, tl, end)
	return env, tl, v
}

// With 2 s segments the edge is 1000 + floor(t / 2 s); a stale window
// 10 s..20 s freezes it at 1005, then jumps Jump=3 and advances normally:
// capped at 1005 + 3 + floor((t-20 s)/2 s) and never ahead of the live edge.
func TestEdge(t *testing.T) {
	env := &Env{SegmentDuration: 2 * time.Second}
	assert.Equal(t, int64(1000), env.Edge(0))
	assert.Equal(t, int64(1000), env.Edge(1999*time.Millisecond))
	assert.Equal(t, int64(1001), env.Edge(2*time.Second))
	env.Stale = []StaleWindow{{From: 10 * time.Second, To: 20 * time.Second, Jump: 3}}
	assert.Equal(t, int64(1004), env.Edge(9*time.Second))
	assert.Equal(t, int64(1005), env.Edge(10*time.Second))
	assert.Equal(t, int64(1005), env.Edge(19*time.Second))
	assert.Equal(t, int64(1008), env.Edge(20*time.Second))
	assert.Equal(t, int64(1009), env.Edge(22*time.Second))
	env.Stale[0].Jump = 100
	assert.Equal(t, int64(1010), env.Edge(20*time.Second), "never ahead of the live edge")
}

func TestDriftBuckets(t *testing.T) {
	for _, d := range []time.Duration{0, 63 * time.Millisecond, 64 * time.Millisecond, 150 * time.Millisecond, 5 * time.Second, 4 * time.Hour} {
		mid := DriftBucketMid(driftBucket(d))
		if d < 64*time.Millisecond {
			assert.Equal(t, d, mid)
		} else {
			assert.InEpsilon(t, float64(d), float64(mid), 1.0/32)
		}
	}
	var a, b Tally
	assert.Zero(t, MaxDrift(&a, &b))
	a.addDrift(2 * time.Second)
	b.addDrift(7 * time.Second)
	a.addDrift(time.Second)
	assert.InEpsilon(t, 7.0, MaxDrift(&a, &b).Seconds(), 1.0/32)
	b.DriftHist[driftBucket(7*time.Second)]--
	assert.InEpsilon(t, 2.0, MaxDrift(&a, &b).Seconds(), 1.0/32)
}

// testEnv is a healthy world: 2 s segments of 532 000 bytes, RTT 20 ms,
// origin latency 1 ms, no faults, unlimited capacity.
func testEnv() *Env {
	clock := stats.NewVirtualClock(0)
	return &Env{
		Level:           math.Inf(1),
		SegmentDuration: 2 * time.Second,
		ManifestBytes:   374,
		PlaylistSize:    10,
		Cohorts:         []CohortEnv{{RTT: 20 * time.Millisecond, SegmentBytes: 532_000, Renditions: 1}},
		Latency:         time.Millisecond,
		Timeout:         15 * time.Second,
		Retries:         3,
		Reconnect:       true,
		Backoff:         BackoffPolicy{Initial: 250 * time.Millisecond, Multiplier: 1.7, Max: 5 * time.Second, ResetAfter: 30 * time.Second},
		Tick:            100 * time.Millisecond,
		Clock:           clock,
		Aggregator:      stats.NewStatsAggregatorWithClock(0, clock),
		ParseRate:       1000,
		ParseBuffer:     ParseBufferLines,
	}
}

// step runs the viewer tick by tick until virtual time end.
func step(v *Viewer, env *Env, tl *Tally, end time.Duration) {
	for env.Start < end {
		env.End = env.Start + env.Tick
		env.Clock.(*stats.VirtualClock).Set(env.Start)
		if v.Wake() < env.End {
			v.Advance(env, tl)
		}
		env.Start = env.End
	}
}

// One viewer on a 1 MB/s (8 Mbit/s) downlink starting at 0, segments of
// exactly 532 000 bytes:
//   - TCP connect: RTT = 20 ms;
//   - playlist at 20 ms: 20 ms RTT + 1 ms latency + 374 B / 1 MB/s -> 41.374 ms;
//     it lists up to segment 1000 (= 1000 + floor(0.02 s / 2 s));
//   - segments 998, 999, 1000 back to back (live start -3), each
//     21 ms + 0.532 s = 0.553 s: done at 594.374, 1147.374, 1700.374 ms;
//     playback starts at 594.374 ms;
//   - segment 1001 is not listed: FFmpeg sleeps in 100 ms steps until 2 s
//     after the last load (20 ms): wakes at 1700.374 + 400 = 2100.374 ms,
//     reloads (edge 1001), fetches 1001: done at 2100.374 + 21.374 + 553.
//
// At 3 s: 2 playlists, 4 segments, 8 s of media received, 2.405626 s played.
func TestViewerStartArithmetic(t *testing.T) {
	env := testEnv()
	var tl Tally
	var v Viewer
	v.Init(7, 1, &tl)
	v.Setup(0, 1_000_000, 0)
	assert.Equal(t, int32(1), tl.States[NotStarted])
	step(&v, env, &tl, 3*time.Second)
	v.Flush(3 * time.Second)
	s := v.Stats()
	require.NotNil(t, s)
	assert.Equal(t, int64(2), s.ManifestRequests.Load())
	assert.Equal(t, int64(4), s.SegmentRequests.Load())
	assert.Equal(t, int64(4*532_000+2*374), s.TotalBytes())
	assert.Equal(t, int64(4), tl.SegmentReqs, "the tally counts what the stats count")
	assert.Equal(t, Playing, v.State())
	assert.Equal(t, int32(1), tl.States[Playing])
	assert.Zero(t, tl.States[NotStarted]+tl.States[Starting])
	var hist []StateChange
	v.History(func(at time.Duration, st State) { hist = append(hist, StateChange{at, st}) })
	require.Len(t, hist, 2)
	assert.Equal(t, StateChange{0, Starting}, hist[0])
	assert.Equal(t, StateChange{594 * time.Millisecond, Playing}, hist[1], "ms resolution")
	assert.Equal(t, 8*time.Second-(3*time.Second-594374*time.Microsecond), v.Buffer(3*time.Second))
	assert.Equal(t, 594374*time.Microsecond, v.Drift(3*time.Second), "drift = startup delay")
	assert.InDelta(t, 8.0/3, v.AvgSpeed(3*time.Second), 1e-9, "FFmpeg-style: 8 s of media in 3 s")
	assert.Equal(t, 1.0, v.Speed())
	var seg stats.HistogramSnapshot
	var man stats.HistogramSnapshot
	var tcp stats.HistogramSnapshot
	s.LatencySnapshot(&seg, &man, &tcp)
	assert.InEpsilon(t, 0.553, seg.Quantile(0.5).Seconds(), stats.HistogramRelativeError)
	assert.InEpsilon(t, 0.021374, man.Quantile(1).Seconds(), stats.HistogramRelativeError)
	assert.InEpsilon(t, 0.020, tcp.Quantile(1).Seconds(), stats.HistogramRelativeError)
	refreshes, late, _, maxJitter := s.PlaylistRefreshes()
	assert.Equal(t, int64(1), refreshes)
	assert.Zero(t, late)
	// FFmpeg counts the reload interval from the end of the last load
	// (41.374 ms: connect 20 ms, then the playlist's 21.374 ms)
	assert.Equal(t, 59*time.Millisecond, maxJitter, "reload at 2100.374 ms, due at 2041.374 ms")
}

type StateChange struct {
	At    time.Duration
	State State
}

// A viewer that can never connect: 4 refused connects (1 + 3 retries) of
// one RTT each, then backoff 250 ms, restart, 4 connects, backoff 425 ms ...
func TestViewerRefusedBackoff(t *testing.T) {
	env := testEnv()
	env.Outage = OutageRefused
	var tl Tally
	var v Viewer
	v.Init(0, 1, &tl)
	v.Setup(0, 1_000_000, 0)
	step(&v, env, &tl, 2*time.Second)
	// 0..80 ms connects, backoff until 330, connects until 410, backoff 425 ms
	// until 835, connects until 915, backoff 722.5 ms until 1637.5, connects
	// until 1717.5, backoff 1228.25 ms
	assert.Equal(t, Backoff, v.State())
	assert.Equal(t, 4, v.Starts())
	assert.Equal(t, 1228250*time.Microsecond, v.LastBackoff())
	_, refused, _ := v.Stats().TCPConnects()
	assert.Equal(t, int64(16), refused)
	assert.Equal(t, int64(3), v.Stats().Reconnections.Load())
	assert.Equal(t, int64(3), tl.Reconnections)
	assert.Equal(t, int32(1), tl.States[Backoff])

	// reconnect disabled: the first exit stops the viewer
	env.Reconnect = false
	var w Viewer
	w.Init(1, 1, &tl)
	w.Setup(0, 1_000_000, 2*time.Second)
	step(&w, env, &tl, 3*time.Second)
	assert.Equal(t, Stopped, w.State())
	assert.Equal(t, Never, w.Wake())
}

// classOfRate agrees with a binary search over the floors, at the floors,
// just below and above them, and at random rates.
func TestClassOfMatchesFloors(t *testing.T) {
	ref := func(b float64) uint16 {
		lo, hi := 0, NumClasses-1
		if b < classFloor[0] {
			return 0
		}
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if classFloor[mid] <= b {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return uint16(lo)
	}
	for _, f := range classFloor[:NumClasses] {
		for _, b := range []float64{f, math.Nextafter(f, 0), math.Nextafter(f, math.Inf(1)), f * 1.01} {
			require.Equal(t, ref(b), classOfRate(b), "rate %v", b)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		b := math.Exp(r.Float64() * 40)
		require.Equal(t, ref(b), classOfRate(b), "rate %v", b)
	}
	assert.Equal(t, uint16(0), classOfRate(math.NaN()))
	assert.Equal(t, uint16(NumClasses-1), classOfRate(math.Inf(1)))
}

// A reload in flight that fails is retried at once, so its viewer's bound
// counts a playlist in the window; one that succeeds is followed by the next
// reload only half an interval later, so it counts that playlist alone. The
// result was drawn when the request went out, so it decides even in a
// window with no fault.
func TestBoundCountsTheRetryOfAFailedReload(t *testing.T) {
	env := testEnv()
	env.Start, env.End = 10*time.Second, 10*time.Second+200*time.Millisecond
	playlist := env.ManifestBytes + 1
	for _, c := range []struct {
		res  uint8
		want float64
	}{
		{resOK, playlist},   // the one in flight
		{resHTTP, playlist}, // its retry
		{resTimeout, playlist},
	} {
		o := OriginView{
			op: opManifest, res: c.res, flags: fConnected | fLoaded,
			reqStart: env.Start - 10*time.Millisecond, actEnd: env.Start + 11*time.Millisecond,
			lastLoad: env.Start - time.Second, knownEdge: SeqBase + 4, nextSeq: SeqBase + 5, cap: 1e6,
		}
		var d OriginDemand
		d.Reset()
		o.Bounds(env, env.Start, env.End, env.End, &d)
		assert.Equal(t, c.want, d.Fixed, "result %d", c.res)
	}
}

// A skipped segment (FFmpeg's "failed too many times, skipping") moves the
// timeline on by one segment from where playback stands, and only once
// playback has started. The viewer of TestViewerStartArithmetic has 8 s of
// media at 3 s with 2.405626 s played, so its buffer runs dry at
// 3 + 5.594374 s; one second later it skips a segment: it still stands at
// 8 s (drift 9.594374 - 8 = the startup delay + 1 s of stall) with 2 s of
// buffer. Skipped before its first segment, nothing is added.
func TestSkippedSegmentMovesTheTimelineOn(t *testing.T) {
	env, tl, v := startArithmeticViewer(3 * time.Second)
	now := 9594374 * time.Microsecond
	require.Zero(t, v.Buffer(now), "the buffer ran dry a second ago")
	v.skipSegment(env, tl, now)
	assert.Equal(t, 2*time.Second, v.Buffer(now))
	assert.Equal(t, 1594374*time.Microsecond, v.Drift(now))
	events, skipped := v.Stats().SequenceSkips()
	assert.Equal(t, [2]int64{1, 1}, [2]int64{events, skipped})

	env, tl, w := startArithmeticViewer(100 * time.Millisecond) // playlist loaded, first segment under way
	require.Equal(t, Starting, w.State())
	w.skipSegment(env, tl, 100*time.Millisecond)
	assert.Zero(t, w.media, "no media before playback starts")
}

// With a parser that drains nothing, a viewer's parser buffer (the real
// tool's -stats-buffer) fills and every later line is dropped: of the lines
// that reached the parser, all but the buffer's 50 are dropped (the stderr
// lines logged since the last report are read but not yet parsed, at most a
// few); the default buffer of 1000 holds 20 s of output.
func TestParseBufferDropsWhenFull(t *testing.T) {
	run := func(buffer float32) (read, dropped int64) {
		env := testEnv()
		env.ParseRate = 0
		env.ParseBuffer = buffer
		_, v := flushedViewer(env, 3, 20*time.Second)
		s := v.Stats()
		return s.ProgressLinesRead.Load() + s.StderrLinesRead.Load(), s.ProgressLinesDropped.Load() + s.StderrLinesDropped.Load()
	}
	read, dropped := run(50)
	assert.GreaterOrEqual(t, read, int64(20*ProgressLines), "20 reports")
	assert.LessOrEqual(t, dropped, read-50)
	assert.GreaterOrEqual(t, dropped, read-50-4, "all but the buffer and the lines since the last report")
	read, dropped = run(ParseBufferLines)
	assert.Less(t, read, int64(ParseBufferLines))
	assert.Zero(t, dropped)
}

// A viewer of two renditions (variant all) whose segment loads are the
// 532 000 bytes of TestViewerStartArithmetic, 3/4 and 1/4 per rendition,
// follows the same timeline (the same bytes at the same rate, the first
// playlist load 374 us longer) with two requests per load: at 3 s, 2
// reloads and 4 segment loads are 4 playlist and 8 segment requests,
// 4 x 532 000 + 4 x 374 bytes; the segment sizes are 399 000 and 133 000
// (mean 266 000), and each request has a latency.
func TestViewerOfTwoRenditions(t *testing.T) {
	env := testEnv()
	env.Cohorts[0].Renditions = 2
	env.Cohorts[0].Parts = []float64{0.75, 0.25}
	tl, v := flushedViewer(env, 7, 3*time.Second)
	s := v.Stats()
	require.NotNil(t, s)
	assert.Equal(t, int64(4), s.ManifestRequests.Load())
	assert.Equal(t, int64(8), s.SegmentRequests.Load())
	assert.Equal(t, int64(4*532_000+4*374), s.TotalBytes())
	assert.Equal(t, int64(8), tl.SegmentReqs)
	assert.Equal(t, int64(4), tl.ManifestReqs)
	assert.Equal(t, int64(266_000), s.GetAverageSegmentSize())
	assert.Equal(t, int64(8), tl.SegLatency.Count())
	assert.Equal(t, int64(4), tl.ManLatency.Count())
	var seg, man stats.HistogramSnapshot
	s.LatencySnapshot(&seg, &man, nil)
	assert.Equal(t, int64(8), seg.Count())
	assert.Equal(t, int64(4), man.Count())
	assert.Equal(t, Playing, v.State())
	// the same media; playback started 374 us later (the first load was two
	// playlists of 374 bytes at 1 MB/s), so 2.405252 s of it were played
	assert.Equal(t, 8*time.Second-2405252*time.Microsecond, v.Buffer(3*time.Second))
}
