package app

import "math"

// Rect is an axis-aligned rectangle in screen pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether the point is inside r (left/top edges included).
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && y >= r.Y && x < r.X+r.W && y < r.Y+r.H
}

// Inset shrinks r by d on every side (never below zero size).
func (r Rect) Inset(d float64) Rect {
	w, h := math.Max(0, r.W-2*d), math.Max(0, r.H-2*d)
	return Rect{r.X + d, r.Y + d, w, h}
}

// overlaps reports whether two rectangles share any area.
func overlaps(a, b Rect) bool {
	return a.X < b.Right() && b.X < a.Right() && a.Y < b.Bottom() && b.Y < a.Bottom()
}

// Right and Bottom return the far edges.
func (r Rect) Right() float64  { return r.X + r.W }
func (r Rect) Bottom() float64 { return r.Y + r.H }

// MinWidth and MinHeight are the smallest window (CSS pixels) the layout is
// designed for; smaller windows are laid out as if they were this size.
const (
	MinWidth  = 1024
	MinHeight = 640
)

// Chart identifies one time-series chart.
type Chart int

// The charts, in layout order (two columns, row by row).
const (
	ChartClients Chart = iota
	ChartThroughput
	ChartRequests
	ChartErrors
	ChartLatency
	ChartDrift
	NumCharts
)

// Button is a toolbar button: its label, command and place.
type Button struct {
	Label string
	Cmd   Command
	Rect  Rect
}

// ToolbarItem is a toolbar button before layout: its label and command.
type ToolbarItem struct {
	Label string
	Cmd   Command
}

// ToolbarButtons lists the toolbar, left to right.
var ToolbarButtons = []ToolbarItem{
	{"Pause", CmdTogglePause},
	{"1x", CmdSpeed1},
	{"10x", CmdSpeed10},
	{"60x", CmdSpeed60},
	{"max", CmdSpeedMax},
	{"Restart", CmdRestart},
	{"New seed", CmdNewSeed},
	{"Preset…", CmdPresetMenu},
	{"Faults…", CmdFaultMenu},
	{"Drills…", CmdDrillMenu},
	{"+clients", CmdAddClients},
	{"−clients", CmdRemoveClients},
	{"JSON", CmdDownloadJSON},
	{"CSV", CmdDownloadCSV},
	{"Help", CmdHelp},
}

// DrillToolbarButtons is the toolbar during a drill: no new seed and no
// live faults (a drill is one run, the same for everyone who plays it), and
// the answer panel.
var DrillToolbarButtons = []ToolbarItem{
	{"Pause", CmdTogglePause},
	{"1x", CmdSpeed1},
	{"10x", CmdSpeed10},
	{"60x", CmdSpeed60},
	{"max", CmdSpeedMax},
	{"Restart", CmdRestart},
	{"Answer…", CmdAnswer},
	{"Drills…", CmdDrillMenu},
	{"Preset…", CmdPresetMenu},
	{"JSON", CmdDownloadJSON},
	{"CSV", CmdDownloadCSV},
	{"Help", CmdHelp},
}

// Layout places every panel for one screen size. All values are in device
// pixels (CSS pixels x Scale).
type Layout struct {
	W, H, Scale float64
	Pad         float64

	Header  Rect
	Toolbar Rect
	Buttons []Button
	// Story is the strip under the toolbar with the scenario's story and
	// its current and next events, in full (StoryLines).
	Story Rect

	Grid    Rect // the client grid panel
	Cells   Rect // the area inside it where cells go
	Summary Rect
	Errors  Rect
	Charts  [NumCharts]Rect

	Inspector Rect // drawn over the charts' right column
	Overlay   Rect // centred: help, preset picker, fault menu

	// Font sizes in device pixels.
	FontBody, FontSmall, FontTitle float64
	LineHeight                     float64
}

// ComputeLayout lays out a screen of w x h device pixels at a device scale
// factor. measure returns the width of a label at FontBody (device pixels);
// the toolbar uses it to size buttons.
func ComputeLayout(w, h, scale float64, measure func(string) float64) Layout {
	return ComputeLayoutWith(w, h, scale, measure, ToolbarButtons)
}

// ComputeLayoutWith is ComputeLayout with another toolbar (DrillToolbarButtons).
func ComputeLayoutWith(w, h, scale float64, measure func(string) float64, buttons []ToolbarItem) Layout {
	if scale <= 0 {
		scale = 1
	}
	u := scale
	// Below the minimum size the content shrinks instead of overflowing.
	if fw, fh := w/(MinWidth*u), h/(MinHeight*u); fw < 1 || fh < 1 {
		u *= math.Min(fw, fh)
	}
	l := Layout{W: w, H: h, Scale: u, Pad: 8 * u}
	l.FontBody = 13 * u
	l.FontSmall = 11 * u
	l.FontTitle = 16 * u
	l.LineHeight = 17 * u
	pad := l.Pad

	l.Header = Rect{0, 0, w, 46 * u}
	l.Toolbar = Rect{pad, l.Header.Bottom(), w - 2*pad, 30 * u}
	x := l.Toolbar.X
	bh := 24 * u
	by := l.Toolbar.Y + (l.Toolbar.H-bh)/2
	for _, b := range buttons {
		bw := measure(b.Label) + 14*u
		if x+bw > l.Toolbar.Right() {
			break // a narrow window drops the last buttons; keys still work
		}
		l.Buttons = append(l.Buttons, Button{Label: b.Label, Cmd: b.Cmd, Rect: Rect{x, by, bw, bh}})
		x += bw + 4*u
	}

	l.Story = Rect{pad, l.Toolbar.Bottom() + 2*u, w - 2*pad, StoryRows*l.storyRowH() + 6*u}
	top := l.Story.Bottom() + pad
	bodyH := h - top - pad
	leftW := math.Min(math.Max(0.36*w, 340*u), 560*u)
	summaryH := 172 * u // eight rows of figures
	errorsH := 118 * u
	gridH := bodyH - summaryH - errorsH - 2*pad
	if gridH < 120*u {
		gridH = 120 * u
	}
	l.Grid = Rect{pad, top, leftW, gridH}
	title := 40 * u // title row and the state legend
	l.Cells = Rect{l.Grid.X + pad, l.Grid.Y + title, l.Grid.W - 2*pad, l.Grid.H - title - pad}
	l.Summary = Rect{pad, l.Grid.Bottom() + pad, leftW, summaryH}
	l.Errors = Rect{pad, l.Summary.Bottom() + pad, leftW, math.Max(0, h-pad-(l.Summary.Bottom()+pad))}

	cx := l.Grid.Right() + pad
	cw := (w - cx - pad - pad) / 2
	ch := (bodyH - 2*pad) / 3
	for i := range NumCharts {
		col, row := float64(i%2), float64(i/2)
		l.Charts[i] = Rect{cx + col*(cw+pad), top + row*(ch+pad), cw, ch}
	}
	l.Inspector = Rect{l.Charts[1].X, top, cw, bodyH}

	ow, oh := math.Min(720*u, w-4*pad), math.Min(520*u, h-4*pad)
	l.Overlay = Rect{(w - ow) / 2, (h - oh) / 2, ow, oh}
	return l
}

// StoryRows is how many lines the story strip has: the story, the events
// under way, the next event.
const StoryRows = 3

// storyRowH is the height of one line of the story strip.
func (l *Layout) storyRowH() float64 { return l.FontSmall + 5*l.Scale }

// StoryRow is the rectangle of line i of the story strip.
func (l *Layout) StoryRow(i int) Rect {
	h := l.storyRowH()
	return Rect{l.Story.X + l.Pad, l.Story.Y + 3*l.Scale + float64(i)*h, l.Story.W - 2*l.Pad, h}
}

// ButtonAt returns the toolbar button under a point.
func (l *Layout) ButtonAt(x, y float64) (Button, bool) {
	for _, b := range l.Buttons {
		if b.Rect.Contains(x, y) {
			return b, true
		}
	}
	return Button{}, false
}

// MenuItems places n menu rows in the overlay below its title.
func (l *Layout) MenuItems(n int) []Rect {
	rows := make([]Rect, n)
	y := l.Overlay.Y + 44*l.Scale
	rh := 26 * l.Scale
	for i := range rows {
		rows[i] = Rect{l.Overlay.X + l.Pad*2, y + float64(i)*(rh+4*l.Scale), l.Overlay.W - 4*l.Pad, rh}
	}
	return rows
}

// ChartAt returns the chart under a point.
func (l *Layout) ChartAt(x, y float64) (Chart, bool) {
	for i, r := range l.Charts {
		if r.Contains(x, y) {
			return Chart(i), true
		}
	}
	return 0, false
}

// ToastRect places a message of textW pixels (at FontBody): at the right
// end of the toolbar, so that it covers no chart, axis label or figure. A
// message wider than the space after the buttons runs over the last
// buttons, never out of the window.
func ToastRect(l *Layout, textW float64) Rect {
	w := math.Min(textW+24*l.Scale, l.Toolbar.W)
	h := l.Toolbar.H - 4*l.Scale
	return Rect{l.Toolbar.Right() - w, l.Toolbar.Y + 2*l.Scale, w, h}
}
