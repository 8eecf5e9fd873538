package clients

import (
	"math"
	"time"
)

// share is the viewer's transfer rate at the given fair-share level:
// min(own downlink, level). (Written out: the builtin min on floats is a
// function call on wasm.)
func (v *Viewer) share(level float64) float64 {
	if c := float64(v.cap); c < level {
		return c
	}
	return level
}

// secs converts seconds to a Duration (truncating to whole nanoseconds),
// clamped to about 31 years so that a conversion never overflows (which
// would give different results on amd64 and wasm).
func secs(s float64) time.Duration {
	ns := s * 1e9
	if !(ns < 1e18) {
		return 1e18
	}
	return time.Duration(ns)
}

func (v *Viewer) beginTransfer(env *Env, t *Tally, now time.Duration) {
	v.flags |= fXfer
	v.xferAt = now
	v.rate = v.share(env.Level)
	v.actEnd = now + secs(v.remaining/v.rate)
}

// deliveredBy returns the bytes of the current (or just completed) segment
// transfer delivered by time at, in [0, segment size].
func (v *Viewer) deliveredBy(at time.Duration) int64 {
	if at <= v.xferAt {
		return 0
	}
	d := float64(v.segSize) - v.remaining + float64(v.rate*(at-v.xferAt).Seconds())
	if d >= float64(v.segSize) {
		return v.segSize
	}
	if d <= 0 {
		return 0
	}
	return int64(d)
}

// InFlightBytes returns the bytes of the segment transfer in progress
// delivered by time at (0 without a transfer in progress).
func (v *Viewer) InFlightBytes(at time.Duration) int64 {
	if v.flags&fXfer == 0 {
		return 0
	}
	return v.deliveredBy(at)
}

// rerate settles the transfer at time at and continues it at the new share.
func (v *Viewer) rerate(at time.Duration, level float64) {
	nr := v.share(level)
	if nr == v.rate {
		return
	}
	if at < v.xferAt { // started after at (ran ahead): re-rate from its start
		at = v.xferAt
	}
	v.remaining -= float64(v.rate * (at - v.xferAt).Seconds())
	if v.remaining < 0 {
		v.remaining = 0
	}
	v.xferAt = at
	v.rate = nr
	v.actEnd = at + secs(v.remaining/nr)
}

func (v *Viewer) segmentDone(env *Env, t *Tally, now time.Duration) {
	v.flags &^= fXfer
	size := v.segSize
	if now > env.End { // ran ahead: the part after the tick's end belongs to the next sample
		t.AheadBytes += size - v.deliveredBy(env.End)
	}
	t.Bytes += size
	lat := now - v.reqStart
	b := &v.buf
	b.bytes += size
	if v.flags&fCounted != 0 { // a flush wrote part of it already
		b.bytes -= v.xferCounted
		v.flags &^= fCounted
	}
	if v.flags&fRenditions != 0 {
		v.renditionsDone(env.Cohorts[v.cohort].Parts, t, now, lat, size)
	} else {
		t.SegLatency.Record(lat)
		v.segBuf[b.nSeg] = segEntry{lat: usec(lat), size: uint32(min(size, math.MaxUint32))}
		if b.nSeg++; b.nSeg == pendN {
			v.Flush(now)
		}
	}
	if v.flags&fPlaying == 0 {
		v.flags |= fPlaying
		v.playPos, v.playAt, v.repT, v.repPos, v.playStart = 0, now, now, 0, now
		v.setState(Playing, now, t)
		v.media += env.SegmentDuration
	} else if ranDry := v.extendTimeline(env, now); v.flags&fSkip != 0 {
		if ranDry {
			// the report due after the buffer ran dry must run: it shows
			// the stall (pushing it past the new media would hide it)
			v.flags &^= fSkip
		} else {
			v.skipUntil()
		}
	}
	if now-v.lastFlush >= FlushEvery {
		v.Flush(now)
	}
	v.nextSeq++
	v.fails = 0
	v.flags &^= fHalf
	v.nextStep(env, t, now)
}

// SetCap changes the viewer's current downlink at a tick boundary (a
// bandwidth drop or its end); a transfer in progress continues at the new
// share.
func (v *Viewer) SetCap(capBps int64, now time.Duration, level float64, t *Tally) {
	if capBps < 1 {
		capBps = 1
	}
	if capBps == v.cap {
		return
	}
	v.cap = capBps
	if v.flags&fXfer != 0 {
		v.rerate(now, level)
	}
}

// renditionsDone records the segments of every rendition that a segment
// load of size bytes brought (variant all): each took the load's time, and
// each has its part of the bytes (the last one the rest, so they add up).
func (v *Viewer) renditionsDone(parts []float64, t *Tally, now, lat time.Duration, size int64) {
	b := &v.buf
	left := size
	for i, p := range parts {
		n := int64(float64(float64(size) * p))
		if i == len(parts)-1 {
			n = left
		}
		left -= n
		t.SegLatency.Record(lat)
		v.segBuf[b.nSeg] = segEntry{lat: usec(lat), size: uint32(min(max(n, 0), math.MaxUint32))}
		if b.nSeg++; b.nSeg == pendN {
			v.Flush(now)
		}
	}
}
