package metrics

import (
	"io"
	"net/http"
	"slices"
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

// realToolMetrics is every metric go-ffmpeg-hls-swarm registers
// (internal/metrics/collector.go: its aggregate tier, and the per-client
// tier behind -prom-client-metrics), with its type and label names.
var realToolMetrics = []struct {
	name      string
	typ       dto.MetricType
	labels    []string
	perClient bool
}{
	{"info", dto.MetricType_GAUGE, []string{"stream_url", "variant", "version"}, false},
	{"target_clients", dto.MetricType_GAUGE, nil, false},
	{"test_duration_seconds", dto.MetricType_GAUGE, nil, false},
	{"active_clients", dto.MetricType_GAUGE, nil, false},
	{"ramp_progress", dto.MetricType_GAUGE, nil, false},
	{"test_elapsed_seconds", dto.MetricType_GAUGE, nil, false},
	{"test_remaining_seconds", dto.MetricType_GAUGE, nil, false},
	{"manifest_requests_total", dto.MetricType_COUNTER, nil, false},
	{"segment_requests_total", dto.MetricType_COUNTER, nil, false},
	{"init_requests_total", dto.MetricType_COUNTER, nil, false},
	{"unknown_requests_total", dto.MetricType_COUNTER, nil, false},
	{"bytes_downloaded_total", dto.MetricType_COUNTER, nil, false},
	{"manifest_requests_per_second", dto.MetricType_GAUGE, nil, false},
	{"segment_requests_per_second", dto.MetricType_GAUGE, nil, false},
	{"throughput_bytes_per_second", dto.MetricType_GAUGE, nil, false},
	{"segment_bytes_downloaded_total", dto.MetricType_COUNTER, nil, false},
	{"segment_throughput_1s_bytes_per_second", dto.MetricType_GAUGE, nil, false},
	{"segment_throughput_30s_bytes_per_second", dto.MetricType_GAUGE, nil, false},
	{"segment_throughput_60s_bytes_per_second", dto.MetricType_GAUGE, nil, false},
	{"segment_throughput_300s_bytes_per_second", dto.MetricType_GAUGE, nil, false},
	{"inferred_latency_seconds", dto.MetricType_HISTOGRAM, nil, false},
	{"inferred_latency_p50_seconds", dto.MetricType_GAUGE, nil, false},
	{"inferred_latency_p95_seconds", dto.MetricType_GAUGE, nil, false},
	{"inferred_latency_p99_seconds", dto.MetricType_GAUGE, nil, false},
	{"inferred_latency_max_seconds", dto.MetricType_GAUGE, nil, false},
	{"clients_above_realtime", dto.MetricType_GAUGE, nil, false},
	{"clients_below_realtime", dto.MetricType_GAUGE, nil, false},
	{"stalled_clients", dto.MetricType_GAUGE, nil, false},
	{"average_speed", dto.MetricType_GAUGE, nil, false},
	{"high_drift_clients", dto.MetricType_GAUGE, nil, false},
	{"average_drift_seconds", dto.MetricType_GAUGE, nil, false},
	{"max_drift_seconds", dto.MetricType_GAUGE, nil, false},
	{"http_errors_total", dto.MetricType_COUNTER, []string{"status_code"}, false},
	{"timeouts_total", dto.MetricType_COUNTER, nil, false},
	{"reconnections_total", dto.MetricType_COUNTER, nil, false},
	{"client_starts_total", dto.MetricType_COUNTER, nil, false},
	{"client_restarts_total", dto.MetricType_COUNTER, nil, false},
	{"client_exits_total", dto.MetricType_COUNTER, []string{"category"}, false},
	{"error_rate", dto.MetricType_GAUGE, nil, false},
	{"stats_lines_dropped_total", dto.MetricType_COUNTER, []string{"stream"}, false},
	{"stats_lines_parsed_total", dto.MetricType_COUNTER, []string{"stream"}, false},
	{"stats_clients_degraded", dto.MetricType_GAUGE, nil, false},
	{"stats_drop_rate", dto.MetricType_GAUGE, nil, false},
	{"stats_peak_drop_rate", dto.MetricType_GAUGE, nil, false},
	{"client_uptime_seconds", dto.MetricType_HISTOGRAM, nil, false},
	{"uptime_p50_seconds", dto.MetricType_GAUGE, nil, false},
	{"uptime_p95_seconds", dto.MetricType_GAUGE, nil, false},
	{"uptime_p99_seconds", dto.MetricType_GAUGE, nil, false},
	{"client_speed", dto.MetricType_GAUGE, []string{"client_id"}, true},
	{"client_drift_seconds", dto.MetricType_GAUGE, []string{"client_id"}, true},
	{"client_bytes_total", dto.MetricType_GAUGE, []string{"client_id"}, true},
}

var testConfig = Config{Version: "swarmsim test", StreamURL: "swarmsim://scenario/t", Variant: "all",
	TargetClients: 50, TestDuration: time.Minute}

// snapshot is a run at time at with the given segment count: 40 clients
// started, 2 playlists per segment, 1000 bytes per segment.
func snapshot(at time.Duration, segments int64) *stats.AggregatedStats {
	s := &stats.AggregatedStats{
		Timestamp:            stats.VirtualEpoch.Add(at),
		Elapsed:              at,
		TotalClients:         38,
		RemovedClients:       2,
		ActiveClients:        35,
		StalledClients:       3,
		ClientsAboveRealtime: 30,
		ClientsBelowRealtime: 5,
		TotalManifestReqs:    2 * segments,
		TotalSegmentReqs:     segments,
		TotalBytes:           segments * 1000,
		ErrorRate:            0.02,
		AverageSpeed:         0.5, // the viewers' instantaneous speed: not this metric
		AverageFFmpegSpeed:   0.97,
		MaxDrift:             2500 * time.Millisecond,
		TotalProcessStarts:   45,
		TotalProcessRestarts: 5,
		TotalLinesRead:       1100,
		TotalLinesDropped:    33,
		StderrLinesRead:      100,
		StderrLinesDropped:   3,
		ClientsWithDrops:     4,
		CurrentDropRate:      0.03,
		PeakDropRate:         0.05,
		SegmentLatencyP50:    80 * time.Millisecond,
		SegmentLatencyP95:    300 * time.Millisecond,
		SegmentLatencyP99:    time.Second,
		SegmentLatencyMax:    3 * time.Second,
	}
	s.TotalHTTPErrors = map[int]int64{503: 7, 404: 2}
	// live clients' uptimes: not what client_uptime_seconds reports
	s.UptimeHist.RecordN(at, 38)
	for _, d := range []time.Duration{3 * time.Millisecond, 40 * time.Millisecond, 40 * time.Millisecond, 600 * time.Millisecond, 20 * time.Second} {
		s.SegmentLatencyHist.Record(d)
	}
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

func gather(t *testing.T, e *Exporter) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := e.Registry().Gather()
	require.NoError(t, err)
	out := map[string]*dto.MetricFamily{}
	for _, f := range mfs {
		out[f.GetName()] = f
	}
	return out
}

// value returns the value of the series of name whose labels include
// labels (name=value pairs).
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	f, ok := fams["hls_swarm_"+name]
	require.True(t, ok, "hls_swarm_%s missing", name)
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			match = match && have[labels[i]] == labels[i+1]
		}
		if !match {
			continue
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Counter != nil:
			return m.Counter.GetValue()
		}
	}
	t.Fatalf("no series hls_swarm_%s%v", name, labels)
	return 0
}

// buckets returns a histogram's cumulative counts by upper bound.
func buckets(t *testing.T, fams map[string]*dto.MetricFamily, name string) (*dto.Histogram, map[float64]uint64) {
	t.Helper()
	f, ok := fams["hls_swarm_"+name]
	require.True(t, ok, "hls_swarm_%s missing", name)
	h := f.GetMetric()[0].GetHistogram()
	require.NotNil(t, h)
	out := map[float64]uint64{}
	for _, b := range h.GetBucket() {
		out[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	return h, out
}

// Every metric of the real tool is served under its name, type and label
// names; the per-client ones only when asked for; and the standard Go,
// process and handler metrics beside them.
func TestExporterServesTheRealToolsMetrics(t *testing.T) {
	for _, perClient := range []bool{false, true} {
		cfg := testConfig
		cfg.PerClient = perClient
		e := New(cfg)
		s := snapshot(10*time.Second, 100)
		s.PerClientSummaries = []stats.Summary{{ClientID: 7, CurrentSpeed: 1.25, HasSpeed: true, CurrentDrift: 1500 * time.Millisecond, TotalBytes: 4096}}
		var exits stats.ProcessExits
		exits.Record(1, 30*time.Second)
		e.Publish(s, &exits)
		srv, err := Serve("127.0.0.1:0", e)
		require.NoError(t, err)
		fams := scrape(t, "http://"+srv.Addr+"/metrics")
		require.NoError(t, srv.Close())

		for _, m := range realToolMetrics {
			f, ok := fams["hls_swarm_"+m.name]
			if m.perClient && !perClient {
				assert.False(t, ok, "%s without --prom-client-metrics", m.name)
				continue
			}
			require.True(t, ok, "hls_swarm_%s is served", m.name)
			assert.Equal(t, m.typ, f.GetType(), m.name)
			for _, s := range f.GetMetric() {
				var names []string
				for _, l := range s.GetLabel() {
					names = append(names, l.GetName())
				}
				assert.Equal(t, m.labels, names, m.name)
			}
		}
		var ours int
		for name := range fams {
			if strings.HasPrefix(name, "hls_swarm_") {
				ours++
			}
		}
		want := 0
		for _, m := range realToolMetrics {
			if !m.perClient || perClient {
				want++
			}
		}
		assert.Equal(t, want, ours, "no hls_swarm_ metric the real tool lacks")
		for _, name := range []string{"go_goroutines", "go_memstats_alloc_bytes", "go_info", "process_cpu_seconds_total",
			"process_resident_memory_bytes", "promhttp_metric_handler_requests_total"} {
			assert.Contains(t, fams, name)
		}
	}
}

// The values, from a snapshot whose figures are redone by hand.
func TestExporterValues(t *testing.T) {
	e := New(testConfig)
	e.Publish(snapshot(10*time.Second, 100), nil)
	e.Publish(snapshot(20*time.Second, 150), nil) // 50 segments in 10 s -> 5/s
	fams := gather(t, e)
	v := func(name string, labels ...string) float64 { return value(t, fams, name, labels...) }

	assert.Equal(t, 1.0, v("info", "version", "swarmsim test", "stream_url", "swarmsim://scenario/t", "variant", "all"))
	assert.Equal(t, 50.0, v("target_clients"))
	assert.Equal(t, 60.0, v("test_duration_seconds"))
	assert.Equal(t, 35.0, v("active_clients"))
	assert.Equal(t, 0.8, v("ramp_progress"), "(38 + 2 removed) started / 50")
	assert.Equal(t, 20.0, v("test_elapsed_seconds"))
	assert.Equal(t, 40.0, v("test_remaining_seconds"), "60 - 20")
	assert.Equal(t, 150.0, v("segment_requests_total"))
	assert.Equal(t, 300.0, v("manifest_requests_total"))
	assert.Equal(t, 150000.0, v("bytes_downloaded_total"))
	assert.Equal(t, 150000.0, v("segment_bytes_downloaded_total"))
	assert.Equal(t, 5.0, v("segment_requests_per_second"))
	assert.Equal(t, 10.0, v("manifest_requests_per_second"))
	assert.Equal(t, 5000.0, v("throughput_bytes_per_second"))
	// two samples, 10 s apart: every window reaches back to the first
	for _, w := range []string{"1s", "30s", "60s", "300s"} {
		assert.Equal(t, 5000.0, v("segment_throughput_"+w+"_bytes_per_second"), w)
	}
	assert.Equal(t, 30.0, v("clients_above_realtime"))
	assert.Equal(t, 5.0, v("clients_below_realtime"))
	assert.Equal(t, 3.0, v("stalled_clients"))
	assert.Equal(t, 0.97, v("average_speed"), "FFmpeg's running average, as the real tool reads")
	assert.Equal(t, 2.5, v("max_drift_seconds"))
	assert.Equal(t, 40.0, v("client_starts_total"), "45 process starts - 5 restarts: the clients started")
	assert.Equal(t, 5.0, v("client_restarts_total"))
	assert.Equal(t, 0.02, v("error_rate"))
	assert.Equal(t, 7.0, v("http_errors_total", "status_code", "503"))
	assert.Equal(t, 2.0, v("http_errors_total", "status_code", "404"))
	assert.Equal(t, 0.0, v("http_errors_total", "status_code", "other"), "present before any")

	// streams: progress read 1100-100 = 1000, dropped 33-3 = 30
	assert.Equal(t, 30.0, v("stats_lines_dropped_total", "stream", "progress"))
	assert.Equal(t, 3.0, v("stats_lines_dropped_total", "stream", "stderr"))
	assert.Equal(t, 970.0, v("stats_lines_parsed_total", "stream", "progress"), "read - dropped")
	assert.Equal(t, 97.0, v("stats_lines_parsed_total", "stream", "stderr"), "read - dropped")
	assert.Equal(t, 4.0, v("stats_clients_degraded"))
	assert.Equal(t, 0.03, v("stats_drop_rate"))
	assert.Equal(t, 0.05, v("stats_peak_drop_rate"))

	// latency: the snapshot's percentiles, and its histogram in the real
	// tool's buckets: 3 ms, 40 ms, 40 ms, 600 ms, 20 s
	assert.Equal(t, 0.08, v("inferred_latency_p50_seconds"))
	assert.Equal(t, 0.3, v("inferred_latency_p95_seconds"))
	assert.Equal(t, 1.0, v("inferred_latency_p99_seconds"))
	assert.Equal(t, 3.0, v("inferred_latency_max_seconds"))
	h, cum := buckets(t, fams, "inferred_latency_seconds")
	assert.EqualValues(t, 5, h.GetSampleCount())
	assert.InEpsilon(t, 20.683, h.GetSampleSum(), stats.HistogramRelativeError)
	assert.Equal(t, map[float64]uint64{0.005: 1, 0.01: 1, 0.025: 1, 0.05: 3, 0.075: 3, 0.1: 3, 0.25: 3, 0.5: 3,
		0.75: 4, 1: 4, 2.5: 4, 5: 4, 10: 4}, cum, "20 s is above the last bound (only in +Inf)")

	// no process exited: empty uptime histogram, no exits, zero percentiles
	// (the live clients' uptimes in the snapshot are not exits)
	h, _ = buckets(t, fams, "client_uptime_seconds")
	assert.Zero(t, h.GetSampleCount())
	for _, c := range []string{"success", "error", "signal"} {
		assert.Equal(t, 0.0, v("client_exits_total", "category", c), c)
	}
	assert.Equal(t, 0.0, v("uptime_p50_seconds"))
}

// client_uptime_seconds observes each process's uptime when it exits, and
// client_exits_total counts the exits by the real tool's categories; both
// only grow from one scrape to the next.
func TestExporterExits(t *testing.T) {
	e := New(testConfig)
	var exits stats.ProcessExits
	exits.Record(1, 3*time.Second)
	exits.Record(1, 45*time.Second)
	e.Publish(snapshot(time.Minute, 10), &exits)
	first := gather(t, e)

	exits.Record(255, 10*time.Minute)
	exits.Record(1, 2*time.Hour+time.Minute)
	exits.Record(0, 500*time.Millisecond)
	e.Publish(snapshot(3*time.Hour, 20), &exits)
	second := gather(t, e)

	h1, _ := buckets(t, first, "client_uptime_seconds")
	h2, cum := buckets(t, second, "client_uptime_seconds")
	assert.EqualValues(t, 2, h1.GetSampleCount())
	assert.EqualValues(t, 5, h2.GetSampleCount())
	assert.InEpsilon(t, 3+45+600+7260+0.5, h2.GetSampleSum(), stats.HistogramRelativeError)
	assert.Equal(t, map[float64]uint64{1: 1, 5: 2, 30: 2, 60: 3, 300: 3, 600: 4, 1800: 4, 3600: 4, 7200: 4}, cum)
	assert.Equal(t, 1.0, value(t, second, "client_exits_total", "category", "success"))
	assert.Equal(t, 3.0, value(t, second, "client_exits_total", "category", "error"))
	assert.Equal(t, 1.0, value(t, second, "client_exits_total", "category", "signal"), "255: after SIGTERM")
	// nearest rank of 5 exits (0.5 s, 3 s, 45 s, 600 s, 7260 s): p50 the
	// 3rd, p95 and p99 the 5th
	assert.InEpsilon(t, 45, value(t, second, "uptime_p50_seconds"), stats.HistogramRelativeError)
	assert.InEpsilon(t, 7260, value(t, second, "uptime_p95_seconds"), stats.HistogramRelativeError)
	assert.InEpsilon(t, 7260, value(t, second, "uptime_p99_seconds"), stats.HistogramRelativeError)
	for _, c := range []string{"success", "error", "signal"} {
		assert.GreaterOrEqual(t, value(t, second, "client_exits_total", "category", c), value(t, first, "client_exits_total", "category", c))
	}
}

// Publish hands back the snapshot it replaces, for the caller to refill;
// scrapes report the new one.
func TestPublishReturnsThePreviousSnapshot(t *testing.T) {
	e := New(testConfig)
	a, b := snapshot(time.Second, 1), snapshot(2*time.Second, 2)
	assert.Nil(t, e.Publish(a, nil))
	assert.Same(t, a, e.Publish(b, nil))
	*a = stats.AggregatedStats{} // the caller reuses it: the exporter is not affected
	assert.Equal(t, 2.0, value(t, gather(t, e), "segment_requests_total"))
}

func TestExporterPerClientSeries(t *testing.T) {
	cfg := testConfig
	cfg.PerClient = true
	e := New(cfg)
	assert.True(t, e.PerClient())
	s := snapshot(10*time.Second, 10)
	s.PerClientSummaries = []stats.Summary{
		{ClientID: 3, CurrentSpeed: 1.02, HasSpeed: true, CurrentDrift: 2 * time.Second, TotalBytes: 1 << 20},
		{ClientID: 11, TotalBytes: 512},
	}
	e.Publish(s, nil)
	fams := gather(t, e)
	assert.Equal(t, 1.02, value(t, fams, "client_speed", "client_id", "3"))
	assert.Equal(t, 2.0, value(t, fams, "client_drift_seconds", "client_id", "3"))
	assert.Equal(t, float64(1<<20), value(t, fams, "client_bytes_total", "client_id", "3"))
	assert.Equal(t, 0.0, value(t, fams, "client_speed", "client_id", "11"), "no reading yet")
	assert.Equal(t, 512.0, value(t, fams, "client_bytes_total", "client_id", "11"))
	assert.Len(t, fams["hls_swarm_client_speed"].GetMetric(), 2)

	// a client that left has no series any more
	s = snapshot(20*time.Second, 20)
	s.PerClientSummaries = []stats.Summary{{ClientID: 11, TotalBytes: 1024}}
	e.Publish(s, nil)
	fams = gather(t, e)
	require.Len(t, fams["hls_swarm_client_bytes_total"].GetMetric(), 1)
	assert.Equal(t, 1024.0, value(t, fams, "client_bytes_total", "client_id", "11"))
}

// The segment throughput windows, by the real tool's rule: bytes since the
// latest sample at least the window old, over the time since that sample.
func TestWindowedThroughput(t *testing.T) {
	var w windowedThroughput
	assert.Zero(t, w.average(time.Second), "no samples")
	w.add(0, 0)
	assert.Zero(t, w.average(time.Second), "one sample")
	// 1000 B/s for 100 s, then 4000 B/s for 30 s (samples every second)
	bytes := int64(0)
	for s := 1; s <= 130; s++ {
		if s <= 100 {
			bytes += 1000
		} else {
			bytes += 4000
		}
		w.add(time.Duration(s)*time.Second, bytes)
	}
	assert.Equal(t, 4000.0, w.average(time.Second))
	assert.Equal(t, 4000.0, w.average(30*time.Second))
	assert.Equal(t, (30*4000.0+30*1000)/60, w.average(time.Minute))
	assert.Equal(t, (30*4000.0+100*1000)/130, w.average(5*time.Minute), "no sample is 300 s old: since the oldest")

	// a sample at the same time replaces the last; memory stays bounded
	w.add(130*time.Second, bytes+4000)
	assert.Equal(t, 8000.0, w.average(time.Second))
	for s := 131; s <= 2000; s++ {
		w.add(time.Duration(s)*time.Second, bytes)
	}
	assert.LessOrEqual(t, len(w.samples), 302)
	assert.True(t, slices.IsSortedFunc(w.samples, func(a, b byteSample) int { return int(a.t - b.t) }))
	assert.Equal(t, 2000*time.Second-5*time.Minute, w.samples[0].t, "the base of the longest window is kept")
}

func TestExporterEmptyBeforePublish(t *testing.T) {
	e := New(testConfig)
	fams := gather(t, e)
	for name := range fams {
		assert.False(t, strings.HasPrefix(name, "hls_swarm_"), name)
	}
	assert.Contains(t, fams, "go_goroutines", "the process is described from the start")
}

func TestHealthAndReady(t *testing.T) {
	e := New(testConfig)
	srv, err := Serve("127.0.0.1:0", e)
	require.NoError(t, err)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + srv.Addr + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	for _, p := range []string{"/health", "/healthz"} {
		code, body := get(p)
		assert.Equal(t, http.StatusOK, code, p)
		assert.Equal(t, "ok\n", body, p)
	}
	for _, p := range []string{"/ready", "/readyz"} {
		code, _ := get(p)
		assert.Equal(t, http.StatusServiceUnavailable, code, "%s before the first snapshot", p)
	}
	e.Publish(snapshot(time.Second, 1), nil)
	for _, p := range []string{"/ready", "/readyz"} {
		code, body := get(p)
		assert.Equal(t, http.StatusOK, code, p)
		assert.Equal(t, "ok\n", body, p)
	}
	code, _ := get("/nothing")
	assert.Equal(t, http.StatusNotFound, code)
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
