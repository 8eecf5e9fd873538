// Package export writes a simulated run as JSON or CSV and reads the JSON back. It is the
// one format shared by the command line (files, compare, report baselines) and the
// browser app (download buttons), so it depends only on the standard library and sim/.
//
// JSON: an object with "format", "scenario" (the resolved scenario in its own file
// format), "seed", "interval" (seconds between samples), "final" (the final
// stats.AggregatedStats keyed by Go field names, every time.Duration in seconds,
// TotalHTTPErrors as {"503": n, "other": m}), "series" (one engine.Sample per interval,
// keyed by Go field names), "events" (engine.EventMark, Start/End in seconds) and,
// when known, "exit_codes" (processes that ended during the run by exit code, {"1": n}).
//
// CSV: a header of Sample field names and one row per sample; durations in seconds.
package export
