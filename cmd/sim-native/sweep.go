package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"

	"swarmsim/cmd/sim-native/internal/progress"
	"swarmsim/cmd/sim-native/internal/slo"
	"swarmsim/cmd/sim-native/internal/sweep"
	"swarmsim/sim/scenario"
)

const sweepDetails = `Every (value, seed) point is one independent run with a single-threaded engine; the
points run concurrently on --workers goroutines (default GOMAXPROCS, fewer when memory
is short: about 4 KB per client per run) and the results are reported in value order,
identical whatever the number of workers.

Seeds: the scenario's seed (or --seed) and the next --seeds-1 integers.

Knee: the first value, in the order of the range, at which the --slo fails for a strict
majority of the seeds (more than half; a run that errors counts as failing). Values
after the knee are still run and shown. "knee: none" means the SLO held for a majority
of seeds at every value.

The range is key=start..end:step (inclusive; decimals allowed; an end below the start
counts down, for parameters where smaller is worse, e.g. capacity=4000..1000:500) or
key=v1,v2,...; the key is any key "run --set" accepts, e.g. clients, capacity,
segment_duration, latency.

Interrupted (Ctrl-C, SIGTERM): the runs that finished are shown and written, marked
incomplete, and the exit code is 1. With --out DIR every finished run is kept in DIR as
it finishes, and the same command run again computes only the runs not there yet.

Across processes or machines (docs/SCALE-OUT.md): --plan prints the list of runs and
the plan id; --shard I/N (or --shards N with the index from JOB_COMPLETION_INDEX or
SLURM_ARRAY_TASK_ID) runs only the I-th of N shards into --out DIR; then
"sim-native sweep merge [--csv FILE] DIR|PART..." prints the table and writes the
outputs exactly as one process would have.

Example:
  sim-native sweep --scenario capacity-knee --param clients=500..3000:250 --seeds 3 \
      --slo 'peak_stalled_ratio<0.01' --csv knee.csv`

const sweepMergeDetails = `Reads the part files written by "sweep --shard I/N --out DIR" (a directory argument
means every part file in it) and prints the table, the knee and the verdicts, and writes
--csv, byte for byte as the sweep run in one process would have. Parts of another plan
(another scenario, range, seeds, SLO or build) are refused, naming the file; when runs
are missing (a shard did not finish) it names them and their shards, writes nothing and
exits with 1. A run found in two parts must have the same result in both.`

// maxSweepRuns bounds a sweep's runs (values x seeds): a million runs of a few seconds
// each is a month of CPU time, and a part file's header lists its shard's runs.
const maxSweepRuns = 1_000_000

func cmdSweep(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "merge" {
		return cmdSweepMerge(ctx, e, args[1:])
	}
	fs := newFlagSet(e, "sweep", "--param key=start..end:step --slo EXPR [flags]\n       sim-native sweep merge [--csv FILE] DIR|PART...",
		"Varies one scenario parameter over a range with several seeds and finds the knee.",
		sweepDetails+"\n\n"+sloHelp("a run\nfails if any term fails. sweep exits with code 0 whatever the verdicts: the SLO only\nlocates the knee."))
	var (
		ov        overrides
		scen      string
		param     string
		seeds     int
		sloExpr   string
		csvPath   string
		workers   int
		planOnly  bool
		shardFlag string
		shards    int
		outDir    string
		memFlag   string
	)
	fs.StringVar(&scen, "scenario", scenario.DefaultPreset, "preset name, or a scenario file: a path containing a / or ending in .yaml, .yml or .json")
	ov.register(fs)
	fs.StringVar(&param, "param", "", "the parameter and its values: key=start..end:step or key=v1,v2,... (required)")
	fs.IntVar(&seeds, "seeds", 3, "runs per value, with consecutive seeds (1..1000)")
	fs.StringVar(&sloExpr, "slo", "", "the objective that defines the knee, e.g. 'stalled_ratio<0.01' (required; a failure does not change the exit code)")
	fs.StringVar(&csvPath, "csv", "", "also write the table as CSV to this file (- for stdout: the table then goes to stderr)")
	fs.IntVar(&workers, "workers", 0, "concurrent runs (default GOMAXPROCS, bounded by memory)")
	fs.StringVar(&memFlag, "memory", "", "memory the concurrent runs may use, e.g. 8GiB (default: what the system and the cgroup leave available)")
	fs.BoolVar(&planOnly, "plan", false, "print the plan (its id, then one line per run: index, value, seed, shard) and run nothing")
	fs.StringVar(&shardFlag, "shard", "", "run only shard I of N (I/N, 1 <= I <= N) into --out")
	fs.IntVar(&shards, "shards", 0, "run one of N shards into --out, its index (0..N-1) taken from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array)")
	fs.StringVar(&outDir, "out", "", "keep every finished run in this directory (created if missing) and skip the runs already there")
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
	if n := len(p.Values) * seeds; n > maxSweepRuns {
		return usageErr("--param %s with --seeds %d: %d runs; at most %d in one sweep", param, seeds, n, maxSweepRuns)
	}
	if strings.EqualFold(strings.TrimSpace(p.Key), "seed") {
		return usageErr("--param seed: the seeds are set by --seed (the first) and --seeds (how many)")
	}
	objectives, err := slo.Parse(sloExpr)
	if err != nil {
		return usageErr("--slo: %v", err)
	}
	// Which runs: all, or one shard.
	shard, sharded := sweep.All, false
	switch {
	case shardFlag != "" && shards != 0:
		return usageErr("--shard %s and --shards %d: give one (--shards takes the index from the environment)", shardFlag, shards)
	case shardFlag != "":
		if shard, err = sweep.ParseShard(shardFlag); err != nil {
			return usageErr("%v", err)
		}
		sharded = true
	case shards != 0 && !planOnly:
		if shard, err = sweep.ShardFromEnv(shards, os.Getenv); err != nil {
			return usageErr("%v", err)
		}
		sharded = true
	case shards < 0 || shards > sweep.MaxShards:
		return usageErr("--shards %d: must be in 1..%d", shards, sweep.MaxShards)
	}
	if sharded && outDir == "" && !planOnly {
		return usageErr("--shard/--shards: name the directory of the part files with --out DIR")
	}
	if sharded && csvPath != "" {
		return usageErr("--csv with --shard: a shard writes only its part file; write the CSV with 'sweep merge --csv FILE DIR'")
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
	// Check every value before running anything; note the largest run for the memory bound.
	var perRun uint64
	for _, v := range p.Values {
		trial := base.Clone()
		if err := trial.Set(p.Key, v); err != nil {
			return usageErr("--param: %v", err)
		}
		if err := trial.Validate(); err != nil {
			return usageErr("--param %s=%s: %v", p.Key, v, err)
		}
		perRun = max(perRun, sweep.RunMemory(trial.Clients.Count, trial.Duration.D()))
	}
	plan, err := newPlan(base, p, seeds, objectives)
	if err != nil {
		return err
	}
	if planOnly {
		if sharded { // --shard I/N: show the split into N
			shards = shard.N
		}
		return printPlan(e.stdout, plan, shards)
	}
	if err := checkWritable("--csv", csvPath); err != nil {
		return err
	}
	if workers, err = sweepWorkers(e, workers, perRun, memFlag); err != nil {
		return err
	}

	// The runs already done (--out), and the journal that keeps the new ones.
	done := map[int]sweep.Record{}
	var journal *sweep.Journal
	if outDir != "" {
		if done, err = readOutDir(outDir, plan); err != nil {
			return err
		}
		journal, err = openJournal(outDir, plan, shard, done)
		if err != nil {
			return err
		}
		defer journal.Close()
		if err := journal.Unlocked(); err != nil {
			fmt.Fprintf(e.stderr, "sim-native: sweep: %s is written without a lock: %v; never run shard %s in two processes at once here\n", journal.Path, err, shard)
		}
	}
	all := plan.Points()
	var todo []sweep.Point
	owned, already := 0, 0
	for _, pt := range all {
		if !shard.Owns(pt.Seq) {
			continue
		}
		owned++
		if _, ok := done[pt.Seq]; ok {
			already++
			continue
		}
		todo = append(todo, pt)
	}
	if outDir != "" {
		fmt.Fprintf(e.stderr, "sim-native: sweep: plan %s, shard %s: %d runs, %d of them already in %s, %d to compute on %d workers\n",
			plan.ID(), shard, owned, already, outDir, len(todo), min(workers, max(len(todo), 1)))
	}

	runPoint := func(ctx context.Context, pt sweep.Point) (sweep.Outcome, bool) {
		sc := base.Clone()
		if err := sc.Set(p.Key, pt.Value); err != nil {
			return sweep.Outcome{Err: err}, true
		}
		if err := sc.Set("seed", strconv.FormatUint(pt.Seed, 10)); err != nil {
			return sweep.Outcome{Err: err}, true
		}
		run, interrupted, err := simulate(ctx, sc, driveOpts{workers: 1})
		if err != nil {
			return sweep.Outcome{Err: err}, true
		}
		if interrupted {
			return sweep.Outcome{}, false
		}
		vals := slo.FromRun(run.Final, run.Series)
		return sweep.Outcome{OK: slo.AllOK(objectives.Evaluate(vals)), Metrics: vals}, true
	}
	var (
		mu       sync.Mutex
		finished int
		saveErr  error
	)
	start := time.Now()
	showProgress := e.stderrFile != nil && progress.IsTerminal(e.stderrFile)
	logRuns := outDir != "" && !showProgress // batch logs: one line per finished run
	runCtx, stopRuns := context.WithCancel(ctx)
	defer stopRuns()
	outcomes := sweep.Run(runCtx, todo, workers, runPoint, func(o sweep.Outcome) {
		mu.Lock()
		defer mu.Unlock()
		finished++
		if journal != nil && saveErr == nil {
			if err := journal.Append(sweep.RecordOf(o)); err != nil {
				saveErr = err
				stopRuns() // a run that cannot be kept is not worth computing
			}
		}
		switch {
		case showProgress:
			fmt.Fprintf(e.stderr, "\rsweep: %d/%d runs, %s\x1b[K", finished, len(todo), time.Since(start).Round(time.Second))
		case logRuns:
			fmt.Fprintf(e.stderr, "sim-native: sweep: run %d (%s=%s, seed %d) done: %d of %d\n", o.Seq, p.Key, o.Value, o.Seed, already+finished, owned)
		}
	})
	if showProgress {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	if saveErr != nil {
		return ioErr(fmt.Errorf("sweep: keeping a finished run: %w", saveErr))
	}
	for _, o := range outcomes {
		if o.Done {
			done[o.Seq] = sweep.RecordOf(o)
		}
	}
	left := 0 // runs of the shard not finished: only an interruption leaves any
	for _, pt := range all {
		if _, ok := done[pt.Seq]; !ok && shard.Owns(pt.Seq) {
			left++
		}
	}
	stopped := left > 0

	if sharded {
		ran := 0
		for _, o := range outcomes {
			if o.Done {
				ran++
			}
		}
		fmt.Fprintf(e.stdout, "sweep %s, plan %s, shard %s: %d runs (%d computed now, %d found in %s), part %s\n",
			plan.ScenarioName, plan.ID(), shard, already+ran, ran, already, outDir, journal.Path)
		if stopped {
			return &cliError{exitFailure, fmt.Errorf("sweep interrupted: shard %s has %d of its %d runs in %s; the same command computes the rest", shard, already+ran, owned, journal.Path)}
		}
		return nil
	}
	merged := make([]sweep.Outcome, len(all))
	for i, pt := range all {
		merged[i].Point = pt
		if r, ok := done[pt.Seq]; ok {
			merged[i] = r.Outcome(plan)
		}
	}
	err = writeSweep(e, plan, objectives, merged, csvPath)
	if stopped {
		n := len(done)
		keep := "rerun with --out DIR to keep finished runs across restarts"
		if outDir != "" {
			keep = "they are kept in " + outDir + ": the same command computes the rest"
		}
		return &cliError{exitFailure, errors.Join(fmt.Errorf("sweep interrupted: %d of %d runs finished (%s)", n, len(all), keep), err)}
	}
	return err
}

func cmdSweepMerge(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "sweep merge", "[--csv FILE] DIR|PART...",
		"Merges the part files of a sharded sweep into the table, knee and CSV of the whole sweep.", sweepMergeDetails)
	var csvPath string
	fs.StringVar(&csvPath, "csv", "", "also write the table as CSV to this file (- for stdout: the table then goes to stderr)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("sweep merge: name the part files or their directory (see sim-native sweep merge --help)")
	}
	var paths []string
	for _, a := range fs.Args() {
		st, err := os.Stat(a)
		if err != nil {
			return &cliError{readErrCode(a, err), err}
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		found, err := partFiles(a)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return usageErr("sweep merge: %s holds no part files (part-*-of-*.jsonl)", a)
		}
		paths = append(paths, found...)
	}
	var (
		plan    sweep.Plan
		first   string
		records = map[int]sweep.Record{}
		from    = map[int]string{}
		counts  = map[int]bool{} // shard counts of the parts
	)
	var headerless []string
	for _, path := range paths {
		part, err := sweep.ReadPart(path)
		if errors.Is(err, sweep.ErrNoHeader) {
			headerless = append(headerless, path) // no runs: they count as missing
			continue
		}
		if err != nil {
			return usageErr("sweep merge: %v", err)
		}
		h := part.Header
		if first == "" {
			plan, first = h.Plan, path
		} else if h.PlanID != plan.ID() {
			return usageErr("sweep merge: %s is a part of plan %s, %s of plan %s (they differ in %s): merge the parts of one plan",
				path, h.PlanID, first, plan.ID(), strings.Join(plan.Differences(h.Plan), ", "))
		}
		counts[h.Shards] = true
		for _, r := range part.Records {
			if prev, ok := records[r.Index]; ok {
				if !sameRecord(prev, r) {
					return usageErr("sweep merge: run %d (%s=%s, seed %d) has different results in %s and %s", r.Index, plan.Key, r.Value, r.Seed, from[r.Index], path)
				}
				continue
			}
			records[r.Index], from[r.Index] = r, path
		}
	}
	if first == "" {
		return ioErr(fmt.Errorf("sweep merge: no part holds a run: %s: %w", strings.Join(headerless, ", "), sweep.ErrNoHeader))
	}
	objectives, err := slo.Parse(plan.SLO)
	if err != nil {
		return usageErr("sweep merge: %s: the plan's SLO %q: %v", first, plan.SLO, err)
	}
	all := plan.Points()
	var missing []sweep.Point
	for _, pt := range all {
		if _, ok := records[pt.Seq]; !ok {
			missing = append(missing, pt)
		}
	}
	if len(missing) > 0 {
		return &cliError{exitFailure, missingRuns(plan, missing, counts)}
	}
	if err := checkWritable("--csv", csvPath); err != nil {
		return err
	}
	outcomes := make([]sweep.Outcome, len(all))
	for i, pt := range all {
		outcomes[i] = records[pt.Seq].Outcome(plan)
	}
	return writeSweep(e, plan, objectives, outcomes, csvPath)
}

// missingRuns names the runs no part holds, and their shards when the parts agree on
// the shard count.
func missingRuns(plan sweep.Plan, missing []sweep.Point, counts map[int]bool) error {
	const shown = 20
	var b strings.Builder
	fmt.Fprintf(&b, "sweep merge: %d of %d runs of plan %s are missing:", len(missing), plan.Runs(), plan.ID())
	for i, pt := range missing {
		if i == shown {
			fmt.Fprintf(&b, " and %d more", len(missing)-shown)
			break
		}
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s run %d (%s=%s, seed %d)", sep, pt.Seq, plan.Key, pt.Value, pt.Seed)
	}
	if len(counts) == 1 {
		var n int
		for c := range counts {
			n = c
		}
		var names []string
		seen := map[int]bool{}
		for _, pt := range missing {
			s := sweep.Index(pt.Seq, n)
			if !seen[s.I] {
				seen[s.I] = true
				names = append(names, s.String())
			}
		}
		slices.SortFunc(names, func(a, b string) int {
			ai, _ := strconv.Atoi(a[:strings.IndexByte(a, '/')])
			bi, _ := strconv.Atoi(b[:strings.IndexByte(b, '/')])
			return ai - bi
		})
		fmt.Fprintf(&b, "\nunfinished shards: %s (run them again with --shard I/%d --out DIR; they compute only what is missing)", strings.Join(names, ", "), n)
	}
	return errors.New(b.String())
}

func sameRecord(a, b sweep.Record) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// newPlan is the plan of a sweep of p over base with seeds seeds and the objectives.
func newPlan(base *scenario.Scenario, p sweep.Param, seeds int, objectives slo.Set) (sweep.Plan, error) {
	sc, err := json.Marshal(base)
	if err != nil {
		return sweep.Plan{}, ioErr(fmt.Errorf("sweep: encoding the scenario: %w", err))
	}
	return sweep.Plan{
		Scenario:     sc,
		ScenarioName: base.Name,
		Key:          p.Key,
		Values:       p.Values,
		Seeds:        seeds,
		FirstSeed:    base.Seed,
		SLO:          objectives.String(),
		Build:        buildID(),
	}, nil
}

// buildID names the simulator's build for the plan: results can change between builds.
func buildID() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	id := bi.Main.Version
	for _, st := range bi.Settings {
		switch {
		case st.Key == "vcs.revision":
			id += " " + st.Value
		case st.Key == "vcs.modified" && st.Value == "true":
			id += " modified"
		}
	}
	return id
}

// printPlan writes the plan: a header with its id, then one line per run: index, value,
// seed and, with shards > 0, the shard that runs it.
func printPlan(w io.Writer, plan sweep.Plan, shards int) error {
	fmt.Fprintf(w, "# sweep plan %s: %s, %s=%s..%s, %d seeds from %d, SLO %s, %d runs, build %s\n",
		plan.ID(), plan.ScenarioName, plan.Key, plan.Values[0], plan.Values[len(plan.Values)-1], plan.Seeds, plan.FirstSeed, plan.SLO, plan.Runs(), plan.Build)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "index\t%s\tseed", plan.Key)
	if shards > 0 {
		fmt.Fprintf(tw, "\tshard")
	}
	fmt.Fprintln(tw)
	for _, pt := range plan.Points() {
		fmt.Fprintf(tw, "%d\t%s\t%d", pt.Seq, pt.Value, pt.Seed)
		if shards > 0 {
			fmt.Fprintf(tw, "\t%s", sweep.Index(pt.Seq, shards))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// sweepWorkers bounds the concurrent runs by memory: a run needs about perRun bytes.
// The default (GOMAXPROCS) shrinks to what fits, with a note on stderr; a --workers that
// does not fit, or memory for not even one run, is an error saying what fits.
func sweepWorkers(e env, requested int, perRun uint64, memFlag string) (int, error) {
	avail, known := sweep.Available(os.ReadFile)
	if memFlag != "" {
		b, err := humanize.ParseBytes(memFlag)
		if err != nil || b == 0 {
			return 0, usageErr("--memory %q: expected a size such as 512MiB or 8GB", memFlag)
		}
		avail, known = sweep.Memory{Bytes: b, Source: "--memory"}, true
	}
	workers := requested
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if !known {
		return workers, nil
	}
	fit := sweep.Fit(avail.Bytes, perRun)
	need := func(n int) string { return humanize.IBytes(uint64(n) * perRun) }
	switch {
	case fit == 0:
		return 0, ioErr(fmt.Errorf("sweep: one run needs about %s (about %s per client) and %s is available (%s): run fewer clients, or give more memory with --memory if the figure is wrong",
			need(1), humanize.IBytes(sweep.BytesPerClient), humanize.IBytes(avail.Bytes), avail.Source))
	case workers > fit && requested > 0:
		return 0, usageErr("--workers %d: %d runs at once need about %s and %s is available (%s): at most --workers %d",
			requested, requested, need(requested), humanize.IBytes(avail.Bytes), avail.Source, fit)
	case workers > fit:
		fmt.Fprintf(e.stderr, "sim-native: sweep: %s, not %d: a run needs about %s and %s is available (%s)\n",
			plural(fit, "worker"), workers, need(1), humanize.IBytes(avail.Bytes), avail.Source)
		workers = fit
	}
	return workers, nil
}

// readOutDir reads the runs already kept in dir (created if missing): every part file
// there must be of this plan.
func readOutDir(dir string, plan sweep.Plan) (map[int]sweep.Record, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, ioErr(fmt.Errorf("--out %s: %w", dir, unwrapPath(err)))
	}
	paths, err := partFiles(dir)
	if err != nil {
		return nil, err
	}
	done := map[int]sweep.Record{}
	for _, path := range paths {
		part, err := sweep.ReadPart(path)
		if errors.Is(err, sweep.ErrNoHeader) {
			continue // no runs; the journal writes its header again if it is this shard's
		}
		if err != nil {
			return nil, usageErr("--out %s: %v", dir, err)
		}
		if part.Header.PlanID != plan.ID() {
			return nil, usageErr("--out %s: %s is a part of plan %s, not of this sweep's plan %s (they differ in %s): give this sweep another --out directory",
				dir, path, part.Header.PlanID, plan.ID(), strings.Join(plan.Differences(part.Header.Plan), ", "))
		}
		for _, r := range part.Records {
			done[r.Index] = r
		}
	}
	return done, nil
}

// openJournal opens the shard's part file in dir; the records already there are added
// to done.
func openJournal(dir string, plan sweep.Plan, shard sweep.Shard, done map[int]sweep.Record) (*sweep.Journal, error) {
	h := sweep.PartHeader{Format: sweep.PartFormat, PlanID: plan.ID(), Shard: shard.I, Shards: shard.N, Points: shard.Of(plan.Runs()), Plan: plan}
	j, recs, err := sweep.OpenJournal(dir, h)
	if err != nil {
		return nil, ioErr(fmt.Errorf("--out %s: %w", dir, err))
	}
	for _, r := range recs {
		done[r.Index] = r
	}
	return j, nil
}

// partFiles lists the part files in dir, in name order.
func partFiles(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(globEscape(dir), "part-*-of-*.jsonl"))
	if err != nil {
		return nil, ioErr(fmt.Errorf("%s: %w", dir, err))
	}
	slices.Sort(paths)
	return paths, nil
}

// globEscape quotes the glob metacharacters of a directory name.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeSweep prints the table, the errors and the knee, and writes the CSV: the one
// rendering of a sweep, whether its runs come from this process or from part files. With
// --csv - the CSV goes to stdout and the table to stderr.
func writeSweep(e env, plan sweep.Plan, objectives slo.Set, outcomes []sweep.Outcome, csvPath string) error {
	rows := sweep.Summarise(plan.Values, plan.Seeds, outcomes)
	knee, decided := sweep.Knee(rows)
	cols := sweepColumns(objectives)
	key := plan.Key
	finished := 0
	for _, r := range rows {
		finished += r.Runs
	}
	complete := finished == plan.Runs()
	specs := []outputSpec{{"--csv", csvPath, func(w io.Writer) error { return writeSweepCSV(w, key, rows, knee, cols) }}}
	outs, err := prepareOutputs(e, specs)
	if err != nil {
		return err
	}
	stdout := e.stdout
	if writesStdout(outs) {
		stdout = e.stderr // stdout carries the CSV
	}

	fmt.Fprintf(stdout, "sweep %s over %s=%s..%s, %d seeds (from %d), SLO %s\n\n",
		plan.ScenarioName, key, plan.Values[0], plan.Values[len(plan.Values)-1], plan.Seeds, plan.FirstSeed, objectives)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tfailed", key)
	for _, c := range cols {
		fmt.Fprintf(tw, "\t%s", slo.Heading(c))
	}
	fmt.Fprintf(tw, "\tverdict\n")
	for i, r := range rows {
		fmt.Fprintf(tw, "%s\t%d/%d", r.Value, r.Failures, r.Runs)
		for _, c := range cols {
			m := "n/a" // no seed had a value (see slo.FromRun)
			if v, ok := r.Mean[c]; ok && !math.IsNaN(v) {
				m = strconv.FormatFloat(v, 'g', 4, 64)
			}
			fmt.Fprintf(tw, "\t%s", m)
		}
		verdict := "pass"
		switch {
		case !r.Complete():
			verdict = fmt.Sprintf("incomplete (%d of %d runs)", r.Runs, r.Expected)
		case r.Fails():
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
			fmt.Fprintf(e.stderr, "sim-native: sweep %s=%s: %v\n", key, r.Value, err)
		}
	}
	switch {
	case knee >= 0:
		fmt.Fprintf(stdout, "\nknee: %s=%s (first value where %s fails for a majority of %d seeds)\n", key, rows[knee].Value, objectives, plan.Seeds)
	case !decided:
		first := slices.IndexFunc(rows, func(r sweep.Row) bool { return !r.Complete() })
		fmt.Fprintf(stdout, "\nknee: not known yet (%s=%s has runs missing)\n", key, rows[first].Value)
	default:
		fmt.Fprintf(stdout, "\nknee: none (%s held for a majority of seeds at every value)\n", objectives)
	}
	if !complete {
		fmt.Fprintf(stdout, "INCOMPLETE: %d of %d runs finished\n", finished, plan.Runs())
	}
	return writeOutputs(e, outs, specs)
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

// writeSweepCSV writes one row per value; "complete" is false for a value whose runs did
// not all finish (an interrupted sweep).
func writeSweepCSV(w io.Writer, key string, rows []sweep.Row, knee int, cols []string) error {
	cw := csv.NewWriter(w)
	header := append([]string{key, "runs", "failures", "fails_majority", "knee"}, cols...)
	header = append(header, "complete")
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, r := range rows {
		rec := []string{r.Value, strconv.Itoa(r.Runs), strconv.Itoa(r.Failures), strconv.FormatBool(r.Complete() && r.Fails()), strconv.FormatBool(i == knee)}
		for _, c := range cols {
			m := "" // empty: no seed had a value
			if v, ok := r.Mean[c]; ok && !math.IsNaN(v) {
				m = strconv.FormatFloat(v, 'g', -1, 64)
			}
			rec = append(rec, m)
		}
		rec = append(rec, strconv.FormatBool(r.Complete()))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
