package app

import "time"

// Panel names a part of the dashboard that is redrawn as a whole.
type Panel int

// The panels. The charts are PanelChart + Chart(i).
const (
	PanelHeader Panel = iota
	PanelToolbar
	PanelGrid      // the grid's frame, title and legend
	PanelGridCells // the cells
	PanelSummary
	PanelErrors
	PanelStory // the scenario's story and the current and next events
	PanelChart
	PanelInspector = PanelChart + Panel(NumCharts)
	NumPanels      = PanelInspector + 1
)

// PanelChartOf is the panel of chart i.
func PanelChartOf(i Chart) Panel { return PanelChart + Panel(i) }

// The keys of the panels: a panel is redrawn when its key differs from the
// one it was last drawn with. Each is a comparable struct of what the panel
// depends on, so two keys are equal exactly when the panel would look the
// same.
type (
	// ViewKey is the key of a panel that shows only the view's figures.
	ViewKey struct{ View int64 }
	// HeaderKey: the view's figures, and the pace the run is set to.
	HeaderKey struct {
		View      int64
		Speed     Speed
		Effective int64 // effective speed x 10
		State     RunState
	}
	// ToolbarKey: the buttons' states and the one under the pointer.
	ToolbarKey struct {
		Paused  bool
		Speed   Speed
		Mode    Mode
		Hovered int
		Drill   int // drillPhase: the answer button's label
	}
	// GridKey: the grid's title and legend.
	GridKey struct{ Clients, Shown int }
	// CellsKey: the cells' states in a geometry.
	CellsKey struct {
		View int64
		Grid GridGeometry
	}
	// InspectorKey: one client at one view.
	InspectorKey struct {
		View   int64
		Client int
	}
)

// The pace of views (see RedrawScheduler.ViewDue).
const (
	// MinViewInterval is the shortest wall time between two views: ten a
	// second look live.
	MinViewInterval = 100 * time.Millisecond
	// MaxViewInterval is the longest, however slow the machine.
	MaxViewInterval = 2 * time.Second
	// ViewCostFactor: a view waits this many times what the last one cost
	// (taking it and drawing the frame that showed it), so that views take
	// at most a fifth of the wall time and the rest goes to the simulation.
	ViewCostFactor = 5
)

// RedrawScheduler decides what a frame draws. Ebiten keeps the screen
// between frames, so a frame redraws only the panels whose key changed.
// Every panel that depends on virtual time is keyed by the view it shows,
// and a new view is taken only when the frame can redraw all of them: so
// every frame shows one virtual instant, however slow the frames are, and
// slowness makes the views less frequent, never one panel later than
// another.
type RedrawScheduler struct {
	drawn [NumPanels]any // nil: never drawn, or forgotten

	viewTaken bool
	viewAt    time.Duration // wall time of the last view
	viewCost  time.Duration // wall time the last view cost
	gen       int64         // the controller's generation of the last view
}

// Stale reports whether panel p must be drawn to show key.
func (s *RedrawScheduler) Stale(p Panel, key any) bool {
	return s.drawn[p] == nil || s.drawn[p] != key
}

// Drawn records that panel p now shows key.
func (s *RedrawScheduler) Drawn(p Panel, key any) { s.drawn[p] = key }

// Forget makes p be drawn again (something covered it).
func (s *RedrawScheduler) Forget(p Panel) { s.drawn[p] = nil }

// ForgetAll makes every panel be drawn again (a cleared screen).
func (s *RedrawScheduler) ForgetAll() { s.drawn = [NumPanels]any{} }

// ViewInterval is the wall time the next view waits after the last:
// ViewCostFactor times its cost, within MinViewInterval..MaxViewInterval.
func (s *RedrawScheduler) ViewInterval() time.Duration {
	return min(max(ViewCostFactor*s.viewCost, MinViewInterval), MaxViewInterval)
}

// ViewDue reports whether a frame at wall time wall should take a new view:
// at once when the controller's generation changed (a restart, a pause, a
// live fault: the user wants to see it), else when virtual time moved
// (moved) and ViewInterval has passed since the last view.
func (s *RedrawScheduler) ViewDue(wall time.Duration, gen int64, moved bool) bool {
	switch {
	case !s.viewTaken || gen != s.gen:
		return true
	case !moved:
		return false
	}
	return wall-s.viewAt >= s.ViewInterval()
}

// ViewShown records a view taken at wall time wall in generation gen,
// which cost (taking it and drawing it) cost.
func (s *RedrawScheduler) ViewShown(wall time.Duration, gen int64, cost time.Duration) {
	s.viewTaken, s.viewAt, s.gen, s.viewCost = true, wall, gen, cost
}
