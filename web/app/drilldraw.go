//go:build js

package app

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// menuLen is the number of items of the open menu.
func (g *Game) menuLen() int {
	switch g.mode {
	case ModePresetMenu:
		return len(scenario.Presets())
	case ModeFaultMenu:
		return len(FaultMenuItems)
	case ModeDrillMenu:
		return len(g.drillMenu())
	}
	return 0
}

// drillMenu is the Drills menu; its random drill is the one after the
// random drill being played, or the one of the run's seed.
func (g *Game) drillMenu() []DrillMenuEntry {
	seed := g.Ctl.Seed()
	if s := g.Ctl.Drill(); s != nil && s.Ref.Random {
		seed = NextSeed(s.Ref.Seed)
	}
	return DrillMenu(seed)
}

// startDrill starts a drill from the menu or the result's next button.
func (g *Game) startDrill(ref DrillRef) {
	if err := g.Ctl.StartDrill(ref); err != nil {
		g.fail(err)
		return
	}
	g.afterRestart()
	g.say("drill: " + ref.Title() + " (press a to answer)")
}

// drillPanel lays out the answer panel of the drill being played.
// The layout is kept until the answer, the drill, the screen or the next
// button's label changes: hover and every frame's overlay key read it, and
// laying it out measures every word of the explanation.
func (g *Game) drillPanel() DrillPanel {
	s := g.Ctl.Drill()
	if s == nil {
		return DrillPanel{}
	}
	key := drillPanelKey{session: s, version: s.Version(), w: g.l.W, h: g.l.H, scale: g.l.Scale, next: NextLabel(g.Ctl.NextInSet())}
	if key != g.panelKey {
		g.panel = LayoutDrillPanel(&g.l, s, key.next, g.R.Wrap)
		g.panelKey = key
	}
	return g.panel
}

// drillPanelKey is what the drill panel's layout depends on.
type drillPanelKey struct {
	session     *DrillSession
	version     int
	w, h, scale float64
	next        string
}

// drillAct runs an action of the drill panel.
func (g *Game) drillAct(a DrillAction) {
	c := g.Ctl
	s := c.Drill()
	if s == nil {
		g.fail(errNoDrill)
		return
	}
	switch a.Kind {
	case ActChoose:
		g.fail(c.ChooseCause(a.N))
	case ActFollowup:
		g.fail(c.ChooseFollowup(a.N))
	case ActClearStart:
		g.fail(c.ClearStart())
	case ActSubmit:
		if err := c.Submit(); err != nil {
			g.fail(err)
			return
		}
		g.mode = ModeAnswer // the reveal
		g.Host.SetQuery(c.Query())
	case ActCopy:
		line := s.Result().Line()
		if err := g.Host.Copy(line); err != nil {
			g.fail(fmt.Errorf("the result line could not be copied (%v); select it in the panel", err))
			return
		}
		g.copied = line
		g.say("copied: " + line)
	case ActNext:
		if err := c.NextDrill(); err != nil {
			g.fail(err)
			return
		}
		g.afterRestart()
		g.say(c.Drill().Title() + " (press a to answer)")
		g.mode = ModeDashboard
	case ActClose:
		g.mode = ModeDashboard
	}
}

// clickChart marks the drill's start where a chart is clicked (its plot or
// the time axis under it), while the answer is hidden.
func (g *Game) clickChart(x, y float64) {
	s := g.Ctl.Drill()
	if !s.Hidden() {
		return
	}
	i, ok := g.l.ChartAt(x, y)
	if !ok || g.selected >= 0 && g.l.Inspector.Contains(x, y) {
		return
	}
	geo := ComputeChart(ChartPlot(g.l.Charts[i], &g.l), &g.view.Charts.Charts[i])
	if x < geo.Plot.X || x > geo.Plot.Right() || y < geo.Plot.Y {
		return
	}
	t := time.Duration(geo.T(x) * float64(time.Second))
	if err := g.Ctl.MarkStart(t); err != nil {
		g.fail(err)
		return
	}
	g.say("start marked at " + stats.FormatClock(s.Answer().Start) + " (press a to answer)")
}

func (g *Game) drawDrillMenu(dst *ebiten.Image) {
	l := &g.l
	g.overlay(dst, "Pick a drill (keys 1-9 and 0, or click): find the fault, then see the answer")
	m := g.drillMenu()
	cur := g.Ctl.Drill()
	for i, r := range l.MenuItems(len(m)) {
		e := m[i]
		if r.Contains(g.mouseX, g.mouseY) || cur != nil && cur.Ref == e.Ref {
			Fill(dst, r, WithAlpha(ColBlue, 70))
		}
		g.R.Mono(dst, MenuKey(i)+" ", r.X+4*l.Scale, r.Y+5*l.Scale, l.FontBody, ColCyan, Left)
		g.R.Text(dst, e.Label, r.X+28*l.Scale, r.Y+5*l.Scale, l.FontBody, ColText, Left)
		what := "a fault drawn from the seed, or none: the same drill for everyone with the link"
		if e.Difficulty > 0 {
			what = "difficulty " + strings.Repeat("●", e.Difficulty) + strings.Repeat("○", 5-e.Difficulty)
		}
		g.R.Text(dst, what, r.X+220*l.Scale, r.Y+6*l.Scale, l.FontSmall, ColMuted, Left)
	}
}

func (g *Game) drawDrillPanel(dst *ebiten.Image) {
	l := &g.l
	s := g.Ctl.Drill()
	if s == nil {
		return
	}
	p := g.drillPanel()
	g.overlay(dst, g.R.Fit(p.Title, l.FontTitle, l.Overlay.W-4*l.Pad-90*l.Scale))
	u := l.Scale
	for _, it := range p.Items {
		hover := it.Action.Kind != ActNone && it.Rect.Contains(g.mouseX, g.mouseY)
		switch it.Kind {
		case ItemText:
			x := it.Rect.X
			if it.Label != "" {
				g.R.Text(dst, it.Label, x-74*u, it.Rect.Y+1*u, l.FontSmall, ColMuted, Left)
			}
			g.R.Text(dst, g.R.Fit(it.Text, it.Size, it.Rect.W), x, it.Rect.Y, it.Size, it.Color, Left)
		case ItemChoice, ItemChosen:
			switch {
			case it.Kind == ItemChosen:
				Fill(dst, it.Rect, WithAlpha(ColCyan, 70))
				Stroke(dst, it.Rect, math.Max(1, u), ColCyan)
			case hover:
				Fill(dst, it.Rect, WithAlpha(ColBlue, 60))
			}
			g.R.Mono(dst, it.Label, it.Rect.X+6*u, it.Rect.Y+5*u, it.Size, ColCyan, Left)
			g.R.Text(dst, g.R.Fit(it.Text, it.Size, it.Rect.W-34*u), it.Rect.X+28*u, it.Rect.Y+4*u, it.Size, it.Color, Left)
		case ItemButton, ItemButtonOff:
			b := Button{Label: it.Text, Rect: it.Rect}
			g.R.Button(dst, b, it.Text, false, hover && it.Kind == ItemButton, l)
			if it.Kind == ItemButtonOff {
				Fill(dst, it.Rect, WithAlpha(ColPanel, 150))
			}
		case ItemMono:
			g.R.Mono(dst, g.R.Fit(it.Text, it.Size, it.Rect.W), it.Rect.X, it.Rect.Y, it.Size, it.Color, Left)
		case ItemChart:
			g.R.ChartBase(dst, it.Rect, EvidenceChartData(s), l)
		}
	}
}
