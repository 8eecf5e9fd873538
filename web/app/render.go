//go:build js

package app

import (
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"swarmsim/sim/stats"
)

// Renderer draws the dashboard's widgets from plain data. It owns the fonts
// and a few reusable buffers; it is not safe for concurrent use (Ebiten
// draws on one goroutine).
type Renderer struct {
	regular, mono *opentype.Font
	faces         map[faceKey]*text.GoXFace

	white *ebiten.Image // 1x1 white source for triangles

	gridImg *ebiten.Image
	gridPix []byte

	path  vector.Path
	verts []ebiten.Vertex
	idx   []uint16
	pts   [][2]float32
}

type faceKey struct {
	mono bool
	size float64
}

// NewRenderer loads the Go fonts. They are rasterised by x/image's
// opentype package through text/v2's GoXFace: text/v2's own shaper
// (go-text) would add 0.7 MB to the compressed wasm, and the dashboard only
// needs Latin text.
func NewRenderer() (*Renderer, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	mono, err := opentype.Parse(gomono.TTF)
	if err != nil {
		return nil, err
	}
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	return &Renderer{
		regular: reg,
		mono:    mono,
		faces:   map[faceKey]*text.GoXFace{},
		white:   white.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
	}, nil
}

func (r *Renderer) face(size float64, mono bool) *text.GoXFace {
	size = math.Round(size*2) / 2
	k := faceKey{mono, size}
	if f, ok := r.faces[k]; ok {
		return f
	}
	src := r.regular
	if mono {
		src = r.mono
	}
	of, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// Only a size <= 0 fails; fall back to a readable default.
		of, _ = opentype.NewFace(src, &opentype.FaceOptions{Size: 12, DPI: 72})
	}
	f := text.NewGoXFace(of)
	r.faces[k] = f
	return f
}

// Measure returns the width of s in the regular font at size.
func (r *Renderer) Measure(s string, size float64) float64 {
	return text.Advance(s, r.face(size, false))
}

// Align is a horizontal text alignment.
type Align int

// The alignments.
const (
	Left Align = iota
	Center
	Right
)

// Text draws one line with its top-left (or top-centre/right) at x, y.
func (r *Renderer) Text(dst *ebiten.Image, s string, x, y, size float64, c color.Color, align Align) {
	r.text(dst, s, x, y, size, c, align, false)
}

// Mono draws one line in the monospace font.
func (r *Renderer) Mono(dst *ebiten.Image, s string, x, y, size float64, c color.Color, align Align) {
	r.text(dst, s, x, y, size, c, align, true)
}

func (r *Renderer) text(dst *ebiten.Image, s string, x, y, size float64, c color.Color, align Align, mono bool) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(math.Round(x), math.Round(y))
	op.ColorScale.ScaleWithColor(c)
	switch align {
	case Center:
		op.PrimaryAlign = text.AlignCenter
	case Right:
		op.PrimaryAlign = text.AlignEnd
	}
	text.Draw(dst, s, r.face(size, mono), op)
}

// Fit shortens s with an ellipsis so that it is at most w wide.
func (r *Renderer) Fit(s string, size, w float64) string {
	if r.Measure(s, size) <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if r.Measure(string(rs[:mid])+"…", size) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return string(rs[:lo]) + "…"
}

// Fill fills a rectangle.
func Fill(dst *ebiten.Image, rc Rect, c color.Color) {
	vector.DrawFilledRect(dst, float32(rc.X), float32(rc.Y), float32(rc.W), float32(rc.H), c, false)
}

// Stroke outlines a rectangle.
func Stroke(dst *ebiten.Image, rc Rect, w float64, c color.Color) {
	vector.StrokeRect(dst, float32(rc.X+w/2), float32(rc.Y+w/2), float32(rc.W-w), float32(rc.H-w), float32(w), c, false)
}

// Panel draws a panel background, border and title; it returns the title's
// baseline row height.
func (r *Renderer) Panel(dst *ebiten.Image, rc Rect, title string, l *Layout) {
	Fill(dst, rc, ColPanel)
	Stroke(dst, rc, math.Max(1, l.Scale), ColBorder)
	if title != "" {
		r.Text(dst, title, rc.X+l.Pad, rc.Y+4*l.Scale, l.FontBody, ColText, Left)
	}
}

// Polyline strokes connected points in one colour with one DrawTriangles
// call. A Break point ends a run (the next point starts a new one); a run of
// one point is drawn as a dot.
func (r *Renderer) Polyline(dst *ebiten.Image, pts [][2]float32, width float32, c color.RGBA) {
	r.path = vector.Path{}
	lines := false
	for start := 0; start < len(pts); {
		end := start
		for end < len(pts) && !IsBreak(pts[end]) {
			end++
		}
		switch run := pts[start:end]; len(run) {
		case 0:
		case 1:
			vector.DrawFilledRect(dst, run[0][0]-width, run[0][1]-width, 2*width, 2*width, c, false)
		default:
			r.path.MoveTo(run[0][0], run[0][1])
			for _, p := range run[1:] {
				r.path.LineTo(p[0], p[1])
			}
			lines = true
		}
		start = end + 1
	}
	if !lines {
		return
	}
	r.verts, r.idx = r.path.AppendVerticesAndIndicesForStroke(r.verts[:0], r.idx[:0], &vector.StrokeOptions{
		Width: width, LineJoin: vector.LineJoinRound,
	})
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	for i := range r.verts {
		r.verts[i].SrcX, r.verts[i].SrcY = 1, 1
		r.verts[i].ColorR, r.verts[i].ColorG, r.verts[i].ColorB, r.verts[i].ColorA = cr, cg, cb, ca
	}
	// No AntiAlias: in Ebiten it renders through an extra offscreen pass
	// per call, which costs whole frames under a software GL (headless
	// Chromium's SwiftShader); 2 px lines read well without it.
	op := &ebiten.DrawTrianglesOptions{ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha}
	// A path with more than 65535/3 triangles is split by Ebiten itself
	// only up to its index limit; decimated chart lines stay far below it.
	dst.DrawTriangles(r.verts, r.idx, r.white, op)
}

// Grid draws the client grid: every cell the colour of its state. The cells
// are rendered into one pixel buffer and uploaded with a single WritePixels,
// then drawn with one DrawImage, whatever the number of clients.
func (r *Renderer) Grid(dst *ebiten.Image, g GridGeometry, states []uint8) {
	w, h := g.PixelSize()
	if w == 0 || h == 0 {
		return
	}
	if r.gridImg == nil || r.gridImg.Bounds().Dx() != w || r.gridImg.Bounds().Dy() != h {
		if r.gridImg != nil {
			r.gridImg.Deallocate()
		}
		r.gridImg = ebiten.NewImage(w, h)
		r.gridPix = make([]byte, w*h*4)
	}
	RenderGrid(r.gridPix, g, states, StateColorCode, ColPanel)
	r.gridImg.WritePixels(r.gridPix)
	op := &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}
	op.GeoM.Translate(g.Area.X, g.Area.Y)
	dst.DrawImage(r.gridImg, op)
}

// Chart draws a time-series chart into rc: ChartBase, then (when hoverX,
// hoverY is inside the plot) ChartHover. It returns the geometry used.
func (r *Renderer) Chart(dst *ebiten.Image, rc Rect, d *ChartData, l *Layout, hoverX, hoverY float64) ChartGeometry {
	g := r.ChartBase(dst, rc, d, l)
	r.ChartHover(dst, g, d, l, hoverX, hoverY)
	return g
}

// ChartPlot is the plot area of a chart panel.
func ChartPlot(rc Rect, l *Layout) Rect {
	u := l.Scale
	return Rect{rc.X + 52*u, rc.Y + 24*u, rc.W - 52*u - 10*u, rc.H - 24*u - 20*u}
}

// ChartBase draws what changes only when a sample or an event arrives:
// title and legend, y grid and labels, time axis, shaded event bands with
// captions, and the lines.
func (r *Renderer) ChartBase(dst *ebiten.Image, rc Rect, d *ChartData, l *Layout) ChartGeometry {
	r.Panel(dst, rc, d.Title, l)
	u := l.Scale
	small := l.FontSmall
	plot := ChartPlot(rc, l)
	g := ComputeChart(plot, d)

	// Legend, right-aligned on the title row.
	x := rc.Right() - l.Pad
	for i := len(d.Lines) - 1; i >= 0; i-- {
		ln := d.Lines[i]
		w := r.Measure(ln.Name, small)
		x -= w
		r.Text(dst, ln.Name, x, rc.Y+6*u, small, ColMuted, Left)
		x -= 12 * u
		Fill(dst, Rect{x, rc.Y + 11*u, 9 * u, 3 * u}, ln.Color)
		x -= 8 * u
	}

	// Event bands with captions (alternating rows so neighbours do not
	// overwrite each other).
	for i, b := range d.Bands {
		br, ok := g.BandRect(b)
		if !ok {
			continue
		}
		Fill(dst, br, WithAlpha(b.Color, 56))
		Fill(dst, Rect{br.X, br.Y, math.Max(1, u), br.H}, WithAlpha(b.Color, 200))
		caption := b.Caption
		if caption == "" {
			caption = b.Kind
		}
		if b.Live && !strings.HasPrefix(caption, "Live") {
			caption = "Live: " + caption
		}
		capW := math.Max(br.W, math.Min(240*u, plot.Right()-br.X))
		caption = r.Fit(caption, small, capW-4*u)
		cy := plot.Y + 2*u + float64(i%2)*(small+3*u)
		r.Text(dst, caption, br.X+3*u, cy, small, b.Color, Left)
	}

	// Y grid and labels.
	for _, v := range g.YTicks {
		y := g.Y(v)
		Fill(dst, Rect{plot.X, math.Round(y), plot.W, math.Max(1, u)}, WithAlpha(ColBorder, 160))
		r.Text(dst, d.Format(v), plot.X-4*u, y-small/2-1, small, ColMuted, Right)
	}
	// Time axis.
	for _, t := range g.TimeTicks {
		x := g.X(t)
		Fill(dst, Rect{math.Round(x), plot.Bottom(), math.Max(1, u), 3 * u}, ColBorder)
		label := stats.FormatClock(time.Duration(t) * time.Second)
		cx := LabelCenter(x, r.Measure(label, small), rc.X+u, rc.Right()-u)
		r.Text(dst, label, cx, plot.Bottom()+4*u, small, ColMuted, Center)
	}

	// Lines.
	for _, ln := range d.Lines {
		r.pts = g.Polyline(r.pts[:0], d.Times, ln.Values)
		r.Polyline(dst, r.pts, float32(2*u), ln.Color)
	}

	// A drill's evidence window and marked moments, over the lines.
	if h := d.Highlight; h != nil {
		hr, ok := g.HighlightRect(*h)
		if ok {
			Stroke(dst, hr, math.Max(2, 2*u), ColCyan)
		}
		if ok && h.Label != "" {
			// The label sits at mid-height, clear of the band captions at
			// the top and the markers' labels at the bottom.
			label := r.Fit(h.Label, small, math.Max(hr.W-6*u, 90*u))
			lw := r.Measure(label, small)
			ly := hr.Y + hr.H/2 - small/2
			Fill(dst, Rect{hr.X + 2*u, ly - 1*u, lw + 4*u, small + 3*u}, WithAlpha(ColPanel, 220))
			r.Text(dst, label, hr.X+4*u, ly, small, ColCyan, Left)
		}
	}
	for i, m := range d.Markers {
		if m.T < g.T0 || m.T > g.T1 {
			continue
		}
		x := math.Round(g.X(m.T))
		Fill(dst, Rect{x - math.Max(1, u), plot.Y, math.Max(2, 2*u), plot.H}, m.Color)
		ly := plot.Bottom() - small - 4*u - float64(i)*(small+3*u)
		lw := r.Measure(m.Label, small)
		lx := x + 4*u
		if lx+lw > plot.Right() {
			lx = x - 4*u - lw
		}
		Fill(dst, Rect{lx - 2*u, ly - 1*u, lw + 4*u, small + 3*u}, WithAlpha(ColPanel, 220))
		r.Text(dst, m.Label, lx, ly, small, m.Color, Left)
	}
	return g
}

// ChartHover draws the hover read-out of a chart: a cursor line, a dot on
// each line and a tooltip with the values and the events at that time. It
// returns the tooltip's rectangle (the rest stays inside the plot) and
// whether anything was drawn.
func (r *Renderer) ChartHover(dst *ebiten.Image, g ChartGeometry, d *ChartData, l *Layout, hoverX, hoverY float64) (Rect, bool) {
	i, ok := g.HoverIndex(d.Times, hoverX)
	if !ok || !g.Plot.Contains(hoverX, hoverY) {
		return Rect{}, false
	}
	u := l.Scale
	t := d.Times[i]
	hx := g.X(t)
	Fill(dst, Rect{hx, g.Plot.Y, math.Max(1, u), g.Plot.H}, WithAlpha(ColText, 140))
	lines := []string{"t = " + stats.FormatClock(time.Duration(t)*time.Second)}
	colors := []color.Color{ColText}
	for j, ln := range d.Lines {
		if i < len(ln.Values) {
			lines = append(lines, d.ValueText(j, i))
			colors = append(colors, ln.Color)
			if !IsGap(ln.Values[i]) {
				y := g.Y(ln.Values[i])
				Fill(dst, Rect{hx - 3*u, y - 3*u, 6 * u, 6 * u}, ln.Color)
			}
		}
	}
	for _, b := range BandsAt(d.Bands, t) {
		lines = append(lines, b.Kind+": "+b.Caption)
		colors = append(colors, b.Color)
	}
	return r.Tooltip(dst, hx+8*u, g.Plot.Y+4*u, lines, colors, l, Rect{0, 0, l.W, l.H}), true
}

// Tooltip draws a box of lines near x, y, kept inside bounds.
func (r *Renderer) Tooltip(dst *ebiten.Image, x, y float64, lines []string, colors []color.Color, l *Layout, bounds Rect) Rect {
	u := l.Scale
	w := 0.0
	for _, s := range lines {
		w = math.Max(w, r.Measure(s, l.FontSmall))
	}
	w += 12 * u
	h := float64(len(lines))*(l.FontSmall+4*u) + 8*u
	if x+w > bounds.Right() {
		x = bounds.Right() - w - 2*u
	}
	if y+h > bounds.Bottom() {
		y = bounds.Bottom() - h - 2*u
	}
	box := Rect{x, y, w, h}
	Fill(dst, box, WithAlpha(rgb(0x0B1220), 235))
	Stroke(dst, box, math.Max(1, u), ColBorder)
	for i, s := range lines {
		r.Text(dst, s, x+6*u, y+4*u+float64(i)*(l.FontSmall+4*u), l.FontSmall, colors[i], Left)
	}
	return box
}

// Stats draws labelled figures in cols columns inside rc (below a title
// row); values are coloured by their health.
func (r *Renderer) Stats(dst *ebiten.Image, rc Rect, stats []Stat, cols int, l *Layout) {
	u := l.Scale
	colW := (rc.W - 2*l.Pad) / float64(cols)
	rowH := l.FontBody + 5*u
	rows := int(math.Max(1, math.Floor((rc.H-26*u)/rowH)))
	// Values start after the widest label (labels such as "throughput
	// (last 1 s)" are long), leaving them at least 38 % of the column.
	labelW := 0.0
	for _, s := range stats {
		labelW = math.Max(labelW, r.Measure(s.Label, l.FontSmall+0.5*u))
	}
	valueX := math.Min(math.Max(labelW+8*u, math.Min(colW*0.48, 120*u)), colW*0.62)
	for i, s := range stats {
		col, row := i/rows, i%rows
		if col >= cols {
			break
		}
		x := rc.X + l.Pad + float64(col)*colW
		y := rc.Y + 24*u + float64(row)*rowH
		vx := x + valueX
		r.Text(dst, r.Fit(s.Label, l.FontSmall+0.5*u, vx-x-4*u), x, y, l.FontSmall+0.5*u, ColMuted, Left)
		r.Text(dst, r.Fit(s.Value, l.FontBody, x+colW-vx-4*u), vx, y-1*u, l.FontBody, s.Color(), Left)
	}
}

// Button draws a toolbar button; active buttons are highlighted.
func (r *Renderer) Button(dst *ebiten.Image, b Button, label string, active, hover bool, l *Layout) {
	bg := ColPanel
	if hover {
		bg = ColBorder
	}
	if active {
		bg = WithAlpha(ColBlue, 200)
	}
	Fill(dst, b.Rect, bg)
	Stroke(dst, b.Rect, math.Max(1, l.Scale), ColBorder)
	r.Text(dst, label, b.Rect.X+b.Rect.W/2, b.Rect.Y+(b.Rect.H-l.FontBody)/2-1*l.Scale, l.FontBody, ColText, Center)
}

// Wrap splits s into lines at most w wide (at word boundaries).
func (r *Renderer) Wrap(s string, size, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && r.Measure(try, size) > w {
				out = append(out, line)
				line = word
				continue
			}
			line = try
		}
		out = append(out, line)
	}
	return out
}
