//go:build !js

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

// drillState is the part of window.swarmsim.drill() the test reads.
type drillState struct {
	Ref      string   `json:"ref"`
	Title    string   `json:"title"`
	Revealed bool     `json:"revealed"`
	Question string   `json:"question"`
	Choices  []string `json:"choices"`
	Answer   struct {
		Cause    int      `json:"cause"`
		Start    *float64 `json:"start"`
		Followup int      `json:"followup"`
	} `json:"answer"`
	Name   string `json:"name"`
	Result *struct {
		Score      int      `json:"score"`
		Line       string   `json:"line"`
		CauseRight bool     `json:"cause_right"`
		Answer     int      `json:"answer"`
		FaultStart *float64 `json:"fault_start"`
		StartError *float64 `json:"start_error"`
		Bands      int      `json:"bands"`
	} `json:"result"`
}

func drillNow(t *testing.T, ctx context.Context) drillState {
	t.Helper()
	var s drillState
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(swarmsim.drill())`)), &s))
	return s
}

// drillPanel reads swarmsim.drillPanel(): the items of the open drill panel
// that do something when clicked.
func drillPanel(t *testing.T, ctx context.Context) []cssItem {
	t.Helper()
	var items []cssItem
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(swarmsim.drillPanel())`)), &items))
	return items
}

// cssItem is a drill panel item with its rectangle.
type cssItem struct {
	Action  string  `json:"action"`
	N       int     `json:"n"`
	Text    string  `json:"text"`
	Chosen  bool    `json:"chosen"`
	Enabled bool    `json:"enabled"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	W       float64 `json:"w"`
	H       float64 `json:"h"`
}

func findItem(t *testing.T, items []cssItem, action string, n int) cssItem {
	t.Helper()
	for _, it := range items {
		if it.Action == action && it.N == n {
			return it
		}
	}
	t.Fatalf("the drill panel has no %s %d: %+v", action, n, items)
	return cssItem{}
}

// clickAt clicks with the mouse, then waits for frames so the game has read it.
func clickAt(t *testing.T, ctx context.Context, x, y float64) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.MouseClickXY(x, y)))
	settle(t, ctx)
}

// settle waits until the dashboard drew a few more frames.
func settle(t *testing.T, ctx context.Context) {
	t.Helper()
	f := eval[float64](t, ctx, `swarmsim.frames()`)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.frames() > %f + 3`, f), 10*time.Second)
}

// redPixels counts the pixels of a rectangle that are clearly red, as an
// outage band shades them.
func redPixels(img image.Image, r cssRect) int {
	n := 0
	for y := int(r.Y + r.H/2); y < int(r.Y+r.H-24); y++ {
		for x := int(r.X + 50); x < int(r.X+r.W-10); x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 0x40 && cr>>8 > cg>>8+0x10 && cr>>8 > cb>>8 {
				n++
			}
		}
	}
	return n
}

// A trainee plays the outage drill from a link: nothing that gives the
// answer away is drawn or told before the answer (the screen, what the
// panels drew, the snapshot, the address bar); a wrong answer scores as
// wrong; the reveal shows the bands; the same link on a second play takes
// the right answer and a start marked with a click on a chart.
func TestDrillPlayedFromALink(t *testing.T) {
	file, err := drill.Builtin("outage")
	require.NoError(t, err)
	d := file.Shuffled() // the order the page shows
	code := drill.Code("outage")
	ctx := tab(t, site0(t).URL("?drill="+code+"&speed=max"))
	waitJS(t, ctx, `swarmsim.time() >= 150`, 90*time.Second) // past the outage (80-120 s)
	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	settle(t, ctx)

	// Nothing revealing before the answer.
	st := drillNow(t, ctx)
	assert.Equal(t, "drill="+code, st.Ref)
	assert.False(t, st.Revealed)
	assert.Empty(t, st.Name)
	assert.Nil(t, st.Result)
	assert.Equal(t, d.Question, st.Question)
	assert.Equal(t, d.Choices, st.Choices, "the choices in the drill's shuffled order")
	raw := eval[string](t, ctx, `JSON.stringify(swarmsim.snapshot())`)
	for _, secret := range []string{"outage", d.Scenario.Description, d.Scenario.Events[0].Caption, `"events"`} {
		assert.NotContains(t, raw, secret, "the snapshot gives the drill away")
	}
	assert.Equal(t, "?drill="+code+"&speed=max", eval[string](t, ctx, `location.search`))
	var drawn map[string]struct {
		Values map[string]float64 `json:"values"`
	}
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `swarmsim.drawn()`)), &drawn))
	for i := range 6 {
		c := drawn[fmt.Sprintf("chart%d", i)]
		require.NotNil(t, c.Values, "chart %d was drawn", i)
		assert.Zero(t, c.Values["bands"], "chart %d draws no event band", i)
		assert.Greater(t, c.Values["samples"], 100.0, "chart %d draws the run", i)
	}
	assert.Equal(t, 1.0, drawn["story"].Values["drill"], "the story strip shows the question, not the story")
	img := saveScreenshot(t, ctx, "drill-before.png")
	_, _, _, _, _, _, charts := panels(t, ctx)
	assert.Less(t, redPixels(img, charts[0]), 50, "no outage band is shaded before the answer")
	assert.Equal(t, "", eval[string](t, ctx, `swarmsim.downloadJSON().error ? "" : "downloaded"`), "downloads wait for the reveal")

	// A wrong answer, given with the keyboard: a opens the panel, a digit
	// picks, Enter submits.
	wrong := 1
	if d.Answer == 1 {
		wrong = 2
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("a")))
	waitJS(t, ctx, `swarmsim.mode() === "answer"`, 10*time.Second)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(fmt.Sprint(wrong))))
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.drill().answer.cause === %d`, wrong), 10*time.Second)
	settle(t, ctx)
	assert.True(t, findItem(t, drillPanel(t, ctx), "choose", wrong).Chosen, "the panel shows the choice")
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\r")))
	waitJS(t, ctx, `swarmsim.drill().revealed`, 10*time.Second)
	st = drillNow(t, ctx)
	require.NotNil(t, st.Result)
	assert.False(t, st.Result.CauseRight)
	assert.Equal(t, 0, st.Result.Score, "wrong cause, no start marked")
	assert.Equal(t, "outage", st.Name)
	assert.True(t, strings.HasPrefix(st.Result.Line, fmt.Sprintf("drill=outage seed=%d cause=wrong start=none followup=- at=", d.Scenario.Seed)), st.Result.Line)
	assert.True(t, strings.HasSuffix(st.Result.Line, " score=0/100"), st.Result.Line)

	// The reveal, closed: the bands are drawn.
	close := findItem(t, drillPanel(t, ctx), "close", 0)
	clickAt(t, ctx, close.X+close.W/2, close.Y+close.H/2)
	waitJS(t, ctx, `swarmsim.mode() === "dashboard"`, 10*time.Second)
	settle(t, ctx)
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `swarmsim.drawn()`)), &drawn))
	for i := range 6 {
		assert.Equal(t, 1.0, drawn[fmt.Sprintf("chart%d", i)].Values["bands"], "chart %d draws the outage", i)
	}
	img = saveScreenshot(t, ctx, "drill-bands.png.tmp")
	assert.Greater(t, redPixels(img, charts[0]), 100, "the reveal shades the outage")
	assert.Contains(t, eval[string](t, ctx, `swarmsim.snapshot().query`), "drill="+code)

	// The same drill again, from the same link: the right cause, clicked;
	// the start, clicked on the requests chart's time axis at 1:22.
	ctx = tab(t, site0(t).URL("?drill="+code+"&speed=max"))
	waitJS(t, ctx, `swarmsim.time() >= 150`, 90*time.Second)
	require.Empty(t, eval[string](t, ctx, `swarmsim.pause()`))
	settle(t, ctx)
	assert.False(t, drillNow(t, ctx).Revealed, "a new play starts hidden")
	var pt struct{ X, Y float64 }
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(swarmsim.chartPoint(2, 82))`)), &pt))
	clickAt(t, ctx, pt.X, pt.Y)
	st = drillNow(t, ctx)
	require.NotNil(t, st.Answer.Start, "a click on a chart marks the start")
	assert.InDelta(t, 82, *st.Answer.Start, 1)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("a")))
	waitJS(t, ctx, `swarmsim.mode() === "answer"`, 10*time.Second)
	settle(t, ctx)
	items := drillPanel(t, ctx)
	assert.False(t, findItem(t, items, "submit", 0).Enabled, "submit waits for a cause")
	right := findItem(t, items, "choose", d.Answer)
	clickAt(t, ctx, right.X+right.W/2, right.Y+right.H/2)
	waitJS(t, ctx, fmt.Sprintf(`swarmsim.drill().answer.cause === %d`, d.Answer), 10*time.Second)
	settle(t, ctx)
	submit := findItem(t, drillPanel(t, ctx), "submit", 0)
	assert.True(t, submit.Enabled)
	saveScreenshot(t, ctx, "drill-answer.png.tmp")
	clickAt(t, ctx, submit.X+submit.W/2, submit.Y+submit.H/2)
	waitJS(t, ctx, `swarmsim.drill().revealed`, 10*time.Second)
	settle(t, ctx)
	st = drillNow(t, ctx)
	require.NotNil(t, st.Result)
	assert.True(t, st.Result.CauseRight)
	assert.Equal(t, 80.0, *st.Result.FaultStart)
	assert.InDelta(t, 2, *st.Result.StartError, 1)
	assert.Equal(t, 100, st.Result.Score, "right cause, start within 5 s: %s", st.Result.Line)
	assert.Equal(t, 1, st.Result.Bands)
	saveScreenshot(t, ctx, "drill-reveal.png")

	// The result line is copied for the trainer.
	cp := findItem(t, drillPanel(t, ctx), "copy", 0)
	clickAt(t, ctx, cp.X+cp.W/2, cp.Y+cp.H/2)
	assert.Equal(t, st.Result.Line, eval[string](t, ctx, `swarmsim.copied()`))

	// Next drill: the next built-in one, hidden again, in the address bar.
	next := findItem(t, drillPanel(t, ctx), "next", 0)
	clickAt(t, ctx, next.X+next.W/2, next.Y+next.H/2)
	waitJS(t, ctx, `!swarmsim.drill().revealed && swarmsim.mode() === "dashboard"`, 10*time.Second)
	nextCode := drill.Builtins()[1].Code
	assert.Equal(t, "drill="+nextCode, drillNow(t, ctx).Ref)
	assert.True(t, strings.HasPrefix(eval[string](t, ctx, `location.search`), "?drill="+nextCode))
}

// A class given one random seed plays one drill: the same question, choices
// and run in every tab.
func TestRandomDrillIsTheSameForEveryone(t *testing.T) {
	want, err := drill.Random(77)
	require.NoError(t, err)
	var ends []string
	for range 2 {
		ctx := tab(t, site0(t).URL("?drill=random&seed=77&speed=max"))
		st := drillNow(t, ctx)
		assert.Equal(t, want.Question, st.Question)
		assert.Equal(t, want.Shuffled().Choices, st.Choices)
		assert.Equal(t, "random drill, seed 77", st.Title)
		assert.Equal(t, "?drill=random&seed=77&speed=max", eval[string](t, ctx, `location.search`))
		waitJS(t, ctx, `swarmsim.state() === "finished"`, 120*time.Second)
		s := snap(t, ctx)
		assert.Equal(t, want.Scenario.Seed, s.Seed)
		ends = append(ends, eval[string](t, ctx, `JSON.stringify(swarmsim.snapshot().stats)`))
	}
	assert.Equal(t, ends[0], ends[1], "the same run to its end")
}

// A trainer's own drill file, served beside the app, opens from a link; a
// broken one is refused with its file, line and field.
func TestDrillFileFromTheServer(t *testing.T) {
	s := site0(t)
	dir := filepath.Join(s.dir, "drills")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	src, err := drill.BuiltinYAML("error-storm")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "class-a.yaml"), src, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "class-b.yaml"), []byte("name: b\nclients: {count: 0}\n"), 0o644))

	ctx := tab(t, s.URL("?drill=class-a&speed=max"))
	st := drillNow(t, ctx)
	d, err := drill.Builtin("error-storm")
	require.NoError(t, err)
	assert.Equal(t, "drill class-a", st.Title)
	assert.Equal(t, d.Shuffled().Choices, st.Choices)
	assert.Empty(t, eval[[]string](t, ctx, `swarmsim.errors()`))
	assert.Equal(t, "?drill=class-a&speed=max", eval[string](t, ctx, `location.search`))

	ctx = tab(t, s.URL("?drill=class-b"))
	assert.Equal(t, "null", eval[string](t, ctx, `JSON.stringify(swarmsim.drill())`), "the default preset instead")
	errs := strings.Join(eval[[]string](t, ctx, `swarmsim.errors()`), "\n")
	assert.Contains(t, errs, "drills/class-b.yaml:2:18: clients.count: 0 is out of range 1..1000000")
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("banner-text").textContent`), "class-b.yaml:2:18")

	// A file over the limit is refused before it is read into the app.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "class-c.yaml"), bytes.Repeat([]byte("# padding\n"), 120_000), 0o644))
	ctx = tab(t, s.URL("?drill=class-c"))
	assert.Contains(t, strings.Join(eval[[]string](t, ctx, `swarmsim.errors()`), "\n"), "drills/class-c.yaml: larger than 1048576 bytes")
}

// The drill functions of window.swarmsim take odd arguments with a message,
// never a crash or a silent misreading.
func TestDrillAPIArguments(t *testing.T) {
	ctx := tab(t, site0(t).URL("?drill=random&seed=3&speed=1"))
	for js, want := range map[string]string{
		`swarmsim.drillChoose("x")`:           "the choice must be a whole number",
		`swarmsim.drillChoose(2.5)`:           "the choice must be a whole number",
		`swarmsim.drillChoose(9)`:             "choice 9 is out of range 1..4",
		`swarmsim.drillMarkStart(NaN)`:        "the start (seconds) must be a finite number",
		`swarmsim.drillMarkStart("1:20")`:     "the start (seconds) must be a finite number",
		`String(swarmsim.chartPoint(0, "x"))`: "null",
		`String(swarmsim.chartPoint())`:       "null",
		`swarmsim.startDrill("nope/x")`:       `unknown drill "nope/x"`,
	} {
		assert.Contains(t, eval[string](t, ctx, js), want, js)
	}
	assert.Nil(t, drillNow(t, ctx).Answer.Start, "nothing was marked")
	assert.Zero(t, drillNow(t, ctx).Answer.Cause, "nothing was chosen")
	// A seed of 0 is a seed, not a missing argument.
	require.Empty(t, eval[string](t, ctx, `swarmsim.startDrill("random", 0)`))
	assert.Equal(t, "drill=random&seed=0", drillNow(t, ctx).Ref)
	require.Empty(t, eval[string](t, ctx, `swarmsim.drillMarkStart(1e300)`), "kept within the run")
	st := drillNow(t, ctx)
	require.NotNil(t, st.Answer.Start)
	assert.LessOrEqual(t, *st.Answer.Start, eval[float64](t, ctx, `swarmsim.time()`)+1)
}
