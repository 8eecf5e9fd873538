package tui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// Every key injects one of the live faults, and each of them has a key.
func TestEveryLiveFaultHasAKey(t *testing.T) {
	eng := newEngine(t, "capacity-knee", 90*time.Second)
	agg := eng.Aggregate()
	keyed := map[Fault]bool{}
	for _, f := range faultKeys {
		keyed[f] = true
		ev, err := LiveEvent(f, eng.Scenario(), agg, 90*time.Second)
		require.NoError(t, err, f)
		assert.Equal(t, 90*time.Second, ev.At.D(), f)
		assert.NoError(t, eng.Scenario().CheckEvent(ev), "%s is a valid live event", f)
	}
	for _, f := range scenario.LiveFaults() {
		assert.True(t, keyed[f], "%s has a key", f)
	}
	_, err := LiveEvent("meteor", eng.Scenario(), agg, 0)
	assert.ErrorContains(t, err, "unknown fault")
}

// The capacity drop by hand: capacity-knee's 2000 viewers at 2000+128 kbit/s
// (those registered 90 s in: 5/s) demand n x 2.128 Mbit/s; the drop is to
// 20 % of it.
func TestCapacityDropSize(t *testing.T) {
	eng := newEngine(t, "capacity-knee", 90*time.Second)
	agg := eng.Aggregate()
	ev, err := LiveEvent(scenario.LiveCapacity, eng.Scenario(), agg, 0)
	require.NoError(t, err)
	n := agg.TotalClients
	require.Positive(t, n)
	kbps := eng.Scenario().Stream.BitratesKbps[0] + eng.Scenario().Stream.AudioKbps
	assert.InDelta(t, float64(n*kbps)/1000*0.2, ev.CapacityMbps, 0.5)
}
