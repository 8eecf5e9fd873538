package clients

import (
	"math"
	"time"
)

// LiveStartSegments is how many segments behind (and including) the live
// edge a player starts with: FFmpeg's live_start_index -3.
const LiveStartSegments = 3

func (v *Viewer) manifestDone(env *Env, t *Tally, now time.Duration) {
	lat := now - v.reqStart
	if v.flags&fRenditions != 0 {
		v.playlistsDone(env, t, now, lat)
	} else {
		n := int64(env.ManifestBytes)
		t.Bytes += n
		t.ManLatency.Record(lat)
		v.buf.bytes += n
		v.manLat[v.buf.nMan] = usec(lat)
		if v.buf.nMan++; v.buf.nMan == pendN {
			v.Flush(now)
		}
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

// SeqBase is the media sequence number of the segment that completes at
// virtual time 0 + SegmentDuration (the stream started long before).
const SeqBase = 1000

// LiveEdge returns the newest segment completed by t: what a playlist that
// is not stale lists.
func (e *Env) LiveEdge(t time.Duration) int64 { return SeqBase + int64(t/e.SegmentDuration) }

// Edge returns the newest segment the origin's playlist lists at t.
func (e *Env) Edge(t time.Duration) int64 {
	live := e.LiveEdge(t)
	for i := range e.Stale {
		w := &e.Stale[i]
		if t < w.From {
			continue
		}
		frozen := SeqBase + int64(w.From/e.SegmentDuration)
		lim := frozen
		if t >= w.To { // jumped, then one more per segment completed since
			lim = frozen + w.Jump + int64(t/e.SegmentDuration) - int64(w.To/e.SegmentDuration)
		}
		if lim < live {
			live = lim
		}
	}
	return live
}

// StaleWindow freezes the served playlist: from From to To it lists the live
// edge as of From; afterwards it jumps Jump segments and advances normally
// again (at most up to the true live edge).
type StaleWindow struct {
	From, To time.Duration
	Jump     int64
}

// playlistsDone records the playlists of every rendition that a reload
// brought (variant all): each took the reload's time.
func (v *Viewer) playlistsDone(env *Env, t *Tally, now, lat time.Duration) {
	k := env.Cohorts[v.cohort].Renditions
	n := int64(env.ManifestBytes) * int64(k)
	t.Bytes += n
	v.buf.bytes += n
	for range k {
		t.ManLatency.Record(lat)
		v.manLat[v.buf.nMan] = usec(lat)
		if v.buf.nMan++; v.buf.nMan == pendN {
			v.Flush(now)
		}
	}
}
