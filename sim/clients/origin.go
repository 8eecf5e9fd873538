package clients

import (
	"math"
	"time"
)

// The origin's share of a window of time.
//
// The engine fixes one fair-share level L for each tick before the viewers
// run, and every transfer during the tick runs at min(own downlink, L). The
// origin's capacity C bounds the bytes it delivers in every tick: at most
// C x the tick's length. To pick L, the engine asks each viewer for an upper
// bound of what it can receive in the tick at a level L, of the form
//
//	fixed + w x min(L, c)        (w a time, c a rate)
//
// and solves sum(w x min(L, c)) = C x tick - sum(fixed) by water-filling
// (OriginDemand.Level). A viewer transfers one thing at a time, so in any
// window it receives at most min(cap, L) x (the time it can spend
// transferring): OriginView.Bounds says how long that can be and, when the
// viewer's current segment is its last transfer in the window, caps it by
// the bytes that segment has left. The bound is what makes a lightly loaded
// origin cost nothing: a 60 ms segment transfer counts for its bytes, not
// for a whole 200 ms tick at full downlink.

// OriginView is the part of a viewer's state its origin bound reads. The
// engine keeps one per viewer in a compact array, written after every
// wake-up, so that the origin's scan reads 80 bytes in order instead of two
// cache lines of each 512-byte viewer.
type OriginView struct {
	actEnd, xferAt, lastLoad, reqStart time.Duration
	remaining, rate                    float64
	knownEdge, nextSeq                 int64
	cap                                int64
	flags                              uint16
	op, res, cohort                    uint8
}

// OriginView copies the viewer's state that its origin bound reads into o.
func (v *Viewer) OriginView(o *OriginView) {
	*o = OriginView{
		actEnd: v.actEnd, xferAt: v.xferAt, lastLoad: v.lastLoad, reqStart: v.reqStart,
		remaining: v.remaining, rate: v.rate, knownEdge: v.knownEdge, nextSeq: v.nextSeq,
		cap: v.cap, flags: v.flags, op: v.op, res: v.res, cohort: v.cohort,
	}
}

// Bounds bounds the bytes the viewer receives from the origin in the tick
// [t0, t1) when every transfer runs at min(downlink, L): at most fixed +
// w x min(L, c), added to d. It returns its bound at L = +Inf for the
// window [t1, t2) after the tick (0 when t2 == t1), assuming L = +Inf in
// the tick too.
//
// The reasoning follows the viewer's state machine:
//   - Requests are issued only at act events (never at a progress report),
//     one at a time, and every response starts gap = RTT + origin latency
//     after its request. So nothing new arrives before the next act event +
//     gap; a segment the viewer has not yet seen in a playlist needs a reload
//     first, so its first byte comes another gap later.
//   - A segment transfer under way (or whose first byte is due) ends no
//     earlier than at full downlink, and the next request follows it; when
//     the playlist lists no further segment, that request is a reload, which
//     waits for the reload interval since the last load.
//   - The segments the viewer can fetch in a window are those its
//     playlists can list by its end (the playlist's edge never moves back),
//     each at most the cohort's largest segment size, unless the process can
//     restart within the window (its start burst re-fetches segments):
//     that needs an error or an outage, and a restart delay shorter than
//     the window.
//   - Playlists and init segments count in full as fixed bytes. The next
//     reload comes no earlier than half a reload interval after the last
//     load ended (unless the process can restart in the window, or a reload
//     in flight can fail and be retried at once), and a process fetches its
//     init segment once. When they can only follow the segment transfer
//     under way, they count only at levels at which that transfer can end
//     within the window (OriginDemand.AddConditional): a starved viewer
//     whose transfer crawls asks for no playlist in the tick.
func (o *OriginView) Bounds(env *Env, t0, t1, t2 time.Duration, d *OriginDemand) (ahead, aheadFixed float64) {
	var st boundState
	o.boundState(env, t0, t2, &st)
	w, c, f, cond, thr := st.window(o, env, t0, t1)
	d.Add(w, c, f)
	d.AddConditional(cond, thr)
	if t2 > t1 {
		w, c, f, cond, _ := st.window(o, env, t1, t2)
		return float64(seconds(w)*c) + float64(f+cond), float64(f + cond)
	}
	return 0, 0
}

// boundState is the part of a bound that does not depend on the window.
type boundState struct {
	gap        time.Duration // RTT + origin latency
	s          time.Duration // first byte of the segment transfer under way, or t0
	first      time.Duration // earliest issue of the next request
	r          float64       // bytes left at s of the transfer under way (0: none)
	edge, seq  int64         // the newest segment listed; the next one to fetch
	known      bool          // a segment transfer under way or due
	restartMin time.Duration // shortest restart delay; 0: cannot restart
	calm       bool          // no request can fail (no outage, no error share, no timeout)
}

func (v *OriginView) boundState(env *Env, t0, end time.Duration, st *boundState) {
	st.gap = env.Cohorts[v.cohort].RTT + env.Latency
	// a request issued under an earlier fault can still fail (its result was
	// drawn at issue): then a reload is retried at once, or the process
	// exits; and one issued in the window can time out at a starved level,
	// which ends after the window unless the timeout is shorter
	st.calm = env.Outage == OutageNone && env.ErrorShare == 0 && st.gap < env.Timeout && v.res == resOK &&
		env.Timeout >= end-t0
	st.edge, st.seq = v.knownEdge, v.nextSeq
	if !st.calm {
		st.restartMin = 1 << 62 // can exit; restarts only when reconnecting
		if env.Reconnect {
			b := &env.Backoff // multiplier >= 1: the first delay is the shortest
			st.restartMin = max(time.Duration(float64(min(b.Initial, b.Max))*(1-b.Jitter)), 1)
		}
	}
	if v.flags&fXfer == 0 && (v.op != opSegment || v.res != resOK) {
		if v.res == resOK && v.op == opManifest {
			st.edge = max(st.edge, env.Edge(v.reqStart))
		}
		if v.flags&fLoaded == 0 {
			// a process that has not loaded its playlist yet starts behind
			// the edge it lists (nextSeq is still its last process's)
			st.seq = st.edge - (LiveStartSegments - 1)
		}
		st.first = v.actEnd
		return
	}
	st.known = true
	s, r := v.actEnd, v.remaining
	if v.flags&fXfer != 0 {
		s = v.xferAt
		if s < t0 {
			r -= float64(v.rate * seconds(t0-s))
			s = t0
		}
	}
	r = max(r, 0)
	first := s + secs(r/float64(v.cap)) // earliest completion
	st.seq++
	if st.seq > st.edge && first-v.lastLoad < env.SegmentDuration {
		first = v.lastLoad + env.SegmentDuration // the reload it needs first
	}
	st.s, st.r, st.first = s, r, first
}

// seconds converts a Duration to seconds with one multiplication (cheaper
// than Duration.Seconds, and the same on every platform).
var inf = math.Inf(1)

func seconds(d time.Duration) float64 { return float64(float64(d) * 1e-9) } // float64(): never fused into a multiply-add

// window bounds the bytes of [a, b) by fixed + w x min(L, c), plus cond
// at levels L >= thr.
func (st *boundState) window(v *OriginView, env *Env, a, b time.Duration) (w time.Duration, c float64, fixed, cond int64, thr float64) {
	capf := float64(v.cap)
	s, r := st.s, st.r
	if st.known {
		if s < a {
			r = max(r-float64(capf*seconds(a-s)), 0)
			s = a
		}
		if s >= b {
			r = 0
		}
	} else if v.res == resOK && v.actEnd >= a && v.actEnd < b {
		switch v.op { // a playlist or init segment in flight
		case opManifest:
			fixed += int64(env.ManifestBytes)*int64(env.Cohorts[v.cohort].Renditions) + 1
		case opInit:
			fixed += InitBytes * int64(env.Cohorts[v.cohort].Renditions)
		}
	}
	first := st.first + st.gap // earliest first byte of anything requested later
	next := first
	if st.seq > st.edge {
		next += st.gap // the next segment needs a reload first
	}
	next = max(next, a)
	if first < b { // playlists and an init segment
		from, init := first, env.FMP4
		if v.flags&fLoaded != 0 && (st.restartMin == 0 || st.restartMin >= b-a) {
			// no restart in the window: the next reload waits at least half
			// an interval after the last load ended, or after the one in
			// flight ends unless that one can fail (a failed reload is
			// retried at once); and the process has its init segment once
			// it loaded it
			due := v.lastLoad + env.SegmentDuration/2 + st.gap
			if v.op == opManifest {
				due = first
				if st.calm {
					due = v.actEnd + env.SegmentDuration/2 + st.gap
				}
			}
			from = max(from, due)
			init = init && v.flags&fInit == 0
		}
		var f int64
		k := int64(env.Cohorts[v.cohort].Renditions)
		if from < b {
			f += (int64(env.ManifestBytes)*k + 1) * (1 + int64((b-max(from, a))/max(env.SegmentDuration/2, 1)))
		}
		if init {
			f += InitBytes * k
		}
		if st.known && r > 0 && s+st.gap < b {
			// they follow the transfer under way: it must end by b - gap,
			// which takes a level of at least r / (b - gap - s)
			cond, thr = f, r/seconds(b-st.gap-s)
		} else {
			fixed += f
		}
	}
	// segments after the current one: how many, at most how large
	more := math.Inf(1)
	if v.flags&fLoaded != 0 && (st.restartMin == 0 || st.restartMin >= b-a) {
		co := &env.Cohorts[v.cohort]
		n := max(st.edge, env.Edge(b)) - st.seq + 1
		more = float64(max(n, 0)) * (co.SegmentBytes + float64(3*co.SizeSigma) + 1)
	}
	if next >= b {
		more = 0
	}
	switch {
	case r > 0:
		w = b - s
	case more > 0:
		w = b - next
	default:
		return 0, 0, fixed, cond, thr
	}
	return w, min(capf, (r+more)/seconds(w)), fixed, cond, thr
}

// OriginDemand sums the viewers' bounds for one window by bandwidth
// class of c, so that the level is found in O(classes).
type OriginDemand struct {
	w, wc [NumClasses]float64 // seconds; seconds x bytes/s
	cond  [NumClasses]float64 // bytes that count from a level in the class on
	// Total is the bound at L = +Inf (bytes), Fixed the fixed part.
	Total, Fixed float64
	weight       float64
	lo, hi       int // the classes in use are within [lo, hi)
}

// Reset empties the demand.
func (d *OriginDemand) Reset() {
	if d.lo < d.hi {
		clear(d.w[d.lo:d.hi])
		clear(d.wc[d.lo:d.hi])
		clear(d.cond[d.lo:d.hi])
	}
	d.Total, d.Fixed, d.weight = 0, 0, 0
	d.lo, d.hi = NumClasses, 0
}

// Add adds one viewer's bound.
func (d *OriginDemand) Add(w time.Duration, c float64, fixed int64) {
	d.Fixed += float64(fixed)
	d.Total += float64(fixed)
	if w <= 0 {
		return
	}
	ws := seconds(w)
	k := int(classOfRate(c))
	d.lo, d.hi = min(d.lo, k), max(d.hi, k+1)
	wc := float64(ws * c) // float64(): never fused, the same on every platform
	d.w[k] += ws
	d.wc[k] += wc
	d.weight += ws
	d.Total += wc
}

// AddConditional adds bytes that the viewer receives only at levels of at
// least thr (bytes/s). They count from thr's class on, so in full within it.
func (d *OriginDemand) AddConditional(bytes int64, thr float64) {
	if bytes <= 0 {
		return
	}
	k := int(classOfRate(thr))
	d.lo, d.hi = min(d.lo, k), max(d.hi, k+1)
	d.cond[k] += float64(bytes)
	d.Total += float64(bytes)
}

// Merge adds the demand o.
func (d *OriginDemand) Merge(o *OriginDemand) {
	for k := o.lo; k < o.hi; k++ {
		d.w[k] += o.w[k]
		d.wc[k] += o.wc[k]
		d.cond[k] += o.cond[k]
	}
	if o.lo < o.hi {
		d.lo, d.hi = min(d.lo, o.lo), max(d.hi, o.hi)
	}
	d.Total += o.Total
	d.Fixed += o.Fixed
	d.weight += o.weight
}

// At returns the bound at level L: the most bytes the viewers summed in d
// can receive in the window when every transfer's share is at most L.
func (d *OriginDemand) At(L float64) float64 {
	s, top := d.Fixed, math.MaxInt
	if !math.IsInf(L, 1) {
		top = int(classOfRate(L)) // conditional bytes count from their class on
	}
	for k := d.lo; k < d.hi; k++ {
		if d.w[k] > 0 {
			s += float64(d.w[k] * min(L, d.wc[k]/d.w[k]))
		}
		if k <= top {
			s += d.cond[k]
		}
	}
	return s
}

// MinLevel is the level when the window's fixed bytes alone fill the
// budget: transfers nearly halt until a later window.
const MinLevel = 1.0 // bytes/s

// Level returns a level L (bytes/s) with Fixed + the conditional bytes
// that apply at L + sum(w x min(L, c)) <= budget, +Inf when the total fits.
// Conditional bytes (AddConditional) count at every level from their
// threshold's class on; Level finds the level L0 without them, then the
// level L1 <= L0 with those that apply at L0 as fixed bytes: fewer apply at
// L1, so the sum stays within the budget.
func (d *OriginDemand) Level(budget float64) float64 {
	if d.Total <= budget {
		return inf
	}
	l0 := d.level(budget - d.Fixed)
	var cond float64
	top := d.hi
	if !math.IsInf(l0, 1) {
		top = min(top, int(classOfRate(l0))+1)
	}
	for k := d.lo; k < top; k++ {
		cond += d.cond[k]
	}
	if cond == 0 {
		return l0
	}
	return d.level(budget - d.Fixed - cond)
}

// level returns the largest level L with sum(w x min(L, c)) <= b. Within a
// class every c is taken at the class's weighted mean for the test, and the
// class the level falls in is counted at the level in full, so the sum stays
// within b.
func (d *OriginDemand) level(b float64) float64 {
	w := d.weight
	for k := d.lo; k < d.hi && w > 0; k++ {
		if d.w[k] == 0 {
			continue
		}
		level := b / w
		if level < MinLevel {
			return MinLevel
		}
		if d.wc[k] <= float64(d.w[k]*level) {
			b -= d.wc[k]
			w -= d.w[k]
			continue
		}
		return level
	}
	if b < 0 { // every transfer at its own downlink, and the fixed bytes do not fit
		return MinLevel
	}
	return inf
}
