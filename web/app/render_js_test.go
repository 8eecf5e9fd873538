//go:build js

package app

import (
	"image/color"
	"os"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
)

// The drawing tests need a running Ebiten loop to read pixels back, so
// TestMain runs the tests from inside the game's first Update (Ebiten's own
// test pattern).
type testGame struct {
	m    *testing.M
	code int
}

func (g *testGame) Update() error {
	g.code = g.m.Run()
	return ebiten.Termination
}
func (*testGame) Draw(*ebiten.Image)         {}
func (*testGame) Layout(int, int) (int, int) { return 320, 240 }

func TestMain(m *testing.M) {
	g := &testGame{m: m, code: 1}
	if err := ebiten.RunGame(g); err != nil {
		panic(err)
	}
	os.Exit(g.code)
}

func readPixels(img *ebiten.Image) (pix []byte, w int) {
	b := img.Bounds()
	pix = make([]byte, 4*b.Dx()*b.Dy())
	img.ReadPixels(pix)
	return pix, b.Dx()
}

func at(pix []byte, w, x, y int) color.RGBA {
	o := (y*w + x) * 4
	return color.RGBA{pix[o], pix[o+1], pix[o+2], pix[o+3]}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol && d(a.A, b.A) <= tol
}

func newRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer()
	require.NoError(t, err)
	return r
}

func TestGridPixelsShowStates(t *testing.T) {
	r := newRenderer(t)
	img := ebiten.NewImage(120, 80)
	img.Fill(ColBackground)
	states := []uint8{uint8(clients.Playing), uint8(clients.Stalled), uint8(clients.Backoff), uint8(clients.Buffering), uint8(clients.NotStarted)}
	g := ComputeGrid(Rect{10, 10, 100, 60}, len(states), 16) // pitch 17, cell 16
	require.Equal(t, 17, g.Pitch)
	r.Grid(img, g, states)
	pix, w := readPixels(img)
	for i, s := range states {
		c := g.CellRect(i)
		got := at(pix, w, int(c.X+c.W/2), int(c.Y+c.H/2))
		assert.Equal(t, StateColor(clients.State(s)), got, "client %d (%s)", i, clients.State(s))
	}
	gap := g.CellRect(0)
	assert.Equal(t, ColPanel, at(pix, w, int(gap.X+gap.W), int(gap.Y+2)), "the gap has the panel colour (the grid image is opaque)")
	assert.Equal(t, ColBackground, at(pix, w, 5, 5), "nothing drawn outside the grid area")
}

func TestGridTenThousandClientsOneDraw(t *testing.T) {
	r := newRenderer(t)
	img := ebiten.NewImage(400, 300)
	n := 10000
	states := make([]uint8, n)
	for i := range states {
		states[i] = uint8(clients.Playing)
	}
	states[n-1] = uint8(clients.Stalled)
	g := ComputeGrid(Rect{0, 0, 400, 300}, n, 16)
	require.Equal(t, n, g.Shown)
	r.Grid(img, g, states)
	pix, w := readPixels(img)
	first, last := g.CellRect(0), g.CellRect(n-1)
	assert.Equal(t, ColGreen, at(pix, w, int(first.X), int(first.Y)))
	assert.Equal(t, ColRed, at(pix, w, int(last.X), int(last.Y)), "the last of 10 000 cells is drawn, in its own colour")
}

func TestChartDrawsBandsLinesAndAxes(t *testing.T) {
	r := newRenderer(t)
	l := ComputeLayout(1280, 800, 1, func(s string) float64 { return r.Measure(s, 13) })
	img := ebiten.NewImage(500, 240)
	img.Fill(ColBackground)
	rc := Rect{0, 0, 500, 240}
	times := make([]float64, 120)
	vals := make([]float64, 120)
	for i := range times {
		times[i] = float64(i)
		vals[i] = 20
		if i >= 100 {
			vals[i] = 40 // the axis ends at 40 (NiceScale(40, 4)): the flat line at 20 sits at half height
		}
	}
	d := &ChartData{Title: "segment rate", Format: func(v float64) string { return FormatRate(v, "") },
		Times: times, Lines: []Line{{Name: "segments", Color: ColBlue, Values: vals}},
		Bands: []Band{{Start: 60, End: 90, Kind: "outage", Caption: "origin down", Color: ColRed}},
		Now:   119}
	g := r.Chart(img, rc, d, &l, -1, -1)
	pix, w := readPixels(img)

	// The line: at t=30 the pixel at the line's row is blue.
	x, y := g.X(30), g.Y(20)
	assert.True(t, hasColor(pix, w, Rect{x - 1, y - 2, 3, 5}, ColBlue, 30), "the line crosses (%v, %v)", x, y)
	assert.False(t, hasColor(pix, w, Rect{x - 1, y - 30, 3, 5}, ColBlue, 30), "and nothing blue above it")
	// The band: at t=75 low in the plot (away from the caption and line),
	// the panel colour is tinted red.
	bx, by := int(g.X(75)), int(g.Plot.Bottom()-5)
	band := at(pix, w, bx, by)
	outside := at(pix, w, int(g.X(20)), by)
	assert.Greater(t, int(band.R), int(outside.R)+20, "band %v vs outside %v", band, outside)
	// Outside the band and the line: the panel colour.
	assert.True(t, near(outside, ColPanel, 3), "plot background %v", outside)
	// Text: the title row has text-coloured pixels.
	assert.True(t, hasColor(pix, w, Rect{0, 0, 150, 22}, ColText, 60), "the title is drawn")
	// The caption is drawn inside the band in the band colour.
	br, _ := g.BandRect(d.Bands[0])
	assert.True(t, hasColor(pix, w, Rect{br.X, br.Y, br.W, 16}, ColRed, 60), "the caption is drawn")
}

func TestChartLeavesAGapWithoutSamples(t *testing.T) {
	r := newRenderer(t)
	l := ComputeLayout(1280, 800, 1, func(s string) float64 { return r.Measure(s, 13) })
	img := ebiten.NewImage(500, 240)
	img.Fill(ColBackground)
	times := make([]float64, 120)
	vals := make([]float64, 120)
	for i := range times {
		times[i], vals[i] = float64(i), 0.5
		if i >= 50 && i < 80 {
			vals[i] = Gap // an outage: no latency samples
		}
	}
	d := &ChartData{Title: "segment latency", Format: FormatSeconds, Times: times,
		Lines: []Line{{Name: "p50", Color: ColGreen, Values: vals}}, Now: 119}
	g := r.Chart(img, Rect{0, 0, 500, 240}, d, &l, -1, -1)
	pix, w := readPixels(img)
	assert.True(t, hasColor(pix, w, Rect{g.X(30) - 1, g.Y(0.5) - 2, 3, 5}, ColGreen, 30), "the line before the gap")
	assert.True(t, hasColor(pix, w, Rect{g.X(100) - 1, g.Y(0.5) - 2, 3, 5}, ColGreen, 30), "the line after the gap")
	inGap := Rect{g.X(58), g.Plot.Y, g.X(72) - g.X(58), g.Plot.H + 1}
	assert.False(t, hasColor(pix, w, inGap, ColGreen, 30), "nothing is drawn inside the gap, not even at 0")
}

func TestChartHoverShowsTooltip(t *testing.T) {
	r := newRenderer(t)
	l := ComputeLayout(1280, 800, 1, func(s string) float64 { return r.Measure(s, 13) })
	img := ebiten.NewImage(500, 240)
	d := &ChartData{Title: "t", Format: FormatSeconds, Times: []float64{0, 10, 20}, Lines: []Line{{Name: "p50", Color: ColGreen, Values: []float64{1, 2, 3}}}, Now: 20}
	g := r.Chart(img, Rect{0, 0, 500, 240}, d, &l, 0, 0)
	before, w := readPixels(img)
	img.Clear()
	hx := g.X(10)
	r.Chart(img, Rect{0, 0, 500, 240}, d, &l, hx, g.Plot.Y+20)
	after, _ := readPixels(img)
	tip := Rect{hx + 10, g.Plot.Y + 6, 60, 30}
	assert.False(t, hasColor(before, w, tip, rgb(0x0B1220), 8), "no tooltip without hover")
	assert.True(t, hasColor(after, w, tip, rgb(0x0B1220), 8), "the tooltip box appears on hover")
}

func hasColor(pix []byte, w int, rc Rect, c color.RGBA, tol int) bool {
	h := len(pix) / 4 / w
	for y := max(0, int(rc.Y)); y < int(rc.Bottom()) && y < h; y++ {
		for x := max(0, int(rc.X)); x < int(rc.Right()) && x < w; x++ {
			if near(at(pix, w, x, y), c, tol) {
				return true
			}
		}
	}
	return false
}

type nopHost struct{ downloads, queries, copies []string }

func (h *nopHost) Download(name, mime, text string) { h.downloads = append(h.downloads, name) }
func (h *nopHost) SetQuery(q string)                { h.queries = append(h.queries, q) }
func (h *nopHost) Copy(text string) error           { h.copies = append(h.copies, text); return nil }

// newTestGame starts the dashboard of a URL query on a 1280x800 screen; wall
// is its wall clock (nil: one that moves 1 ms per reading).
func newTestGame(t *testing.T, query string, wall func() time.Duration) (*Game, *Controller, *nopHost) {
	t.Helper()
	cfg := ParseParams(query)
	require.Empty(t, cfg.Problems)
	if wall == nil {
		var now time.Duration
		wall = func() time.Duration { now += time.Millisecond; return now }
	}
	ctl, err := NewController(cfg, NewEngineSim(1), wall)
	require.NoError(t, err)
	host := &nopHost{}
	g, err := NewGame(ctl, host, nil)
	require.NoError(t, err)
	g.outW, g.outH, g.scale = 1280, 800, 1
	g.layoutNow()
	return g, ctl, host
}

func TestGameDrawsEveryPanel(t *testing.T) {
	g, ctl, host := newTestGame(t, "scenario=origin-outage&clients=300&seed=3", nil)
	ctl.SetSpeed(SpeedMax)
	for range 30 {
		require.NoError(t, g.Update())
	}
	require.Greater(t, ctl.Now(), time.Duration(0))
	img := ebiten.NewImage(1280, 800)
	g.Draw(img)
	pix, w := readPixels(img)
	l := g.LayoutInfo()
	for i, rc := range l.Charts {
		assert.True(t, hasColor(pix, w, rc.Inset(4), ColText, 50) || hasColor(pix, w, rc.Inset(4), ColMuted, 30), "chart %d has text", i)
	}
	assert.True(t, hasColor(pix, w, l.Cells, ColGreen, 10) || hasColor(pix, w, l.Cells, ColCyan, 10), "the grid shows playing or starting clients")
	assert.True(t, hasColor(pix, w, l.Header, ColCyan, 30), "the header shows the title")
	assert.True(t, hasColor(pix, w, l.Summary.Inset(4), ColGreen, 30), "summary figures are coloured")

	// Clicking a cell opens the inspector, drawn over the right column.
	require.True(t, g.ClickCell(5))
	img.Clear()
	g.Invalidate()
	g.Draw(img)
	pix, _ = readPixels(img)
	v, ok := ctl.Client(5)
	require.True(t, ok)
	assert.True(t, hasColor(pix, w, Rect{l.Inspector.X, l.Inspector.Y, 4, l.Inspector.H}, StateColor(v.State), 10), "the inspector border has the client's state colour")

	// Help overlay.
	g.Do(CmdHelp)
	assert.Equal(t, ModeHelp, g.Mode())
	img.Clear()
	g.Invalidate()
	g.Draw(img)
	pix, _ = readPixels(img)
	assert.True(t, hasColor(pix, w, l.Overlay.Inset(20), ColCyan, 30), "help lists keys in cyan")
	g.Do(CmdClose)
	assert.Equal(t, ModeDashboard, g.Mode())

	// Speed and restart update the address bar's query.
	g.Do(CmdSpeed60)
	g.Do(CmdNewSeed)
	require.NotEmpty(t, host.queries)
	assert.Contains(t, host.queries[len(host.queries)-1], "speed=60x")
	assert.NotContains(t, host.queries[len(host.queries)-1], "seed=3&")
}

// Whatever the pace of frames and updates, every panel on screen shows the
// same virtual instant after every frame: views are taken only as often as
// the wall clock allows, and a new view redraws every panel that shows it.
func TestEveryFrameShowsOneInstant(t *testing.T) {
	var wall time.Duration
	g, ctl, _ := newTestGame(t, "scenario=origin-outage&clients=300&seed=3&speed=60", func() time.Duration { return wall })
	img := ebiten.NewImage(1280, 800)
	views := map[int64]bool{}
	behind := 0 // frames that show an earlier instant than the engine's
	// Slow, uneven frames: 1 to 4 updates each, 17 to 68 ms of wall time.
	for i := range 60 {
		for range 1 + i%4 {
			wall += time.Second / UpdatesPerSecond
			require.NoError(t, g.Update())
		}
		if i == 30 {
			g.mouseX, g.mouseY = g.l.Charts[1].X+g.l.Charts[1].W/2, g.l.Charts[1].Y+g.l.Charts[1].H/2 // a hover read-out damages a chart
		}
		g.Draw(img)
		views[g.view.Seq] = true
		if g.view.At < ctl.Now() {
			behind++
		}
		r := g.Readout()
		header, ok := r["header"]
		require.True(t, ok)
		assert.Equal(t, header.At, header.Values["clock"], "frame %d: the header's clock is its instant", i)
		for name, p := range r {
			assert.Equal(t, header.At, p.At, "frame %d: %s shows %v s, the header %v s", i, name, p.At, header.At)
		}
		for c := range NumCharts {
			ch := r[PanelChartOf(c).String()]
			assert.Equal(t, header.At, ch.Values["end"], "frame %d: chart %d ends at the instant", i, c)
		}
		assert.Equal(t, r["summary"].Values["active"], header.Values["active"])
		assert.Equal(t, r["cells"].Values["total"], header.Values["clients"])
	}
	assert.Greater(t, len(views), 3, "views are taken as the run goes on")
	assert.Less(t, len(views), 60, "not every frame takes a view")
	assert.Greater(t, behind, 0, "the screen may show an earlier instant than the engine's, never a mix")
}
