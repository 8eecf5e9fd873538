package app

import (
	"fmt"
	"math"
	"strings"

	"swarmsim/sim/drill"
	"swarmsim/sim/stats"
)

// A drill's evidence: the metric that shows the fault, where the dashboard
// plots it, its name and unit as the dashboard writes them, and what the
// reveal draws and says of it.

// EvidenceChart is the dashboard chart and line that plot a drill's
// evidence metric; false for a metric no chart plots (the reveal's own
// evidence chart shows it).
func EvidenceChart(metric string) (Chart, int, bool) {
	switch metric {
	case "AboveRealtime":
		return ChartClients, 0, true
	case "BelowRealtime":
		return ChartClients, 1, true
	case "Stalled":
		return ChartClients, 2, true
	case "Backoff":
		return ChartClients, 3, true
	case "ThroughputBps":
		return ChartThroughput, 0, true
	case "Throughput30s":
		return ChartThroughput, 1, true
	case "SegmentRate":
		return ChartRequests, 0, true
	case "ManifestRate":
		return ChartRequests, 1, true
	case "ErrorRate":
		return ChartErrors, 0, true
	case "ConnectFailRate":
		return ChartErrors, 1, true
	case "SegLatP50":
		return ChartLatency, 0, true
	case "SegLatP95":
		return ChartLatency, 1, true
	case "SegLatP99":
		return ChartLatency, 2, true
	case "AvgDrift":
		return ChartDrift, 0, true
	case "MaxDrift":
		return ChartDrift, 1, true
	}
	return 0, 0, false
}

// MetricLabel names an engine.Sample metric as the dashboard does: the
// chart line that plots it ("request rates: segments"), or in words for a
// metric no chart plots. Sample field names are for files, not trainees.
func MetricLabel(metric string) string {
	if c, line, ok := EvidenceChart(metric); ok {
		charts := NewSeriesCharts()
		d := &charts.Charts[c]
		return d.Title + ": " + d.Lines[line].Name
	}
	words := map[string]string{
		"Clients": "clients", "NotStarted": "clients not started", "Starting": "clients starting",
		"Playing": "clients playing", "Buffering": "clients buffering", "Stopped": "clients stopped",
		"NoReading": "clients without a speed reading", "Throughput60s": "throughput, 60 s average",
		"Throughput5m": "throughput, 5 min average", "InitRate": "request rates: init segments",
		"HTTPErrors": "HTTP errors (total)", "Timeouts": "timeouts (total)", "Reconnections": "reconnections (total)",
		"ManLatP50": "manifest latency p50", "ManLatP95": "manifest latency p95",
		"AvgInstantSpeed": SpeedInstantLabel + ", mean over clients with a reading",
	}
	if w, ok := words[metric]; ok {
		return w
	}
	return metric
}

// MetricFormat formats a value of an engine.Sample metric in its unit.
func MetricFormat(metric string) func(float64) string {
	switch {
	case metric == "ErrorRate" || metric == "ConnectFailRate":
		return FormatPercent
	case strings.HasPrefix(metric, "Throughput"):
		return func(v float64) string { return FormatRate(v, "B") }
	case strings.HasSuffix(metric, "Rate"):
		return func(v float64) string { return FormatRate(v, "") }
	case strings.Contains(metric, "Lat") || strings.HasSuffix(metric, "Drift"):
		return FormatSeconds
	case metric == "AvgInstantSpeed":
		return func(v float64) string { return fmt.Sprintf("%.2fx", v) }
	}
	return func(v float64) string { return stats.FormatNumber(int64(math.Round(v))) }
}

// The colours of the moments a drill marks on the charts.
var (
	ColYourStart  = ColCyan
	ColFaultStart = ColText
)

// DrillMarkers are the moments a drill marks on every chart: the start the
// trainee marked, and at the reveal the fault's start.
func DrillMarkers(s *DrillSession) []Marker {
	if s == nil {
		return nil
	}
	var out []Marker
	if start, ok := s.Drill.Start(); ok && s.Revealed() {
		out = append(out, Marker{T: start.Seconds(), Label: "fault", Color: ColFaultStart})
	}
	if a := s.Answer(); a.StartGiven {
		out = append(out, Marker{T: a.Start.Seconds(), Label: "your start", Color: ColYourStart})
	}
	return out
}

// EvidenceHighlight is the window the reveal outlines on the evidence
// metric's chart.
func EvidenceHighlight(s *DrillSession) Highlight {
	ev := s.Drill.Evidence
	return Highlight{From: ev.From.Seconds(), To: ev.To.Seconds(), Label: "evidence"}
}

// EvidenceChartData is the reveal's chart: the evidence metric in the
// drill's run and in the same run without the fault (a control drill has
// only its own), with the scenario's events, the evidence window and the
// two starts.
func EvidenceChartData(s *DrillSession) *ChartData {
	_, runs, _ := s.Departure()
	metric := s.Drill.Evidence.Metric
	d := &ChartData{Title: "evidence: " + MetricLabel(metric), Format: MetricFormat(metric)}
	// The run without the fault first, so that this run is drawn over it.
	this := 0
	if runs.Baseline != nil {
		d.Lines = append(d.Lines, Line{Name: "without the fault", Color: ColMuted})
		this = 1
	}
	d.Lines = append(d.Lines, Line{Name: "this run", Color: ColRed})
	for i := range runs.Faulted {
		d.Times = append(d.Times, runs.Faulted[i].T)
		d.Lines[this].Values = append(d.Lines[this].Values, drill.MetricValue(&runs.Faulted[i], metric))
		if runs.Baseline != nil {
			v := Gap
			if i < len(runs.Baseline) {
				v = drill.MetricValue(&runs.Baseline[i], metric)
			}
			d.Lines[0].Values = append(d.Lines[0].Values, v)
		}
	}
	if n := len(d.Times); n > 0 {
		d.Now = d.Times[n-1]
	}
	d.Bands = ScenarioBands(s)
	d.Markers = DrillMarkers(s)
	h := EvidenceHighlight(s)
	h.Label = "" // the chart's title says it
	d.Highlight = &h
	return d
}

// ScenarioBands are the drill scenario's events as chart bands, at their
// scripted times clamped to the run (the engine starts an event at the next
// 100 ms tick, the same instant for times in whole ticks).
func ScenarioBands(s *DrillSession) []Band {
	sc := s.Drill.Scenario
	end := sc.Duration.D().Seconds()
	var out []Band
	for _, e := range sc.Events {
		from := math.Min(e.At.D().Seconds(), end)
		out = append(out, Band{Start: from, End: math.Min(from+e.Duration.D().Seconds(), end), Kind: string(e.Kind),
			Caption: e.Caption, Color: EventColor(string(e.Kind))})
	}
	return out
}

// EvidenceText says what the reveal measured: the evidence metric's mean
// over its window against the run without the fault.
func EvidenceText(s *DrillSession) string {
	dep, _, err := s.Departure()
	if err != nil {
		return "The evidence could not be measured: " + err.Error()
	}
	f := MetricFormat(dep.Metric)
	what := MetricLabel(dep.Metric)
	if _, _, ok := EvidenceChart(dep.Metric); !ok {
		what += " (on no dashboard chart: drawn above)"
	}
	window := fmt.Sprintf("from %s to %s", stats.FormatClock(dep.From), stats.FormatClock(dep.To))
	if dep.Control {
		return fmt.Sprintf("%s %s averaged %s and strayed at most %s from it: less than the %s a fault would show.",
			upperFirst(what), window, f(dep.Faulted), f(dep.Departure), f(dep.Margin))
	}
	return fmt.Sprintf("%s %s averaged %s, against %s in the same run without the fault.",
		upperFirst(what), window, f(dep.Faulted), f(dep.Baseline))
}
