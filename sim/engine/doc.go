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
// downlinks of every viewer that could transfer before one tick past the end
// (a transfer in progress, or its next event before then) fit the origin's
// capacity together, a viewer may handle its request events (a response, a
// transfer's completion, the request that follows) up to one tick past the
// end within the same call, so a playlist reload and its segment are one
// wake-up, not two. Their times are still exact; requests and latencies are
// counted in the sample at the tick's end rather than the next one, bytes in
// the sample in which they are delivered.
//
// # Origin and network
//
// Every client has a downlink drawn uniformly from its cohort's range, an
// RTT, and a rendition. The origin has a capacity (0 = unlimited) shared by
// the segment transfers: max-min fair (water-filling). At the start of each
// tick the engine computes the level L with sum(min(cap_i, L)) = capacity
// over the viewers that can transfer during the tick: those with a transfer
// in progress and those whose next event falls inside the tick (nobody else
// acts, and a viewer has one transfer at a time). Every transfer runs at
// min(cap_i, L), so the rates add up to at most the capacity at every
// instant, also when all viewers start or request within one tick; when the
// caps fit, L is unlimited. A new level within LevelTolerance (1 %) of the
// one in effect is not broadcast, so the origin carries at most capacity x
// 1.01. Caps are grouped in 2.5 % wide classes, so FairLevel is O(classes)
// (see clients.FairLevel); the scan of the viewers runs only when the origin
// has a capacity. Example: 100 clients at 2.128 Mbit/s against 141.9 Mbit/s
// get 1.419 Mbit/s each: 2/3 of real time, and they stall.
//
// Known limitation: the level is conservative. Every viewer that may transfer
// within a 200 ms tick counts as transferring for the whole tick, although a
// segment transfer at a broadband rate lasts about 60 ms. So in a large swarm
// on a capacity-limited origin, the sum of the candidates' downlinks can
// exceed the capacity even though the origin is far from saturated. The level
// then slows the transfers and inflates segment latency. For example, 2000
// viewers at 50/s on a 10 Gbit/s origin (43 % utilised) show a segment p95 of
// about 0.27 s against 0.10 s with capacity 0. From about 1000 viewers on
// it also makes the per-second segment rate and throughput oscillate
// strongly, because the slowed transfers bunch up. Example: origin-outage
// with clients=1000 on 10 Gbit/s, about 21 % utilised. The capacity bound
// holds, and so do the run's total segments and bytes. The fix is a level that varies within the
// tick, or a tick shorter than one transfer. To study latency, not capacity,
// use capacity 0.
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
// advances the shards, in parallel when there are at least 2048 clients and
// more than one worker, each viewer with its own PCG generator seeded from
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
