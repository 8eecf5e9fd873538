package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"swarmsim/internal/palette"
	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/stats"
)

// metric picks one value out of a sample.
type metric struct {
	label string
	get   func(*engine.Sample) float64
	// color is the shared palette's colour for what the line stands for
	// (a client state, a level); unset, the next of palette.Lines.
	color color.RGBA
}

type chartSpec struct {
	id, title, ylabel string
	metrics           []metric
}

var chartSpecs = []chartSpec{
	{"clients", "Clients by state", "clients", []metric{
		{"all clients", func(s *engine.Sample) float64 { return float64(s.Clients) }, palette.Blue},
		{"playing", func(s *engine.Sample) float64 { return float64(s.Playing) }, palette.State(clients.Playing)},
		{"buffering", func(s *engine.Sample) float64 { return float64(s.Buffering) }, palette.State(clients.Buffering)},
		{"stalled", func(s *engine.Sample) float64 { return float64(s.Stalled) }, palette.State(clients.Stalled)},
		{"backoff", func(s *engine.Sample) float64 { return float64(s.Backoff) }, palette.State(clients.Backoff)},
		{"starting", func(s *engine.Sample) float64 { return float64(s.Starting) }, palette.State(clients.Starting)},
		{"not started", func(s *engine.Sample) float64 { return float64(s.NotStarted) }, palette.State(clients.NotStarted)},
	}},
	{"throughput", "Throughput", "Mbit/s", []metric{
		{"per interval", func(s *engine.Sample) float64 { return s.ThroughputBps * 8 / 1e6 }, color.RGBA{}},
		{"30 s window", func(s *engine.Sample) float64 { return s.Throughput30s * 8 / 1e6 }, color.RGBA{}},
	}},
	{"requests", "Request rates", "requests/s", []metric{
		{"segments", func(s *engine.Sample) float64 { return s.SegmentRate }, color.RGBA{}},
		{"playlists", func(s *engine.Sample) float64 { return s.ManifestRate }, color.RGBA{}},
		{"init", func(s *engine.Sample) float64 { return s.InitRate }, color.RGBA{}},
	}},
	{"errors", "Error rate", "% of requests", []metric{
		{"(HTTP errors + timeouts) / requests", func(s *engine.Sample) float64 { return 100 * s.ErrorRate }, palette.Red},
		{"failed / TCP connects", func(s *engine.Sample) float64 { return 100 * s.ConnectFailRate }, palette.Purple},
	}},
	{"latency", "Latency percentiles", "seconds", []metric{
		{"segment p50", func(s *engine.Sample) float64 { return s.SegLatP50 }, palette.Green},
		{"segment p95", func(s *engine.Sample) float64 { return s.SegLatP95 }, palette.Amber},
		{"segment p99", func(s *engine.Sample) float64 { return s.SegLatP99 }, palette.Red},
		{"playlist p95", func(s *engine.Sample) float64 { return s.ManLatP95 }, palette.Blue},
	}},
	{"speed", "Playback speed", "x real time", []metric{
		{"average speed (instantaneous)", func(s *engine.Sample) float64 { return s.AvgInstantSpeed }, color.RGBA{}},
	}},
	{"drift", "Drift (wall time since start - playback position)", "seconds", []metric{
		{"average drift", func(s *engine.Sample) float64 { return s.AvgDrift }, color.RGBA{}},
		{"max drift", func(s *engine.Sample) float64 { return s.MaxDrift }, color.RGBA{}},
	}},
}

// ChartIDs lists the ids of the charts FromRun draws, in order.
func ChartIDs() []string {
	ids := make([]string, len(chartSpecs))
	for i, c := range chartSpecs {
		ids[i] = c.id
	}
	return ids
}

// FromRun builds the report page of a run; baseline (may be nil) is overlaid dashed.
func FromRun(run *export.Run, baseline *export.Run, baselineName, summary string, objectives []Objective) Page {
	sc := run.Scenario
	p := Page{Summary: summary, Objectives: objectives}
	if baseline != nil {
		p.Baseline = baselineName
	}
	dur := 0.0
	if sc != nil {
		p.Title = sc.Name
		p.Description = sc.Description
		dur = sc.Duration.Seconds()
		p.Facts = append(p.Facts,
			Fact{"scenario", sc.Name},
			Fact{"seed", strconv.FormatUint(run.Seed, 10)},
			Fact{"duration", sc.Duration.String() + " of virtual time"},
			Fact{"clients", strconv.Itoa(sc.Clients.Count)},
			Fact{"segments", fmt.Sprintf("%s, %v kbps video + %d kbps audio", sc.Stream.SegmentDuration, sc.Stream.BitratesKbps, sc.Stream.AudioKbps)},
			Fact{"origin capacity", fmt.Sprintf("%g Mbit/s", sc.Origin.CapacityMbps)},
		)
	}
	if f := run.Final; f != nil {
		// Two speeds: the one that drives states and stalls (charted below) and
		// FFmpeg's running average, the figure the real tool reads.
		p.Facts = append(p.Facts, Fact{"average speed at the end",
			fmt.Sprintf("%s instantaneous, %s FFmpeg's running average", speed(f.AverageSpeed), speed(f.AverageFFmpegSpeed))})
	}
	if n := len(run.Series); n > 0 {
		dur = max(dur, run.Series[n-1].T)
	}
	var bands []Band
	for _, e := range run.Events {
		bands = append(bands, Band{From: e.Start.Seconds(), To: e.End.Seconds(), Label: e.Caption})
		kind := string(e.Kind)
		if e.Injected {
			kind += " (injected)"
		}
		p.Events = append(p.Events, EventRow{
			At:      stats.FormatClock(e.Start),
			End:     stats.FormatClock(e.End),
			Kind:    kind,
			Caption: e.Caption,
		})
	}
	for _, spec := range chartSpecs {
		c := Chart{ID: spec.id, Title: spec.title, YLabel: spec.ylabel, Bands: bands, XMax: dur}
		for _, m := range spec.metrics {
			c.Lines = append(c.Lines, line(m, run.Series, false, ""))
		}
		if baseline != nil {
			for _, m := range spec.metrics {
				c.Lines = append(c.Lines, line(m, baseline.Series, true, "baseline "))
			}
		}
		p.Charts = append(p.Charts, c)
	}
	return p
}

func line(m metric, samples []engine.Sample, baseline bool, prefix string) Line {
	l := Line{Label: prefix + m.label, Baseline: baseline, Color: m.color, X: make([]float64, len(samples)), Y: make([]float64, len(samples))}
	for i := range samples {
		l.X[i] = samples[i].T
		l.Y[i] = m.get(&samples[i])
	}
	return l
}

// speed writes a speed as 0.97x; "n/a" without a value (NaN: a run file with null).
func speed(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", v)
}
