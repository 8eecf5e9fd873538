// Package wire is the encoding of sim/export: how a Go value leaves the program. A
// struct is a JSON object keyed by its Go field names, in field order, embedded structs
// inlined; every time.Duration is a number of seconds; a float without a value (NaN, or
// an infinity) is null and reads back as NaN. Types with their own JSON methods
// (stats.HTTPErrorCounts, stats.HistogramSnapshot, time.Time, scenario types) keep them.
// For CSV, Columns flattens a struct type into named columns (Parent.Child, Name[i]),
// with the same seconds and an empty cell for no value.
//
// It depends only on the standard library and sim/scenario, so that every package's tests can compare
// values in the form that leaves the program (sim/engine's golden digests among them)
// without importing sim/export.
package wire
