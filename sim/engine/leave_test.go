package engine

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
)

// uniformBelow has no modulo bias. With n = 3*2^62, x mod n would hit
// [0, 2^62) twice as often as the rest (P = 1/2 instead of 1/3); the
// multiply-shift with rejection gives 1/3 and rejects 2^64 mod n = 2^62
// of the 2^64 inputs (1/4). Both within 4 standard deviations over 200 000
// hashed draws.
func TestUniformBelowUnbiased(t *testing.T) {
	const n = uint64(3) << 62
	const draws = 200_000
	low, rejected := 0, 0
	for i := uint64(0); i < draws; i++ {
		v, ok := uniformBelow(pickHash(7, 1, i, 0), n)
		if !ok {
			rejected++
			continue
		}
		require.Less(t, v, n)
		if v < 1<<62 {
			low++
		}
	}
	accepted := float64(draws - rejected)
	share := float64(low) / accepted
	assert.InDelta(t, 1.0/3, share, 4*math.Sqrt(1.0/3*2/3/accepted), "share of the lowest third")
	assert.InDelta(t, 0.25, float64(rejected)/draws, 4*math.Sqrt(0.25*0.75/draws), "rejected share = 2^62 / 2^64")

	// small n: every value equally likely (chi-square, 9 degrees of freedom,
	// 99.9 % quantile 27.9)
	var counts [10]float64
	for i := uint64(0); i < draws; i++ {
		if v, ok := uniformBelow(pickHash(3, 2, i, 0), 10); ok {
			counts[v]++
		}
	}
	var chi2 float64
	for _, c := range counts {
		chi2 += (c - draws/10) * (c - draws/10) / (draws / 10)
	}
	assert.Less(t, chi2, 27.9)
}

// stoppedAt returns the ids of the clients stopped at virtual time t.
func stoppedAt(t *testing.T, sc *scenario.Scenario, at time.Duration) map[int]bool {
	e, err := New(sc)
	require.NoError(t, err)
	e.RunUntil(at)
	out := map[int]bool{}
	for id, st := range e.ClientStates(nil) {
		if st == clients.Stopped {
			out[id] = true
		}
	}
	return out
}

// The leavers of a remove_clients window are a function of (seed, window,
// k): another window that stops clients earlier does not reshuffle them
// (with one engine-wide generator it did, since every earlier draw shifted
// the later ones). Only a pick that the other window had already stopped
// moves to another client.
func TestLeaversDependOnlyOnTheirWindow(t *testing.T) {
	remove := scenario.Event{At: sec(30), Kind: scenario.KindRemoveClients, Clients: 8}
	alone := testScenario(200, time.Minute, func(s *scenario.Scenario) { s.Events = []scenario.Event{remove} })
	withChurn := testScenario(200, time.Minute, func(s *scenario.Scenario) {
		s.Events = []scenario.Event{remove, {At: sec(10), Duration: sec(10), Kind: scenario.KindChurn, LeaveRate: 1}}
	})
	picked := stoppedAt(t, alone, 31*time.Second)
	require.Len(t, picked, 8)
	churned := stoppedAt(t, withChurn, 21*time.Second)
	require.Len(t, churned, 10)
	both := stoppedAt(t, withChurn, 31*time.Second)
	require.Len(t, both, 18)
	kept := 0
	for id := range picked {
		if !churned[id] {
			assert.True(t, both[id], "client %d is picked by the remove window with or without churn", id)
			kept++
		}
	}
	assert.GreaterOrEqual(t, kept, 6)
}
