package clients

import (
	"math"
	"math/rand/v2"
	"time"
	"unsafe"

	"swarmsim/sim/internal/prefetch"
	"swarmsim/sim/stats"
)

// Never is a time that never comes.
const Never = time.Duration(math.MaxInt64)

// HistoryLen is the number of state changes a viewer remembers.
const HistoryLen = 8

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
	fConnected  uint16 = 1 << iota
	fXfer              // a segment transfer is in progress (counted in the Tally)
	fLoaded            // the playlist was loaded by this process
	fInit              // the init segment was loaded by this process
	fHalf              // reload interval is half a segment duration
	fRestart           // the next start is a restart
	fPlaying           // playback started in this process
	fDrift             // a drift reading is counted in the Tally
	fSkip              // reports that cannot change anything are skipped
	fCounted           // xferCounted bytes of the transfer under way are in the stats
	fRenditions        // the process downloads several renditions (variant all)
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

// Init makes v viewer id, NotStarted and with nothing due, and counts it in
// t's states; Setup then gives it its cohort, downlink and start time. The
// viewer's random stream is PCG seeded from (seed, id).
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
