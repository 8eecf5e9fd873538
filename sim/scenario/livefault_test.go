package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The live faults by hand, for steady's 200 viewers of 2000 + 128 kbit/s.
func TestLiveEventSizes(t *testing.T) {
	s, err := Preset("steady")
	require.NoError(t, err)
	require.Equal(t, []int{2000}, s.Stream.BitratesKbps)
	require.Equal(t, 128, s.Stream.AudioKbps)
	at := 42 * time.Second
	for _, c := range []struct {
		f      LiveFault
		active int
		check  func(t *testing.T, ev Event)
	}{
		{LiveOutage, 0, func(t *testing.T, ev Event) {
			assert.Equal(t, KindOutage, ev.Kind)
			assert.Equal(t, ModeRefused, ev.Mode)
			assert.Equal(t, 15*time.Second, ev.Duration.D())
		}},
		{Live503, 0, func(t *testing.T, ev Event) {
			assert.Equal(t, 503, ev.Status)
			assert.Equal(t, 0.5, ev.Rate)
			assert.Equal(t, 20*time.Second, ev.Duration.D())
		}},
		// 200 x 2.128 Mbit/s = 425.6; 20 % of it rounds to 85
		{LiveCapacity, 0, func(t *testing.T, ev Event) { assert.Equal(t, 85.0, ev.CapacityMbps) }},
		// 150 active: 319.2 x 0.2 = 63.84, rounded to 64
		{LiveCapacity, 150, func(t *testing.T, ev Event) { assert.Equal(t, 64.0, ev.CapacityMbps) }},
		{LiveStale, 0, func(t *testing.T, ev Event) {
			assert.Equal(t, KindStalePlaylist, ev.Kind)
			assert.Equal(t, 10*time.Second, ev.Duration.D())
		}},
		{LiveAdd, 150, func(t *testing.T, ev Event) { assert.Equal(t, 20, ev.Clients, "a tenth of the scenario's 200") }},
		{LiveRemove, 150, func(t *testing.T, ev Event) { assert.Equal(t, 15, ev.Clients, "a tenth of the 150 active") }},
	} {
		ev, err := s.LiveEvent(c.f, c.active, at)
		require.NoError(t, err, c.f)
		assert.Equal(t, at, ev.At.D(), c.f)
		assert.NotEmpty(t, ev.Caption, c.f)
		assert.NoError(t, s.CheckEvent(ev), "%s is a valid live event", c.f)
		c.check(t, ev)
	}
	_, err = s.LiveEvent("meteor", 0, at)
	assert.ErrorContains(t, err, `unknown fault "meteor"`)
	assert.Len(t, LiveFaults(), 6)
}
