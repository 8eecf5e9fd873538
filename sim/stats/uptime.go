package stats

import (
	"slices"
	"time"
)

// uptimeBlocks returns the histogram blocks the clients' uptimes fall into.
func uptimeBlocks(cl *clientList, nowNs int64) [2]int {
	st := cl.starts
	if len(st) == 0 {
		return [2]int{}
	}
	return [2]int{bucketOf(nowNs-st[len(st)-1]) >> 6, bucketOf(nowNs-st[0])>>6 + 1}
}

// fillUptime fills the uptime figures of dst from the sorted start times:
// the histogram takes one binary search per non-empty bucket instead of
// one bucket computation per client.
func fillUptime(dst *AggregatedStats, cl *clientList, nowNs int64) {
	st := cl.starts
	n := len(st)
	h := &dst.UptimeHist
	if n == 0 {
		h.canon()
		return
	}
	dst.MinUptime = time.Duration(nowNs - st[n-1])
	dst.MaxUptime = time.Duration(nowNs - st[0])
	dst.AvgUptime = time.Duration(float64(nowNs-st[0]) - cl.startOffMean)
	lo, hi := bucketOf(nowNs-st[n-1]), bucketOf(nowNs-st[0])
	h.cover(lo>>6, hi>>6+1)
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
		*h.at(b) += uint64(j - k + 1)
		j = k - 1
	}
	// (bucketOf is monotonic: the smallest and largest uptimes bound the range)
	h.total, h.lo, h.hi = uint64(n), int32(lo), int32(hi+1)
	h.canon()
}
