// Package scenario is the scenario model of swarmsim: what one simulated HLS
// load test looks like (the stream, the viewers, the origin and the scripted
// faults), read from strict YAML or JSON with defaults and validation,
// changed parameter by parameter for overrides and sweeps, and shipped as
// embedded presets for training.
//
// The engine (sim/engine) runs a *Scenario; the command line and the browser
// app obtain one from Load, Parse or Preset and adjust it with Set.
//
// # Reading a scenario
//
// Parse(name, data) reads YAML or JSON (JSON is YAML's flow syntax; a name
// ending in ".json" is also checked as strict JSON first). It starts from
// Defaults(), overrides whatever the file gives, fills the defaults that
// depend on other fields, validates, and sorts the events by start time.
// Load(path) reads a file and parses it. A key given with an empty value or
// null keeps its default. A UTF-8 byte order mark at the start of the file
// is ignored.
//
// Parsing is strict. Unknown keys, duplicate keys, wrong types (text for a
// number, a fraction for an integer), bad durations, values out of range,
// events at or after the end of the run, overlapping events of one kind,
// unknown kinds, missing kind-specific fields and fields of another kind are
// all errors. YAML tags and merge keys (<<) are refused; anchors and aliases
// work. The error is an Errors value (a list of *FieldError); each entry
// names the file, the line and column, the field path and the allowed range:
//
//	capacity-check.yaml:9:10: clients.count: 0 is out of range 1..1000000
//	capacity-check.yaml:2:3: clients.cuont: unknown key; clients takes count, ramp_rate, ...
//	capacity-check.yaml:15:55: events[0].rate: 1.2 is out of range (0, 1]
//
// Every problem of a file is reported in one pass, up to 50: problems of
// structure (unknown keys, wrong types) and of range alike, in file order. A
// field that could not be read is not also judged by the rules that involve
// it (an event's time against a duration that is not a duration). Only a file
// that cannot be read at all (syntax errors, limits) reports that alone. Validate checks a scenario built or changed in code and
// reports the same messages without file positions. A key or value quoted
// in a message that holds invisible or control characters is written with
// Go escapes ("\ufeffname": unknown key). Parse never panics.
//
// Ranges read "lo..hi" (both ends allowed) or "(lo, hi]" (above lo, up to
// hi). Durations are Go duration strings ("250ms", "2s", "10m", "1h30m") or
// a bare number of seconds (2, 0.5, 1e3); they are written back in the
// shortest form ("2s", "10m").
//
// Numbers are decimal, in a file and in Set alike: an optional sign, digits
// with an optional fraction, and an optional exponent (100, -3, 0.5, .5,
// 1e2, 1.5e3, 2E-3). Digit separators (1_000), hexadecimal, octal and binary
// forms (0x10, 0o10, 0b11), leading zeros (010) and infinities or NaN are
// errors. An integer field takes a number whose value is whole (1e2 is 100;
// 1.5 is an error: not a whole number). In a file a quoted number ("100") is
// text, an error where a number is expected. Booleans are true or false, in
// lower case (not True, yes or 1).
//
// # File format
//
// Every key with its default and allowed range. Only the keys you change
// need to be written.
//
//	name: capacity-check    # text, 1..100 characters, one line; default: the file name without extension
//	description: ...        # one line, up to 300 characters; default empty
//	seed: 1                 # 0..18446744073709551615; the same scenario and seed give the same run
//	duration: 10m           # run length, 1s..48h
//	stream:
//	  segment_duration: 2s  # 500ms..1m
//	  bitrates_kbps: [2000] # video ladder in master-playlist order: 1..20 different
//	                        # renditions, each 50..100000; clients.variant picks what a client downloads
//	  audio_kbps: 128       # 0..1024, added to every rendition
//	  container: ts         # "ts" | "fmp4" (fmp4 adds an init segment request per (re)start)
//	  playlist_size: 10     # segments in the live window, 3..100
//	  manifest_bytes: 374   # media playlist body size, 50..1000000
//	  size_spread: 0.02     # relative standard deviation of segment sizes, 0..0.5
//	clients:
//	  count: 50             # 1..1000000
//	  ramp_rate: 5          # clients started per second, 0..100000; 0 starts all at t=0
//	  ramp_jitter: 200ms    # random extra start delay, 0s..1m; as in the real tool each client starts
//	                        # 1/ramp_rate plus a jitter below min(ramp_jitter, 1/(2 ramp_rate)) after the
//	                        # one before (the jitters add up: 1000 clients at 5/s take about 250 s)
//	  reconnect: true       # restart a client after it exits: true | false
//	  timeout: 15s          # request timeout, 100ms..10m
//	  segment_retries: 3    # immediate retries of a failed request; then a segment is skipped, a playlist ends the process, 0..100
//	  backoff:              # restart delay: initial x multiplier^attempt, capped at max, +-jitter
//	    initial: 250ms      # 1ms..1m
//	    multiplier: 1.7     # 1..10
//	    max: 5s             # 1ms..10m and >= initial
//	    jitter: 0.2         # relative, 0..1
//	    reset_after: 30s    # uptime after which the attempt count resets, 0s..1h
//	  variant: all          # the renditions each client downloads, as the real tool's -variant:
//	                        # "all" (every rendition at once) | "highest" | "lowest" | "first" (the ladder's first)
//	  stats_buffer: 1000    # each client's output-parser buffer in lines (the real tool's -stats-buffer),
//	                        # 1..1000000; lines arriving while it is full are dropped
//	  cohorts:              # 1..50 cohorts; default one cohort:
//	    - name: broadband   # unique, 1..40 characters; default cohort1, cohort2, ...
//	      share: 1          # share of the clients, (0, 1]; shares sum to 1 (+-0.001);
//	                        # when no cohort gives a share the clients are split evenly
//	      bandwidth_mbps: [50, 100] # per-client downlink drawn uniformly in [min, max],
//	                        # each (0, 100000], min <= max; also 20 or {min: 10, max: 50}
//	      rtt: 20ms         # round-trip time, 0s..10s
//	      bitrate_kbps: 0   # the one rendition this cohort plays: one in bitrates_kbps,
//	                        # or 0 (default): the renditions its variant picks
//	      variant: ""       # this cohort's variant (words as clients.variant); "" (default) keeps
//	                        # clients.variant; not with bitrate_kbps
//	origin:
//	  capacity_mbps: 10000  # shared egress, 0..10000000; 0 = unlimited
//	  latency: 1ms          # per-request processing time, 0s..1m
//	  error_rate: 0         # background share of requests answered with error_status, 0..1
//	  error_status: 503     # 400..599
//	  error_rates:          # optional extra background shares by status (400..599), each 0..1;
//	    404: 0.002          # their total with error_rate is at most 1
//	events: []              # scripted faults, at most 1000, see below
//
// # Events
//
// Every event has at (its start, 0s up to the end of the run, end excluded),
// duration (its window, (0s, run duration]; at + duration must not pass the
// end of the run), kind, and caption (one training sentence of at most 160
// characters; when empty a sentence is made from the fields, e.g. "20% of
// requests fail with HTTP 503 for 1m"). Events of one kind must not overlap
// in time; events of different kinds may. The other fields depend on the kind;
// giving a field another kind uses is an error.
//
//	kind            fields ("needs" marks a required field)
//	outage          mode: "refused" (default) | "timeout" | "status";
//	                status: 400..599, default 503, only with mode "status"
//	error_burst     needs rate: share of requests failing, (0, 1]; status: 400..599, default 503
//	capacity        needs capacity_mbps: the origin's egress during the window, (0, 10000000]
//	latency_spike   needs latency: added to every request, (0s, 1m]
//	stale_playlist  jump: segments the playlist jumps after the freeze, 0..1000;
//	                0 = the segments the freeze hid, back to the live edge (Event.JumpSegments)
//	bandwidth_drop  needs share: share of all clients affected, (0, 1];
//	                needs bandwidth_mbps: their downlink during the window, (0, 100000]
//	churn           join_rate, leave_rate: clients per second, each 0..100000, at least one above 0;
//	                the joins, ceil(join_rate x duration), count against the client limit
//	add_clients     needs clients: 1..1000000; duration 0 =
//	                all at once, else spread evenly over the window
//	remove_clients  needs clients: 1..1000000; duration 0 = all at once, else spread evenly
//
// Client limit (MaxClients = 1000000): clients.count plus the clients of
// every add_clients event plus ceil(join_rate x duration) of every churn
// event may not pass 1000000.
//
// Only add_clients and remove_clients may have duration 0. One event of
// every kind:
//
//	duration: 10m
//	events:
//	  - {at: 1m, duration: 30s, kind: outage, mode: status, status: 502, caption: "The origin answers 502."}
//	  - {at: 3m, duration: 1m, kind: error_burst, rate: 0.2}
//	  - {at: 5m, duration: 2m, kind: capacity, capacity_mbps: 2000}
//	  - {at: 5m, duration: 1m, kind: latency_spike, latency: 400ms}
//	  - {at: 2m, duration: 10s, kind: stale_playlist, jump: 5}
//	  - {at: 4m, duration: 2m, kind: bandwidth_drop, share: 0.3, bandwidth_mbps: 0.8}
//	  - {at: 1m, duration: 5m, kind: churn, join_rate: 2, leave_rate: 2}
//	  - {at: 7m, kind: add_clients, clients: 200}
//	  - {at: 8m, duration: 30s, kind: remove_clients, clients: 250}
//
// A complete file:
//
//	name: capacity-check
//	seed: 7
//	duration: 10m
//	stream:
//	  segment_duration: 2s
//	  bitrates_kbps: [5000]
//	  audio_kbps: 128
//	clients:
//	  count: 2500
//	  ramp_rate: 100          # clients started per second
//	origin:
//	  capacity_mbps: 10000
//	  error_rate: 0.001       # background share of requests answered with an error
//	events:
//	  - {at: 3m, duration: 1m, kind: error_burst, status: 503, rate: 0.2}
//	  - {at: 6m, duration: 30s, kind: outage}
//
// A file may hold at most 1 MiB, 20000 keys, 80000 YAML tokens and 500 keys
// in one mapping, and nest lists and mappings at most 32 deep; real scenarios
// need far less. Load reads at most 1 MiB + 1 byte of any file: a larger
// regular file is refused from its size, a device or pipe that gives more
// (/dev/zero) once it has. A %YAML 1.x or %TAG directive may precede the
// document.
//
// # Changing parameters
//
// Set(key, value) changes one parameter from text, for command-line
// overrides (-set clients=500), URL parameters and sweeps. Keys are the
// dotted paths of the file format, case-insensitive, "-" read as "_":
//
//	name, description, seed, duration,
//	stream.segment_duration, stream.bitrate_kbps (the ladder becomes this one
//	rendition and every cohort plays it), stream.bitrates_kbps ("5000,2000,1000"),
//	stream.audio_kbps, stream.container, stream.playlist_size,
//	stream.manifest_bytes, stream.size_spread,
//	clients.count, clients.ramp_rate, clients.ramp_jitter, clients.reconnect,
//	clients.timeout, clients.segment_retries, clients.variant,
//	clients.stats_buffer, clients.backoff.initial,
//	clients.backoff.multiplier, clients.backoff.max, clients.backoff.jitter,
//	clients.backoff.reset_after,
//	origin.capacity_mbps, origin.latency, origin.error_rate, origin.error_status,
//	origin.error_rates.<status> (e.g. origin.error_rates.404=0.01; 0 removes it)
//
// and the aliases clients (clients.count), capacity and capacity_mbps
// (origin.capacity_mbps), bitrate (stream.bitrate_kbps), ladder
// (stream.bitrates_kbps), segment_duration, ramp_rate, reconnect, timeout,
// variant, stats_buffer, container, latency (origin.latency) and error_rate
// (origin.error_rate).
// SettableKeys lists them; Settings adds each key's allowed values. Set
// checks the value against its field's range and leaves the scenario
// unchanged on error, naming the key, the value and the range:
//
//	clients (clients.count): 0 is out of range 1..1000000
//
// Rules between fields (events inside a shortened run, cohort bitrates in a
// new ladder) are left to Validate, to be called after the last Set.
//
// # Presets
//
// Presets() lists the embedded presets (presets/*.yaml) in a stable order;
// Preset(name) returns a fresh copy; PresetYAML(name) returns the commented
// source as a starting point for a file. DefaultPreset is "steady". Each has
// a one-line description and a caption on every event; the numbers come from
// the real tool's client and origin profiles (2 s segments, 2000 kbps +
// 128 kbps, ramp rates 5/20/50 per second, backoff 250 ms x 1.7 up to 5 s):
//
//	steady             200 viewers at 20/s for 5 min, over 20x capacity headroom
//	ramp-up            1000 viewers at 5/s (200 s ramp), then 500 more over a minute
//	capacity-knee      2000 viewers at 5/s against 2128 Mbps: the knee at 1000 viewers, 200 s in
//	origin-outage      300 viewers, a 1 min refused-connection outage, then a 20 s timeout outage
//	reconnect-storm    1000 viewers lose the origin together; synchronized backoff waves
//	error-storm        background 503/404 errors plus 503, 404 and 500 bursts
//	stale-playlist     the playlist freezes 10 s and jumps 5 segments; then 20 s and 10
//	mobile-congestion  broadband, Wi-Fi and mobile cohorts on a 5000/2000/1000 ladder; a cell congests
//	churn              steady joins and leaves, then a crowd arrives and leaves
//	low-latency        1 s fMP4 segments, a 400 ms latency spike
//
// # Writing a scenario
//
// ToYAML (and MarshalYAML) writes a resolved scenario with the same keys;
// encoding/json writes and reads the same snake_case keys (durations as
// strings such as "2s"). Parse(ToYAML(s)) and Parse of the JSON give s back.
// Clone makes a deep copy.
//
// Events built in code get their defaults from Event.ApplyDefaults;
// Scenario.CheckEvent validates one event for live injection and
// Scenario.SortEvents orders changed events.
package scenario
