package engine

import (
	"time"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Tick is the engine's fixed step of virtual time. Inside a tick every
// viewer event (request, first byte, completion, refresh, restart) happens at
// its exact sub-tick instant; only the origin's fair-share level, the fault
// state and the stats clock change at tick boundaries.
//
// 200 ms rather than 100 ms: a viewer's playlist reload and segment download
// (about 100-150 ms on broadband) then fall into one tick more often, so a
// healthy viewer is woken about 0.75 times per second instead of once, and
// the per-tick fixed costs halve (measured: -20 % CPU per client-second).
// Five fair-share updates per second still follow TCP-like share changes.
const Tick = 200 * time.Millisecond

// NumShards is the fixed number of client shards. Client id i lives in shard
// i % NumShards. Shards are advanced in parallel and reduced in shard order,
// so results never depend on the number of workers or on GOMAXPROCS.
const NumShards = 16

// Option configures an Engine.
type Option func(*config)

type config struct {
	sampleInterval time.Duration
	workers        int
}

// WithSampleInterval sets the recorder's interval (default 1 s of virtual
// time). It is rounded to a whole number of ticks, at least one.
func WithSampleInterval(d time.Duration) Option {
	return func(c *config) { c.sampleInterval = d }
}

// WithWorkers sets how many goroutines advance the shards (default
// GOMAXPROCS, at most NumShards; 1 = no goroutines). Results are identical
// for any n.
func WithWorkers(n int) Option {
	return func(c *config) { c.workers = n }
}

// EventMark is one scripted or injected event with the window the engine
// actually applied (starts and ends are rounded up to tick boundaries and
// clamped to the run).
type EventMark struct {
	Start, End time.Duration
	Kind       scenario.EventKind
	Caption    string
	Injected   bool
	Event      scenario.Event
}

// Series is the recorder's output: one Sample per Interval of virtual time.
type Series struct {
	Interval time.Duration
	Samples  []Sample
}

// Sample is the state of the run at one recorder instant. Rates and
// latencies cover the interval that ends at T; counters are cumulative since
// the start (they include clients that left). A figure without a value is
// NaN, never 0: ErrorRate when no request ended in the interval, the
// latencies when no request of that kind completed in it (an outage),
// AvgInstantSpeed without a speed reading, AvgDrift and MaxDrift without a drift
// reading. A Sample leaves the program through sim/export (Go field names,
// NaN as null in JSON and an empty cell in CSV).
type Sample struct {
	T float64 // virtual seconds

	// Clients by state; they add up to Clients (every client that exists).
	Clients    int
	NotStarted int
	Starting   int
	Playing    int
	Buffering  int
	Stalled    int
	Backoff    int
	Stopped    int

	// Speed readings of the clients that are neither NotStarted nor Stopped;
	// the three add up to Clients - NotStarted - Stopped.
	AboveRealtime int
	BelowRealtime int
	NoReading     int

	// Throughput in bytes/s over the last interval, 30 s, 60 s and 5 min
	// (or since the start when the run is younger).
	ThroughputBps float64
	Throughput30s float64
	Throughput60s float64
	Throughput5m  float64

	// Requests per second issued in the interval.
	ManifestRate float64
	SegmentRate  float64
	InitRate     float64
	// ErrorRate is the share of the requests that ended in the interval
	// that failed: (HTTP errors + timeouts) / (every request that ended:
	// those, completed playlists, segments and init segments, and requests
	// whose connection was reset), all ending in the interval (0..1; NaN
	// when none ended).
	ErrorRate float64
	// ConnectFailRate is the share of the TCP connects that ended in the
	// interval that were refused or timed out (0..1; NaN when none ended).
	// The error rate leaves them out, as the real tool does: an outage of
	// refused connections has no HTTP errors.
	ConnectFailRate float64

	HTTPErrors    int64
	Timeouts      int64
	Reconnections int64

	// Latency percentiles (seconds) of the requests completed in the
	// interval (NaN when none completed).
	SegLatP50 float64
	SegLatP95 float64
	SegLatP99 float64
	ManLatP50 float64
	ManLatP95 float64

	// Playback: mean instantaneous speed over clients with a reading (the
	// speed that drives states and stalls, not FFmpeg's running average of
	// ClientView.AvgSpeed and stats.AggregatedStats.AverageFFmpegSpeed), mean
	// drift over clients with a drift reading, and the largest current
	// drift (within 3 %; seconds); NaN without readings.
	AvgInstantSpeed float64
	AvgDrift        float64
	MaxDrift        float64
}

// StateChange is one entry of a client's recent state history.
type StateChange struct {
	At    time.Duration
	State clients.State
}

// ClientView is what the inspector shows about one client.
type ClientView struct {
	ID     int
	State  clients.State
	Cohort string
	// BandwidthMbps is the client's current downlink (after bandwidth drops).
	BandwidthMbps float64
	// BitrateKbps is the video bitrate it downloads (audio not included):
	// its rendition's, or the sum of the ladder's for variant all.
	BitrateKbps int
	// Speed is the last instantaneous speed reading (0 without one).
	Speed float64
	// AvgSpeed is the FFmpeg-style running average: media received by the
	// current process / wall time since it started.
	AvgSpeed float64
	// Drift is wall time since the process started minus playback position.
	Drift time.Duration
	// Buffer is the media downloaded but not yet played.
	Buffer time.Duration
	// Starts counts process starts (1 + restarts); LastBackoff is the delay
	// before the latest restart.
	Starts      int
	LastBackoff time.Duration
	// Stats is the client's statistics summary (zero before its first start).
	Stats stats.Summary
	// History holds the most recent state changes, oldest first.
	History []StateChange
}
