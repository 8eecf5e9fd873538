package drill

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

func TestCheckMeasures(t *testing.T) {
	d, err := Parse("t.yaml", []byte(validDrill))
	require.NoError(t, err)
	p, err := Check(d)
	require.NoError(t, err)
	// A 50 % error burst: the share of failed requests in the window is
	// near one half; without it, zero.
	assert.InDelta(t, 0.5, p.Faulted, 0.1)
	assert.Equal(t, 0.0, p.Baseline)
	assert.Equal(t, p.Faulted-p.Baseline, p.Departure)
	assert.True(t, p.OK)
	_, err = Answerable(d)
	assert.NoError(t, err)
}

func TestCheckNotAnswerable(t *testing.T) {
	// The same burst with a margin it cannot reach, then the wrong direction.
	for _, tc := range []struct{ old, new, want string }{
		{"margin: 0.2", "margin: 0.9", "t.yaml:11:3: drill.evidence: not answerable: ErrorRate in (40s, 1m] averages"},
		{"direction: up", "direction: down", "(the drill states a fall of at least 0.2)"},
		{"metric: ErrorRate", "metric: Stopped", "departure of +0 (the drill states a rise of at least 0.2)"},
	} {
		d, err := Parse("t.yaml", []byte(strings.Replace(validDrill, tc.old, tc.new, 1)))
		require.NoError(t, err)
		p, err := Check(d)
		require.NoError(t, err)
		assert.False(t, p.OK)
		_, err = Answerable(d)
		var fe *scenario.FieldError
		require.True(t, errors.As(err, &fe))
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestCheckControl(t *testing.T) {
	src := strings.Replace(validDrill, "  - {at: 40s, duration: 20s, kind: error_burst, rate: 0.5}\n", "", 1)
	src = strings.Replace(src, "events:\n", "", 1)
	d, err := Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	p, err := Check(d)
	require.NoError(t, err)
	assert.True(t, p.Control)
	assert.True(t, p.OK, "%s", p)
	_, err = Answerable(d)
	assert.NoError(t, err)

	// A control whose metric moves by more than its margin is refused:
	// SegmentRate climbs while the 10 viewers start in the first seconds.
	d, err = Parse("t.yaml", []byte(strings.Replace(strings.Replace(src, "metric: ErrorRate", "metric: Playing", 1), "from: 40s", "from: 0s", 1)))
	require.NoError(t, err)
	p, err = Check(d)
	require.NoError(t, err)
	assert.False(t, p.OK, "%s", p)
	_, err = Answerable(d)
	assert.ErrorContains(t, err, "a control drill must not show a departure: Playing in (0s, 1m]")
}

func TestCheckNoValue(t *testing.T) {
	// An outage of the whole window: no segment completes, so its latency
	// has no value there.
	src := strings.Replace(validDrill, "kind: error_burst, rate: 0.5", "kind: outage", 1)
	src = strings.Replace(src, "metric: ErrorRate", "metric: SegLatP50", 1)
	src = strings.Replace(src, "from: 40s", "from: 45s", 1)
	d, err := Parse("t.yaml", []byte(src))
	require.NoError(t, err)
	_, err = Check(d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SegLatP50 has no value in (45s, 1m] of the run")
	_, err = Answerable(d)
	assert.ErrorContains(t, err, "drill.evidence: not answerable: SegLatP50 has no value")
}

func TestCheckRunsReturnsWhatItCompared(t *testing.T) {
	d, err := Parse("t.yaml", []byte(validDrill))
	require.NoError(t, err)
	want, err := Check(d)
	require.NoError(t, err)
	p, runs, err := CheckRuns(d, d.Scenario.Duration.D())
	require.NoError(t, err)
	assert.Equal(t, want, p, "the same measurement as Check")
	require.NotEmpty(t, runs.Faulted)
	require.Len(t, runs.Baseline, len(runs.Faulted))
	assert.Equal(t, d.Scenario.Duration.D().Seconds(), runs.Faulted[len(runs.Faulted)-1].T, "run to the scenario's end")

	// The means over the window, redone from the series returned.
	mean := func(ss []engine.Sample) float64 {
		sum, n := 0.0, 0
		for i := range ss {
			if v := MetricValue(&ss[i], "ErrorRate"); ss[i].T > 40 && ss[i].T <= 60 && !math.IsNaN(v) {
				sum, n = sum+v, n+1
			}
		}
		return sum / float64(n)
	}
	assert.InDelta(t, p.Faulted, mean(runs.Faulted), 1e-12)
	assert.InDelta(t, p.Baseline, mean(runs.Baseline), 1e-12)
	assert.True(t, math.IsNaN(MetricValue(&runs.Faulted[0], "NoSuchMetric")))

	// A control has no run without a fault.
	src := strings.Replace(validDrill, "  - {at: 40s, duration: 20s, kind: error_burst, rate: 0.5}\n", "", 1)
	d, err = Parse("t.yaml", []byte(strings.Replace(src, "events:\n", "", 1)))
	require.NoError(t, err)
	_, runs, err = CheckRuns(d, 0)
	require.NoError(t, err)
	assert.Nil(t, runs.Baseline)
	assert.Equal(t, 61.0, runs.Faulted[len(runs.Faulted)-1].T, "until is at least the window's end (1m), plus the sample after it")
}
