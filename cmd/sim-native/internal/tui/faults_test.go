package tui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
	"swarmsim/web/app"
)

// The faults are the browser's: the same events, sized the same way, for
// the same scenario and snapshot.
func TestFaultsAreTheBrowsers(t *testing.T) {
	eng := newEngine(t, "capacity-knee", 90*time.Second)
	agg := eng.Aggregate()
	for _, f := range []Fault{FaultOutage, Fault503, FaultCapacity, FaultStale, FaultAdd, FaultRemove} {
		cmd, ok := app.FaultCommand(string(f))
		require.True(t, ok, f)
		want := app.LiveFault(cmd, eng.Scenario(), agg)
		want.At = scenario.Duration(90 * time.Second)
		got, err := LiveEvent(f, eng.Scenario(), agg, 90*time.Second)
		require.NoError(t, err)
		assert.Equal(t, want, got, f)
		assert.NoError(t, eng.Scenario().CheckEvent(got), "%s is a valid live event", f)
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
	ev, err := LiveEvent(FaultCapacity, eng.Scenario(), agg, 0)
	require.NoError(t, err)
	n := agg.TotalClients
	require.Positive(t, n)
	kbps := eng.Scenario().Stream.BitratesKbps[0] + eng.Scenario().Stream.AudioKbps
	assert.InDelta(t, float64(n*kbps)/1000*0.2, ev.CapacityMbps, 0.5)
}
