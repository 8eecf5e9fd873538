package stats

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SummaryConfig carries run facts the snapshot does not know (the real
// tool's fields and types).
type SummaryConfig struct {
	TargetClients      int
	Duration           time.Duration
	MetricsAddr        string
	ShowPerClientStats bool
	ExitCodes          map[int]int // process exit code -> count
	TotalStarts        int         // with TotalRestarts 0: AggregatedStats.TotalProcessStarts
	TotalRestarts      int         // with TotalStarts 0: AggregatedStats.TotalProcessRestarts
	UptimeP50          time.Duration
	UptimeP95          time.Duration
	UptimeP99          time.Duration
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

// The exit summary's frame: the real tool's 79-column rules and its
// titles, indented as its summary indents them.
var (
	summaryRule  = strings.Repeat("═", 79)
	sectionRule  = strings.Repeat("─", 79)
	titleIndents = map[string]int{
		"Request Statistics": 30, "Playback Health": 30, "Uptime Distribution": 28,
		"Lifecycle": 32, "Errors": 34, "Exit Codes": 32, "Footnotes": 33,
		"swarmsim": 35,
	}
)

// FormatExitSummary renders the end-of-run report as the real tool's exit
// summary does, section for section, with its labels, its number,
// duration, byte, rate and percentage formats, its exit-code labels and
// its footnote rules, so that the two can be compared line by line. Then
// come swarmsim's own sections (latency percentiles, speeds, uptime,
// pipeline health, per-client lines, notes) before the closing rule.
// Where it differs from the real tool's on the same inputs (the title, the
// speed it averages, per-client figures that count the clients that left,
// starts and restarts taken from the snapshot when cfg has none) is listed
// in doc.go.
func FormatExitSummary(s *AggregatedStats, cfg SummaryConfig) string {
	if s == nil {
		return formatBasicSummary(cfg)
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	section := func(title string) {
		p("%s\n%s%s\n%s\n\n", sectionRule, strings.Repeat(" ", titleIndents[title]), title, sectionRule)
	}
	summaryHeader(&b)

	if s.MetricsDegraded {
		p("⚠️  METRICS DEGRADED: Parsing could not keep up with FFmpeg output\n")
		p("    Lines dropped: %s across %d clients\n", FormatShortCount(s.TotalLinesDropped), s.ClientsWithDrops)
		p("    Consider: --stats-buffer 2000 or fewer clients for accurate metrics\n\n")
	}
	p("Run Duration:           %s\n", clockHMS(cfg.Duration))
	p("Target Clients:         %d\n", cfg.TargetClients)
	p("Peak Active Clients:    %d\n\n", s.TotalClients)

	section("Request Statistics")
	// the totals include the clients that left: so does the divisor
	per := max(int64(s.TotalClients+s.RemovedClients), 1)
	p("  %-20s %12s %12s %12s\n", "Request Type", "Total", "Rate (/sec)", "Per Client")
	p("  %s\n", strings.Repeat("─", 58))
	p("  %-20s %12s %12.1f %12d\n", "Manifest (.m3u8)", FormatShortCount(s.TotalManifestReqs), s.ManifestReqRate, s.TotalManifestReqs/per)
	p("  %-20s %12s %12.1f %12d\n", "Segments (.ts)", FormatShortCount(s.TotalSegmentReqs), s.SegmentReqRate, s.TotalSegmentReqs/per)
	if s.TotalInitReqs > 0 {
		p("  %-20s %12s %12s %12d\n", "Init segments", FormatShortCount(s.TotalInitReqs), "-", s.TotalInitReqs/per)
	}
	p("\n  Total Bytes:          %s  (%s/s)\n\n", FormatShortBytes(s.TotalBytes), FormatShortBytes(int64(s.ThroughputBytesPerSec)))

	section("Playback Health")
	if n := s.ClientsAboveRealtime + s.ClientsBelowRealtime; n > 0 {
		p("  >= 1.0x (healthy):    %d (%d%%)\n", s.ClientsAboveRealtime, s.ClientsAboveRealtime*100/n)
		p("  < 1.0x (buffering):   %d (%d%%)\n", s.ClientsBelowRealtime, s.ClientsBelowRealtime*100/n)
	}
	p("  Average Speed:        %.2fx\n", s.AverageFFmpegSpeed) // the figure FFmpeg prints, as the real tool's
	p("  Stalled Clients:      %d\n", s.StalledClients)
	if s.MaxDrift > 0 {
		p("  Average Drift:        %s\n", FormatWholeMs(s.AverageDrift))
		p("  Max Drift:            %s\n", FormatWholeMs(s.MaxDrift))
		if s.ClientsWithHighDrift > 0 {
			p("  High Drift Clients:   %d (>5s)\n", s.ClientsWithHighDrift)
		}
	}
	p("\n")

	if cfg.UptimeP50 > 0 || cfg.UptimeP95 > 0 {
		section("Uptime Distribution")
		p("  P50 (median):         %s\n", clockHMS(cfg.UptimeP50))
		p("  P95:                  %s\n", clockHMS(cfg.UptimeP95))
		p("  P99:                  %s\n\n", clockHMS(cfg.UptimeP99))
	}

	starts, restarts := cfg.TotalStarts, cfg.TotalRestarts
	if starts == 0 && restarts == 0 {
		starts, restarts = int(s.TotalProcessStarts), int(s.TotalProcessRestarts)
	}
	if starts > 0 || restarts > 0 {
		section("Lifecycle")
		p("  Total Starts:         %d\n", starts)
		p("  Total Restarts:       %d\n\n", restarts)
	}

	if len(s.TotalHTTPErrors) > 0 || s.TotalTimeouts > 0 || s.TotalReconnections > 0 {
		section("Errors")
		for _, code := range slices.Sorted(maps.Keys(s.TotalHTTPErrors)) {
			if code == HTTPOtherCode {
				p("  HTTP Other:            %d\n", s.TotalHTTPErrors[code])
			} else {
				p("  HTTP %d:               %d\n", code, s.TotalHTTPErrors[code])
			}
		}
		if s.TotalTimeouts > 0 {
			p("  Timeouts:             %d\n", s.TotalTimeouts)
		}
		if s.TotalReconnections > 0 {
			p("  Reconnections:        %d\n", s.TotalReconnections)
		}
		p("  Error Rate:           %.4f%%\n\n", s.ErrorRate*100)
	}

	if len(cfg.ExitCodes) > 0 {
		section("Exit Codes")
		for _, code := range slices.Sorted(maps.Keys(cfg.ExitCodes)) {
			p("  %3d %-16s %d\n", code, exitCodeLabel(code), cfg.ExitCodes[code])
		}
		p("\n")
	}
	b.WriteString(renderFootnotes(s))
	if cfg.MetricsAddr != "" {
		p("Metrics endpoint was: http://%s/metrics\n", cfg.MetricsAddr)
	}

	section("swarmsim")
	writeSwarmsimSections(&b, s, cfg)
	p("%s\n", summaryRule)
	return b.String()
}

func summaryHeader(b *strings.Builder) {
	fmt.Fprintf(b, "\n%s\n%sswarmsim Exit Summary (simulated go-ffmpeg-hls-swarm)\n%s\n\n",
		summaryRule, strings.Repeat(" ", 13), summaryRule)
}

// formatBasicSummary is the summary without a snapshot.
func formatBasicSummary(cfg SummaryConfig) string {
	var b strings.Builder
	summaryHeader(&b)
	fmt.Fprintf(&b, "Run Duration:           %s\n", clockHMS(cfg.Duration))
	fmt.Fprintf(&b, "Target Clients:         %d\n\n", cfg.TargetClients)
	b.WriteString("(Stats collection was disabled - use --stats to enable detailed metrics)\n\n")
	if cfg.MetricsAddr != "" {
		fmt.Fprintf(&b, "Metrics endpoint was: http://%s/metrics\n", cfg.MetricsAddr)
	}
	b.WriteString(summaryRule + "\n")
	return b.String()
}

// renderFootnotes returns the real tool's footnotes section: unknown URL
// requests and the peak drop rate, each only when non-zero ("" when there
// is neither).
func renderFootnotes(s *AggregatedStats) string {
	var notes []string
	if s.TotalUnknownReqs > 0 {
		notes = append(notes, fmt.Sprintf("[2] Unknown URL requests: %d (may indicate byte-range playlists, signed URLs)", s.TotalUnknownReqs))
	}
	if s.PeakDropRate > 0 {
		notes = append(notes, fmt.Sprintf("[3] Peak metrics drop rate: %.1f%%", s.PeakDropRate*100))
	}
	if len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%sFootnotes\n%s\n\n", sectionRule, strings.Repeat(" ", titleIndents["Footnotes"]), sectionRule)
	for _, n := range notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	b.WriteString("\n")
	return b.String()
}

// exitCodeLabel is the real tool's label of an exit code ("" for codes it
// does not name).
func exitCodeLabel(code int) string {
	switch code {
	case 0:
		return "(clean)"
	case 1:
		return "(error)"
	case 137:
		return "(SIGKILL)"
	case 143:
		return "(SIGTERM)"
	}
	return ""
}

// writeSwarmsimSections writes what the real tool's summary does not show.
func writeSwarmsimSections(b *strings.Builder, s *AggregatedStats, cfg SummaryConfig) {
	line := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	kv := func(k, v string) { line("  %-32s %s", k+":", v) }
	first := true
	head := func(title string) {
		if !first {
			line("")
		}
		first = false
		line("  %s\n  %s", title, strings.Repeat("─", len(title)))
	}

	head("Latency (merged over all clients)")
	line("  %-12s %10s %10s %10s %10s %10s %10s %10s", "", "count", "p25", "p50", "p75", "p95", "p99", "max")
	for _, l := range []struct {
		name string
		p    LatencyPercentiles
	}{{"Segment", s.SegmentLatency()}, {"Manifest", s.ManifestLatency()}, {"TCP connect", s.TCPConnectLatency()}} {
		line("  %-12s %10s %10s %10s %10s %10s %10s %10s", l.name, FormatNumber(l.p.Count),
			FormatMs(l.p.P25), FormatMs(l.p.P50), FormatMs(l.p.P75), FormatMs(l.p.P95), FormatMs(l.p.P99), FormatMs(l.p.Max))
	}
	kv("TCP connects (ok/refused/timeout)", fmt.Sprintf("%s / %s / %s", FormatNumber(s.TCPConnectSuccess), FormatNumber(s.TCPConnectRefused), FormatNumber(s.TCPConnectTimeout)))
	kv("Playlist refreshes (late)", fmt.Sprintf("%s (%s)", FormatNumber(s.PlaylistRefreshes), FormatNumber(s.PlaylistLateCount)))
	kv("Playlist jitter avg / max", FormatMs(s.PlaylistJitterAvg)+" / "+FormatMs(s.PlaylistJitterMax))
	kv("Sequence skips (segments)", fmt.Sprintf("%s (%s)", FormatNumber(s.SequenceSkips), FormatNumber(s.SkippedSequences)))

	head("Speed and clients")
	kv("Clients at end", fmt.Sprintf("%s (%s left during the run)", FormatNumber(int64(s.TotalClients)), FormatNumber(int64(s.RemovedClients))))
	kv("Active clients", FormatNumber(int64(s.ActiveClients)))
	kv("No speed reading yet", FormatNumber(int64(s.ClientsNoReading)))
	// Two speeds: the one that drives states and stalls, and FFmpeg's
	// running average, the real tool's "Average Speed" above.
	kv("Average speed (instantaneous)", fmt.Sprintf("%.2fx", s.AverageSpeed))
	kv("Average speed (FFmpeg avg)", fmt.Sprintf("%.2fx", s.AverageFFmpegSpeed))
	kv("Error rate status", formatPercent(s.ErrorRate)+" "+errorRateStatus(s.ErrorRate))

	head("Uptime (registered clients)")
	kv("Min / avg / max", FormatDuration(s.MinUptime)+" / "+FormatDuration(s.AvgUptime)+" / "+FormatDuration(s.MaxUptime))
	kv("p50 / p95 / p99", FormatDuration(s.UptimeP50)+" / "+FormatDuration(s.UptimeP95)+" / "+FormatDuration(s.UptimeP99))

	head("Pipeline Health")
	kv("Lines read / dropped", FormatNumber(s.TotalLinesRead)+" / "+FormatNumber(s.TotalLinesDropped))
	kv("Clients with drops", FormatNumber(int64(s.ClientsWithDrops)))
	kv("Drop rate (peak)", formatPercent(s.CurrentDropRate)+" ("+formatPercent(s.PeakDropRate)+")")

	if cfg.ShowPerClientStats && len(s.PerClientSummaries) > 0 {
		head("Per Client")
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

	head("Notes")
	line("  Rates are averages over the run; error rate = (HTTP errors + timeouts) / (manifest + segment + init requests).")
	line("  Average Speed above is FFmpeg's running average (position / time since its process started), as the real tool shows;")
	line("  the instantaneous speed drives stalls: below 0.9x for more than 5s (0x = no progress) is stalled.")
	line("  Drift = time since the process started - playback position. Per-client figures count the clients that left.")
	line("  Latency percentiles come from per-client histograms merged into one distribution (relative error <= 1/128 = 0.78%%).")
	line("")
}

// The real tool's summary formats.

// FormatExitDuration renders d as the exit summary does, the real tool's
// HH:MM:SS (seconds truncated).
func FormatExitDuration(d time.Duration) string { return clockHMS(d) }

// clockHMS renders d as HH:MM:SS (seconds truncated).
func clockHMS(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// FormatShortCount renders n as the real tool does in its summary and
// dashboard: with one decimal and a K or M suffix from 1 000 (999, 1.2K, 3.4M).
func FormatShortCount(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%.1fK", float64(n)/1_000)
	}
	return strconv.FormatInt(n, 10)
}

// FormatShortBytes renders n as the real tool does in its summary and
// dashboard: with two decimals and a KB, MB or GB suffix (decimal units).
func FormatShortBytes(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.2f GB", float64(n)/1_000_000_000)
	case n >= 1_000_000:
		return fmt.Sprintf("%.2f MB", float64(n)/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%.2f KB", float64(n)/1_000)
	}
	return fmt.Sprintf("%d B", n)
}

// FormatWholeMs renders a latency as the real tool does in its summary and
// dashboard: in whole milliseconds, in microseconds below 1 ms.
func FormatWholeMs(d time.Duration) string {
	if ms := d.Milliseconds(); ms != 0 || d <= 0 {
		return fmt.Sprintf("%d ms", ms)
	}
	return fmt.Sprintf("%d µs", d.Microseconds())
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
