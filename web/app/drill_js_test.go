//go:build js

package app

import (
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

// A drill played with the mouse on the drawn dashboard: no band before the
// reveal (pixels and readouts), a start marked by a click on a chart, a
// cause clicked in the answer panel, then the reveal.
func TestGamePlaysADrill(t *testing.T) {
	g, ctl, host := newTestGame(t, "drill="+drill.Code("outage")+"&speed=max", nil)
	l := g.LayoutInfo()
	labels := map[Command]bool{}
	for _, b := range l.Buttons {
		labels[b.Cmd] = true
	}
	assert.True(t, labels[CmdAnswer], "the drill's toolbar has the answer button")
	assert.False(t, labels[CmdFaultMenu] || labels[CmdNewSeed], "and no faults or new seed")

	for ctl.Now() < 150*time.Second {
		require.NoError(t, g.Update())
	}
	ctl.SetPaused(true)
	img := ebiten.NewImage(1280, 800)
	g.Draw(img)
	readout := g.Readout()
	for i := range NumCharts {
		assert.Zero(t, readout[PanelChartOf(i).String()].Values["bands"], "chart %d draws no band", i)
	}
	assert.Equal(t, 1.0, readout["story"].Values["drill"])
	// The outage (80..120 s) is not shaded: low in the requests chart's
	// plot, inside and outside the window look alike.
	d := &g.view.Charts.Charts[ChartRequests]
	geo := ComputeChart(ChartPlot(l.Charts[ChartRequests], &l), d)
	pix, w := readPixels(img)
	y := int(geo.Plot.Bottom() - 3)
	inside, outside := at(pix, w, int(geo.X(100)), y), at(pix, w, int(geo.X(40)), y)
	assert.True(t, near(inside, outside, 3), "before the reveal the outage is not shaded: %v vs %v", inside, outside)

	// A click on the chart at 82 s marks the start there.
	g.Click(geo.X(82), geo.Plot.Y+geo.Plot.H/2)
	require.True(t, ctl.Drill().Answer().StartGiven)
	assert.InDelta(t, 82, ctl.Drill().Answer().Start.Seconds(), 1)

	// The answer panel: a click on the right cause, then submit.
	g.Do(CmdAnswer)
	require.Equal(t, ModeAnswer, g.Mode())
	p := g.drillPanel()
	right, ok := p.Find(DrillAction{Kind: ActChoose, N: ctl.Drill().Drill.Answer})
	require.True(t, ok)
	g.Click(right.Rect.X+10, right.Rect.Y+right.Rect.H/2)
	assert.Equal(t, ctl.Drill().Drill.Answer, ctl.Drill().Answer().Choice)
	g.Draw(img)
	submit, _ := g.drillPanel().Find(DrillAction{Kind: ActSubmit})
	g.Click(submit.Rect.X+5, submit.Rect.Y+5)
	require.True(t, ctl.Drill().Revealed())
	assert.Equal(t, ModeAnswer, g.Mode(), "the reveal opens in the panel")
	assert.Equal(t, 100, ctl.Drill().Result().Score)
	img.Clear()
	g.Draw(img)
	pix, w = readPixels(img)
	var chart PanelItem
	for _, it := range g.drillPanel().Items {
		if it.Kind == ItemChart {
			chart = it
		}
	}
	require.Positive(t, chart.Rect.W, "the reveal has the evidence chart")
	assert.True(t, hasColor(pix, w, chart.Rect.Inset(20), ColRed, 10), "the evidence chart draws this run's line")

	copyBtn, _ := g.drillPanel().Find(DrillAction{Kind: ActCopy})
	g.Click(copyBtn.Rect.X+5, copyBtn.Rect.Y+5)
	require.Len(t, host.copies, 1)
	assert.Equal(t, ctl.Drill().Result().Line(), host.copies[0])

	// Closed, the dashboard shows the outage's band and the evidence.
	closeBtn, _ := g.drillPanel().Find(DrillAction{Kind: ActClose})
	g.Click(closeBtn.Rect.X+5, closeBtn.Rect.Y+5)
	require.Equal(t, ModeDashboard, g.Mode())
	img.Clear()
	g.Invalidate()
	g.Draw(img)
	readout = g.Readout()
	ec, _, _ := EvidenceChart(ctl.Drill().Drill.Evidence.Metric)
	for i := range NumCharts {
		v := readout[PanelChartOf(i).String()].Values
		assert.Equal(t, 1.0, v["bands"], "chart %d", i)
		assert.Equal(t, 2.0, v["markers"], "chart %d", i)
		assert.Equal(t, i == ec, v["highlight"] == 1, "chart %d", i)
	}
	assert.Equal(t, 2.0, readout["story"].Values["drill"])
	pix, w = readPixels(img)
	inside, outside = at(pix, w, int(geo.X(100)), y), at(pix, w, int(geo.X(40)), y)
	assert.Greater(t, int(inside.R), int(outside.R)+20, "the reveal shades the outage: %v vs %v", inside, outside)

	// Next drill: the next built-in, no answer, hidden again.
	g.Do(CmdAnswer)
	next, _ := g.drillPanel().Find(DrillAction{Kind: ActNext})
	g.Click(next.Rect.X+5, next.Rect.Y+5)
	assert.Equal(t, DrillRef{Code: drill.Builtins()[1].Code}, ctl.Drill().Ref)
	assert.True(t, ctl.Drill().Hidden())
	assert.Equal(t, "?"+ctl.Drill().Ref.Query()+"&speed=max", host.queries[len(host.queries)-1])
}

// Keys in the answer panel: 1-5 the cause, 6-0 the follow-up, nothing for
// keys beyond the choices or letters that would leave the drill, and Enter
// after the reveal submits nothing again.
func TestAnswerPanelKeys(t *testing.T) {
	g, ctl, _ := newTestGame(t, "drill=bandwidth-cohort&speed=max", nil)
	s := ctl.Drill()
	require.NotNil(t, s.Drill.Followup)
	g.Do(CmdAnswer)
	for _, r := range "3" + "7" + "9" + "p" + "d" + "r" {
		g.Do(MapKey(g.Mode(), r))
	}
	assert.Equal(t, ModeAnswer, g.Mode(), "still answering")
	assert.Equal(t, 3, s.Answer().Choice)
	assert.Equal(t, 2, s.Answer().Followup, "7 is the follow-up's second answer")
	assert.Same(t, s, ctl.Drill(), "the drill and its answer are kept")
	assert.Empty(t, g.Problems(), "keys beyond the choices (9: a fourth follow-up) are ignored")
	g.Do(CmdSubmit)
	require.True(t, s.Revealed())
	g.Do(CmdSubmit)
	assert.Empty(t, g.Problems(), "a second submit after the reveal is not an error")
}

// The panel is laid out again only when what it shows changes.
func TestDrillPanelLayoutIsKept(t *testing.T) {
	g, ctl, _ := newTestGame(t, "drill=outage&speed=max", nil)
	g.Do(CmdAnswer)
	p1, p2 := g.drillPanel(), g.drillPanel()
	require.NotEmpty(t, p1.Items)
	assert.Same(t, &p1.Items[0], &p2.Items[0], "the same layout for the same answer")
	require.NoError(t, ctl.ChooseCause(2))
	p3 := g.drillPanel()
	assert.NotSame(t, &p1.Items[0], &p3.Items[0], "a new layout for a new answer")
	c2, ok := p3.Find(DrillAction{Kind: ActChoose, N: 2})
	require.True(t, ok)
	assert.Equal(t, ItemChosen, c2.Kind)
	g.outW, g.outH = 1024, 640
	g.layoutNow()
	p4 := g.drillPanel()
	assert.NotSame(t, &p3.Items[0], &p4.Items[0], "a new layout for a new screen")
}
