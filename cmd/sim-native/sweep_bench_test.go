package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// benchSweep is the sweep of BenchmarkSweepShards: 16 runs of 300-450 viewers over 10
// minutes (steady preset), each a fraction of a second.
var benchSweep = []string{"sweep", "--scenario", "steady", "--duration", "10m",
	"--param", "clients=300..450:50", "--seeds", "4", "--slo", "stalled_ratio<0.01"}

const benchSweepRuns = 16

// BenchmarkSweepShards runs the same sweep as 1, 2 and 4 shards, each shard a separate
// process with one worker started at once (as a batch engine would), then merged; and,
// for reference, in one process with 2 workers. The configurations take turns in every
// iteration, so a slow minute of the machine falls on all of them; it reports the runs
// per second of each and their ratio to one shard.
func BenchmarkSweepShards(b *testing.B) {
	type config struct {
		name            string
		shards, workers int
	}
	configs := []config{{"1shard", 1, 1}, {"2shards", 2, 1}, {"4shards", 4, 1}, {"1shard-2workers", 1, 2}}
	elapsed := make([]time.Duration, len(configs))
	for b.Loop() {
		for i, c := range configs {
			elapsed[i] += runShards(b, c.shards, c.workers)
		}
	}
	for i, c := range configs {
		perSec := float64(benchSweepRuns*b.N) / elapsed[i].Seconds()
		b.ReportMetric(perSec, "runs/s-"+c.name)
		b.ReportMetric(elapsed[0].Seconds()/elapsed[i].Seconds(), "x-"+c.name)
	}
	b.ReportMetric(0, "ns/op")
}

// runShards runs benchSweep as n shard processes at once and merges them; it returns the
// wall time from the start of the shards to the end of the merge.
func runShards(b *testing.B, n, workers int) time.Duration {
	dir := b.TempDir()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append(append([]string{}, benchSweep...), "--shard", fmt.Sprintf("%d/%d", i, n), "--out", dir, "--workers", fmt.Sprint(workers))
			out, err := exec.Command(binary, args...).CombinedOutput()
			if err != nil {
				errs[i-1] = fmt.Errorf("shard %d/%d: %v\n%s", i, n, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	out, err := exec.Command(binary, "sweep", "merge", "--csv", filepath.Join(dir, "merged.csv"), dir).CombinedOutput()
	if err != nil {
		b.Fatalf("merge: %v\n%s", err, out)
	}
	d := time.Since(start)
	if _, err := os.Stat(filepath.Join(dir, "merged.csv")); err != nil {
		b.Fatal(err)
	}
	return d
}
