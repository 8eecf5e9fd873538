package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"swarmsim/sim/stats"
)

const ns = "hls_swarm"

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(ns, "", name), help, labels, nil)
}

var (
	dTargetClients   = desc("target_clients", "Number of clients the scenario targets.")
	dActiveClients   = desc("active_clients", "Clients whose player process is running (not in backoff or stopped).")
	dRampProgress    = desc("ramp_progress", "Started clients / target clients (0..1).")
	dElapsed         = desc("test_elapsed_seconds", "Virtual time since the test started.")
	dManifestReqs    = desc("manifest_requests_total", "Playlist requests.")
	dSegmentReqs     = desc("segment_requests_total", "Segment requests.")
	dInitReqs        = desc("init_requests_total", "Init segment requests.")
	dUnknownReqs     = desc("unknown_requests_total", "Requests of unknown type.")
	dBytes           = desc("bytes_downloaded_total", "Bytes downloaded by all clients.")
	dManifestRate    = desc("manifest_requests_per_second", "Playlist requests per second since the previous snapshot.")
	dSegmentRate     = desc("segment_requests_per_second", "Segment requests per second since the previous snapshot.")
	dThroughput      = desc("throughput_bytes_per_second", "Bytes per second since the previous snapshot.")
	dAboveRealtime   = desc("clients_above_realtime", "Clients playing at or above real time.")
	dBelowRealtime   = desc("clients_below_realtime", "Clients playing below real time.")
	dStalled         = desc("stalled_clients", "Clients stalled (speed < 0.9 for more than 5 s).")
	dAvgSpeed        = desc("average_speed", "Average playback speed (1.0 = real time).")
	dHighDrift       = desc("high_drift_clients", "Clients with drift above 5 s.")
	dAvgDrift        = desc("average_drift_seconds", "Average drift: wall time since the process started minus its playback position.")
	dMaxDrift        = desc("max_drift_seconds", "Largest drift of any client.")
	dHTTPErrors      = desc("http_errors_total", "HTTP errors by status code (\"other\" outside 400-599).", "status_code")
	dTimeouts        = desc("timeouts_total", "Request timeouts.")
	dReconnections   = desc("reconnections_total", "Client reconnections.")
	dClientStarts    = desc("client_starts_total", "Client process starts, first starts and restarts.")
	dClientRestarts  = desc("client_restarts_total", "Client restarts (starts beyond each client's first).")
	dErrorRate       = desc("error_rate", "(HTTP errors + timeouts) / (manifest + segment + init requests).")
	dLinesDropped    = desc("stats_lines_dropped_total", "Statistics lines dropped by the parsing pipeline.", "stream")
	dLinesParsed     = desc("stats_lines_parsed_total", "Statistics lines read by the parsing pipeline, the dropped ones included.", "stream")
	dDropRate        = desc("stats_drop_rate", "Current share of statistics lines dropped.")
	dPeakDropRate    = desc("stats_peak_drop_rate", "Highest share of statistics lines dropped so far.")
	dUptime          = desc("client_uptime_seconds", "Client uptime since its first start (restarts do not reset it).")
	uptimeBoundsSecs = []float64{1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400}
)

// Exporter is a prometheus.Collector over the latest published snapshot.
type Exporter struct {
	mu     sync.Mutex
	snap   *stats.AggregatedStats
	target int
	rates  stats.RateTracker
	reg    *prometheus.Registry
}

// New returns an exporter with its own registry (no Go runtime or process metrics: the
// numbers are the simulation's, not this process's).
func New() *Exporter {
	e := &Exporter{reg: prometheus.NewRegistry()}
	e.reg.MustRegister(e)
	return e
}

// Publish makes s the snapshot the next scrape reports; the exporter takes ownership of
// s (the caller must not modify it afterwards). target is the number of clients the
// scenario targets at this time. Instant rates are computed from the previous published
// snapshot.
func (e *Exporter) Publish(s *stats.AggregatedStats, target int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rates.Update(s)
	e.snap = s
	e.target = target
}

// Registry is the exporter's private registry.
func (e *Exporter) Registry() *prometheus.Registry { return e.reg }

// Handler serves /metrics from the private registry.
func (e *Exporter) Handler() http.Handler {
	return promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{})
}

// Describe sends every metric description.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dTargetClients, dActiveClients, dRampProgress, dElapsed,
		dManifestReqs, dSegmentReqs, dInitReqs, dUnknownReqs, dBytes, dManifestRate, dSegmentRate,
		dThroughput, dAboveRealtime, dBelowRealtime, dStalled, dAvgSpeed, dHighDrift, dAvgDrift,
		dMaxDrift, dHTTPErrors, dTimeouts, dReconnections, dClientStarts, dClientRestarts, dErrorRate,
		dLinesDropped, dLinesParsed, dDropRate, dPeakDropRate, dUptime} {
		ch <- d
	}
}

// Collect reports the latest snapshot; nothing before the first Publish.
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	e.mu.Lock()
	s, target := e.snap, e.target
	e.mu.Unlock()
	if s == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(dTargetClients, float64(target))
	gauge(dActiveClients, float64(s.ActiveClients))
	ramp := 1.0
	if target > 0 {
		ramp = min(1, float64(s.TotalClients)/float64(target))
	}
	gauge(dRampProgress, ramp)
	gauge(dElapsed, s.Elapsed.Seconds())
	counter(dManifestReqs, float64(s.TotalManifestReqs))
	counter(dSegmentReqs, float64(s.TotalSegmentReqs))
	counter(dInitReqs, float64(s.TotalInitReqs))
	counter(dUnknownReqs, float64(s.TotalUnknownReqs))
	counter(dBytes, float64(s.TotalBytes))
	gauge(dManifestRate, s.InstantManifestRate)
	gauge(dSegmentRate, s.InstantSegmentRate)
	gauge(dThroughput, s.InstantThroughputRate)
	gauge(dAboveRealtime, float64(s.ClientsAboveRealtime))
	gauge(dBelowRealtime, float64(s.ClientsBelowRealtime))
	gauge(dStalled, float64(s.StalledClients))
	gauge(dAvgSpeed, s.AverageSpeed)
	gauge(dHighDrift, float64(s.ClientsWithHighDrift))
	gauge(dAvgDrift, s.AverageDrift.Seconds())
	gauge(dMaxDrift, s.MaxDrift.Seconds())
	sawOther := false
	for code, n := range s.TotalHTTPErrors.All() {
		label := strconv.Itoa(code)
		if code == stats.HTTPOtherCode {
			label, sawOther = "other", true
		}
		counter(dHTTPErrors, float64(n), label)
	}
	if !sawOther {
		counter(dHTTPErrors, 0, "other") // keep the series present for dashboards
	}
	counter(dTimeouts, float64(s.TotalTimeouts))
	counter(dReconnections, float64(s.TotalReconnections))
	counter(dClientStarts, float64(s.TotalProcessStarts))
	counter(dClientRestarts, float64(s.TotalProcessRestarts))
	gauge(dErrorRate, s.ErrorRate)
	counter(dLinesDropped, float64(s.TotalLinesDropped), "all")
	counter(dLinesParsed, float64(s.TotalLinesRead), "all")
	gauge(dDropRate, s.CurrentDropRate)
	gauge(dPeakDropRate, s.PeakDropRate)
	count, sum, buckets := uptimeBuckets(&s.UptimeHist)
	ch <- prometheus.MustNewConstHistogram(dUptime, count, sum, buckets)
}

// uptimeBuckets converts the merged uptime histogram into cumulative Prometheus buckets.
func uptimeBuckets(h *stats.HistogramSnapshot) (uint64, float64, map[float64]uint64) {
	buckets := make(map[float64]uint64, len(uptimeBoundsSecs))
	var count uint64
	var sum float64
	for v, c := range h.Buckets() {
		secs := v.Seconds()
		count += uint64(c)
		sum += float64(secs * float64(c))
		for _, b := range uptimeBoundsSecs {
			if secs <= b {
				buckets[b] += uint64(c)
			}
		}
	}
	for _, b := range uptimeBoundsSecs {
		if _, ok := buckets[b]; !ok {
			buckets[b] = 0
		}
	}
	return count, sum, buckets
}

// ListenAddr resolves a --metrics-addr value: a missing host means loopback, so ":9100"
// listens on 127.0.0.1:9100; "0.0.0.0:9100" must be asked for explicitly.
func ListenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--metrics-addr %q: %v (expected host:port or :port, e.g. :9100)", addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("--metrics-addr %q: port %q is not a number in 0..65535", addr, port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Server is a running /metrics endpoint.
type Server struct {
	Addr string // the address actually listened on (port resolved when 0 was given)
	srv  *http.Server
	done chan error
}

// Serve listens on addr (see ListenAddr) and serves the exporter on /metrics.
func Serve(addr string, e *Exporter) (*Server, error) {
	resolved, err := ListenAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", resolved)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr %s: %w", resolved, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.Handler())
	s := &Server{Addr: ln.Addr().String(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, done: make(chan error, 1)}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server, letting in-flight scrapes finish for up to a second.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
