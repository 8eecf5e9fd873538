// Package export writes a simulated run as JSON or CSV and reads the JSON back. It is the
// one format shared by the command line (files, compare, report baselines) and the
// browser app (download buttons, window.swarmsim.snapshot()), so it depends only on the
// standard library and sim/. Values are encoded by sim/export/wire: Go field names,
// durations in seconds, no value as null.
//
// JSON: an object with "format", "scenario" (the resolved scenario in its own file
// format), "seed", "interval" (seconds between samples), "final" (the final
// stats.AggregatedStats keyed by Go field names, every time.Duration in seconds,
// TotalHTTPErrors as {"503": n, "other": m}), "series" (one engine.Sample per interval,
// keyed by Go field names), "events" (engine.EventMark, Start/End in seconds) and,
// when known, "exit_codes" (processes that ended during the run by exit code, {"1": n}).
//
// No value is null, never 0: in "series", a figure the engine records as NaN (the
// latencies of an interval in which no request of that kind completed, the error rate
// of one in which no request ended, speed and drift without readings); in "final",
// the figures over requests, readings or clients of which there were none (latencies
// without completed requests, the error rate without requests, the average speed
// without readings, uptimes without clients, playlist jitter without refreshes, the
// drop rate without lines). ReadJSON reads null back as NaN (float64) or 0 (durations).
//
// CSV: a header of Sample field names and one row per sample; durations in seconds; an
// empty cell for no value.
//
// Stats marshals an aggregate snapshot alone in the form of "final".
package export
