package clients

import (
	"math"
	"math/rand/v2"
	"time"
	"unsafe"

	"swarmsim/sim/internal/prefetch"
	"swarmsim/sim/stats"
)

// Model constants (see doc.go for where they come from).
const (
	// Never is a time that never comes.
	Never = time.Duration(math.MaxInt64)
	// LiveStartSegments is how many segments behind (and including) the live
	// edge a player starts with: FFmpeg's live_start_index -3.
	LiveStartSegments = 3
	// PollStep is FFmpeg's sleep while it waits for a playlist reload.
	PollStep = 100 * time.Millisecond
	// InitBytes is the size of an fMP4 init segment.
	InitBytes = 1200
	// PacketBytes is the payload of one full TCP packet (1500-byte MTU less
	// the IP and TCP headers with timestamps): the unit in which a slow
	// response's bytes arrive.
	PacketBytes = 1448
	// ProgressLines is the number of lines of one FFmpeg -progress block.
	ProgressLines = 12
	// StderrLinesPerRequest / StderrLinesPerError: log lines per request
	// ("Opening ... for reading") and per failure.
	StderrLinesPerRequest = 1
	StderrLinesPerError   = 2
	// ParseBufferLines is the per-client parser buffer of the real tool;
	// lines beyond it are dropped.
	ParseBufferLines = 1000
	// ReportGrid is the period of FFmpeg's -progress reports. Each viewer
	// reports on its own phase of the tick grid (id modulo the ticks per
	// period), so reports fall on tick boundaries, where the stats clock is
	// exact.
	ReportGrid = time.Second
	// SpeedWindow is the window of the instantaneous speed: media played
	// over the last SpeedWindow / SpeedWindow. A viewer whose downloads are
	// too slow plays a segment, waits, plays the next one; over one second
	// that reads 1, 1, 0, 1, ..., which the stall rule (below 0.9x for more
	// than 5 s) would never flag. Over 5 s it reads the true share, e.g.
	// 0.67 at 2/3 of the needed bandwidth.
	SpeedWindow = 5 * ReportGrid
	speedSlots  = int(SpeedWindow / ReportGrid)
	// HistoryLen is the number of state changes a viewer remembers.
	HistoryLen = 8
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

var inf = math.Inf(1)

// operations
const (
	opIdle uint8 = iota // waiting for actEnd to start or restart (Never: nothing to do)
	opConnect
	opManifest
	opInit
	opSegment
	opWait // sleeping until a playlist reload
)

// request results
const (
	resOK uint8 = iota
	resHTTP
	resTimeout
	resReset
)

// flags
const (
	fConnected uint16 = 1 << iota
	fXfer             // a segment transfer is in progress (counted in the Tally)
	fLoaded           // the playlist was loaded by this process
	fInit             // the init segment was loaded by this process
	fHalf             // reload interval is half a segment duration
	fRestart          // the next start is a restart
	fPlaying          // playback started in this process
	fDrift            // a drift reading is counted in the Tally
	fSkip             // reports that cannot change anything are skipped
	fCounted          // xferCounted bytes of the transfer under way are in the stats
)

// speed reading classes (for the Tally)
const (
	clsNone uint8 = iota
	clsAbove
	clsBelow
)

// Viewer is one synthetic live-HLS viewer: a player process (FFmpeg-like)
// with its restarts. It is a compact value (no goroutine, no interface); the
// engine owns a slice of them per shard and calls Advance once per tick for
// the viewers that have something due. A Viewer writes its statistics only
// through its stats.ClientStats (and its shard's Tally).
type Viewer struct {
	// The fields are grouped by the cache lines a wake-up touches: a
	// playlist reload plus a segment download reads and writes the first
	// five lines only; progress reports, flushes and rare events use the
	// rest.
	actEnd, nextReport time.Duration
	reqStart, lastLoad time.Duration // current request; last playlist load
	nextSeq, knownEdge int64
	flags              uint16
	lag                uint16 // segments the last loaded playlist lagged the live edge
	stderrNew          uint32 // stderr lines since the last report
	op, res            uint8
	state              State
	speedCls           uint8
	cohort             uint8
	fails              uint8
	attempt            uint8
	histN              uint8

	playPos, playAt time.Duration // playback position at playAt
	media           time.Duration // media received by this process
	remaining, rate float64       // segment transfer: bytes left at xferAt, bytes/s
	xferAt          time.Duration
	segSize         int64
	cap             int64 // current downlink in bytes/s (after drops)

	rng        rand.PCG
	lastFlush  time.Duration
	lastGrid   time.Duration // last report-grid instant accounted for
	buf        statsBuf
	pending    float32 // lines waiting in the parser buffer
	speedMicro int32

	segBuf  [pendN]segEntry
	manLat  [pendN]uint32 // microseconds
	refresh [pendN]int32  // jitter in microseconds, -(jitter+1) when late

	stats      *stats.ClientStats
	sizeSlot   unsafe.Pointer // the ring slot the next flush's first segment size goes to
	lastSpeed  float64        // last speed written to stats
	lastDrift  time.Duration  // last drift reading
	procStart  time.Duration  // exact start of the current process
	belowSince time.Duration  // first reading below 0.9x, -1 when none
	repT       time.Duration  // previous speed reading: time and position
	repPos     time.Duration
	playStart  time.Duration // when playback started in this process
	linesDirty bool

	clockShift  time.Duration // procStart - stats clock at OnProcessStart
	baseCap     int64         // own downlink in bytes/s
	lastBackoff time.Duration
	progRead    uint32 // cumulative parser counters
	stderrRead  uint32
	progDrop    uint32
	stderrDrop  uint32
	starts      uint32
	id          int32
	code        int16
	playedIdx   uint8
	played      [speedSlots]int32 // ns played in each of the last report intervals
	hist        [HistoryLen]uint32
	xferCounted int64 // bytes of the transfer under way a flush wrote (fCounted)
}

// Init prepares viewer id (cohort, downlink in bytes/s) to start at startAt.
// The viewer's random stream is PCG seeded from (seed, id).
func (v *Viewer) Init(id int, seed uint64, t *Tally) {
	*v = Viewer{id: int32(id), state: NotStarted, op: opIdle, actEnd: Never, nextReport: Never, belowSince: -1}
	v.rng.Seed(splitmix(seed), splitmix(uint64(id)^0x9e3779b97f4a7c15))
	t.States[NotStarted]++
}

// Setup sets the viewer's cohort, downlink and start time; call it once
// after Init (draws for them may use Float64).
func (v *Viewer) Setup(cohort int, capBps int64, startAt time.Duration) {
	v.cohort = uint8(cohort)
	if capBps < 1 {
		capBps = 1
	}
	v.baseCap, v.cap = capBps, capBps
	v.actEnd = startAt
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Float64 returns the next uniform draw in [0, 1) of the viewer's stream.
func (v *Viewer) Float64() float64 { return float64(v.rng.Uint64()>>11) * 0x1p-53 }

// Wake returns the next time the viewer has something to do.
func (v *Viewer) Wake() time.Duration { return min(v.actEnd, v.nextReport) }

// Prefetch asks the CPU to start loading the cache lines a wake-up of v
// uses (the first five lines, and the sixth with the statistics pointer)
// without waiting for them. The engine calls it a few due viewers ahead, so
// the memory loads overlap with the work on the viewers before it. Unlike
// an ordinary load it never stalls the work that follows (a prefetch
// instruction retires at once). It changes nothing; on platforms without a prefetch
// instruction (wasm) it does nothing.
func (v *Viewer) Prefetch() { prefetch.Lines(unsafe.Pointer(v), 6) }

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

// Transferring reports whether a segment transfer is in progress.
func (v *Viewer) Transferring() bool { return v.flags&fXfer != 0 }

// State returns the visible state.
func (v *Viewer) State() State { return v.state }

// Connected reports whether the viewer's process holds an open keep-alive
// connection to the origin.
func (v *Viewer) Connected() bool { return v.flags&fConnected != 0 }

// ID returns the client id.
func (v *Viewer) ID() int { return int(v.id) }

// Cohort returns the cohort index.
func (v *Viewer) Cohort() int { return int(v.cohort) }

// Stats returns the client's statistics (nil before its first start).
func (v *Viewer) Stats() *stats.ClientStats { return v.stats }

// CapBps returns the current downlink in bytes/s.
func (v *Viewer) CapBps() int64 { return v.cap }

// BaseCapBps returns the viewer's own downlink (without bandwidth drops).
func (v *Viewer) BaseCapBps() int64 { return v.baseCap }

// Speed returns the last instantaneous speed reading (0 without one).
func (v *Viewer) Speed() float64 {
	if v.speedCls == clsNone {
		return 0
	}
	return float64(v.speedMicro) / 1e6
}

// AvgSpeed returns FFmpeg's running-average speed at t: media received by
// the current process / wall time since it started.
func (v *Viewer) AvgSpeed(t time.Duration) float64 {
	if !v.state.Running() || t <= v.procStart {
		return 0
	}
	return float64(v.media) / float64(t-v.procStart)
}

// Drift returns the drift at t (wall time since the process start minus
// playback position), 0 when no process runs.
func (v *Viewer) Drift(t time.Duration) time.Duration {
	if !v.state.Running() {
		return 0
	}
	return t - v.procStart - v.posAt(t)
}

// Buffer returns the media downloaded but not yet played at t.
func (v *Viewer) Buffer(t time.Duration) time.Duration {
	if v.flags&fPlaying == 0 {
		return v.media
	}
	return v.media - v.posAt(t)
}

// Starts returns the number of process starts.
func (v *Viewer) Starts() int { return int(v.starts) }

// LastBackoff returns the delay before the latest restart.
func (v *Viewer) LastBackoff() time.Duration { return v.lastBackoff }

// History calls fn for the remembered state changes, oldest first.
func (v *Viewer) History(fn func(at time.Duration, s State)) {
	n := int(v.histN)
	k := min(n, HistoryLen)
	for i := n - k; i < n; i++ {
		h := v.hist[i%HistoryLen]
		fn(time.Duration(h>>3)*time.Millisecond, State(h&7))
	}
}

func (v *Viewer) posAt(t time.Duration) time.Duration {
	if v.flags&fPlaying == 0 {
		return 0
	}
	p := v.playPos + (t - v.playAt)
	if p > v.media {
		p = v.media
	}
	return p
}

func counted(s State) bool { return s != NotStarted && s != Stopped }

func (v *Viewer) setState(s State, at time.Duration, t *Tally) {
	old := v.state
	if old == s {
		return
	}
	t.States[old]--
	t.States[s]++
	switch {
	case !counted(old) && counted(s):
		v.speedCls = clsNone
		t.NoReading++
	case counted(old) && !counted(s):
		v.clearReading(t)
		t.NoReading--
	}
	v.state = s
	v.hist[v.histN%HistoryLen] = uint32(at/time.Millisecond)<<3 | uint32(s)
	v.histN++
}

// clearReading drops the speed and drift readings from the tally (the
// viewer stays in NoReading).
func (v *Viewer) clearReading(t *Tally) {
	switch v.speedCls {
	case clsAbove:
		t.Above--
		t.NoReading++
		t.SpeedSumMicro -= int64(v.speedMicro)
	case clsBelow:
		t.Below--
		t.NoReading++
		t.SpeedSumMicro -= int64(v.speedMicro)
	}
	v.speedCls = clsNone
	if v.flags&fDrift != 0 {
		t.DriftSumMs -= int64(v.lastDrift / time.Millisecond)
		t.DriftHist[driftBucket(v.lastDrift)]--
		t.DriftN--
		v.flags &^= fDrift
	}
}

// Advance runs the viewer through every event due before env.End.
func (v *Viewer) Advance(env *Env, t *Tally) {
	if env.LevelChanged && v.flags&fXfer != 0 {
		v.rerate(env.Start, env.Level)
	}
	for {
		if v.nextReport <= v.actEnd {
			if v.nextReport >= env.End {
				return
			}
			v.report(env, t)
			continue
		}
		if v.actEnd >= env.End && (v.actEnd >= env.AheadUntil || v.op == opIdle) {
			return
		}
		// the event at actEnd (written out here rather than in a method of
		// its own: the extra call per event cost 3 % of the instructions on
		// wasm, where calls are dear)
		now := v.actEnd
		switch v.op {
		case opIdle:
			v.start(env, t, now)
		case opConnect:
			v.connectDone(env, t, now)
		case opWait:
			v.nextStep(env, t, now)
		default:
			switch {
			case v.res != resOK:
				v.fail(env, t, now)
			case v.op == opSegment && v.flags&fXfer == 0:
				v.beginTransfer(env, t, now)
			case v.op == opSegment:
				v.segmentDone(env, t, now)
			case v.op == opManifest:
				v.manifestDone(env, t, now)
			default:
				v.initDone(env, t, now)
			}
		}
	}
}

func (v *Viewer) start(env *Env, t *Tally, now time.Duration) {
	if v.stats == nil {
		v.stats = stats.NewClientStatsWithClock(int(v.id), env.Clock)
		env.Aggregator.AddClient(v.stats)
	}
	v.Flush(now)
	if v.flags&fRestart != 0 {
		v.stats.RecordReconnection()
		t.Reconnections++
	}
	v.stats.OnProcessStart()
	v.lastSpeed = -1
	v.starts++
	v.clockShift = now - env.Start
	v.procStart = now
	v.playPos, v.playAt, v.media, v.repT, v.repPos = 0, now, 0, now, 0
	v.played = [speedSlots]int32{}
	v.belowSince = -1
	v.fails = 0
	v.flags = fRestart
	v.setState(Starting, now, t)
	// progress reports on this viewer's phase of the tick grid
	phase := time.Duration(int64(v.id)%int64(ReportGrid/env.Tick)) * env.Tick
	k := (now - phase) / ReportGrid
	if now < phase {
		k = -1 // floor division
	}
	v.lastGrid = phase + k*ReportGrid
	v.nextReport = v.lastGrid + ReportGrid
	v.connect(env, now)
}

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

	// the request
	v.op = op
	v.reqStart = now
	v.stderrNew += StderrLinesPerRequest
	ahead := int64(0)
	if now >= env.End { // ran ahead: the request belongs to the next sample
		ahead = 1
	}
	switch op {
	case opManifest:
		v.buf.man++
		t.ManifestReqs++
		t.AheadManifestReqs += ahead
	case opInit:
		v.buf.init++
		t.InitReqs++
		t.AheadInitReqs += ahead
	default:
		v.buf.seg++
		t.SegmentReqs++
		t.AheadSegmentReqs += ahead
	}
	rtt := v.rtt(env)
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
		d := secs(n / rate)
		gap := first - now
		if gap+d >= env.Timeout && float64(gap)+float64(min(n, PacketBytes)*1e9)/rate >= float64(env.Timeout) {
			v.res, v.actEnd = resTimeout, now+env.Timeout
			return
		}
		v.actEnd = first + d
	default:
		c := &env.Cohorts[v.cohort]
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
	t.SegLatency.Record(lat)
	b := &v.buf
	b.bytes += size
	if v.flags&fCounted != 0 { // a flush wrote part of it already
		b.bytes -= v.xferCounted
		v.flags &^= fCounted
	}
	v.segBuf[b.nSeg] = segEntry{lat: usec(lat), size: uint32(min(size, math.MaxUint32))}
	if b.nSeg++; b.nSeg == pendN {
		v.Flush(now)
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

func (v *Viewer) manifestDone(env *Env, t *Tally, now time.Duration) {
	n := int64(env.ManifestBytes)
	t.Bytes += n
	lat := now - v.reqStart
	t.ManLatency.Record(lat)
	v.buf.bytes += n
	v.manLat[v.buf.nMan] = usec(lat)
	if v.buf.nMan++; v.buf.nMan == pendN {
		v.Flush(now)
	}
	edge := env.Edge(v.reqStart)
	// how far the playlist lags the live edge (a stale playlist); a lag
	// that shrinks by more than nothing is a media-sequence jump beyond
	// what the time since the last load explains (it caught up)
	lag := uint16(min(max(env.LiveEdge(v.reqStart)-edge, 0), math.MaxUint16))
	skipped := int64(0)
	if v.flags&fLoaded == 0 {
		v.flags |= fLoaded
		v.nextSeq = edge - (LiveStartSegments - 1)
		v.knownEdge = edge
	} else {
		skipped = int64(v.lag) - int64(lag)
		if edge > v.knownEdge {
			v.knownEdge = edge
		}
	}
	v.lag = lag
	// FFmpeg's last_load_time: the end of the load, from which the next
	// reload interval counts
	v.lastLoad = now
	// segments that left the live window are skipped (FFmpeg: "skipping N
	// segments ahead, expired from playlists")
	if first := edge - env.PlaylistSize + 1; v.nextSeq < first {
		skipped = max(skipped, first-v.nextSeq)
		v.nextSeq = first
	}
	if skipped > 0 { // one discontinuity per reload, however it came about
		v.stats.RecordSequenceSkip(int(skipped))
	}
	v.flags |= fHalf
	v.fails = 0
	v.nextStep(env, t, now)
}

func (v *Viewer) initDone(env *Env, t *Tally, now time.Duration) {
	v.buf.bytes += InitBytes
	t.Bytes += InitBytes
	t.InitsDone++
	v.flags |= fInit
	v.fails = 0
	v.nextStep(env, t, now)
}

func (v *Viewer) fail(env *Env, t *Tally, now time.Duration) {
	v.stderrNew += StderrLinesPerError
	switch v.res {
	case resHTTP:
		v.stats.RecordHTTPError(int(v.code))
		t.HTTPErrors++
	case resTimeout:
		v.stats.RecordTimeout()
		t.Timeouts++
		v.flags &^= fConnected
	default: // connection reset
		v.flags &^= fConnected
		t.Resets++
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

// extendTimeline adds a segment of media to a playing viewer's timeline at
// now, from where playback stands (a segment that arrived, or one skipped:
// the output's timeline jumps over it), and reports whether the buffer had
// run dry by now (a stall, however short).
func (v *Viewer) extendTimeline(env *Env, now time.Duration) (ranDry bool) {
	v.playPos = v.posAt(now)
	v.playAt = now
	ranDry = v.playPos == v.media
	v.media += env.SegmentDuration
	return ranDry
}

// exit ends the player process; it restarts after a backoff unless
// reconnecting is disabled.
func (v *Viewer) exit(env *Env, t *Tally, now time.Duration) {
	if v.flags&fXfer != 0 {
		t.AbortedBytes += v.deliveredBy(now)
		if now > env.End { // ran ahead
			t.AheadBytes += v.deliveredBy(now) - v.deliveredBy(env.End)
		}
	}
	if v.flags&fSkip != 0 && v.nextReport != Never {
		v.skipLines(now) // the progress lines of the skipped reports, before the parser's totals restart
	}
	v.Flush(now)
	v.clearReading(t)
	v.stats.OnProcessExit()
	t.FailedExits++
	t.Exits.Record(1, now-v.procStart)
	v.flags = fRestart
	v.nextReport = Never
	v.op = opIdle
	if !env.Reconnect {
		v.actEnd = Never
		v.setState(Stopped, now, t)
		return
	}
	b := env.Backoff
	if now-v.procStart >= b.ResetAfter {
		v.attempt = 0
	}
	d := float64(b.Delay(int(v.attempt)))
	if b.Jitter > 0 {
		d *= 1 + float64(b.Jitter*float64(2*v.Float64()-1))
	}
	if v.attempt < 255 {
		v.attempt++
	}
	v.lastBackoff = time.Duration(d)
	v.actEnd = now + v.lastBackoff
	v.setState(Backoff, now, t)
}

// Stop ends the viewer for good at a tick boundary (it left the audience).
func (v *Viewer) Stop(now time.Duration, t *Tally) {
	if v.state == Stopped {
		return
	}
	if v.state != NotStarted && v.state != Backoff { // its process is terminated
		t.Terminated++
		t.Exits.Record(255, now-v.procStart)
	}
	if v.flags&fXfer != 0 {
		t.AbortedBytes += v.deliveredBy(now)
	}
	v.Flush(now)
	v.flags = 0
	v.op = opIdle
	v.actEnd, v.nextReport = Never, Never
	v.setState(Stopped, now, t)
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

// report is one FFmpeg -progress block: the parser reads its lines, and a
// playing process gives a speed and a drift reading.
//
// Reports that cannot change anything are skipped: while a Playing viewer
// read 1.0x last time and its buffer lasts, every further reading is again
// exactly 1.0x with the same drift, which changes neither its ClientStats
// nor the tallies. Such a viewer sleeps until the first report instant after
// its buffer would run dry (pushed later by every segment that arrives);
// the progress lines of the skipped reports are counted in bulk. Skipping
// needs an empty parser buffer and a parser that drains at least twice the
// progress lines, so the skipped reports would not have dropped lines.
func (v *Viewer) report(env *Env, t *Tally) {
	r := v.nextReport
	skipped := int((r-v.lastGrid)/ReportGrid) - 1
	if skipped > 0 {
		v.skipLines(r - ReportGrid)
	}
	v.lastGrid = r
	v.nextReport = r + ReportGrid
	v.flags &^= fSkip
	v.parseLines(env)
	if r-v.lastFlush >= FlushEvery {
		v.Flush(r)
	}
	if v.flags&fPlaying == 0 || r <= v.repT {
		return
	}
	pos := v.posAt(r)
	// the skipped reports each played exactly one interval; this one played
	// from the position one interval ago (or from the playback start)
	for i := 0; i < min(skipped, speedSlots); i++ {
		v.pushPlayed(ReportGrid)
	}
	prev := v.repPos
	if r-ReportGrid > v.repT {
		prev += r - ReportGrid - v.repT
	}
	v.pushPlayed(pos - prev)
	v.repT, v.repPos = r, pos
	var sum int64
	for _, p := range v.played {
		sum += int64(p)
	}
	sp := float64(sum) / float64(min(SpeedWindow, r-v.playStart))
	if sp != v.lastSpeed { // an equal reading changes nothing in ClientStats
		v.stats.UpdateSpeed(sp)
		v.lastSpeed = sp
	}
	micro := int32(float64(sp*1e6) + 0.5)
	switch v.speedCls {
	case clsNone:
		t.NoReading--
	case clsAbove:
		t.Above--
		t.SpeedSumMicro -= int64(v.speedMicro)
	case clsBelow:
		t.Below--
		t.SpeedSumMicro -= int64(v.speedMicro)
	}
	v.speedMicro = micro
	t.SpeedSumMicro += int64(micro)
	if sp >= stats.RealtimeSpeed {
		v.speedCls = clsAbove
		t.Above++
	} else {
		v.speedCls = clsBelow
		t.Below++
	}
	// drift = wall since process start - position; the stats clock read the
	// tick start at OnProcessStart, so the position passed is shifted by the
	// same amount to give the exact drift.
	drift := r - v.procStart - pos
	if v.flags&fDrift != 0 {
		if drift != v.lastDrift {
			v.stats.UpdateDrift(int64(pos+v.clockShift) / int64(time.Microsecond))
			t.DriftSumMs += int64(drift/time.Millisecond) - int64(v.lastDrift/time.Millisecond)
			t.DriftHist[driftBucket(v.lastDrift)]--
			t.addDrift(drift)
		}
	} else {
		v.stats.UpdateDrift(int64(pos+v.clockShift) / int64(time.Microsecond))
		t.DriftN++
		t.DriftSumMs += int64(drift / time.Millisecond)
		t.addDrift(drift)
		v.flags |= fDrift
	}
	v.lastDrift = drift
	if sp >= stats.StallThreshold {
		v.belowSince = -1
		v.setState(Playing, r, t)
		if sp == 1 && v.pending == 0 && env.ParseRate*ReportGrid.Seconds() >= 2*ProgressLines && !env.EveryReport {
			v.flags |= fSkip
			v.skipUntil()
		}
		return
	}
	if v.belowSince < 0 {
		v.belowSince = r
	}
	if r-v.belowSince > stats.StallDuration {
		v.setState(Stalled, r, t)
	} else {
		v.setState(Buffering, r, t)
	}
}

func (v *Viewer) pushPlayed(d time.Duration) {
	v.played[v.playedIdx] = int32(d)
	v.playedIdx = (v.playedIdx + 1) % uint8(speedSlots)
}

// skipUntil sets the next report to the first report instant after the
// buffer runs dry (at least one report ahead).
func (v *Viewer) skipUntil() {
	dry := v.playAt + (v.media - v.playPos)
	k := (dry-v.lastGrid)/ReportGrid + 1
	v.nextReport = v.lastGrid + max(k, 1)*ReportGrid
}

// parseLines models the real tool's lossy output parser: each report brings
// ProgressLines progress lines plus the stderr lines logged since the last
// one; the load generator drains env.ParseRate lines/s for this viewer; what
// does not fit the ParseBufferLines buffer is dropped.
func (v *Viewer) parseLines(env *Env) {
	prog := float32(ProgressLines)
	errs := float32(v.stderrNew)
	v.stderrNew = 0
	p := v.pending + prog + errs - float32(env.ParseRate*ReportGrid.Seconds())
	if p < 0 {
		p = 0
	}
	var dp, de int64
	if p > ParseBufferLines {
		drop := p - ParseBufferLines
		p = ParseBufferLines
		dp = int64(drop * prog / (prog + errs))
		de = int64(drop) - dp
	}
	v.pending = p
	v.progRead += ProgressLines
	v.stderrRead += uint32(errs)
	if dp|de != 0 {
		v.progDrop += uint32(dp)
		v.stderrDrop += uint32(de)
	}
	v.linesDirty = true
}

// skipLines accounts the progress lines of the report-grid instants in
// (lastGrid, now] that were skipped (the parser kept up, see report), and
// the stderr lines logged so far (called by report only).
func (v *Viewer) skipLines(now time.Duration) {
	n := (now - v.lastGrid) / ReportGrid
	if n <= 0 {
		return
	}
	v.lastGrid += n * ReportGrid
	v.progRead += uint32(n) * ProgressLines
	v.stderrRead += uint32(v.stderrNew)
	v.stderrNew = 0
	v.linesDirty = true
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
