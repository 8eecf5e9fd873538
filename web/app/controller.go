package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"swarmsim/sim/clients"
	"swarmsim/sim/drill"
	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Sim is what the dashboard needs from a running engine. *engine.Engine
// provides it through engineSim; tests use fakes.
type Sim interface {
	// RunUntil advances virtual time to at least t (whole engine ticks).
	RunUntil(t time.Duration)
	Now() time.Duration
	Done() bool
	Inject(ev scenario.Event) error
	// AggregateInto takes an exact snapshot (every client's buffered
	// statistics flushed first).
	AggregateInto(dst *stats.AggregatedStats)
	Series() *engine.Series
	Events() []engine.EventMark
	ExitCodes() map[int]int
	ClientStates(buf []clients.State) []clients.State
	Client(id int) (engine.ClientView, bool)
}

// NewSimFunc starts a simulation of a scenario.
type NewSimFunc func(*scenario.Scenario) (Sim, error)

// RunState is what the header shows: running, paused or finished.
type RunState string

// The run states.
const (
	StateRunning  RunState = "running"
	StatePaused   RunState = "paused"
	StateFinished RunState = "finished"
)

// UpdatesPerSecond is Ebiten's default tick rate, which Update runs at.
const UpdatesPerSecond = 60

// Controller drives one simulation for the dashboard: pace, pause, restart,
// presets, live faults, snapshots and downloads. It is plain Go and does no
// drawing. It is not safe for concurrent use (the browser has one thread).
type Controller struct {
	newSim NewSimFunc
	// WallNow reads a monotonic wall clock; it budgets the work of one
	// update ("max" speed, and catching up at fixed speeds).
	WallNow func() time.Duration
	// Budget is the wall time one update may spend advancing the engine.
	Budget time.Duration

	preset string
	sc     *scenario.Scenario
	// overrides are the URL's scenario settings (see RunConfig); they
	// survive restarts and new seeds, and a preset switch drops them.
	overrides []Override
	sim       Sim
	speed     Speed
	paused    bool
	target    time.Duration // virtual time the pacing aims at
	// paceBase and wallBase are the virtual and wall times at the last
	// speed change, pause, restart or dropped backlog.
	paceBase, wallBase time.Duration

	// agg is the exact snapshot of the last SnapshotJSON, Download or
	// Inject; the dashboard draws view instead (see TakeView).
	agg     stats.AggregatedStats
	view    View
	rates   stats.RateTracker
	charts  *SeriesCharts
	updates int64
	// gen changes whenever what the dashboard shows must change at once,
	// whatever the virtual time: a restart, a pause, a live fault.
	gen int64

	// effective speed: virtual seconds per wall second over the last second.
	effVirt, effWall time.Duration
	effStartV        time.Duration
	effStartW        time.Duration
	effective        float64

	lastErr  string
	injected int

	// drill is the drill being played (nil: none); while its answer is
	// hidden, the view leaves out what gives it away. set is the link's set
	// of drills, which NextDrill follows.
	drill *DrillSession
	set   *DrillSet

	// connects counts the TCP connects between two aggregates at least a
	// second of virtual time apart; tcpBase is the earlier one.
	connects ConnectWindow
	tcpBase  ConnectWindow // Window holds the base's virtual time
}

// ConnectWindow counts TCP connect attempts and failures over a window of
// virtual time (the difference of two aggregate snapshots).
type ConnectWindow struct {
	Window   time.Duration
	Attempts int64
	Refused  int64
	Timeouts int64
}

// FailedShare is (refused + timed-out connects) / attempts, 0 without
// attempts.
func (w ConnectWindow) FailedShare() float64 {
	if w.Attempts <= 0 {
		return 0
	}
	return float64(w.Refused+w.Timeouts) / float64(w.Attempts)
}

// MinConnectWindow is the shortest window the connect figures cover, so an
// aggregate taken right after another (a live fault, a snapshot) does not
// show a window of a few connects.
const MinConnectWindow = time.Second

// NewController starts the run of cfg.
func NewController(cfg RunConfig, newSim NewSimFunc, wallNow func() time.Duration) (*Controller, error) {
	c := &Controller{newSim: newSim, WallNow: wallNow, Budget: 9 * time.Millisecond, speed: cfg.Speed, charts: NewSeriesCharts(),
		overrides: cfg.Overrides}
	if cfg.Drill != nil {
		c.set = cfg.Set
		if err := c.playDrill(cfg.Drill); err != nil {
			return nil, err
		}
		return c, nil
	}
	if err := c.start(cfg.Preset, cfg.Scenario); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Controller) start(preset string, sc *scenario.Scenario) error {
	sim, err := c.newSim(sc)
	if err != nil {
		return fmt.Errorf("cannot start scenario %q: %w", sc.Name, err)
	}
	c.preset, c.sc, c.sim = preset, sc, sim
	c.rebase()
	c.rates.Reset()
	c.charts.Reset()
	c.injected = 0
	c.connects, c.tcpBase = ConnectWindow{}, ConnectWindow{}
	c.effStartV, c.effStartW, c.effective = 0, c.WallNow(), 0
	c.gen++
	c.TakeView()
	return nil
}

// Update advances the run by one tick of the dashboard (1/60 s of wall time
// x speed, or as much as Budget allows at max speed). The figures the
// dashboard draws are taken apart from it, all at once (TakeView).
func (c *Controller) Update() {
	c.updates++
	if !c.paused && !c.sim.Done() {
		start := c.WallNow()
		if c.speed == SpeedMax {
			for !c.sim.Done() && c.WallNow()-start < c.Budget {
				c.target = c.sim.Now() + engine.Tick
				c.sim.RunUntil(c.target)
			}
		} else {
			// Wall-clock pacing: virtual time is base + speed x the wall
			// time since the last rebase, so a dropped update (a slow frame)
			// does not slow the run down; the work per update is bounded
			// below.
			c.target = c.paceBase + time.Duration(int64(start-c.wallBase)*int64(c.speed))
			// Advance tick by tick so a slow machine stops at the budget
			// instead of falling further behind every update.
			for c.sim.Now()+engine.Tick <= c.target && !c.sim.Done() {
				c.sim.RunUntil(c.sim.Now() + engine.Tick)
				if c.WallNow()-start > 2*c.Budget {
					c.rebase() // drop the backlog: run slower than asked
					break
				}
			}
		}
	}
	c.measureSpeed()
}

func (c *Controller) measureSpeed() {
	w := c.WallNow()
	if dw := w - c.effStartW; dw >= time.Second {
		c.effective = (c.sim.Now() - c.effStartV).Seconds() / dw.Seconds()
		c.effStartV, c.effStartW = c.sim.Now(), w
	}
}

// View is what one frame of the dashboard draws: every figure in it is
// the engine's at the same virtual instant, At. The controller keeps one
// View and changes it only in TakeView, so a frame that redraws some panels
// and keeps others on screen never mixes instants.
type View struct {
	// Seq increases with every view taken; Gen is the controller's
	// generation it was taken in (see Controller.Generation).
	Seq, Gen int64
	At       time.Duration
	State    RunState
	// Agg is exact at At (every client's buffered statistics flushed).
	Agg    stats.AggregatedStats
	Live   LiveFigures
	States []clients.State
	// Charts hold the recorder's samples up to At, and At as their end.
	Charts *SeriesCharts
	last   engine.Sample
}

// TakeView takes the figures of the dashboard at the current virtual
// instant: the exact aggregate, the client states, the charts' samples and
// the connects since the previous view at least MinConnectWindow earlier.
// It costs a full aggregate (about 20 ms for 10 000 clients in wasm), so
// the dashboard takes views at a pace it can afford (RedrawScheduler).
func (c *Controller) TakeView() *View {
	v := &c.view
	now := c.sim.Now()
	c.sim.AggregateInto(&v.Agg)
	c.rates.Update(&v.Agg)
	v.States = c.sim.ClientStates(v.States[:0])
	var samples []engine.Sample
	s := c.sim.Series()
	if s != nil {
		samples = s.Samples
	}
	c.charts.Update(samples, c.sim.Events(), now)
	c.showDrill()
	v.Charts = c.charts
	if now-c.tcpBase.Window >= MinConnectWindow || now < c.tcpBase.Window {
		cur := ConnectWindow{Window: now, Attempts: v.Agg.TCPConnectCount, Refused: v.Agg.TCPConnectRefused, Timeouts: v.Agg.TCPConnectTimeout}
		c.connects = ConnectWindow{
			Window:   now - c.tcpBase.Window,
			Attempts: max(0, cur.Attempts-c.tcpBase.Attempts),
			Refused:  max(0, cur.Refused-c.tcpBase.Refused),
			Timeouts: max(0, cur.Timeouts-c.tcpBase.Timeouts),
		}
		c.tcpBase = cur
	}
	v.Live = LiveFigures{Connects: c.connects}
	if n := len(samples); n > 0 {
		v.last = samples[n-1]
		v.Live.Sample = &v.last
		v.Live.Interval = s.Interval
		if v.Live.Interval <= 0 {
			v.Live.Interval = time.Second
		}
	}
	v.Seq++
	v.Gen = c.gen
	v.At = now
	v.State = c.State()
	return v
}

// showDrill adapts the charts to the drill being played: no event bands
// until the reveal, the start the trainee marked, and at the reveal the
// fault's start and the evidence window on the evidence metric's chart.
func (c *Controller) showDrill() {
	markers := DrillMarkers(c.drill)
	evidence, onChart := Chart(0), false
	if c.drill.Revealed() {
		evidence, _, onChart = EvidenceChart(c.drill.Drill.Evidence.Metric)
	}
	for i := range c.charts.Charts {
		d := &c.charts.Charts[i]
		if c.drill.Hidden() {
			d.Bands = nil
		}
		d.Markers = markers
		d.Highlight = nil
		if onChart && Chart(i) == evidence {
			h := EvidenceHighlight(c.drill)
			d.Highlight = &h
		}
	}
}

// View returns the last view taken.
func (c *Controller) View() *View { return &c.view }

// Generation changes whenever the dashboard must show a new view at once
// rather than at its usual pace: a restart, a new seed or preset, a pause or
// resume, a live fault.
func (c *Controller) Generation() int64 { return c.gen }

// aggregate takes an exact snapshot for JavaScript, downloads and live
// faults (the dashboard's own is in the view).
func (c *Controller) aggregate() { c.sim.AggregateInto(&c.agg) }

// State reports running, paused or finished.
func (c *Controller) State() RunState {
	switch {
	case c.sim.Done():
		return StateFinished
	case c.paused:
		return StatePaused
	}
	return StateRunning
}

// Accessors for the view.
func (c *Controller) Now() time.Duration           { return c.sim.Now() }
func (c *Controller) Speed() Speed                 { return c.speed }
func (c *Controller) EffectiveSpeed() float64      { return c.effective }
func (c *Controller) Preset() string               { return c.preset }
func (c *Controller) Scenario() *scenario.Scenario { return c.sc }
func (c *Controller) Seed() uint64                 { return c.sc.Seed }
func (c *Controller) Charts() *SeriesCharts        { return c.charts }
func (c *Controller) Updates() int64               { return c.updates }
func (c *Controller) LastError() string            { return c.lastErr }
func (c *Controller) Client(id int) (engine.ClientView, bool) {
	v, ok := c.sim.Client(id)
	if c.drill.Hidden() {
		// A client's link speed is the simulator's, not something an
		// operator of the real tool sees, and after a bandwidth drop it
		// names the fault: hidden (0) until the reveal.
		v.BandwidthMbps = 0
	}
	return v, ok
}

// Drill is the drill being played (nil for none).
func (c *Controller) Drill() *DrillSession { return c.drill }

// StartDrill starts the built-in or random drill a ref names, with no
// answer given. A drill file is opened from a link (ParseParamsWith), which
// reads it from the server before the dashboard starts.
func (c *Controller) StartDrill(ref DrillRef) error {
	if i := c.set.Index(ref); i >= 0 {
		return c.playDrill(c.set.Session(i)) // loaded with the page, files included
	}
	if ref.File != "" {
		return fmt.Errorf("the drill file %s%s.yaml opens from a link: ?%s", DrillFilesDir, ref.File, ref.Query())
	}
	s, err := NewDrillSession(ref, nil)
	if err != nil {
		return err
	}
	return c.playDrill(s)
}

// Set is the link's set of drills (nil for none).
func (c *Controller) Set() *DrillSet { return c.set }

// NextInSet is the place (1-based) of the drill being played in the link's
// set and the set's length; 0, 0 when it is not in a set.
func (c *Controller) NextInSet() (place, of int) {
	if c.drill == nil {
		return 0, 0
	}
	if i := c.set.Index(c.drill.Ref); i >= 0 {
		return i + 1, len(c.set.Refs)
	}
	return 0, 0
}

// playDrill starts playing a loaded drill.
func (c *Controller) playDrill(s *DrillSession) error {
	prev := c.drill
	c.drill = s
	if err := c.start("", s.Drill.Scenario.Clone()); err != nil {
		c.drill = prev
		return err
	}
	c.overrides = nil
	return nil
}

// NextDrill starts the drill after the current one: the next of the link's
// set (an error after its last), else DrillRef.Next; the first built-in
// drill when none is being played.
func (c *Controller) NextDrill() error {
	if c.drill == nil {
		return c.StartDrill(DrillRef{Code: drill.Builtins()[0].Code})
	}
	if place, of := c.NextInSet(); place > 0 {
		if place == of {
			return fmt.Errorf("this was the last of the set's %d drills", of)
		}
		return c.playDrill(c.set.Session(place))
	}
	return c.StartDrill(c.drill.Ref.Next())
}

// drillAnswer changes the answer of the drill being played and shows it at
// once.
func (c *Controller) drillAnswer(f func(*DrillSession) error) error {
	if c.drill == nil {
		return errNoDrill
	}
	if err := f(c.drill); err != nil {
		return err
	}
	c.gen++
	return nil
}

var errNoDrill = fmt.Errorf("no drill is being played; pick one with the Drills menu (d) or a ?drill= link")

// ChooseCause picks the drill's cause (1-based).
func (c *Controller) ChooseCause(i int) error {
	return c.drillAnswer(func(s *DrillSession) error { return s.Choose(i) })
}

// ChooseFollowup picks the answer to the drill's follow-up question.
func (c *Controller) ChooseFollowup(i int) error {
	return c.drillAnswer(func(s *DrillSession) error { return s.ChooseFollowup(i) })
}

// MarkStart marks when the trainee says the fault started, at most now.
func (c *Controller) MarkStart(t time.Duration) error {
	return c.drillAnswer(func(s *DrillSession) error { return s.MarkStart(t, c.sim.Now()) })
}

// ClearStart takes back the marked start.
func (c *Controller) ClearStart() error {
	return c.drillAnswer(func(s *DrillSession) error { return s.ClearStart() })
}

// Submit submits the drill's answer and reveals it.
func (c *Controller) Submit() error {
	return c.drillAnswer(func(s *DrillSession) error { _, err := s.Submit(c.sim.Now()); return err })
}

// Story is the first line of the story strip: the scenario's description,
// said to be the preset's when the URL's settings change the run.
func (c *Controller) Story() string {
	presetClients := c.sc.Clients.Count
	if p, err := scenario.Preset(c.preset); err == nil {
		presetClients = p.Clients.Count
	}
	return RunStory(c.sc.Description, presetClients, c.sc, c.overrides)
}

// Query is the URL query that reproduces this run: for a drill, the drill's
// ref and the speed.
func (c *Controller) Query() string {
	if c.drill != nil {
		set := ""
		if c.set != nil {
			set = "&" + c.set.Query()
		}
		return "?" + c.drill.Ref.Query() + set + "&speed=" + url.QueryEscape(c.speed.String())
	}
	return Query(c.preset, c.sc, c.speed, c.overrides)
}

// rebase restarts the pacing from the current virtual and wall times.
func (c *Controller) rebase() {
	c.paceBase, c.wallBase = c.sim.Now(), c.WallNow()
	c.target = c.paceBase
}

// SetPaused pauses or resumes.
func (c *Controller) SetPaused(p bool) {
	c.paused = p
	c.rebase()
	c.gen++
}

// Paused reports whether the run is paused.
func (c *Controller) Paused() bool { return c.paused }

// SetSpeed changes the pace; the virtual clock keeps its time.
func (c *Controller) SetSpeed(s Speed) {
	c.speed = s
	c.rebase()
}

// Restart starts the same scenario (with the URL's overrides) again with
// seed; Restart(c.Seed()) repeats the run.
func (c *Controller) Restart(seed uint64) error {
	if c.drill != nil && seed != c.sc.Seed {
		return errDrillSeed
	}
	sc := c.sc.Clone()
	sc.Seed = seed
	return c.start(c.preset, sc)
}

// NewSeed restarts with the next seed.
func (c *Controller) NewSeed() error { return c.Restart(NextSeed(c.sc.Seed)) }

var errDrillSeed = fmt.Errorf("a drill runs on its own seed, the same for everyone who plays it; for another drill, use Next drill in the result or the Drills menu (d)")

// SelectPreset starts a preset, keeping the current seed, client count and
// URL overrides out of it (a preset is a complete scenario).
func (c *Controller) SelectPreset(name string) error {
	sc, err := scenario.Preset(name)
	if err != nil {
		return err
	}
	prev := c.drill
	c.drill = nil
	if err := c.start(name, sc); err != nil {
		c.drill = prev
		return err
	}
	c.set = nil
	c.overrides = nil
	return nil
}

// Inject applies a live fault of one of the FaultKind names ("outage", "503",
// "capacity", "stale", "add", "remove") starting now.
func (c *Controller) Inject(kind string) error {
	if c.drill != nil {
		return fmt.Errorf("live faults are off in a drill, which is one run, the same for everyone who plays it; pick a preset (p) to inject faults")
	}
	cmd, ok := FaultCommand(kind)
	if !ok {
		return fmt.Errorf("unknown fault %q; allowed outage, 503, capacity, stale, add, remove", kind)
	}
	c.aggregate()
	ev := LiveFault(cmd, c.sc, &c.agg)
	ev.At = scenario.Duration(c.sim.Now())
	if err := c.sim.Inject(ev); err != nil {
		c.lastErr = err.Error()
		return err
	}
	c.injected++
	c.gen++
	return nil
}

// LiveFault is the event a fault command injects, as scenario.LiveEvent
// sizes it for the clients of the snapshot agg (nil: the scenario's count);
// the caller sets its start.
func LiveFault(cmd Command, sc *scenario.Scenario, agg *stats.AggregatedStats) scenario.Event {
	kind, ok := FaultKind(cmd)
	if !ok {
		return scenario.Event{}
	}
	active := 0
	if agg != nil {
		active = agg.TotalClients
	}
	ev, _ := sc.LiveEvent(scenario.LiveFault(kind), active, 0) // every FaultKind is a LiveFault
	return ev
}

// Snapshot is what window.swarmsim.snapshot() returns (as a JavaScript object).
type Snapshot struct {
	Time      float64  `json:"time"` // virtual seconds
	State     RunState `json:"state"`
	Speed     string   `json:"speed"`
	Effective float64  `json:"effective_speed"`
	Preset    string   `json:"preset"` // "" in a drill
	Seed      uint64   `json:"seed"`
	Clients   int      `json:"clients"` // scenario's client count
	Samples   int      `json:"samples"`
	// Events counts the scenario's events and the live ones; left out
	// while a drill's answer is hidden, since it would tell a control
	// drill from the others.
	Events   *int         `json:"events,omitempty"`
	Injected int          `json:"injected"`
	Query    string       `json:"query"`
	Stats    export.Stats `json:"stats"` // in the export's form (durations in seconds)
	// Drill is the drill being played, what the trainee may see of it.
	Drill *DrillState `json:"drill,omitempty"`
}

// SnapshotJSON aggregates now and returns the snapshot as JSON.
func (c *Controller) SnapshotJSON() (string, error) {
	c.aggregate()
	samples := 0
	if s := c.sim.Series(); s != nil {
		samples = len(s.Samples)
	}
	snap := Snapshot{
		Time: c.sim.Now().Seconds(), State: c.State(), Speed: c.speed.String(), Effective: c.effective,
		Preset: c.preset, Seed: c.sc.Seed, Clients: c.sc.Clients.Count, Samples: samples,
		Injected: c.injected, Query: c.Query(), Stats: export.Stats{AggregatedStats: &c.agg},
	}
	if !c.drill.Hidden() {
		n := len(c.sim.Events())
		snap.Events = &n
	}
	if c.drill != nil {
		st := c.drill.State()
		snap.Drill = &st
	}
	b, err := json.Marshal(snap)
	return string(b), err
}

// Download writes the run so far in the sim-native format ("json" or "csv").
func (c *Controller) Download(format string) (string, error) {
	if c.drill.Hidden() {
		return "", fmt.Errorf("downloads open once you submit your answer: the run's file names the drill's events")
	}
	c.aggregate()
	final := c.agg
	run := export.New(c.sc, &final, c.sim.Series(), c.sim.Events())
	run.ExitCodes = c.sim.ExitCodes()
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = export.WriteJSON(&buf, run)
	case "csv":
		err = export.WriteCSV(&buf, run)
	default:
		return "", fmt.Errorf("unknown format %q; allowed json, csv", format)
	}
	return buf.String(), err
}
