package stats

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// retiredTotals holds the cumulative counters of the clients an aggregator
// has removed (RemoveClient), so that snapshot totals stay cumulative over
// every client the aggregator has seen. Gauges (speed, drift, stall state,
// uptime, client counts) are not kept. It is updated with atomic adds only.
type retiredTotals struct {
	clients                          atomic.Int64 // how many were removed
	manifest, segment, init, unknown atomic.Int64
	bytes                            atomic.Int64
	reconnections, timeouts          atomic.Int64
	processStarts, processRestarts   atomic.Int64
	refreshes, late                  atomic.Int64
	jitterSum, jitterMax             atomic.Int64
	skipEvents, skipped              atomic.Int64
	tcpRefused, tcpTimeout           atomic.Int64
	linesRead, linesDropped          atomic.Int64
	stderrRead, stderrDropped        atomic.Int64
	peakDropRate                     atomic.Uint64 // the removed clients' worst peak drop rate, float64 bits
	maxDrift                         atomic.Int64  // the removed clients' largest drift over their lives, ns
	httpErrors                       [HTTPErrorSlots]atomic.Int64
	httpTotal                        atomic.Int64
	latMask                          atomic.Uint64 // 64-bucket blocks with latency counts (as sparseCounts.blocks)
	latency                          [len(keyCounts{})]atomic.Uint64
}

// retire adds the cumulative counters of c.
func (r *retiredTotals) retire(c *ClientStats) {
	r.clients.Add(1)
	r.manifest.Add(c.ManifestRequests.Load())
	r.segment.Add(c.SegmentRequests.Load())
	r.init.Add(c.InitRequests.Load())
	r.unknown.Add(c.UnknownRequests.Load())
	r.bytes.Add(c.TotalBytes())
	r.reconnections.Add(c.Reconnections.Load())
	r.timeouts.Add(c.Timeouts.Load())
	starts := c.processStarts.Load()
	r.processStarts.Add(int64(starts))
	r.processRestarts.Add(restartsOf(starts))
	flags := c.flags.Load()
	if flags&flagPlaylist != 0 {
		p := c.playlist.Load()
		r.refreshes.Add(int64(p >> 32))
		r.late.Add(int64(p & 0xffffffff))
		r.jitterSum.Add(c.jitterSum.Load())
		for j := c.jitterMax.Load(); ; {
			m := r.jitterMax.Load()
			if m >= j || r.jitterMax.CompareAndSwap(m, j) {
				break
			}
		}
	}
	if flags&flagSkips != 0 {
		sk := c.sequenceSkips.Load()
		r.skipEvents.Add(int64(sk >> skipEventShift))
		r.skipped.Add(int64(sk & skipCountMask))
	}
	if flags&flagTCPFail != 0 {
		f := c.tcpFailures.Load()
		r.tcpRefused.Add(int64(f & 0xffffffff))
		r.tcpTimeout.Add(int64(f >> 32))
	}
	r.linesRead.Add(c.ProgressLinesRead.Load() + c.StderrLinesRead.Load())
	r.linesDropped.Add(c.ProgressLinesDropped.Load() + c.StderrLinesDropped.Load())
	atomicMaxFloat(&r.peakDropRate, c.GetPeakDropRate())
	for d := c.maxDrift.Load(); ; {
		m := r.maxDrift.Load()
		if m >= d || r.maxDrift.CompareAndSwap(m, d) {
			break
		}
	}
	r.stderrRead.Add(c.StderrLinesRead.Load())
	r.stderrDropped.Add(c.StderrLinesDropped.Load())
	c.forEachHTTPError(func(i int, n int64) {
		r.httpErrors[i].Add(n)
		r.httpTotal.Add(n)
	})
	var mask uint64
	c.latency.forEachSlot(func(v uint32) {
		key := v >> slotCountBits
		r.latency[key].Add(uint64(v & slotCountMask))
		mask |= 1 << (key >> 6 & 63)
	})
	if mask != 0 {
		r.latMask.Or(mask)
	}
}

// addTo adds the retired totals into dst and the retired latency counts
// into scratch (the raw latency sums of AggregateInto); it returns the
// latency blocks touched, the retired jitter sum and the removed clients'
// largest drift (ns), which AggregateInto folds into MaxDrift.
func (r *retiredTotals) addTo(dst *AggregatedStats, scratch *keyCounts) (latMask uint64, jitterNs, maxDrift int64) {
	dst.RemovedClients = int(r.clients.Load())
	dst.TotalManifestReqs += r.manifest.Load()
	dst.TotalSegmentReqs += r.segment.Load()
	dst.TotalInitReqs += r.init.Load()
	dst.TotalUnknownReqs += r.unknown.Load()
	dst.TotalBytes += r.bytes.Load()
	dst.TotalReconnections += r.reconnections.Load()
	dst.TotalTimeouts += r.timeouts.Load()
	dst.TotalProcessStarts += r.processStarts.Load()
	dst.TotalProcessRestarts += r.processRestarts.Load()
	dst.PlaylistRefreshes += r.refreshes.Load()
	dst.PlaylistLateCount += r.late.Load()
	dst.PlaylistJitterMax = max(dst.PlaylistJitterMax, time.Duration(r.jitterMax.Load()))
	dst.SequenceSkips += r.skipEvents.Load()
	dst.SkippedSequences += r.skipped.Load()
	dst.TCPConnectRefused += r.tcpRefused.Load()
	dst.TCPConnectTimeout += r.tcpTimeout.Load()
	dst.TotalLinesRead += r.linesRead.Load()
	dst.TotalLinesDropped += r.linesDropped.Load()
	dst.StderrLinesRead += r.stderrRead.Load()
	dst.StderrLinesDropped += r.stderrDropped.Load()
	dst.PeakDropRate = max(dst.PeakDropRate, math.Float64frombits(r.peakDropRate.Load()))
	if r.httpTotal.Load() != 0 {
		for i := range r.httpErrors {
			if n := r.httpErrors[i].Load(); n != 0 {
				dst.errs.add(i, n)
				dst.HTTPErrorsTotal += n
			}
		}
	}
	latMask = r.latMask.Load()
	for m := latMask; m != 0; m &= m - 1 {
		blk := bits.TrailingZeros64(m)
		for kind := 0; kind < numKinds; kind++ {
			base := kind<<slotBucketBit + blk*64
			for i := base; i < base+64; i++ {
				if n := r.latency[i].Load(); n != 0 {
					scratch[i] += n
				}
			}
		}
	}
	return latMask, r.jitterSum.Load(), r.maxDrift.Load()
}
