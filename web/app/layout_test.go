package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// measure7 is a fake text measure: 7 px per byte at scale 1.
func measure7(s string) float64 { return 7 * float64(len(s)) }

func inside(inner, outer Rect) bool {
	return inner.X >= outer.X && inner.Y >= outer.Y && inner.Right() <= outer.Right()+1e-9 && inner.Bottom() <= outer.Bottom()+1e-9
}

func TestLayoutFitsWithoutOverlap(t *testing.T) {
	sizes := []struct{ w, h, scale float64 }{
		{1024, 640, 1},
		{1280, 800, 1},
		{1920, 1080, 1},
		{2048, 1280, 2}, // 1024x640 CSS pixels on a HiDPI screen
		{3840, 2160, 2},
	}
	for _, sz := range sizes {
		l := ComputeLayout(sz.w, sz.h, sz.scale, func(s string) float64 { return measure7(s) * sz.scale })
		screen := Rect{0, 0, sz.w, sz.h}
		panels := []Rect{l.Header, l.Story, l.Grid, l.Summary, l.Errors}
		for _, c := range l.Charts {
			panels = append(panels, c)
		}
		for i, p := range panels {
			assert.True(t, inside(p, screen), "%vx%v panel %d %+v off screen", sz.w, sz.h, i, p)
			assert.Greater(t, p.W, 0.0)
			assert.Greater(t, p.H, 0.0)
			for j := i + 1; j < len(panels); j++ {
				assert.False(t, overlaps(p, panels[j]), "%vx%v panels %d and %d overlap", sz.w, sz.h, i, j)
			}
		}
		assert.True(t, inside(l.Cells, l.Grid))
		require.Len(t, l.Buttons, len(ToolbarButtons), "%vx%v: every toolbar button fits", sz.w, sz.h)
		for i, b := range l.Buttons {
			assert.True(t, inside(b.Rect, l.Toolbar), "button %q", b.Label)
			if i > 0 {
				assert.Greater(t, b.Rect.X, l.Buttons[i-1].Rect.Right(), "buttons do not overlap")
			}
		}
		// Charts keep a readable size even at the minimum window.
		assert.GreaterOrEqual(t, l.Charts[0].W, 280*sz.scale)
		assert.GreaterOrEqual(t, l.Charts[0].H, 150*sz.scale)
		assert.GreaterOrEqual(t, l.Cells.H, 100*sz.scale)
		assert.InDelta(t, 13*sz.scale, l.FontBody, 1e-9, "fonts scale with the device scale factor")
	}
}

func TestLayoutShrinksBelowMinimum(t *testing.T) {
	l := ComputeLayout(800, 500, 1, measure7)
	assert.InDelta(t, 500.0/640, l.Scale, 1e-9)
	assert.True(t, inside(l.Charts[NumCharts-1], Rect{0, 0, 800, 500}))
}

func TestButtonAndChartHitTest(t *testing.T) {
	l := ComputeLayout(1280, 800, 1, measure7)
	b0 := l.Buttons[0]
	got, ok := l.ButtonAt(b0.Rect.X+1, b0.Rect.Y+1)
	require.True(t, ok)
	assert.Equal(t, CmdTogglePause, got.Cmd)
	_, ok = l.ButtonAt(b0.Rect.Right()+1, b0.Rect.Y+1) // the 4 px gap
	assert.False(t, ok)

	c, ok := l.ChartAt(l.Charts[ChartLatency].X+5, l.Charts[ChartLatency].Y+5)
	require.True(t, ok)
	assert.Equal(t, ChartLatency, c)
	_, ok = l.ChartAt(1, 1)
	assert.False(t, ok)

	rows := l.MenuItems(6)
	require.Len(t, rows, 6)
	for i := 1; i < len(rows); i++ {
		assert.False(t, overlaps(rows[i-1], rows[i]))
		assert.True(t, inside(rows[i], l.Overlay))
	}
}

// The toast covers no chart (their time axes), figure or the story strip,
// and a long message stays in the window.
func TestToastCoversNoPanel(t *testing.T) {
	for _, sz := range []struct{ w, h, scale float64 }{{1024, 640, 1}, {1280, 800, 1}, {2560, 1600, 2}} {
		l := ComputeLayout(sz.w, sz.h, sz.scale, func(s string) float64 { return measure7(s) * sz.scale })
		for _, textW := range []float64{200 * sz.scale, 5000} {
			box := ToastRect(&l, textW)
			assert.True(t, inside(box, Rect{0, 0, sz.w, sz.h}), "%vx%v: %+v in the window", sz.w, sz.h, box)
			for i, p := range append([]Rect{l.Header, l.Story, l.Grid, l.Summary, l.Errors}, l.Charts[:]...) {
				assert.False(t, overlaps(box, p), "%vx%v: the toast %+v covers panel %d %+v", sz.w, sz.h, box, i, p)
			}
		}
	}
}
