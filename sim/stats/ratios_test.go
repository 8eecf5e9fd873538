package stats

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSpeedRatios measures the speed goals of sim/stats as ratios in
// one interleaved run: the things compared run alternately, round after
// round, in the same process, and each ratio is the median over the
// rounds of (the other's time / sim/stats's time). It prints a table and
// reports each ratio as a metric; it asserts nothing (timing never gates
// the tests). Run it with
//
//	go test -run '^$' -bench '^BenchmarkSpeedRatios$' -benchtime 1x ./sim/stats/
func BenchmarkSpeedRatios(b *testing.B) {
	for b.Loop() {
		var rows []ratioRow
		for _, n := range []int{10, 100, 1000, 10_000} {
			ours := newBenchAggregator(n)
			var dst AggregatedStats
			ours.AggregateInto(&dst, AggregateOptions{})
			base := newRealDesignSwarm(n) // the stand-in for the real tool
			goal := 3.0
			if n >= 1000 {
				goal = 10
			}
			r := interleave(ratioRounds, ratioSlice,
				func() { realDesignSink = base.Aggregate() },
				func() { aggregateSink = ours.Aggregate() },
				func() { ours.AggregateInto(&dst, AggregateOptions{}) })
			rows = append(rows,
				ratioRow{fmt.Sprintf("Aggregate, %d clients: real design / sim/stats", n), medianRatio(r[0], r[1]), fmt.Sprintf(">= %gx", goal)},
				ratioRow{fmt.Sprintf("AggregateInto, %d clients: real design / sim/stats", n), medianRatio(r[0], r[2]), ""})
		}
		// RecordHTTPError against a bare atomic add on counters laid out
		// and visited alike (128 codes in turn), so that only the work
		// around the add differs
		s := NewClientStats(0)
		var v [HTTPErrorSlots]atomic.Int64
		i, j := 0, 0
		r := interleave(ratioRounds, ratioSlice,
			func() {
				for k := 0; k < 1000; k++ {
					v[j&127].Add(1)
					j++
				}
			},
			func() {
				for k := 0; k < 1000; k++ {
					s.RecordHTTPError(400 + i&127)
					i++
				}
			})
		rows = append(rows, ratioRow{"RecordHTTPError / atomic.Int64.Add", medianRatio(r[1], r[0]), "<= 1.3x"})
		printRatios(b, rows)
	}
}

// The snapshots are kept, as a caller of Aggregate keeps them (a result
// thrown away could live on the stack).
var (
	realDesignSink *realDesignSnapshot
	aggregateSink  *AggregatedStats
)

const (
	ratioRounds = 15
	ratioSlice  = 20 * time.Millisecond // time given to each contender per round
)

type ratioRow struct {
	what  string
	ratio float64
	goal  string
}

// interleave runs each of fns for about slice per round, alternately, for
// rounds rounds, and returns each one's time per call in every round.
func interleave(rounds int, slice time.Duration, fns ...func()) [][]float64 {
	// calls per round: calibrated once, so that every round does the
	// same work
	calls := make([]int, len(fns))
	for i, fn := range fns {
		n := 1
		for {
			start := time.Now()
			for range n {
				fn()
			}
			if el := time.Since(start); el >= slice/4 {
				calls[i] = max(1, int(float64(n)*float64(slice)/float64(el)))
				break
			}
			n *= 2
		}
	}
	per := make([][]float64, len(fns))
	for range rounds {
		for i, fn := range fns {
			start := time.Now()
			for range calls[i] {
				fn()
			}
			per[i] = append(per[i], float64(time.Since(start))/float64(calls[i]))
		}
	}
	return per
}

// medianRatio returns the median over the rounds of a[i] / b[i].
func medianRatio(a, b []float64) float64 {
	r := make([]float64, len(a))
	for i := range a {
		r[i] = a[i] / b[i]
	}
	slices.Sort(r)
	return r[len(r)/2]
}

func printRatios(b *testing.B, rows []ratioRow) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-52s %8s  %s\n", "ratio", "value", "goal")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-52s %7.2fx  %s\n", r.what, r.ratio, r.goal)
	}
	fmt.Print(sb.String()) // (b.Log would cut the table short)
}
