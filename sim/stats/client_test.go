package stats

import (
	"fmt"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientStats_RecordHTTPError(t *testing.T) {
	type tc struct {
		name     string
		code     int
		wantCode int // key in GetHTTPErrors (0 = "other")
	}
	var tests []tc
	for code := 400; code <= 599; code++ {
		tests = append(tests, tc{fmt.Sprintf("%d", code), code, code})
	}
	tests = append(tests,
		tc{"399 (not error)", 399, 0},
		tc{"600 (invalid)", 600, 0},
		tc{"0 (invalid)", 0, 0},
		tc{"-1 (invalid)", -1, 0},
		tc{"200 (success)", 200, 0},
		tc{"1000 (invalid)", 1000, 0},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewClientStats(0)
			s.RecordHTTPError(tt.code)
			errs := s.GetHTTPErrors()
			assert.Equal(t, map[int]int64{tt.wantCode: 1}, errs)
			assert.Equal(t, int64(1), s.HTTPErrorTotal())
		})
	}
}

func TestClientStats_RecordHTTPError_Concurrent(t *testing.T) {
	s := NewClientStats(0)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.RecordHTTPError(404)
			s.RecordHTTPError(700)
			s.RecordHTTPError(400 + i) // 400..499
		}()
	}
	wg.Wait()
	errs := s.GetHTTPErrors()
	assert.Equal(t, int64(101), errs[404]) // 100 + the i=4 goroutine
	assert.Equal(t, int64(100), errs[0])
	assert.Len(t, errs, 101) // 400..499 and other
	assert.Equal(t, int64(300), s.HTTPErrorTotal())
}

func TestClientStats_GetHTTPErrors_AllCodes(t *testing.T) {
	s := NewClientStats(0)
	for code := 400; code <= 599; code++ {
		for k := 0; k <= code%3; k++ {
			s.RecordHTTPError(code)
		}
	}
	errs := s.GetHTTPErrors()
	require.Len(t, errs, 200)
	for code := 400; code <= 599; code++ {
		assert.Equal(t, int64(code%3+1), errs[code], "code %d", code)
	}
	_, hasOther := errs[0]
	assert.False(t, hasOther, "zero 'other' count must be left out")
}

func TestClientStats_GetHTTPErrors_ZeroCountsLeftOut(t *testing.T) {
	s := NewClientStats(0)
	assert.Empty(t, s.GetHTTPErrors())
	s.RecordHTTPError(503)
	s.RecordHTTPError(503)
	s.RecordHTTPError(302)
	assert.Equal(t, map[int]int64{503: 2, 0: 1}, s.GetHTTPErrors())
}

func TestClientStats_Counters(t *testing.T) {
	s := NewClientStats(7)
	assert.Equal(t, 7, s.ClientID)
	for i := 0; i < 3; i++ {
		s.IncrementManifestRequests()
	}
	for i := 0; i < 5; i++ {
		s.IncrementSegmentRequests()
	}
	s.IncrementInitRequests()
	s.IncrementUnknownRequests()
	s.IncrementUnknownRequests()
	s.RecordReconnection()
	s.RecordTimeout()
	s.RecordTimeout()
	assert.Equal(t, int64(3), s.ManifestRequests.Load())
	assert.Equal(t, int64(5), s.SegmentRequests.Load())
	assert.Equal(t, int64(1), s.InitRequests.Load())
	assert.Equal(t, int64(2), s.UnknownRequests.Load())
	assert.Equal(t, int64(1), s.Reconnections.Load())
	assert.Equal(t, int64(2), s.Timeouts.Load())
}

func TestClientStats_BytesAcrossRestarts(t *testing.T) {
	c := NewVirtualClock(0)
	s := NewClientStatsWithClock(1, c)
	s.OnProcessStart()
	s.UpdateCurrentBytes(1_000)
	s.UpdateCurrentBytes(2_500) // totals, not increments
	assert.Equal(t, int64(2_500), s.TotalBytes())
	s.OnProcessStart() // restart: the 2 500 bytes are carried
	assert.Equal(t, int64(2_500), s.TotalBytes())
	s.UpdateCurrentBytes(400)
	assert.Equal(t, int64(2_900), s.TotalBytes())
	s.AddBytes(100)
	assert.Equal(t, int64(3_000), s.TotalBytes())
	s.OnProcessStart()
	s.OnProcessStart()
	assert.Equal(t, int64(3_000), s.TotalBytes())
	assert.Equal(t, int64(4), s.ProcessStarts())
}

func TestClientStats_SegmentSizeRing(t *testing.T) {
	s := NewClientStats(0)
	assert.Equal(t, int64(0), s.GetAverageSegmentSize())
	s.RecordSegmentSize(100)
	s.RecordSegmentSize(200)
	s.RecordSegmentSize(301)
	assert.Equal(t, int64(200), s.GetAverageSegmentSize()) // 601/3 rounded down
	// 150 sizes 1..150: the ring keeps 51..150, mean (51+150)/2 = 100.5 -> 100
	s = NewClientStats(0)
	for i := int64(1); i <= 150; i++ {
		s.RecordSegmentSize(i)
	}
	assert.Equal(t, int64(100), s.GetAverageSegmentSize())
	// 1 282 000 bytes = (5000+128) kbps * 2 s / 8
	s = NewClientStats(0)
	for i := 0; i < 250; i++ {
		s.RecordSegmentSize((5000 + 128) * 1000 * 2 / 8)
	}
	assert.Equal(t, int64(1_282_000), s.GetAverageSegmentSize())
	s.RecordSegmentSize(-5) // stored as 0: not counted, as in the real tool
	s.RecordSegmentSize(1 << 40)
	assert.Equal(t, int64((98*1_282_000+(1<<32-1))/99), s.GetAverageSegmentSize())
	// zero-sized segments are not counted: (0+0+300)/1
	s = NewClientStats(0)
	s.RecordSegmentSize(0)
	s.RecordSegmentSize(0)
	s.RecordSegmentSize(300)
	assert.Equal(t, int64(300), s.GetAverageSegmentSize())
}

func TestClientStats_SegmentSizeRing_Concurrent(t *testing.T) {
	s := NewClientStats(0)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				s.RecordSegmentSize(1000)
				_ = s.GetAverageSegmentSize()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1000), s.GetAverageSegmentSize())
}

// speedStep is one step of a clock-driven speed scenario.
type speedStep struct {
	advance time.Duration // clock advance before the action
	speed   float64       // speed to record; NaN-free, <0 means "no update"
	restart bool          // call OnProcessStart instead
	stalled bool          // expected IsStalled after the step
	reading bool          // expected HasSpeed after the step
}

func TestClientStats_StallDetection(t *testing.T) {
	tests := []struct {
		name  string
		steps []speedStep
	}{
		{"first reading already slow stalls after 5s", []speedStep{
			{0, 0.5, false, false, true},
			{5 * time.Second, -1, false, false, true}, // exactly 5 s: not yet
			{time.Millisecond, -1, false, true, true},
		}},
		{"speed 0 means no progress and stalls", []speedStep{
			{0, 1.2, false, false, true},
			{time.Second, 0, false, false, true},
			{5*time.Second + 1, 0, false, true, true},
			{time.Second, 0, false, true, true}, // repeated 0 keeps the stall
		}},
		{"recovery clears the stall", []speedStep{
			{0, 0.2, false, false, true},
			{6 * time.Second, 0.3, false, true, true},
			{0, 0.95, false, false, true},
			{10 * time.Second, 0.95, false, false, true},
		}},
		{"slow readings keep the first slow reading's start", []speedStep{
			{0, 0.8, false, false, true},
			{3 * time.Second, 0.7, false, false, true},
			{3 * time.Second, 0.6, false, true, true},
		}},
		{"0.9 is not slow", []speedStep{
			{0, 0.9, false, false, true},
			{time.Minute, -1, false, false, true},
		}},
		{"no reading is not stalled; restart clears", []speedStep{
			{time.Minute, -1, false, false, false},
			{0, 0.1, false, false, true},
			{6 * time.Second, -1, false, true, true},
			{0, 0, true, false, false},
			{time.Minute, -1, false, false, false},
			{0, 0.1, false, false, true},
			{5*time.Second + 1, -1, false, true, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewVirtualClock(time.Hour)
			s := NewClientStatsWithClock(1, c)
			for i, st := range tt.steps {
				c.Advance(st.advance)
				switch {
				case st.restart:
					s.OnProcessStart()
				case st.speed >= 0:
					s.UpdateSpeed(st.speed)
				}
				assert.Equal(t, st.stalled, s.IsStalled(), "step %d stalled", i)
				assert.Equal(t, st.reading, s.HasSpeed(), "step %d reading", i)
				if st.speed >= 0 && !st.restart {
					assert.Equal(t, st.speed, s.GetSpeed(), "step %d speed", i)
				}
			}
		})
	}
}

func TestClientStats_UpdateSpeedInvalidIsZero(t *testing.T) {
	s := NewClientStats(0)
	assert.False(t, s.HasSpeed())
	assert.Equal(t, 0.0, s.GetSpeed())
	s.UpdateSpeed(-3)
	assert.True(t, s.HasSpeed())
	assert.Equal(t, 0.0, s.GetSpeed())
}

func TestClientStats_DriftRebasedOnRestart(t *testing.T) {
	c := NewVirtualClock(0)
	s := NewClientStatsWithClock(1, c)
	s.OnProcessStart()
	c.Advance(10 * time.Second)
	s.UpdateDrift(9_500_000) // played 9.5 s in 10 s
	assert.Equal(t, 500*time.Millisecond, currentDrift(s))
	c.Advance(20 * time.Second)
	s.UpdateDrift(23_000_000) // 30 s wall, 23 s played
	assert.Equal(t, 7*time.Second, currentDrift(s))
	assert.True(t, s.HasHighDrift())
	assert.Equal(t, 7*time.Second, maxDrift(s))

	c.Advance(3 * time.Second) // backoff
	s.OnProcessStart()
	assert.Equal(t, time.Duration(0), currentDrift(s), "no reading after restart")
	assert.False(t, s.HasHighDrift())
	c.Advance(4 * time.Second)
	s.UpdateDrift(3_800_000) // new process: 4 s wall, 3.8 s played
	assert.Equal(t, 200*time.Millisecond, currentDrift(s))
	assert.False(t, s.HasHighDrift())
	assert.Equal(t, 7*time.Second, maxDrift(s), "max drift is the lifetime maximum")

	c.Advance(time.Second)
	s.UpdateDrift(5_500_000) // ahead of wall time: negative drift
	assert.Equal(t, -500*time.Millisecond, currentDrift(s))
}

// A process that exits (the client backs off, or stops for good) leaves no
// speed, stall or drift reading behind and the client is not active until
// it starts again; its counters and bytes stay.
func TestClientStats_ProcessExit(t *testing.T) {
	c, a, cs := newVirtualSwarm(3)
	for _, s := range cs {
		s.OnProcessStart()
		s.AddBytes(1000)
		s.IncrementSegmentRequests()
	}
	cs[0].UpdateSpeed(1.0)
	cs[1].UpdateSpeed(0.5) // slow: stalled after 5 s
	cs[1].UpdateDrift(0)
	c.Advance(6 * time.Second)
	require.True(t, cs[1].IsStalled())
	st := a.Aggregate()
	assert.Equal(t, 3, st.ActiveClients)
	assert.Equal(t, 1, st.StalledClients)

	cs[1].OnProcessExit()
	assert.False(t, cs[1].IsRunning())
	assert.False(t, cs[1].HasSpeed())
	assert.Zero(t, cs[1].GetSpeed())
	assert.False(t, cs[1].IsStalled())
	assert.False(t, cs[1].GetSummary().HasSpeed)
	assert.Equal(t, int64(1000), cs[1].TotalBytes(), "bytes stay")
	st = a.Aggregate()
	assert.Equal(t, 3, st.TotalClients)
	assert.Equal(t, 2, st.ActiveClients)
	assert.Zero(t, st.StalledClients)
	assert.Equal(t, 1, st.ClientsAboveRealtime)
	assert.Zero(t, st.ClientsBelowRealtime)
	assert.Equal(t, 1, st.ClientsNoReading, "client 2, running without a reading")
	assert.Equal(t, 1.0, st.AverageSpeed, "the exited client's 0.5 is gone")
	assert.Zero(t, st.AverageDrift)
	assert.Equal(t, int64(3), st.TotalSegmentReqs)
	assert.Equal(t, int64(3000), st.TotalBytes)

	cs[1].OnProcessStart() // restarts: active again, no reading yet
	assert.True(t, cs[1].IsRunning())
	st = a.Aggregate()
	assert.Equal(t, 3, st.ActiveClients)
	assert.Equal(t, 2, st.ClientsNoReading)
	assert.Equal(t, int64(3000), st.TotalBytes, "bytes carried into the new process")
}

func TestClientStats_DropRates(t *testing.T) {
	s := NewClientStats(0)
	assert.Equal(t, 0.0, s.CurrentDropRate())
	assert.False(t, s.MetricsDegraded(0))
	s.RecordDroppedLines(900, 27, 100, 3) // 30/1000 = 3 %
	assert.InDelta(t, 0.03, s.CurrentDropRate(), 1e-12)
	assert.InDelta(t, 0.03, s.GetPeakDropRate(), 1e-12)
	assert.True(t, s.MetricsDegraded(0.01))  // 1 %
	assert.False(t, s.MetricsDegraded(0.05)) // 5 %
	s.RecordDroppedLines(1900, 27, 100, 3)   // 30/2000 = 1.5 %
	assert.InDelta(t, 0.015, s.CurrentDropRate(), 1e-12)
	assert.InDelta(t, 0.03, s.GetPeakDropRate(), 1e-12, "peak stays")
	assert.Equal(t, int64(1900), s.ProgressLinesRead.Load())
	assert.Equal(t, int64(27), s.ProgressLinesDropped.Load())
	assert.Equal(t, int64(100), s.StderrLinesRead.Load())
	assert.Equal(t, int64(3), s.StderrLinesDropped.Load())
}

func TestClientStats_UptimeFollowsClock(t *testing.T) {
	c := NewVirtualClock(42 * time.Second)
	s := NewClientStatsWithClock(3, c)
	assert.Equal(t, VirtualEpoch.Add(42*time.Second), s.StartTime)
	assert.Equal(t, time.Duration(0), s.Uptime())
	c.Advance(90 * time.Second)
	assert.Equal(t, 90*time.Second, s.Uptime())
	s.OnProcessStart()
	c.Advance(10 * time.Second)
	assert.Equal(t, 100*time.Second, s.Uptime(), "uptime counts from the client's start, not the process's")
}

func TestClientStats_PlaylistSkipsTCP(t *testing.T) {
	s := NewClientStats(0)
	s.RecordPlaylistRefresh(10*time.Millisecond, false)
	s.RecordPlaylistRefresh(-30*time.Millisecond, true)
	s.RecordPlaylistRefresh(20*time.Millisecond, true)
	r, late, avg, mx := s.PlaylistRefreshes()
	assert.Equal(t, int64(3), r)
	assert.Equal(t, int64(2), late)
	assert.Equal(t, 20*time.Millisecond, avg)
	assert.Equal(t, 30*time.Millisecond, mx)

	s.RecordSequenceSkip(4)
	s.RecordSequenceSkip(1)
	s.RecordSequenceSkip(0)
	ev, sk := s.SequenceSkips()
	assert.Equal(t, int64(2), ev)
	assert.Equal(t, int64(5), sk)

	s.RecordTCPConnect(time.Millisecond, TCPSuccess)
	s.RecordTCPConnect(2*time.Millisecond, TCPSuccess)
	s.RecordTCPConnect(time.Millisecond, TCPRefused)
	s.RecordTCPConnect(15*time.Second, TCPTimeout)
	s.RecordTCPConnect(15*time.Second, TCPTimeout)
	ok, ref, to := s.TCPConnects()
	assert.Equal(t, [3]int64{2, 1, 2}, [3]int64{ok, ref, to})
	assert.Equal(t, "refused", TCPRefused.String())
}

func TestClientStats_SummaryAndLatency(t *testing.T) {
	c := NewVirtualClock(0)
	s := NewClientStatsWithClock(9, c)
	s.OnProcessStart()
	for i := 1; i <= 100; i++ {
		s.RecordSegmentLatency(time.Duration(i) * time.Millisecond)
	}
	s.RecordManifestLatency(time.Millisecond)
	s.IncrementSegmentRequests()
	s.RecordHTTPError(404)
	s.UpdateCurrentBytes(1234)
	s.UpdateSpeed(1.5)
	c.Advance(8 * time.Second)
	s.UpdateDrift(1_000_000)

	sum := s.GetSummary()
	assert.Equal(t, 9, sum.ClientID)
	assert.Equal(t, 8*time.Second, sum.Uptime)
	assert.Equal(t, int64(1234), sum.TotalBytes)
	assert.Equal(t, int64(1), sum.SegmentRequests)
	assert.Equal(t, map[int]int64{404: 1}, sum.HTTPErrors)
	assert.Equal(t, int64(100), sum.SegmentLatencyCount)
	assertWithin(t, 50*time.Millisecond, sum.SegmentLatencyP50)
	assertWithin(t, 95*time.Millisecond, sum.SegmentLatencyP95)
	assertWithin(t, 99*time.Millisecond, sum.SegmentLatencyP99)
	assertWithin(t, 100*time.Millisecond, sum.SegmentLatencyMax)
	assert.Equal(t, int64(1), sum.ManifestLatencyCount)
	assertWithin(t, time.Millisecond, sum.ManifestLatencyP99)
	assert.True(t, sum.HasSpeed)
	assert.Equal(t, 1.5, sum.CurrentSpeed)
	assert.False(t, sum.IsStalled)
	assert.Equal(t, 7*time.Second, sum.CurrentDrift)
	assert.True(t, sum.HasHighDrift)
	assert.Equal(t, int64(1), sum.ProcessStarts)
}

// assertWithin checks got is within HistogramRelativeError of want.
func assertWithin(t *testing.T, want, got time.Duration, msg ...any) {
	t.Helper()
	assert.InDelta(t, float64(want), float64(got), float64(want)*HistogramRelativeError+0.5, msg...)
}

func TestClientStats_SizeBudget(t *testing.T) {
	// A client is two allocations: ClientStats (2048-byte size class: the
	// counters, 26 inline latency slots, the 201 HTTP error counters) and
	// its segment-size ring (416): 2464 bytes, under the 2.5 KB budget.
	assert.LessOrEqual(t, unsafe.Sizeof(ClientStats{}), uintptr(2048))
	assert.LessOrEqual(t, unsafe.Sizeof(clientCold{}), uintptr(416))
	// Aggregate reads the first four cache lines of a client only (the
	// error counters when its flags say so).
	assert.GreaterOrEqual(t, unsafe.Offsetof(ClientStats{}.errMask), uintptr(384))
	// The fields every Aggregate reads are in the first 128 bytes, the
	// latency header and the first slots in the next cache line.
	var s ClientStats
	for name, off := range map[string]uintptr{
		"ManifestRequests": unsafe.Offsetof(s.ManifestRequests), "belowSince": unsafe.Offsetof(s.belowSince),
		"Timeouts": unsafe.Offsetof(s.Timeouts), "flags": unsafe.Offsetof(s.flags),
		"processStart": unsafe.Offsetof(s.processStart), "jitterMax": unsafe.Offsetof(s.jitterMax),
	} {
		assert.Less(t, off, uintptr(128), name)
	}
	assert.Equal(t, uintptr(128), unsafe.Offsetof(s.latency))
	assert.Equal(t, uintptr(128+128), unsafe.Offsetof(s.sequenceSkips))
}

func TestClientStats_ZeroValueDoesNotPanic(t *testing.T) {
	var s ClientStats
	s.RecordHTTPError(404)
	s.RecordSegmentSize(10)
	s.UpdateSpeed(0.5)
	s.UpdateDrift(0)
	s.OnProcessStart()
	assert.Equal(t, map[int]int64{404: 1}, s.GetHTTPErrors())
	assert.Equal(t, int64(10), s.GetAverageSegmentSize())
	assert.Equal(t, RealClock{}, s.Clock())
	var empty ClientStats
	assert.Empty(t, empty.GetHTTPErrors())
}

func TestVirtualClock(t *testing.T) {
	c := NewVirtualClock(time.Second)
	assert.Equal(t, VirtualEpoch.Add(time.Second), c.Now())
	assert.Equal(t, VirtualEpoch.Add(3*time.Second), c.Advance(2*time.Second))
	assert.Equal(t, 3*time.Second, c.Elapsed())
	c.Set(time.Minute)
	assert.Equal(t, VirtualEpoch.Add(time.Minute), c.Now())
	var z VirtualClock
	assert.Equal(t, VirtualEpoch, z.Now())
	var rc Clock = RealClock{}
	assert.False(t, rc.Now().IsZero())
}

// A zero-value ClientStats (no segment ring, no errors) adds no HTTP errors and does not
// panic, whatever its flags say.
func TestAddHTTPErrorsToZeroValue(t *testing.T) {
	var s ClientStats
	s.flags.Store(flagErrors)
	var dst AggregatedStats
	assert.NotPanics(t, func() { assert.Zero(t, s.addHTTPErrorsTo(&dst)) })
	assert.Equal(t, AggregatedStats{}, dst)
	a := NewStatsAggregatorWithClock(0, NewVirtualClock(0))
	a.AddClient(&s)
	assert.NotPanics(t, func() { a.Aggregate() })
}

func currentDrift(s *ClientStats) time.Duration { d, _ := s.GetDrift(); return d }
func maxDrift(s *ClientStats) time.Duration     { _, m := s.GetDrift(); return m }

// The real tool's rules for the drop threshold and the playback position.
func TestClientStats_RealToolRules(t *testing.T) {
	s := NewClientStats(0)
	s.RecordDroppedLines(1000, 1, 0, 0) // 0.1 %
	assert.True(t, s.MetricsDegraded(0), "a threshold of 0: any drop degrades")
	assert.False(t, s.MetricsDegraded(0.01))
	assert.True(t, s.MetricsDegraded(0.0005))
	assert.False(t, NewClientStats(1).MetricsDegraded(0), "no lines, no drops")

	c := NewVirtualClock(0)
	s = NewClientStatsWithClock(1, c)
	s.OnProcessStart()
	c.Advance(3 * time.Second)
	s.UpdateDrift(0) // no output yet: ignored
	s.UpdateDrift(-5)
	cur, peak := s.GetDrift()
	assert.Zero(t, cur)
	assert.Zero(t, peak)
	assert.Zero(t, s.FFmpegSpeed(), "no reading")
	s.UpdateDrift(4_000_000) // 1 s ahead of the clock
	cur, peak = s.GetDrift()
	assert.Equal(t, -time.Second, cur)
	assert.Zero(t, peak, "a negative drift never becomes the maximum")
	s.UpdateDrift(2_000_000)
	cur, peak = s.GetDrift()
	assert.Equal(t, time.Second, cur)
	assert.Equal(t, time.Second, peak)
}
