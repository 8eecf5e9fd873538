package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"swarmsim/internal/palette"
)

// Line is one curve of a chart: Y over X (X in seconds of virtual time).
type Line struct {
	Label    string
	X, Y     []float64
	Baseline bool // drawn dashed and lighter: the run being compared against
	// Color is the line's colour from the shared palette (a client state's,
	// a level's); unset, the line takes the next of palette.Lines.
	Color color.RGBA
}

// Band is a time window (seconds) shaded on every chart, labelled with a caption.
// A band with From == To is drawn as a vertical marker.
type Band struct {
	From, To float64
	Label    string
}

// Chart is one time-series chart of the report.
type Chart struct {
	ID     string // anchor and test hook
	Title  string
	YLabel string
	Lines  []Line
	Bands  []Band
	XMax   float64 // end of the run in seconds (the x axis spans 0..XMax)
}

// maxPointsPerLine bounds the points drawn per line; longer series are averaged into
// this many buckets so that a 48 h run still makes a small file.
const maxPointsPerLine = 1500

// nrgba is an opaque palette colour for gonum/plot.
func nrgba(c color.RGBA) color.NRGBA { return color.NRGBA{c.R, c.G, c.B, 0xff} }

var bandColor = color.NRGBA{0xF5, 0x9E, 0x0B, 0x38}
var bandEdge = color.RGBA{0xD9, 0x77, 0x06, 0xff}

// SVG draws the chart with gonum/plot and returns the SVG element (without the XML
// declaration, ready to inline in HTML).
func (c Chart) SVG(width, height vg.Length) ([]byte, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = "virtual time"
	p.X.Tick.Marker = timeTicks{}
	p.Y.Label.Text = c.YLabel
	p.X.Min, p.X.Max = 0, math.Max(c.XMax, 1)
	p.Add(plotter.NewGrid())

	ymax := 0.0
	for _, l := range c.Lines {
		for _, y := range l.Y {
			if !math.IsNaN(y) && !math.IsInf(y, 0) {
				ymax = math.Max(ymax, y)
			}
		}
	}
	p.Y.Min = 0
	p.Y.Max = ymax * 1.15
	if p.Y.Max == 0 {
		p.Y.Max = 1
	}
	p.Add(&bands{bands: c.Bands})

	for i, l := range c.Lines {
		st := c.style(i)
		// A stretch without values (NaN: no request completed, no reading)
		// is a gap in the line, not a drop to 0 nor a bridge across it.
		for _, xys := range decimate(l.X, l.Y, maxPointsPerLine) {
			if len(xys) == 1 {
				// A lone value between gaps: a dot, so that it shows.
				sc, serr := plotter.NewScatter(xys)
				if serr != nil {
					return nil, fmt.Errorf("chart %q, line %q: %w", c.Title, l.Label, serr)
				}
				sc.GlyphStyle.Color = st.color
				sc.GlyphStyle.Radius = vg.Points(1)
				sc.GlyphStyle.Shape = draw.CircleGlyph{}
				p.Add(sc)
				continue
			}
			line, err := plotter.NewLine(xys)
			if err != nil {
				return nil, fmt.Errorf("chart %q, line %q: %w", c.Title, l.Label, err)
			}
			line.LineStyle.Color = st.color
			line.LineStyle.Width = vg.Points(1.2)
			if st.dashed {
				line.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			p.Add(line)
		}
	}

	canvas := vgsvg.New(width, height)
	p.Draw(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: %w", c.Title, err)
	}
	out := buf.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i > 0 {
		out = out[i:]
	}
	return out, nil
}

type lineStyle struct {
	color  color.NRGBA
	dashed bool
}

// style is line i's colour: the palette in order for the run's lines; a baseline line
// takes the colour of the run's line with the same label (without "baseline "),
// lighter and dashed.
func (c Chart) style(i int) lineStyle {
	l := c.Lines[i]
	if l.Baseline {
		for j, m := range c.Lines {
			if !m.Baseline && "baseline "+m.Label == l.Label {
				col := c.style(j).color
				col.A = 0x99
				return lineStyle{col, true}
			}
		}
	}
	n := 0
	for j := 0; j < i; j++ {
		if !c.Lines[j].Baseline && c.Lines[j].Color == (color.RGBA{}) {
			n++
		}
	}
	col := nrgba(palette.Lines[n%len(palette.Lines)])
	if l.Color != (color.RGBA{}) {
		col = nrgba(l.Color)
	}
	if l.Baseline {
		col.A = 0x99
	}
	return lineStyle{col, l.Baseline}
}

// LegendEntry is one line's key, drawn in HTML under the chart.
type LegendEntry struct {
	Label  string
	Color  string // #rrggbb
	Dashed bool
}

// Legend lists the chart's lines with their colours.
func (c Chart) Legend() []LegendEntry {
	out := make([]LegendEntry, len(c.Lines))
	for i, l := range c.Lines {
		st := c.style(i)
		out[i] = LegendEntry{Label: l.Label, Color: fmt.Sprintf("#%02x%02x%02x", st.color.R, st.color.G, st.color.B), Dashed: st.dashed}
	}
	return out
}

// decimate returns the line's runs of values, at most n points in all, averaging
// consecutive points into buckets. A value that is NaN or infinite is no value: a
// bucket without any ends the run it would continue, so the line shows a gap there.
func decimate(xs, ys []float64, n int) []plotter.XYs {
	m := min(len(xs), len(ys))
	per := 1
	if m > n {
		per = (m + n - 1) / n
	}
	var runs []plotter.XYs
	var cur plotter.XYs
	for i := 0; i < m; i += per {
		var sx, sy float64
		k := 0
		for j := i; j < min(i+per, m); j++ {
			if math.IsNaN(ys[j]) || math.IsInf(ys[j], 0) {
				continue
			}
			sx += xs[j]
			sy += ys[j]
			k++
		}
		if k == 0 {
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: sx / float64(k), Y: sy / float64(k)})
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// bands is a plot.Plotter shading event windows across the full height of the chart
// and writing each caption at the top of its window.
type bands struct{ bands []Band }

func (b *bands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := draw.TextStyle{
		Color:   bandEdge,
		Font:    font.From(plot.DefaultFont, 7),
		Handler: p.TextHandler,
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
	}
	edge := draw.LineStyle{Color: bandEdge, Width: vg.Points(0.6)}
	for i, band := range b.bands {
		x0, x1 := trX(band.From), trX(band.To)
		if x1 < c.Min.X || x0 > c.Max.X {
			continue
		}
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		if x1-x0 >= vg.Points(0.5) {
			c.FillPolygon(bandColor, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
		}
		c.StrokeLine2(edge, x0, c.Min.Y, x0, c.Max.Y)
		label := shorten(band.Label, 48)
		// Stagger labels vertically so that neighbouring windows do not overwrite each other.
		y := c.Max.Y - vg.Points(2) - vg.Points(9)*vg.Length(i%4)
		c.FillText(sty, vg.Point{X: x0 + vg.Points(2), Y: y}, label)
	}
}

func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// timeTicks marks the x axis (seconds) at round durations, labelled 30s, 5m, 1h30m.
type timeTicks struct{}

var tickSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

func (timeTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= 10 {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: durationLabel(v)})
	}
	return ticks
}

// durationLabel writes seconds as a short duration: 0, 45s, 5m, 1h30m, 2m30s.
func durationLabel(sec float64) string {
	s := int64(math.Round(sec))
	if s == 0 {
		return "0"
	}
	h, m, r := s/3600, (s/60)%60, s%60
	out := ""
	if h > 0 {
		out += fmt.Sprintf("%dh", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dm", m)
	}
	if r > 0 {
		out += fmt.Sprintf("%ds", r)
	}
	return out
}
