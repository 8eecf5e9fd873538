package stats

import (
	"slices"
	"time"
)

// fillUptime fills the uptime figures of dst from the sorted start times:
// the histogram takes one binary search per non-empty bucket instead of
// one bucket computation per client.
func fillUptime(dst *AggregatedStats, cl *clientList, nowNs int64) {
	st := cl.starts
	n := len(st)
	if n == 0 {
		return
	}
	dst.MinUptime = time.Duration(nowNs - st[n-1])
	dst.MaxUptime = time.Duration(nowNs - st[0])
	dst.AvgUptime = time.Duration(float64(nowNs-st[0]) - cl.startOffMean)
	h := &dst.UptimeHist
	var mask uint64
	// Uptimes ascend as start times descend: walk from the latest start.
	for j := n - 1; j >= 0; {
		b := bucketOf(nowNs - st[j])
		// every start s with nowNs-s below the bucket's upper bound,
		// i.e. s > nowNs-upper, falls into bucket b (or is already counted)
		limit := nowNs - (bucketLower(b) + bucketWidth(b))
		k, _ := slices.BinarySearch(st[:j+1], limit+1) // first index with st[k] > limit
		if b == NumHistogramBuckets-1 || bucketOf(nowNs-st[k]) != b {
			k = j // clamped bucket or a start in the future: count one by one
		}
		h.counts[b] += uint64(j - k + 1)
		mask |= 1 << (b >> 6 & 63)
		j = k - 1
	}
	h.fixup(mask)
}
