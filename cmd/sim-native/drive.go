package main

import (
	"context"
	"time"

	"swarmsim/cmd/sim-native/internal/metrics"
	"swarmsim/cmd/sim-native/internal/progress"
	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// driveOpts says how to drive one run of the engine.
type driveOpts struct {
	speed    float64           // 0 = as fast as possible, 1 = real time, N = N x real time
	workers  int               // engine shard workers; 0 = engine default (GOMAXPROCS)
	bar      *progress.Bar     // may be nil
	exporter *metrics.Exporter // may be nil
	ready    func()            // called once the first snapshot is published (may be nil)
	// dashboard, when set, drives a paced run instead of the loop below
	// (run --tui); it reports whether the run was interrupted.
	dashboard func(ctx context.Context, eng *engine.Engine, publish func()) (bool, error)
}

// simulate runs sc to its end (or until ctx is cancelled) and returns the run. It adds
// no simulation logic: it advances the engine in slices, paced against the wall clock
// when a speed is given, and publishes snapshots to the progress bar and the exporter.
func simulate(ctx context.Context, sc *scenario.Scenario, o driveOpts) (*export.Run, bool, error) {
	var opts []engine.Option
	if o.workers > 0 {
		opts = append(opts, engine.WithWorkers(o.workers))
	}
	eng, err := engine.New(sc, opts...)
	if err != nil {
		return nil, false, usageErr("scenario %s: %v", sc.Name, err)
	}
	total := sc.Duration.D()
	var exits stats.ProcessExits
	var spare *stats.AggregatedStats // the snapshot the exporter handed back
	publish := func() {
		if o.exporter != nil {
			if spare == nil {
				spare = new(stats.AggregatedStats)
			}
			eng.AggregateInto(spare, stats.AggregateOptions{PerClientSummaries: o.exporter.PerClient()})
			eng.ProcessExits(&exits)
			spare = o.exporter.Publish(spare, &exits)
		}
		o.bar.Update(eng.Now())
	}
	publish()
	if o.ready != nil {
		o.ready()
	}
	interrupted := false
	if o.speed <= 0 {
		// As fast as possible, in slices small enough for a smooth progress bar and,
		// with an exporter, one snapshot per second of virtual time.
		slice := max(total/400, time.Second)
		if o.exporter != nil {
			slice = time.Second
		}
		for !eng.Done() {
			if ctx.Err() != nil {
				interrupted = true
				break
			}
			eng.RunUntil(min(eng.Now()+slice, total))
			publish()
		}
	} else if o.dashboard != nil {
		if interrupted, err = o.dashboard(ctx, eng, publish); err != nil {
			return nil, false, err
		}
	} else {
		// Paced by the engine's Pacer against the wall clock; it re-anchors instead of
		// racing to catch up when the machine cannot keep up with the factor.
		pacer := engine.NewPacer(eng, stats.RealClock{}, o.speed)
		pacer.MaxTicks = 5000
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for !eng.Done() && !interrupted {
			select {
			case <-ctx.Done():
				interrupted = true
			case <-tick.C:
				if pacer.Advance() > 0 {
					publish()
				}
			}
		}
	}
	o.bar.Finish()
	final := eng.Aggregate()
	series := eng.Series()
	if n := len(series.Samples); n > 0 {
		// The final snapshot's instant rates are those of the recorder's last interval.
		last := series.Samples[n-1]
		final.InstantManifestRate, final.InstantSegmentRate = last.ManifestRate, last.SegmentRate
		final.InstantInitRate, final.InstantThroughputRate = last.InitRate, last.ThroughputBps
	}
	run := export.New(sc, final, series, eng.Events())
	run.ExitCodes = eng.ExitCodes()
	return run, interrupted, nil
}
