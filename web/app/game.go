//go:build js

package app

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Host is what the game needs from the page (window.swarmsim's side): file
// downloads and the address bar. Tests pass a recorder.
type Host interface {
	Download(name, mime, text string)
	SetQuery(query string)
	// Copy puts text on the clipboard (a drill's result line).
	Copy(text string) error
}

// Game is the Ebiten game of the dashboard.
type Game struct {
	Ctl  *Controller
	R    *Renderer
	Host Host

	l          Layout
	outW, outH float64
	scale      float64

	mode     Mode
	selected int // client id in the inspector, -1 for none
	grid     GridGeometry
	states   []uint8

	mouseX, mouseY float64
	hoverClient    int // -1 for none

	frames     int64
	firstFrame time.Duration // wall time of the first frame since start
	started    time.Duration

	problems []string // URL problems and failed actions, for errors()
	toast    string
	toastTTL int

	chars []rune

	sched          RedrawScheduler
	view           *View // what the screen shows
	readout        [NumPanels]PanelReadout
	damage         []Rect
	fullRedraw     bool
	screenReady    bool
	overlayShown   bool
	overlayKey     [3]int
	drawnW, drawnH int
	inspectorShown bool
	inspected      engine.ClientView // the selected client at the view's instant
	// drillLayout is whether the layout has the drill's toolbar.
	drillLayout bool
	// copied is the last text put on the clipboard.
	copied string
	// panel is the drill panel's layout for panelKey (drillPanel).
	panel    DrillPanel
	panelKey drillPanelKey
	// DrawCost accumulates the wall time spent redrawing each panel, for
	// window.swarmsim.timings().
	DrawCost [NumPanels]time.Duration

	// PendingClicks, when set, returns the primary clicks (screen pixels)
	// since the last update; the browser queues them from mousedown events
	// so a click shorter than a frame is not lost.
	PendingClicks func() [][2]float64
	// PendingKeys, when set, returns the keys without a character
	// ("Escape", "Enter") pressed since the last update.
	PendingKeys func() []string
}

// NewGame builds the dashboard for a controller.
func NewGame(ctl *Controller, host Host, problems []string) (*Game, error) {
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return &Game{Ctl: ctl, R: r, Host: host, selected: -1, hoverClient: -1, inspected: engine.ClientView{ID: -1},
		problems: append([]string(nil), problems...), started: ctl.WallNow()}, nil
}

// LayoutF implements ebiten.LayoutFer: the screen has one pixel per device
// pixel, so text stays sharp on HiDPI screens.
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	if s <= 0 {
		s = 1
	}
	w, h := math.Ceil(outsideW*s), math.Ceil(outsideH*s)
	if w != g.outW || h != g.outH || s != g.scale {
		g.outW, g.outH, g.scale = w, h, s
		g.relayout()
	}
	return w, h
}

// Layout implements ebiten.Game (LayoutF is used instead).
func (g *Game) Layout(outsideW, outsideH int) (int, int) {
	w, h := g.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}

func (g *Game) relayout() { g.layoutNow() }

func (g *Game) layoutNow() {
	buttons := ToolbarButtons
	g.drillLayout = g.Ctl.Drill() != nil
	if g.drillLayout {
		buttons = DrillToolbarButtons
	}
	l := ComputeLayoutWith(g.outW, g.outH, g.scale, func(string) float64 { return 0 }, buttons)
	size := l.FontBody
	g.l = ComputeLayoutWith(g.outW, g.outH, g.scale, func(s string) float64 { return g.R.Measure(s, size) }, buttons)
	if g.view != nil {
		g.syncGrid()
	}
}

// Mode reports what has the keyboard.
func (g *Game) Mode() Mode { return g.mode }

// Selected returns the client in the inspector (-1 for none).
func (g *Game) Selected() int { return g.selected }

// Frames counts Draw calls; Updates counts Update calls.
func (g *Game) Frames() int64 { return g.frames }

// FirstFrame is the wall time from the game's start to its first frame.
func (g *Game) FirstFrame() time.Duration { return g.firstFrame }

// Problems lists the messages shown to the user so far.
func (g *Game) Problems() []string { return g.problems }

// LayoutInfo returns the current layout (device pixels).
func (g *Game) LayoutInfo() Layout { return g.l }

// Grid returns the client grid geometry of the last update.
func (g *Game) Grid() GridGeometry { return g.grid }

func (g *Game) fail(err error) {
	if err == nil {
		return
	}
	g.problems = append(g.problems, err.Error())
	g.say(err.Error())
}

func (g *Game) say(msg string) {
	g.toast = msg
	g.toastTTL = 4 * UpdatesPerSecond
}

// Update implements ebiten.Game.
func (g *Game) Update() error {
	if g.l.W == 0 && g.outW > 0 {
		g.layoutNow()
	}
	g.Ctl.Update()
	if (g.Ctl.Drill() != nil) != g.drillLayout && g.outW > 0 {
		g.layoutNow()
		g.fullRedraw = true
	}
	g.handleInput()
	if g.toastTTL > 0 {
		g.toastTTL--
	}
	return nil
}

func (g *Game) handleInput() {
	// Typed characters are queued by Ebiten until the next update, so a key
	// pressed and released within one frame is never lost; they also follow
	// the keyboard layout ('+', '?').
	g.chars = ebiten.AppendInputChars(g.chars[:0])
	for _, r := range g.chars {
		g.Do(MapKey(g.mode, r))
	}
	// Escape and Enter have no character: the browser queues their
	// keydowns (a press shorter than a frame would be lost), else Ebiten's
	// key state is read.
	var escape, enter bool
	if g.PendingKeys != nil {
		for _, k := range g.PendingKeys() {
			escape = escape || k == "Escape"
			enter = enter || k == "Enter"
		}
	} else {
		escape = inpututil.IsKeyJustPressed(ebiten.KeyEscape)
		enter = inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter)
	}
	if escape {
		g.Do(CmdClose)
	}
	if enter && g.mode == ModeAnswer && g.Ctl.Drill().Hidden() {
		g.Do(CmdSubmit)
	}
	cx, cy := ebiten.CursorPosition()
	g.mouseX, g.mouseY = float64(cx), float64(cy)
	g.hoverClient = -1
	if id, ok := g.grid.HitTest(g.mouseX, g.mouseY); ok && g.mode == ModeDashboard {
		g.hoverClient = id
	}
	if g.PendingClicks != nil {
		for _, p := range g.PendingClicks() {
			g.Click(p[0], p[1])
		}
	} else if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		g.Click(g.mouseX, g.mouseY)
	}
}

// Click handles a primary click at a screen position (device pixels).
func (g *Game) Click(x, y float64) {
	switch g.mode {
	case ModeHelp:
		g.mode = ModeDashboard
		return
	case ModeAnswer:
		if a, ok := g.drillPanel().At(x, y); ok {
			g.drillAct(a)
		} else if !g.l.Overlay.Contains(x, y) {
			g.mode = ModeDashboard
		}
		return
	case ModePresetMenu, ModeFaultMenu, ModeDrillMenu:
		n := g.menuLen()
		for i, r := range g.l.MenuItems(n) {
			if r.Contains(x, y) {
				g.pick(i) // the drills menu has more items than keys
				return
			}
		}
		if !g.l.Overlay.Contains(x, y) {
			g.mode = ModeDashboard
		}
		return
	}
	if b, ok := g.l.ButtonAt(x, y); ok {
		g.Do(b.Cmd)
		return
	}
	if g.selected >= 0 && g.inspectorClose().Contains(x, y) {
		g.selected = -1
		return
	}
	if id, ok := g.grid.HitTest(x, y); ok {
		g.selected = id
		return
	}
	g.clickChart(x, y)
}

// SelectClient opens the inspector on a client; false if it does not exist.
func (g *Game) SelectClient(id int) bool {
	if _, ok := g.Ctl.Client(id); !ok {
		return false
	}
	g.selected = id
	return true
}

// ClickCell clicks the centre of client id's grid cell, as the mouse would.
func (g *Game) ClickCell(id int) bool {
	if id < 0 || id >= g.grid.Shown {
		return false
	}
	r := g.grid.CellRect(id)
	g.mode = ModeDashboard
	g.Click(r.X+r.W/2, r.Y+r.H/2)
	return g.selected == id
}

// Do runs a command.
func (g *Game) Do(cmd Command) {
	c := g.Ctl
	switch cmd {
	case CmdNone:
	case CmdTogglePause:
		c.SetPaused(!c.Paused())
	case CmdSpeed1, CmdSpeed10, CmdSpeed60, CmdSpeedMax:
		c.SetSpeed(Speeds[cmd-CmdSpeed1])
		g.Host.SetQuery(c.Query())
	case CmdRestart:
		g.fail(c.Restart(c.Seed()))
		g.afterRestart()
	case CmdNewSeed:
		g.fail(c.NewSeed())
		g.afterRestart()
	case CmdPresetMenu:
		g.toggle(ModePresetMenu)
	case CmdFaultMenu:
		g.toggle(ModeFaultMenu)
	case CmdHelp:
		g.toggle(ModeHelp)
	case CmdDrillMenu:
		g.toggle(ModeDrillMenu)
	case CmdAnswer:
		if c.Drill() == nil {
			g.say("no drill is being played: press d to pick one")
			return
		}
		g.toggle(ModeAnswer)
	case CmdSubmit:
		if c.Drill().Hidden() { // after the reveal there is nothing to submit
			g.drillAct(DrillAction{Kind: ActSubmit})
		}
	case CmdClose:
		if g.mode != ModeDashboard {
			g.mode = ModeDashboard
		} else {
			g.selected = -1
		}
	case CmdFaultOutage, CmdFault503, CmdFaultCapacity, CmdFaultStale, CmdAddClients, CmdRemoveClients:
		kind, _ := FaultKind(cmd)
		if err := c.Inject(kind); err != nil {
			g.fail(err)
		} else {
			g.say("injected: " + kind)
		}
		g.mode = ModeDashboard
	case CmdDownloadJSON, CmdDownloadCSV:
		format, mime := "json", "application/json"
		if cmd == CmdDownloadCSV {
			format, mime = "csv", "text/csv"
		}
		text, err := c.Download(format)
		if err != nil {
			g.fail(err)
			return
		}
		run := c.Preset()
		if s := c.Drill(); s != nil {
			run = "drill-" + s.Drill.Name()
		}
		name := fmt.Sprintf("swarmsim-%s-seed%d.%s", run, c.Seed(), format)
		g.Host.Download(name, mime, text)
		g.say("downloaded " + name)
	default:
		if cmd >= CmdPick1 && cmd <= CmdPick10 {
			g.pick(int(cmd - CmdPick1))
		}
	}
}

func (g *Game) pick(i int) {
	switch g.mode {
	case ModePresetMenu:
		ps := scenario.Presets()
		if i < len(ps) {
			g.fail(g.Ctl.SelectPreset(ps[i].Name))
			g.afterRestart()
		}
	case ModeFaultMenu:
		if i < len(FaultMenuItems) {
			g.Do(FaultMenuItems[i].Cmd)
		}
	case ModeDrillMenu:
		if m := g.drillMenu(); i < len(m) {
			g.startDrill(m[i].Ref)
		}
	case ModeAnswer:
		// Keys beyond the choices do nothing.
		s := g.Ctl.Drill()
		switch {
		case !s.Hidden():
		case i < AnswerFollowupKeys && i < len(s.Drill.Choices):
			g.fail(g.Ctl.ChooseCause(i + 1))
		case i >= AnswerFollowupKeys && s.Drill.Followup != nil && i-AnswerFollowupKeys < len(s.Drill.Followup.Choices):
			g.fail(g.Ctl.ChooseFollowup(i - AnswerFollowupKeys + 1))
		}
		return // the panel stays open
	}
	g.mode = ModeDashboard
}

func (g *Game) afterRestart() {
	g.selected = -1
	g.Host.SetQuery(g.Ctl.Query())
}

func (g *Game) toggle(m Mode) {
	if g.mode == m {
		g.mode = ModeDashboard
	} else {
		g.mode = m
	}
}

func (g *Game) inspectorClose() Rect {
	r := g.l.Inspector
	s := 22 * g.l.Scale
	return Rect{r.Right() - s - g.l.Pad, r.Y + 4*g.l.Scale, s, s}
}

// Drawing strategy. Ebiten keeps the screen between frames
// (SetScreenClearedEveryFrame(false), set by RunBrowser), so a frame redraws
// only what changed: the RedrawScheduler keeps each panel's key and the
// pace of views. Every figure drawn comes from the controller's View, one
// virtual instant; a frame that takes a new view redraws every panel that
// shows it. Transient things (hover read-outs, tooltips, the selection
// outline, the toast) record the rectangles they covered, which are
// repaired on the next frame. Under a software GL (SwiftShader in headless
// Chromium) fill rate is the cost, so not repainting 1280x800 pixels three
// times a frame is what keeps the frame rate up.

// panel is one part of the dashboard: where it is, what it shows (key)
// and how to draw it.
type panel struct {
	id   Panel
	rect Rect
	key  any
	draw func(dst *ebiten.Image)
}

// damaged paints r with the background and forgets the panels under it, so
// that they are redrawn.
func (g *Game) damaged(screen *ebiten.Image, r Rect, panels []panel) {
	Fill(screen, r, ColBackground)
	if overlaps(r, g.l.Grid) {
		g.sched.Forget(PanelGridCells)
	}
	for _, p := range panels {
		if overlaps(p.rect, r) {
			g.sched.Forget(p.id)
		}
	}
}

// Draw implements ebiten.Game.
func (g *Game) Draw(screen *ebiten.Image) {
	if g.l.W == 0 {
		g.layoutNow()
	}
	g.frames++
	if g.frames == 1 {
		g.firstFrame = g.Ctl.WallNow() - g.started
	}
	c := g.Ctl
	wall := c.WallNow()
	if !g.screenReady || screen.Bounds().Dx() != g.drawnW || screen.Bounds().Dy() != g.drawnH || g.fullRedraw {
		screen.Fill(ColBackground)
		g.sched.ForgetAll()
		g.damage = g.damage[:0]
		g.drawnW, g.drawnH = screen.Bounds().Dx(), screen.Bounds().Dy()
		g.fullRedraw, g.screenReady = false, true
	}
	if g.mode != ModeDashboard {
		g.drawOverlay(screen)
		return
	}
	if g.overlayShown {
		screen.Fill(ColBackground)
		g.sched.ForgetAll()
		g.overlayShown = false
	}

	// A newly selected client is shown from a new view: its figures are
	// read at the view's instant, as every other panel's.
	newSelection := g.selected >= 0 && g.inspected.ID != g.selected
	newView := g.view == nil || newSelection || g.sched.ViewDue(wall, c.Generation(), c.Now() != g.view.At)
	if newView {
		g.takeView()
	}
	panels := g.panels()
	if open := g.selected >= 0; open != g.inspectorShown {
		g.inspectorShown = open
		g.damaged(screen, g.l.Inspector, panels)
	}
	for _, r := range g.damage {
		g.damaged(screen, r, panels)
	}
	g.damage = g.damage[:0]

	for _, p := range panels {
		if p.id == PanelGrid && g.sched.Stale(p.id, p.key) {
			g.sched.Forget(PanelGridCells) // the panel background covers the cells
		}
		if !g.sched.Stale(p.id, p.key) {
			continue
		}
		t0 := c.WallNow()
		p.draw(screen)
		g.DrawCost[p.id] += c.WallNow() - t0
		g.sched.Drawn(p.id, p.key)
	}
	if newView {
		g.sched.ViewShown(wall, c.Generation(), c.WallNow()-wall)
	}
	g.drawTransients(screen)
}

// drawOverlay draws a menu or the help over the dashboard, which stands
// still underneath.
func (g *Game) drawOverlay(screen *ebiten.Image) {
	key := [3]int{int(g.mode), g.menuHover(), g.Ctl.Drill().Version()}
	if g.overlayShown && g.overlayKey == key {
		return
	}
	if g.view == nil {
		g.takeView()
	}
	for _, p := range g.panels() {
		p.draw(screen)
	}
	switch g.mode {
	case ModeHelp:
		g.drawHelp(screen)
	case ModePresetMenu:
		g.drawPresetMenu(screen)
	case ModeFaultMenu:
		g.drawFaultMenu(screen)
	case ModeDrillMenu:
		g.drawDrillMenu(screen)
	case ModeAnswer:
		g.drawDrillPanel(screen)
	}
	g.sched.ForgetAll()
	g.overlayShown, g.overlayKey = true, key
}

// drawTransients draws what is repaired next frame: the selection outline,
// a chart's hover read-out, a cell's tooltip and the toast.
func (g *Game) drawTransients(screen *ebiten.Image) {
	l := &g.l
	if g.selected >= 0 && g.selected < g.grid.Shown {
		r := g.grid.CellRect(g.selected)
		o := Rect{r.X - 2*l.Scale, r.Y - 2*l.Scale, r.W + 4*l.Scale, r.H + 4*l.Scale}
		Stroke(screen, o, math.Max(1, l.Scale), ColText)
		g.damage = append(g.damage, o)
	}
	charts := g.view.Charts
	if i, ok := l.ChartAt(g.mouseX, g.mouseY); ok && !(g.selected >= 0 && l.Inspector.Contains(g.mouseX, g.mouseY)) {
		d := &charts.Charts[i]
		geo := ComputeChart(ChartPlot(l.Charts[i], l), d)
		if tip, ok := g.R.ChartHover(screen, geo, d, l, g.mouseX, g.mouseY); ok {
			g.damage = append(g.damage, l.Charts[i], tip)
		}
	}
	if g.hoverClient >= 0 && g.hoverClient < len(g.states) {
		st := clients.State(g.states[g.hoverClient])
		tip := g.R.Tooltip(screen, g.mouseX+14*l.Scale, g.mouseY+10*l.Scale,
			[]string{fmt.Sprintf("client %d: %s", g.hoverClient, st), "click to inspect"},
			[]color.Color{StateColor(st), ColMuted}, l, Rect{0, 0, l.W, l.H})
		g.damage = append(g.damage, tip)
	}
	if g.toastTTL > 0 && g.toast != "" {
		box := ToastRect(l, g.R.Measure(g.toast, l.FontBody))
		Fill(screen, box, WithAlpha(rgb(0x0B1220), 235))
		Stroke(screen, box, math.Max(1, l.Scale), ColBlue)
		g.R.Text(screen, g.toast, box.X+12*l.Scale, box.Y+7*l.Scale, l.FontBody, ColText, Left)
		g.damage = append(g.damage, box)
	}
}

// Invalidate makes the next frame redraw everything (for a new target).
func (g *Game) Invalidate() { g.fullRedraw = true }

// menuHover is the index of the menu row under the pointer (-1 for none).
func (g *Game) menuHover() int {
	if g.mode == ModeAnswer {
		for i, it := range g.drillPanel().Items {
			if it.Action.Kind != ActNone && it.Rect.Contains(g.mouseX, g.mouseY) {
				return i
			}
		}
		return -1
	}
	for i, r := range g.l.MenuItems(g.menuLen()) {
		if r.Contains(g.mouseX, g.mouseY) {
			return i
		}
	}
	return -1
}

// panels lists what the dashboard draws, with each panel's key.
func (g *Game) panels() []panel {
	l := &g.l
	c := g.Ctl
	v := g.view
	hovered := -1
	for i, b := range l.Buttons {
		if b.Rect.Contains(g.mouseX, g.mouseY) {
			hovered = i
		}
	}
	vk := ViewKey{v.Seq}
	ps := []panel{
		{id: PanelHeader, rect: l.Header, key: HeaderKey{View: v.Seq, Speed: c.Speed(), Effective: int64(math.Round(c.EffectiveSpeed() * 10)), State: c.State()}, draw: g.drawHeader},
		{id: PanelToolbar, rect: l.Toolbar, key: ToolbarKey{Paused: c.Paused(), Speed: c.Speed(), Mode: g.mode, Hovered: hovered, Drill: drillPhase(c.Drill())}, draw: func(dst *ebiten.Image) {
			Fill(dst, l.Toolbar, ColBackground)
			g.drawToolbar(dst)
		}},
		{id: PanelGrid, rect: l.Grid, key: GridKey{len(g.states), g.grid.Shown}, draw: func(dst *ebiten.Image) {
			g.R.Panel(dst, l.Grid, "", l)
			title := fmt.Sprintf("clients (%s)", stats.FormatNumber(int64(len(g.states))))
			if g.grid.Shown < len(g.states) {
				title += fmt.Sprintf(" — first %s shown", stats.FormatNumber(int64(g.grid.Shown)))
			}
			g.R.Text(dst, title, l.Grid.X+l.Pad, l.Grid.Y+4*l.Scale, l.FontBody, ColText, Left)
			g.drawStateLegend(dst)
		}},
		{id: PanelGridCells, rect: l.Cells, key: CellsKey{v.Seq, g.grid}, draw: func(dst *ebiten.Image) {
			g.R.Grid(dst, g.grid, g.states)
			g.record(PanelGridCells, cellsReadout(g.states))
		}},
		{id: PanelStory, rect: l.Story, key: vk, draw: g.drawStory},
		{id: PanelSummary, rect: l.Summary, key: vk, draw: func(dst *ebiten.Image) {
			g.R.Panel(dst, l.Summary, "summary", l)
			g.R.Stats(dst, l.Summary, SummaryStats(&v.Agg, v.Live), 2, l)
			g.record(PanelSummary, summaryReadout(&v.Agg, v.Live))
		}},
		{id: PanelErrors, rect: l.Errors, key: vk, draw: func(dst *ebiten.Image) {
			g.R.Panel(dst, l.Errors, "errors", l)
			g.R.Stats(dst, l.Errors, ErrorStats(&v.Agg), 2, l)
			g.record(PanelErrors, errorsReadout(&v.Agg))
		}},
	}
	for i := range NumCharts {
		if g.selected >= 0 && overlaps(l.Charts[i], l.Inspector) {
			continue // under the inspector
		}
		d := &v.Charts.Charts[i]
		rc := l.Charts[i]
		id := PanelChartOf(i)
		ps = append(ps, panel{id: id, rect: rc, key: vk, draw: func(dst *ebiten.Image) {
			g.R.ChartBase(dst, rc, d, l)
			g.record(id, chartReadout(d))
		}})
	}
	if g.selected >= 0 {
		ps = append(ps, panel{id: PanelInspector, rect: l.Inspector, key: InspectorKey{v.Seq, g.selected}, draw: g.drawInspector})
	}
	return ps
}

// takeView takes a new view, with the selected client's figures.
func (g *Game) takeView() {
	g.view = g.Ctl.TakeView()
	g.syncGrid()
	g.inspected = engine.ClientView{ID: -1}
	if g.selected >= 0 {
		if cv, ok := g.Ctl.Client(g.selected); ok {
			g.inspected = cv
		}
	}
}

// syncGrid copies the view's client states for the grid and fits the
// grid to their number.
func (g *Game) syncGrid() {
	st := g.view.States
	g.states = g.states[:0]
	for _, s := range st {
		g.states = append(g.states, uint8(s))
	}
	maxCell := int(math.Round(22 * g.l.Scale))
	g.grid = ComputeGrid(g.l.Cells, len(g.states), maxCell)
}

// record keeps what a panel drew, with the view's instant, for
// window.swarmsim.drawn().
func (g *Game) record(p Panel, values map[string]float64) {
	g.readout[p] = PanelReadout{At: g.view.At.Seconds(), Values: values}
}

// Readout returns what the panels on screen show (see PanelReadout).
func (g *Game) Readout() map[string]PanelReadout {
	out := map[string]PanelReadout{}
	for p, r := range g.readout {
		if r.Values != nil {
			out[Panel(p).String()] = r
		}
	}
	return out
}

func (g *Game) drawHeader(dst *ebiten.Image) {
	l := &g.l
	c := g.Ctl
	Fill(dst, l.Header, ColPanel)
	Fill(dst, Rect{0, l.Header.Bottom() - math.Max(1, l.Scale), l.W, math.Max(1, l.Scale)}, ColBorder)
	u := l.Scale
	y := l.Header.Y + (l.Header.H-l.FontTitle)/2 - 2*u
	x := l.Pad * 1.5
	g.R.Text(dst, "swarmsim", x, y, l.FontTitle, ColCyan, Left)
	x += g.R.Measure("swarmsim", l.FontTitle) + 16*u

	v := g.view
	agg := &v.Agg
	health, h := OverallHealth(agg, CountStates(g.states))
	state := c.State()
	stateCol := ColGreen
	switch state {
	case StatePaused:
		stateCol = ColAmber
	case StateFinished:
		stateCol = ColMuted
	}
	speed := c.Speed().String()
	if eff := c.EffectiveSpeed(); eff > 0 && !c.Paused() && state == StateRunning {
		speed += fmt.Sprintf(" (%.1fx)", eff)
	}
	runLabel, run := "scenario", c.Preset()
	if s := c.Drill(); s != nil {
		runLabel, run = "drill", strings.TrimPrefix(s.Title(), "drill ")
	}
	items := []struct {
		label, value string
		col          color.Color
	}{
		{runLabel, run, ColText},
		{"clock", stats.FormatClock(v.At) + " / " + stats.FormatClock(c.Scenario().Duration.D()), ColText},
		{"speed", speed, ColText},
		{"", string(state), stateCol},
		{"seed", fmt.Sprint(c.Seed()), ColText},
		{"clients", stats.FormatNumber(int64(agg.ActiveClients)) + " / " + stats.FormatNumber(int64(len(g.states))), ColText},
		{"health", health, h.Color()},
	}
	vy := y + 2*u
	for _, it := range items {
		if it.label != "" {
			g.R.Text(dst, it.label, x, vy+1*u, l.FontSmall, ColMuted, Left)
			x += g.R.Measure(it.label, l.FontSmall) + 5*u
		}
		g.R.Text(dst, it.value, x, vy-1*u, l.FontBody+1*u, it.col, Left)
		x += g.R.Measure(it.value, l.FontBody+1*u) + 16*u
	}
	g.R.Text(dst, "h: help", l.W-l.Pad*1.5, vy, l.FontSmall, ColMuted, Right)
	g.record(PanelHeader, map[string]float64{"clock": v.At.Seconds(), "active": float64(agg.ActiveClients), "clients": float64(len(g.states))})
}

// drawStory draws the story strip: the scenario's description and its
// current and next events, in full (a smaller font before cutting).
func (g *Game) drawStory(dst *ebiten.Image) {
	l := &g.l
	v := g.view
	Fill(dst, l.Story, ColPanel)
	lines := StoryLines(g.Ctl.Story(), v.Charts.Charts[0].Bands, v.At, g.Ctl.Scenario().Duration.D())
	if s := g.Ctl.Drill(); s != nil {
		lines = DrillStoryLines(s)
	}
	labelW := 40 * l.Scale
	for i, ln := range lines {
		r := l.StoryRow(i)
		g.R.Text(dst, ln.Label, r.X, r.Y, l.FontSmall, ColMuted, Left)
		w := r.W - labelW
		size := l.FontSmall
		for g.R.Measure(ln.Text, size) > w && size > 0.8*l.FontSmall {
			size -= 0.5 * l.Scale
		}
		g.R.Text(dst, g.R.Fit(ln.Text, size, w), r.X+labelW, r.Y+(l.FontSmall-size)/2, size, ln.Color, Left)
	}
	g.record(PanelStory, map[string]float64{"lines": float64(len(lines)), "drill": float64(drillPhase(g.Ctl.Drill()))})
}

func (g *Game) drawToolbar(dst *ebiten.Image) {
	c := g.Ctl
	for _, b := range g.l.Buttons {
		label := b.Label
		active := false
		switch b.Cmd {
		case CmdTogglePause:
			if c.Paused() {
				label, active = "Resume", true
			}
		case CmdSpeed1, CmdSpeed10, CmdSpeed60, CmdSpeedMax:
			active = Speeds[b.Cmd-CmdSpeed1] == c.Speed()
		case CmdPresetMenu:
			active = g.mode == ModePresetMenu
		case CmdFaultMenu:
			active = g.mode == ModeFaultMenu
		case CmdHelp:
			active = g.mode == ModeHelp
		case CmdDrillMenu:
			active = g.mode == ModeDrillMenu
		case CmdAnswer:
			active = g.mode == ModeAnswer
			if c.Drill().Revealed() {
				label = "Result…"
			}
		}
		g.R.Button(dst, b, label, active, b.Rect.Contains(g.mouseX, g.mouseY), &g.l)
	}
}

func (g *Game) drawStateLegend(dst *ebiten.Image) {
	l := &g.l
	x := l.Grid.Right() - l.Pad
	for s := clients.NumStates - 1; ; s-- {
		name := s.String()
		w := g.R.Measure(name, l.FontSmall)
		x -= w
		g.R.Text(dst, name, x, l.Grid.Y+22*l.Scale, l.FontSmall, ColMuted, Left)
		x -= 10 * l.Scale
		Fill(dst, Rect{x, l.Grid.Y + 25*l.Scale, 7 * l.Scale, 7 * l.Scale}, StateColor(s))
		x -= 8 * l.Scale
		if s == 0 {
			break
		}
	}
}

func (g *Game) drawInspector(dst *ebiten.Image) {
	l := &g.l
	v := g.inspected
	if v.ID != g.selected {
		g.selected = -1
		return
	}
	g.record(PanelInspector, map[string]float64{"client": float64(v.ID), "segments": float64(v.Stats.SegmentRequests)})
	r := l.Inspector
	Fill(dst, r, WithAlpha(ColPanel, 250))
	Stroke(dst, r, math.Max(2, 2*l.Scale), StateColor(v.State))
	u := l.Scale
	g.R.Text(dst, fmt.Sprintf("client %d", v.ID), r.X+l.Pad, r.Y+6*u, l.FontTitle, ColText, Left)
	g.R.Text(dst, v.State.String(), r.X+l.Pad+g.R.Measure(fmt.Sprintf("client %d", v.ID), l.FontTitle)+12*u, r.Y+8*u, l.FontBody, StateColor(v.State), Left)
	cb := g.inspectorClose()
	Stroke(dst, cb, math.Max(1, u), ColBorder)
	g.R.Text(dst, "×", cb.X+cb.W/2, cb.Y+2*u, l.FontTitle, ColText, Center)

	y := r.Y + 34*u
	rowH := l.FontBody + 6*u
	for _, s := range InspectorStats(v) {
		g.R.Text(dst, s.Label, r.X+l.Pad, y, l.FontSmall+0.5*u, ColMuted, Left)
		g.R.Text(dst, g.R.Fit(s.Value, l.FontBody, r.W-130*u-2*l.Pad), r.X+l.Pad+130*u, y-1*u, l.FontBody, s.Color(), Left)
		y += rowH
	}
	y += 6 * u
	g.R.Text(dst, "state history (newest first)", r.X+l.Pad, y, l.FontBody, ColText, Left)
	y += rowH
	rows := int((r.Bottom() - y - l.Pad) / (l.FontSmall + 5*u))
	for _, s := range HistoryLines(v.History, max(0, rows)) {
		g.R.Mono(dst, s.Label, r.X+l.Pad, y, l.FontSmall, ColMuted, Left)
		g.R.Text(dst, s.Value, r.X+l.Pad+90*u, y, l.FontSmall, StateColor(stateByName(s.Value)), Left)
		y += l.FontSmall + 5*u
	}
}

func stateByName(name string) clients.State {
	for s := clients.State(0); s < clients.NumStates; s++ {
		if s.String() == name {
			return s
		}
	}
	return clients.NumStates
}

func (g *Game) overlay(dst *ebiten.Image, title string) {
	l := &g.l
	Fill(dst, Rect{0, 0, l.W, l.H}, WithAlpha(rgb(0x000000), 140))
	Fill(dst, l.Overlay, ColPanel)
	Stroke(dst, l.Overlay, math.Max(2, 2*l.Scale), ColBlue)
	g.R.Text(dst, title, l.Overlay.X+2*l.Pad, l.Overlay.Y+12*l.Scale, l.FontTitle, ColText, Left)
	g.R.Text(dst, "esc closes", l.Overlay.Right()-2*l.Pad, l.Overlay.Y+14*l.Scale, l.FontSmall, ColMuted, Right)
}

func (g *Game) drawHelp(dst *ebiten.Image) {
	l := &g.l
	g.overlay(dst, "Keys and mouse")
	y := l.Overlay.Y + 44*l.Scale
	for _, b := range KeyBindings {
		g.R.Mono(dst, b.Keys, l.Overlay.X+2*l.Pad, y, l.FontBody, ColCyan, Left)
		g.R.Text(dst, b.What, l.Overlay.X+2*l.Pad+90*l.Scale, y, l.FontBody, ColText, Left)
		y += l.LineHeight + 4*l.Scale
	}
	y += 6 * l.Scale
	for _, line := range g.R.Wrap("Grid colours: "+stateLegendText()+". The strip under the toolbar tells the scenario's story and the events under way and next, in full; charts shade the events (faults injected live start with \"Live:\"); hover a chart to read values; a line breaks where an interval has no samples. The errors chart shows the real tool's error rate and, apart, the share of failed TCP connects. Everything on screen is one instant of the run: the header's clock. URL: ?scenario=&clients=&seed=&speed= and any scenario key (capacity=, segment_duration=, ...) reproduce a run; the address bar keeps them. Drills (d): find a hidden fault, answer (a), then see the events, the evidence and a score; ?drill=CODE, ?drill=random&seed=N or ?set=A,B,C opens drills for a whole class (sim-native drills lists the codes).", l.FontSmall, l.Overlay.W-4*l.Pad) {
		g.R.Text(dst, line, l.Overlay.X+2*l.Pad, y, l.FontSmall, ColMuted, Left)
		y += l.FontSmall + 5*l.Scale
	}
}

func stateLegendText() string {
	var parts []string
	for s := clients.State(0); s < clients.NumStates; s++ {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ", ")
}

func (g *Game) drawPresetMenu(dst *ebiten.Image) {
	l := &g.l
	g.overlay(dst, "Pick a preset (keys 1-9 and 0, or click)")
	ps := scenario.Presets()
	for i, r := range l.MenuItems(len(ps)) {
		p := ps[i]
		hover := r.Contains(g.mouseX, g.mouseY)
		if hover || p.Name == g.Ctl.Preset() {
			Fill(dst, r, WithAlpha(ColBlue, 70))
		}
		key := MenuKey(i) + " "
		g.R.Mono(dst, key, r.X+4*l.Scale, r.Y+5*l.Scale, l.FontBody, ColCyan, Left)
		g.R.Text(dst, p.Name, r.X+28*l.Scale, r.Y+5*l.Scale, l.FontBody, ColText, Left)
		g.R.Text(dst, g.R.Fit(p.Description, l.FontSmall, r.W-170*l.Scale), r.X+160*l.Scale, r.Y+6*l.Scale, l.FontSmall, ColMuted, Left)
	}
}

func (g *Game) drawFaultMenu(dst *ebiten.Image) {
	l := &g.l
	g.overlay(dst, "Inject a fault now (1-6, the letter, or click)")
	for i, r := range l.MenuItems(len(FaultMenuItems)) {
		if r.Contains(g.mouseX, g.mouseY) {
			Fill(dst, r, WithAlpha(ColBlue, 70))
		}
		g.R.Mono(dst, fmt.Sprintf("%d", i+1), r.X+4*l.Scale, r.Y+5*l.Scale, l.FontBody, ColCyan, Left)
		g.R.Text(dst, FaultMenuItems[i].Label, r.X+28*l.Scale, r.Y+5*l.Scale, l.FontBody, ColText, Left)
	}
}
