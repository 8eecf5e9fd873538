package clients

import (
	"math"
	"time"

	"swarmsim/sim/stats"
)

// Request constants (see doc.go for where they come from).
const (
	// PollStep is FFmpeg's sleep while it waits for a playlist reload.
	PollStep = 100 * time.Millisecond
	// InitBytes is the size of an fMP4 init segment.
	InitBytes = 1200
	// PacketBytes is the payload of one full TCP packet (1500-byte MTU less
	// the IP and TCP headers with timestamps): the unit in which a slow
	// response's bytes arrive.
	PacketBytes = 1448
)

func (v *Viewer) rtt(env *Env) time.Duration { return env.Cohorts[v.cohort].RTT }

func (v *Viewer) connect(env *Env, now time.Duration) {
	v.op = opConnect
	v.reqStart = now
	switch env.Outage {
	case OutageRefused:
		v.res, v.actEnd = resReset, now+v.rtt(env)
	case OutageTimeout:
		v.res, v.actEnd = resTimeout, now+env.Timeout
	default:
		v.res, v.actEnd = resOK, now+v.rtt(env)
	}
}

func (v *Viewer) connectDone(env *Env, t *Tally, now time.Duration) {
	d := now - v.reqStart
	t.Connects++
	if v.res != resOK {
		t.ConnectFails++
	}
	switch v.res {
	case resOK:
		v.stats.RecordTCPConnect(d, stats.TCPSuccess)
		v.flags |= fConnected
		v.nextStep(env, t, now)
		return
	case resReset:
		v.stats.RecordTCPConnect(d, stats.TCPRefused)
		v.stderrNew += StderrLinesPerError
	default:
		v.stats.RecordTCPConnect(d, stats.TCPTimeout)
		v.stats.RecordTimeout()
		t.Timeouts++
		v.stderrNew += StderrLinesPerError
	}
	v.fails++
	if int(v.fails) > env.Retries {
		v.exit(env, t, now)
		return
	}
	v.connect(env, now)
}

// nextStep is FFmpeg's HLS demuxer wanting its next segment: reload the
// playlist if a reload interval has passed since the last load ended, fetch the
// next segment if the playlist lists it, else sleep in 100 ms steps until
// the next reload is due. The request goes out here too (one function rather
// than two: see Advance).
func (v *Viewer) nextStep(env *Env, t *Tally, now time.Duration) {
	if v.flags&fConnected == 0 {
		v.connect(env, now)
		return
	}
	var op uint8
	switch {
	case v.flags&fLoaded == 0:
		op = opManifest
	case env.FMP4 && v.flags&fInit == 0:
		op = opInit
	default:
		ivl := env.SegmentDuration
		if v.flags&fHalf != 0 {
			ivl /= 2
		}
		switch {
		case now-v.lastLoad >= ivl:
			jitter := int32(min((now-v.lastLoad-ivl)/time.Microsecond, math.MaxInt32-1))
			if now-v.lastLoad-ivl > env.SegmentDuration/2 {
				jitter = -(jitter + 1)
			}
			v.refresh[v.buf.nRef] = jitter
			if v.buf.nRef++; v.buf.nRef == pendN {
				v.Flush(now)
			}
			op = opManifest
		case v.nextSeq <= v.knownEdge:
			op = opSegment
		default:
			wait := v.lastLoad + ivl - now
			steps := (wait + PollStep - 1) / PollStep
			v.op = opWait
			v.actEnd = now + steps*PollStep
			return
		}
	}

	// the request: one per rendition the viewer downloads, issued together
	v.op = op
	v.reqStart = now
	c := &env.Cohorts[v.cohort]
	k := int64(c.Renditions)
	v.stderrNew += uint32(k) * StderrLinesPerRequest
	ahead := int64(0)
	if now >= env.End { // ran ahead: the requests belong to the next sample
		ahead = k
	}
	switch op {
	case opManifest:
		v.buf.man += uint16(k)
		t.ManifestReqs += k
		t.AheadManifestReqs += ahead
	case opInit:
		v.buf.init += uint16(k)
		t.InitReqs += k
		t.AheadInitReqs += ahead
	default:
		v.buf.seg += uint16(k)
		t.SegmentReqs += k
		t.AheadSegmentReqs += ahead
	}
	rtt := c.RTT
	switch env.Outage {
	case OutageRefused:
		v.res, v.actEnd = resReset, now+rtt
		return
	case OutageTimeout:
		v.res, v.actEnd = resTimeout, now+env.Timeout
		return
	}
	if rtt+env.Latency >= env.Timeout { // no byte of the response within the timeout (FFmpeg's rw_timeout)
		v.res, v.actEnd = resTimeout, now+env.Timeout
		return
	}
	if env.Outage == OutageStatus {
		v.res, v.code, v.actEnd = resHTTP, int16(env.OutageStatus), now+rtt+env.Latency
		return
	}
	if env.ErrorShare > 0 {
		if u := v.Float64(); u < env.ErrorShare {
			code := env.ErrorCodes[len(env.ErrorCodes)-1]
			for i, c := range env.ErrorCum {
				if u < c {
					code = env.ErrorCodes[i]
					break
				}
			}
			v.res, v.code, v.actEnd = resHTTP, int16(code), now+rtt+env.Latency
			return
		}
	}
	v.res = resOK
	first := now + rtt + env.Latency
	rate := v.share(env.Level)
	switch op {
	case opManifest, opInit:
		// a playlist or init segment keeps the rate it starts with; at a
		// share so low (a starved origin, or a downlink that narrow) that
		// its first packet would come after the timeout, no byte arrives
		// within it and FFmpeg's rw_timeout fires, rather than the request
		// crawling on at that rate
		n := env.ManifestBytes
		if op == opInit {
			n = InitBytes
		}
		n *= float64(k)
		d := secs(n / rate)
		gap := first - now
		if gap+d >= env.Timeout && float64(gap)+float64(min(n, PacketBytes)*1e9)/rate >= float64(env.Timeout) {
			v.res, v.actEnd = resTimeout, now+env.Timeout
			return
		}
		v.actEnd = first + d
	default:
		// Irwin-Hall(3): sum of three uniforms, mean 1.5, sd 0.5; the
		// three are 21-bit slices of one draw
		r := v.rng.Uint64()
		const u21 = 0x1p-21
		z := float64(2*(float64(float64(r&(1<<21-1))*u21)+float64(float64(r>>21&(1<<21-1))*u21)+float64(float64(r>>42&(1<<21-1))*u21))) - 3
		size := c.SegmentBytes + float64(c.SizeSigma*z)
		if size < 1 {
			size = 1
		}
		v.segSize = int64(size)
		v.remaining = float64(v.segSize)
		v.actEnd = first
	}
}

func (v *Viewer) initDone(env *Env, t *Tally, now time.Duration) {
	k := int64(env.Cohorts[v.cohort].Renditions)
	v.buf.bytes += InitBytes * k
	t.Bytes += InitBytes * k
	t.InitsDone += k
	v.flags |= fInit
	v.fails = 0
	v.nextStep(env, t, now)
}

func (v *Viewer) fail(env *Env, t *Tally, now time.Duration) {
	// the outcome holds for every rendition's request of the load
	k := env.Cohorts[v.cohort].Renditions
	v.stderrNew += uint32(k) * StderrLinesPerError
	switch v.res {
	case resHTTP:
		for range k {
			v.stats.RecordHTTPError(int(v.code))
		}
		t.HTTPErrors += int64(k)
	case resTimeout:
		for range k {
			v.stats.RecordTimeout()
		}
		t.Timeouts += int64(k)
		v.flags &^= fConnected
	default: // connection reset
		v.flags &^= fConnected
		t.Resets += int64(k)
	}
	v.fails++
	if int(v.fails) > env.Retries {
		if v.op == opSegment {
			v.skipSegment(env, t, now)
			return
		}
		v.exit(env, t, now)
		return
	}
	v.nextStep(env, t, now)
}

// skipSegment gives up on a segment that failed 1 + Retries times in a row
// the way FFmpeg's HLS demuxer does ("failed too many times, skipping"): it
// goes on with the next segment, and its output's timeline jumps over the
// missing one, so playback keeps its place behind the live edge. It is a
// media-sequence skip of one. (A playlist, init segment or connection that
// keeps failing ends the process instead.)
func (v *Viewer) skipSegment(env *Env, t *Tally, now time.Duration) {
	v.stats.RecordSequenceSkip(1)
	if v.flags&fPlaying != 0 {
		v.extendTimeline(env, now)
	}
	v.nextSeq++
	v.fails = 0
	v.nextStep(env, t, now)
}
