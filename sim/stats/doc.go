// Package stats is the statistics core of swarmsim: the per-client
// counters a simulated HLS viewer writes (ClientStats), the aggregator that
// turns all clients into one snapshot (StatsAggregator, AggregatedStats),
// mergeable latency histograms, the clocks every time-based rule reads, and
// the end-of-run report (FormatExitSummary).
//
// It follows the final design of go-ffmpeg-hls-swarm's atomic migration
// plan and fixes that tool's known defects.
//
// # API
//
// The names, signatures and types are those of the atomic migration plan
// and, where the plan is silent, of the real tool's internal/stats:
// AggregatedStats.TotalHTTPErrors and ClientStats.GetHTTPErrors are
// code -> count maps ("other" under 0), GetDrift returns (current, max),
// the thresholds are StallThreshold, StallDuration, HighDriftThreshold and
// SegmentSizeRingSize. swarmsim's additions sit beside them: the
// fixed-array form HTTPErrorCounts (HTTPErrorCountsOf converts a map),
// clocks, latency histograms and percentiles, AggregateInto, RateTracker,
// FFmpegSpeed and the fields they fill.
//
// # Concurrency
//
// ClientStats is lock-free: counters are atomics, HTTP errors are a
// [201]atomic.Int64 array (400..599 plus "other", reported under key 0) with
// a bit mask of codes seen, the segment-size ring is [100]atomic.Uint32
// (each slot atomic, so concurrent writers and readers never race), and
// latency histograms are insert-only slot tables updated with CAS.
// StatsAggregator keeps clients in a sync.Map; Aggregate iterates a cached
// slice sorted by ClientID (rebuilt only when membership changes), so
// AddClient/RemoveClient stay lock-free and aggregation is deterministic.
// A snapshot is consistent per counter, not across counters: a concurrent
// update may be seen by one field and not yet by another.
//
// # Cumulative totals
//
// Totals are cumulative over every client the aggregator has seen;
// RemoveClient retires a client's totals: its requests, bytes, HTTP errors,
// timeouts, reconnections, process starts, TCP connect outcomes, playlist
// refreshes, sequence skips, pipeline lines and latency histogram counts are
// added (with atomic adds) to aggregator-level retired totals that every
// snapshot includes. Gauges (speed, drift, stall state, uptime, client
// counts) cover only the registered clients. Reset clears the retired
// totals.
//
// # Memory and aggregation cost
//
// A client is a ClientStats in the 2 KB size class (the counters Aggregate
// reads sit in its first 128 bytes, followed by 26 inline latency slots,
// then the pipeline counters, peak drop rate and maximum drift; the HTTP
// error counters and their bit mask come after everything else) and a
// 416-byte segment-size ring: 2464 bytes while its latencies fit 26
// slots; more spread-out latencies chain extra slot tables (52, 104, ...
// slots). Aggregate reads the first five cache lines of each client.
// Optional groups (playlist refreshes, sequence skips, TCP failures,
// HTTP errors) are flagged on first write and skipped by Aggregate until
// then. AggregateInto sums chunks of clients
// (counters, then latency slots), from 4096 clients on prefetching the next
// chunk, and from 8192 on sums the second half of the clients on a helper
// goroutine (one per process) and merges the halves in order, so results
// do not depend on GOMAXPROCS. It allocates nothing (it merges latency
// slots into per-aggregator scratch; a second, concurrent AggregateInto
// uses fresh ones); Aggregate allocates the snapshot, its HTTP error map
// and one slice for the counts of its four histograms (each dense over the
// 64-bucket blocks its observations span only).
//
// # Time
//
// Everything time-based (stall duration, drift, uptime, rates) reads a
// Clock. RealClock is the only caller of time.Now in sim/; VirtualClock is
// driven by the simulation engine. Aggregate reads its clock once and
// evaluates every client at that instant; clients and their aggregator
// should share one clock.
//
// # Speed, stall and drift
//
// "Speed" means two things. UpdateSpeed records the instantaneous speed
// (x real time) a viewer reports; it drives the stall rule and the
// realtime counts, and AverageSpeed averages it. FFmpeg itself prints a
// running average, playback position / time since its process started,
// which is what the real tool reads; ClientStats.FFmpegSpeed derives it
// from the drift reading and the process start, and AverageFFmpegSpeed
// averages it.
//
// UpdateSpeed records an instantaneous speed (x real time). Each process
// starts with "no reading" (counted in ClientsNoReading); a speed of 0 means
// "no progress" and counts as below real time. A client is stalled when its
// speed has been below 0.9 for more than 5 s, the timer starting at the
// first slow reading, including the first reading of a process. Drift is
// wall time since the current process started minus the playback position;
// OnProcessStart re-bases it and carries the process's bytes into
// TotalBytes. OnProcessExit ends a process: until the next start the client
// has no speed, stall or drift reading and is not active.
// ClientsAboveRealtime + ClientsBelowRealtime + ClientsNoReading ==
// ActiveClients <= TotalClients.
//
// # Histograms
//
// Durations are bucketed log-linearly: exact below 128 ns, then 64 linear
// buckets per power of two up to about 78 h (larger values are clamped).
// Values read back (quantiles, min, max, mean) are bucket midpoints, within
// HistogramRelativeError = 1/128 (0.78 %) of a recorded value; quantiles are
// nearest-rank. Per-client histograms are sparse (26 inline slots shared by
// segment, manifest and TCP-connect latency, each slot a packed
// kind|bucket key and an 18-bit count; tables twice as large are chained
// when a client's latencies spread; a saturated slot makes its key take a
// new one), and are merged into HistogramSnapshots (dense over the blocks
// they span), so cluster percentiles are percentiles of the merged
// distribution, never a maximum of per-client percentiles.
//
// # Instant rates
//
// Aggregate keeps no previous-snapshot state. Each reader owns a
// RateTracker whose Update fills the Instant* fields from that reader's own
// previous snapshot.
//
// # Differences from the real tool
//
// Every exported function and snapshot field behaves as in the real
// tool's internal/stats (github.com/randomizedcoder/go-ffmpeg-hls-swarm)
// on the same inputs, except for the following fixes, each listed with
// the real tool's behaviour and the reason. Fields and methods the real
// tool does not have (latency percentiles, uptime percentiles, TCP and
// playlist figures, process starts, ClientsNoReading, CurrentDropRate,
// AverageFFmpegSpeed, InitReqRate, RemovedClients, ...) are additions.
//
//   - Speed 0. The real tool ignores a speed <= 0: it is left out of
//     AverageSpeed and of the realtime counts, and it clears the stall
//     timer. Here 0 (and a negative or NaN reading) means "no progress": it
//     counts below real time, is averaged, and keeps the stall timer
//     running. Reason: a player that makes no progress at all is the most
//     stalled client there is; the real tool shows it as healthy.
//   - Stall from the first reading. The real tool starts the stall timer
//     only when the speed crosses from >= 0.9 to below it, and a client
//     starts at speed 0, so a client slow from its first reading is never
//     stalled. Here the timer starts at the first slow reading of a
//     process. Reason: a client that never reaches real time is stalled.
//   - Drift re-based on restart. The real tool measures drift from the
//     client's StartTime, so after a restart it includes the backoff and
//     the previous process. Here it is measured from the current process's
//     start (OnProcessStart). Reason: a new FFmpeg process starts its
//     out_time at 0. MaxDrift stays the lifetime maximum, as in the real
//     tool.
//   - Process exit. The real tool has no notion of a process that ended:
//     every registered client is active and keeps its last speed, drift
//     and stall state. OnProcessExit ends a process here: until the next
//     start the client has no speed, stall or drift reading and is not in
//     ActiveClients. Reason: a client in backoff plays nothing.
//   - Instantaneous speed. FFmpeg reports its running average (out_time /
//     time since the process started) and the real tool averages that in
//     AverageSpeed. swarmsim's viewers report their instantaneous speed
//     there (it drives states and stalls); FFmpeg's figure is
//     AverageFFmpegSpeed. Reason: the running average hides a stall for
//     minutes and recovers for minutes after one.
//   - Per-reader rates. The real tool's Aggregate fills the Instant*
//     rates from the previous Aggregate call, whoever made it, so two
//     readers at different intervals (a dashboard and a metrics scrape)
//     disturb each other's rates. Here Aggregate leaves them 0 and each
//     reader owns a RateTracker.
//   - Removed clients. The real tool's RemoveClient drops the client's
//     counters from every total, so totals go down when clients leave.
//     Here its cumulative totals (requests, bytes, errors, lines, latency
//     counts, its peak drop rate) are retired into the aggregator and stay
//     in every snapshot; gauges drop it. Reset clears them.
//   - Merged percentiles. Latency percentiles are those of the merged
//     per-client histograms, never a maximum or mean of per-client
//     percentiles.
//   - Start time. The real tool reads the exported StartTime field at each
//     Uptime and Aggregate, so a caller may move it. Here StartTime is set
//     by NewClientStats and only reported; uptime counts from the clock's
//     time at creation. Reason: Aggregate computes uptimes from start times
//     sorted once per membership change, instead of per client.
//   - Clocks and order. Time comes from a Clock (virtual in simulation)
//     instead of time.Now, and clients are iterated in ClientID order
//     (ForEachClient, GetAllClientSummaries), where the real tool uses map
//     order. Reason: reproducible runs.
//   - Segment sizes. The ring holds sizes from 0 to 4 GiB-1 (a negative
//     size is stored as 0, a larger one as 4 GiB-1) in atomics; the real
//     tool keeps int64 sizes in a slice written without synchronisation (a
//     data race). Zero sizes are left out of the mean in both.
//   - Exit summary. FormatExitSummary prints the real tool's summary line
//     for line on the same inputs, except: the title names swarmsim;
//     "Average Speed" shows AverageFFmpegSpeed (the figure the real tool
//     averages, see "Instantaneous speed" above); per-client figures divide
//     by every client that took part, removed ones included (the totals
//     include theirs); with no starts or restarts in SummaryConfig the
//     Lifecycle section shows the snapshot's. swarmsim's own sections
//     follow, before the closing rule.
//   - Format helpers. FormatDuration, FormatNumber, FormatMs and
//     FormatRate format for swarmsim's views ("2m03s", "1,234", "12.34ms",
//     "12.3/s"), where the real tool's helpers of those names print
//     "00:02:03", "1.2K", "12 ms" and "12.3/s" or "1.2K/s"; the exit summary
//     uses the real tool's formats (FormatExitDuration is its HH:MM:SS).
//     Reason: the views show exact figures.
package stats
