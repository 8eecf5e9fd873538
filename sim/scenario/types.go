package scenario

import (
	"math"
	"time"
)

// Duration is a time span in a scenario file. In YAML and JSON it is written as
// a Go duration string ("250ms", "2s", "10m", "1h30m") or as a bare number of
// seconds (2, 0.5). It marshals as the shortest such string ("2s", "10m").
type Duration time.Duration

// D returns the span as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Seconds returns the span in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// Scenario describes one simulated HLS load test: the stream the origin serves,
// the viewers that play it, the origin and the scripted faults. A Scenario from
// Parse, Load or Preset has every default applied, is valid, and has its
// events sorted by At.
type Scenario struct {
	// Name identifies the scenario (a preset's name, or the file's base name).
	Name string `yaml:"name" json:"name"`
	// Description is one line saying what the scenario shows.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Seed drives every random draw; the same scenario and seed give the same run.
	Seed uint64 `yaml:"seed" json:"seed"`
	// Duration is the run length in virtual time, default 10m, 1s..48h.
	Duration Duration `yaml:"duration" json:"duration"`
	// Stream is what the origin serves.
	Stream Stream `yaml:"stream" json:"stream"`
	// Clients are the synthetic viewers.
	Clients Clients `yaml:"clients" json:"clients"`
	// Origin is the shared server all clients fetch from.
	Origin Origin `yaml:"origin" json:"origin"`
	// Events are the scripted faults, sorted by At after parsing.
	Events []Event `yaml:"events,omitempty" json:"events,omitempty"`
}

// Stream describes the live HLS stream.
type Stream struct {
	// SegmentDuration is the media length of one segment, default 2s, 0.5s..60s.
	SegmentDuration Duration `yaml:"segment_duration" json:"segment_duration"`
	// BitratesKbps is the video ladder in the master playlist's order,
	// default [2000], each 50..100000, no duplicates. Which renditions a
	// client downloads is Clients.Variant's choice (every one by default)
	// unless its cohort picks one.
	BitratesKbps []int `yaml:"bitrates_kbps" json:"bitrates_kbps"`
	// AudioKbps is the audio bitrate added to every rendition, default 128, 0..1024.
	AudioKbps int `yaml:"audio_kbps" json:"audio_kbps"`
	// Container is "ts" (default) or "fmp4"; fmp4 adds an init segment request
	// per client (re)start.
	Container string `yaml:"container" json:"container"`
	// PlaylistSize is the number of segments in the live window, default 10, 3..100.
	PlaylistSize int `yaml:"playlist_size" json:"playlist_size"`
	// ManifestBytes is the size of one media playlist body, default 374, 50..1000000.
	ManifestBytes int `yaml:"manifest_bytes" json:"manifest_bytes"`
	// SizeSpread is the relative standard deviation of segment sizes, default
	// 0.02, 0..0.5.
	SizeSpread float64 `yaml:"size_spread" json:"size_spread"`
}

// Clients describes the synthetic viewers and how they start, fail and retry.
type Clients struct {
	// Count is the number of viewers, default 50, 1..1000000.
	Count int `yaml:"count" json:"count"`
	// RampRate is how many clients start per second, default 5, 0..100000;
	// 0 starts all of them at t=0.
	RampRate float64 `yaml:"ramp_rate" json:"ramp_rate"`
	// RampJitter is a random extra start delay per client, default 200ms,
	// 0..1m. As in the real tool, client 0 starts at once and each next one
	// 1/RampRate plus a jitter uniform below min(RampJitter, half of
	// 1/RampRate) after the one before, so the jitters add up (1000 clients
	// at 5/s with 200ms take about 250 s); at RampRate 0 each client starts
	// at 0 plus its own jitter below RampJitter. Clients that join later
	// (add_clients, churn) get their own jitter below RampJitter.
	RampJitter Duration `yaml:"ramp_jitter" json:"ramp_jitter"`
	// Reconnect restarts a client after it exits, default true. Use
	// ReconnectEnabled to read it.
	Reconnect *bool `yaml:"reconnect" json:"reconnect"`
	// Timeout is the request timeout, default 15s, 100ms..10m: a request
	// whose first response byte would come later (round trip + origin
	// latency) times out after it.
	Timeout Duration `yaml:"timeout" json:"timeout"`
	// SegmentRetries is how often a failed request is retried at once,
	// default 3, 0..100. Then a segment is skipped (FFmpeg's seg_max_retry)
	// and a playlist, init segment or connection that still fails ends the
	// player process (FFmpeg gives up on those at the first failure; the
	// retries stand for its HTTP layer's reconnects).
	SegmentRetries int `yaml:"segment_retries" json:"segment_retries"`
	// Backoff is the delay before a restart.
	Backoff Backoff `yaml:"backoff" json:"backoff"`
	// Variant is which renditions of the ladder each client downloads, as
	// the real tool's -variant: "all" (default: every rendition at once,
	// the real tool's maximum CDN stress), "highest", "lowest" or "first"
	// (the ladder's first entry). A cohort may override it.
	Variant string `yaml:"variant" json:"variant"`
	// StatsBuffer is each client's output-parser buffer in lines, as the
	// real tool's -stats-buffer, default 1000, 1..1000000: lines that
	// arrive while it is full are dropped.
	StatsBuffer int `yaml:"stats_buffer" json:"stats_buffer"`
	// Cohorts split the clients into groups with their own network; default
	// one cohort "broadband" with share 1.
	Cohorts []Cohort `yaml:"cohorts" json:"cohorts"`
}

// ReconnectEnabled reports whether clients restart after an exit (true when
// Reconnect is nil).
func (c *Clients) ReconnectEnabled() bool { return c.Reconnect == nil || *c.Reconnect }

// Backoff is the restart delay: Initial x Multiplier^attempt, capped at Max,
// then +/- Jitter (relative). The attempt counter resets after ResetAfter of
// uptime or a clean exit.
type Backoff struct {
	// Initial is the first delay, default 250ms, 1ms..1m.
	Initial Duration `yaml:"initial" json:"initial"`
	// Multiplier grows the delay per attempt, default 1.7, 1..10.
	Multiplier float64 `yaml:"multiplier" json:"multiplier"`
	// Max caps the delay, default 5s, Initial..10m.
	Max Duration `yaml:"max" json:"max"`
	// Jitter is the relative random spread applied to the delay, default 0.2, 0..1.
	Jitter float64 `yaml:"jitter" json:"jitter"`
	// ResetAfter is the uptime after which the attempt counter resets, default
	// 30s, 0..1h.
	ResetAfter Duration `yaml:"reset_after" json:"reset_after"`
}

// Cohort is a group of clients sharing a network profile.
type Cohort struct {
	// Name identifies the cohort, unique; default "cohortN" (N from 1).
	Name string `yaml:"name" json:"name"`
	// Share is the fraction of clients in this cohort, (0, 1]; shares sum to 1
	// (+-0.001). When no cohort sets a share, the clients are split evenly.
	Share float64 `yaml:"share" json:"share"`
	// BandwidthMbps is the per-client downlink, drawn uniformly in [Min, Max],
	// default {50, 100}, 0 < Min <= Max <= 100000.
	BandwidthMbps Range `yaml:"bandwidth_mbps" json:"bandwidth_mbps"`
	// RTT is the round-trip time to the origin, default 20ms, 0..10s.
	RTT Duration `yaml:"rtt" json:"rtt"`
	// BitrateKbps is the one video rendition this cohort plays; it must be
	// in the ladder. 0 (default): the renditions Variant picks.
	BitrateKbps int `yaml:"bitrate_kbps" json:"bitrate_kbps"`
	// Variant overrides Clients.Variant for this cohort; empty (default)
	// keeps it. A cohort that sets BitrateKbps may not set it.
	Variant string `yaml:"variant,omitempty" json:"variant,omitempty"`
}

// Range is a closed interval [Min, Max]. YAML and JSON accept a number (20,
// meaning [20, 20]), a pair ([10, 50]) or a mapping ({min: 10, max: 50}).
type Range struct {
	Min float64 `yaml:"min" json:"min"`
	Max float64 `yaml:"max" json:"max"`
}

// Origin is the HLS origin every client fetches from.
type Origin struct {
	// CapacityMbps is the shared egress, default 10000, 0..10000000; 0 = unlimited.
	CapacityMbps float64 `yaml:"capacity_mbps" json:"capacity_mbps"`
	// Latency is the per-request processing time, default 1ms, 0..1m.
	Latency Duration `yaml:"latency" json:"latency"`
	// ErrorRate is the background share of requests answered with
	// ErrorStatus, default 0, 0..1.
	ErrorRate float64 `yaml:"error_rate" json:"error_rate"`
	// ErrorStatus is the HTTP status of background errors, default 503, 400..599.
	ErrorStatus int `yaml:"error_status" json:"error_status"`
	// ErrorRates are optional extra background shares per HTTP status
	// (400..599), each 0..1; their total with ErrorRate is at most 1.
	ErrorRates map[int]float64 `yaml:"error_rates,omitempty" json:"error_rates,omitempty"`
}

// EventKind names a scripted fault.
type EventKind string

// The event kinds.
const (
	// KindOutage: the origin is unreachable (Mode refused | timeout | status).
	KindOutage EventKind = "outage"
	// KindErrorBurst: a share Rate of requests is answered with Status.
	KindErrorBurst EventKind = "error_burst"
	// KindCapacity: the origin's egress is CapacityMbps during the window.
	KindCapacity EventKind = "capacity"
	// KindLatencySpike: every request takes Latency longer during the window.
	KindLatencySpike EventKind = "latency_spike"
	// KindStalePlaylist: the playlist freezes during the window, then jumps
	// Jump segments.
	KindStalePlaylist EventKind = "stale_playlist"
	// KindBandwidthDrop: a Share of clients has BandwidthMbps downlink during
	// the window.
	KindBandwidthDrop EventKind = "bandwidth_drop"
	// KindChurn: clients join at JoinRate and leave at LeaveRate per second
	// during the window.
	KindChurn EventKind = "churn"
	// KindAddClients: Clients more viewers join (instantly, or spread evenly
	// over Duration when it is > 0).
	KindAddClients EventKind = "add_clients"
	// KindRemoveClients: Clients viewers leave (instantly, or spread evenly
	// over Duration when it is > 0).
	KindRemoveClients EventKind = "remove_clients"
)

// Event is one scripted fault on the timeline. Only the fields of its Kind may
// be set; see the package documentation for which.
type Event struct {
	// At is when the event starts, 0 <= At < the run's Duration.
	At Duration `yaml:"at" json:"at"`
	// Duration is the window length (> 0); At+Duration must not pass the end
	// of the run. 0 is allowed only for add_clients/remove_clients (instant).
	Duration Duration `yaml:"duration,omitempty" json:"duration,omitempty"`
	// Kind says what happens.
	Kind EventKind `yaml:"kind" json:"kind"`
	// Caption is one short training sentence (at most 160 characters, one
	// line); a sensible default per kind when empty.
	Caption string `yaml:"caption" json:"caption"`
	// Status is the HTTP status of error_burst (default 503) and of outage
	// with mode "status" (default 503), 400..599.
	Status int `yaml:"status,omitempty" json:"status,omitempty"`
	// Rate is error_burst's share of requests answered with Status, (0, 1], required.
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Mode is outage's failure: "refused" (default) | "timeout" | "status".
	Mode string `yaml:"mode,omitempty" json:"mode,omitempty"`
	// CapacityMbps is capacity's egress during the window, (0, 10000000], required.
	CapacityMbps float64 `yaml:"capacity_mbps,omitempty" json:"capacity_mbps,omitempty"`
	// Latency is latency_spike's added latency, (0, 1m], required.
	Latency Duration `yaml:"latency,omitempty" json:"latency,omitempty"`
	// Share is bandwidth_drop's share of clients affected, (0, 1], required.
	Share float64 `yaml:"share,omitempty" json:"share,omitempty"`
	// BandwidthMbps is bandwidth_drop's downlink during the window,
	// (0, 100000], required.
	BandwidthMbps float64 `yaml:"bandwidth_mbps,omitempty" json:"bandwidth_mbps,omitempty"`
	// Jump is how many segments stale_playlist's playlist jumps after the
	// freeze, 0..1000; 0 = the segments the freeze hid (see JumpSegments).
	Jump int `yaml:"jump,omitempty" json:"jump,omitempty"`
	// Clients is how many viewers add_clients / remove_clients adds or
	// removes, 1..1000000, required.
	Clients int `yaml:"clients,omitempty" json:"clients,omitempty"`
	// JoinRate is churn's clients joining per second during the window, 0..100000.
	JoinRate float64 `yaml:"join_rate,omitempty" json:"join_rate,omitempty"`
	// LeaveRate is churn's clients leaving per second during the window,
	// 0..100000; at least one of JoinRate and LeaveRate is > 0.
	LeaveRate float64 `yaml:"leave_rate,omitempty" json:"leave_rate,omitempty"`
}

// End returns when the event's window closes (At + Duration).
func (e *Event) End() Duration { return e.At + e.Duration }

// JumpSegments is how many segments a stale_playlist event's playlist jumps
// when it updates again: Jump when set, else the segments the freeze hid
// (those completed between At and At+Duration), which brings the playlist
// back to the live edge. The engine counts them on its tick-aligned window.
func (e *Event) JumpSegments(segmentDuration Duration) int {
	if e.Jump > 0 {
		return e.Jump
	}
	if segmentDuration <= 0 {
		return 0
	}
	return int(e.End()/segmentDuration) - int(e.At/segmentDuration)
}

// MaxNewClients returns how many clients the event can create at most:
// Clients for add_clients, ceil(join_rate x duration in seconds) for churn,
// 0 for every other kind. Validate counts it against MaxClients; a value
// above MaxClients is returned as MaxClients+1 (it is over the limit
// anyway and must not overflow).
func (e *Event) MaxNewClients() int {
	var n float64
	switch e.Kind {
	case KindAddClients:
		n = float64(e.Clients)
	case KindChurn:
		n = math.Ceil(e.JoinRate * e.Duration.D().Seconds())
	}
	if !(n > 0) {
		return 0
	}
	if n > MaxClients {
		return MaxClients + 1
	}
	return int(n)
}
