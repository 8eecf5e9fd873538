//go:build !js

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/export"
	"swarmsim/web/server"
)

// chromiumPath is the browser the test drives: $SWARMSIM_CHROMIUM (the
// Makefile sets it from CHROMIUM), else Debian's /usr/bin/chromium.
func chromiumPath() string {
	if p := os.Getenv("SWARMSIM_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// The performance goals of the issue.
const (
	goalUPS          = 60
	goalFPS          = 50
	goalTransfer     = 4_000_000 // bytes, page + loader + wasm, compressed
	goalFirstFrameMs = 3000
)

var (
	setupOnce sync.Once
	setupErr  error
	site      *testSite
	browser   context.Context
	stopAll   []context.CancelFunc
)

// testSite is the built app served on 127.0.0.1:0, counting the bytes it
// sends per path.
type testSite struct {
	dir  string
	srv  *httptest.Server
	sent sync.Map // path -> *atomic.Int64
	gz   int64
	raw  int64
}

func (s *testSite) URL(query string) string { return s.srv.URL + "/" + query }

func (s *testSite) resetCounts() { s.sent.Clear() }

func (s *testSite) bytesSent() (total int64, byPath map[string]int64) {
	byPath = map[string]int64{}
	s.sent.Range(func(k, v any) bool {
		n := v.(*atomic.Int64).Load()
		byPath[k.(string)] = n
		total += n
		return true
	})
	return total, byPath
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(stopAll) - 1; i >= 0; i-- {
		stopAll[i]()
	}
	if site != nil {
		site.srv.Close()
		_ = os.RemoveAll(site.dir)
	}
	os.Exit(code)
}

// goWasmExec reads the wasm_exec.js of the Go toolchain on PATH
// ($(go env GOROOT)/lib/wasm/wasm_exec.js), the loader that matches the
// wasm it builds.
func goWasmExec() ([]byte, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the Go wasm loader: %w", err)
	}
	return data, nil
}

// setup builds the wasm exactly as `make wasm` does, serves a copy of web/
// with it, and starts one headless Chromium shared by the tests.
func setup(t *testing.T) {
	t.Helper()
	setupOnce.Do(func() { setupErr = doSetup() })
	if setupErr != nil {
		t.Fatal(setupErr)
	}
}

func doSetup() error {
	if _, err := os.Stat(chromiumPath()); err != nil {
		return fmt.Errorf("the browser end-to-end test needs Chromium at %s (%v); install it with: sudo apt-get update && sudo apt-get install -y chromium   (or run `make deps`), or name another with SWARMSIM_CHROMIUM", chromiumPath(), err)
	}
	dir, err := os.MkdirTemp("", "swarmsim-e2e-")
	if err != nil {
		return err
	}
	served := false // once the site serves dir, TestMain removes it
	defer func() {
		if !served {
			_ = os.RemoveAll(dir)
		}
	}()
	index, err := os.ReadFile(filepath.Join("..", "index.html"))
	if err != nil {
		return fmt.Errorf("reading web/index.html: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), index, 0o644); err != nil {
		return err
	}
	// The loader must come from the Go that builds the wasm (as `make wasm`
	// does), not the tracked web/wasm_exec.js, which another Go patch
	// version may not match.
	loader, err := goWasmExec()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), loader, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "swarmsim.wasm"), "../../cmd/swarmsim-web")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the wasm: %v\n%s", err, out)
	}

	s := &testSite{dir: dir}
	h := server.New(os.DirFS(dir))
	if s.gz, s.raw, err = h.Warm(); err != nil {
		return err
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := s.sent.LoadOrStore(r.URL.Path, new(atomic.Int64))
		h.ServeHTTP(countingWriter{w, c.(*atomic.Int64)}, r)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.srv.Listener = ln
	s.srv.Start()
	site = s
	served = true

	userDir, err := os.MkdirTemp("", "swarmsim-chromium-")
	if err != nil {
		return err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()),
		chromedp.NoSandbox,
		chromedp.UserDataDir(userDir),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		// Headless Chromium has no display: without these its emulated vsync
		// throttles a WebGL page to a few frames per second on a busy
		// machine (measured: 3 fps vs 18 fps for an empty Ebiten game).
		chromedp.Flag("disable-gpu-vsync", true),
		chromedp.Flag("disable-frame-rate-limit", true),
	)
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b, stopBrowser := chromedp.NewContext(alloc)
	stopAll = append(stopAll, stopAlloc, stopBrowser, func() { _ = os.RemoveAll(userDir) })
	if err := chromedp.Do(b); err != nil { // starts the browser
		return fmt.Errorf("starting Chromium: %w", err)
	}
	browser = b
	return nil
}

// closeTab closes the tab tab() opened last: one dashboard at a time, so
// tabs do not compete for the CPU.
var closeTab context.CancelFunc

// tabTimeout bounds everything one tab does (times waitScale).
const tabTimeout = 4 * time.Minute

// waitScale stretches every wait of these tests and the tab's bound: on a loaded
// machine (CI beside other jobs) headless Chromium draws many times slower, and a wait
// ends as soon as its condition holds, so a quiet machine loses nothing. The timeouts
// written in the tests are for a quiet machine; SWARMSIM_WAIT_SCALE=N sets the factor.
var waitScale = func() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("SWARMSIM_WAIT_SCALE")); err == nil && n >= 1 {
		return time.Duration(n)
	}
	return 8
}()

// tab opens a new tab on url and waits until the dashboard drew frames.
func tab(t *testing.T, url string) context.Context {
	t.Helper()
	return tabAt(t, url, 1280, 800, 1)
}

// tabAt is tab with a window of w x h CSS pixels at a device scale factor.
func tabAt(t *testing.T, url string, w, h int64, scale float64) context.Context {
	t.Helper()
	return openTab(t, url, w, h, scale, false)
}

// coldTab is tab after emptying the browser's HTTP cache, for a cold page
// load: the server answers revalidations with 304, so a warm cache would
// not transfer the wasm again.
func coldTab(t *testing.T, url string) context.Context {
	t.Helper()
	return openTab(t, url, 1280, 800, 1, true)
}

func openTab(t *testing.T, url string, w, h int64, scale float64, cold bool) context.Context {
	t.Helper()
	setup(t)
	if closeTab != nil {
		closeTab()
	}
	ctx, cancel := chromedp.NewContext(browser)
	closeTab = cancel
	t.Cleanup(cancel)
	// A safety net against a hung tab only: every wait below has its own
	// timeout. TestPerformance's warm-up and measurement window alone can pass
	// 90 s on a loaded machine.
	ctx, cancelT := context.WithTimeout(ctx, tabTimeout*waitScale)
	t.Cleanup(cancelT)
	if cold {
		_, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{})
		require.NoError(t, err)
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(w, h, chromedp.EmulateScale(scale)), chromedp.Navigate(url)))
	waitJS(t, ctx, `(window.swarmsimLoader && swarmsimLoader.error) || (window.swarmsim && swarmsim.frames() > 3)`, 30*time.Second)
	loadErr := eval[string](t, ctx, `window.swarmsimLoader.error`)
	require.Empty(t, loadErr, "the page shows a loading error")
	return ctx
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err, "evaluating %s", js)
	return v
}

// waitJS waits (in the browser, polling every 50 ms) until expr is truthy.
func waitJS(t *testing.T, ctx context.Context, expr string, timeout time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout*waitScale)))
	require.NoError(t, err, "waiting for %s", expr)
}

// snapshot is the part of window.swarmsim.snapshot() the tests read.
type snapshot struct {
	Time     float64 `json:"time"`
	State    string  `json:"state"`
	Speed    string  `json:"speed"`
	Preset   string  `json:"preset"`
	Seed     uint64  `json:"seed"`
	Clients  int     `json:"clients"`
	Samples  int     `json:"samples"`
	Events   int     `json:"events"`
	Injected int     `json:"injected"`
	Query    string  `json:"query"`
	Stats    struct {
		ActiveClients      int
		TotalSegmentReqs   int64
		TotalManifestReqs  int64
		TotalBytes         int64
		HTTPErrorsTotal    int64
		TotalTimeouts      int64
		TotalReconnections int64
		ErrorRate          float64
		TCPConnectRefused  int64
		TotalHTTPErrors    map[string]int64
	} `json:"stats"`
}

func snap(t *testing.T, ctx context.Context) snapshot {
	t.Helper()
	require.Equal(t, "object", eval[string](t, ctx, `typeof swarmsim.snapshot()`), "snapshot() returns an object")
	return eval[snapshot](t, ctx, `swarmsim.snapshot()`)
}

func saveScreenshot(t *testing.T, ctx context.Context, name string) image.Image {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(buf))
	require.NoError(t, err)
	if dir := os.Getenv("SWARMSIM_SCREENSHOTS"); dir != "" && !strings.HasSuffix(name, ".tmp") {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf, 0o644))
	}
	return img
}

type cssRect struct{ X, Y, W, H float64 }

func panels(t *testing.T, ctx context.Context) (header, grid, summary, errs, inspector, overlay cssRect, charts []cssRect) {
	t.Helper()
	var p struct {
		Header, Grid, Summary, Errors, Inspector, Overlay cssRect
		Charts                                            []cssRect
	}
	raw := eval[string](t, ctx, `JSON.stringify(swarmsim.panels())`)
	require.NoError(t, json.Unmarshal([]byte(raw), &p))
	return p.Header, p.Grid, p.Summary, p.Errors, p.Inspector, p.Overlay, p.Charts
}

var (
	colPanel = color.RGBA{0x1F, 0x29, 0x37, 0xFF}
	colBg    = color.RGBA{0x11, 0x18, 0x27, 0xFF}
)

// drawn counts the pixels of a panel that are neither the panel nor the page
// background, and the distinct colours among them.
func drawn(img image.Image, r cssRect) (pixels, colors int) {
	seen := map[color.RGBA]bool{}
	for y := int(r.Y) + 2; y < int(r.Y+r.H)-2; y++ {
		for x := int(r.X) + 2; x < int(r.X+r.W)-2; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			c := color.RGBA{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8), uint8(ca >> 8)}
			if c == colPanel || c == colBg {
				continue
			}
			pixels++
			seen[c] = true
		}
	}
	return pixels, len(seen)
}

func TestPageRunsAndSnapshotAdvances(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=origin-outage&clients=300&seed=3&speed=60"))
	s0 := snap(t, ctx)
	f0 := eval[float64](t, ctx, `swarmsim.frames()`)
	u0 := eval[float64](t, ctx, `swarmsim.updates()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.time() >= %f`, s0.Time+30), 20*time.Second)
	s1 := snap(t, ctx)
	assert.Greater(t, eval[float64](t, ctx, `swarmsim.frames()`), f0, "frames advance")
	assert.Greater(t, eval[float64](t, ctx, `swarmsim.updates()`), u0, "updates advance")
	assert.Greater(t, s1.Time, s0.Time)
	assert.Greater(t, s1.Stats.TotalSegmentReqs, s0.Stats.TotalSegmentReqs, "the swarm keeps requesting segments")
	assert.Greater(t, s1.Stats.TotalBytes, s0.Stats.TotalBytes)
	assert.Greater(t, s1.Samples, s0.Samples, "the recorder samples every virtual second")
	assert.Equal(t, "running", s1.State)
	assert.Equal(t, 300, s1.Clients)

	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	assert.Equal(t, "paused", eval[string](t, ctx, `swarmsim.state()`))
	tp := eval[float64](t, ctx, `swarmsim.time()`)
	fp := eval[float64](t, ctx, `swarmsim.frames()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 20`, fp), 10*time.Second)
	assert.Equal(t, tp, eval[float64](t, ctx, `swarmsim.time()`), "paused: frames are drawn, virtual time stands still")
	require.Empty(t, eval[string](t, ctx, `swarmsim.resume()`))
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.time() > %f`, tp), 10*time.Second)

	// Restart with the same seed goes back to zero and keeps the seed.
	require.Empty(t, eval[string](t, ctx, `swarmsim.restart()`))
	s2 := snap(t, ctx)
	assert.Less(t, s2.Time, s1.Time)
	assert.Equal(t, uint64(3), s2.Seed)
	require.Empty(t, eval[string](t, ctx, `swarmsim.newSeed()`))
	assert.NotEqual(t, uint64(3), snap(t, ctx).Seed)
	assert.Contains(t, eval[string](t, ctx, `location.search`), fmt.Sprintf("seed=%d", snap(t, ctx).Seed), "the address bar reproduces the run")
}

// pressEscape holds Escape down for a few frames: Ebiten reads physical
// keys once per update, and a press shorter than a frame may be missed.
func pressEscape(t *testing.T, ctx context.Context) {
	t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Escape", Code: "Escape", WindowsVirtualKeyCode: 27, NativeVirtualKeyCode: 27}
	_, err := chromedp.Call(ctx, input.DispatchKeyEvent, down)
	require.NoError(t, err)
	f := eval[float64](t, ctx, `swarmsim.frames()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 3`, f), 5*time.Second)
	up := down
	up.Type = input.DispatchKeyEventTypeKeyUp
	_, err = chromedp.Call(ctx, input.DispatchKeyEvent, up)
	require.NoError(t, err)
}

// loadAverage reads the machine's load (the test shares it with others).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func site0(t *testing.T) *testSite {
	setup(t)
	return site
}

func TestInjectFaultRaisesErrors(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=steady&clients=200&seed=1&speed=60"))
	waitJS(t, ctx, `swarmsim.time() >= 20`, 20*time.Second) // past the ramp
	before := snap(t, ctx)
	assert.Zero(t, before.Stats.HTTPErrorsTotal, "the steady preset has no errors")
	require.Equal(t, "", eval[string](t, ctx, `swarmsim.inject("503")`))
	waitJS(t, ctx, `swarmsim.snapshot().stats.HTTPErrorsTotal > 20`, 20*time.Second)
	after := snap(t, ctx)
	assert.Greater(t, after.Stats.TotalHTTPErrors["503"], int64(0), "errors are counted under 503: %v", after.Stats.TotalHTTPErrors)
	assert.Greater(t, after.Stats.ErrorRate, 0.0)
	assert.Equal(t, before.Events+1, after.Events, "the live fault is an event band")
	assert.Equal(t, 1, after.Injected)

	// The keyboard path: f opens the fault menu, 1 injects an outage.
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("f")))
	waitJS(t, ctx, `swarmsim.mode() === "faults"`, 5*time.Second)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("1")))
	waitJS(t, ctx, `swarmsim.snapshot().injected === 2`, 5*time.Second)
	assert.Equal(t, "dashboard", eval[string](t, ctx, `swarmsim.mode()`))
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.snapshot().stats.TotalReconnections > %d`, after.Stats.TotalReconnections), 20*time.Second)

	assert.Contains(t, eval[string](t, ctx, `swarmsim.inject("meteor")`), "unknown fault")
	errs := eval[[]string](t, ctx, `swarmsim.errors()`)
	require.Len(t, errs, 1)
}

func TestClickCellOpensInspector(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=origin-outage&clients=300&seed=3&speed=max"))
	waitJS(t, ctx, `swarmsim.time() >= 190`, 60*time.Second) // inside the outage (3m..4m)
	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	var cell cssRect
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(swarmsim.cellRect(42))`)), &cell))
	require.Greater(t, cell.W, 0.0)
	assert.Equal(t, "null", eval[string](t, ctx, `String(swarmsim.selectedClient())`))

	// A real mouse click at the cell's centre.
	require.NoError(t, chromedp.Do(ctx, chromedp.MouseClickXY(cell.X+cell.W/2, cell.Y+cell.H/2)))
	waitJS(t, ctx, `swarmsim.selectedClient() !== null`, 5*time.Second)
	var v struct {
		ID      int
		State   int
		Stats   struct{ SegmentRequests, TotalBytes int64 }
		History []struct{ At, State int64 }
	}
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `swarmsim.selectedClient()`)), &v))
	assert.Equal(t, 42, v.ID)
	assert.Greater(t, v.Stats.SegmentRequests, int64(0))
	assert.NotEmpty(t, v.History, "the inspector has a state history")

	img := saveScreenshot(t, ctx, "inspector.png")
	_, _, _, _, insp, _, _ := panels(t, ctx)
	px, cols := drawn(img, insp)
	assert.Greater(t, px, int(insp.W*insp.H/100), "the inspector panel is drawn")
	assert.Greater(t, cols, 5)

	// Escape closes it.
	pressEscape(t, ctx)
	waitJS(t, ctx, `swarmsim.selectedClient() === null`, 5*time.Second)
}

func TestURLParameters(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=churn&clients=123&seed=77&capacity=1500&speed=1"))
	s := snap(t, ctx)
	// The address bar keeps every accepted setting, so reload and share
	// reproduce this run.
	assert.Equal(t, "?scenario=churn&clients=123&seed=77&capacity=1500&speed=1x", eval[string](t, ctx, `location.search`))
	assert.Equal(t, "?scenario=churn&clients=123&seed=77&capacity=1500&speed=1x", s.Query)
	assert.Equal(t, "churn", s.Preset)
	assert.Equal(t, 123, s.Clients)
	assert.Equal(t, uint64(77), s.Seed)
	assert.Equal(t, "1x", s.Speed)
	assert.Empty(t, eval[[]string](t, ctx, `swarmsim.errors()`))
	assert.Equal(t, "none", eval[string](t, ctx, `getComputedStyle(document.getElementById("banner")).display`))

	ctx = tab(t, site0(t).URL("?scenario=nope&clients=0&seed=5&speed=7"))
	errs := eval[[]string](t, ctx, `swarmsim.errors()`)
	require.Len(t, errs, 3, "%v", errs)
	joined := strings.Join(errs, "\n")
	assert.Contains(t, joined, "scenario=nope")
	assert.Contains(t, joined, "clients=0")
	assert.Contains(t, joined, "speed=7")
	s = snap(t, ctx)
	assert.Equal(t, "steady", s.Preset, "bad values fall back to the defaults")
	assert.Equal(t, "10x", s.Speed)
	assert.Equal(t, uint64(5), s.Seed, "good values next to bad ones still apply")
	assert.Equal(t, "block", eval[string](t, ctx, `getComputedStyle(document.getElementById("banner")).display`), "the message is visible")
	banner := eval[string](t, ctx, `document.getElementById("banner-text").textContent`)
	assert.Contains(t, banner, "clients=0")
	assert.Contains(t, banner, "1..1000000", "the message names the allowed range")
}

func TestScreenshotShowsPanels(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=origin-outage&clients=1000&seed=3&speed=max"))
	waitJS(t, ctx, `swarmsim.time() >= 200`, 90*time.Second) // into the outage
	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	// Hover a chart inside the outage band to show the read-out.
	_, _, _, _, _, _, charts := panels(t, ctx)
	c := charts[0]
	require.NoError(t, chromedp.Do(ctx, chromedp.MouseEvent("mouseMoved", c.X+c.W*0.93, c.Y+c.H*0.6)))
	f := eval[float64](t, ctx, `swarmsim.frames()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 3`, f), 5*time.Second)
	img := saveScreenshot(t, ctx, "dashboard-outage.png")
	header, grid, summary, errs, _, _, charts := panels(t, ctx)
	for name, r := range map[string]cssRect{"header": header, "grid": grid, "summary": summary, "errors": errs} {
		px, cols := drawn(img, r)
		assert.Greater(t, px, int(r.W*r.H/200), "%s panel has content", name)
		assert.Greater(t, cols, 3, "%s panel has several colours", name)
	}
	for i, r := range charts {
		px, cols := drawn(img, r)
		assert.Greater(t, px, int(r.W*r.H/50), "chart %d has content", i)
		assert.Greater(t, cols, 8, "chart %d has lines, bands and text", i)
	}
	// The outage band is shaded red on the charts: some pixel is clearly
	// redder than the panel.
	red := 0
	r := charts[0]
	for y := int(r.Y + r.H/2); y < int(r.Y+r.H-24); y++ {
		for x := int(r.X); x < int(r.X+r.W); x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 0x40 && cr>>8 > cg>>8+0x10 && cr>>8 > cb>>8 {
				red++
			}
		}
	}
	assert.Greater(t, red, 100, "the outage is shaded on the chart")

	// The help overlay, opened from the keyboard.
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("h")))
	waitJS(t, ctx, `swarmsim.mode() === "help"`, 5*time.Second)
	f = eval[float64](t, ctx, `swarmsim.frames()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 3`, f), 5*time.Second)
	img = saveScreenshot(t, ctx, "help.png")
	_, _, _, _, _, overlay, _ := panels(t, ctx)
	px, cols := drawn(img, overlay)
	assert.Greater(t, px, int(overlay.W*overlay.H/100), "the help overlay is drawn")
	assert.Greater(t, cols, 5)
}

func TestWindowSizesAndHiDPI(t *testing.T) {
	for _, tc := range []struct {
		w, h  int64
		scale float64
	}{{1024, 640, 1}, {1280, 800, 2}} {
		t.Run(fmt.Sprintf("%dx%d@%v", tc.w, tc.h, tc.scale), func(t *testing.T) {
			ctx := tabAt(t, site0(t).URL("?scenario=steady&clients=500&speed=60"), tc.w, tc.h, tc.scale)
			// The canvas has one pixel per device pixel: text is sharp.
			cw := eval[float64](t, ctx, `document.querySelector("canvas").width`)
			assert.InDelta(t, float64(tc.w)*tc.scale, cw, 1, "canvas width in device pixels")
			header, grid, summary, errs, _, _, charts := panels(t, ctx)
			view := cssRect{0, 0, float64(tc.w), float64(tc.h)}
			all := append([]cssRect{header, grid, summary, errs}, charts...)
			for i, r := range all {
				assert.True(t, r.X >= 0 && r.Y >= 0 && r.X+r.W <= view.W+0.5 && r.Y+r.H <= view.H+0.5, "panel %d %+v fits the %dx%d window", i, r, tc.w, tc.h)
			}
			f := eval[float64](t, ctx, `swarmsim.frames()`)
			waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 5`, f), 20*time.Second)
			if tc.scale != 1 {
				// A 2560x1600 SwiftShader screenshot can take longer than the
				// test's deadline on a busy machine; the canvas size and the
				// layout above are what HiDPI changes.
				return
			}
			img := saveScreenshot(t, ctx, fmt.Sprintf("size-%dx%d-%v.png.tmp", tc.w, tc.h, tc.scale))
			// The screenshot is in device pixels.
			assert.InDelta(t, float64(tc.w)*tc.scale, float64(img.Bounds().Dx()), 1)
			sc := func(r cssRect) cssRect {
				return cssRect{r.X * tc.scale, r.Y * tc.scale, r.W * tc.scale, r.H * tc.scale}
			}
			px, cols := drawn(img, sc(charts[0]))
			assert.Greater(t, px, int(charts[0].W*charts[0].H*tc.scale*tc.scale/100), "the first chart is drawn")
			assert.Greater(t, cols, 5)
		})
	}
}

func TestDownloadsUseTheSimNativeFormat(t *testing.T) {
	ctx := tab(t, site0(t).URL("?scenario=steady&clients=50&seed=2&speed=max"))
	waitJS(t, ctx, `swarmsim.time() >= 30`, 20*time.Second)
	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	s := snap(t, ctx)
	text := eval[string](t, ctx, `swarmsim.downloadJSON()`)
	run, err := export.ReadJSON(strings.NewReader(text))
	require.NoError(t, err, "the JSON reads back with sim/export")
	assert.Equal(t, uint64(2), run.Seed)
	assert.Equal(t, s.Samples, len(run.Series))
	require.NotNil(t, run.Final)
	assert.Equal(t, s.Stats.TotalSegmentReqs, run.Final.TotalSegmentReqs)

	csv := eval[string](t, ctx, `swarmsim.downloadCSV()`)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	require.NotEmpty(t, lines)
	assert.Equal(t, strings.Join(export.CSVHeader(), ","), strings.TrimSpace(lines[0]), "the CSV header is sim-native's")
	assert.Len(t, lines, 1+s.Samples, "one row per sample")
}

func TestServesTheToolchainLoader(t *testing.T) {
	s := site0(t)
	want, err := goWasmExec()
	require.NoError(t, err)
	resp, err := http.Get(s.srv.URL + "/wasm_exec.js")
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, string(want), string(got), "the loader of the Go that built the wasm, as `make wasm` copies it")
}

func TestLoadErrorIsShown(t *testing.T) {
	setup(t)
	index, err := os.ReadFile("../index.html")
	require.NoError(t, err)
	loader, err := os.ReadFile(filepath.Join(site.dir, "wasm_exec.js"))
	require.NoError(t, err)
	srv := httptest.NewServer(server.New(fstest.MapFS{
		"index.html":    {Data: index},
		"wasm_exec.js":  {Data: loader},
		"swarmsim.wasm": {Data: []byte("this is not WebAssembly")},
	}))
	defer srv.Close()
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")))
	waitJS(t, ctx, `swarmsimLoader.error !== ""`, 10*time.Second)
	assert.Contains(t, eval[string](t, ctx, `swarmsimLoader.error`), "cannot instantiate swarmsim.wasm")
	assert.Equal(t, "block", eval[string](t, ctx, `getComputedStyle(document.getElementById("error")).display`))

	srv404 := httptest.NewServer(server.New(fstest.MapFS{"index.html": {Data: index}, "wasm_exec.js": {Data: loader}}))
	defer srv404.Close()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv404.URL+"/")))
	waitJS(t, ctx, `swarmsimLoader.error !== ""`, 10*time.Second)
	assert.Contains(t, eval[string](t, ctx, `swarmsimLoader.error`), "HTTP 404")
}

func TestServedCompressedWithContentTypes(t *testing.T) {
	s := site0(t)
	for path, ct := range map[string]string{"/": "text/html; charset=utf-8", "/wasm_exec.js": "text/javascript; charset=utf-8", "/swarmsim.wasm": "application/wasm"} {
		req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, ct, resp.Header.Get("Content-Type"), path)
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), path)
	}
}

// TestPerformance measures what docs/PERFORMANCE.md records: the transfer
// size and first frame of a cold page load, and the update and frame rates
// with 10 000 clients at 10x.
func TestPerformance(t *testing.T) {
	s := site0(t)
	s.resetCounts()
	// A steady swarm: 10 000 clients joining at 500/s (20 s) in a 30-minute
	// run, on a 50 Gbps origin they use at 43 % (demand 10 000 x 2.128 Mbps
	// = 21.3 Gbps), so the fair-share level is computed every tick but never
	// binds. (At 71 % the swarm saturates the origin in bursts every other
	// second, see sim/engine's doc: a different, costlier run.)
	ctx := coldTab(t, s.URL("?scenario=steady&clients=10000&ramp_rate=500&duration=30m&capacity=50000&seed=1&speed=10"))
	total, byPath := s.bytesSent()
	first := eval[float64](t, ctx, `swarmsim.firstFrameMs()`)
	loaded := eval[float64](t, ctx, `swarmsimLoader.loadedMs`)
	t.Logf("wasm instantiated at %.0f ms, first frame at %.0f ms; phases %s", loaded, first, eval[string](t, ctx, `JSON.stringify(swarmsim.timings())`))
	t.Logf("transfer: %d bytes compressed (%v); served tree %d bytes raw, %d gzipped", total, byPath, s.raw, s.gz)
	t.Logf("first frame: %.0f ms after navigation start", first)
	assert.LessOrEqual(t, total, int64(goalTransfer), "compressed transfer of the page and wasm")
	assert.Greater(t, total, int64(1_000_000), "the wasm was transferred")
	if os.Getenv("SWARMSIM_PERF_STRICT") != "0" {
		assert.LessOrEqual(t, first, float64(goalFirstFrameMs), "first frame (load average %s)", loadAverage())
	}

	// Warm up past the ramp, then measure over 5 s of wall time.
	require.Empty(t, eval[string](t, ctx, `swarmsim.setSpeed("max")`))
	waitJS(t, ctx, `swarmsim.time() >= 40`, 60*time.Second)
	require.Empty(t, eval[string](t, ctx, `swarmsim.setSpeed("10")`))
	active := snap(t, ctx).Stats.ActiveClients
	require.Equal(t, 10000, active, "all clients have joined")
	type mark struct{ T, F, U, V float64 }
	read := func() mark {
		raw := eval[string](t, ctx, `JSON.stringify({T: performance.now(), F: swarmsim.frames(), U: swarmsim.updates(), V: swarmsim.time()})`)
		var m mark
		require.NoError(t, json.Unmarshal([]byte(raw), &m))
		return m
	}
	// One second of settling after the speed change.
	m := read()
	waitJS(t, ctx, fmt.Sprintf(`performance.now() >= %f`, m.T+1000), 5*time.Second)
	m0 := read()
	waitJS(t, ctx, fmt.Sprintf(`performance.now() >= %f`, m0.T+5000), 10*time.Second)
	m1 := read()
	dt := (m1.T - m0.T) / 1000
	fps := (m1.F - m0.F) / dt
	ups := (m1.U - m0.U) / dt
	speed := (m1.V - m0.V) / dt
	t.Logf("10 000 clients at 10x over %.2f s: %.1f updates/s, %.1f frames/s, virtual speed %.2fx", dt, ups, fps, speed)
	t.Logf("timings after the window: %s; load average %s", eval[string](t, ctx, `JSON.stringify(swarmsim.timings())`), loadAverage())
	saveScreenshot(t, ctx, "dashboard-10k.png")
	if out := os.Getenv("SWARMSIM_PERF_OUT"); out != "" {
		data, _ := json.MarshalIndent(map[string]any{
			"transfer_bytes": total, "by_path": byPath, "first_frame_ms": first,
			"ups": ups, "fps": fps, "virtual_speed": speed, "window_s": dt, "load_average": loadAverage(),
		}, "", "  ")
		require.NoError(t, os.WriteFile(out, data, 0o644))
	}
	strict := os.Getenv("SWARMSIM_PERF_STRICT") != "0"
	if !strict {
		// Recorded, not held to the goals: but a dashboard that barely draws or
		// barely simulates is broken, whatever the load.
		t.Logf("SWARMSIM_PERF_STRICT=0: frame and update rates are recorded, not asserted against the goals")
		// Floors a frozen or stuck dashboard misses at any load (7 frames/s
		// were seen at load average 10 on 2 cores; 45-70 on a quiet machine).
		assert.GreaterOrEqual(t, fps, 2.0, "frames per second (load average %s)", loadAverage())
		assert.GreaterOrEqual(t, ups, 2.0, "updates per second (load average %s)", loadAverage())
		assert.Greater(t, speed, 0.2, "virtual time advances at 10x")
		return
	}
	assert.GreaterOrEqual(t, ups, 0.97*goalUPS, "updates per second (60 with 3 %% measuring tolerance; load average %s)", loadAverage())
	assert.GreaterOrEqual(t, fps, float64(goalFPS), "frames per second (load average %s)", loadAverage())
	assert.InDelta(t, 10, speed, 0.5, "virtual time runs at 10x")

}
