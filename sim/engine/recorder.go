package engine

import (
	"math"
	"time"

	"swarmsim/sim/clients"
	"swarmsim/sim/stats"
)

// recorder samples the run every interval from the shards' tallies. It
// reads the engine's own exact counters instead of calling AggregateInto on
// every client each interval: at 10 000 clients a full aggregate every
// virtual second would cost more than the simulation itself. The tallies
// count the same events the viewers write to their ClientStats (tests check
// that both agree), and they keep counting clients that left, so the
// cumulative series never go backwards.
type recorder struct {
	interval time.Duration
	series   Series
	cum      []int64       // cumulative bytes at each sample
	lastT    time.Duration // virtual time of the last sample (0 before the first)
	prev     sampleSums
	seg, man stats.HistogramSnapshot
}

// sampleSums are the parts of the shards' tallies a sample adds up: a few
// counters, not a whole clients.Tally (whose drift histogram and exit
// record, some 25 KB, the recorder does not sum).
type sampleSums struct {
	States                              [clients.NumStates]int32
	Above, Below, NoReading, DriftN     int32
	SpeedSumMicro, DriftSumMs           int64
	ManifestReqs, SegmentReqs, InitReqs int64
	HTTPErrors, Timeouts, Reconnections int64
	InitsDone, Resets                   int64
	Connects, ConnectFails              int64
	Bytes, AheadBytes, AbortedBytes     int64
}

func (r *recorder) init(interval, dur time.Duration) {
	r.interval = interval
	n := int(dur/interval) + 1
	r.series = Series{Interval: interval, Samples: make([]Sample, 0, min(n, 1<<16))}
	r.cum = make([]int64, 0, min(n, 1<<16))
}

func (r *recorder) sample(e *Engine) {
	var sum sampleSums
	var ts [NumShards]*clients.Tally
	r.seg.Reset()
	r.man.Reset()
	for i := range e.shards {
		t := &e.shards[i].tally
		ts[i] = t
		for k := range sum.States {
			sum.States[k] += t.States[k]
		}
		sum.Above += t.Above
		sum.Below += t.Below
		sum.NoReading += t.NoReading
		sum.SpeedSumMicro += t.SpeedSumMicro
		sum.DriftSumMs += t.DriftSumMs
		sum.DriftN += t.DriftN
		// requests issued after now (ran ahead) count in the next sample
		sum.ManifestReqs += t.ManifestReqs - t.AheadManifestReqs
		sum.SegmentReqs += t.SegmentReqs - t.AheadSegmentReqs
		sum.InitReqs += t.InitReqs - t.AheadInitReqs
		sum.HTTPErrors += t.HTTPErrors
		sum.Timeouts += t.Timeouts
		sum.InitsDone += t.InitsDone
		sum.Resets += t.Resets
		sum.Connects += t.Connects
		sum.ConnectFails += t.ConnectFails
		sum.Reconnections += t.Reconnections
		sum.Bytes += t.Bytes
		sum.AheadBytes += t.AheadBytes
		sum.AbortedBytes += t.AbortedBytes
		r.seg.Merge(&t.SegLatency)
		r.man.Merge(&t.ManLatency)
		t.ResetInterval()
	}
	now := e.now
	prevT := r.lastT
	r.lastT = now
	dt := (now - prevT).Seconds()
	s := Sample{
		T:             now.Seconds(),
		Clients:       e.nClients,
		NotStarted:    int(sum.States[clients.NotStarted]),
		Starting:      int(sum.States[clients.Starting]),
		Playing:       int(sum.States[clients.Playing]),
		Buffering:     int(sum.States[clients.Buffering]),
		Stalled:       int(sum.States[clients.Stalled]),
		Backoff:       int(sum.States[clients.Backoff]),
		Stopped:       int(sum.States[clients.Stopped]),
		AboveRealtime: int(sum.Above),
		BelowRealtime: int(sum.Below),
		NoReading:     int(sum.NoReading),
		HTTPErrors:    sum.HTTPErrors,
		Timeouts:      sum.Timeouts,
		Reconnections: sum.Reconnections,
	}
	p := &r.prev
	// Bytes delivered up to now: completed segments and the delivered part
	// of cut-off ones, less the part of those that ended after now (viewers
	// that ran ahead), plus the part of the transfers in progress delivered
	// by now. So a sample's throughput is
	// what the origin carried during its interval, not the sizes of the
	// segments that happened to complete in it.
	delivered := sum.Bytes + sum.AbortedBytes - sum.AheadBytes
	for i := range e.shards {
		sh := &e.shards[i]
		for k, x := range sh.xfer {
			if x {
				delivered += sh.viewers[k].InFlightBytes(now)
			}
		}
	}
	var prevDelivered int64
	if n := len(r.cum); n > 0 {
		prevDelivered = r.cum[n-1]
	}
	if dt > 0 {
		s.ThroughputBps = float64(delivered-prevDelivered) / dt
		s.ManifestRate = float64(sum.ManifestReqs-p.ManifestReqs) / dt
		s.SegmentRate = float64(sum.SegmentReqs-p.SegmentReqs) / dt
		s.InitRate = float64(sum.InitReqs-p.InitReqs) / dt
	}
	// the share of the requests that ended in the interval that failed: a
	// failure is counted when it ends, so dividing by the requests issued
	// in the interval gave more than 100 % when a storm of retries ended
	// in an interval that issued few; a request whose connection was reset
	// is no error in the real tool's formula, but it counts as a request
	failed := (sum.HTTPErrors - p.HTTPErrors) + (sum.Timeouts - p.Timeouts)
	ended := failed + r.seg.Count() + r.man.Count() + (sum.InitsDone - p.InitsDone) + (sum.Resets - p.Resets)
	s.ErrorRate = math.NaN() // no request ended: no share to give
	if ended > 0 {
		s.ErrorRate = float64(failed) / float64(ended)
	}
	// connection-level failures are no HTTP errors and stay out of the
	// error rate (the real tool's formula); they have their own share, so
	// an outage of refused connections does not look like a healthy interval
	s.ConnectFailRate = math.NaN() // no connect ended
	if n := sum.Connects - p.Connects; n > 0 {
		s.ConnectFailRate = float64(sum.ConnectFails-p.ConnectFails) / float64(n)
	}
	r.cum = append(r.cum, delivered)
	s.Throughput30s = r.window(30*time.Second, now)
	s.Throughput60s = r.window(60*time.Second, now)
	s.Throughput5m = r.window(5*time.Minute, now)
	s.SegLatP50, s.SegLatP95, s.SegLatP99 = quantile(&r.seg, 0.50), quantile(&r.seg, 0.95), quantile(&r.seg, 0.99)
	s.ManLatP50, s.ManLatP95 = quantile(&r.man, 0.50), quantile(&r.man, 0.95)
	s.AvgInstantSpeed = math.NaN()
	if n := sum.Above + sum.Below; n > 0 {
		s.AvgInstantSpeed = float64(sum.SpeedSumMicro) / 1e6 / float64(n)
	}
	maxDrift := clients.MaxDrift(ts[:]...).Seconds()
	s.AvgDrift, s.MaxDrift = math.NaN(), math.NaN()
	if sum.DriftN > 0 {
		s.AvgDrift = float64(sum.DriftSumMs) / 1000 / float64(sum.DriftN)
		s.MaxDrift = maxDrift
	}
	*p = sum
	r.series.Samples = append(r.series.Samples, s)
}

// quantile is the q-quantile of h in seconds, NaN when h is empty (no
// request of that kind completed in the interval).
func quantile(h *stats.HistogramSnapshot, q float64) float64 {
	if h.Count() == 0 {
		return math.NaN()
	}
	return h.Quantile(q).Seconds()
}

// window returns the mean throughput over the last w (or since the start).
func (r *recorder) window(w, now time.Duration) float64 {
	n := len(r.cum)
	k := int(w / r.interval)
	if k <= 0 || now <= 0 {
		return 0
	}
	if n-1-k < 0 {
		return float64(r.cum[n-1]) / now.Seconds()
	}
	return float64(r.cum[n-1]-r.cum[n-1-k]) / (time.Duration(k) * r.interval).Seconds()
}
