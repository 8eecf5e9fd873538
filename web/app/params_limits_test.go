package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// A shared link cannot make the tab run more viewers than the browser holds: a million
// took a tab past 3 GB. The run gets the limit, and the page says why.
func TestParamsLimitBrowserClients(t *testing.T) {
	cfg := ParseParams("?clients=1000000&ramp_rate=0&speed=max")
	require.NotNil(t, cfg.Scenario)
	assert.Equal(t, MaxBrowserClients, cfg.Scenario.Clients.Count)
	require.Len(t, cfg.Problems, 1)
	// 1 000 000 x 3300 B = 3300 MB; 100 000 x 3300 B = 330 MB.
	assert.Equal(t, "1000000 clients would take about 3300 MB of this tab's memory; the browser runs at most 100000 (about 330 MB), so this run has 100000. "+
		"sim-native runs up to 1000000 clients on the command line.", cfg.Problems[0])
	assert.Contains(t, Query(cfg.Preset, cfg.Scenario, cfg.Speed, cfg.Overrides), "clients=100000", "a reload keeps the run that ran")

	at := ParseParams("?clients=100000")
	assert.Equal(t, 100000, at.Scenario.Clients.Count)
	assert.Empty(t, at.Problems, "the limit itself is allowed")

	// Viewers an add_clients event brings count too: ramp-up adds some.
	ramp := ParseParams("?scenario=ramp-up")
	added := 0
	for _, ev := range ramp.Scenario.Events {
		if ev.Kind == scenario.KindAddClients {
			added += ev.Clients
		}
	}
	require.Positive(t, added)
	up := ParseParams("?scenario=ramp-up&clients=100000")
	assert.Equal(t, MaxBrowserClients-added, up.Scenario.Clients.Count)
	assert.Len(t, up.Problems, 1)
}
