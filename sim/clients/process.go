package clients

import (
	"time"

	"swarmsim/sim/stats"
)

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
	if env.Cohorts[v.cohort].Renditions > 1 {
		v.flags |= fRenditions
	}
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

// BackoffPolicy is the restart delay Initial x Multiplier^attempt capped at
// Max, then +/- Jitter; the attempt count resets after ResetAfter of uptime.
type BackoffPolicy struct {
	Initial, Max, ResetAfter time.Duration
	Multiplier, Jitter       float64
}

// Delay returns the un-jittered delay of the given attempt (0-based), by
// repeated multiplication.
func (b BackoffPolicy) Delay(attempt int) time.Duration {
	d := float64(b.Initial)
	for i := 0; i < attempt && d < float64(b.Max); i++ {
		d *= b.Multiplier
	}
	if d > float64(b.Max) {
		d = float64(b.Max)
	}
	return time.Duration(d)
}
