package stats

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SummaryConfig carries run facts the snapshot does not know.
type SummaryConfig struct {
	TargetClients      int
	Duration           time.Duration
	MetricsAddr        string
	ShowPerClientStats bool
	ExitCodes          map[int]int // process exit code -> count
	TotalStarts        int64       // 0: use AggregatedStats.TotalProcessStarts
	TotalRestarts      int64       // 0 with TotalStarts 0: use AggregatedStats.TotalProcessRestarts
	UptimeP50          time.Duration
	UptimeP95          time.Duration
	UptimeP99          time.Duration // 0: use the snapshot's uptime percentiles
}

// httpStatusNames names the 4xx/5xx codes of the IANA registry.
var httpStatusNames = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
	404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
	407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict",
	410: "Gone", 411: "Length Required", 412: "Precondition Failed",
	413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
	416: "Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
	421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked",
	424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required",
	428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates", 507: "Insufficient Storage", 508: "Loop Detected",
	510: "Not Extended", 511: "Network Authentication Required",
}

// HTTPErrorLabel names a status code for display: "HTTP 503 Service
// Unavailable", "HTTP 599" for unnamed codes, and "HTTP other (outside
// 400-599)" for code 0 (HTTPOtherCode).
func HTTPErrorLabel(code int) string {
	if code == HTTPOtherCode {
		return "HTTP other (outside 400-599)"
	}
	if n, ok := httpStatusNames[code]; ok {
		return "HTTP " + strconv.Itoa(code) + " " + n
	}
	return "HTTP " + strconv.Itoa(code)
}

// FormatExitSummary renders the end-of-run report: a metrics-degraded
// warning (when degraded), run info, request statistics, bytes and
// throughput, latency percentiles, playback health, uptime distribution,
// lifecycle, errors (HTTP codes in ascending order, named, "other" last
// labelled), exit codes, optional per-client lines and footnotes.
func FormatExitSummary(s *AggregatedStats, cfg SummaryConfig) string {
	if s == nil {
		s = &AggregatedStats{}
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	kv := func(k, v string) { line("  %-32s %s", k+":", v) }
	section := func(title string) { line("\n%s\n%s", title, strings.Repeat("─", len(title))) }

	if s.MetricsDegraded {
		line("WARNING: metrics degraded: %s of stats lines were dropped (peak %s); figures below undercount.",
			formatPercent(s.CurrentDropRate), formatPercent(s.PeakDropRate))
	}
	line("═══ HLS swarm run summary ═══")
	section("Run")
	kv("Target clients", FormatNumber(int64(cfg.TargetClients)))
	if s.RemovedClients > 0 {
		kv("Clients at end", fmt.Sprintf("%s (%s left during the run)", FormatNumber(int64(s.TotalClients)), FormatNumber(int64(s.RemovedClients))))
	} else {
		kv("Clients at end", FormatNumber(int64(s.TotalClients)))
	}
	dur := cfg.Duration
	if dur == 0 {
		dur = s.Elapsed
	}
	kv("Duration", FormatDuration(dur))
	if cfg.MetricsAddr != "" {
		kv("Metrics", cfg.MetricsAddr)
	}

	section("Request Statistics")
	n := int64(s.TotalClients + s.RemovedClients) // the totals include the clients that left
	line("  %-10s %14s %12s %12s", "Type", "Total", "Rate", "Per client")
	row := func(name string, total int64, rate float64) {
		per := "-"
		if n > 0 {
			per = strconv.FormatFloat(float64(total)/float64(n), 'f', 1, 64)
		}
		line("  %-10s %14s %12s %12s", name, FormatNumber(total), FormatRate(rate), per)
	}
	row("Manifest", s.TotalManifestReqs, s.ManifestReqRate)
	row("Segment", s.TotalSegmentReqs, s.SegmentReqRate)
	row("Init", s.TotalInitReqs, s.InitReqRate)
	row("Unknown", s.TotalUnknownReqs, rateOf(s.TotalUnknownReqs, s.Elapsed))
	line("")
	kv("Total bytes", FormatBytes(s.TotalBytes))
	kv("Throughput", FormatBytes(int64(s.ThroughputBytesPerSec))+"/s")

	section("Latency (merged over all clients)")
	line("  %-12s %10s %10s %10s %10s %10s %10s %10s", "", "count", "p25", "p50", "p75", "p95", "p99", "max")
	lat := func(name string, c int64, p25, p50, p75, p95, p99, mx time.Duration) {
		line("  %-12s %10s %10s %10s %10s %10s %10s %10s", name, FormatNumber(c),
			FormatMs(p25), FormatMs(p50), FormatMs(p75), FormatMs(p95), FormatMs(p99), FormatMs(mx))
	}
	lat("Segment", s.SegmentLatencyCount, s.SegmentLatencyP25, s.SegmentLatencyP50, s.SegmentLatencyP75, s.SegmentLatencyP95, s.SegmentLatencyP99, s.SegmentLatencyMax)
	lat("Manifest", s.ManifestLatencyCount, s.ManifestLatencyP25, s.ManifestLatencyP50, s.ManifestLatencyP75, s.ManifestLatencyP95, s.ManifestLatencyP99, s.ManifestLatencyMax)
	lat("TCP connect", s.TCPConnectSuccess, s.TCPConnectLatencyP25, s.TCPConnectLatencyP50, s.TCPConnectLatencyP75, s.TCPConnectLatencyP95, s.TCPConnectLatencyP99, s.TCPConnectLatencyMax)
	kv("TCP connects (ok/refused/timeout)", fmt.Sprintf("%s / %s / %s", FormatNumber(s.TCPConnectSuccess), FormatNumber(s.TCPConnectRefused), FormatNumber(s.TCPConnectTimeout)))
	kv("Playlist refreshes (late)", fmt.Sprintf("%s (%s)", FormatNumber(s.PlaylistRefreshes), FormatNumber(s.PlaylistLateCount)))
	kv("Playlist jitter avg / max", FormatMs(s.PlaylistJitterAvg)+" / "+FormatMs(s.PlaylistJitterMax))
	kv("Sequence skips (segments)", fmt.Sprintf("%s (%s)", FormatNumber(s.SequenceSkips), FormatNumber(s.SkippedSequences)))

	section("Playback Health")
	share := func(c int) string {
		if s.ActiveClients == 0 {
			return FormatNumber(int64(c))
		}
		return fmt.Sprintf("%s (%s)", FormatNumber(int64(c)), formatPercent(float64(c)/float64(s.ActiveClients)))
	}
	kv("At/above real time (>= 1.0x)", share(s.ClientsAboveRealtime))
	kv("Below real time (< 1.0x)", share(s.ClientsBelowRealtime))
	kv("No speed reading yet", share(s.ClientsNoReading))
	// Two speeds: the one that drives states and stalls, and FFmpeg's running
	// average, the figure the real tool reads as its "Average Speed".
	kv("Average speed (instantaneous)", fmt.Sprintf("%.2fx", s.AverageSpeed))
	kv("Average speed (FFmpeg avg)", fmt.Sprintf("%.2fx", s.AverageFFmpegSpeed))
	kv("Stalled (< 0.9x for > 5s)", share(s.StalledClients))
	kv("Average drift", FormatDuration(s.AverageDrift))
	kv("Max drift", FormatDuration(s.MaxDrift))
	kv("High drift (> 5s)", share(s.ClientsWithHighDrift))

	section("Uptime Distribution")
	p50, p95, p99 := s.UptimeP50, s.UptimeP95, s.UptimeP99
	if cfg.UptimeP50 != 0 || cfg.UptimeP95 != 0 || cfg.UptimeP99 != 0 {
		p50, p95, p99 = cfg.UptimeP50, cfg.UptimeP95, cfg.UptimeP99
	}
	kv("Min / avg / max", FormatDuration(s.MinUptime)+" / "+FormatDuration(s.AvgUptime)+" / "+FormatDuration(s.MaxUptime))
	kv("p50 / p95 / p99", FormatDuration(p50)+" / "+FormatDuration(p95)+" / "+FormatDuration(p99))

	section("Lifecycle")
	starts, restarts := cfg.TotalStarts, cfg.TotalRestarts
	if starts == 0 && restarts == 0 {
		starts, restarts = s.TotalProcessStarts, s.TotalProcessRestarts
	}
	kv("Process starts", FormatNumber(starts))
	kv("Restarts", FormatNumber(restarts))

	section("Errors")
	errs := HTTPErrorCountsOf(s.TotalHTTPErrors)
	if errs.Total() == 0 {
		kv("HTTP errors", "none")
	}
	for code := MinHTTPErrorCode; code <= MaxHTTPErrorCode; code++ {
		if c := errs.Get(code); c != 0 {
			kv(HTTPErrorLabel(code), FormatNumber(c))
		}
	}
	if c := errs.Get(HTTPOtherCode); c != 0 {
		kv(HTTPErrorLabel(HTTPOtherCode), FormatNumber(c))
	}
	kv("Timeouts", FormatNumber(s.TotalTimeouts))
	kv("Reconnections", FormatNumber(s.TotalReconnections))
	kv("Error rate", formatPercent(s.ErrorRate)+" "+errorRateStatus(s.ErrorRate))

	if len(cfg.ExitCodes) > 0 {
		section("Exit Codes")
		for _, code := range slices.Sorted(maps.Keys(cfg.ExitCodes)) {
			kv("Exit code "+strconv.Itoa(code), FormatNumber(int64(cfg.ExitCodes[code])))
		}
	}

	section("Pipeline Health")
	kv("Lines read / dropped", FormatNumber(s.TotalLinesRead)+" / "+FormatNumber(s.TotalLinesDropped))
	kv("Clients with drops", FormatNumber(int64(s.ClientsWithDrops)))
	kv("Drop rate (peak)", formatPercent(s.CurrentDropRate)+" ("+formatPercent(s.PeakDropRate)+")")

	if cfg.ShowPerClientStats && len(s.PerClientSummaries) > 0 {
		section("Per Client")
		line("  %6s %10s %10s %10s %10s %8s %8s %10s %s", "client", "uptime", "manifest", "segment", "bytes", "speed", "errors", "drift", "state")
		for _, c := range s.PerClientSummaries {
			var errs int64
			for _, v := range c.HTTPErrors {
				errs += v
			}
			state := "ok"
			switch {
			case c.IsStalled:
				state = "stalled"
			case !c.HasSpeed:
				state = "no reading"
			case c.HasHighDrift:
				state = "high drift"
			}
			line("  %6d %10s %10s %10s %10s %7.2fx %8s %10s %s", c.ClientID, FormatDuration(c.Uptime),
				FormatNumber(c.ManifestRequests), FormatNumber(c.SegmentRequests), FormatBytes(c.TotalBytes),
				c.CurrentSpeed, FormatNumber(errs), FormatDuration(c.CurrentDrift), state)
		}
	}

	section("Footnotes")
	line("  Rates are averages over the run; error rate = (HTTP errors + timeouts) / (manifest + segment + init requests).")
	line("  Stalled: speed below 0.9x for more than 5s (0x = no progress). Drift = time since the process started - playback position.")
	line("  Latency percentiles come from per-client histograms merged into one distribution (relative error <= 1/128 = 0.78%%).")
	line("  \"HTTP other\" counts status codes outside 400-599.")
	return b.String()
}

func rateOf(total int64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(total) / (float64(elapsed) / float64(time.Second))
}

// errorRateStatus is the real tool's HTTP-layer status for an error rate.
func errorRateStatus(r float64) string {
	switch {
	case r > 0.20:
		return "(Critical)"
	case r > 0.05:
		return "(Unhealthy)"
	case r > 0.01:
		return "(Degraded)"
	}
	return "(Healthy)"
}

func formatPercent(r float64) string { return strconv.FormatFloat(r*100, 'f', 2, 64) + "%" }

// FormatDuration renders d compactly: "850ms", "12.5s", "3m04s", "2h03m04s"
// (negative durations get a leading "-").
func FormatDuration(d time.Duration) string {
	if d < 0 {
		return "-" + FormatDuration(-d)
	}
	switch {
	case d < time.Second:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(float64(d)/float64(time.Second), 'f', 1, 64) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int64(d/time.Minute), int64(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%dh%02dm%02ds", int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second))
}

// FormatNumber renders n with thousands separators: 1234567 -> "1,234,567".
func FormatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FormatBytes renders a byte count with decimal (SI) units: "999 B",
// "1.28 MB", "205.00 MB".
func FormatBytes(n int64) string {
	if n < 0 {
		return "-" + FormatBytes(-n)
	}
	const unit = 1000
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	units := []string{"KB", "MB", "GB", "TB", "PB", "EB"}
	i := -1
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " " + units[i]
}

// FormatMs renders d in milliseconds with two decimals: "12.34ms".
func FormatMs(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

// FormatRate renders a per-second rate: "12.3/s".
func FormatRate(r float64) string { return strconv.FormatFloat(r, 'f', 1, 64) + "/s" }
