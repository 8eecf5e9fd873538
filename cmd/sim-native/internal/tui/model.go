package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"swarmsim/sim/engine"
	"swarmsim/sim/stats"
)

// Refresh is how often (wall time) the model advances the engine.
const Refresh = 100 * time.Millisecond

// Redraw is how often (wall time) the model reads a new frame and draws
// it. A frame and its drawing cost about as much as one virtual second of
// 10 000 viewers (BenchmarkRefresh10k, mostly lipgloss's layout), so
// drawing at every Refresh would cost the run at 10x as much as the
// simulation; every 250 ms it costs under half. Keys and resizes redraw at
// once.
const Redraw = 250 * time.Millisecond

// maxBudget is the wall time one refresh may spend stepping the engine at
// "max" speed, so keys stay responsive.
const maxBudget = 60 * time.Millisecond

// detailsFrame is the lines of the detailed view that are not client rows:
// the header (2), the table's box, title and column heads (6), the "more"
// line (1), the footer (2) and the simulation panel (4).
const detailsFrame = 15

// Messages.
type (
	// TickMsg advances the run and redraws.
	TickMsg time.Time
	// QuitMsg ends the program (a signal, a cancelled context): the run is
	// interrupted unless it has finished.
	QuitMsg struct{}
)

// Config is what a dashboard needs.
type Config struct {
	Engine *engine.Engine
	// Speed is the initial factor (0 = as fast as possible).
	Speed float64
	// Clock paces the run (stats.RealClock{} when nil).
	Clock stats.Clock
	// Renderer draws the styles (colours follow its output; nil = the
	// default renderer on stdout).
	Renderer *lipgloss.Renderer
	// Publish, when set, is called after every advance (the /metrics
	// exporter, on the program's goroutine).
	Publish func()
	// Stream is the footer's "Stream:" text.
	Stream string
}

// Model is the bubbletea model of the dashboard. It owns the engine while
// the program runs.
type Model struct {
	eng     *engine.Engine
	pacer   *engine.Pacer
	clock   stats.Clock
	st      *styles
	publish func()
	stream  string

	speed       float64
	paused      bool
	details     bool
	quitting    bool
	interrupted bool
	note        string
	frame       Frame
	drawnAt     time.Time // wall time of the last frame read
	screen      string    // the last screen drawn ("" = draw again)
	width       int
	height      int
}

// New returns the dashboard of cfg's engine, showing its current instant.
func New(cfg Config) *Model {
	clock := cfg.Clock
	if clock == nil {
		clock = stats.RealClock{}
	}
	r := cfg.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	m := &Model{
		eng:     cfg.Engine,
		clock:   clock,
		st:      newStyles(r),
		publish: cfg.Publish,
		stream:  cfg.Stream,
		speed:   cfg.Speed,
		width:   80,
		height:  24,
	}
	m.pacer = engine.NewPacer(cfg.Engine, clock, cfg.Speed)
	m.pacer.MaxTicks = 5000
	if cfg.Speed == 0 {
		m.pacer.MaxTicks = 10
	}
	m.frame = Capture(cfg.Engine, false)
	return m
}

// Interrupted reports whether the program ended before the run did.
func (m *Model) Interrupted() bool { return m.interrupted }

// Paused reports whether the run is paused.
func (m *Model) Paused() bool { return m.paused }

// Speed is the current factor (0 = as fast as possible).
func (m *Model) Speed() float64 { return m.speed }

// Details reports whether the per-client table is shown (key d).
func (m *Model) Details() bool { return m.details }

// Frame is the instant on screen.
func (m *Model) Frame() Frame { return m.frame }

func tick() tea.Cmd {
	return tea.Tick(Refresh, func(t time.Time) tea.Msg { return TickMsg(t) })
}

// Init starts the refresh ticks.
func (m *Model) Init() tea.Cmd { return tick() }

// Update handles keys, ticks, resizes and quits.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		m.screen = ""
		return m, m.key(msg.String())
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.screen = ""
		return m, nil
	case TickMsg:
		if m.quitting {
			return m, nil
		}
		m.advance()
		if m.eng.Done() {
			return m, m.quit()
		}
		return m, tick()
	case QuitMsg:
		return m, m.quit()
	}
	return m, nil
}

// quit ends the program; the run is interrupted unless it is done.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.interrupted = !m.eng.Done()
	return tea.Quit
}

// key handles a key press (the real tool's q and r, then the simulation's).
func (m *Model) key(k string) tea.Cmd {
	switch k {
	case "q", "ctrl+c", "esc":
		return m.quit()
	case "r":
		m.refresh()
	case "d":
		m.details = !m.details
		m.refresh()
	case " ":
		m.SetPaused(!m.paused)
	case "1", "2", "3", "4":
		m.SetSpeed(Speeds[k[0]-'1'])
	default:
		if f, ok := faultKeys[k]; ok {
			m.Inject(f)
		}
	}
	return nil
}

// SetPaused pauses or resumes the run; the virtual clock does not jump on
// resume.
func (m *Model) SetPaused(p bool) {
	m.paused = p
	m.pacer.Pause()
	m.note = ""
	m.screen = ""
}

// SetSpeed changes the factor from now on (0 = as fast as possible).
func (m *Model) SetSpeed(f float64) {
	m.speed = f
	m.pacer.SetFactor(f)
	m.pacer.MaxTicks = 5000
	if f == 0 {
		m.pacer.MaxTicks = 10
	}
	m.note = ""
	m.screen = ""
}

// Inject starts a live fault now, as the browser's fault menu does, and
// shows it at once.
func (m *Model) Inject(f Fault) {
	ev, err := LiveEvent(f, m.eng.Scenario(), m.frame.Stats, m.eng.Now())
	if err == nil {
		err = m.eng.Inject(ev)
	}
	if err != nil {
		m.note = "inject " + string(f) + ": " + err.Error()
	} else {
		m.note = ""
	}
	m.refresh()
}

// advance steps the engine to where the clock says the run should be (at
// "max", for a bounded wall time) and, every Redraw, reads a new frame.
func (m *Model) advance() {
	if m.paused || m.eng.Done() {
		return
	}
	ran := m.pacer.Advance()
	if m.speed == 0 {
		start := m.clock.Now()
		for !m.eng.Done() && m.clock.Now().Sub(start) < maxBudget {
			ran += m.pacer.Advance()
		}
	}
	if ran > 0 && (m.eng.Done() || m.clock.Now().Sub(m.drawnAt) >= Redraw) {
		m.refresh()
	}
}

// refresh reads a new frame from the engine, publishes it and draws it
// anew.
func (m *Model) refresh() {
	m.frame = Capture(m.eng, m.details)
	m.drawnAt = m.clock.Now()
	m.screen = ""
	if m.publish != nil {
		m.publish()
	}
}

// View draws the dashboard: the real tool's sections, then the
// simulation's panel, fitted to the terminal.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	if m.screen == "" {
		m.screen = m.render()
	}
	return m.screen
}

func (m *Model) render() string {
	sc := m.eng.Scenario()
	v := &view{st: m.st, f: &m.frame, width: m.width, target: sc.Clients.Count, stream: m.stream}
	ss := simState{speed: m.speed, paused: m.paused, done: m.eng.Done(), note: m.note}
	build := func() []section {
		return []section{
			{v.header(), keepFrame},
			{v.rampProgress(), keepRamp},
			{v.requestStats(), keepRequests},
			{v.latency(), keepLatency},
			{v.healthAndErrors(), keepHealth},
			{v.originMetrics(), keepOrigin},
			{v.layers(), keepLayers},
			{v.footer(), keepFrame},
			{v.simPanel(ss), keepFrame},
		}
	}
	if m.details {
		build = func() []section {
			return []section{
				{v.header(), keepFrame},
				{v.clientTable(m.height - detailsFrame), keepFrame},
				{v.footer(), keepFrame},
				{v.simPanel(ss), keepFrame},
			}
		}
	}
	parts := build()
	_, ss.hidden = fit(parts, m.height)
	parts[len(parts)-1].text = v.simPanel(ss)
	screen, _ := fit(parts, m.height)
	return screen
}
