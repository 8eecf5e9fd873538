package drill

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

func TestBuiltins(t *testing.T) {
	list := Builtins()
	require.GreaterOrEqual(t, len(list), 10)
	kinds := map[scenario.EventKind]bool{}
	controls, twoFaults := 0, 0
	difficulties := map[int]bool{}
	for i, info := range list {
		if i > 0 {
			assert.LessOrEqual(t, list[i-1].Difficulty, info.Difficulty, "easiest first")
		}
		d, err := Builtin(info.Name)
		require.NoError(t, err, info.Name)
		assert.Equal(t, info.Name, d.Name(), "the scenario is named as its file")
		difficulties[d.Difficulty] = true
		if d.Control() {
			controls++
		}
		faultKinds := map[scenario.EventKind]bool{}
		for _, e := range d.Scenario.Events {
			kinds[e.Kind] = true
			if e.Kind != scenario.KindAddClients {
				faultKinds[e.Kind] = true
			}
		}
		if len(faultKinds) >= 2 || len(d.Scenario.Events) >= 2 && !d.Control() && d.Scenario.Events[0].Kind != d.Scenario.Events[1].Kind {
			twoFaults++
		}
		assert.LessOrEqual(t, d.Scenario.Clients.Count, 100, "%s: small swarms keep the checks fast", info.Name)
		assert.LessOrEqual(t, d.Scenario.Duration.D().Minutes(), 5.0, info.Name)
	}
	assert.Equal(t, 1, controls, "one control drill")
	assert.GreaterOrEqual(t, twoFaults, 2, "two drills with two faults")
	assert.GreaterOrEqual(t, len(difficulties), 4, "graded difficulty")
	for _, k := range []scenario.EventKind{scenario.KindOutage, scenario.KindErrorBurst, scenario.KindCapacity,
		scenario.KindStalePlaylist, scenario.KindLatencySpike, scenario.KindBandwidthDrop, scenario.KindChurn, scenario.KindAddClients} {
		assert.True(t, kinds[k], "a drill with %s", k)
	}

	_, err := Builtin("nope")
	assert.ErrorContains(t, err, `unknown drill "nope"; built-in drills: bandwidth-cohort, capacity-knee`)
	_, err = Builtin("../x")
	assert.Error(t, err)
}

// TestBuiltinsAnswerable runs every built-in drill and the same run without
// its fault: each evidence metric departs by its margin, and the control's
// does not.
func TestBuiltinsAnswerable(t *testing.T) {
	for _, info := range Builtins() {
		t.Run(info.Name, func(t *testing.T) {
			d, err := Builtin(info.Name)
			require.NoError(t, err)
			p, err := Answerable(d)
			require.NoError(t, err)
			assert.True(t, p.OK, "%s", p)
			if !d.Control() {
				// Not by a hair: the departure is at least 1.5 margins, so a
				// small change in the model does not make a drill unanswerable
				// unnoticed.
				assert.GreaterOrEqual(t, abs(p.Departure), 1.5*p.Margin, "%s", p)
			}
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestBandwidthCohortFollowup checks the follow-up answer of
// bandwidth-cohort against the run: the viewers below real time in the
// window are all of the cohort the answer names, and the other cohorts'
// viewers whose links dropped still play in real time.
func TestBandwidthCohortFollowup(t *testing.T) {
	d, err := Builtin("bandwidth-cohort")
	require.NoError(t, err)
	require.NotNil(t, d.Followup)
	answer := d.Followup.Choices[d.Followup.Answer-1]
	e, err := engine.New(d.Scenario)
	require.NoError(t, err)
	e.RunUntil(140 * time.Second) // inside the 80s..160s drop
	slow, droppedElsewhere := map[string]int{}, 0
	for id := range e.ClientCount() {
		v, ok := e.Client(id)
		require.True(t, ok)
		if v.Speed > 0 && v.Speed < 0.99 || v.State == clients.Stalled {
			slow[v.Cohort]++
		}
		if v.BandwidthMbps == 3 && v.Cohort != answer {
			droppedElsewhere++
			assert.GreaterOrEqual(t, v.Speed, 0.99, "client %d (%s) at 3 Mbps plays in real time", id, v.Cohort)
		}
	}
	assert.Positive(t, slow[answer], "viewers of %s fall behind", answer)
	assert.Len(t, slow, 1, "only %s: %v", answer, slow)
	assert.Positive(t, droppedElsewhere, "the drop hits other cohorts too, without effect")
}

// The list is parsed once: a call copies it (one allocation) rather than
// parsing every embedded drill again; a caller's changes to its copy do not
// reach the next, and Builtin still gives a fresh drill each time.
func TestBuiltinsIsMadeOnce(t *testing.T) {
	want := Builtins()
	allocs := testing.AllocsPerRun(10, func() { _ = Builtins() })
	assert.LessOrEqual(t, allocs, 1.0, "Builtins allocates only its copy of the list")

	got := Builtins()
	got[0].Name, got[0].Difficulty = "changed", 99
	assert.Equal(t, want, Builtins())

	d, err := Builtin(want[0].Name)
	require.NoError(t, err)
	d.Scenario.Clients.Count = -1
	d.Answer = 99
	again, err := Builtin(want[0].Name)
	require.NoError(t, err)
	assert.NotSame(t, d, again)
	assert.NotEqual(t, -1, again.Scenario.Clients.Count)
	assert.NotEqual(t, 99, again.Answer)
}
