package tui

import (
	"slices"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/stats"
)

// OriginWindow is the window of the origin's percentiles (the real tool's
// -origin-metrics-window default).
const OriginWindow = 30 * time.Second

// Frame is everything the dashboard shows at one virtual instant, read from
// the engine at once so that every figure belongs to the same instant.
type Frame struct {
	Now, Duration time.Duration
	// Stats is the engine's exact snapshot (every viewer flushed).
	Stats *stats.AggregatedStats
	// Sample is the recorder's last sample (nil before the first), Window
	// the samples of the last OriginWindow, oldest first.
	Sample *engine.Sample
	Window []engine.Sample
	Origin engine.OriginStatus
	Events []engine.EventMark
}

// Capture reads a frame from eng; perClient adds every client's summary
// (the detailed view's table).
func Capture(eng *engine.Engine, perClient bool) Frame {
	agg := new(stats.AggregatedStats)
	eng.AggregateInto(agg, stats.AggregateOptions{PerClientSummaries: perClient})
	f := Frame{
		Now:      eng.Now(),
		Duration: eng.Duration(),
		Stats:    agg,
		Origin:   eng.Origin(),
		Events:   eng.Events(),
	}
	if s := eng.Series(); len(s.Samples) > 0 {
		k := len(s.Samples)
		if s.Interval > 0 {
			k = min(k, max(int(OriginWindow/s.Interval), 1))
		}
		f.Window = slices.Clone(s.Samples[len(s.Samples)-k:])
		f.Sample = &f.Window[len(f.Window)-1]
	}
	return f
}

// requestRate is the origin's requests per second in the last sample.
func (f *Frame) requestRate() float64 {
	if f.Sample == nil {
		return 0
	}
	return f.Sample.ManifestRate + f.Sample.SegmentRate + f.Sample.InitRate
}

// activeEvent is the latest-starting event in effect now (ok false when
// none is).
func (f *Frame) activeEvent() (engine.EventMark, bool) {
	var cur engine.EventMark
	ok := false
	for _, ev := range f.Events {
		if ev.Start <= f.Now && (f.Now < ev.End || ev.Start == ev.End && ev.Start == f.Now) {
			if !ok || ev.Start >= cur.Start {
				cur, ok = ev, true
			}
		}
	}
	return cur, ok
}

// nextEvent is the next event to start after now.
func (f *Frame) nextEvent() (engine.EventMark, bool) {
	var next engine.EventMark
	ok := false
	for _, ev := range f.Events {
		if ev.Start > f.Now && (!ok || ev.Start < next.Start) {
			next, ok = ev, true
		}
	}
	return next, ok
}
