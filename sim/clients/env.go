package clients

import (
	"time"

	"swarmsim/sim/stats"
)

// Env is everything a viewer needs to know about its world during one tick.
// The engine builds it before the tick; viewers only read it.
type Env struct {
	// Start and End bound the tick; Start is also the stats clock's time.
	Start, End time.Duration
	// Level is the fair share (bytes/s) of every transfer; +Inf = unlimited.
	// LevelChanged tells viewers with a transfer to re-rate it at Start.
	Level        float64
	LevelChanged bool
	// AheadUntil (>= End) lets a viewer handle request events (responses,
	// first bytes, completions, the requests that follow them) up to this
	// time within this call, when the engine knows that nothing it controls
	// changes at End: the origin's level is unlimited and the bytes the
	// viewers can receive up to AheadUntil at full downlink fit its capacity
	// (see OriginView.Bounds), and no event window opens or closes there. Starts, restarts and progress reports (which read the
	// stats clock) never run ahead.
	AheadUntil time.Duration

	SegmentDuration time.Duration
	FMP4            bool
	ManifestBytes   float64
	PlaylistSize    int64
	Cohorts         []CohortEnv

	Latency   time.Duration // origin processing time, spikes included
	Timeout   time.Duration
	Retries   int
	Reconnect bool
	Backoff   BackoffPolicy
	Tick      time.Duration

	Outage       uint8
	OutageStatus int
	// ErrorShare is the probability that a request gets an HTTP error;
	// ErrorCum/ErrorCodes pick its status (cumulative shares, ascending).
	ErrorShare float64
	ErrorCum   []float64
	ErrorCodes []int

	Stale []StaleWindow

	// Clock is the stats clock (reading Start during the tick); Aggregator
	// receives each viewer's ClientStats at its first start.
	Clock      stats.Clock
	Aggregator *stats.StatsAggregator

	// ParseRate is how many output lines per second the load generator's
	// parser drains for each running viewer; ParseBuffer is each viewer's
	// parser buffer in lines (the real tool's -stats-buffer).
	ParseRate   float64
	ParseBuffer float32

	// EveryReport (tests) makes viewers run every progress report instead
	// of skipping those of a healthy stretch, which must change no result.
	EveryReport bool
}

// CohortEnv is the per-cohort part of the environment.
type CohortEnv struct {
	RTT time.Duration
	// SegmentBytes is the mean size of one segment of every rendition the
	// cohort downloads together (one rendition, or the ladder for variant
	// all); SizeSigma its standard deviation in bytes.
	SegmentBytes float64
	SizeSigma    float64
	// Renditions is how many renditions the cohort's viewers download (at
	// least 1): each playlist reload, init load and segment is that many
	// requests, issued together.
	Renditions int
	// Parts is each rendition's share of a segment's bytes, in ladder
	// order; nil for one rendition.
	Parts []float64
}

// Outage modes.
const (
	OutageNone uint8 = iota
	OutageRefused
	OutageTimeout
	OutageStatus
)
