package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
)

// The origin's status: its capacity (the scenario's, or a capacity
// window's while it is in effect) and its open connections (one per
// running process between failures).
func TestOriginStatus(t *testing.T) {
	sc, err := scenario.Preset("steady")
	require.NoError(t, err)
	sc.Clients.Count = 50
	sc.Origin.CapacityMbps = 1000
	sc.Events = []scenario.Event{
		{At: scenario.Duration(30 * time.Second), Duration: scenario.Duration(10 * time.Second), Kind: scenario.KindCapacity, CapacityMbps: 400},
		{At: scenario.Duration(60 * time.Second), Duration: scenario.Duration(20 * time.Second), Kind: scenario.KindOutage, Mode: scenario.ModeRefused},
	}
	e, err := New(sc)
	require.NoError(t, err)

	e.RunUntil(20 * time.Second) // every viewer joined (20/s) and plays
	o := e.Origin()
	assert.Equal(t, 1000*125000.0, o.CapacityBps, "1000 Mbit/s = 125 MB/s")
	playing := 0
	for _, s := range e.ClientStates(nil) {
		if s == clients.Playing {
			playing++
		}
	}
	require.Equal(t, 50, playing)
	assert.Equal(t, 50, o.Connections, "one keep-alive connection per playing viewer")
	assert.LessOrEqual(t, o.Transfers, o.Connections)

	e.RunUntil(35 * time.Second)
	assert.Equal(t, 400*125000.0, e.Origin().CapacityBps, "the capacity window's")
	e.RunUntil(45 * time.Second)
	assert.Equal(t, 1000*125000.0, e.Origin().CapacityBps, "back after the window")

	e.RunUntil(75 * time.Second) // 15 s into the refused outage
	o = e.Origin()
	assert.Zero(t, o.Connections, "refused: no connection stays open")
	assert.Zero(t, o.Transfers)
}
