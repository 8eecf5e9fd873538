package metrics

import (
	"cmp"
	"slices"
	"time"
)

// throughputWindows are the averaging windows of the segment throughput
// gauges.
var throughputWindows = [...]time.Duration{time.Second, 30 * time.Second, time.Minute, 5 * time.Minute}

// windowedThroughput averages a cumulative byte count over sliding windows
// of run time, by the real tool's rule: the bytes since the latest sample at
// least a window old, divided by the time since that sample; while no
// sample is that old, since the oldest sample.
type windowedThroughput struct {
	samples []byteSample // ascending in t; none older than needed
}

type byteSample struct {
	t     time.Duration
	bytes int64
}

// add records the count at t (t not before the previous sample's).
func (w *windowedThroughput) add(t time.Duration, bytes int64) {
	if n := len(w.samples); n > 0 && t <= w.samples[n-1].t {
		w.samples[n-1] = byteSample{w.samples[n-1].t, bytes}
		return
	}
	w.samples = append(w.samples, byteSample{t, bytes})
	// Keep the latest sample at least the longest window old, drop older.
	oldest := t - throughputWindows[len(throughputWindows)-1]
	if k := w.baseIndex(oldest); k > 0 {
		w.samples = slices.Delete(w.samples, 0, k)
	}
}

// baseIndex returns the index of the latest sample at or before t, or 0
// when there is none.
func (w *windowedThroughput) baseIndex(t time.Duration) int {
	i, found := slices.BinarySearchFunc(w.samples, t, func(s byteSample, t time.Duration) int {
		return cmp.Compare(s.t, t)
	})
	if found {
		return i
	}
	return max(i-1, 0)
}

// average returns the bytes per second over the window ending at the
// latest sample (0 before two samples).
func (w *windowedThroughput) average(window time.Duration) float64 {
	n := len(w.samples)
	if n < 2 {
		return 0
	}
	last := w.samples[n-1]
	base := w.samples[w.baseIndex(last.t-window)]
	if base.t >= last.t {
		return 0
	}
	return float64(last.bytes-base.bytes) / (last.t - base.t).Seconds()
}
