package drill

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/stats"
)

func TestRandomSameSeedSameDrill(t *testing.T) {
	a, err := Random(42)
	require.NoError(t, err)
	b, err := Random(42)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	c, err := Random(43)
	require.NoError(t, err)
	assert.NotEqual(t, a.Scenario, c.Scenario)
	assert.Equal(t, "random-42", a.Name())
	assert.Equal(t, uint64(42), a.Scenario.Seed)
}

// randomSeeds is how many seeds TestRandomAnswerable checks: enough to draw
// every kind several times.
func randomSeeds() int {
	switch {
	case raceEnabled:
		return 24
	case testing.Short():
		return 48
	}
	return 200 // about 3 s; 1000 seeds were checked once
}

// TestRandomAnswerable checks many random drills: each is well formed, its
// evidence departs by its margin (the control's stays within it), and
// every kind is drawn.
func TestRandomAnswerable(t *testing.T) {
	kinds := map[string]int{}
	for seed := range uint64(randomSeeds()) {
		d, err := Random(seed)
		require.NoError(t, err)
		require.NoError(t, d.Scenario.Validate())
		require.Len(t, d.Choices, 4)
		require.GreaterOrEqual(t, d.Answer, 1)
		require.LessOrEqual(t, d.Answer, 4)
		kind := "control"
		if !d.Control() {
			kind = string(d.Scenario.Events[0].Kind)
		}
		kinds[kind]++
		if start, ok := d.Start(); ok {
			assert.Contains(t, d.Explanation, " "+stats.FormatClock(start)+" ", "seed %d: the start as the dashboard's clock shows it", seed)
		}
		assert.Empty(t, clockTime.FindAllString(d.Explanation, -1), "seed %d: %s", seed, d.Explanation)
		assert.NotRegexp(t, `\dm\d`, d.Explanation, "seed %d: no Go durations", seed)
		assert.Equal(t, RandomDifficulty, d.Difficulty, "seed %d (%s): the difficulty does not name the kind", seed, kind)
		assert.Equal(t, causes[kind], d.Choices[d.Answer-1], "seed %d: the answer is the drawn kind's cause", seed)
		p, err := Check(d)
		require.NoError(t, err, "seed %d", seed)
		assert.True(t, p.OK, "seed %d (%s): %s", seed, kind, p)
		if !d.Control() {
			assert.GreaterOrEqual(t, abs(p.Departure), 1.5*p.Margin, "seed %d (%s): %s", seed, kind, p)
		}
	}
	for _, k := range RandomKinds {
		assert.Positive(t, kinds[k], "kind %s drawn in %d seeds", k, randomSeeds())
	}
}

// TestRandomSameLength checks that every random drill runs RandomDuration,
// whatever is drawn, and that the latest drawable fault (a 90 s churn from
// 1:50) still leaves 40 s of recovery: 110 + 90 + 40 = 240 s. Random runs no
// simulation, so many seeds are cheap; 5000 draw that latest fault several
// times (about one seed in 728).
func TestRandomSameLength(t *testing.T) {
	latest := time.Duration(0)
	for seed := range uint64(5000) {
		d, err := Random(seed)
		require.NoError(t, err)
		require.Equal(t, RandomDuration, d.Scenario.Duration.D(), "seed %d", seed)
		require.Equal(t, RandomDifficulty, d.Difficulty, "seed %d", seed)
		for _, e := range d.Scenario.Events {
			end := e.At.D() + e.Duration.D()
			require.LessOrEqual(t, end+40*time.Second, RandomDuration, "seed %d: %s ends at %s", seed, e.Kind, end)
			latest = max(latest, end)
		}
	}
	assert.Equal(t, 4*time.Minute, RandomDuration)
	assert.Equal(t, 200*time.Second, latest, "the latest fault ends 40 s before the run does")
}
