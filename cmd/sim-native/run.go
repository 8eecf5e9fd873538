package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"swarmsim/cmd/sim-native/internal/progress"
	"swarmsim/cmd/sim-native/internal/report"
	"swarmsim/cmd/sim-native/internal/slo"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// sloHelp describes --slo; verdict says what a failed term does in the command.
func sloHelp(verdict string) string {
	var b strings.Builder
	b.WriteString(`SLO checks (--slo) are comma-separated terms "metric op value" with op one of
< <= > >=, e.g. --slo 'error_rate<0.01,stalled_ratio<0.02'. They are evaluated on the
final snapshot of the run (the peak_* metrics on the worst sample of the run); ` + verdict + ` Metrics:
`)
	for _, m := range slo.Metrics {
		fmt.Fprintf(&b, "  %-22s %s\n", m.Name, m.Description)
	}
	return b.String()
}

func cmdRun(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "run", "[flags]",
		"Runs a scenario in virtual time and prints the exit summary on stdout.",
		`With no flags it runs the default preset (`+scenario.DefaultPreset+`) as fast as possible.
A progress bar is drawn on stderr when it is a terminal and the run takes more than a moment.

`+sloHelp("if any\nterm fails, sim-native prints which and exits with code 3.")+`
Example (what if the origin had only 1500 Mbit/s?):
  sim-native run --scenario capacity-knee --set capacity=1500 --report knee.html --slo 'peak_stalled_ratio<0.01'`)
	var (
		ov          overrides
		scen        string
		speed       float64
		jsonPath    string
		csvPath     string
		reportPath  string
		baseline    string
		metricsAddr string
		sloExpr     string
		quiet       bool
	)
	var mf metricsFlags
	fs.StringVar(&scen, "scenario", scenario.DefaultPreset, "preset name (see sim-native scenarios), or a scenario file: a path containing a / or ending in .yaml, .yml or .json (./NAME for another name)")
	ov.register(fs)
	fs.Float64Var(&speed, "speed", 0, "0 = as fast as possible, 1 = real time, N = N x real time")
	fs.StringVar(&jsonPath, "json", "", "write the run (scenario, seed, final snapshot, series, events) as JSON to this file")
	fs.StringVar(&csvPath, "csv", "", "write the time series as CSV (one row per sample) to this file")
	fs.StringVar(&reportPath, "report", "", "write a self-contained HTML report with charts to this file")
	fs.StringVar(&baseline, "baseline", "", "a run's JSON file (from --json) to overlay dashed on the report's charts")
	mf.register(fs)
	fs.StringVar(&sloExpr, "slo", "", "objectives that must hold, e.g. 'error_rate<0.01,stalled_ratio<0.02' (exit code 3 otherwise)")
	fs.BoolVar(&quiet, "quiet", false, "do not print the exit summary")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("run: unexpected argument %q (name a scenario with --scenario %s; see sim-native run --help)", fs.Arg(0), fs.Arg(0))
	}
	if !(speed == 0 || (speed > 0 && speed <= 1e9)) { // also rejects NaN
		return usageErr("--speed %v: must be 0 (as fast as possible) or in (0, 1e9]", speed)
	}
	objectives, err := slo.Parse(sloExpr)
	if err != nil {
		return usageErr("--slo: %v", err)
	}
	if baseline != "" && reportPath == "" {
		return usageErr("--baseline needs --report FILE.html")
	}
	sc, err := loadScenario(scen)
	if err != nil {
		return err
	}
	if err := ov.apply(fs, sc); err != nil {
		return err
	}
	var base *export.Run
	if baseline != "" {
		if base, err = readRun(baseline); err != nil {
			return err
		}
	}
	if err := distinctOutputs([][2]string{{"--json", jsonPath}, {"--csv", csvPath}, {"--report", reportPath}}); err != nil {
		return err
	}
	// Fail on unwritable outputs before spending time on the run.
	for _, o := range [][2]string{{"--json", jsonPath}, {"--csv", csvPath}, {"--report", reportPath}} {
		if err := checkWritable(o[0], o[1]); err != nil {
			return err
		}
	}

	o := driveOpts{speed: speed}
	if metricsAddr, err = mf.address(); err != nil {
		return err
	}
	servedAt := ""
	if metricsAddr != "" {
		srv, err := mf.serve(metricsAddr, sc, &o)
		if err != nil {
			return err
		}
		defer srv.Close()
		servedAt = srv.Addr
		// Announce the endpoint once it has data to serve.
		o.ready = func() { fmt.Fprintf(e.stderr, "sim-native: serving metrics on http://%s/metrics\n", srv.Addr) }
	}
	o.bar = progress.New(e.stderr, sc.Duration.D(), e.stderrFile != nil && progress.IsTerminal(e.stderrFile), time.Now)

	run, interrupted, err := simulate(ctx, sc, o)
	if err != nil {
		return err
	}
	results := objectives.Evaluate(slo.FromRun(run.Final, run.Series))
	summary := exitSummary(run, servedAt, results, interrupted)
	if !quiet {
		fmt.Fprint(e.stdout, summary)
	}
	if jsonPath != "" {
		if err := writeFile(jsonPath, func(w io.Writer) error { return export.WriteJSON(w, run) }); err != nil {
			return err
		}
	}
	if csvPath != "" {
		if err := writeFile(csvPath, func(w io.Writer) error { return export.WriteCSV(w, run) }); err != nil {
			return err
		}
	}
	if reportPath != "" {
		var objs []report.Objective
		for _, r := range results {
			objs = append(objs, report.Objective{Text: r.Objective.String(), Actual: r.Actual(), OK: r.OK})
		}
		page := report.FromRun(run, base, baseline, summary, objs)
		if err := writeFile(reportPath, func(w io.Writer) error { return report.Write(w, page) }); err != nil {
			return err
		}
	}
	if interrupted {
		return &cliError{exitFailure, fmt.Errorf("interrupted at %s of %s virtual time", stats.FormatClock(run.Final.Elapsed), sc.Duration)}
	}
	if !slo.AllOK(results) {
		for _, r := range results {
			if !r.OK {
				fmt.Fprintf(e.stderr, "sim-native: SLO violated: %s (actual %s)\n", r.Objective, r.Actual())
			}
		}
		return errViolated
	}
	return nil
}

// exitSummary is the real tool's exit summary followed by the scenario's events and the
// SLO verdicts. The duration shown is the virtual time that ran: for an interrupted run,
// "Duration: 2.4s of 1m00s (interrupted)", as the rates are over the part that ran.
func exitSummary(run *export.Run, metricsAddr string, results []slo.Result, interrupted bool) string {
	sc := run.Scenario
	var b strings.Builder
	cfg := stats.SummaryConfig{
		TargetClients: sc.Clients.Count,
		Duration:      sc.Duration.D(),
		MetricsAddr:   metricsAddr,
		ExitCodes:     run.ExitCodes,
	}
	if interrupted {
		cfg.Duration = run.Final.Elapsed
	}
	text := stats.FormatExitSummary(run.Final, cfg)
	if interrupted {
		ran := fmt.Sprintf("  %-32s %s\n", "Duration:", stats.FormatDuration(run.Final.Elapsed))
		of := fmt.Sprintf("  %-32s %s of %s (interrupted)\n", "Duration:", stats.FormatDuration(run.Final.Elapsed), stats.FormatDuration(sc.Duration.D()))
		text = strings.Replace(text, ran, of, 1)
	}
	b.WriteString(text)
	section := func(title string) {
		fmt.Fprintf(&b, "\n%s\n%s\n", title, strings.Repeat("─", len([]rune(title))))
	}
	section("Scenario")
	fmt.Fprintf(&b, "  %-32s %s (seed %d)\n", "Scenario:", sc.Name, run.Seed)
	if sc.Description != "" {
		fmt.Fprintf(&b, "  %s\n", sc.Description)
	}
	section("Events")
	if len(run.Events) == 0 {
		b.WriteString("  none\n")
	}
	for _, ev := range run.Events {
		kind := string(ev.Kind)
		if ev.Injected {
			kind += " (injected)"
		}
		fmt.Fprintf(&b, "  %8s - %-8s %-15s %s\n", stats.FormatClock(ev.Start), stats.FormatClock(ev.End), kind, ev.Caption)
	}
	if len(results) > 0 {
		section("SLO (final snapshot)")
		for _, r := range results {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	return b.String()
}

// readRun reads a run written with --json; its errors have readErrCode's exit codes.
func readRun(path string) (*export.Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &cliError{readErrCode(path, err), err}
	}
	defer f.Close()
	r, err := export.ReadJSON(bufio.NewReader(f))
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, &cliError{readErrCode(path, err), fmt.Errorf("%s: %w", path, err)}
		}
		return nil, usageErr("%s: %v", path, err)
	}
	return r, nil
}

// distinctOutputs fails when two output options (flag, path) name the same file: one
// would overwrite the other.
func distinctOutputs(outs [][2]string) error {
	same := func(a, b string) bool {
		if filepath.Clean(a) == filepath.Clean(b) {
			return true
		}
		aa, err1 := filepath.Abs(a)
		ab, err2 := filepath.Abs(b)
		if err1 == nil && err2 == nil && aa == ab {
			return true
		}
		sa, err1 := os.Stat(a)
		sb, err2 := os.Stat(b)
		return err1 == nil && err2 == nil && os.SameFile(sa, sb)
	}
	for i, a := range outs {
		for _, b := range outs[i+1:] {
			if a[1] != "" && b[1] != "" && same(a[1], b[1]) {
				return usageErr("%s %s and %s %s name the same file; give each output its own", a[0], a[1], b[0], b[1])
			}
		}
	}
	return nil
}

// checkWritable fails early (exit 1, naming the option and the path) when an output
// cannot be written: it creates and removes the temporary file writeFile will write,
// so a run never ends with "cannot create" after all its work.
func checkWritable(option, path string) error {
	if path == "" {
		return nil
	}
	fail := func(format string, args ...any) error {
		return ioErr(fmt.Errorf("%s %s: %s", option, path, fmt.Sprintf(format, args...)))
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fail("is a directory")
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fail("directory %s does not exist", dir)
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		// A leftover of an earlier run: writeFile replaces it, if it may.
		f, err = os.OpenFile(tmp, os.O_WRONLY, 0)
		if err != nil {
			return fail("cannot write %s: %v", tmp, unwrapPath(err))
		}
		f.Close()
		return nil
	}
	if err != nil {
		return fail("cannot create a file in %s: %v", dir, unwrapPath(err))
	}
	f.Close()
	if err := os.Remove(tmp); err != nil {
		return fail("cannot remove the test file %s: %v", tmp, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the "open PATH:" prefix of a path error (the message names the path).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writeFile writes path atomically enough for a CLI: to a temporary file renamed into
// place, so a failed run never leaves half a report behind. Errors name the path.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return ioErr(err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		os.Remove(tmp)
		return ioErr(fmt.Errorf("%s: %w", path, err))
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return ioErr(fmt.Errorf("%s: %w", path, err))
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return ioErr(fmt.Errorf("%s: %w", path, err))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return ioErr(err)
	}
	return nil
}
