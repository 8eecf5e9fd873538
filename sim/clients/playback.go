package clients

import "time"

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
