package sweep

import (
	"context"
	"math"
	"runtime"
	"sync"
)

// Point is one run of a sweep: a parameter value and a seed.
type Point struct {
	Seq   int // position in the plan's list of runs (0..values x seeds - 1)
	Index int // position of the value in the value list
	Value string
	Seed  uint64
}

// Outcome is what running one point produced.
type Outcome struct {
	Point
	Done    bool               // the run finished (false: interrupted or never started)
	OK      bool               // every objective held
	Metrics map[string]float64 // metric values (for the table and CSV)
	Err     error
}

// RunFunc runs one point and reports whether it finished (false when ctx ended it).
// It is called concurrently from several workers.
type RunFunc func(ctx context.Context, p Point) (o Outcome, finished bool)

// Points lists every (value, seed) pair in a fixed order: values in the given order, and
// for each value the seeds base, base+1, ..., base+seeds-1.
func Points(values []string, seeds int, baseSeed uint64) []Point {
	pts := make([]Point, 0, len(values)*seeds)
	for i, v := range values {
		for s := 0; s < seeds; s++ {
			pts = append(pts, Point{Seq: len(pts), Index: i, Value: v, Seed: baseSeed + uint64(s)})
		}
	}
	return pts
}

// Run executes every point on at most workers goroutines (GOMAXPROCS when workers <= 0)
// and returns the outcomes in the order of pts, whatever order they finished in. Once
// ctx ends no point starts; the points that did not finish have Done false.
// done, if not nil, is called after each point finishes (from the worker goroutine).
func Run(ctx context.Context, pts []Point, workers int, run RunFunc, done func(Outcome)) []Outcome {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(pts))
	out := make([]Outcome, len(pts))
	for i := range pts {
		out[i].Point = pts[i]
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil { // the feeder's select may still hand out a point
					continue
				}
				o, finished := run(ctx, pts[i])
				if !finished {
					continue
				}
				o.Point, o.Done = pts[i], true
				out[i] = o
				if done != nil {
					done(o)
				}
			}
		}()
	}
	for i := range pts {
		if ctx.Err() != nil {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return out
}

// Row summarises all seeds of one parameter value.
type Row struct {
	Value    string
	Expected int                // runs the plan has for the value (the seeds)
	Runs     int                // runs finished
	Failures int                // finished runs where an objective failed (or the run errored)
	Mean     map[string]float64 // metric means over the seeds with a value (NaN: none had one)
	Errors   []error
}

// Complete reports whether every run of the value finished.
func (r Row) Complete() bool { return r.Runs == r.Expected }

// Fails reports whether the objective failed for a strict majority of the seeds.
func (r Row) Fails() bool { return 2*r.Failures > r.Runs }

// Summarise groups the finished outcomes by value, in the value order, averaging the
// metrics; each value expects seeds runs.
func Summarise(values []string, seeds int, outcomes []Outcome) []Row {
	rows := make([]Row, len(values))
	counts := make([]map[string]int, len(values))
	for i, v := range values {
		rows[i] = Row{Value: v, Expected: seeds, Mean: map[string]float64{}}
		counts[i] = map[string]int{}
	}
	for _, o := range outcomes {
		if !o.Done {
			continue
		}
		r := &rows[o.Index]
		r.Runs++
		if o.Err != nil {
			r.Failures++
			r.Errors = append(r.Errors, o.Err)
			continue
		}
		if !o.OK {
			r.Failures++
		}
		for k, x := range o.Metrics {
			if math.IsNaN(x) { // undefined for this seed (see slo.FromRun)
				x = 0
			} else {
				counts[o.Index][k]++
			}
			r.Mean[k] += x
		}
	}
	for i := range rows {
		for k := range rows[i].Mean {
			if n := counts[i][k]; n > 0 {
				rows[i].Mean[k] /= float64(n)
			} else {
				rows[i].Mean[k] = math.NaN()
			}
		}
	}
	return rows
}

// Knee returns the index of the first row whose objective fails for a strict majority of
// its seeds, or -1 when every row passes. decided is false when a row before the knee
// (or any row, with no knee) has not finished all its runs: the knee may lie there.
func Knee(rows []Row) (knee int, decided bool) {
	for i, r := range rows {
		if !r.Complete() {
			return -1, false
		}
		if r.Fails() {
			return i, true
		}
	}
	return -1, true
}
