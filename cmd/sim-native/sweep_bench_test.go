package main

import (
	"context"
	"fmt"
	"testing"

	"swarmsim/cmd/sim-native/internal/sweep"
	"swarmsim/sim/scenario"
)

// BenchmarkSweepWorkers runs the same four sweep points (1000 viewers, 10 min each) on
// one and on two workers: the ratio of the two is the sweep's speed-up.
func BenchmarkSweepWorkers(b *testing.B) {
	base, err := scenario.Preset("steady")
	if err != nil {
		b.Fatal(err)
	}
	if err := base.Set("duration", "10m"); err != nil {
		b.Fatal(err)
	}
	pts := sweep.Points([]string{"1000", "1001", "1002", "1003"}, 1, 1)
	run := func(ctx context.Context, pt sweep.Point) sweep.Outcome {
		sc := base.Clone()
		if err := sc.Set("clients", pt.Value); err != nil {
			return sweep.Outcome{Err: err}
		}
		r, _, err := simulate(ctx, sc, driveOpts{workers: 1})
		if err != nil {
			return sweep.Outcome{Err: err}
		}
		return sweep.Outcome{OK: r.Final.TotalClients > 0}
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range sweep.Run(context.Background(), pts, workers, run, nil) {
					if o.Err != nil || !o.OK {
						b.Fatal(o.Err)
					}
				}
			}
		})
	}
}
