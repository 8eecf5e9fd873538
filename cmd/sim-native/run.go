package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
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
		tuiOpt      tuiFlag
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
	fs.Var(&tuiOpt, "tui", tuiUsage)
	registerRealFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	streamURL, isURL := realStreamURL(fs.Args())
	if fs.NArg() > 0 && !isURL {
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
	noteRealFlags(fs, streamURL, e.stderr)
	var base *export.Run
	if baseline != "" {
		if base, err = readRun(baseline); err != nil {
			return err
		}
	}
	// The report is written from the run; the closures read run, base and the results
	// once they exist.
	var (
		run     *export.Run
		results []slo.Result
		summary string
	)
	specs := []outputSpec{
		{"--json", jsonPath, func(w io.Writer) error { return export.WriteJSON(w, run) }},
		{"--csv", csvPath, func(w io.Writer) error { return export.WriteCSV(w, run) }},
		{"--report", reportPath, func(w io.Writer) error {
			var objs []report.Objective
			for _, r := range results {
				objs = append(objs, report.Objective{Text: r.Objective.String(), Actual: r.Actual(), OK: r.OK})
			}
			return report.Write(w, report.FromRun(run, base, baseline, summary, objs))
		}},
	}
	// Fail on unwritable outputs before spending time on the run.
	outs, err := prepareOutputs(e, specs)
	if err != nil {
		return err
	}

	showTUI, err := wantDashboard(e, tuiOpt, speed, quiet)
	if err != nil {
		return err
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
		if beyondLoopback(metricsAddr) {
			fmt.Fprintf(e.stderr, "sim-native: warning: --metrics-addr %s listens beyond this machine: anyone who can reach it can read /metrics (:PORT or 127.0.0.1:PORT keeps it local)\n", metricsAddr)
		}
		// Announce the endpoint once it has data to serve.
		o.ready = func() { fmt.Fprintf(e.stderr, "sim-native: serving metrics on http://%s/metrics\n", srv.Addr) }
	}
	o.bar = progress.New(e.stderr, sc.Duration.D(), e.stderrFile != nil && progress.IsTerminal(e.stderrFile) && !showTUI, time.Now)
	if showTUI {
		o.dashboard = dashboard(speed)
	}

	run, interrupted, err := simulate(ctx, sc, o)
	if err != nil {
		return err
	}
	results = objectives.Evaluate(slo.FromRun(run.Final, run.Series))
	summary = exitSummary(run, servedAt, results, interrupted)
	if !quiet {
		if writesStdout(outs) {
			fmt.Fprint(e.stderr, summary) // stdout carries an output
		} else {
			fmt.Fprint(e.stdout, summary)
		}
	}
	// Every output that can be written is, whatever happened to the others; then every
	// problem is reported: the outputs that failed (exit 1), an interruption (exit 1),
	// the objectives violated (exit 3).
	writeErr := writeOutputs(e, outs, specs)
	if !slo.AllOK(results) {
		for _, r := range results {
			if !r.OK {
				fmt.Fprintf(e.stderr, "sim-native: SLO violated: %s (actual %s)\n", r.Objective, r.Actual())
			}
		}
	}
	switch {
	case writeErr != nil && interrupted:
		fmt.Fprintf(e.stderr, "sim-native: %s\n", interruptedMsg(ctx, run, sc))
		return writeErr
	case writeErr != nil:
		return writeErr
	case interrupted:
		return &cliError{exitFailure, errors.New(interruptedMsg(ctx, run, sc))}
	case !slo.AllOK(results):
		return errViolated
	}
	return nil
}

// exitSummary is the real tool's exit summary followed by the scenario's events and the
// SLO verdicts. The duration shown is the virtual time that ran: for an interrupted run,
// "Run Duration: 00:00:02 of 00:01:00 (interrupted)", as the rates are over the part that ran.
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
		ran := "Run Duration:           " + stats.FormatExitDuration(run.Final.Elapsed) + "\n"
		of := "Run Duration:           " + stats.FormatExitDuration(run.Final.Elapsed) + " of " + stats.FormatExitDuration(sc.Duration.D()) + " (interrupted)\n"
		text = strings.Replace(text, ran, of, 1)
	}
	b.WriteString(text)
	section := func(title string) {
		fmt.Fprintf(&b, "\n%s\n%s\n", title, strings.Repeat("─", len([]rune(title))))
	}
	section("Scenario")
	fmt.Fprintf(&b, "  %-32s %s (seed %d)\n", "Scenario:", scenario.Printable(sc.Name), run.Seed)
	if sc.Description != "" {
		fmt.Fprintf(&b, "  %s\n", scenario.Printable(sc.Description))
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
		fmt.Fprintf(&b, "  %8s - %-8s %-15s %s\n", stats.FormatClock(ev.Start), stats.FormatClock(ev.End), kind, scenario.Printable(ev.Caption))
	}
	if len(results) > 0 {
		section("SLO (final snapshot)")
		for _, r := range results {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	return b.String()
}

// maxRunBytes bounds a run file read by compare and --baseline: a 48 h run sampled every
// second takes about 91 MB.
const maxRunBytes = 256 << 20

// readRun reads a run written with --json; its errors have readErrCode's exit codes. It
// reads at most maxRunBytes + 1 bytes, whatever the file (/dev/zero, a pipe).
func readRun(path string) (*export.Run, error) {
	data, err := scenario.ReadLimited(path, maxRunBytes)
	if err != nil {
		var tl *scenario.TooLargeError
		if errors.As(err, &tl) {
			return nil, usageErr("%s: %s", path, tl.Msg())
		}
		return nil, &cliError{readErrCode(path, err), err}
	}
	r, err := export.ReadJSON(bytes.NewReader(data))
	if err != nil {
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
		// Two outputs may go to one character device (/dev/null).
		return err1 == nil && err2 == nil && os.SameFile(sa, sb) && sa.Mode()&fs.ModeCharDevice == 0
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

// interruptedMsg says when a run was stopped and by which signal (SIGINT or SIGTERM).
func interruptedMsg(ctx context.Context, run *export.Run, sc *scenario.Scenario) string {
	msg := fmt.Sprintf("interrupted at %s of %s virtual time", stats.FormatClock(run.Final.Elapsed), sc.Duration)
	if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
		msg += " (" + cause.Error() + ")"
	}
	return msg
}

// beyondLoopback reports whether a listen address (host:port; ":PORT" is loopback)
// accepts connections from other machines.
func beyondLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
