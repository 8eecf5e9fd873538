package stats

import (
	"math"
	"time"
	"unsafe"

	"swarmsim/sim/internal/prefetch"
)

// aggregateChunk is how many clients AggregateInto sums at a time (see
// also prefetchChunk): first their counters, then their latency slots (two
// small loops whose values stay in registers, where one loop doing both
// kept them on the stack), while their hot lines are still in the L1 cache.
const aggregateChunk = 32

// clientSums are the running sums of AggregateInto that are not fields of
// the snapshot.
type clientSums struct {
	speedSum float64
	ffSum    float64 // FFmpeg speeds (see AverageFFmpegSpeed)
	ffN      int
	driftSum int64
	driftN   int
	maxDrift int64  // the largest lifetime maximum drift (>= 0)
	peakDrop uint64 // the largest peak drop rate, float64 bits (rates >= 0 order as their bits)
	jitterNs int64
}

// addClients adds clients to dst, s and scratch (their latency slots), in
// chunks, and returns the 64-bucket blocks of scratch it touched.
func (s *clientSums) addClients(dst *AggregatedStats, clients []*ClientStats, scratch *keyCounts, nowNs int64) (latMask uint64) {
	chunk := aggregateChunk
	prefetching := len(clients) >= prefetchFrom // below, the clients fit the caches
	if prefetching {
		chunk = prefetchChunk
	}
	for lo := 0; lo < len(clients); lo += chunk {
		part := clients[lo:min(lo+chunk, len(clients))]
		if prefetching {
			// the next chunk's hot lines, while this one is summed
			for _, c := range clients[min(lo+chunk, len(clients)):min(lo+2*chunk, len(clients))] {
				prefetch.Lines(unsafe.Pointer(c), prefetchLines)
			}
		}
		s.add(dst, part, nowNs)
		latMask |= mergeLatencies(part, scratch)
	}
	return latMask
}

// merge adds the sums of the clients after s's.
func (s *clientSums) merge(o *clientSums) {
	s.maxDrift = max(s.maxDrift, o.maxDrift)
	s.peakDrop = max(s.peakDrop, o.peakDrop)
	s.speedSum += o.speedSum
	s.ffSum += o.ffSum
	s.ffN += o.ffN
	s.driftSum += o.driftSum
	s.driftN += o.driftN
	s.jitterNs += o.jitterNs
}

// addCounters adds the fields that clientSums.add fills in src to s
// (TestAggregate_SumsEqualSumOfClients checks each of them on a swarm
// large enough to be summed in halves).
func (s *AggregatedStats) addCounters(src *AggregatedStats) {
	s.ActiveClients += src.ActiveClients // minus the exited clients of src
	s.TotalManifestReqs += src.TotalManifestReqs
	s.TotalSegmentReqs += src.TotalSegmentReqs
	s.TotalInitReqs += src.TotalInitReqs
	s.TotalUnknownReqs += src.TotalUnknownReqs
	s.TotalBytes += src.TotalBytes
	s.ClientsNoReading += src.ClientsNoReading
	s.ClientsAboveRealtime += src.ClientsAboveRealtime
	s.ClientsBelowRealtime += src.ClientsBelowRealtime
	s.StalledClients += src.StalledClients
	s.TotalReconnections += src.TotalReconnections
	s.TotalTimeouts += src.TotalTimeouts
	s.ClientsWithHighDrift += src.ClientsWithHighDrift
	s.TotalProcessStarts += src.TotalProcessStarts
	s.TotalProcessRestarts += src.TotalProcessRestarts
	s.PlaylistRefreshes += src.PlaylistRefreshes
	s.PlaylistLateCount += src.PlaylistLateCount
	s.PlaylistJitterMax = max(s.PlaylistJitterMax, src.PlaylistJitterMax)
	s.SequenceSkips += src.SequenceSkips
	s.SkippedSequences += src.SkippedSequences
	s.TCPConnectRefused += src.TCPConnectRefused
	s.TCPConnectTimeout += src.TCPConnectTimeout
	s.TotalLinesDropped += src.TotalLinesDropped
	s.TotalLinesRead += src.TotalLinesRead
	s.StderrLinesDropped += src.StderrLinesDropped
	s.StderrLinesRead += src.StderrLinesRead
	s.ClientsWithDrops += src.ClientsWithDrops
	s.HTTPErrorsTotal += src.HTTPErrorsTotal
	src.errs.forEach(s.errs.add)
}

// add adds the counters of clients to dst and s (everything but the latency
// slots, see mergeLatencies).
func (s *clientSums) add(dst *AggregatedStats, clients []*ClientStats, nowNs int64) {
	speedSum, driftSum, driftN, maxDrift, jitterNs := s.speedSum, s.driftSum, s.driftN, s.maxDrift, s.jitterNs
	ffSum, ffN, peakDrop := s.ffSum, s.ffN, s.peakDrop
	for _, c := range clients {
		// cache line 0
		dst.TotalManifestReqs += c.ManifestRequests.Load()
		dst.TotalSegmentReqs += c.SegmentRequests.Load()
		dst.TotalInitReqs += c.InitRequests.Load()
		dst.TotalUnknownReqs += c.UnknownRequests.Load()
		dst.TotalBytes += c.bytesFromPreviousRuns.Load() + c.currentProcessBytes.Load()
		if sb := c.speedBits.Load(); sb == noSpeed {
			dst.ClientsNoReading++
		} else if sp := math.Float64frombits(sb); sp >= RealtimeSpeed {
			speedSum += sp
			dst.ClientsAboveRealtime++
		} else if sb != exitedSpeed {
			speedSum += sp
			dst.ClientsBelowRealtime++
		} else { // its process exited: not active (AggregateInto counted it)
			dst.ActiveClients--
		}
		if stalledAt(c.belowSince.Load(), nowNs) {
			dst.StalledClients++
		}

		// cache line 1
		dst.TotalReconnections += c.Reconnections.Load()
		dst.TotalTimeouts += c.Timeouts.Load()
		if d := c.currentDrift.Load(); d != noDrift {
			if d > 0 { // playback ahead of the clock is not drift
				driftSum += d
				driftN++
				if d > int64(HighDriftThreshold) {
					dst.ClientsWithHighDrift++
				}
			}
			if e := nowNs - c.processStart.Load(); e > 0 {
				ffSum += float64(e-d) / float64(e)
				ffN++
			}
		}
		starts := c.processStarts.Load()
		dst.TotalProcessStarts += int64(starts)
		flags := c.flags.Load()
		if flags&flagPlaylist != 0 {
			p := c.playlist.Load()
			dst.PlaylistRefreshes += int64(p >> 32)
			dst.PlaylistLateCount += int64(p & 0xffffffff)
			jitterNs += c.jitterSum.Load()
			dst.PlaylistJitterMax = max(dst.PlaylistJitterMax, time.Duration(c.jitterMax.Load()))
		}
		if flags&^flagPlaylist != 0 {
			addOptional(dst, c, flags, starts)
		}

		// cache line 4
		pd, sd := c.ProgressLinesDropped.Load(), c.StderrLinesDropped.Load()
		sr := c.StderrLinesRead.Load()
		dst.TotalLinesDropped += pd + sd
		dst.TotalLinesRead += c.ProgressLinesRead.Load() + sr
		dst.StderrLinesDropped += sd
		dst.StderrLinesRead += sr
		if pd > 0 || sd > 0 {
			dst.ClientsWithDrops++
		}
		peakDrop = max(peakDrop, c.peakDropRate.Load())
		maxDrift = max(maxDrift, c.maxDrift.Load())
	}
	s.speedSum, s.driftSum, s.driftN, s.maxDrift, s.jitterNs = speedSum, driftSum, driftN, maxDrift, jitterNs
	s.ffSum, s.ffN, s.peakDrop = ffSum, ffN, peakDrop
}

// addOptional adds the groups of c's counters that only some clients have
// (cache line 4, restarts and the HTTP error counters), as flags say.
// starts is the process count add read, so that a snapshot's restarts
// agree with its starts while OnProcessStart runs.
func addOptional(dst *AggregatedStats, c *ClientStats, flags, starts uint32) {
	if flags&flagSkips != 0 {
		sk := c.sequenceSkips.Load()
		dst.SequenceSkips += int64(sk >> skipEventShift)
		dst.SkippedSequences += int64(sk & skipCountMask)
	}
	if flags&flagTCPFail != 0 {
		f := c.tcpFailures.Load()
		dst.TCPConnectRefused += int64(f & 0xffffffff)
		dst.TCPConnectTimeout += int64(f >> 32)
	}
	if flags&flagRestarts != 0 {
		dst.TotalProcessRestarts += restartsOf(starts)
	}
	if flags&flagErrors != 0 {
		dst.HTTPErrorsTotal += c.addHTTPErrorsTo(dst)
	}
}

// mergeLatencies adds the latency slots of clients to scratch (see
// keyCounts) and returns the 64-bucket blocks they touched.
func mergeLatencies(clients []*ClientStats, scratch *keyCounts) uint64 {
	var mask uint64
	_ = scratch[0] // the nil check, once
	for _, c := range clients {
		h := &c.latency
		slots := h.slots[:min(h.n.Load(), headSlots)]
		for i := range slots {
			v := slots[i].Load() // 0 (claimed, not yet stored) adds 0 to key 0
			scratch[v>>slotCountBits] += uint64(v & slotCountMask)
		}
		if h.next.Load() != nil {
			h.mergeChained(scratch)
		}
		// after the slots: every key they held has its block's bit set
		mask |= h.blocks.Load()
	}
	return mask
}

// From prefetchFrom clients on (their hot parts, 384 B each, then exceed a
// core's 1 MB L2), AggregateInto sums prefetchChunk clients at a time and
// prefetches the lines it reads of the next chunk's clients (the first
// prefetchLines lines of a ClientStats: the counters, the flags and the
// inline latency slots) while it sums one, so that the cache misses of
// several clients are in flight at once. Below that it only costs
// instructions.
const (
	prefetchFrom  = 4096
	prefetchLines = 4
	prefetchChunk = 4
)
