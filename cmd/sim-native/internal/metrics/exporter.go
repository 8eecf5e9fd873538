package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"swarmsim/sim/stats"
)

// Config describes the run an Exporter reports; it is fixed for the
// exporter's lifetime.
type Config struct {
	// The labels of hls_swarm_info.
	Version, StreamURL, Variant string
	// TargetClients is the number of clients the run targets.
	TargetClients int
	// TestDuration is the run's length; 0 means unlimited (remaining -1).
	TestDuration time.Duration
	// PerClient adds the per-client series (hls_swarm_client_speed,
	// _client_drift_seconds, _client_bytes_total), as the real tool's
	// -prom-client-metrics does. Publish then needs snapshots with
	// PerClientSummaries.
	PerClient bool
}

// Exporter is a prometheus.Collector over the latest published snapshot
// and process exits, on a registry of its own that also holds the Go
// runtime and process collectors.
type Exporter struct {
	cfg Config
	reg *prometheus.Registry

	mu      sync.Mutex
	snap    *stats.AggregatedStats
	exits   stats.ProcessExits
	rates   stats.RateTracker
	segment windowedThroughput
}

// New returns an exporter for the run cfg describes.
func New(cfg Config) *Exporter {
	e := &Exporter{cfg: cfg, reg: prometheus.NewRegistry()}
	e.reg.MustRegister(e,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return e
}

// PerClient reports whether the exporter serves per-client series (its
// snapshots must then carry PerClientSummaries).
func (e *Exporter) PerClient() bool { return e.cfg.PerClient }

// Publish makes s and exits what the next scrape reports. The exporter
// takes ownership of s (the caller must not modify it afterwards) and
// copies exits. It returns the snapshot published before (nil the first
// time), which no scrape reads any more: the caller may fill it again for
// its next Publish. Instant rates are computed from the previous published
// snapshot, the windowed segment throughput from the published history.
func (e *Exporter) Publish(s *stats.AggregatedStats, exits *stats.ProcessExits) (previous *stats.AggregatedStats) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rates.Update(s)
	e.segment.add(s.Elapsed, s.TotalBytes)
	previous, e.snap = e.snap, s
	e.exits.Reset()
	if exits != nil {
		e.exits.Merge(exits)
	}
	return previous
}

// Published reports whether a snapshot has been published.
func (e *Exporter) Published() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snap != nil
}

// Registry is the exporter's registry.
func (e *Exporter) Registry() *prometheus.Registry { return e.reg }

// Handler serves the registry in the exposition format, instrumented with
// promhttp's handler metrics as the real tool's default handler is.
func (e *Exporter) Handler() http.Handler {
	return promhttp.InstrumentMetricHandler(e.reg, promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{}))
}

// Describe sends every metric description.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range aggregateDescs {
		ch <- d
	}
	if e.cfg.PerClient {
		for _, d := range perClientDescs {
			ch <- d
		}
	}
}

// Collect reports the latest snapshot; nothing before the first Publish.
// It holds the lock while it reads the exporter's state (a scrape is
// short, and Publish only swaps pointers and copies the exit record).
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.snap
	if s == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	histogram := func(d *prometheus.Desc, h *stats.HistogramSnapshot, bounds []float64) {
		count, sum, cum := cumulativeBuckets(h, bounds)
		ch <- prometheus.MustNewConstHistogram(d, count, sum, cum)
	}
	cfg := e.cfg

	// Test overview.
	gauge(dInfo, 1, cfg.Version, cfg.StreamURL, cfg.Variant)
	gauge(dTargetClients, float64(cfg.TargetClients))
	gauge(dTestDuration, cfg.TestDuration.Seconds())
	gauge(dActiveClients, float64(s.ActiveClients))
	ramp := 1.0
	if cfg.TargetClients > 0 {
		ramp = min(1, float64(s.TotalClients+s.RemovedClients)/float64(cfg.TargetClients))
	}
	gauge(dRampProgress, ramp)
	gauge(dElapsed, s.Elapsed.Seconds())
	remaining := -1.0
	if cfg.TestDuration > 0 {
		remaining = max(0, cfg.TestDuration-s.Elapsed).Seconds()
	}
	gauge(dRemaining, remaining)

	// Requests and throughput.
	counter(dManifestReqs, float64(s.TotalManifestReqs))
	counter(dSegmentReqs, float64(s.TotalSegmentReqs))
	counter(dInitReqs, float64(s.TotalInitReqs))
	counter(dUnknownReqs, float64(s.TotalUnknownReqs))
	counter(dBytes, float64(s.TotalBytes))
	gauge(dManifestRate, s.InstantManifestRate)
	gauge(dSegmentRate, s.InstantSegmentRate)
	gauge(dThroughput, s.InstantThroughputRate)
	// The viewers download segments only, so every byte is a segment byte.
	counter(dSegmentBytes, float64(s.TotalBytes))
	for i, d := range [...]*prometheus.Desc{dSegThru1s, dSegThru30s, dSegThru60s, dSegThru300s} {
		gauge(d, e.segment.average(throughputWindows[i]))
	}

	// Latency.
	histogram(dLatency, &s.SegmentLatencyHist, latencyBuckets)
	gauge(dLatencyP50, s.SegmentLatencyP50.Seconds())
	gauge(dLatencyP95, s.SegmentLatencyP95.Seconds())
	gauge(dLatencyP99, s.SegmentLatencyP99.Seconds())
	gauge(dLatencyMax, s.SegmentLatencyMax.Seconds())

	// Playback health.
	gauge(dAboveRealtime, float64(s.ClientsAboveRealtime))
	gauge(dBelowRealtime, float64(s.ClientsBelowRealtime))
	gauge(dStalled, float64(s.StalledClients))
	gauge(dAvgSpeed, s.AverageFFmpegSpeed) // FFmpeg's figure, as the real tool reads it
	gauge(dHighDrift, float64(s.ClientsWithHighDrift))
	gauge(dAvgDrift, s.AverageDrift.Seconds())
	gauge(dMaxDrift, s.MaxDrift.Seconds())

	// Errors and recovery.
	sawOther := false
	errs := stats.HTTPErrorCountsOf(s.TotalHTTPErrors)
	for code, n := range errs.All() {
		label := strconv.Itoa(code)
		if code == stats.HTTPOtherCode {
			label, sawOther = "other", true
		}
		counter(dHTTPErrors, float64(n), label)
	}
	if !sawOther {
		counter(dHTTPErrors, 0, "other") // a series from the start, for rate() panels
	}
	counter(dTimeouts, float64(s.TotalTimeouts))
	counter(dReconnections, float64(s.TotalReconnections))
	// The real tool counts the clients it launched here, restarts apart.
	counter(dClientStarts, float64(s.TotalProcessStarts-s.TotalProcessRestarts))
	counter(dClientRestarts, float64(s.TotalProcessRestarts))
	for category, n := range e.exits.ByCategory() {
		counter(dClientExits, float64(n), category)
	}
	gauge(dErrorRate, s.ErrorRate)

	// Statistics pipeline: parsed = read - dropped, per stream.
	progRead, progDropped := s.TotalLinesRead-s.StderrLinesRead, s.TotalLinesDropped-s.StderrLinesDropped
	counter(dLinesDropped, float64(progDropped), "progress")
	counter(dLinesDropped, float64(s.StderrLinesDropped), "stderr")
	counter(dLinesParsed, float64(progRead-progDropped), "progress")
	counter(dLinesParsed, float64(s.StderrLinesRead-s.StderrLinesDropped), "stderr")
	gauge(dClientsDegraded, float64(s.ClientsWithDrops))
	gauge(dDropRate, s.CurrentDropRate)
	gauge(dPeakDropRate, s.PeakDropRate)

	// Uptime of the processes that exited.
	up := &e.exits.Uptime
	histogram(dUptime, up, uptimeBuckets)
	gauge(dUptimeP50, up.Quantile(0.50).Seconds())
	gauge(dUptimeP95, up.Quantile(0.95).Seconds())
	gauge(dUptimeP99, up.Quantile(0.99).Seconds())

	if cfg.PerClient {
		for i := range s.PerClientSummaries {
			c := &s.PerClientSummaries[i]
			id := strconv.Itoa(c.ClientID)
			gauge(dClientSpeed, c.CurrentSpeed, id)
			gauge(dClientDrift, c.CurrentDrift.Seconds(), id)
			gauge(dClientBytes, float64(c.TotalBytes), id)
		}
	}
}
