package metrics

import "github.com/prometheus/client_golang/prometheus"

// namespace is the real tool's metric prefix.
const namespace = "hls_swarm"

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
}

// The real tool's metrics, grouped as its dashboard panels are. Help texts
// say what the simulated value is.
var (
	// Test overview.
	dInfo          = desc("info", "Run description (value 1): the simulator's version, the stream and the variant selection.", "version", "stream_url", "variant")
	dTargetClients = desc("target_clients", "Number of clients the run targets.")
	dTestDuration  = desc("test_duration_seconds", "Length of the run (0 would mean unlimited).")
	dActiveClients = desc("active_clients", "Clients whose player process is running (not in backoff, not stopped).")
	dRampProgress  = desc("ramp_progress", "Clients started so far / target clients, at most 1.")
	dElapsed       = desc("test_elapsed_seconds", "Time since the run started.")
	dRemaining     = desc("test_remaining_seconds", "Time left until the run ends (-1 would mean unlimited).")

	// Requests and throughput.
	dManifestReqs = desc("manifest_requests_total", "Playlist requests.")
	dSegmentReqs  = desc("segment_requests_total", "Media segment requests.")
	dInitReqs     = desc("init_requests_total", "Init segment requests.")
	dUnknownReqs  = desc("unknown_requests_total", "Requests of no known kind.")
	dBytes        = desc("bytes_downloaded_total", "Bytes downloaded by all clients.")
	dManifestRate = desc("manifest_requests_per_second", "Playlist requests per second since the previous snapshot.")
	dSegmentRate  = desc("segment_requests_per_second", "Segment requests per second since the previous snapshot.")
	dThroughput   = desc("throughput_bytes_per_second", "Bytes downloaded per second since the previous snapshot.")

	// Segment throughput over sliding windows.
	dSegmentBytes = desc("segment_bytes_downloaded_total", "Bytes of media segments downloaded.")
	dSegThru1s    = desc("segment_throughput_1s_bytes_per_second", "Segment bytes per second over the last second.")
	dSegThru30s   = desc("segment_throughput_30s_bytes_per_second", "Segment bytes per second over the last 30 seconds.")
	dSegThru60s   = desc("segment_throughput_60s_bytes_per_second", "Segment bytes per second over the last minute.")
	dSegThru300s  = desc("segment_throughput_300s_bytes_per_second", "Segment bytes per second over the last 5 minutes.")

	// Latency.
	dLatency    = desc("inferred_latency_seconds", "Segment download latency of every completed segment request.")
	dLatencyP50 = desc("inferred_latency_p50_seconds", "Median segment download latency.")
	dLatencyP95 = desc("inferred_latency_p95_seconds", "95th percentile of segment download latency.")
	dLatencyP99 = desc("inferred_latency_p99_seconds", "99th percentile of segment download latency.")
	dLatencyMax = desc("inferred_latency_max_seconds", "Largest segment download latency so far.")

	// Playback health.
	dAboveRealtime = desc("clients_above_realtime", "Clients playing at 1.0x real time or faster.")
	dBelowRealtime = desc("clients_below_realtime", "Clients playing slower than real time.")
	dStalled       = desc("stalled_clients", "Clients below 0.9x real time for more than 5 seconds.")
	dAvgSpeed      = desc("average_speed", "Mean of the speed FFmpeg prints (playback position / time since its process started) over the running clients; 1.0 = real time.")
	dHighDrift     = desc("high_drift_clients", "Clients whose drift exceeds 5 seconds.")
	dAvgDrift      = desc("average_drift_seconds", "Mean drift: time since the process started minus its playback position.")
	dMaxDrift      = desc("max_drift_seconds", "Largest drift of any client.")

	// Errors and recovery.
	dHTTPErrors     = desc("http_errors_total", "HTTP errors by status code (\"other\" outside 400-599).", "status_code")
	dTimeouts       = desc("timeouts_total", "Connect and read timeouts.")
	dReconnections  = desc("reconnections_total", "Reconnection attempts.")
	dClientStarts   = desc("client_starts_total", "Clients started: each client's first player process (restarts are counted apart).")
	dClientRestarts = desc("client_restarts_total", "Player process restarts (starts after a client's first).")
	dClientExits    = desc("client_exits_total", "Player process exits by exit code category: success (0), error, signal (above 128).", "category")
	dErrorRate      = desc("error_rate", "(HTTP errors + timeouts) / (playlist + segment + init requests).")

	// Statistics pipeline.
	dLinesDropped    = desc("stats_lines_dropped_total", "Player output lines the statistics parser dropped, by stream.", "stream")
	dLinesParsed     = desc("stats_lines_parsed_total", "Player output lines the statistics parser read and kept, by stream.", "stream")
	dClientsDegraded = desc("stats_clients_degraded", "Clients that have had output lines dropped.")
	dDropRate        = desc("stats_drop_rate", "Share of output lines dropped so far (0..1).")
	dPeakDropRate    = desc("stats_peak_drop_rate", "Highest share of output lines dropped seen so far.")

	// Uptime.
	dUptime    = desc("client_uptime_seconds", "Uptime of each player process when it exited.")
	dUptimeP50 = desc("uptime_p50_seconds", "Median uptime of the processes that exited.")
	dUptimeP95 = desc("uptime_p95_seconds", "95th percentile uptime of the processes that exited.")
	dUptimeP99 = desc("uptime_p99_seconds", "99th percentile uptime of the processes that exited.")

	// Per client (PerClient only).
	dClientSpeed = desc("client_speed", "Instantaneous playback speed of one client (with --prom-client-metrics).", "client_id")
	dClientDrift = desc("client_drift_seconds", "Drift of one client (with --prom-client-metrics).", "client_id")
	dClientBytes = desc("client_bytes_total", "Bytes downloaded by one client (with --prom-client-metrics).", "client_id")
)

// aggregateDescs are the metrics always served; perClientDescs only with
// Config.PerClient.
var (
	aggregateDescs = []*prometheus.Desc{
		dInfo, dTargetClients, dTestDuration, dActiveClients, dRampProgress, dElapsed, dRemaining,
		dManifestReqs, dSegmentReqs, dInitReqs, dUnknownReqs, dBytes, dManifestRate, dSegmentRate, dThroughput,
		dSegmentBytes, dSegThru1s, dSegThru30s, dSegThru60s, dSegThru300s,
		dLatency, dLatencyP50, dLatencyP95, dLatencyP99, dLatencyMax,
		dAboveRealtime, dBelowRealtime, dStalled, dAvgSpeed, dHighDrift, dAvgDrift, dMaxDrift,
		dHTTPErrors, dTimeouts, dReconnections, dClientStarts, dClientRestarts, dClientExits, dErrorRate,
		dLinesDropped, dLinesParsed, dClientsDegraded, dDropRate, dPeakDropRate,
		dUptime, dUptimeP50, dUptimeP95, dUptimeP99,
	}
	perClientDescs = []*prometheus.Desc{dClientSpeed, dClientDrift, dClientBytes}
)

// The real tool's histogram buckets, in seconds.
var (
	latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10}
	uptimeBuckets  = []float64{1, 5, 30, 60, 300, 600, 1800, 3600, 7200}
)
