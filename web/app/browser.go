//go:build js

package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"swarmsim/sim/scenario"
)

// browserHost downloads through a Blob link and keeps the address bar's
// query equal to the run, so a copied link reproduces it.
type browserHost struct{}

func (browserHost) Download(name, mime, text string) {
	doc := js.Global().Get("document")
	blob := js.Global().Get("Blob").New(js.ValueOf([]any{text}), map[string]any{"type": mime})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	js.Global().Get("URL").Call("revokeObjectURL", url)
}

func (browserHost) SetQuery(q string) {
	js.Global().Get("history").Call("replaceState", js.Null(), "", q)
}

// Copy writes text to the clipboard (navigator.clipboard), and where the
// page may not (an insecure origin, a refused permission) through a selected
// text area and the copy command.
func (browserHost) Copy(text string) error {
	doc := js.Global().Get("document")
	fallback := func() bool {
		ta := doc.Call("createElement", "textarea")
		ta.Set("value", text)
		doc.Get("body").Call("appendChild", ta)
		ta.Call("select")
		ok := doc.Call("execCommand", "copy").Truthy()
		ta.Call("remove")
		return ok
	}
	if cb := js.Global().Get("navigator").Get("clipboard"); cb.Truthy() && cb.Get("writeText").Truthy() {
		var onOK, onErr js.Func
		release := func() { onOK.Release(); onErr.Release() } // either way, both
		onOK = js.FuncOf(func(js.Value, []js.Value) any { release(); return nil })
		onErr = js.FuncOf(func(js.Value, []js.Value) any {
			fallback()
			release()
			return nil
		})
		cb.Call("writeText", text).Call("then", onOK, onErr)
		return nil
	}
	if !fallback() {
		return errors.New("the browser refused to copy")
	}
	return nil
}

// FetchTimeout bounds a fetch of a drill file.
const FetchTimeout = 30 * time.Second

// fetchFromPage reads a file of the page's server (path relative to the page)
// with the browser's fetch, refusing one larger than scenario.MaxFileBytes. It
// blocks until the answer: call it from a goroutine, never from a JavaScript
// callback.
func fetchFromPage(path string) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	ch := make(chan result, 1)
	var onResponse, onText, onError js.Func
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the request failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: fmt.Errorf("%s: %s", path, msg)}
		return nil
	})
	onText = js.FuncOf(func(_ js.Value, args []js.Value) any {
		// The body's bytes, measured before they are copied into Go (a
		// server that does not say the size may send anything).
		n := args[0].Get("byteLength").Int()
		if n > scenario.MaxFileBytes {
			ch <- result{err: fmt.Errorf("%s: larger than %d bytes", path, scenario.MaxFileBytes)}
			return nil
		}
		data := make([]byte, n)
		js.CopyBytesToGo(data, js.Global().Get("Uint8Array").New(args[0]))
		ch <- result{data: data}
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resp := args[0]
		if status := resp.Get("status").Int(); status == 404 {
			ch <- result{err: fmt.Errorf("%s is not on this server (404)", path)}
			return nil
		} else if !resp.Get("ok").Bool() {
			ch <- result{err: fmt.Errorf("%s: the server answered %d %s", path, status, resp.Get("statusText").String())}
			return nil
		}
		// The size before compression, when the server says it (web/server does).
		size := resp.Get("headers").Call("get", "X-Uncompressed-Length")
		if size.Type() == js.TypeString {
			if n, err := strconv.ParseInt(size.String(), 10, 64); err == nil && n > scenario.MaxFileBytes {
				ch <- result{err: fmt.Errorf("%s: larger than %d bytes", path, scenario.MaxFileBytes)}
				return nil
			}
		}
		resp.Call("arrayBuffer").Call("then", onText, onError)
		return nil
	})
	opts := map[string]any{"cache": "no-cache"}
	// A server that never answers ends in an error after FetchTimeout,
	// not a page that loads forever.
	if as := js.Global().Get("AbortSignal"); as.Truthy() && as.Get("timeout").Truthy() {
		opts["signal"] = as.Call("timeout", FetchTimeout.Milliseconds())
	}
	js.Global().Call("fetch", path, opts).Call("then", onResponse, onError)
	r := <-ch
	onResponse.Release()
	onText.Release()
	onError.Release()
	return r.data, r.err
}

// loader calls a method of window.swarmsimLoader (index.html) if present.
func loader(method string, args ...any) {
	l := js.Global().Get("swarmsimLoader")
	if l.Truthy() && l.Get(method).Truthy() {
		l.Call(method, args...)
	}
}

// browserGame counts frames and tells the page when the first one is drawn.
type browserGame struct {
	*Game
	firstFrameMs float64
	// Mean wall time of Update and Draw over the last second (ms).
	updateMs, drawMs float64
	upAcc, drAcc     time.Duration
	upN, drN         int
	windowStart      time.Time
}

func (b *browserGame) Update() error {
	t0 := time.Now()
	if b.upN == 0 && b.frames == 0 {
		mark("update1.start")
	}
	err := b.Game.Update()
	if b.frames == 0 {
		mark("update1.end")
	}
	b.upAcc += time.Since(t0)
	b.upN++
	if time.Since(b.windowStart) >= time.Second {
		if b.upN > 0 {
			b.updateMs = float64(b.upAcc.Microseconds()) / 1000 / float64(b.upN)
		}
		if b.drN > 0 {
			b.drawMs = float64(b.drAcc.Microseconds()) / 1000 / float64(b.drN)
		}
		b.upAcc, b.drAcc, b.upN, b.drN = 0, 0, 0, 0
		b.windowStart = time.Now()
	}
	return err
}

func (b *browserGame) Draw(screen *ebiten.Image) {
	t0 := time.Now()
	b.Game.Draw(screen)
	b.drAcc += time.Since(t0)
	b.drN++
	if b.frames == 1 {
		mark("frame1")
		b.firstFrameMs = js.Global().Get("performance").Call("now").Float()
		loader("ready")
	}
}

// startup records when start-up phases ended (ms since navigation).
var startup = map[string]any{}

func mark(phase string) {
	startup[phase] = js.Global().Get("performance").Call("now").Float()
}

// queueClicks listens to mousedown on Ebiten's canvas and returns a func
// that hands over the clicks since its last call, in screen pixels.
func queueClicks(g *Game) func() [][2]float64 {
	var pending [][2]float64
	canvas := js.Global().Get("document").Call("querySelector", "canvas")
	if !canvas.Truthy() {
		return nil
	}
	canvas.Call("addEventListener", "mousedown", js.FuncOf(func(this js.Value, args []js.Value) any {
		e := args[0]
		if e.Get("button").Int() != 0 {
			return nil
		}
		s := g.scale
		if s <= 0 {
			s = 1
		}
		pending = append(pending, [2]float64{e.Get("offsetX").Float() * s, e.Get("offsetY").Float() * s})
		return nil
	}))
	var out [][2]float64
	return func() [][2]float64 {
		out = append(out[:0], pending...)
		pending = pending[:0]
		return out
	}
}

// queueKeys listens to keydown on the page and returns a func that hands
// over the Escape and Enter presses since its last call.
func queueKeys() func() []string {
	var pending []string
	js.Global().Get("document").Call("addEventListener", "keydown", js.FuncOf(func(this js.Value, args []js.Value) any {
		switch k := args[0].Get("key").String(); k {
		case "Escape", "Enter":
			pending = append(pending, k)
		}
		return nil
	}))
	var out []string
	return func() []string {
		out = append(out[:0], pending...)
		pending = pending[:0]
		return out
	}
}

// RunBrowser starts the dashboard in the page: it reads the URL parameters,
// starts the engine, exposes window.swarmsim and runs Ebiten. It returns
// only when the game stops; errors are also shown in the page's error box.
//
// Ebiten starts first: setting up its canvas and WebGL waits on the browser
// for a second or more, and the engine and fonts are prepared meanwhile
// (bootGame), so the first frame comes that much sooner.
func RunBrowser() error {
	mark("main")
	boot := &bootGame{ready: make(chan struct{})}
	go boot.prepare()
	ebiten.SetWindowTitle("swarmsim")
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false) // Game.Draw repaints only what changed
	if err := ebiten.RunGame(boot); err != nil {
		if !errors.Is(err, errBootFailed) {
			loader("fatal", "The dashboard stopped", err.Error())
		}
		return err
	}
	return nil
}

// errBootFailed stops Ebiten when the dashboard could not start (the page
// already shows why).
var errBootFailed = errors.New("the dashboard could not start")

// bootGame runs the dashboard once prepare has built it; until then it
// draws nothing.
type bootGame struct {
	ready chan struct{}
	bg    *browserGame
	err   error
}

func (b *bootGame) prepare() {
	defer close(b.ready)
	cfg := ParseParamsWith(js.Global().Get("location").Get("search").String(), fetchFromPage)
	mark("params")
	start := time.Now()
	wall := func() time.Duration { return time.Since(start) }
	ctl, err := NewController(cfg, NewEngineSim(1), wall)
	mark("engine")
	if err != nil {
		loader("fatal", "The simulator could not start", err.Error())
		b.err = err
		return
	}
	game, err := NewGame(ctl, browserHost{}, cfg.Problems)
	mark("fonts")
	if err != nil {
		loader("fatal", "The dashboard could not start", err.Error())
		b.err = err
		return
	}
	if len(cfg.Problems) > 0 {
		loader("banner", "URL: "+strings.Join(cfg.Problems, " • "))
	}
	browserHost{}.SetQuery(ctl.Query())
	bg := &browserGame{Game: game}
	game.PendingClicks = queueClicks(game)
	game.PendingKeys = queueKeys()
	exposeAPI(bg)
	b.bg = bg
}

// started reports whether the dashboard is ready (it never blocks).
func (b *bootGame) started() bool {
	select {
	case <-b.ready:
		return b.bg != nil
	default:
		return false
	}
}

func (b *bootGame) Update() error {
	if b.started() {
		return b.bg.Update()
	}
	select {
	case <-b.ready: // prepare failed
		return errBootFailed
	default:
		return nil
	}
}

func (b *bootGame) Draw(screen *ebiten.Image) {
	if b.started() {
		b.bg.Draw(screen)
	}
}

func (b *bootGame) LayoutF(outsideW, outsideH float64) (float64, float64) {
	if b.started() {
		return b.bg.LayoutF(outsideW, outsideH)
	}
	return outsideW, outsideH
}

func (b *bootGame) Layout(outsideW, outsideH int) (int, int) {
	w, h := b.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}

// exposeAPI installs window.swarmsim: the snapshot, the state and the
// controls, for tests and for pages that embed the dashboard.
func exposeAPI(b *browserGame) {
	g := b.Game
	c := g.Ctl
	api := map[string]any{}
	fn := func(name string, f func(args []js.Value) any) {
		api[name] = js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
			defer func() {
				if r := recover(); r != nil {
					ret = map[string]any{"error": fmt.Sprint(r)}
				}
			}()
			return f(args)
		})
	}
	errText := func(err error) any {
		if err != nil {
			return err.Error()
		}
		return ""
	}
	// str reads argument i as text: a string as it is, a number in full
	// (0 and 1e19 included), anything else (missing, null) as "".
	str := func(args []js.Value, i int) string {
		if i >= len(args) {
			return ""
		}
		switch args[i].Type() {
		case js.TypeString:
			return args[i].String()
		case js.TypeNumber:
			return strconv.FormatFloat(args[i].Float(), 'f', -1, 64)
		}
		return ""
	}

	// An object in the export's form (Snapshot); on failure, the error's text.
	fn("snapshot", func([]js.Value) any {
		s, err := c.SnapshotJSON()
		if err != nil {
			return errText(err)
		}
		return js.Global().Get("JSON").Call("parse", s)
	})
	fn("state", func([]js.Value) any { return string(c.State()) })
	fn("time", func([]js.Value) any { return c.Now().Seconds() })
	fn("pause", func([]js.Value) any { c.SetPaused(true); return "" })
	fn("resume", func([]js.Value) any { c.SetPaused(false); return "" })
	fn("setSpeed", func(a []js.Value) any {
		s, err := ParseSpeed(str(a, 0))
		if err != nil {
			return errText(err)
		}
		g.Do(SpeedCommand(s))
		return ""
	})
	fn("speed", func([]js.Value) any { return c.Speed().String() })
	fn("inject", func(a []js.Value) any {
		err := c.Inject(str(a, 0))
		if err != nil {
			g.problems = append(g.problems, err.Error())
		}
		return errText(err)
	})
	fn("restart", func(a []js.Value) any {
		seed := c.Seed()
		if s := str(a, 0); s != "" {
			var n uint64
			if _, err := fmt.Sscan(s, &n); err != nil {
				return "seed " + s + " is not a non-negative integer"
			}
			seed = n
		}
		err := c.Restart(seed)
		g.afterRestart()
		return errText(err)
	})
	fn("newSeed", func([]js.Value) any { g.Do(CmdNewSeed); return "" })
	fn("preset", func(a []js.Value) any {
		if len(a) == 0 {
			return c.Preset()
		}
		err := c.SelectPreset(str(a, 0))
		g.afterRestart()
		return errText(err)
	})
	fn("presets", func([]js.Value) any {
		var names []any
		for _, p := range scenario.Presets() {
			names = append(names, p.Name)
		}
		return names
	})
	fn("command", func(a []js.Value) any {
		// Runs the command a key would: command("f") opens the fault menu.
		k := str(a, 0)
		if k == "" {
			return "command needs a key"
		}
		r := []rune(k)[0]
		if k == "Escape" {
			r = 0x1b
		}
		cmd := MapKey(g.mode, r)
		if cmd == CmdNone {
			return "no command for key " + k
		}
		g.Do(cmd)
		return ""
	})
	fn("mode", func([]js.Value) any { return modeName(g.mode) })
	fn("clickCell", func(a []js.Value) any { return g.ClickCell(a[0].Int()) })
	fn("selectClient", func(a []js.Value) any { return g.SelectClient(a[0].Int()) })
	fn("closeInspector", func([]js.Value) any { g.selected = -1; return "" })
	fn("selectedClient", func([]js.Value) any {
		if g.selected < 0 {
			return js.Null()
		}
		v, ok := c.Client(g.selected)
		if !ok {
			return js.Null()
		}
		data, err := json.Marshal(v)
		if err != nil {
			return errText(err)
		}
		return string(data)
	})
	fn("cellRect", func(a []js.Value) any {
		// In CSS pixels, for real mouse events from tests.
		id := a[0].Int()
		if id < 0 || id >= g.grid.Shown {
			return js.Null()
		}
		r := g.grid.CellRect(id)
		s := g.scale
		return map[string]any{"x": r.X / s, "y": r.Y / s, "w": r.W / s, "h": r.H / s}
	})
	fn("panels", func([]js.Value) any {
		// Panel rectangles in CSS pixels, for screenshot checks.
		l := g.l
		s := g.scale
		rect := func(r Rect) map[string]any {
			return map[string]any{"x": r.X / s, "y": r.Y / s, "w": r.W / s, "h": r.H / s}
		}
		out := map[string]any{"header": rect(l.Header), "grid": rect(l.Grid), "summary": rect(l.Summary),
			"errors": rect(l.Errors), "inspector": rect(l.Inspector), "overlay": rect(l.Overlay)}
		var charts []any
		for _, r := range l.Charts {
			charts = append(charts, rect(r))
		}
		out["charts"] = charts
		return out
	})
	fn("frames", func([]js.Value) any { return float64(g.frames) })
	fn("drawn", func([]js.Value) any {
		// What the panels on screen show, each with the virtual instant
		// of its figures (PanelReadout), as JSON.
		data, err := json.Marshal(g.Readout())
		if err != nil {
			return errText(err)
		}
		return string(data)
	})
	fn("updates", func([]js.Value) any { return float64(c.Updates()) })
	fn("fps", func([]js.Value) any { return ebiten.ActualFPS() })
	fn("tps", func([]js.Value) any { return ebiten.ActualTPS() })
	fn("timings", func([]js.Value) any {
		out := map[string]any{"updateMs": b.updateMs, "drawMs": b.drawMs}
		cost := map[string]any{}
		for p, v := range g.DrawCost {
			if v > 0 {
				cost[Panel(p).String()] = float64(v.Microseconds()) / 1000
			}
		}
		out["drawCostMs"] = cost
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		out["heapMB"] = float64(ms.HeapAlloc) / 1e6
		out["numGC"] = float64(ms.NumGC)
		out["gcPauseMs"] = float64(ms.PauseTotalNs) / 1e6
		out["allocMB"] = float64(ms.TotalAlloc) / 1e6
		for k, v := range startup {
			out[k] = v
		}
		return out
	})
	fn("firstFrameMs", func([]js.Value) any { return b.firstFrameMs })
	fn("effectiveSpeed", func([]js.Value) any { return c.EffectiveSpeed() })
	fn("errors", func([]js.Value) any {
		var out []any
		for _, p := range g.problems {
			out = append(out, p)
		}
		return out
	})
	// Drills. drill() is what the trainee may see of the drill being
	// played (DrillState), null without one.
	jsonValue := func(v any) any {
		data, err := json.Marshal(v)
		if err != nil {
			return errText(err)
		}
		return js.Global().Get("JSON").Call("parse", string(data))
	}
	fn("drill", func([]js.Value) any {
		s := c.Drill()
		if s == nil {
			return js.Null()
		}
		return jsonValue(s.State())
	})
	fn("drills", func([]js.Value) any {
		var out []any
		for _, e := range g.drillMenu() {
			out = append(out, map[string]any{"ref": e.Ref.Query(), "title": e.Label, "difficulty": e.Difficulty})
		}
		return out
	})
	fn("startDrill", func(a []js.Value) any {
		// startDrill("974e9f") or startDrill("random", 7).
		seed := str(a, 1)
		ref, err := ParseDrillRef(str(a, 0), seed, seed != "")
		if err != nil {
			return errText(err)
		}
		err = c.StartDrill(ref) // a drill file is refused: it opens from a link
		if err == nil {
			g.afterRestart()
		}
		return errText(err)
	})
	// number reads argument i as a finite number; whole asks for an
	// integer. The error says what the call needs.
	number := func(a []js.Value, i int, whole bool, what string) (float64, error) {
		if i < len(a) && a[i].Type() == js.TypeNumber {
			f := a[i].Float()
			if !math.IsNaN(f) && !math.IsInf(f, 0) && (!whole || f == math.Trunc(f)) {
				return f, nil
			}
		}
		if whole {
			return 0, fmt.Errorf("%s must be a whole number", what)
		}
		return 0, fmt.Errorf("%s must be a finite number", what)
	}
	choice := func(a []js.Value, set func(int) error) any {
		n, err := number(a, 0, true, "the choice")
		if err != nil {
			return errText(err)
		}
		return errText(set(int(n)))
	}
	fn("drillChoose", func(a []js.Value) any { return choice(a, c.ChooseCause) })
	fn("drillFollowup", func(a []js.Value) any { return choice(a, c.ChooseFollowup) })
	fn("drillMarkStart", func(a []js.Value) any {
		t, err := number(a, 0, false, "the start (seconds)")
		if err != nil {
			return errText(err)
		}
		// MarkStart keeps it within the run; bound it first so the
		// conversion to a Duration cannot overflow.
		t = math.Max(0, math.Min(t, c.Scenario().Duration.D().Seconds()))
		return errText(c.MarkStart(time.Duration(t * float64(time.Second))))
	})
	fn("drillSubmit", func([]js.Value) any {
		err := c.Submit()
		if err == nil {
			g.mode = ModeAnswer
			g.Host.SetQuery(c.Query())
		}
		return errText(err)
	})
	fn("drillNext", func([]js.Value) any {
		err := c.NextDrill()
		if err == nil {
			g.afterRestart()
			g.mode = ModeDashboard
		}
		return errText(err)
	})
	fn("drillPanel", func([]js.Value) any {
		// The answer panel's items with an action, in CSS pixels, for real
		// clicks from tests (empty unless the panel is open).
		var out []any
		if g.mode != ModeAnswer {
			return out
		}
		s := g.scale
		for _, it := range g.drillPanel().Items {
			if it.Action.Kind == ActNone {
				continue
			}
			out = append(out, map[string]any{"action": drillActionName(it.Action.Kind), "n": it.Action.N, "text": it.Text,
				"chosen": it.Kind == ItemChosen, "enabled": it.Kind != ItemButtonOff,
				"x": it.Rect.X / s, "y": it.Rect.Y / s, "w": it.Rect.W / s, "h": it.Rect.H / s})
		}
		return out
	})
	fn("chartPoint", func(a []js.Value) any {
		// Where time t (seconds) of chart i is, at the bottom of its plot,
		// in CSS pixels: where a trainee clicks to mark a drill's start.
		i, err := number(a, 0, true, "the chart")
		if err != nil || i < 0 || i >= float64(NumCharts) || g.view == nil {
			return js.Null()
		}
		t, err := number(a, 1, false, "the time")
		if err != nil {
			return js.Null()
		}
		geo := ComputeChart(ChartPlot(g.l.Charts[int(i)], &g.l), &g.view.Charts.Charts[int(i)])
		s := g.scale
		return map[string]any{"x": geo.X(t) / s, "y": (geo.Plot.Bottom() - 2*g.l.Scale) / s}
	})
	fn("copied", func([]js.Value) any { return g.copied })
	fn("downloadJSON", func([]js.Value) any { return download(c, "json") })
	fn("downloadCSV", func([]js.Value) any { return download(c, "csv") })
	fn("help", func(a []js.Value) any {
		show := len(a) == 0 || a[0].Truthy()
		if show {
			g.mode = ModeHelp
		} else if g.mode == ModeHelp {
			g.mode = ModeDashboard
		}
		return ""
	})
	js.Global().Set("swarmsim", js.ValueOf(api))
}

func download(c *Controller, format string) any {
	s, err := c.Download(format)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return s
}

func modeName(m Mode) string {
	switch m {
	case ModeHelp:
		return "help"
	case ModePresetMenu:
		return "presets"
	case ModeFaultMenu:
		return "faults"
	case ModeDrillMenu:
		return "drills"
	case ModeAnswer:
		return "answer"
	}
	return "dashboard"
}

func drillActionName(k DrillActionKind) string {
	switch k {
	case ActChoose:
		return "choose"
	case ActFollowup:
		return "followup"
	case ActClearStart:
		return "clear"
	case ActSubmit:
		return "submit"
	case ActCopy:
		return "copy"
	case ActNext:
		return "next"
	case ActClose:
		return "close"
	}
	return ""
}
