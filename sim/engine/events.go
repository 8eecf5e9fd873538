package engine

import (
	"fmt"
	"math/bits"
	"time"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
)

// ceilTick rounds t up to a tick boundary.
func ceilTick(t time.Duration) time.Duration { return (t + Tick - 1) / Tick * Tick }

// schedule adds an event; its window starts at the first tick boundary at or
// after At and ends at the first boundary at or after At+Duration, clamped to
// the run.
func (e *Engine) schedule(ev scenario.Event, injected bool) {
	start := min(ceilTick(ev.At.D()), e.dur)
	end := min(ceilTick(ev.At.D()+ev.Duration.D()), e.dur)
	if ev.Duration > 0 && end <= start && start < e.dur {
		end = min(start+Tick, e.dur)
	}
	w := window{ev: ev, mark: len(e.marks), start: start, end: end, serial: uint64(len(e.marks)) + 1}
	e.marks = append(e.marks, EventMark{Start: start, End: end, Kind: ev.Kind, Caption: ev.Caption, Injected: injected, Event: ev})
	if ev.Kind == scenario.KindStalePlaylist {
		jump := int64(ev.Jump)
		if jump == 0 { // the segments the freeze hid: back to the live edge at its end
			d := e.env.SegmentDuration
			jump = int64(end/d) - int64(start/d)
		}
		e.env.Stale = append(e.env.Stale, clients.StaleWindow{From: start, To: end, Jump: jump})
	}
	e.windows = append(e.windows, w)
}

// Inject applies ev live, starting at Now() (its At is ignored; its window
// is clamped to the end of the run). The event is validated like a scripted
// one; an invalid event gives an error and changes nothing. Requests that a
// viewer already issued up to one tick ahead of Now() (see
// clients.Env.AheadUntil) are not affected.
func (e *Engine) Inject(ev scenario.Event) error {
	if e.Done() {
		return fmt.Errorf("engine: inject %s: the run has ended", ev.Kind)
	}
	ev.At = 0
	ev.ApplyDefaults()
	check := *e.sc
	check.Events = []scenario.Event{ev}
	check.Duration = max(check.Duration, ev.Duration)
	// the clients that exist (including stopped ones, which keep their
	// ids) stand in for clients.count, so Validate's client limit counts
	// them plus what the event can add (scenario.MaxClients)
	check.Clients.Count = max(1, min(e.nClients, scenario.MaxClients))
	if err := check.Validate(); err != nil {
		return fmt.Errorf("engine: inject %s: %w", ev.Kind, err)
	}
	if n := e.nClients + e.pendingJoins() + ev.MaxNewClients(); n > scenario.MaxClients {
		return fmt.Errorf("engine: inject %s: %d clients exist or are still to join, %d more would pass the limit %d",
			ev.Kind, e.nClients+e.pendingJoins(), ev.MaxNewClients(), scenario.MaxClients)
	}
	ev.At = scenario.Duration(e.now)
	e.schedule(ev, true)
	return nil
}

// applyEvents starts and ends windows at the boundary t0 and performs the
// client changes (churn, add, remove) due in the tick [t0, t1).
func (e *Engine) applyEvents(t0, t1 time.Duration) {
	for i := range e.windows {
		w := &e.windows[i]
		if w.ended || t0 < w.start {
			continue
		}
		if !w.started {
			w.started = true
			e.startWindow(w, t0)
		}
		if t0 >= w.end && w.ev.Duration > 0 {
			w.ended = true
			e.endWindow(w, t0)
			continue
		}
		switch w.ev.Kind {
		case scenario.KindChurn:
			// due counts from the elapsed time (not accumulated, which would
			// drift by rounding): floor(rate x elapsed)
			el := float64(min(t1, w.end)-w.start) / 1e9
			for due := int(float64(w.ev.JoinRate*el) + 1e-9); w.done < due; w.done++ {
				e.join(t0)
			}
			for due := int(float64(w.ev.LeaveRate*el) + 1e-9); w.left < due; w.left++ {
				e.leaveRandom(w, w.left, t0)
			}
		case scenario.KindAddClients, scenario.KindRemoveClients:
			target := w.ev.Clients
			if w.ev.Duration > 0 && t1 < w.end {
				target = int(int64(w.ev.Clients) * int64(t1-w.start) / int64(w.end-w.start))
			}
			for ; w.done < target; w.done++ {
				if w.ev.Kind == scenario.KindAddClients {
					e.join(t0)
				} else {
					e.leaveRandom(w, w.done, t0)
				}
			}
			if w.ev.Duration == 0 {
				w.ended = true
			}
		}
	}
}

// pendingJoins is how many clients the windows not yet ended can still
// add (at most).
func (e *Engine) pendingJoins() int {
	n := 0
	for i := range e.windows {
		w := &e.windows[i]
		if !w.ended {
			n += max(w.ev.MaxNewClients()-w.done, 0)
		}
	}
	return n
}

// join adds a client unless the run already has scenario.MaxClients (churn
// windows, rounded to ticks, may run up to one tick longer than validated).
func (e *Engine) join(t time.Duration) {
	if e.nClients < scenario.MaxClients {
		e.addClient(t, e.sc.Clients.RampJitter.D())
	}
}

// leaveRandom stops the k-th leaver of window w: a client that has not left
// yet, chosen by a hash of (run seed, window serial, k, attempt), so the
// pick depends on nothing else (not on other windows, nor on how many picks
// came before). Up to 64 attempts draw uniformly among all ids (stopped
// clients are skipped); after that a scan from a drawn id takes the next
// running one.
func (e *Engine) leaveRandom(w *window, k int, t time.Duration) {
	if e.alive == 0 {
		return
	}
	n := uint64(e.nClients)
	var try uint64
	draw := func() int {
		for {
			id, ok := uniformBelow(pickHash(e.seed, w.serial, uint64(k), try), n)
			try++
			if ok {
				return int(id)
			}
		}
	}
	for range 64 {
		if e.stopClient(draw(), t) {
			return
		}
	}
	start := draw()
	for j := 0; j < int(n); j++ {
		if e.stopClient((start+j)%int(n), t) {
			return
		}
	}
}

// pickHash mixes (seed, window serial, k, attempt) into 64 random bits
// (splitmix64 finaliser after each input).
func pickHash(seed, serial, k, try uint64) uint64 {
	x := mix64(seed ^ serial*0x9e3779b97f4a7c15)
	x = mix64(x ^ k*0xd1b54a32d192ed03)
	return mix64(x ^ try*0x8cb92ba72f3d8dd7)
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// uniformBelow maps 64 random bits x to [0, n) without bias (Lemire's
// multiply-shift with rejection): ok is false for the few x that would
// over-represent some values; the caller then draws again.
func uniformBelow(x, n uint64) (v uint64, ok bool) {
	hi, lo := bits.Mul64(x, n)
	if lo < n && lo < -n%n {
		return 0, false
	}
	return hi, true
}

func (e *Engine) stopClient(id int, t time.Duration) bool {
	sh, i := e.viewer(id)
	v := &sh.viewers[i]
	if v.State() == clients.Stopped {
		return false
	}
	v.Stop(t, &sh.tally)
	sh.wake[i], sh.xfer[i] = v.Wake(), false
	sh.originView(i)
	e.alive--
	if v.Stats() != nil {
		e.agg.RemoveClient(id)
	}
	return true
}

// dropHit reports whether bandwidth_drop window w affects client id: a
// hash of (seed, window, id) below the share.
func (e *Engine) dropHit(w *window, id int) bool {
	x := e.seed ^ w.serial*0x9e3779b97f4a7c15 ^ uint64(id)*0xbf58476d1ce4e5b9
	x ^= x >> 31
	x *= 0x94d049bb133111eb
	x ^= x >> 29
	return float64(x>>11)*0x1p-53 < w.ev.Share
}

// startWindow and endWindow apply a bandwidth_drop window to the clients it
// hits: each gets the lowest downlink of its own and of every drop in force
// (windows may overlap when one is injected live).
func (e *Engine) startWindow(w *window, t time.Duration) { e.recapDropped(w, t) }

func (e *Engine) endWindow(w *window, t time.Duration) { e.recapDropped(w, t) }

func (e *Engine) recapDropped(w *window, t time.Duration) {
	if w.ev.Kind != scenario.KindBandwidthDrop {
		return
	}
	e.forClients(func(id int, sh *shard, i int) {
		v := &sh.viewers[i]
		if v.State() != clients.Stopped && e.dropHit(w, id) {
			v.SetCap(e.dropCap(id, v.BaseCapBps()), t, e.env.Level, &sh.tally)
			sh.wake[i] = v.Wake()
			sh.originView(i)
		}
	})
}

// dropCap is client id's downlink in bytes/s under the bandwidth_drop
// windows in force: the lowest of base and theirs.
func (e *Engine) dropCap(id int, base int64) int64 {
	c := base
	for i := range e.windows {
		w := &e.windows[i]
		if w.ev.Kind == scenario.KindBandwidthDrop && w.started && !w.ended && e.dropHit(w, id) {
			c = min(c, int64(w.ev.BandwidthMbps*125000))
		}
	}
	return c
}

func (e *Engine) forClients(fn func(id int, sh *shard, i int)) {
	for id := 0; id < e.nClients; id++ {
		sh, i := e.viewer(id)
		fn(id, sh, i)
	}
}

// currentCapacity is the origin's egress in bytes/s now (0 = unlimited):
// the scenario's, or that of the latest capacity window in effect.
func (e *Engine) currentCapacity() float64 {
	c := e.capacity
	for i := range e.windows {
		w := &e.windows[i]
		if w.ev.Kind == scenario.KindCapacity && w.started && !w.ended {
			c = w.ev.CapacityMbps * 125000
		}
	}
	return c
}

// buildEnv sets the fault state of the tick [t0, t1) from the windows in
// effect.
func (e *Engine) buildEnv(t0, t1 time.Duration) {
	env := &e.env
	env.Start, env.End = t0, t1
	env.Latency = e.baseLat
	env.Outage, env.OutageStatus = clients.OutageNone, 0
	env.ErrorCodes = append(env.ErrorCodes[:0], e.bgCodes...)
	env.ErrorCum = append(env.ErrorCum[:0], e.bgShares...)
	for i := range e.windows {
		w := &e.windows[i]
		if !w.started || w.ended {
			continue
		}
		switch w.ev.Kind {
		case scenario.KindOutage:
			switch w.ev.Mode {
			case scenario.ModeTimeout:
				env.Outage = clients.OutageTimeout
			case scenario.ModeStatus:
				env.Outage, env.OutageStatus = clients.OutageStatus, w.ev.Status
			default:
				env.Outage = clients.OutageRefused
			}
		case scenario.KindLatencySpike:
			env.Latency += w.ev.Latency.D()
		case scenario.KindErrorBurst:
			env.ErrorCodes = append(env.ErrorCodes, w.ev.Status)
			env.ErrorCum = append(env.ErrorCum, w.ev.Rate)
		}
	}
	total := 0.0
	for i, s := range env.ErrorCum {
		total += s
		env.ErrorCum[i] = min(total, 1)
	}
	env.ErrorShare = min(total, 1)
	running := int64(0)
	for s := range e.shards {
		st := &e.shards[s].tally.States
		running += int64(st[clients.Starting] + st[clients.Playing] + st[clients.Buffering] + st[clients.Stalled])
	}
	env.ParseRate = HostParseLinesPerSec / float64(max(running, 1))
}

// boundaryAt reports whether an event window opens or closes at t, or
// changes clients during the tick that starts at t.
func (e *Engine) boundaryAt(t time.Duration) bool {
	for i := range e.windows {
		w := &e.windows[i]
		if w.ended {
			continue
		}
		if w.start == t || w.end == t {
			return true
		}
		switch w.ev.Kind {
		case scenario.KindChurn, scenario.KindAddClients, scenario.KindRemoveClients:
			if w.start <= t && t <= w.end {
				return true
			}
		}
	}
	return false
}
