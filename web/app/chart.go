package app

import (
	"image/color"
	"math"
	"sort"
)

// Gap is the value of a sample that has no reading (no latency samples in
// the interval, no client with a speed reading): the line is broken there
// and the hover read-out says "no samples", instead of drawing a 0 that
// reads as "latency improved" or "no drift".
var Gap = math.NaN()

// IsGap reports whether v is a Gap.
func IsGap(v float64) bool { return math.IsNaN(v) }

// Line is one series of a chart: a value per sample time (Gap where the
// sample has no reading).
type Line struct {
	Name   string
	Color  color.RGBA
	Values []float64
}

// Band is a scenario event shaded on a chart's time axis.
type Band struct {
	Start, End float64 // seconds of virtual time
	Kind       string
	Caption    string
	Color      color.RGBA
	Live       bool // injected live rather than scripted
}

// ChartData is what one chart shows: lines over common sample times, and
// the event bands.
type ChartData struct {
	Title  string
	Format func(float64) string // formats a value for the axis and hover
	Times  []float64            // sample times, seconds, ascending
	Lines  []Line
	Bands  []Band
	// Now is the current virtual time.
	Now float64
	// Markers are moments marked on the time axis (a drill's start as the
	// trainee marked it, the fault's start at the reveal); Highlight, when
	// set, outlines a window of it (the drill's evidence at the reveal).
	Markers   []Marker
	Highlight *Highlight
}

// Marker is a moment marked on a chart's time axis with a vertical line and
// a label.
type Marker struct {
	T     float64 // seconds of virtual time
	Label string
	Color color.RGBA
}

// Highlight is a window (From, To] of a chart's time axis, outlined with a
// label.
type Highlight struct {
	From, To float64 // seconds of virtual time
	Label    string
}

// HighlightRect is the plot area of a highlighted window, clipped to the
// axis; false when the window lies outside it.
func (g ChartGeometry) HighlightRect(h Highlight) (Rect, bool) {
	return g.BandRect(Band{Start: h.From, End: h.To})
}

// ValueText is the hover read-out of line j at sample i: the formatted
// value, or "no samples" at a Gap.
func (d *ChartData) ValueText(j, i int) string {
	ln := d.Lines[j]
	if i < 0 || i >= len(ln.Values) || IsGap(ln.Values[i]) {
		return ln.Name + ": no samples"
	}
	return ln.Name + ": " + d.Format(ln.Values[i])
}

// ChartGeometry maps data to pixels inside a plot rectangle.
type ChartGeometry struct {
	Plot      Rect
	T0, T1    float64 // x range, seconds
	YMax      float64 // y range is [0, YMax]
	YTicks    []float64
	TimeTicks []float64
}

// MinWindow is the shortest time axis (seconds): early in a run the axis
// spans at least this, so the lines grow from the left.
const MinWindow = 60.0

// ComputeChart fits data into plot.
func ComputeChart(plot Rect, d *ChartData) ChartGeometry {
	// The axis ends at the last sample (not at Now), so a chart only
	// changes when a sample arrives and can be cached between samples.
	g := ChartGeometry{Plot: plot, T0: 0, T1: MinWindow}
	if n := len(d.Times); n > 0 && d.Times[n-1] > g.T1 {
		g.T1 = d.Times[n-1]
	}
	maxV := 0.0
	for _, l := range d.Lines {
		for _, v := range l.Values {
			if v > maxV && !math.IsInf(v, 0) {
				maxV = v
			}
		}
	}
	g.YMax, g.YTicks = NiceScale(maxV, 4)
	g.TimeTicks = TimeTicks(g.T0, g.T1, int(math.Max(2, plot.W/(90))))
	return g
}

// X maps a time to a pixel column.
func (g ChartGeometry) X(t float64) float64 {
	if g.T1 <= g.T0 {
		return g.Plot.X
	}
	return g.Plot.X + (t-g.T0)/(g.T1-g.T0)*g.Plot.W
}

// Y maps a value to a pixel row (0 at the bottom of the plot).
func (g ChartGeometry) Y(v float64) float64 {
	if g.YMax <= 0 {
		return g.Plot.Bottom()
	}
	v = math.Max(0, math.Min(v, g.YMax))
	return g.Plot.Bottom() - v/g.YMax*g.Plot.H
}

// T maps a pixel column back to a time.
func (g ChartGeometry) T(x float64) float64 {
	if g.Plot.W <= 0 {
		return g.T0
	}
	return g.T0 + (x-g.Plot.X)/g.Plot.W*(g.T1-g.T0)
}

// NiceScale returns a "nice" axis maximum >= v (1, 2, 2.5 or 5 x 10^k per
// tick) and the tick values from 0, for about n intervals. v <= 0 gives
// [0, 1].
func NiceScale(v float64, n int) (max float64, ticks []float64) {
	if n < 1 {
		n = 1
	}
	if !(v > 0) || math.IsInf(v, 0) {
		v = 1
	}
	raw := v / float64(n)
	mag := 1.0
	for mag*10 <= raw {
		mag *= 10
	}
	for mag > raw {
		mag /= 10
	}
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if mag*m >= raw {
			step = mag * m
			break
		}
	}
	count := int(math.Ceil(v/step - 1e-9))
	if count < 1 {
		count = 1
	}
	for i := 0; i <= count; i++ {
		ticks = append(ticks, float64(i)*step)
	}
	return float64(count) * step, ticks
}

// TimeTicks returns tick times in [t0, t1] at a round step (5 s, 10 s, 30 s,
// 1 min, 2 min, 5 min, 10 min, 30 min, 1 h, ...) giving at most n ticks.
func TimeTicks(t0, t1 float64, n int) []float64 {
	if n < 1 || t1 <= t0 {
		return nil
	}
	steps := []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if (t1-t0)/s <= float64(n) {
			step = s
			break
		}
	}
	var out []float64
	for t := math.Ceil(t0/step) * step; t <= t1+1e-9; t += step {
		out = append(out, t)
	}
	return out
}

// Break is the point Polyline puts between two runs of a line separated
// by Gaps; IsBreak recognises it.
var Break = [2]float32{float32(math.NaN()), float32(math.NaN())}

// IsBreak reports whether p is a Break.
func IsBreak(p [2]float32) bool { return p[0] != p[0] }

// Polyline returns the pixel points of a line, decimated to at most about
// two points per pixel column: in each column it keeps the first, min and
// max values so spikes are not lost. Gap values are left out and a Break
// separates the runs on either side of them, so the line is not drawn
// through a gap. It appends to dst.
func (g ChartGeometry) Polyline(dst [][2]float32, times, values []float64) [][2]float32 {
	n := min(len(times), len(values))
	decimate := float64(n) > 2*g.Plot.W && g.Plot.W > 0
	emitted, gap := false, false
	emit := func(t, v float64) {
		if gap && emitted {
			dst = append(dst, Break)
		}
		gap, emitted = false, true
		dst = append(dst, [2]float32{float32(g.X(t)), float32(g.Y(v))})
	}
	open := false // a decimation column is pending
	var col, lo, hi, loT, hiT float64
	flush := func() {
		if !open {
			return
		}
		open = false
		a, b := loT, hiT
		av, bv := lo, hi
		if a > b {
			a, b, av, bv = b, a, bv, av
		}
		emit(a, av)
		if b != a {
			emit(b, bv)
		}
	}
	for i := range n {
		v := values[i]
		if IsGap(v) {
			flush()
			gap = true
			continue
		}
		if !decimate {
			emit(times[i], v)
			continue
		}
		c := math.Floor(g.X(times[i]))
		if open && c == col {
			if v < lo {
				lo, loT = v, times[i]
			}
			if v > hi {
				hi, hiT = v, times[i]
			}
			continue
		}
		flush()
		open, col = true, c
		lo, hi, loT, hiT = v, v, times[i], times[i]
	}
	flush()
	return dst
}

// BandRect returns the pixel rectangle of a band clipped to the plot, and
// whether any of it is visible.
func (g ChartGeometry) BandRect(b Band) (Rect, bool) {
	x0 := math.Max(g.X(b.Start), g.Plot.X)
	x1 := math.Min(g.X(b.End), g.Plot.Right())
	if x1-x0 < 1 {
		// Instant events (add/remove clients) still get a visible 2 px mark.
		if x0 >= g.Plot.X && x0 <= g.Plot.Right() {
			return Rect{x0 - 1, g.Plot.Y, 2, g.Plot.H}, true
		}
		return Rect{}, false
	}
	return Rect{x0, g.Plot.Y, x1 - x0, g.Plot.H}, true
}

// HoverIndex returns the sample nearest to pixel column x.
func (g ChartGeometry) HoverIndex(times []float64, x float64) (int, bool) {
	if len(times) == 0 || !g.Plot.Contains(x, g.Plot.Y) {
		return 0, false
	}
	t := g.T(x)
	i := sort.SearchFloat64s(times, t)
	switch {
	case i == 0:
		return 0, true
	case i >= len(times):
		return len(times) - 1, true
	case t-times[i-1] <= times[i]-t:
		return i - 1, true
	default:
		return i, true
	}
}

// BandsAt returns the bands covering time t.
func BandsAt(bands []Band, t float64) []Band {
	var out []Band
	for _, b := range bands {
		if t >= b.Start && t <= b.End {
			out = append(out, b)
		}
	}
	return out
}

// EventColor is the shading colour of an event kind.
func EventColor(kind string) color.RGBA {
	switch kind {
	case "outage":
		return ColRed
	case "error_burst":
		return ColAmber
	case "capacity", "bandwidth_drop":
		return ColPurple
	case "latency_spike":
		return ColCyan
	case "stale_playlist":
		return ColBlue
	default:
		return ColMuted
	}
}

// LabelCenter is where to centre a label of width w meant to be centred at
// x so that it stays within lo..hi: the right-most time tick's label no
// longer runs past its panel.
func LabelCenter(x, w, lo, hi float64) float64 {
	return math.Max(lo+w/2, math.Min(x, hi-w/2))
}
