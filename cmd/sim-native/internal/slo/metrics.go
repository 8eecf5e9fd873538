package slo

import (
	"math"
	"sort"
)

// Metric describes one metric an objective can name.
type Metric struct {
	Name        string
	Description string
	Unit        string // "s" for times; empty for ratios, speeds and counts
}

// Metrics is the catalogue of metrics an objective may use, in help-text order.
var Metrics = []Metric{
	{"error_rate", "(HTTP errors + timeouts) / (manifest + segment + init requests), final snapshot", ""},
	{"stalled_ratio", "stalled clients / active clients, final snapshot (n/a, a violation, when clients remain but none is active)", ""},
	{"peak_stalled_ratio", "worst share of stalled clients among running ones over all samples of the run", ""},
	{"buffering_ratio", "clients buffering or stalled / clients running, last sample", ""},
	{"peak_buffering_ratio", "worst buffering_ratio over all samples of the run", ""},
	{"playing_ratio", "clients playing / clients running (down, starting, buffering or stalled ones are not playing), last sample; n/a when none is running", ""},
	{"peak_down_ratio", "worst share of running clients down (in backoff after an exit) over all samples of the run", ""},
	{"below_realtime_ratio", "clients below real time / active clients, final snapshot (n/a when clients remain but none is active)", ""},
	{"high_drift_ratio", "clients with drift > 5 s / active clients, final snapshot (n/a when clients remain but none is active)", ""},
	{"avg_speed", "average playback speed of the clients with a speed reading (1.0 = real time)", ""},
	{"seg_p50", "segment download latency p50 in seconds (merged over all clients)", "s"},
	{"seg_p95", "segment download latency p95 in seconds", "s"},
	{"seg_p99", "segment download latency p99 in seconds", "s"},
	{"manifest_p99", "playlist download latency p99 in seconds", "s"},
	{"max_drift", "largest drift of any client in seconds", "s"},
	{"avg_drift", "average drift in seconds", "s"},
	{"active_clients", "active clients at the end of the run", ""},
	{"throughput_mbps", "average throughput since start in megabits per second", ""},
}

// Heading is a metric's name as a table column heads it: with its unit in
// brackets when it has one ("seg_p95 [s]"), so a reader never guesses
// whether 2.2 is seconds or milliseconds. Machine-readable outputs (CSV,
// SLO expressions) keep the bare name.
func Heading(name string) string {
	if m, ok := lookup(name); ok && m.Unit != "" {
		return name + " [" + m.Unit + "]"
	}
	return name
}

func lookup(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// MetricNames lists the valid metric names, sorted.
func MetricNames() []string {
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = m.Name
	}
	sort.Strings(names)
	return names
}

// Values holds the metric values of one run by metric name.
type Values map[string]float64

// Get returns the value of a metric, NaN when it is unknown (which fails any objective).
func (v Values) Get(name string) float64 {
	x, ok := v[name]
	if !ok {
		return math.NaN()
	}
	return x
}

// Ratio returns num/den, or 0 when den is 0 (no active clients: nothing is stalled).
func Ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}
