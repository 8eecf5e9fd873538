package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"swarmsim/cmd/sim-native/internal/slo"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func cmdScenarios(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "scenarios", "", "Lists the built-in presets with their descriptions.", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("scenarios: unexpected argument %q", fs.Arg(0))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, p := range scenario.Presets() {
		name := p.Name
		if name == scenario.DefaultPreset {
			name += " (default)"
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, p.Description)
	}
	return tw.Flush()
}

func cmdVersion(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "version", "", "Prints the module version, the VCS commit and the Go version of this build.", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("version: unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintln(e.stdout, versionLine())
	return nil
}

// versionLine describes the build from its embedded build information, e.g.
// "sim-native (devel) commit 1a2b3c4d5e6f (modified), go1.26.8".
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "sim-native (no build information), " + runtime.Version()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sim-native %s", bi.Main.Version)
	var rev, modified string
	for _, st := range bi.Settings {
		switch st.Key {
		case "vcs.revision":
			rev = st.Value
		case "vcs.modified":
			modified = st.Value
		}
	}
	if rev != "" {
		fmt.Fprintf(&b, " commit %.12s", rev)
		if modified == "true" {
			b.WriteString(" (modified)")
		}
	}
	fmt.Fprintf(&b, ", %s", bi.GoVersion)
	return b.String()
}

func cmdValidate(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "validate", "FILE...",
		"Checks scenario and drill files (YAML or JSON) and prints every problem with its file, line, field and allowed range; a drill file is also run to check that it is answerable.", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("validate: name at least one scenario file (see sim-native validate --help)")
	}
	var bad []string
	code := 0 // exit 2 if any file is bad input, else 1 if one could not be read
	for _, path := range fs.Args() {
		if summary, isDrill, err := validateDrill(path); isDrill {
			if err != nil {
				bad, code = append(bad, err.Error()), exitUsage
				continue
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", scenario.Printable(path), summary)
			continue
		}
		sc, err := scenario.Load(path)
		if err != nil {
			bad = append(bad, err.Error())
			if c := readErrCode(path, err); c == exitUsage || code == 0 {
				code = c
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok (%s: %d clients, %s, %s)\n", scenario.Printable(path), scenario.Printable(sc.Name), sc.Clients.Count, sc.Duration, plural(len(sc.Events), "event"))
	}
	if len(bad) > 0 {
		return &cliError{code, errors.New(strings.Join(bad, "\nsim-native: "))}
	}
	return nil
}

// compareRow is one line of the comparison table.
type compareRow struct {
	label string
	a, b  float64
	unit  string
}

func cmdCompare(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "compare", "A.json B.json",
		"Compares two runs written with run --json side by side: A, B, B-A and the relative change.", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageErr("compare: want exactly two run files (A.json B.json), got %d", fs.NArg())
	}
	a, err := readRun(fs.Arg(0))
	if err != nil {
		return err
	}
	b, err := readRun(fs.Arg(1))
	if err != nil {
		return err
	}
	rows := compareRows(a, b)
	fmt.Fprintf(e.stdout, "A: %s  (%s, seed %d)\nB: %s  (%s, seed %d)\n", scenario.Printable(fs.Arg(0)), scenario.Printable(a.Scenario.Name), a.Seed, scenario.Printable(fs.Arg(1)), scenario.Printable(b.Scenario.Name), b.Seed)
	fmt.Fprintf(e.stdout, "%s\n\n", describeDifference(a, b))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "metric\tA\tB\tB-A\tchange\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.label, fmtNum(r.a, r.unit), fmtNum(r.b, r.unit), fmtDiff(r.a, r.b, r.unit), relChange(r.a, r.b))
	}
	return tw.Flush()
}

func compareRows(a, b *export.Run) []compareRow {
	fa, fb := a.Final, b.Final
	errsA, errsB := stats.HTTPErrorCountsOf(fa.TotalHTTPErrors), stats.HTTPErrorCountsOf(fb.TotalHTTPErrors)
	va, vb := slo.FromRun(fa, a.Series), slo.FromRun(fb, b.Series)
	rows := []compareRow{
		{"virtual time (s)", fa.Elapsed.Seconds(), fb.Elapsed.Seconds(), ""},
		{"clients", float64(fa.TotalClients), float64(fb.TotalClients), ""},
		{"manifest requests", float64(fa.TotalManifestReqs), float64(fb.TotalManifestReqs), ""},
		{"segment requests", float64(fa.TotalSegmentReqs), float64(fb.TotalSegmentReqs), ""},
		{"init requests", float64(fa.TotalInitReqs), float64(fb.TotalInitReqs), ""},
		{"bytes", float64(fa.TotalBytes), float64(fb.TotalBytes), "B"},
		{"throughput", fa.ThroughputBytesPerSec * 8, fb.ThroughputBytesPerSec * 8, "bit/s"},
		{"HTTP errors", float64(errsA.Total()), float64(errsB.Total()), ""},
		{"timeouts", float64(fa.TotalTimeouts), float64(fb.TotalTimeouts), ""},
		{"reconnections", float64(fa.TotalReconnections), float64(fb.TotalReconnections), ""},
		{"error rate", fa.ErrorRate, fb.ErrorRate, "%"},
		{"stalled clients", float64(fa.StalledClients), float64(fb.StalledClients), ""},
		{"stalled ratio", va.Get("stalled_ratio"), vb.Get("stalled_ratio"), "%"},
		{"peak stalled ratio", va.Get("peak_stalled_ratio"), vb.Get("peak_stalled_ratio"), "%"},
		{"below real time ratio", va.Get("below_realtime_ratio"), vb.Get("below_realtime_ratio"), "%"},
		{"average speed (instantaneous)", fa.AverageSpeed, fb.AverageSpeed, ""},
		{"average speed (FFmpeg's running average)", fa.AverageFFmpegSpeed, fb.AverageFFmpegSpeed, ""},
		{"average drift (s)", fa.AverageDrift.Seconds(), fb.AverageDrift.Seconds(), ""},
		{"max drift (s)", fa.MaxDrift.Seconds(), fb.MaxDrift.Seconds(), ""},
		{"segment p50 (s)", latency(fa.SegmentLatencyP50, fa.SegmentLatencyCount), latency(fb.SegmentLatencyP50, fb.SegmentLatencyCount), ""},
		{"segment p95 (s)", latency(fa.SegmentLatencyP95, fa.SegmentLatencyCount), latency(fb.SegmentLatencyP95, fb.SegmentLatencyCount), ""},
		{"segment p99 (s)", latency(fa.SegmentLatencyP99, fa.SegmentLatencyCount), latency(fb.SegmentLatencyP99, fb.SegmentLatencyCount), ""},
		{"playlist p99 (s)", latency(fa.ManifestLatencyP99, fa.ManifestLatencyCount), latency(fb.ManifestLatencyP99, fb.ManifestLatencyCount), ""},
	}
	// HTTP codes present in either run, "other" first then ascending.
	seen := map[int]bool{}
	var codes []int
	for code := range errsA.All() {
		seen[code] = true
		codes = append(codes, code)
	}
	for code := range errsB.All() {
		if !seen[code] {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes) // "other" is code 0: first
	for _, code := range codes {
		label := "HTTP " + strconv.Itoa(code)
		if code == 0 {
			label = "HTTP other"
		}
		rows = append(rows, compareRow{label, float64(errsA.Get(code)), float64(errsB.Get(code)), ""})
	}
	return rows
}

// latency is a latency percentile in seconds, NaN (no value) when no request of its
// kind completed: the export writes it as null, which reads back as 0.
func latency(d time.Duration, count int64) float64 {
	if count == 0 {
		return math.NaN()
	}
	return d.Seconds()
}

// fmtNum formats a value of the table: "-" for a missing one (NaN), "n/a" for one that
// is not finite (a hand-edited file), a short exponent form beyond 1e15. Bytes ("B")
// and bit rates ("bit/s") are written with SI prefixes: 15.96 GB, 425.60 Mbit/s.
func fmtNum(v float64, unit string) string {
	if math.IsNaN(v) {
		return "-"
	}
	if math.IsInf(v, 0) {
		return "n/a"
	}
	if unit == "B" || unit == "bit/s" {
		return siUnits(v, unit)
	}
	if unit == "%" {
		v *= 100
		if math.IsInf(v, 0) {
			return "n/a"
		}
		return fmtPlain(v, 2) + "%"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return fmtPlain(v, 3)
}

// siUnits writes v with a decimal prefix and two decimals (k, M, G, T, P, E): "999 B",
// "1.28 MB", "-2.50 Gbit/s"; beyond the largest prefix, an exponent form.
func siUnits(v float64, unit string) string {
	a := math.Abs(v)
	if a < 1000 {
		return fmtNum(v, "") + " " + unit
	}
	prefixes := "kMGTPE"
	i := -1
	for a >= 1000 && i < len(prefixes)-1 {
		a /= 1000
		v /= 1000
		i++
	}
	if a >= 1000 {
		return fmtPlain(v, 2) + " " + prefixes[i:i+1] + unit
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " " + prefixes[i:i+1] + unit
}

func fmtPlain(v float64, decimals int) string {
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// fmtDiff formats B-A: "-" when either is missing, "n/a" when either is not finite.
func fmtDiff(a, b float64, unit string) string {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return "-"
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		return "n/a"
	}
	return fmtDelta(b-a, unit)
}

func fmtDelta(d float64, unit string) string {
	s := fmtNum(d, unit)
	if s == "-" || s == "n/a" {
		return s
	}
	if d > 0 {
		s = "+" + s
	}
	if unit == "%" {
		s = strings.TrimSuffix(s, "%") + "pp"
	}
	return s
}

// relChange is the change from a to b relative to a: "-" when either is missing, "new"
// from 0 to a positive value, "n/a" when it means nothing (a negative base, values that
// are not finite: hand-edited files) or is not finite itself.
func relChange(a, b float64) string {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return "-"
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		return "n/a"
	case a == b:
		return "0%"
	case a == 0 && b > 0:
		return "new"
	case a <= 0:
		return "n/a"
	}
	r := 100 * (b - a) / a
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f%%", r)
}

// plural is "1 event", "2 events", "0 events".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
