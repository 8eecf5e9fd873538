package app

import (
	"image/color"
	"math"
)

// GridGeometry places one square cell per client in a rectangle, row by row,
// as large as fits (a 1 px gap between cells once they are 3 px or more).
type GridGeometry struct {
	Area  Rect // where cells go (pixels)
	N     int  // clients
	Cell  int  // cell side, pixels
	Pitch int  // cell + gap
	Cols  int
	Rows  int
	// Shown is how many clients have a cell: N, unless there are more
	// clients than pixels in the area.
	Shown int
}

// ComputeGrid fits n cells into area. Cells are at most maxCell pixels wide.
func ComputeGrid(area Rect, n, maxCell int) GridGeometry {
	g := GridGeometry{Area: area, N: n}
	w, h := int(math.Floor(area.W)), int(math.Floor(area.H))
	if n <= 0 || w <= 0 || h <= 0 {
		return g
	}
	// The largest pitch p with ceil(n / floor(w/p)) * p <= h.
	best := 0
	for p := min(maxCell+1, w, h); p >= 1; p-- {
		cols := w / p
		if cols == 0 {
			continue
		}
		rows := (n + cols - 1) / cols
		if rows*p <= h {
			best = p
			break
		}
	}
	if best == 0 {
		// More clients than pixels: one pixel each for as many as fit.
		g.Cell, g.Pitch, g.Cols, g.Rows = 1, 1, w, h
		g.Shown = min(n, w*h)
		return g
	}
	g.Pitch = best
	g.Cell = best
	if best >= 4 {
		g.Cell = best - 1
	}
	g.Cols = w / best
	g.Rows = (n + g.Cols - 1) / g.Cols
	g.Shown = n
	return g
}

// CellRect returns the pixel rectangle of client index i.
func (g GridGeometry) CellRect(i int) Rect {
	col, row := i%g.Cols, i/g.Cols
	return Rect{
		X: g.Area.X + float64(col*g.Pitch),
		Y: g.Area.Y + float64(row*g.Pitch),
		W: float64(g.Cell),
		H: float64(g.Cell),
	}
}

// HitTest returns the client index under a point, counting the gap after a
// cell as part of it (so a pointer never falls "between" clients).
func (g GridGeometry) HitTest(x, y float64) (int, bool) {
	if g.Shown == 0 || !g.Area.Contains(x, y) {
		return 0, false
	}
	col := int(math.Floor((x - g.Area.X) / float64(g.Pitch)))
	row := int(math.Floor((y - g.Area.Y) / float64(g.Pitch)))
	if col < 0 || col >= g.Cols || row < 0 {
		return 0, false
	}
	i := row*g.Cols + col
	if i >= g.Shown {
		return 0, false
	}
	return i, true
}

// PixelSize is the size of the image the grid renders into.
func (g GridGeometry) PixelSize() (w, h int) {
	return g.Cols * g.Pitch, g.Rows * g.Pitch
}

// RenderGrid writes the cells into an RGBA pixel buffer of PixelSize()
// (stride w*4): each cell the colour of its client's state, gaps and unused
// cells bg (so the image is opaque and can replace what was there). colorOf
// maps a state code to a colour. It allocates nothing.
func RenderGrid(pix []byte, g GridGeometry, states []uint8, colorOf func(uint8) color.RGBA, bg color.RGBA) {
	w, h := g.PixelSize()
	if len(pix) < w*h*4 {
		return
	}
	for i := 0; i < w*h*4; i += 4 {
		p := pix[i : i+4 : i+4]
		p[0], p[1], p[2], p[3] = bg.R, bg.G, bg.B, bg.A
	}
	var lut [256]color.RGBA
	var have [256]bool
	n := min(len(states), g.Shown)
	stride := w * 4
	for i := range n {
		s := states[i]
		if !have[s] {
			lut[s], have[s] = colorOf(s), true
		}
		c := lut[s]
		x0 := (i % g.Cols) * g.Pitch
		y0 := (i / g.Cols) * g.Pitch
		for dy := range g.Cell {
			off := (y0+dy)*stride + x0*4
			for dx := range g.Cell {
				p := pix[off+dx*4 : off+dx*4+4 : off+dx*4+4]
				p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
			}
		}
	}
}
