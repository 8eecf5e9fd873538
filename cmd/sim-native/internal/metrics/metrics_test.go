package metrics

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/stats"
)

// allNames are the metric names of the real tool (hls-swarm-facts.md).
var allNames = []string{"target_clients", "active_clients", "ramp_progress", "test_elapsed_seconds",
	"manifest_requests_total", "segment_requests_total", "init_requests_total",
	"unknown_requests_total", "bytes_downloaded_total", "manifest_requests_per_second",
	"segment_requests_per_second", "throughput_bytes_per_second", "clients_above_realtime",
	"clients_below_realtime", "stalled_clients", "average_speed", "high_drift_clients",
	"average_drift_seconds", "max_drift_seconds", "http_errors_total", "timeouts_total",
	"reconnections_total", "client_starts_total", "client_restarts_total", "error_rate",
	"stats_lines_dropped_total", "stats_lines_parsed_total", "stats_drop_rate",
	"stats_peak_drop_rate", "client_uptime_seconds"}

func snapshot(at time.Duration, segments int64) *stats.AggregatedStats {
	s := &stats.AggregatedStats{
		Timestamp:          stats.VirtualEpoch.Add(at),
		Elapsed:            at,
		TotalClients:       40,
		ActiveClients:      40,
		StalledClients:     3,
		TotalManifestReqs:  2 * segments,
		TotalSegmentReqs:   segments,
		TotalBytes:         segments * 1000,
		ErrorRate:          0.02,
		AverageSpeed:       0.97,
		MaxDrift:           2500 * time.Millisecond,
		TotalProcessStarts: 45,
		// not starts - clients (5): clients that left keep their first
		// starts in the totals
		TotalProcessRestarts: 3,
	}
	s.TotalHTTPErrors.Add(503, 7)
	s.TotalHTTPErrors.Add(404, 2)
	s.UptimeHist.Record(3 * time.Second)
	s.UptimeHist.Record(90 * time.Second)
	return s
}

func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	require.NoError(t, err, string(body))
	return fams
}

func TestExporterServesRealNames(t *testing.T) {
	e := New()
	e.Publish(snapshot(10*time.Second, 100), 50)
	e.Publish(snapshot(20*time.Second, 150), 50) // 50 segments in 10 s -> 5/s

	srv, err := Serve("127.0.0.1:0", e)
	require.NoError(t, err)
	defer srv.Close()

	fams := scrape(t, "http://"+srv.Addr+"/metrics")
	for _, n := range allNames {
		assert.Contains(t, fams, "hls_swarm_"+n)
	}
	val := func(name string) float64 {
		m := fams["hls_swarm_"+name].GetMetric()[0]
		if m.Gauge != nil {
			return m.Gauge.GetValue()
		}
		return m.Counter.GetValue()
	}
	assert.Equal(t, 50.0, val("target_clients"))
	assert.Equal(t, 0.8, val("ramp_progress"))
	assert.Equal(t, 20.0, val("test_elapsed_seconds"))
	assert.Equal(t, 150.0, val("segment_requests_total"))
	assert.Equal(t, dto.MetricType_COUNTER, fams["hls_swarm_segment_requests_total"].GetType())
	assert.Equal(t, 5.0, val("segment_requests_per_second"))
	assert.Equal(t, 10.0, val("manifest_requests_per_second"))
	assert.Equal(t, 5000.0, val("throughput_bytes_per_second"))
	assert.Equal(t, 2.5, val("max_drift_seconds"))
	assert.Equal(t, 3.0, val("client_restarts_total"))

	codes := map[string]float64{}
	for _, m := range fams["hls_swarm_http_errors_total"].GetMetric() {
		codes[m.GetLabel()[0].GetValue()] = m.Counter.GetValue()
	}
	assert.Equal(t, map[string]float64{"404": 2, "503": 7, "other": 0}, codes)

	h := fams["hls_swarm_client_uptime_seconds"].GetMetric()[0].GetHistogram()
	require.NotNil(t, h)
	assert.EqualValues(t, 2, h.GetSampleCount())
	assert.InDelta(t, 93, h.GetSampleSum(), 93*0.02)
	for _, b := range h.GetBucket() {
		switch b.GetUpperBound() {
		case 1:
			assert.EqualValues(t, 0, b.GetCumulativeCount())
		case 5, 60:
			assert.EqualValues(t, 1, b.GetCumulativeCount())
		case 120, 86400:
			assert.EqualValues(t, 2, b.GetCumulativeCount())
		}
	}
}

func TestExporterEmptyBeforePublish(t *testing.T) {
	e := New()
	mfs, err := e.Registry().Gather()
	require.NoError(t, err)
	assert.Empty(t, mfs)
}

func TestListenAddr(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{":9100", "127.0.0.1:9100", ""},
		{"localhost:0", "localhost:0", ""},
		{"0.0.0.0:9100", "0.0.0.0:9100", ""},
		{"[::1]:9100", "[::1]:9100", ""},
		{"9100", "", "expected host:port"},
		{":http", "", "not a number"},
		{":70000", "", "0..65535"},
	}
	for _, tc := range tests {
		got, err := ListenAddr(tc.in)
		if tc.err != "" {
			require.Error(t, err, tc.in)
			assert.Contains(t, err.Error(), tc.err)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
	}
}
