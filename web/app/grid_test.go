package app

import (
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestComputeGrid(t *testing.T) {
	cases := []struct {
		name        string
		w, h        float64
		n, maxCell  int
		pitch, cell int
		cols, rows  int
		shown       int
	}{
		// 10 clients in 100x100: capped at 16 px cells (+1 gap) -> 5 per row.
		{"few clients, capped", 100, 100, 10, 16, 17, 16, 5, 2, 10},
		// 10 000 in 340x260: p=3 gives 113 cols x 89 rows = 267 > 260, so p=2:
		// 170 cols x 59 rows = 118 px.
		{"10k small panel", 340, 260, 10000, 16, 2, 2, 170, 59, 10000},
		// 10 000 in 500x400: p=3 -> 166 cols, 61 rows = 183 px; p=4 -> 125 cols,
		// 80 rows = 320 px fits, p=5 -> 100 x 100 = 500 does not.
		{"10k larger panel", 500, 400, 10000, 16, 4, 3, 125, 80, 10000},
		// More clients than pixels: one pixel each for the first w*h.
		{"overflow", 10, 10, 150, 16, 1, 1, 10, 10, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := ComputeGrid(Rect{10, 20, tc.w, tc.h}, tc.n, tc.maxCell)
			assert.Equal(t, tc.pitch, g.Pitch)
			assert.Equal(t, tc.cell, g.Cell)
			assert.Equal(t, tc.cols, g.Cols)
			assert.Equal(t, tc.rows, g.Rows)
			assert.Equal(t, tc.shown, g.Shown)
			pw, ph := g.PixelSize()
			assert.LessOrEqual(t, pw, int(tc.w))
			assert.LessOrEqual(t, ph, int(tc.h))
		})
	}
	assert.Zero(t, ComputeGrid(Rect{0, 0, 100, 100}, 0, 16).Shown)
}

func TestGridHitTestInvertsCellRect(t *testing.T) {
	g := ComputeGrid(Rect{7, 9, 500, 400}, 10000, 16)
	for _, id := range []int{0, 1, 124, 125, 5000, 9999} {
		r := g.CellRect(id)
		for _, p := range [][2]float64{{r.X, r.Y}, {r.X + r.W - 0.01, r.Y + r.H - 0.01}, {r.X + float64(g.Pitch) - 0.01, r.Y}} {
			got, ok := g.HitTest(p[0], p[1])
			require.True(t, ok, "client %d at %v", id, p)
			assert.Equal(t, id, got)
		}
	}
	// Past the last client in the last row, and outside the area.
	last := g.CellRect(9999)
	_, ok := g.HitTest(last.X+float64(g.Pitch)+1, last.Y+1)
	assert.False(t, ok)
	_, ok = g.HitTest(6, 10)
	assert.False(t, ok)
}

func TestRenderGrid(t *testing.T) {
	g := ComputeGrid(Rect{0, 0, 20, 20}, 5, 4) // pitch 5, cell 4, 4 cols, 2 rows
	require.Equal(t, 5, g.Pitch)
	require.Equal(t, 4, g.Cols)
	w, h := g.PixelSize()
	pix := make([]byte, w*h*4)
	for i := range pix {
		pix[i] = 0xAA // dirty: RenderGrid must overwrite it
	}
	palette := map[uint8]color.RGBA{0: ColGreen, 1: ColRed, 2: ColBlue}
	RenderGrid(pix, g, []uint8{0, 1, 2, 1, 0}, func(s uint8) color.RGBA { return palette[s] }, ColPanel)
	at := func(x, y int) color.RGBA {
		o := (y*w + x) * 4
		return color.RGBA{pix[o], pix[o+1], pix[o+2], pix[o+3]}
	}
	assert.Equal(t, ColGreen, at(0, 0))
	assert.Equal(t, ColGreen, at(3, 3))
	assert.Equal(t, ColPanel, at(4, 0), "gap column has the panel colour")
	assert.Equal(t, ColRed, at(5, 0))
	assert.Equal(t, ColBlue, at(10, 2))
	assert.Equal(t, ColRed, at(15+3, 3))
	assert.Equal(t, ColGreen, at(0, 5), "client 4 starts row 2")
	assert.Equal(t, ColPanel, at(5, 5), "no client 5")
}

func BenchmarkRenderGrid10k(b *testing.B) {
	g := ComputeGrid(Rect{0, 0, 500, 400}, 10000, 16)
	w, h := g.PixelSize()
	pix := make([]byte, w*h*4)
	states := make([]uint8, 10000)
	for i := range states {
		states[i] = uint8(i % 7)
	}
	colorOf := func(s uint8) color.RGBA { return color.RGBA{s, s, s, 255} }
	b.ReportAllocs()
	for b.Loop() {
		RenderGrid(pix, g, states, colorOf, ColPanel)
	}
}
