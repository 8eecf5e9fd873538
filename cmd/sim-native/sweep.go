package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"swarmsim/cmd/sim-native/internal/progress"
	"swarmsim/cmd/sim-native/internal/slo"
	"swarmsim/cmd/sim-native/internal/sweep"
	"swarmsim/sim/scenario"
)

const sweepDetails = `Every (value, seed) point is one independent run with a single-threaded engine; the
points run concurrently on --workers goroutines (default GOMAXPROCS) and the results are
reported in value order, identical whatever the number of workers.

Seeds: the scenario's seed (or --seed) and the next --seeds-1 integers.

Knee: the first value, in the order of the range, at which the --slo fails for a strict
majority of the seeds (more than half; a run that errors counts as failing). Values
after the knee are still run and shown. "knee: none" means the SLO held for a majority
of seeds at every value.

The range is key=start..end:step (inclusive; decimals allowed; an end below the start
counts down, for parameters where smaller is worse, e.g. capacity=4000..1000:500) or
key=v1,v2,...; the key is any key "run --set" accepts, e.g. clients, capacity,
segment_duration, latency.

Example:
  sim-native sweep --scenario capacity-knee --param clients=500..3000:250 --seeds 3 \
      --slo 'peak_stalled_ratio<0.01' --csv knee.csv`

func cmdSweep(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "sweep", "--param key=start..end:step --slo EXPR [flags]",
		"Varies one scenario parameter over a range with several seeds and finds the knee.",
		sweepDetails+"\n\n"+sloHelp("a run\nfails if any term fails. sweep exits with code 0 whatever the verdicts: the SLO only\nlocates the knee."))
	var (
		ov      overrides
		scen    string
		param   string
		seeds   int
		sloExpr string
		csvPath string
		workers int
	)
	fs.StringVar(&scen, "scenario", scenario.DefaultPreset, "preset name, or a scenario file: a path containing a / or ending in .yaml, .yml or .json")
	ov.register(fs)
	fs.StringVar(&param, "param", "", "the parameter and its values: key=start..end:step or key=v1,v2,... (required)")
	fs.IntVar(&seeds, "seeds", 3, "runs per value, with consecutive seeds (1..1000)")
	fs.StringVar(&sloExpr, "slo", "", "the objective that defines the knee, e.g. 'stalled_ratio<0.01' (required; a failure does not change the exit code)")
	fs.StringVar(&csvPath, "csv", "", "also write the table as CSV to this file")
	fs.IntVar(&workers, "workers", 0, "concurrent runs (default GOMAXPROCS)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("sweep: unexpected argument %q", fs.Arg(0))
	}
	if param == "" {
		return usageErr("sweep: --param is required, e.g. --param clients=500..5000:500")
	}
	if sloExpr == "" {
		return usageErr("sweep: --slo is required, e.g. --slo 'stalled_ratio<0.01'")
	}
	if seeds < 1 || seeds > 1000 {
		return usageErr("--seeds %d: must be in 1..1000", seeds)
	}
	if workers < 0 {
		return usageErr("--workers %d: must be >= 0 (0 = GOMAXPROCS)", workers)
	}
	p, err := sweep.ParseParam(param)
	if err != nil {
		return usageErr("%v", err)
	}
	if strings.EqualFold(strings.TrimSpace(p.Key), "seed") {
		return usageErr("--param seed: the seeds are set by --seed (the first) and --seeds (how many)")
	}
	objectives, err := slo.Parse(sloExpr)
	if err != nil {
		return usageErr("--slo: %v", err)
	}
	base, err := loadScenario(scen)
	if err != nil {
		return err
	}
	if err := ov.apply(fs, base); err != nil {
		return err
	}
	// The swept parameter cannot also be fixed by an override.
	if by, _ := ov.setters(fs); by != nil {
		if canon, ok := settingKey(p.Key); ok && by[canon] != "" {
			return usageErr("--param %s and %s both set %s; give only one", param, by[canon], canon)
		}
	}
	// Check every value before running anything.
	for _, v := range p.Values {
		trial := base.Clone()
		if err := trial.Set(p.Key, v); err != nil {
			return usageErr("--param: %v", err)
		}
		if err := trial.Validate(); err != nil {
			return usageErr("--param %s=%s: %v", p.Key, v, err)
		}
	}
	if err := checkWritable("--csv", csvPath); err != nil {
		return err
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	pts := sweep.Points(p.Values, seeds, base.Seed)
	runPoint := func(ctx context.Context, pt sweep.Point) sweep.Outcome {
		sc := base.Clone()
		if err := sc.Set(p.Key, pt.Value); err != nil {
			return sweep.Outcome{Err: err}
		}
		if err := sc.Set("seed", strconv.FormatUint(pt.Seed, 10)); err != nil {
			return sweep.Outcome{Err: err}
		}
		run, interrupted, err := simulate(ctx, sc, driveOpts{workers: 1})
		if err != nil {
			return sweep.Outcome{Err: err}
		}
		if interrupted {
			return sweep.Outcome{Err: ctx.Err()}
		}
		vals := slo.FromRun(run.Final, run.Series)
		return sweep.Outcome{OK: slo.AllOK(objectives.Evaluate(vals)), Metrics: vals}
	}
	var mu sync.Mutex
	done := 0
	start := time.Now()
	showProgress := e.stderrFile != nil && progress.IsTerminal(e.stderrFile)
	outcomes := sweep.Run(ctx, pts, workers, runPoint, func(sweep.Outcome) {
		if !showProgress {
			return
		}
		mu.Lock()
		done++
		fmt.Fprintf(e.stderr, "\rsweep: %d/%d runs, %s\x1b[K", done, len(pts), time.Since(start).Round(time.Second))
		mu.Unlock()
	})
	if showProgress {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		return &cliError{exitFailure, fmt.Errorf("sweep interrupted")}
	}
	rows := sweep.Summarise(p.Values, outcomes)
	knee := sweep.Knee(rows)
	cols := sweepColumns(objectives)

	fmt.Fprintf(e.stdout, "sweep %s over %s=%s..%s, %d seeds (from %d), SLO %s, %d workers\n\n",
		base.Name, p.Key, p.Values[0], p.Values[len(p.Values)-1], seeds, base.Seed, objectives, workers)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tfailed", p.Key)
	for _, c := range cols {
		fmt.Fprintf(tw, "\t%s", c)
	}
	fmt.Fprintf(tw, "\tverdict\n")
	for i, r := range rows {
		fmt.Fprintf(tw, "%s\t%d/%d", r.Value, r.Failures, r.Runs)
		for _, c := range cols {
			m := "n/a" // no seed had a value (see slo.FromRun)
			if !math.IsNaN(r.Mean[c]) {
				m = strconv.FormatFloat(r.Mean[c], 'g', 4, 64)
			}
			fmt.Fprintf(tw, "\t%s", m)
		}
		verdict := "pass"
		if r.Fails() {
			verdict = "FAIL"
		}
		if i == knee {
			verdict += "  <- knee"
		}
		fmt.Fprintf(tw, "\t%s\n", verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		for _, err := range r.Errors {
			fmt.Fprintf(e.stderr, "sim-native: sweep %s=%s: %v\n", p.Key, r.Value, err)
		}
	}
	if knee >= 0 {
		fmt.Fprintf(e.stdout, "\nknee: %s=%s (first value where %s fails for a majority of %d seeds)\n", p.Key, rows[knee].Value, objectives, seeds)
	} else {
		fmt.Fprintf(e.stdout, "\nknee: none (%s held for a majority of seeds at every value)\n", objectives)
	}
	if csvPath != "" {
		return writeFile(csvPath, func(w io.Writer) error { return writeSweepCSV(w, p.Key, rows, knee, cols) })
	}
	return nil
}

// sweepColumns are the metrics shown: those of the SLO, then a few that explain them.
func sweepColumns(objectives slo.Set) []string {
	var cols []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			cols = append(cols, n)
		}
	}
	for _, o := range objectives {
		add(o.Metric)
	}
	for _, n := range []string{"stalled_ratio", "error_rate", "avg_speed", "seg_p95", "throughput_mbps"} {
		add(n)
	}
	return cols
}

func writeSweepCSV(w io.Writer, key string, rows []sweep.Row, knee int, cols []string) error {
	cw := csv.NewWriter(w)
	header := append([]string{key, "runs", "failures", "fails_majority", "knee"}, cols...)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, r := range rows {
		rec := []string{r.Value, strconv.Itoa(r.Runs), strconv.Itoa(r.Failures), strconv.FormatBool(r.Fails()), strconv.FormatBool(i == knee)}
		for _, c := range cols {
			m := "" // empty: no seed had a value
			if !math.IsNaN(r.Mean[c]) {
				m = strconv.FormatFloat(r.Mean[c], 'g', -1, 64)
			}
			rec = append(rec, m)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
