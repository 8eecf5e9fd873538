package stats

import (
	"fmt"
	"strings"
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
	assert.Regexp(t, `Segment\s+40\s+\S+\s+10\.0`, out, "40 segments / 4 clients")
}

func TestFormatExitSummary(t *testing.T) {
	c, a, cs := newVirtualSwarm(4)
	for i, s := range cs {
		if i != 3 { // never starts: restarts are not starts - clients
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
	cs[3].RecordDroppedLines(100, 10, 0, 0)
	cs[0].OnProcessStart() // two restarts: 5 starts, 2 restarts
	cs[0].OnProcessStart()
	cs[0].UpdateSpeed(1.0)
	cs[1].UpdateSpeed(0.5)
	c.Advance(10 * time.Second)
	st := new(AggregatedStats)
	a.AggregateInto(st, AggregateOptions{PerClientSummaries: true})

	out := FormatExitSummary(st, SummaryConfig{
		TargetClients: 5, Duration: 10 * time.Second, MetricsAddr: "127.0.0.1:9100",
		ShowPerClientStats: true, ExitCodes: map[int]int{1: 2, 0: 3, 137: 1},
	})
	order := []string{
		"WARNING: metrics degraded", "Run", "Target clients:", "5", "127.0.0.1:9100",
		"Request Statistics", "Manifest", "Segment", "Init", "Unknown",
		"Total bytes:", "5.13 MB", "Throughput:", "512.80 KB/s",
		"Latency", "Segment", "40.",
		"Playback Health", "At/above real time (>= 1.0x):", "1 (25.00%)", "Below real time (< 1.0x):", "1 (25.00%)",
		"No speed reading yet:", "2 (50.00%)", "Stalled",
		"Uptime Distribution", "Lifecycle", "Process starts:", "5", "Restarts:", "2",
		"Errors", "HTTP 404 Not Found:", "1", "HTTP 503 Service Unavailable:", "2", "HTTP other (outside 400-599):", "1",
		"Timeouts:", "1", "Reconnections:", "Error rate:", "41.67% (Critical)",
		"Exit Codes", "Exit code 0:", "3", "Exit code 1:", "2", "Exit code 137:", "1",
		"Pipeline Health", "Per Client", "Footnotes",
	}
	rest := out
	for _, want := range order {
		i := strings.Index(rest, want)
		require.GreaterOrEqual(t, i, 0, "missing %q (in order) in:\n%s", want, out)
		rest = rest[i+len(want):]
	}
	// 2 segments + 1 manifest per client: rate 12 requests / 10 s;
	// error rate (4 HTTP + 1 timeout) / 12 requests = 41.67 %
	assert.Contains(t, out, "0.8/s") // 8 segments / 10 s
	// the footnote states the histogram's bound, 1/128 = 0.78 %
	assert.Contains(t, out, fmt.Sprintf("relative error <= 1/128 = %.2f%%", HistogramRelativeError*100))

	quiet := FormatExitSummary(&AggregatedStats{}, SummaryConfig{})
	assert.NotContains(t, quiet, "WARNING")
	assert.NotContains(t, quiet, "Exit Codes")
	assert.Contains(t, quiet, "HTTP errors:")
	assert.Contains(t, FormatExitSummary(nil, SummaryConfig{}), "Request Statistics")
}
