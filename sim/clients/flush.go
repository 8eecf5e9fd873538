package clients

import (
	"math"
	"time"
	"unsafe"

	"swarmsim/sim/internal/prefetch"
)

const (
	// FlushEvery: a viewer writes its buffered statistics to its
	// ClientStats at least this often (and whenever its buffer is full,
	// before any rare event, at exit and on Flush).
	FlushEvery = 16 * time.Second
	pendN      = 8
)

// statsBuf holds statistics a viewer has not written to its ClientStats
// yet. Writing each event straight away would touch several cold cache
// lines of the 2.5 KB ClientStats per event; batching a few seconds of
// events per client makes that cost several times smaller. The values
// written are the same, only later (at most FlushEvery).
type statsBuf struct {
	bytes            int64
	man, seg, init   uint16
	nSeg, nMan, nRef uint8
}

type segEntry struct{ lat, size uint32 } // microseconds, bytes

// PrefetchStats prefetches the first six lines of the viewer's ClientStats
// and the line of its segment-size ring that Flush writes next when the
// viewer will probably flush its buffered statistics in a wake-up that runs
// until until. Call it once Prefetch had time to bring the viewer in.
func (v *Viewer) PrefetchStats(until time.Duration) {
	b := &v.buf
	if v.stats != nil && (until-v.lastFlush >= FlushEvery || b.nSeg >= pendN-1 || b.nMan >= pendN-1 || b.nRef >= pendN-1) {
		prefetch.Lines(unsafe.Pointer(v.stats), 6)
		if v.sizeSlot != nil && b.nSeg > 0 {
			prefetch.Lines(v.sizeSlot, 1)
		}
	}
}

func usec(d time.Duration) uint32 { return uint32(min(max(d/time.Microsecond, 0), math.MaxUint32)) }

// Flush writes the buffered statistics to the viewer's ClientStats,
// accounting the parser lines of skipped reports up to now.
func (v *Viewer) Flush(now time.Duration) {
	s := v.stats
	b := &v.buf
	if s == nil {
		return
	}
	// Flushing must not change the simulation (the engine flushes whenever
	// someone aggregates): it only writes buffered values, and computes the
	// parser totals without touching the parser model's state.
	v.lastFlush = now
	if b.man|b.seg|b.init != 0 {
		s.ManifestRequests.Add(int64(b.man))
		s.SegmentRequests.Add(int64(b.seg))
		s.InitRequests.Add(int64(b.init))
		b.man, b.seg, b.init = 0, 0, 0
	}
	// bytes count as they arrive: the part of the transfer under way
	// delivered by now is written too (and left out when it completes)
	add := b.bytes
	if v.flags&fXfer != 0 {
		counted := int64(0)
		if v.flags&fCounted != 0 {
			counted = v.xferCounted
		}
		if d := v.deliveredBy(now); d > counted {
			add += d - counted
			v.xferCounted = d
			v.flags |= fCounted
		}
	}
	if add != 0 {
		s.AddBytes(add)
		b.bytes = 0
	}
	// in batches: one pass over the latency slots, one update of each
	// counter (what the per-event methods would write, in fewer atomic
	// operations, each a function call on wasm)
	var segLat, manLat, jitters [pendN]time.Duration
	var sizes [pendN]int64
	for i := range b.nSeg {
		sizes[i] = int64(v.segBuf[i].size)
		segLat[i] = time.Duration(v.segBuf[i].lat) * time.Microsecond
	}
	for i := range b.nMan {
		manLat[i] = time.Duration(v.manLat[i]) * time.Microsecond
	}
	if b.nSeg|b.nMan != 0 {
		s.RecordSegmentSizes(sizes[:b.nSeg])
		s.RecordLatencies(segLat[:b.nSeg], manLat[:b.nMan])
	}
	if b.nRef != 0 {
		late := 0
		for i := range b.nRef {
			j := v.refresh[i]
			if j < 0 {
				j = -j - 1
				late++
			}
			jitters[i] = time.Duration(j) * time.Microsecond
		}
		s.RecordPlaylistRefreshes(jitters[:b.nRef], late)
	}
	if b.nSeg > 0 || v.sizeSlot == nil {
		v.sizeSlot = s.NextSegmentSizeSlot()
	}
	b.nSeg, b.nMan, b.nRef = 0, 0, 0
	prog := int64(v.progRead)
	if v.nextReport != Never && now-1 > v.lastGrid { // skipped report instants before now
		prog += int64((now-1-v.lastGrid)/ReportGrid) * ProgressLines
	}
	if v.linesDirty || prog != int64(v.progRead) || v.stderrNew != 0 {
		s.RecordDroppedLines(prog, int64(v.progDrop), int64(v.stderrRead)+int64(v.stderrNew), int64(v.stderrDrop))
		v.linesDirty = false
	}
}
