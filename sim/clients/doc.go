// Package clients models one synthetic live-HLS viewer: an FFmpeg-like
// player process and its restarts, as a compact state machine in virtual
// time (docs/REAL-TOOL.md states what the real tool measures). The engine
// owns the viewers (a slice of Viewer values per shard, no goroutine per
// viewer) and calls Advance once per tick for those with something due. A
// viewer writes its statistics only through its stats.ClientStats and its
// shard's Tally.
//
// # What one viewer does
//
// Times below are exact (nanoseconds); nothing is rounded to the engine's
// tick except where noted.
//
//   - Start: a TCP connect of one RTT (refused after one RTT or timed out
//     after the timeout during an outage), then the playlist. The origin's
//     live edge at time t is segment SeqBase + floor(t / d) (d = segment
//     duration); the playlist lists the last PlaylistSize segments. The
//     player starts LiveStartSegments = 3 segments behind and including the
//     edge (FFmpeg's live_start_index -3) and fetches them back to back: the
//     start burst. An fMP4 stream adds one init segment (InitBytes) per
//     process start, after the playlist.
//   - Request time: RTT + origin latency (+ latency spikes) until the first
//     byte, then size / rate. Playlists (ManifestBytes) and init segments use
//     the rate at their start; a segment transfer's rate is
//     min(own downlink, the origin's fair-share level) and is re-rated at
//     every tick boundary where the level changes (see package engine).
//   - Segment size: mean (video + audio kbit/s) x d / 8 bytes, plus the
//     cohort's spread x an Irwin-Hall(3) draw (three uniforms: mean 0, sd 1,
//     bounded to +-3 sd). A 2 s segment of 2000 + 128 kbit/s is 532 000 bytes.
//   - Playlist refresh (FFmpeg's hls demuxer): whenever the player needs its
//     next segment it reloads the playlist if at least the reload interval
//     passed since the last load ended (FFmpeg's last_load_time); the
//     interval is d, and d/2 after a reload that found no new segment. A
//     segment the playlist lists is fetched otherwise, so a slow reload is
//     still followed by segments. When the next segment is not listed yet it
//     sleeps in PollStep = 100 ms steps until the interval has passed. So a
//     healthy viewer reloads once per d + its load time (+ up to 100 ms),
//     about 0.5/s for 2 s segments, and every d/2 while the playlist does
//     not change. Jitter (time past the due reload) and late reloads (more
//     than d/2 late) are recorded with RecordPlaylistRefresh.
//   - Sequence skips: one per reload at most. A stale playlist that catches
//     up lags the live edge by fewer segments than at the previous load:
//     the difference is the jump beyond what the time explains. A player
//     that fell behind the live window jumps to its first segment (FFmpeg:
//     "skipping N segments ahead, expired from playlists"). A reload
//     records the larger of the two.
//   - Playback: playback starts when the first segment arrives and runs at
//     1x while media is buffered (buffer = media received - position). The
//     instantaneous speed is the media played over the last SpeedWindow
//     (5 s) / 5 s, read at each progress report (every ReportGrid = 1 s, on
//     a per-viewer phase of the tick grid, so the stats clock is exact):
//     exactly 1.0 when healthy, the share of the needed bandwidth when
//     starved (0.67 at 2/3). That is what ClientStats.UpdateSpeed gets, so
//     the real tool's stall rule (below 0.9x for more than 5 s) fires when
//     downloads cannot keep up. The FFmpeg-style running average (media
//     received / wall time since the process started; about 6x right after
//     the start burst, then decaying) is shown by AvgSpeed.
//   - Drift = wall time since the process started - playback position,
//     re-based at every restart: the startup delay when healthy, growing by
//     every stall.
//   - States: NotStarted, Starting (process up, no media yet), Playing
//     (speed >= 0.9), Buffering (below 0.9 for up to 5 s), Stalled (below
//     0.9 for more than 5 s), Backoff, Stopped.
//   - Errors: each request draws an HTTP error with the origin's background
//     shares plus active error bursts; outages refuse connections, time out
//     (after the configured timeout, also for connects) or answer a status.
//     A request whose first byte would come later than the timeout (round
//     trip + the origin's latency, e.g. in a latency spike) times out then
//     too (FFmpeg's rw_timeout), and so does a playlist or init segment
//     whose share (of a starved origin, or of a very narrow downlink) is too
//     low for its first TCP packet (PacketBytes) to arrive within the
//     timeout, round trip included; segment transfers are
//     re-rated as the share changes and never time out that way. A failure
//     is retried at once; after 1 + SegmentRetries consecutive failures a
//     segment is skipped, as FFmpeg's HLS demuxer does (a media-sequence
//     skip of one; the output's timeline jumps over it, so playback keeps
//     its place), and a playlist, init segment or connection that still
//     fails ends the process (FFmpeg gives up on those at the first
//     failure; the retries stand for its HTTP layer's reconnects). FFmpeg's
//     max_reload is taken as large, as the real tool's stale playlist of
//     about 10 s did not end its processes. A timeout or refused connection
//     also drops the keep-alive connection, so the retry reconnects first.
//   - Restart: after Initial x Multiplier^attempt capped at Max (by repeated
//     multiplication: 250, 425, 722.5, 1228.25, 2088.025, 3549.6425, 5000 ms
//     for the defaults), then +-Jitter; the attempt count resets when the
//     process had run ResetAfter (30 s). A restart counts a reconnection and
//     calls OnProcessStart (bytes carried over, drift re-based); with
//     reconnect disabled the viewer stops instead.
//   - Parser lines: every report brings ProgressLines (12) progress lines,
//     every request 1 stderr line and every failure 2 more. The load
//     generator's parser drains Env.ParseRate lines/s per running viewer
//     (the host's budget shared by all viewers); lines that arrive while the
//     per-client buffer of Env.ParseBuffer lines (the real tool's
//     -stats-buffer, 1000 by default) is full are dropped: that is where the
//     real tool's drop rate comes from. So pipeline health degrades only when
//     the simulated load generator is overloaded (many viewers, or bursts of
//     errors), and sooner with a smaller buffer. A simplification: the real
//     tool gives each client two pipelines, progress and stderr, each with a
//     buffer of -stats-buffer lines; the model keeps one buffer of that size
//     for both and splits its drops between the streams in proportion to
//     their lines, so when both streams back up it drops from about half the
//     real tool's buffer on, and a burst of stderr lines costs progress lines
//     too.
//
// # Renditions (the real tool's -variant)
//
// The real tool runs FFmpeg on the master playlist with -map 0 for its
// default variant "all": FFmpeg's HLS demuxer then keeps every variant's
// media playlist and reads every rendition's segments, interleaving their
// packets by timestamp, so each rendition's next segment is fetched
// alongside the others' and the output advances only as fast as the
// slowest of them. "highest", "lowest" and "first" map one rendition. A
// viewer of a cohort with several renditions (CohortEnv.Renditions > 1)
// is modelled as follows:
//
//   - Bytes: a segment load is one segment of every rendition, drawn as one
//     size (their mean sizes summed, the same relative deviation for all:
//     the content's complexity moves every encoding alike) and split by
//     each rendition's share of the mean (CohortEnv.Parts) for the
//     segment-size statistics. A reload is one playlist per rendition, an
//     fMP4 init load one init segment per rendition.
//   - Requests: a load is one request per rendition, issued together over
//     one connection (one connect per process): the request counters, the
//     stderr lines, the latency histograms (each request takes the load's
//     time) and, on a failure, the error and timeout counters count each
//     rendition. A load fails or succeeds as a whole (one draw), so the
//     expected share of failed requests is the origin's.
//   - Speed and stalls: the load transfers at the viewer's share like one
//     segment, and media advances by one segment duration when all of it
//     arrived. A downlink below the sum of the renditions' bitrates starves
//     the viewer; its speed reads the share of that sum it gets.
//   - Not modelled: the master playlist, the probe reads FFmpeg makes of
//     every variant at start-up for the single-rendition variants, and the
//     separate HTTP connection per rendition.
//
// # Simplifications
//
//   - One load at a time per viewer over one keep-alive connection (one
//     request, or one per rendition for variant all, see above).
//   - Faults apply to requests issued while they are active; a transfer in
//     progress when an outage starts completes.
//   - Playlists and init segments transfer at the viewer's share like
//     segments; the origin's budget counts their bytes in full (the fixed
//     part of OriginView.Bounds), a segment's from its first byte.
//   - Segment bytes count as they are delivered, in the series (the
//     engine's recorder adds the delivered part of transfers in progress)
//     and in ClientStats (a flush writes the part of the transfer under way
//     delivered by then, like FFmpeg's growing total_size); playlist and
//     init bytes when they complete.
//   - To keep memory traffic low a viewer buffers its ClientStats writes for
//     up to FlushEvery (16 s; sooner when its small buffer fills, before any
//     rare event and when the engine aggregates), and skips progress reports
//     that cannot change anything (speed 1.0 with media left); the values
//     written are the same, only later.
//
// No math.Exp/Log/Pow here: only + - * /, so amd64 and wasm agree bit for
// bit.
package clients
