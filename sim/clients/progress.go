package clients

import (
	"time"

	"swarmsim/sim/stats"
)

// Progress reports.
const (
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
)

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
