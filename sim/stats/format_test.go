package stats

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatHelpers(t *testing.T) {
	durations := []struct {
		in   time.Duration
		want string
	}{
		{0, "0ms"}, {850 * time.Millisecond, "850ms"}, {12500 * time.Millisecond, "12.5s"},
		{3*time.Minute + 4*time.Second, "3m04s"}, {2*time.Hour + 3*time.Minute + 4*time.Second, "2h03m04s"},
		{-1500 * time.Millisecond, "-1.5s"},
	}
	for _, d := range durations {
		assert.Equal(t, d.want, FormatDuration(d.in), "%v", d.in)
	}
	numbers := []struct {
		in   int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"}, {100000, "100,000"}}
	for _, n := range numbers {
		assert.Equal(t, n.want, FormatNumber(n.in))
	}
	bytes := []struct {
		in   int64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1000, "1.00 KB"}, {1_282_000, "1.28 MB"}, {205_000_000, "205.00 MB"}, {3_000_000_000_000, "3.00 TB"}, {-2000, "-2.00 KB"}}
	for _, b := range bytes {
		assert.Equal(t, b.want, FormatBytes(b.in))
	}
	assert.Equal(t, "12.35ms", FormatMs(12345*time.Microsecond))
	assert.Equal(t, "0.50ms", FormatMs(500*time.Microsecond))
	assert.Equal(t, "25.0/s", FormatRate(25))
	assert.Equal(t, "HTTP 503 Service Unavailable", HTTPErrorLabel(503))
	assert.Equal(t, "HTTP 404 Not Found", HTTPErrorLabel(404))
	assert.Equal(t, "HTTP 599", HTTPErrorLabel(599))
	assert.Equal(t, "HTTP other (outside 400-599)", HTTPErrorLabel(0))
}

// Per-client figures divide the totals, which include the clients that
// left, by every client that took part.
func TestFormatExitSummaryPerClientIncludesLeavers(t *testing.T) {
	_, a, cs := newVirtualSwarm(4)
	for _, s := range cs {
		s.OnProcessStart()
		for range 10 {
			s.IncrementSegmentRequests()
		}
	}
	a.RemoveClient(3)
	st := a.Aggregate()
	require.Equal(t, int64(40), st.TotalSegmentReqs)
	out := FormatExitSummary(st, SummaryConfig{})
	assert.Contains(t, out, "3 (1 left during the run)")
	assert.Regexp(t, `Segments \(\.ts\)\s+40\s+\S+\s+10\n`, out, "40 segments / 4 clients")
}

var updateSummary = flag.Bool("update-summary", false, "rewrite sim/stats/testdata/exit-summary.golden")

// The exit summary of a small swarm, every figure of it worked out by
// hand, in the real tool's layout followed by swarmsim's sections
// (testdata/exit-summary.golden; -update-summary rewrites it).
func TestFormatExitSummary(t *testing.T) {
	c, a, cs := newVirtualSwarm(4)
	for i, s := range cs {
		if i != 3 { // never starts
			s.OnProcessStart()
		}
		s.IncrementManifestRequests()
		s.IncrementSegmentRequests()
		s.IncrementSegmentRequests()
		s.AddBytes(1_282_000)
		s.RecordSegmentLatency(40 * time.Millisecond)
		s.RecordManifestLatency(time.Millisecond)
	}
	cs[0].RecordHTTPError(503)
	cs[0].RecordHTTPError(503)
	cs[1].RecordHTTPError(404)
	cs[2].RecordHTTPError(302)
	cs[3].RecordTimeout()
	cs[3].IncrementUnknownRequests()
	cs[3].RecordDroppedLines(100, 10, 0, 0)
	cs[0].OnProcessStart() // two restarts: 5 starts, 2 restarts
	cs[0].OnProcessStart()
	cs[0].UpdateSpeed(1.0)
	cs[1].UpdateSpeed(0.5)
	c.Advance(10 * time.Second)
	cs[0].UpdateDrift(9_000_000) // 1 s behind
	cs[1].UpdateDrift(3_000_000) // 7 s behind
	st := new(AggregatedStats)
	a.AggregateInto(st, AggregateOptions{PerClientSummaries: true})

	out := FormatExitSummary(st, SummaryConfig{
		TargetClients: 5, Duration: 10 * time.Second, MetricsAddr: "127.0.0.1:9100",
		ShowPerClientStats: true, ExitCodes: map[int]int{1: 2, 0: 3, 137: 1, 255: 1},
	})
	for _, want := range []string{
		"⚠️  METRICS DEGRADED", "    Lines dropped: 10 across 1 clients",
		"Run Duration:           00:00:10\n",
		"  Manifest (.m3u8)                4          0.4            1\n", // 4 / 10 s; 4 / 4 clients
		"  Segments (.ts)                  8          0.8            2\n",
		"  Total Bytes:          5.13 MB  (512.80 KB/s)", // 4 x 1.282 MB over 10 s
		"  >= 1.0x (healthy):    1 (50%)", "  < 1.0x (buffering):   1 (50%)",
		"  Average Speed:        0.60x", // FFmpeg's: (9/10 + 3/10) / 2
		"  Max Drift:            7000 ms", "  High Drift Clients:   1 (>5s)",
		"  Total Starts:         5", "  Total Restarts:       2",
		"  HTTP Other:            1\n  HTTP 404:               1\n  HTTP 503:               2\n",
		"  Timeouts:             1", "  Error Rate:           41.6667%", // (4 + 1) / 12
		"    0 (clean)          3", "    1 (error)          2", "  137 (SIGKILL)        1", "  255                  1",
		"[2] Unknown URL requests: 1", "[3] Peak metrics drop rate: 10.0%",
		"Metrics endpoint was: http://127.0.0.1:9100/metrics",
		"Latency (merged over all clients)", "Average speed (instantaneous):   0.75x", // (1 + 0.5) / 2
	} {
		assert.Contains(t, out, want)
	}
	golden := filepath.Join("testdata", "exit-summary.golden")
	if *updateSummary {
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), out)

	quiet := FormatExitSummary(&AggregatedStats{}, SummaryConfig{})
	assert.NotContains(t, quiet, "METRICS DEGRADED")
	assert.NotContains(t, quiet, "Exit Codes")
	assert.NotContains(t, quiet, "Errors\n", "no errors, no section (the real tool's rule)")
	assert.Contains(t, FormatExitSummary(nil, SummaryConfig{TargetClients: 3}), "Target Clients:         3\n\n(Stats collection was disabled")
	assert.Equal(t, "(SIGTERM)", exitCodeLabel(143))
	assert.Empty(t, renderFootnotes(&AggregatedStats{}))
}
