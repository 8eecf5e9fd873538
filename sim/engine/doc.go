// Package engine runs a scenario in virtual time: the origin and network,
// the fault timeline (scripted in the scenario or injected live), the
// viewers of package clients, and a recorder that samples the run into a
// compact time series.
//
// # Time
//
// The engine advances in fixed ticks of Tick = 200 ms (see Tick for why). Inside a tick every
// viewer event happens at its exact instant (a 374-byte playlist completes
// at t + RTT + latency + 374 / rate; a segment finishing mid-tick has its
// exact completion time), so latencies are not quantised to the tick. What
// changes only at tick boundaries: the origin's fair-share level, the fault
// state (event windows start and end at the first boundary at or after
// their time), client joins and leaves, and the stats clock
// (stats.VirtualClock, set to the tick's start while viewers run, so stall
// timers and uptimes have tick resolution). Progress reports fall on tick
// boundaries by construction. Step runs one tick; RunUntil, RunFor and Run
// run many; a Pacer ties them to a real clock x a factor.
//
// Look-ahead: when no event window opens or closes at the tick's end and the
// origin can carry at full downlink everything the viewers can receive up to
// one tick past the end (see below), a viewer may handle its request events
// (a response, a transfer's completion, the request that follows) up to one
// tick past the end within the same call, so a playlist reload and its
// segment are one wake-up, not two. Their times are still exact; requests
// and bytes are counted in the sample in which they happen, latencies in the
// sample at the tick's end rather than the next one.
//
// # Origin and network
//
// Every client has a downlink drawn uniformly from its cohort's range, an
// RTT, and a rendition. The origin has a capacity C (0 = unlimited) shared
// max-min fairly (water-filling) by the transfers: at the start of each tick
// the engine fixes a level L, and every transfer during the tick runs at
// min(downlink, L). The origin delivers at most C x 200 ms in every tick (so
// at most C in every sample); within a tick it is an average, not an
// instantaneous bound. To find L, each viewer that can act in the tick gives
// an upper bound of the bytes it can receive in it at level L
// (clients.OriginView.Bounds): a transfer under way counts for the bytes it
// has left, a segment not yet requested from its earliest first byte (its
// next event + RTT + latency, plus a playlist round trip when it must reload
// first) and at most the largest segment size, playlists in full (but no
// sooner than half a reload interval after the last load, and, when they
// can only follow the transfer under way, only at levels at which it can
// end in the tick: a starved swarm does not hold back capacity for
// playlists it cannot ask for). L is the
// largest level at which the bounds fit C x tick, less what viewers that ran
// ahead already received in the tick; it is +Inf when they fit at full
// downlink. The bound is tight: a swarm that uses 43 % or 60 % of the
// origin gets exactly the latencies and request rates of an unlimited one,
// and in the ticks where the level binds the origin delivers 95-99 % of C
// (over a minute of saturation 99-100 %, 97 % at 100 kbit/s, where playlists
// are a larger share of the bytes).
// A new level within LevelTolerance (1 %) of the one in effect is not
// broadcast, so the origin carries at most C x 1.01. Bounds are grouped by
// rate in 2.5 % wide classes, so finding L is O(classes); the scan of the
// viewers runs (on the engine's workers) only when the origin has a
// capacity. Example: 100 clients at 2.128 Mbit/s against 141.9 Mbit/s get
// 1.419 Mbit/s each: 2/3 of real time, and they stall.
//
// Live HLS viewers behind a busy origin tend to synchronise. A slow download
// delays a viewer's next reload, which then falls after the busy period, so
// the swarm gathers into bursts after segment boundaries. For example,
// 10 000 viewers that start within 2 s on an origin they use at 71 % on
// average saturate it every other second, and their per-second request rate
// swings between seconds. Segment latency then rises well before the mean
// demand reaches C (BenchmarkEngineCapped runs that case).
//
// # Faults
//
// outage (refused | timeout | status), error_burst (status, rate), capacity,
// latency_spike, stale_playlist (the playlist freezes, then jumps Jump
// segments; default: the window / d, i.e. back to the live edge),
// bandwidth_drop (a share of the clients, chosen by a hash of seed, event and
// client id, get the given downlink if it is lower), churn (joins and leaves
// per second: floor(rate x elapsed) of each by any tick), add_clients and
// remove_clients (at once, or spread evenly over the window). Leaving clients
// are chosen uniformly (without modulo bias) by a hash of (seed, event,
// leaver number), so a window's picks depend on nothing else; they become
// Stopped, keep their id and are removed from the aggregator, which keeps
// their totals (stats.StatsAggregator.RemoveClient). Injected events (Inject) are validated like scripted ones,
// start at Now() and are clamped to the end of the run.
//
// # Determinism
//
// Clients live in NumShards = 16 fixed shards (client id modulo 16). A tick
// advances the shards, in parallel when there are at least 512 clients and
// more than one worker (on a crew of worker goroutines that lives for the
// whole RunUntil, Step or Pacer.Advance call and claims shards tick by
// tick, see crew.go),
// each viewer with its own PCG generator seeded from
// (run seed, client id); then the engine reduces the shards in shard order
// with integer sums. Nothing depends on the number of workers, on
// GOMAXPROCS or on the platform: no math.Exp/Log/Pow, no map iteration in
// the simulation, no wall clock. The golden digests in testdata are written
// by a native run and checked by the same test compiled to wasm in Chromium.
//
// # Recorder
//
// Every sample interval (1 s by default) the recorder sums the shards'
// tallies: clients by state, speed readings, drift, cumulative requests,
// errors, timeouts, reconnections and bytes, and the latency histograms of
// the interval. Throughput counts segment bytes as they are delivered:
// completed segments, the delivered part of cut-off ones and of those in
// progress at the sample's time, less what viewers that ran ahead received
// after it. It does not aggregate the ClientStats (that costs about as
// much as the simulation at 10 000 clients every second); the tallies count
// the same events, keep counting clients that left, and the tests check
// that both agree. Throughput windows (30 s, 60 s, 5 min) come from the
// cumulative bytes of earlier samples. MaxDrift is the largest current
// drift within 3 % (drift buckets).
package engine
