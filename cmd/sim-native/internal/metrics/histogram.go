package metrics

import (
	"slices"

	"swarmsim/sim/stats"
)

// cumulativeBuckets converts h into Prometheus histogram figures for the
// upper bounds in bounds (seconds, ascending): the observation count, their
// sum in seconds, and the cumulative count at each bound. An observation is
// counted at a bound when its stats bucket's representative value (within
// stats.HistogramRelativeError of it) is at most the bound.
func cumulativeBuckets(h *stats.HistogramSnapshot, bounds []float64) (count uint64, sum float64, cum map[float64]uint64) {
	per := make([]uint64, len(bounds)+1) // the last: above every bound
	for v, c := range h.Buckets() {
		secs := v.Seconds()
		i, _ := slices.BinarySearch(bounds, secs) // first bound >= secs
		per[i] += uint64(c)
		count += uint64(c)
		sum += float64(secs * float64(c))
	}
	cum = make(map[float64]uint64, len(bounds))
	var run uint64
	for i, b := range bounds {
		run += per[i]
		cum[b] = run
	}
	return count, sum, cum
}
