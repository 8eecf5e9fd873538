package stats

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cumulativeTotals picks the cumulative fields of a snapshot: the ones
// RemoveClient must not change.
func cumulativeTotals(s *AggregatedStats) map[string]any {
	return map[string]any{
		"manifest": s.TotalManifestReqs, "segment": s.TotalSegmentReqs,
		"init": s.TotalInitReqs, "unknown": s.TotalUnknownReqs, "bytes": s.TotalBytes,
		"httpErrors": s.TotalHTTPErrors, "httpTotal": s.HTTPErrorsTotal,
		"reconnections": s.TotalReconnections, "timeouts": s.TotalTimeouts,
		"processStarts": s.TotalProcessStarts, "restarts": s.TotalProcessRestarts,
		"errorRate": s.ErrorRate,
		"linesRead": s.TotalLinesRead, "linesDropped": s.TotalLinesDropped,
		"stderrRead": s.StderrLinesRead, "stderrDropped": s.StderrLinesDropped,
		"tcpCount": s.TCPConnectCount, "tcpSuccess": s.TCPConnectSuccess,
		"tcpRefused": s.TCPConnectRefused, "tcpTimeout": s.TCPConnectTimeout,
		"tcpAvg": s.TCPConnectAvg, "refreshes": s.PlaylistRefreshes,
		"late": s.PlaylistLateCount, "jitterAvg": s.PlaylistJitterAvg,
		"jitterMax": s.PlaylistJitterMax, "skips": s.SequenceSkips,
		"skipped": s.SkippedSequences,
		"segP50":  s.SegmentLatencyP50, "segP99": s.SegmentLatencyP99,
		"segCount": s.SegmentLatencyCount, "manCount": s.ManifestLatencyCount,
		"segHist": s.SegmentLatencyHist, "manHist": s.ManifestLatencyHist,
		"tcpHist": s.TCPConnectLatencyHist,
	}
}

// RemoveClient retires a client's totals: the cumulative figures of the
// snapshot stay the same, while client counts and gauges drop the client.
func TestRemoveClient_RetiresTotals(t *testing.T) {
	c, a, cs := newVirtualSwarm(60)
	randomActivity(c, cs, 21)
	before := a.Aggregate()
	require.Positive(t, before.HTTPErrorsTotal)
	require.Positive(t, before.TCPConnectRefused+before.TCPConnectTimeout)
	require.Positive(t, before.SequenceSkips)
	require.Positive(t, before.TotalLinesRead)
	require.Positive(t, before.TotalProcessRestarts)

	removed := 0
	for _, s := range cs {
		if s.ClientID%3 != 0 {
			a.RemoveClient(s.ClientID)
			removed++
		}
	}
	a.RemoveClient(1) // already removed: nothing retired twice
	after := a.Aggregate()
	assert.Equal(t, cumulativeTotals(before), cumulativeTotals(after))
	assert.Equal(t, 60-removed, after.TotalClients)
	assert.Equal(t, removed, after.RemovedClients, "counted once each")
	assert.Equal(t, after.ActiveClients, after.ClientsAboveRealtime+after.ClientsBelowRealtime+after.ClientsNoReading)
	assert.LessOrEqual(t, after.ClientsWithDrops, before.ClientsWithDrops)
	assert.Equal(t, int64(60-removed), after.UptimeHist.Count(), "uptime is a gauge of registered clients")

	// more activity on a remaining client adds on top of the retired totals
	cs[0].IncrementSegmentRequests()
	cs[0].AddBytes(1000)
	more := a.Aggregate()
	assert.Equal(t, before.TotalSegmentReqs+1, more.TotalSegmentReqs)
	assert.Equal(t, before.TotalBytes+1000, more.TotalBytes)

	// removing everyone keeps the totals; Reset clears them
	for _, s := range cs {
		a.RemoveClient(s.ClientID)
	}
	empty := a.Aggregate()
	assert.Zero(t, empty.TotalClients)
	assert.Equal(t, before.TotalSegmentReqs+1, empty.TotalSegmentReqs)
	assert.Equal(t, before.SegmentLatencyHist, empty.SegmentLatencyHist)
	a.Reset()
	c.Advance(time.Second)
	reset := a.Aggregate()
	assert.Zero(t, reset.TotalSegmentReqs)
	assert.Zero(t, reset.TotalBytes)
	assert.Zero(t, reset.HTTPErrorsTotal)
	assert.Zero(t, reset.SegmentLatencyCount)
}

// A snapshot with retired clients is taken without allocations too.
func TestAggregateInto_NoAllocationsWithRetired(t *testing.T) {
	c, a, cs := newVirtualSwarm(100)
	randomActivity(c, cs, 9)
	for i := 0; i < 100; i += 2 {
		a.RemoveClient(i)
	}
	var dst AggregatedStats
	a.AggregateInto(&dst, AggregateOptions{})
	require.Positive(t, dst.SegmentLatencyCount)
	allocs := testing.AllocsPerRun(20, func() { a.AggregateInto(&dst, AggregateOptions{}) })
	assert.Equal(t, 0.0, allocs)
}

// MaxDrift is the largest drift of any client the aggregator has seen, as
// PeakDropRate is the worst client's peak: removing the client that had it
// changes neither (the real tool never removes clients, so both only grow).
func TestRemoveClient_KeepsMaxDriftAndPeakDropRate(t *testing.T) {
	c, a, cs := newVirtualSwarm(2)
	for _, s := range cs {
		s.OnProcessStart()
	}
	c.Advance(20 * time.Second)
	cs[0].UpdateDrift(int64(10 * time.Second / time.Microsecond)) // 20 s - 10 s = 10 s behind
	cs[1].UpdateDrift(int64(19 * time.Second / time.Microsecond)) // 1 s behind
	cs[0].RecordDroppedLines(100, 50, 0, 0)                       // a 50 % drop rate
	before := a.Aggregate()
	require.Equal(t, 10*time.Second, before.MaxDrift)
	require.Equal(t, 0.5, before.PeakDropRate)

	a.RemoveClient(0)
	after := a.Aggregate()
	assert.Equal(t, 10*time.Second, after.MaxDrift, "the removed client's drift stays the largest seen")
	assert.Equal(t, 0.5, after.PeakDropRate)
	assert.Equal(t, time.Second, after.AverageDrift, "gauges cover the registered client only")
}
