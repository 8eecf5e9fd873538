package sweep

import (
	"context"
	"errors"
	"math"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseParam(t *testing.T) {
	tests := []struct {
		in   string
		key  string
		vals []string
	}{
		{"clients=500..2000:500", "clients", []string{"500", "1000", "1500", "2000"}},
		{"clients=500..1900:500", "clients", []string{"500", "1000", "1500"}},
		{"clients=10..10:1", "clients", []string{"10"}},
		{"capacity=4000..2500:500", "capacity", []string{"4000", "3500", "3000", "2500"}},
		{"origin.capacity_mbps=0.1..0.3:0.1", "origin.capacity_mbps", []string{"0.1", "0.2", "0.3"}},
		{"x=0..1:0.25", "x", []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{"seg=2,4,6", "seg", []string{"2", "4", "6"}},
		{" duration = 1m, 2m ", "duration", []string{"1m", "2m"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, err := ParseParam(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.key, p.Key)
			assert.Equal(t, tc.vals, p.Values)
		})
	}
}

func TestParseParamErrors(t *testing.T) {
	tests := []struct{ in, contains string }{
		{"clients", "expected key=start..end:step"},
		{"=1..2:1", "expected key"},
		{"clients=", "expected key"},
		{"clients=1..10", "no step"},
		{"clients=a..10:1", `start "a"`},
		{"clients=1..b:1", `end "b"`},
		{"clients=1..10:0", "must be > 0"},
		{"clients=1..10:-1", "must be > 0"},
		{"clients=0..1000000:1", "at most"},
		{"clients=1,,2", "empty value"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseParam(tc.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.contains)
		})
	}
}

func TestPointsOrder(t *testing.T) {
	pts := Points([]string{"a", "b"}, 3, 7)
	require.Len(t, pts, 6)
	assert.Equal(t, Point{0, 0, "a", 7}, pts[0])
	assert.Equal(t, Point{2, 0, "a", 9}, pts[2])
	assert.Equal(t, Point{3, 1, "b", 7}, pts[3])
}

// The capacity is 1000: a point fails when value > capacity, except that seed 2 is
// "lucky" and passes one step beyond. The knee is the first value failing for most seeds.
func TestRunAndKnee(t *testing.T) {
	p, err := ParseParam("clients=250..2000:250")
	require.NoError(t, err)
	pts := Points(p.Values, 3, 1)
	var calls atomic.Int64
	run := func(_ context.Context, pt Point) (Outcome, bool) {
		calls.Add(1)
		v, err := strconv.Atoi(pt.Value)
		if err != nil {
			return Outcome{Err: err}, true
		}
		limit := 1000
		if pt.Seed == 2 {
			limit = 1250
		}
		return Outcome{OK: v <= limit, Metrics: map[string]float64{"load": float64(v) / 1000}}, true
	}
	var finished atomic.Int64
	for _, workers := range []int{1, 2, 4} {
		finished.Store(0)
		out := Run(context.Background(), pts, workers, run, func(Outcome) { finished.Add(1) })
		require.Len(t, out, len(pts))
		assert.EqualValues(t, len(pts), finished.Load())
		for i := range out {
			assert.Equal(t, pts[i], out[i].Point, "outcomes keep the point order")
			assert.True(t, out[i].Done)
		}
		rows := Summarise(p.Values, 3, out)
		require.Len(t, rows, 8)
		assert.Equal(t, 3, rows[0].Runs)
		assert.InDelta(t, 0.25, rows[0].Mean["load"], 1e-12)
		// 1250: seeds 1 and 3 fail, seed 2 passes: 2 of 3 fail -> knee.
		assert.Equal(t, 2, rows[4].Failures)
		k, decided := Knee(rows)
		require.True(t, decided)
		require.Equal(t, 4, k)
		assert.Equal(t, "1250", rows[k].Value)
	}
	assert.EqualValues(t, 3*len(pts), calls.Load())
}

func TestKneeNoneAndErrors(t *testing.T) {
	rows := Summarise([]string{"1", "2"}, 1, []Outcome{
		{Point: Point{0, 0, "1", 1}, Done: true, OK: true},
		{Point: Point{1, 1, "2", 1}, Done: true, OK: true},
	})
	k, decided := Knee(rows)
	assert.Equal(t, -1, k)
	assert.True(t, decided)

	// A run that errors counts as a failure and is reported.
	rows = Summarise([]string{"1"}, 1, []Outcome{{Point: Point{0, 0, "1", 1}, Done: true, Err: errors.New("boom")}})
	assert.True(t, rows[0].Fails())
	assert.Len(t, rows[0].Errors, 1)

	// A tie (1 of 2 seeds) is not a majority.
	rows = Summarise([]string{"1"}, 2, []Outcome{{Point: Point{0, 0, "1", 1}, Done: true, OK: true}, {Point: Point{1, 0, "1", 2}, Done: true, OK: false}})
	assert.False(t, rows[0].Fails())
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pts := Points([]string{"1", "2", "3"}, 1, 1)
	out := Run(ctx, pts, 2, func(context.Context, Point) (Outcome, bool) { return Outcome{OK: true}, true }, nil)
	for i, o := range out {
		assert.False(t, o.Done, "nothing starts once the context has ended")
		assert.Equal(t, pts[i], o.Point)
	}
}

// A metric undefined for a seed (NaN: no client to measure) is left out of
// its mean rather than making it NaN; with no seed defining it, the mean is
// NaN (printed n/a).
func TestSummariseLeavesOutUndefinedValues(t *testing.T) {
	rows := Summarise([]string{"1"}, 3, []Outcome{
		{Point: Point{0, 0, "1", 1}, Done: true, Metrics: map[string]float64{"stalled_ratio": 0.1, "playing_ratio": math.NaN()}},
		{Point: Point{1, 0, "1", 2}, Done: true, Metrics: map[string]float64{"stalled_ratio": math.NaN(), "playing_ratio": math.NaN()}},
		{Point: Point{2, 0, "1", 3}, Done: true, Metrics: map[string]float64{"stalled_ratio": 0.3, "playing_ratio": math.NaN()}},
	})
	assert.InDelta(t, 0.2, rows[0].Mean["stalled_ratio"], 1e-12)
	assert.True(t, math.IsNaN(rows[0].Mean["playing_ratio"]))
}

// A point interrupted by the end of the context is not Done; the points finished before
// are, and a row with runs missing is incomplete: it is not a verdict, and a knee after it
// is not decided.
func TestRunInterruptedKeepsFinishedPoints(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pts := Points([]string{"1", "2", "3"}, 2, 1) // 6 points
	run := func(ctx context.Context, pt Point) (Outcome, bool) {
		if pt.Seq == 2 { // the third point is interrupted: it cancels and reports so
			cancel()
			return Outcome{}, false
		}
		return Outcome{OK: pt.Value != "1"}, true
	}
	out := Run(ctx, pts, 1, run, nil)
	var done []int
	for _, o := range out {
		if o.Done {
			done = append(done, o.Seq)
		}
	}
	assert.Equal(t, []int{0, 1}, done, "one worker: the two points before the interruption")
	rows := Summarise([]string{"1", "2", "3"}, 2, out)
	assert.True(t, rows[0].Complete())
	assert.True(t, rows[0].Fails(), "both seeds of value 1 fail")
	assert.False(t, rows[1].Complete())
	assert.Equal(t, 0, rows[1].Runs)
	k, decided := Knee(rows)
	assert.Equal(t, 0, k, "the first row is complete and fails: the knee is known")
	assert.True(t, decided)

	// The same with value 1 passing: the knee may lie in the unfinished rows.
	for i := range out {
		out[i].OK = true
	}
	k, decided = Knee(Summarise([]string{"1", "2", "3"}, 2, out))
	assert.Equal(t, -1, k)
	assert.False(t, decided)
}
