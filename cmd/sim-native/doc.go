// Command sim-native is the command-line face of swarmsim: fast, seeded what-if runs of
// an HLS load test in virtual time, with the real tool's exit summary, JSON/CSV exports,
// a self-contained HTML report, SLO checks for CI gates, parameter sweeps that find the
// capacity knee, run-versus-run comparison and a Prometheus /metrics endpoint. It drives
// sim/engine and adds no simulation logic of its own.
//
// Exit codes: 0 ok, 1 internal or I/O failure (naming the path), 2 bad usage or input
// (one line naming the file, line, field and allowed range), 3 an SLO was violated.
//
// See docs/CLI.md for the command reference.
package main
