package app

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
	"swarmsim/sim/engine"
)

func TestParseParamsDrill(t *testing.T) {
	outage := drill.Code("outage")
	for _, tc := range []struct {
		query    string
		ref      DrillRef
		speed    Speed
		problems []string
	}{
		{query: "drill=" + outage, ref: DrillRef{Code: outage}, speed: DefaultSpeed},
		{query: "?drill=outage&speed=60", ref: DrillRef{Code: outage}, speed: 60},
		{query: "drill=random&seed=42", ref: DrillRef{Random: true, Seed: 42}, speed: DefaultSpeed},
		{query: "drill=RANDOM", ref: DrillRef{Random: true, Seed: 1}, speed: DefaultSpeed},
		{query: "drill=" + outage + "&clients=5000&seed=3&speed=fast", ref: DrillRef{Code: outage}, speed: DefaultSpeed,
			problems: []string{"clients=5000 is not used: a drill runs its own scenario", "seed=3 is not used", `speed=fast: speed "fast" is not allowed`}},
	} {
		cfg := ParseParams(tc.query)
		require.NotNil(t, cfg.Drill, tc.query)
		assert.Equal(t, tc.ref, cfg.Drill.Ref, tc.query)
		assert.Equal(t, tc.speed, cfg.Speed, tc.query)
		require.Len(t, cfg.Problems, len(tc.problems), "%s: %v", tc.query, cfg.Problems)
		for i, p := range tc.problems {
			assert.Contains(t, cfg.Problems[i], p)
		}
	}
	// A drill that does not exist falls back to the default preset, and
	// the message lists codes, not the names that give drills away.
	cfg := ParseParams("drill=outages")
	assert.Nil(t, cfg.Drill)
	require.Len(t, cfg.Problems, 1)
	assert.Contains(t, cfg.Problems[0], `drill=outages: drills/outages.yaml: no server to read drill files from (and unknown drill "outages"; built-in drills: `+outage)
	assert.NotContains(t, cfg.Problems[0], "stale-playlist")
	cfg = ParseParams("drill=../etc/passwd")
	assert.Nil(t, cfg.Drill)
	assert.Contains(t, cfg.Problems[0], "a drill file's name (drills/NAME.yaml) is 1..64 letters, digits")
	cfg = ParseParams("drill=random&seed=-1")
	assert.Nil(t, cfg.Drill)
	assert.Contains(t, cfg.Problems[0], "seed=-1: a random drill's seed is a whole number 0..18446744073709551615")
}

func TestDrillRefQueryTitleNext(t *testing.T) {
	list := drill.Builtins()
	first, last := DrillRef{Code: list[0].Code}, DrillRef{Code: list[len(list)-1].Code}
	assert.Equal(t, "drill="+first.Code, first.Query())
	assert.Equal(t, "drill "+first.Code, first.Title())
	assert.Equal(t, DrillRef{Code: list[1].Code}, first.Next())
	assert.Equal(t, first, last.Next(), "back to the first after the last")
	r := DrillRef{Random: true, Seed: 7}
	assert.Equal(t, "drill=random&seed=7", r.Query())
	assert.Equal(t, "random drill, seed 7", r.Title())
	assert.Equal(t, DrillRef{Random: true, Seed: NextSeed(7)}, r.Next())
	// A ref parses back from its query.
	for _, ref := range []DrillRef{first, last, r} {
		cfg := ParseParams(ref.Query())
		require.NotNil(t, cfg.Drill)
		assert.Equal(t, ref, cfg.Drill.Ref)
	}
}

func TestDrillSessionAnswersUntilSubmitted(t *testing.T) {
	s, err := NewDrillSession(DrillRef{Code: drill.Code("bandwidth-cohort")}, nil)
	require.NoError(t, err)
	d := s.Drill
	require.NotNil(t, d.Followup)
	assert.True(t, s.Hidden())

	assert.ErrorContains(t, s.Choose(0), "choice 0 is out of range 1..4")
	assert.ErrorContains(t, s.Choose(5), "out of range 1..4")
	assert.ErrorContains(t, s.ChooseFollowup(4), "follow-up choice 4 is out of range 1..3")
	_, err = s.Submit(time.Minute)
	assert.ErrorContains(t, err, "choose what is happening (1..4) before you submit")

	v := s.Version()
	require.NoError(t, s.Choose(2))
	require.NoError(t, s.Choose(d.Answer)) // answers change until submitted
	require.NoError(t, s.ChooseFollowup(d.Followup.Answer))
	require.NoError(t, s.MarkStart(-5*time.Second, time.Minute))
	assert.Equal(t, time.Duration(0), s.Answer().Start, "kept within the run")
	require.NoError(t, s.MarkStart(90*time.Second, time.Minute))
	assert.Equal(t, time.Minute, s.Answer().Start, "at most the end given")
	require.NoError(t, s.MarkStart(83400*time.Millisecond, 3*time.Minute))
	assert.Equal(t, 83*time.Second, s.Answer().Start, "rounded to the second")
	assert.Greater(t, s.Version(), v)

	st := s.State()
	assert.Empty(t, st.Name, "the name waits for the reveal")
	assert.Nil(t, st.Result)
	assert.Equal(t, "drill="+drill.Code("bandwidth-cohort"), st.Ref)
	assert.Equal(t, 83.0, *st.Answer.Start)

	r, err := s.Submit(150 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, 150*time.Second, s.Answer().At)
	assert.Equal(t, drill.Score(d, s.Answer()), r)
	assert.Contains(t, r.Line(), " at=2:30 ")
	// The fault starts at 80 s: 3 s late is within the 5 s that earn all.
	assert.Equal(t, 100, r.Score)
	assert.True(t, s.Revealed())
	assert.ErrorIs(t, s.Choose(1), errSubmitted)
	assert.ErrorIs(t, s.MarkStart(0, time.Minute), errSubmitted)
	assert.ErrorIs(t, s.ClearStart(), errSubmitted)
	_, err = s.Submit(time.Minute)
	assert.ErrorIs(t, err, errSubmitted)

	st = s.State()
	assert.Equal(t, "bandwidth-cohort", st.Name)
	require.NotNil(t, st.Result)
	assert.Equal(t, r.Line(), st.Result.Line)
	assert.Equal(t, 80.0, *st.Result.FaultStart)
	assert.Equal(t, 3.0, *st.Result.StartError)
	assert.Equal(t, 30, st.Result.StartPoints)
	assert.True(t, *st.Result.FollowupRight)
	assert.Equal(t, 1, st.Result.Bands)
	dep, runs, err := s.Departure()
	require.NoError(t, err)
	assert.True(t, dep.OK)
	assert.NotNil(t, runs.Baseline)
	assert.Contains(t, st.Result.Evidence, "Clients by state: below real time from 1:40 to 2:40 averaged")
}

// drillController starts a drill in a controller on a stepped wall clock.
func drillController(t *testing.T, query string) testController {
	t.Helper()
	tc := newTestController(t, query)
	require.NotNil(t, tc.Drill())
	return tc
}

func TestDrillRunHidesWhatGivesTheAnswerAway(t *testing.T) {
	tc := drillController(t, "drill="+drill.Code("outage")+"&speed=max")
	s := tc.Drill()
	d := s.Drill
	for tc.Now() < 150*time.Second {
		tc.update(1)
	}
	v := tc.TakeView()
	for i, c := range v.Charts.Charts {
		assert.Empty(t, c.Bands, "chart %d shows no event before the reveal", i)
		assert.Nil(t, c.Highlight)
	}
	assert.Empty(t, tc.Preset())
	assert.Equal(t, "?drill="+drill.Code("outage")+"&speed=max", tc.Query())
	story := DrillStoryLines(s)
	for _, ln := range story {
		assert.NotContains(t, ln.Text, d.Scenario.Description)
		assert.NotContains(t, ln.Text, "outage")
		assert.NotContains(t, ln.Text, d.Scenario.Events[0].Caption)
	}
	assert.Contains(t, story[0].Text, d.Question)

	// The snapshot says nothing of the scenario: no name, description,
	// caption or count of events (zero would tell a control drill).
	js, err := tc.SnapshotJSON()
	require.NoError(t, err)
	for _, secret := range []string{`"outage"`, d.Scenario.Description, d.Scenario.Events[0].Caption, `"events"`, `"name"`, d.Explanation} {
		assert.NotContains(t, js, secret)
	}
	_, err = tc.Download("json")
	assert.ErrorContains(t, err, "downloads open once you submit")
	assert.ErrorContains(t, tc.Inject("outage"), "live faults are off in a drill")
	assert.ErrorIs(t, tc.NewSeed(), errDrillSeed)
	require.NoError(t, tc.Restart(tc.Seed()), "the same run again is fine")
	assert.NotNil(t, tc.Drill())
	for tc.Now() < 150*time.Second {
		tc.update(1)
	}

	// The start the trainee marks shows on every chart; it is kept within
	// the run so far.
	gen := tc.Generation()
	require.NoError(t, tc.MarkStart(85*time.Second))
	assert.Greater(t, tc.Generation(), gen, "a new answer is drawn at once")
	v = tc.TakeView()
	for _, c := range v.Charts.Charts {
		assert.Equal(t, []Marker{{T: 85, Label: "your start", Color: ColYourStart}}, c.Markers)
	}
	require.NoError(t, tc.ChooseCause(d.Answer))
	require.NoError(t, tc.Submit())

	// The reveal: the bands, both starts, the evidence window on the
	// evidence metric's chart, and everything the snapshot held back.
	v = tc.TakeView()
	ec, _, ok := EvidenceChart(d.Evidence.Metric)
	require.True(t, ok)
	for i, c := range v.Charts.Charts {
		require.Len(t, c.Bands, 1)
		assert.Equal(t, d.Scenario.Events[0].Caption, c.Bands[0].Caption)
		assert.Len(t, c.Markers, 2)
		assert.Equal(t, Chart(i) == ec, c.Highlight != nil, "chart %d", i)
	}
	js, err = tc.SnapshotJSON()
	require.NoError(t, err)
	var snap struct {
		Events *int
		Drill  *DrillState
	}
	require.NoError(t, json.Unmarshal([]byte(js), &snap))
	require.NotNil(t, snap.Events)
	assert.Equal(t, 1, *snap.Events)
	assert.Equal(t, "outage", snap.Drill.Name)
	assert.Equal(t, 100, snap.Drill.Result.Score, "%s", snap.Drill.Result.Line)
	_, err = tc.Download("json")
	assert.NoError(t, err)
	assert.Contains(t, DrillStoryLines(s)[2].Text, d.Scenario.Events[0].Caption)

	// A preset leaves the drill.
	require.NoError(t, tc.SelectPreset("steady"))
	assert.Nil(t, tc.Drill())
	v = tc.TakeView()
	for _, c := range v.Charts.Charts {
		assert.Empty(t, c.Markers)
	}
	assert.NoError(t, tc.Inject("outage"))
}

func TestNextDrill(t *testing.T) {
	tc := drillController(t, "drill=random&seed=5")
	require.NoError(t, tc.NextDrill())
	assert.Equal(t, DrillRef{Random: true, Seed: NextSeed(5)}, tc.Drill().Ref)
	assert.Equal(t, "random-"+strconv.FormatUint(NextSeed(5), 10), tc.Scenario().Name)
	assert.Equal(t, NextSeed(5), tc.Seed(), "a random drill's scenario runs on its seed")
	assert.NoError(t, tc.ChooseCause(1))
	assert.Equal(t, 0, tc.Drill().Answer().Followup, "a new drill starts with no answer")
}

// The evidence charts plot what the drill's check measures: each metric that
// EvidenceChart maps is that chart line's value in every sample (the
// errors chart in percent).
func TestEvidenceChartLinesAreTheMetric(t *testing.T) {
	d, err := drill.Builtin("reconnect-storm")
	require.NoError(t, err)
	e, err := engine.New(d.Scenario)
	require.NoError(t, err)
	e.RunUntil(d.Scenario.Duration.D())
	samples := e.Series().Samples
	charts := NewSeriesCharts()
	charts.Update(samples, e.Events(), e.Now())
	mapped := 0
	for _, m := range drill.Metrics() {
		c, line, ok := EvidenceChart(m)
		if !ok {
			continue
		}
		mapped++
		scale := 1.0
		if c == ChartErrors {
			scale = 100
		}
		vals := charts.Charts[c].Lines[line].Values
		require.Len(t, vals, len(samples))
		for i := range samples {
			want := drill.MetricValue(&samples[i], m) * scale
			got := vals[i]
			if math.IsNaN(got) {
				// A gap: the metric has no value, or (drift) no client
				// has a reading.
				assert.True(t, math.IsNaN(want) || samples[i].AboveRealtime+samples[i].BelowRealtime == 0, "%s at %v", m, samples[i].T)
				continue
			}
			assert.InDelta(t, want, got, 1e-9, "%s at %v", m, samples[i].T)
		}
	}
	assert.Equal(t, 15, mapped)
	for _, info := range drill.Builtins() {
		d, err := drill.Builtin(info.Name)
		require.NoError(t, err)
		assert.NotPanics(t, func() { MetricFormat(d.Evidence.Metric)(1) })
	}
}

func TestDrillPanelFitsAndHits(t *testing.T) {
	wrap := func(text string, size, w float64) []string {
		// About 0.55 em per character.
		per := max(1, int(w/(0.55*size)))
		var out []string
		words := strings.Fields(text)
		line := ""
		for _, word := range words {
			if line != "" && len(line)+1+len(word) > per {
				out = append(out, line)
				line = word
				continue
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		return append(out, line)
	}
	for _, size := range [][2]float64{{MinWidth, MinHeight}, {1280, 800}, {2560, 1600}} {
		l := ComputeLayout(size[0], size[1], size[0]/1280*1, func(s string) float64 { return 7 * float64(len(s)) })
		if size[0] == MinWidth {
			l = ComputeLayout(size[0], size[1], 1, func(s string) float64 { return 7 * float64(len(s)) })
		}
		for _, info := range drill.Builtins() {
			s, err := NewDrillSession(DrillRef{Code: info.Code}, nil)
			require.NoError(t, err)
			inside := func(p DrillPanel, phase string) {
				for _, it := range p.Items {
					assert.True(t, it.Rect.X >= l.Overlay.X && it.Rect.Right() <= l.Overlay.Right()+0.5 &&
						it.Rect.Y >= l.Overlay.Y && it.Rect.Bottom() <= l.Overlay.Bottom()+0.5,
						"%s %s at %v: %q %+v outside the overlay %+v", info.Name, phase, size, it.Text, it.Rect, l.Overlay)
				}
			}
			p := LayoutDrillPanel(&l, s, "", wrap)
			inside(p, "answer")
			submit, ok := p.Find(DrillAction{Kind: ActSubmit})
			require.True(t, ok)
			assert.Equal(t, ItemButtonOff, submit.Kind, "no cause chosen yet")
			// Clicking the middle of choice 2 chooses it.
			c2, ok := p.Find(DrillAction{Kind: ActChoose, N: 2})
			require.True(t, ok)
			a, ok := p.At(c2.Rect.X+c2.Rect.W/2, c2.Rect.Y+c2.Rect.H/2)
			require.True(t, ok)
			assert.Equal(t, DrillAction{Kind: ActChoose, N: 2}, a)
			require.NoError(t, s.Choose(2))
			require.NoError(t, s.MarkStart(time.Minute, 3*time.Minute))
			p = LayoutDrillPanel(&l, s, "", wrap)
			inside(p, "answer")
			c2, _ = p.Find(DrillAction{Kind: ActChoose, N: 2})
			assert.Equal(t, ItemChosen, c2.Kind)
			submit, _ = p.Find(DrillAction{Kind: ActSubmit})
			assert.Equal(t, ItemButton, submit.Kind)
			_, ok = p.Find(DrillAction{Kind: ActClearStart})
			assert.True(t, ok)

			_, err = s.Submit(time.Minute)
			require.NoError(t, err)
			p = LayoutDrillPanel(&l, s, NextLabel(10, 12), wrap)
			inside(p, "reveal")
			assert.Contains(t, p.Title, info.Name)
			for _, k := range []DrillActionKind{ActCopy, ActNext, ActClose} {
				_, ok := p.Find(DrillAction{Kind: k})
				assert.True(t, ok)
			}
		}
	}
}

// mapFetch serves drill files from a map, as the page's server would.
func mapFetch(files map[string]string) FetchFunc {
	return func(path string) ([]byte, error) {
		data, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("%s is not on this server (404)", path)
		}
		return []byte(data), nil
	}
}

func TestDrillFileFromTheServer(t *testing.T) {
	src, err := drill.BuiltinYAML("outage")
	require.NoError(t, err)
	fetch := mapFetch(map[string]string{
		"drills/week1.yaml": string(src),
		"drills/week2.yaml": "name: bad\nclients: {count: 0}\ndrill: {question: q}\n",
	})
	cfg := ParseParamsWith("drill=week1&speed=60", fetch)
	require.Empty(t, cfg.Problems)
	require.NotNil(t, cfg.Drill)
	assert.Equal(t, DrillRef{File: "week1"}, cfg.Drill.Ref)
	assert.Equal(t, "outage", cfg.Drill.Drill.Name())
	c, err := NewController(cfg, NewEngineSim(1), (&steppedWall{}).Now)
	require.NoError(t, err)
	assert.Equal(t, "?drill=week1&speed=60x", c.Query())
	assert.Equal(t, "drill week1", c.Drill().Title(), "named by its file until the reveal")
	assert.Equal(t, DrillRef{Code: drill.Builtins()[0].Code}, c.Drill().Ref.Next())
	assert.ErrorContains(t, c.StartDrill(DrillRef{File: "week1"}), "the drill file drills/week1.yaml opens from a link: ?drill=week1")

	// A broken file: every problem with its file, line and field, and
	// the default preset instead.
	cfg = ParseParamsWith("drill=week2", fetch)
	assert.Nil(t, cfg.Drill)
	require.Len(t, cfg.Problems, 1)
	assert.Contains(t, cfg.Problems[0], "drill=week2: drills/week2.yaml:2:18: clients.count: 0 is out of range 1..1000000")
	assert.Contains(t, cfg.Problems[0], "drill.choices: missing")
	// A missing one names the file and the built-in codes.
	cfg = ParseParamsWith("drill=week3", fetch)
	assert.Nil(t, cfg.Drill)
	assert.Contains(t, cfg.Problems[0], "drill=week3: drills/week3.yaml is not on this server (404) (and unknown drill \"week3\"; built-in drills: ")
}

func TestDrillSetLink(t *testing.T) {
	src, err := drill.BuiltinYAML("churn")
	require.NoError(t, err)
	fetch := mapFetch(map[string]string{"drills/week1.yaml": string(src)})
	outage, storm := drill.Code("outage"), drill.Code("error-storm")
	cfg := ParseParamsWith("set=outage,week1,random:7,"+storm+"&speed=60", fetch)
	require.Empty(t, cfg.Problems)
	require.NotNil(t, cfg.Set)
	require.Len(t, cfg.Set.Refs, 4)
	assert.Equal(t, DrillRef{Code: outage}, cfg.Drill.Ref, "the set's first drill opens")
	c, err := NewController(cfg, NewEngineSim(1), (&steppedWall{}).Now)
	require.NoError(t, err)
	set := "&set=" + outage + ",week1,random:7," + storm
	assert.Equal(t, "?drill="+outage+set+"&speed=60x", c.Query())

	// Next drill follows the set, drill files included (loaded with the
	// page), and stops after its last.
	want := []DrillRef{{File: "week1"}, {Random: true, Seed: 7}, {Code: storm}}
	for i, ref := range want {
		place, of := c.NextInSet()
		assert.Equal(t, []int{i + 1, 4}, []int{place, of})
		require.NoError(t, c.ChooseCause(1))
		require.NoError(t, c.NextDrill())
		assert.Equal(t, ref, c.Drill().Ref)
		assert.Zero(t, c.Drill().Answer().Choice, "a new drill starts unanswered")
		assert.Equal(t, "?"+ref.Query()+set+"&speed=60x", c.Query())
		if ref.File != "" {
			assert.Equal(t, "churn", c.Drill().Drill.Name(), "week1.yaml, read with the page")
		}
	}
	assert.ErrorContains(t, c.NextDrill(), "this was the last of the set's 4 drills")
	// The panel's next button is off after the set's last drill.
	require.NoError(t, c.ChooseCause(1))
	require.NoError(t, c.Submit())
	l := ComputeLayout(1280, 800, 1, func(s string) float64 { return 7 * float64(len(s)) })
	p := LayoutDrillPanel(&l, c.Drill(), NextLabel(c.NextInSet()), func(s string, _, _ float64) []string { return []string{s} })
	next, ok := p.Find(DrillAction{Kind: ActNext})
	require.True(t, ok)
	assert.Equal(t, ItemButtonOff, next.Kind)
	_, hit := p.At(next.Rect.X+2, next.Rect.Y+2)
	assert.False(t, hit, "a click on it does nothing")
	assert.Equal(t, "Set done (4/4)", NextLabel(c.NextInSet()))
	assert.Equal(t, "Next: 2 of 4", NextLabel(1, 4))

	// drill= picks a drill of the set; a reload of any link of the set
	// opens the same drill in the same set.
	cfg = ParseParamsWith("drill=week1"+set, fetch)
	require.Empty(t, cfg.Problems)
	assert.Equal(t, DrillRef{File: "week1"}, cfg.Drill.Ref)
	c, err = NewController(cfg, NewEngineSim(1), (&steppedWall{}).Now)
	require.NoError(t, err)
	place, _ := c.NextInSet()
	assert.Equal(t, 2, place)

	// A preset leaves the set.
	require.NoError(t, c.SelectPreset("steady"))
	assert.Nil(t, c.Set())

	// Bad sets: the entry, its place and why; the drill still opens.
	for _, tc := range []struct{ query, want string }{
		{"set=outage,nope/x", `set=outage,nope/x: drill 2 of 2 ("nope/x"): unknown drill "nope/x"`},
		{"set=random", `drill 1 of 1 ("random"): a random drill in a set is random:SEED`},
		{"set=random:x", `drill 1 of 1 ("random:x"): seed=x: a random drill's seed is a whole number`},
		{"set=" + strings.Repeat("outage,", 30) + "outage", "31 drills; a set lists 1..30"},
		{"drill=outage&set=missing", `drill 1 of 1 ("missing"): drills/missing.yaml is not on this server (404)`},
		{"set=outage,,storm", `drill 2 of 3 is empty`},
		{"set=random:7,outage,random:7", `drill 3 of 3 ("random:7") is drill 1 again; a set lists each drill once`},
		{"set=" + outage + ",outage", `drill 2 of 2 ("outage") is drill 1 again`},
	} {
		cfg := ParseParamsWith(tc.query, fetch)
		require.NotEmpty(t, cfg.Problems, tc.query)
		assert.Contains(t, cfg.Problems[0], tc.want, tc.query)
		assert.Nil(t, cfg.Set, tc.query)
	}
}

// A client's link speed names a bandwidth fault: hidden until the reveal.
func TestDrillHidesTheLinkSpeed(t *testing.T) {
	tc := drillController(t, "drill=bandwidth-cohort&speed=max")
	for tc.Now() < 100*time.Second {
		tc.update(1)
	}
	v, ok := tc.Client(0)
	require.True(t, ok)
	assert.Zero(t, v.BandwidthMbps)
	for _, st := range InspectorStats(v) {
		assert.NotContains(t, st.Value, "Mbps", st.Label)
	}
	require.NoError(t, tc.ChooseCause(1))
	require.NoError(t, tc.Submit())
	v, _ = tc.Client(0)
	assert.Positive(t, v.BandwidthMbps, "shown after the reveal")
}

// A drill too large to run twice in the page is revealed without the
// evidence runs, at once.
func TestLargeDrillRevealsWithoutRunning(t *testing.T) {
	src, err := drill.BuiltinYAML("outage")
	require.NoError(t, err)
	big := strings.Replace(string(src), "count: 60", "count: 20000", 1)
	require.NotEqual(t, string(src), big)
	cfg := ParseParamsWith("drill=big", mapFetch(map[string]string{"drills/big.yaml": big}))
	require.Empty(t, cfg.Problems)
	s := cfg.Drill
	assert.Greater(t, RevealCost(s.Drill), float64(MaxRevealCost))
	require.NoError(t, s.Choose(1))
	_, err = s.Submit(time.Minute)
	require.NoError(t, err)
	_, runs, err := s.Departure()
	assert.ErrorIs(t, err, errRevealTooLarge)
	assert.Nil(t, runs.Faulted, "nothing was run")
	assert.Contains(t, EvidenceText(s), "too large to run again in the page")
	l := ComputeLayout(1280, 800, 1, func(s string) float64 { return 7 * float64(len(s)) })
	for _, it := range LayoutDrillPanel(&l, s, "", func(s string, _, _ float64) []string { return []string{s} }).Items {
		assert.NotEqual(t, ItemChart, it.Kind, "no evidence chart")
	}
	built, err := drill.Builtin("outage")
	require.NoError(t, err)
	assert.Less(t, RevealCost(built), float64(MaxRevealCost)/100, "a built-in drill is far below")
}
