package drill

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShuffledKeepsTheAnswers(t *testing.T) {
	firsts := 0
	for _, info := range Builtins() {
		d, err := Builtin(info.Name)
		require.NoError(t, err)
		s := d.Shuffled()
		assert.ElementsMatch(t, d.Choices, s.Choices, info.Name)
		assert.Equal(t, d.Choices[d.Answer-1], s.Choices[s.Answer-1], "%s: the right cause follows its text", info.Name)
		if d.Followup != nil {
			require.NotNil(t, s.Followup)
			assert.ElementsMatch(t, d.Followup.Choices, s.Followup.Choices)
			assert.Equal(t, d.Followup.Choices[d.Followup.Answer-1], s.Followup.Choices[s.Followup.Answer-1], info.Name)
			assert.Equal(t, d.Followup.Question, s.Followup.Question)
		}
		assert.Equal(t, s.Choices, d.Shuffled().Choices, "%s: the same order on every play", info.Name)
		again, err := Builtin(info.Name)
		require.NoError(t, err)
		assert.Equal(t, d.Choices, again.Choices, "the drill itself is unchanged")
		if s.Answer == 1 {
			firsts++
		}
		// Scoring the shuffled drill scores the text chosen.
		assert.True(t, Score(s, Answer{Choice: s.Answer}).CauseRight)
		if wrong := slices.Index(s.Choices, d.Choices[d.Answer%len(d.Choices)]) + 1; wrong != s.Answer {
			assert.False(t, Score(s, Answer{Choice: wrong}).CauseRight)
		}
	}
	assert.Less(t, firsts, len(Builtins())-2, "the right cause is no longer nearly always first")
}

// Over many drills, the right cause lands in each place about as often.
func TestShuffledPlacesEvenly(t *testing.T) {
	d, err := Builtin("outage")
	require.NoError(t, err)
	const n = 4000
	var places [4]int
	for i := range n {
		c := *d
		sc := *d.Scenario
		sc.Name = fmt.Sprintf("drill-%d", i)
		sc.Seed = uint64(i % 50)
		c.Scenario = &sc
		places[c.Shuffled().Answer-1]++
	}
	for p, k := range places {
		assert.InDelta(t, n/4, k, n/4*0.1, "place %d: %v", p+1, places)
	}
}
