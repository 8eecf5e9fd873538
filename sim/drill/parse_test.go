package drill

import (
	_ "embed"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// validDrill is a complete drill file (also read by cmd/sim-native's tests); the error
// cases change one line of it.
//
//go:embed testdata/t.yaml
var validDrill string

func TestParseValid(t *testing.T) {
	d, err := Parse("t.yaml", []byte(validDrill))
	require.NoError(t, err)
	assert.Equal(t, "t", d.Name())
	assert.Equal(t, "What is happening?", d.Question)
	assert.Equal(t, []string{"An error burst", "An outage", "Nothing"}, d.Choices)
	assert.Equal(t, 1, d.Answer)
	assert.Equal(t, 2, d.Difficulty)
	assert.Equal(t, Evidence{Metric: "ErrorRate", From: 40 * time.Second, To: time.Minute, Margin: 0.2, Direction: DirectionUp}, d.Evidence)
	require.NotNil(t, d.Followup)
	assert.Equal(t, Followup{Question: "Which status?", Choices: []string{"503", "404"}, Answer: 1}, *d.Followup)
	start, ok := d.Start()
	assert.True(t, ok)
	assert.Equal(t, 40*time.Second, start)
	assert.False(t, d.Control())
	assert.Equal(t, 10, d.Scenario.Clients.Count)
}

func TestParseDefaultsAndStart(t *testing.T) {
	src := strings.Replace(validDrill, "  difficulty: 2\n", "  difficulty: 2\n  start: 45s\n", 1)
	src = strings.Replace(src, ", direction: up}", "}", 1)
	d, err := Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, DirectionEither, d.Evidence.Direction)
	start, ok := d.Start()
	assert.True(t, ok)
	assert.Equal(t, 45*time.Second, start, "drill.start wins over the first event")
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // each a full message line
	}{
		{"unknown key", "  answer: 1\n", "  answer: 1\n  anwser: 2\n",
			[]string{"t.yaml:10:3: drill.anwser: unknown key; drill takes question, choices, answer, explanation, evidence, start, followup, difficulty"}},
		{"answer out of range", "  answer: 1\n", "  answer: 4\n",
			[]string{"t.yaml:9:11: drill.answer: 4 is out of range 1..3"}},
		{"answer not whole", "  answer: 1\n", "  answer: 1.5\n",
			[]string{"t.yaml:9:11: drill.answer: 1.5 is not a whole number; allowed 1..3"}},
		{"answer quoted", "  answer: 1\n", "  answer: \"1\"\n",
			[]string{`t.yaml:9:11: drill.answer: expects a number in 1..3, got the string "1"`}},
		{"too few choices", "[An error burst, An outage, Nothing]", "[An error burst, An outage]",
			[]string{"t.yaml:8:12: drill.choices: has 2 choices; allowed 3..5"}},
		{"repeated choice", "[An error burst, An outage, Nothing]", "[An error burst, An outage, an outage]",
			[]string{"t.yaml:8:40: drill.choices[2]: repeats drill.choices[1]; choices differ"}},
		{"empty question", "  question: What is happening?\n", "  question: \"  \"\n",
			[]string{"t.yaml:7:13: drill.question: is empty; allowed 1..300 characters"}},
		{"bad metric", "metric: ErrorRate", "metric: Errors",
			[]string{"t.yaml:11:22: drill.evidence.metric: Errors is not a metric; allowed " + strings.Join(Metrics(), ", ")}},
		{"window backwards", "from: 40s, to: 60s", "from: 60s, to: 40s",
			[]string{"t.yaml:11:48: drill.evidence.to: 40s is not after from (1m); the window is (from, to]"}},
		{"window past the end", "from: 40s, to: 60s", "from: 40s, to: 3m",
			[]string{"t.yaml:11:13: drill.evidence.to: 3m is after the end of the run; allowed up to the duration, 2m"}},
		{"margin zero", "margin: 0.2", "margin: 0",
			[]string{"t.yaml:11:61: drill.evidence.margin: 0 is out of range (0, 1e+12]"}},
		{"margin hex", "margin: 0.2", "margin: 0x10",
			[]string{"t.yaml:11:61: drill.evidence.margin: 0x10 is not a decimal number; allowed (0, 1e+12]"}},
		{"direction", "direction: up", "direction: sideways",
			[]string{"t.yaml:11:77: drill.evidence.direction: sideways is not a direction; allowed up, down, either"}},
		{"missing evidence key", ", margin: 0.2", "",
			[]string{"t.yaml:11:13: drill.evidence.margin: missing; drill.evidence needs metric, from, to, margin"}},
		{"difficulty", "  difficulty: 2\n", "  difficulty: 6\n",
			[]string{"t.yaml:13:15: drill.difficulty: 6 is out of range 1..5"}},
		{"missing difficulty", "  difficulty: 2\n", "",
			[]string{"t.yaml:7:3: drill.difficulty: missing; drill needs question, choices, answer, explanation, evidence, difficulty"}},
		{"followup answer", `choices: ["503", "404"], answer: 1}`, `choices: ["503", "404"], answer: 3}`,
			[]string{"t.yaml:12:72: drill.followup.answer: 3 is out of range 1..2"}},
		{"start past the end", "  difficulty: 2\n", "  difficulty: 2\n  start: 2m\n",
			[]string{"t.yaml:14:10: drill.start: 2m is at or after the end of the run; allowed (0s, 2m)"}},
		{"duplicate key", "  difficulty: 2\n", "  difficulty: 2\n  question: again\n",
			[]string{"t.yaml:14:3: drill.question: duplicate key (first given on line 7)"}},
		{"alias", "  explanation: The error rate rises to one half.\n", "  explanation: *x\n",
			[]string{"t.yaml:10:16: drill.explanation: anchors and aliases are not supported in the drill section; write the value out"}},
		{"drill too long", "duration: 2m", "duration: 2h",
			[]string{"t.yaml:6:1: duration: 2h is too long for a drill; a drill runs at most 1h"}},
		{"drill too big", "count: 10,", "count: 100001,",
			[]string{"t.yaml:6:1: clients.count: 100001 clients in all (with those events add) are too many for a drill; a drill has at most 100000"}},
		{"drill not a mapping", "drill:\n", "drill: [1]\n",
			nil}, // many lines: checked below
		{"scenario and drill problems together", "clients: {count: 10, ramp_rate: 10}", "clients: {count: 0, ramp_rate: 10}",
			[]string{"t.yaml:3:18: clients.count: 0 is out of range 1..1000000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validDrill, tc.old, tc.new, 1)
			require.NotEqual(t, validDrill, src)
			d, err := Parse("t.yaml", []byte(src))
			require.Nil(t, d)
			var list scenario.Errors
			require.True(t, errors.As(err, &list), "%T %v", err, err)
			if tc.want != nil {
				got := strings.Split(err.Error(), "\n")
				assert.Equal(t, tc.want, got)
			}
			for _, fe := range list {
				assert.Equal(t, "t.yaml", fe.File)
				assert.NotZero(t, fe.Line, fe.Error())
			}
		})
	}
}

func TestParseBothParts(t *testing.T) {
	src := strings.Replace(validDrill, "clients: {count: 10, ramp_rate: 10}", "clients: {count: 0, ramp_rate: 10}", 1)
	src = strings.Replace(src, "  answer: 1\n", "  answer: 9\n", 1)
	_, err := Parse("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Equal(t, "t.yaml:3:18: clients.count: 0 is out of range 1..1000000\n"+
		"t.yaml:9:11: drill.answer: 9 is out of range 1..3", err.Error(), "both parts, in file order")
}

func TestParseNoDrill(t *testing.T) {
	_, err := Parse("t.yaml", []byte("duration: 1m\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.yaml: no drill section")
	_, err = Parse("t.yaml", []byte("drill: [\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid YAML")
	_, err = Parse("t.yaml", []byte(""))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "file is empty")
}

func TestParseControlStart(t *testing.T) {
	src := strings.Replace(validDrill, "  - {at: 40s, duration: 20s, kind: error_burst, rate: 0.5}\n", "", 1)
	src = strings.Replace(src, "events:\n", "", 1)
	d, err := Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	assert.True(t, d.Control())
	_, ok := d.Start()
	assert.False(t, ok)

	_, err = Parse("t.yaml", []byte(strings.Replace(src, "  difficulty: 2\n", "  difficulty: 2\n  start: 30s\n", 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.yaml:12:10: drill.start: a control drill (no events) has no fault and no start")
}

func TestMetrics(t *testing.T) {
	m := Metrics()
	assert.Contains(t, m, "ErrorRate")
	assert.Contains(t, m, "Stalled")
	assert.Contains(t, m, "Reconnections")
	assert.NotContains(t, m, "T")
	assert.True(t, IsMetric("SegLatP95"))
	assert.False(t, IsMetric("errorrate"))
}

func TestHasSection(t *testing.T) {
	assert.True(t, HasSection("t.yaml", []byte(validDrill)))
	assert.True(t, HasSection("t.yaml", []byte("clients: {count: 0}\ndrill: 1\n")), "with scenario problems too")
	assert.False(t, HasSection("t.yaml", []byte("clients: {count: 5}\n")))
	assert.False(t, HasSection("t.yaml", []byte("clients: {drill: 5}\n")), "only at the top level")
	assert.False(t, HasSection("t.yaml", []byte("drill: [\n")))
	assert.False(t, HasSection("t.yaml", nil))
}

func TestParseJSON(t *testing.T) {
	src := `{"name": "j", "duration": "2m", "clients": {"count": 10},
 "events": [{"at": "40s", "duration": "20s", "kind": "error_burst", "rate": 0.5}],
 "drill": {"question": "What?", "choices": ["a", "b", "c"], "answer": 2, "explanation": "x",
  "evidence": {"metric": "ErrorRate", "from": 40, "to": "60s", "margin": 0.2}, "difficulty": 1}}`
	d, err := Parse("j.json", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, 2, d.Answer)
	assert.Equal(t, 40*time.Second, d.Evidence.From, "a bare number is seconds")

	_, err = Parse("j.json", []byte(strings.Replace(src, `"answer": 2`, `"answer": "2"`, 1)))
	require.Error(t, err)
	assert.Equal(t, `j.json:3:71: drill.answer: expects a number in 1..3, got the string "2"`, err.Error())
}
