package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallSweep is 4 values x 2 seeds = 8 runs of at most 60 viewers over 60 s of virtual
// time on the knee scenario (capacity 50 viewers; knee at 60).
func smallSweep(extra ...string) []string {
	return append([]string{"sweep", "--scenario", "knee.yaml", "--param", "clients=30..60:10", "--seeds", "2",
		"--slo", "stalled_ratio<0.01"}, extra...)
}

const smallSweepRuns = 8

// sweepDir is a directory holding the knee scenario.
func sweepDir(t *testing.T) string {
	dir := t.TempDir()
	writeTestFile(t, dir, "knee.yaml", kneeScenario)
	return dir
}

// reference runs the sweep in one process (no --out) and returns its stdout and CSV.
func reference(t *testing.T, dir string, args []string) (stdout, csvText string) {
	t.Helper()
	r := cli(t, dir, append(args, "--csv", "reference.csv")...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "knee: clients=60 ")
	b, err := os.ReadFile(filepath.Join(dir, "reference.csv"))
	require.NoError(t, err)
	return r.stdout, string(b)
}

// merge merges the parts in dir/sub and returns its result and CSV ("" when not written).
func merge(t *testing.T, dir string, parts ...string) (result, string) {
	t.Helper()
	os.Remove(filepath.Join(dir, "merged.csv"))
	r := cli(t, dir, append([]string{"sweep", "merge", "--csv", "merged.csv"}, parts...)...)
	b, err := os.ReadFile(filepath.Join(dir, "merged.csv"))
	if errors.Is(err, os.ErrNotExist) {
		return r, ""
	}
	require.NoError(t, err)
	return r, string(b)
}

// records counts the finished runs in a part file (its lines after the header).
func records(t *testing.T, path string) []int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var idx []int
	for _, l := range lines[1:] {
		var r struct{ Index int }
		require.NoError(t, json.Unmarshal([]byte(l), &r), l)
		idx = append(idx, r.Index)
	}
	return idx
}

var doneLine = regexp.MustCompile(`(?m)^sim-native: sweep: run \d+ \(.*\) done`)

// The sweep split into 3 shards run by GNU parallel as separate processes, then merged,
// prints and writes exactly what the sweep run in one process does.
func TestSweepShardsByGNUParallelMergeLikeOneProcess(t *testing.T) {
	parallel, err := exec.LookPath("parallel")
	require.NoError(t, err, "GNU parallel is needed (make deps installs it: apt-get install parallel)")
	v, err := exec.Command(parallel, "--version").Output()
	require.NoError(t, err)
	require.Contains(t, string(v), "GNU parallel", "%s is not GNU parallel", parallel)

	dir := sweepDir(t)
	want, wantCSV := reference(t, dir, smallSweep())

	// As in docs/SCALE-OUT.md: -N0 runs the command once per argument without using it,
	// {#} is the job's number (1..3); -q passes the arguments as they are (the SLO has a <).
	args := append([]string{"--will-cite", "--halt", "now,fail=1", "-N0", "-j", "3", "-q", binary},
		smallSweep("--shard", "{#}/3", "--out", "parts", "--workers", "1")...)
	cmd := exec.Command(parallel, append(args, ":::", "1", "2", "3")...)
	cmd.Dir, cmd.Env = dir, testEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for i := 1; i <= 3; i++ {
		assert.Contains(t, string(out), fmt.Sprintf("shard %d/3: ", i))
		assert.Len(t, records(t, filepath.Join(dir, "parts", fmt.Sprintf("part-%d-of-3.jsonl", i))), []int{3, 3, 2}[i-1])
	}

	r, csvText := merge(t, dir, "parts")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, want, r.stdout, "the same table, knee and verdicts, byte for byte")
	assert.Equal(t, wantCSV, csvText, "the same CSV, byte for byte")

	// The part files named one by one give the same.
	r, csvText = merge(t, dir, "parts/part-3-of-3.jsonl", "parts/part-1-of-3.jsonl", "parts/part-2-of-3.jsonl")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, want, r.stdout)
	assert.Equal(t, wantCSV, csvText)
}

// The shard index comes from the environment of a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX) or a Slurm array (SLURM_ARRAY_TASK_ID), both from 0.
func TestSweepShardIndexFromTheEnvironment(t *testing.T) {
	dir := sweepDir(t)
	want, wantCSV := reference(t, dir, smallSweep())
	for _, engine := range []struct {
		name string
		env  func(i int) []string
	}{
		{"kubernetes", func(i int) []string { return []string{"JOB_COMPLETION_INDEX=" + strconv.Itoa(i)} }},
		{"slurm", func(i int) []string {
			return []string{"SLURM_ARRAY_TASK_ID=" + strconv.Itoa(i), "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=2"}
		}},
	} {
		t.Run(engine.name, func(t *testing.T) {
			out := engine.name
			for i := 0; i < 2; i++ {
				r := cliEnv(t, dir, engine.env(i), smallSweep("--shards", "2", "--out", out)...)
				require.Equal(t, 0, r.code, r.stderr)
				assert.Contains(t, r.stdout, fmt.Sprintf("shard %d/2: 4 runs (4 computed now, 0 found in %s)", i+1, out))
			}
			r, csvText := merge(t, dir, out)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, want, r.stdout)
			assert.Equal(t, wantCSV, csvText)
		})
	}
	r := cliEnv(t, dir, []string{"JOB_COMPLETION_INDEX=2"}, smallSweep("--shards", "2", "--out", "x")...)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "JOB_COMPLETION_INDEX=\"2\": --shards 2 needs an index in 0..1")
	r = cliEnv(t, dir, nil, smallSweep("--shards", "2", "--out", "x")...)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "no shard index in the environment")
}

// A shard that did not finish: merge names the missing runs and their shard, writes
// nothing and exits with 1.
func TestSweepMergeNamesMissingRuns(t *testing.T) {
	dir := sweepDir(t)
	for i := 1; i <= 3; i++ {
		if i == 2 {
			continue
		}
		r := cli(t, dir, smallSweep("--shard", fmt.Sprintf("%d/3", i), "--out", "parts")...)
		require.Equal(t, 0, r.code, r.stderr)
	}
	r, csvText := merge(t, dir, "parts")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Empty(t, csvText, "no CSV from an incomplete merge")
	// Shard 2 of 3 has runs 1, 4 and 7: (30, seed 2), (40, seed 2), (60, seed 1).
	assert.Contains(t, r.stderr, "3 of 8 runs of plan ")
	assert.Contains(t, r.stderr, "run 1 (clients=30, seed 2), run 4 (clients=50, seed 1), run 7 (clients=60, seed 2)")
	assert.Contains(t, r.stderr, "unfinished shards: 2/3")
}

// A part of another plan (other seeds, other SLO) is refused, naming the file, in merge
// and in --out.
func TestSweepRefusesAForeignPart(t *testing.T) {
	dir := sweepDir(t)
	r := cli(t, dir, smallSweep("--shard", "1/2", "--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	r = cli(t, dir, "sweep", "--scenario", "knee.yaml", "--param", "clients=30..60:10", "--seeds", "2",
		"--slo", "stalled_ratio<0.02", "--shard", "2/2", "--out", "other")
	require.Equal(t, 0, r.code, r.stderr)

	m, csvText := merge(t, dir, "parts", "other/part-2-of-2.jsonl")
	assert.Equal(t, 2, m.code)
	assert.Empty(t, csvText)
	assert.Contains(t, m.stderr, "other/part-2-of-2.jsonl is a part of plan ")
	assert.Contains(t, m.stderr, "differ in SLO")

	require.NoError(t, os.Rename(filepath.Join(dir, "other", "part-2-of-2.jsonl"), filepath.Join(dir, "parts", "part-2-of-2.jsonl")))
	r = cli(t, dir, smallSweep("--shard", "2/2", "--out", "parts")...)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--out parts: parts/part-2-of-2.jsonl is a part of plan ")
	assert.Contains(t, r.stderr, "give this sweep another --out directory")
}

// --plan lists the runs with the plan id the parts carry; the id changes with what
// changes the results.
func TestSweepPlan(t *testing.T) {
	dir := sweepDir(t)
	r := cli(t, dir, smallSweep("--plan", "--shards", "3")...)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2+smallSweepRuns)
	m := regexp.MustCompile(`^# sweep plan ([0-9a-f]{16}): knee-test, clients=30..60, 2 seeds from 1, SLO stalled_ratio<0.01, 8 runs`).FindStringSubmatch(lines[0])
	require.NotNil(t, m, lines[0])
	assert.Equal(t, []string{"index", "clients", "seed", "shard"}, strings.Fields(lines[1]))
	assert.Equal(t, []string{"7", "60", "2", "2/3"}, strings.Fields(lines[9]))

	r = cli(t, dir, smallSweep("--plan", "--shard", "2/3")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "\n7      60       2     2/3\n", "--shard I/N shows the split into N")

	r = cli(t, dir, smallSweep("--shard", "1/3", "--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "plan "+m[1]+", shard 1/3")
	for _, other := range [][]string{
		{"--seed", "2"}, {"--duration", "61s"}, {"--set", "capacity=100"},
	} {
		r := cli(t, dir, smallSweep(append(other, "--plan")...)...)
		require.Equal(t, 0, r.code, r.stderr)
		assert.NotContains(t, r.stdout, m[1], "%v", other)
	}
}

// A re-run with the same --out computes only the runs not kept there: counted in the
// part file and in the log, and the table is that of an uninterrupted sweep. A line cut
// short by a kill is computed again.
func TestSweepResumeComputesOnlyMissingRuns(t *testing.T) {
	dir := sweepDir(t)
	want, wantCSV := reference(t, dir, smallSweep())
	r := cli(t, dir, smallSweep("--out", "out", "--csv", "first.csv")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, want, r.stdout)
	part := filepath.Join(dir, "out", "part-1-of-1.jsonl")
	require.Len(t, records(t, part), smallSweepRuns)

	// Keep the header and 3 runs, and half of a fourth line.
	b, err := os.ReadFile(part)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	kept := lines[0] + lines[1] + lines[2] + lines[3] + lines[4][:len(lines[4])/2]
	require.NoError(t, os.WriteFile(part, []byte(kept), 0o644))

	r = cli(t, dir, smallSweep("--out", "out", "--csv", "resumed.csv")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "8 runs, 3 of them already in out, 5 to compute")
	assert.Len(t, doneLine.FindAllString(r.stderr, -1), smallSweepRuns-3, "only the missing runs ran")
	idx := records(t, part)
	assert.Len(t, idx, smallSweepRuns, "3 kept + 5 computed, none twice")
	assert.ElementsMatch(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, idx)
	assert.Equal(t, want, r.stdout)
	got, err := os.ReadFile(filepath.Join(dir, "resumed.csv"))
	require.NoError(t, err)
	assert.Equal(t, wantCSV, string(got))

	// Nothing left: a third run computes nothing.
	r = cli(t, dir, smallSweep("--out", "out")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "8 of them already in out, 0 to compute")
	assert.Empty(t, doneLine.FindAllString(r.stderr, -1))
	assert.Equal(t, want, r.stdout)
}

// A part a kill left without its header (created where hard links fail, killed before
// the header was written) holds no runs: it blocks neither the other shards, nor merge
// (its runs are missing), nor the re-run of its shard, which keeps its runs there.
func TestSweepResumesAPartWithoutHeader(t *testing.T) {
	dir := sweepDir(t)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "parts"), 0o755))
	part := filepath.Join(dir, "parts", "part-1-of-2.jsonl")
	require.NoError(t, os.WriteFile(part, nil, 0o644))
	m, _ := merge(t, dir, "parts")
	assert.Equal(t, 1, m.code)
	assert.Contains(t, m.stderr, "sweep merge: no part holds a run: parts/part-1-of-2.jsonl: no header")

	r := cli(t, dir, smallSweep("--shard", "2/2", "--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	m, csvText := merge(t, dir, "parts")
	assert.Equal(t, 1, m.code, m.stderr)
	assert.Empty(t, csvText)
	assert.Contains(t, m.stderr, "unfinished shards: 1/2")

	r = cli(t, dir, smallSweep("--shard", "1/2", "--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "4 runs, 0 of them already in parts, 4 to compute")
	assert.ElementsMatch(t, []int{0, 2, 4, 6}, records(t, part))
	m, csvText = merge(t, dir, "parts")
	require.Equal(t, 0, m.code, m.stderr)
	assert.Contains(t, m.stdout, "knee: clients=60 ")
	assert.NotEmpty(t, csvText)
}

// A run kept twice (two processes ran its shard at once) counts once: in merge, which
// writes the same table and CSV, and in a re-run, which computes nothing.
func TestSweepRunKeptTwice(t *testing.T) {
	dir := sweepDir(t)
	r := cli(t, dir, smallSweep("--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	want, wantCSV := merge(t, dir, "parts")
	require.Equal(t, 0, want.code, want.stderr)

	part := filepath.Join(dir, "parts", "part-1-of-1.jsonl")
	b, err := os.ReadFile(part)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	require.NoError(t, os.WriteFile(part, append(b, lines[3]...), 0o644))
	require.Len(t, records(t, part), smallSweepRuns+1)

	got, gotCSV := merge(t, dir, "parts")
	require.Equal(t, 0, got.code, got.stderr)
	assert.Equal(t, want.stdout, got.stdout)
	assert.Equal(t, wantCSV, gotCSV)
	r = cli(t, dir, smallSweep("--out", "parts")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "8 of them already in parts, 0 to compute")
}

// Ctrl-C or SIGTERM during a sweep: the finished runs are printed and written, marked
// incomplete (exit 1), kept in --out; the same command then computes only the rest.
func TestSweepInterruptedKeepsFinishedRuns(t *testing.T) {
	// Longer runs (3 min), one at a time, so that the signal comes mid-sweep.
	args := smallSweep("--duration", "3m", "--workers", "1")
	want, wantCSV := reference(t, sweepDir(t), args)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := sweepDir(t)

			cmd := exec.Command(binary, append(args, "--out", "out", "--csv", "partial.csv")...)
			cmd.Dir, cmd.Env = dir, testEnv()
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			sc := bufio.NewScanner(stderr)
			var log strings.Builder
			signalled := false
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
				if !signalled && doneLine.MatchString(sc.Text()) {
					require.NoError(t, cmd.Process.Signal(sig)) // after the first finished run
					signalled = true
				}
			}
			err = cmd.Wait()
			require.True(t, signalled, log.String())
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, "stdout %s\nstderr %s", stdout.String(), log.String())
			assert.Equal(t, 1, ee.ExitCode(), log.String())

			kept := len(records(t, filepath.Join(dir, "out", "part-1-of-1.jsonl")))
			require.GreaterOrEqual(t, kept, 1)
			require.Less(t, kept, smallSweepRuns, "the signal came before the end")
			assert.Contains(t, log.String(), fmt.Sprintf("sweep interrupted: %d of 8 runs finished (they are kept in out", kept))
			assert.Contains(t, stdout.String(), fmt.Sprintf("INCOMPLETE: %d of 8 runs finished", kept))
			assert.Contains(t, stdout.String(), "incomplete (")
			partial, err := os.ReadFile(filepath.Join(dir, "partial.csv"))
			require.NoError(t, err)
			assert.Contains(t, string(partial), ",false\n", "rows with runs missing are marked")
			assert.True(t, strings.HasPrefix(string(partial), "clients,runs,"))

			r := cli(t, dir, append(args, "--out", "out", "--csv", "resumed.csv")...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Len(t, doneLine.FindAllString(r.stderr, -1), smallSweepRuns-kept, "only the runs not kept ran")
			assert.Equal(t, want, r.stdout)
			got, err := os.ReadFile(filepath.Join(dir, "resumed.csv"))
			require.NoError(t, err)
			assert.Equal(t, wantCSV, string(got))
		})
	}
}

// The concurrent runs are bounded by memory (about 4 KiB per client per run): the
// default shrinks to what fits, with a note; a --workers beyond it, or not enough memory
// for one run, stops with a message saying what fits.
func TestSweepWorkersBoundedByMemory(t *testing.T) {
	dir := sweepDir(t)
	// A run of 60 viewers over 60 s: 8 MiB + 60 x 4 KiB + 60 x 1 KiB = 8 689 664 B.
	r := cli(t, dir, smallSweep("--memory", "1MiB")...)
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "one run needs about 8.3 MiB (about 4.0 KiB per client) and 1.0 MiB is available (--memory)")

	r = cli(t, dir, smallSweep("--memory", "17MiB", "--workers", "3")...)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--workers 3: 3 runs at once need about 25 MiB and 17 MiB is available (--memory): at most --workers 2")

	r = cliEnv(t, dir, []string{"GOMAXPROCS=4"}, smallSweep("--memory", "17MiB")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "sweep: 2 workers, not 4: a run needs about 8.3 MiB and 17 MiB is available (--memory)")
	assert.Contains(t, r.stdout, "knee: clients=60 ")
}

func TestSweepShardFlagErrors(t *testing.T) {
	dir := sweepDir(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{smallSweep("--shard", "1/2"), "name the directory of the part files with --out DIR"},
		{smallSweep("--shard", "1/2", "--out", "o", "--csv", "x.csv"), "write the CSV with 'sweep merge --csv FILE DIR'"},
		{smallSweep("--shard", "3/2", "--out", "o"), "the index I must be an integer in 1..2"},
		{smallSweep("--shard", "1/2", "--shards", "2", "--out", "o"), "give one"},
		{[]string{"sweep", "--param", "clients=1..2000:1", "--seeds", "1000", "--slo", "error_rate<1"}, "2000000 runs; at most 1000000 in one sweep"},
		{[]string{"sweep", "merge"}, "name the part files or their directory"},
		{[]string{"sweep", "merge", "."}, "holds no part files"},
	} {
		r := cli(t, dir, tc.args...)
		assert.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.msg, "%v", tc.args)
	}
}

// --csv - writes the CSV on stdout and moves the table to stderr, so that stdout holds
// the CSV alone; the same in merge.
func TestSweepCSVToStdout(t *testing.T) {
	dir := sweepDir(t)
	_, wantCSV := reference(t, dir, smallSweep())
	r := cli(t, dir, smallSweep("--csv", "-", "--out", "out")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, wantCSV, r.stdout)
	assert.Contains(t, r.stderr, "knee: clients=60 ")
	r = cli(t, dir, "sweep", "merge", "--csv", "-", "out")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, wantCSV, r.stdout)
	assert.Contains(t, r.stderr, "knee: clients=60 ")
}
