// Package tui is sim-native's live terminal dashboard (run --tui): the
// screen of go-ffmpeg-hls-swarm's own dashboard (its -tui, built with
// bubbletea and lipgloss), drawn from a simulated swarm in virtual time.
//
// The real tool's part keeps its sections in its order, with its labels,
// number formats, colours and thresholds:
//
//   - the header (pipeline status, clients active/target, elapsed time);
//   - Ramp Progress (active clients against the target);
//   - Request Statistics (totals and average rates since the start);
//   - Manifest Latency | Segment Latency | Segment Throughput;
//   - Playback Health | Errors;
//   - Origin Metrics: Origin Server | Nginx, filled from the simulated
//     origin (what it carries against its capacity, its open connections
//     and request rate). A simulated origin has no CPU or memory, so those
//     rows are absent;
//   - the Origin Load Test Dashboard: its HLS, HTTP and TCP layers, with
//     the rows a simulated swarm counts (segments downloaded and skipped,
//     playlist refreshes, jitter and lateness, sequence skips; requests,
//     4xx and 5xx, error rate and status; connects, refusals, timeouts and
//     connect latency);
//   - the footer (keys, stream);
//   - key d: the detailed view instead, the real tool's per-client table
//     (requests, bytes, speed, errors), as many rows as the height takes.
//
// Speed: green at >= 1.0x, amber at >= 0.9x, red below. Error rate: green at
// 0, amber below 1 %, red from 1 %. Pipeline: "● Metrics" green without
// dropped lines, amber ("degraded") with any, red above 10 %. HTTP status:
// Healthy, Degraded above 1 %, Unhealthy above 5 %, Critical above 20 %.
// TCP health: amber below 90 % successful connects, red below 50 %;
// connect latency amber above 100 ms, red above 500 ms.
//
// Below them, apart and marked "simulation", what only a simulation has: the
// virtual clock against the run's duration, the speed, the run state, the
// scenario's current event with its caption, and the keys to pause (space),
// change speed (1-4: 1x, 10x, 60x, as fast as possible) and inject the
// faults the browser offers (o outage, b 503 burst, c capacity drop,
// s stale playlist, + / - clients) through the engine's Inject, sized as
// the browser sizes them.
//
// When the terminal is too short for every section, whole sections are
// left out, the layers first, then the latency, Request Statistics, Ramp
// Progress, Origin Metrics and Playback Health (the header, the footer
// and the simulation panel stay), and the panel says how many; when it is
// too narrow, columns shrink and their text wraps. Colours follow the
// terminal (none with NO_COLOR).
//
// The model owns the engine while the program runs (every engine call
// happens in Update, on the program's goroutine). It paces the engine
// every Refresh (100 ms) and reads and draws a new frame every Redraw
// (250 ms) or at once on a key. Run returns once the run ends, q, Esc or
// Ctrl-C is pressed, or the context is cancelled, with the terminal
// restored.
package tui
