package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSchedulerRedrawsWhatChanged(t *testing.T) {
	var s RedrawScheduler
	hk := HeaderKey{View: 1, Speed: 10, Effective: 98, State: StateRunning}
	assert.True(t, s.Stale(PanelHeader, hk), "never drawn")
	s.Drawn(PanelHeader, hk)
	assert.False(t, s.Stale(PanelHeader, hk))
	assert.False(t, s.Stale(PanelHeader, HeaderKey{View: 1, Speed: 10, Effective: 98, State: StateRunning}), "an equal key")
	for name, k := range map[string]HeaderKey{
		"new view":  {View: 2, Speed: 10, Effective: 98, State: StateRunning},
		"speed":     {View: 1, Speed: 60, Effective: 98, State: StateRunning},
		"effective": {View: 1, Speed: 10, Effective: 97, State: StateRunning},
		"state":     {View: 1, Speed: 10, Effective: 98, State: StatePaused},
	} {
		assert.True(t, s.Stale(PanelHeader, k), name)
	}
	assert.True(t, s.Stale(PanelHeader, ViewKey{1}), "a key of another type")

	s.Drawn(PanelSummary, ViewKey{1})
	s.Drawn(PanelChartOf(ChartErrors), ViewKey{1})
	s.Forget(PanelSummary)
	assert.True(t, s.Stale(PanelSummary, ViewKey{1}), "forgotten: covered by something")
	assert.False(t, s.Stale(PanelChartOf(ChartErrors), ViewKey{1}))
	s.ForgetAll()
	assert.True(t, s.Stale(PanelHeader, hk))
	assert.True(t, s.Stale(PanelChartOf(ChartErrors), ViewKey{1}))
}

func TestSchedulerPacesViewsByTheirCost(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		cost, interval time.Duration
	}{
		{0, MinViewInterval},
		{10 * ms, MinViewInterval}, // 5 x 10 ms = 50 ms: the floor
		{40 * ms, 200 * ms},        // 5 x 40 ms
		{300 * ms, 1500 * ms},
		{time.Second, MaxViewInterval}, // a ceiling however slow
	} {
		var s RedrawScheduler
		s.ViewShown(time.Second, 1, tc.cost)
		assert.Equal(t, tc.interval, s.ViewInterval(), "cost %v", tc.cost)
		assert.False(t, s.ViewDue(time.Second+tc.interval-ms, 1, true), "cost %v: too soon", tc.cost)
		assert.True(t, s.ViewDue(time.Second+tc.interval, 1, true), "cost %v: due", tc.cost)
	}

	var s RedrawScheduler
	assert.True(t, s.ViewDue(0, 0, false), "the first frame takes a view")
	s.ViewShown(time.Second, 3, 10*ms)
	assert.False(t, s.ViewDue(time.Hour, 3, false), "virtual time stood still (paused): nothing new to show")
	assert.True(t, s.ViewDue(time.Second+ms, 4, false), "a new generation (pause, restart, live fault) is shown at once")
}
