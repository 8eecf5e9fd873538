package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNiceScale(t *testing.T) {
	cases := []struct {
		v     float64
		n     int
		max   float64
		ticks int
	}{
		{0, 4, 1, 5},         // empty chart: 0..1 in 0.25 steps
		{1, 4, 1, 5},         // step 0.25
		{7, 4, 8, 5},         // raw 1.75 -> step 2 -> 0,2,4,6,8
		{95, 4, 100, 5},      // raw 23.75 -> step 25
		{101, 4, 150, 4},     // raw 25.25 -> step 50
		{0.003, 4, 0.003, 4}, // raw 0.00075 -> step 0.001
	}
	for _, tc := range cases {
		max, ticks := NiceScale(tc.v, tc.n)
		assert.GreaterOrEqual(t, max, tc.v)
		assert.Equal(t, max, ticks[len(ticks)-1])
		assert.Equal(t, 0.0, ticks[0])
		assert.InDelta(t, tc.max, max, 1e-12, "v=%v", tc.v)
		assert.Len(t, ticks, tc.ticks, "v=%v", tc.v)
	}
}

func TestTimeTicks(t *testing.T) {
	assert.Equal(t, []float64{0, 10, 20, 30, 40, 50, 60}, TimeTicks(0, 60, 6))
	assert.Equal(t, []float64{0, 120, 240, 360, 480, 600}, TimeTicks(0, 600, 6))
	assert.Equal(t, []float64{30, 60, 90}, TimeTicks(25, 95, 3))
	assert.Nil(t, TimeTicks(5, 5, 3))
}

func TestChartGeometryMapsAndInverts(t *testing.T) {
	d := &ChartData{
		Times: []float64{0, 1, 2, 3},
		Lines: []Line{{Values: []float64{0, 10, 40, 70}}},
		Now:   30,
	}
	g := ComputeChart(Rect{100, 50, 600, 200}, d)
	assert.Equal(t, 60.0, g.T1, "early runs show at least a minute")
	assert.Equal(t, 80.0, g.YMax, "raw step 17.5 -> 20, 4 ticks")
	assert.Equal(t, 100.0, g.X(0))
	assert.Equal(t, 400.0, g.X(30))
	assert.Equal(t, 250.0, g.Y(0))
	assert.Equal(t, 50.0, g.Y(80))
	assert.Equal(t, 150.0, g.Y(40))
	assert.Equal(t, 50.0, g.Y(1000), "values above the axis are clipped")
	assert.InDelta(t, 30, g.T(400), 1e-9)

	d.Times = append(d.Times, 600)
	d.Lines[0].Values = append(d.Lines[0].Values, 0)
	g = ComputeChart(Rect{100, 50, 600, 200}, d)
	assert.Equal(t, 600.0, g.T1, "the axis ends at the last sample")
}

func TestPolylineDecimationKeepsSpikes(t *testing.T) {
	n := 10000
	times := make([]float64, n)
	values := make([]float64, n)
	for i := range n {
		times[i] = float64(i)
		values[i] = 1
	}
	values[5001] = 50 // one spike
	g := ComputeChart(Rect{0, 0, 100, 100}, &ChartData{Times: times, Lines: []Line{{Values: values}}, Now: float64(n - 1)})
	pts := g.Polyline(nil, times, values)
	assert.LessOrEqual(t, len(pts), 2*101+2, "at most two points per column")
	top := float32(1e9)
	for _, p := range pts {
		top = min(top, p[1])
	}
	assert.InDelta(t, g.Y(50), float64(top), 1e-3, "the spike survives decimation")

	few := g.Polyline(nil, times[:3], values[:3])
	assert.Len(t, few, 3, "short series are drawn point by point")
}

func TestBandRectAndHover(t *testing.T) {
	g := ComputeChart(Rect{0, 0, 600, 100}, &ChartData{Times: []float64{0, 600}, Lines: []Line{{Values: []float64{0, 0}}}})
	r, ok := g.BandRect(Band{Start: 120, End: 180})
	require.True(t, ok)
	assert.Equal(t, Rect{120, 0, 60, 100}, r)
	r, ok = g.BandRect(Band{Start: 300, End: 300}) // instant event
	require.True(t, ok)
	assert.Equal(t, 2.0, r.W)
	r, ok = g.BandRect(Band{Start: 550, End: 700}) // runs past the axis
	require.True(t, ok)
	assert.Equal(t, 50.0, r.W)
	_, ok = g.BandRect(Band{Start: 700, End: 800})
	assert.False(t, ok)

	times := []float64{0, 10, 20, 30}
	i, ok := g.HoverIndex(times, 14)
	require.True(t, ok)
	assert.Equal(t, 1, i)
	i, _ = g.HoverIndex(times, 16)
	assert.Equal(t, 2, i)
	i, _ = g.HoverIndex(times, 500)
	assert.Equal(t, 3, i)
	_, ok = g.HoverIndex(times, -5)
	assert.False(t, ok)

	bands := []Band{{Start: 10, End: 20, Kind: "outage"}, {Start: 15, End: 40, Kind: "error_burst"}}
	assert.Len(t, BandsAt(bands, 17), 2)
	assert.Len(t, BandsAt(bands, 30), 1)
	assert.Empty(t, BandsAt(bands, 50))
	assert.Equal(t, ColRed, EventColor("outage"))
}

func TestPolylineBreaksAtGaps(t *testing.T) {
	times := []float64{0, 10, 20, 30, 40, 50}
	values := []float64{1, 2, Gap, Gap, 3, 4}
	g := ComputeChart(Rect{0, 0, 600, 100}, &ChartData{Times: times, Lines: []Line{{Values: values}}})
	pts := g.Polyline(nil, times, values)
	require.Len(t, pts, 5, "four points and one break")
	assert.True(t, IsBreak(pts[2]), "the line is not drawn through the gap")
	assert.Equal(t, float32(g.X(10)), pts[1][0])
	assert.Equal(t, float32(g.X(40)), pts[3][0], "the line resumes at the next reading")
	for _, i := range []int{0, 1, 3, 4} {
		assert.False(t, IsBreak(pts[i]))
		assert.Less(t, pts[i][1], float32(g.Y(0)), "no point drops to 0")
	}

	// Leading and trailing gaps add no break; an all-gap line has no points.
	pts = g.Polyline(nil, times, []float64{Gap, 1, 2, Gap, Gap, Gap})
	assert.Len(t, pts, 2)
	assert.Empty(t, g.Polyline(nil, times, []float64{Gap, Gap, Gap, Gap, Gap, Gap}))

	// Decimated (many samples per column): a gap still breaks the line.
	n := 10000
	times, values = make([]float64, n), make([]float64, n)
	for i := range n {
		times[i], values[i] = float64(i), 5
		if i >= 4000 && i < 6000 {
			values[i] = Gap
		}
	}
	g = ComputeChart(Rect{0, 0, 100, 100}, &ChartData{Times: times, Lines: []Line{{Values: values}}})
	pts = g.Polyline(nil, times, values)
	breaks := 0
	for _, p := range pts {
		if IsBreak(p) {
			breaks++
			continue
		}
		assert.InDelta(t, g.Y(5), float64(p[1]), 1e-3)
	}
	assert.Equal(t, 1, breaks)
	want, _ := NiceScale(5, 4)
	assert.Equal(t, want, g.YMax, "gaps do not count towards the axis")
}

func TestValueTextSaysNoSamplesAtAGap(t *testing.T) {
	d := &ChartData{Format: FormatSeconds, Lines: []Line{{Name: "p50", Values: []float64{0.25, Gap}}}}
	assert.Equal(t, "p50: "+FormatSeconds(0.25), d.ValueText(0, 0))
	assert.Equal(t, "p50: no samples", d.ValueText(0, 1))
	assert.Equal(t, "p50: no samples", d.ValueText(0, 2), "past the end")
}

func TestLabelCenterKeepsTickLabelsInsideThePanel(t *testing.T) {
	// A 40 px label within 100..500.
	assert.Equal(t, 300.0, LabelCenter(300, 40, 100, 500), "room on both sides: centred on its tick")
	assert.Equal(t, 480.0, LabelCenter(495, 40, 100, 500), "at the right edge: ends at 500")
	assert.Equal(t, 120.0, LabelCenter(101, 40, 100, 500), "at the left edge: starts at 100")
}
