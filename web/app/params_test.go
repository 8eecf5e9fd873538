package app

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

func TestParseParamsGood(t *testing.T) {
	cfg := ParseParams("?scenario=origin-outage&clients=1234&seed=42&speed=60")
	require.Empty(t, cfg.Problems)
	assert.Equal(t, "origin-outage", cfg.Preset)
	assert.Equal(t, 1234, cfg.Scenario.Clients.Count)
	assert.Equal(t, uint64(42), cfg.Scenario.Seed)
	assert.Equal(t, Speed(60), cfg.Speed)
	want, err := scenario.Preset("origin-outage")
	require.NoError(t, err)
	assert.Equal(t, want.Events, cfg.Scenario.Events, "the preset's events are kept")

	cfg = ParseParams("speed=max&capacity=500")
	require.Empty(t, cfg.Problems)
	assert.Equal(t, SpeedMax, cfg.Speed)
	assert.Equal(t, 500.0, cfg.Scenario.Origin.CapacityMbps, "any scenario.Set key works")
}

func TestParseParamsDefaults(t *testing.T) {
	cfg := ParseParams("")
	assert.Empty(t, cfg.Problems)
	assert.Equal(t, scenario.DefaultPreset, cfg.Preset)
	assert.Equal(t, DefaultSpeed, cfg.Speed)
	def, err := scenario.Preset(scenario.DefaultPreset)
	require.NoError(t, err)
	assert.Equal(t, def.Clients.Count, cfg.Scenario.Clients.Count)
}

func TestParseParamsBadValuesFallBack(t *testing.T) {
	def, err := scenario.Preset(scenario.DefaultPreset)
	require.NoError(t, err)
	cases := []struct {
		query   string
		mention []string
		check   func(t *testing.T, cfg RunConfig)
	}{
		{"scenario=nope", []string{"scenario=nope", "unknown preset", "steady"}, func(t *testing.T, cfg RunConfig) {
			assert.Equal(t, scenario.DefaultPreset, cfg.Preset)
		}},
		{"clients=0", []string{"clients=0", "clients.count", "1..1000000"}, func(t *testing.T, cfg RunConfig) {
			assert.Equal(t, def.Clients.Count, cfg.Scenario.Clients.Count)
		}},
		{"clients=lots", []string{"clients=lots"}, func(t *testing.T, cfg RunConfig) {
			assert.Equal(t, def.Clients.Count, cfg.Scenario.Clients.Count)
		}},
		{"seed=-3", []string{"seed=-3", "seed"}, func(t *testing.T, cfg RunConfig) {
			assert.Equal(t, def.Seed, cfg.Scenario.Seed)
		}},
		{"speed=7", []string{"speed=7", "1, 10, 60 or max"}, func(t *testing.T, cfg RunConfig) {
			assert.Equal(t, DefaultSpeed, cfg.Speed)
		}},
		{"colour=red", []string{"colour=red", "unknown key"}, nil},
		{"clients=%zz", []string{"cannot be read"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			cfg := ParseParams(tc.query)
			require.Len(t, cfg.Problems, 1, "%v", cfg.Problems)
			for _, m := range tc.mention {
				assert.Contains(t, cfg.Problems[0], m)
			}
			require.NotNil(t, cfg.Scenario)
			assert.NoError(t, cfg.Scenario.Validate(), "the fallback is a valid scenario")
			if tc.check != nil {
				tc.check(t, cfg)
			}
		})
	}
	// A good value next to a bad one is still applied.
	cfg := ParseParams("clients=0&seed=9")
	require.Len(t, cfg.Problems, 1)
	assert.Equal(t, uint64(9), cfg.Scenario.Seed)
}

func TestQueryRoundTrips(t *testing.T) {
	cases := []struct {
		query string
		keys  []string // the overrides ParseParams keeps, in applied order
	}{
		{"scenario=churn&clients=77&seed=5&speed=1", []string{"clients", "seed"}},
		{"scenario=origin-outage&capacity=1500&speed=60", []string{"capacity"}},
		{"speed=max&segment_duration=4s&seed=9&origin.error_rate=0.01&clients.count=300&bitrate=2500",
			[]string{"seed", "bitrate", "clients.count", "origin.error_rate", "segment_duration"}},
		// A rejected key is reported and not written back.
		{"capacity=1500&clients=0&latency=40ms", []string{"capacity", "latency"}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			cfg := ParseParams(tc.query)
			var keys []string
			for _, o := range cfg.Overrides {
				keys = append(keys, o.Key)
			}
			require.Equal(t, tc.keys, keys)

			q := Query(cfg.Preset, cfg.Scenario, cfg.Speed, cfg.Overrides)
			back := ParseParams(q)
			require.Empty(t, back.Problems, q)
			assert.Equal(t, cfg.Preset, back.Preset)
			assert.Equal(t, cfg.Scenario, back.Scenario, q)
			assert.Equal(t, cfg.Speed, back.Speed)
			assert.Subset(t, back.Overrides, cfg.Overrides, "every accepted key survives: %s", q)
			assert.Equal(t, q, Query(back.Preset, back.Scenario, back.Speed, back.Overrides), "stable")
		})
	}
}

func TestQueryWritesCurrentSeedAndClients(t *testing.T) {
	cfg := ParseParams("capacity=1500&seed=5&clients.count=40")
	require.Empty(t, cfg.Problems)
	sc := cfg.Scenario.Clone()
	sc.Seed = 6
	q := Query(cfg.Preset, sc, cfg.Speed, cfg.Overrides)
	assert.Equal(t, "?scenario="+cfg.Preset+"&seed=6&capacity=1500&clients.count=40&speed=10x", q)

	// Without overrides the client count and seed are still written.
	def := ParseParams("")
	assert.Equal(t, fmt.Sprintf("?scenario=%s&clients=%d&seed=%d&speed=10x", def.Preset, def.Scenario.Clients.Count, def.Scenario.Seed),
		Query(def.Preset, def.Scenario, def.Speed, def.Overrides))
}

func TestSpeeds(t *testing.T) {
	for _, s := range Speeds {
		got, err := ParseSpeed(s.String())
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	_, err := ParseSpeed("fast")
	assert.ErrorContains(t, err, "allowed 1, 10, 60 or max")
}

func TestNextSeed(t *testing.T) {
	seen := map[uint64]bool{}
	s := uint64(1)
	for range 1000 {
		n := NextSeed(s)
		assert.NotEqual(t, s, n)
		assert.Less(t, n, uint64(1_000_000_000))
		assert.False(t, seen[n], "no cycle within 1000 steps")
		seen[n] = true
		s = n
	}
	assert.Equal(t, NextSeed(7), NextSeed(7), "deterministic")
}

func TestNextSeedComparesAfterTheModulo(t *testing.T) {
	cases := []struct {
		seed, mixed, want uint64
	}{
		{5, 3*seedModulus + 5, 6},               // equal only after the modulo
		{seedModulus - 1, 2*seedModulus - 1, 0}, // and wraps within the range
		{5, 5, 6},                               // equal before it too
		{5, seedModulus + 7, 7},                 // different: just reduced
		{5 * seedModulus, 5 * seedModulus, 0},   // a large URL seed is never returned as is
	}
	for _, tc := range cases {
		got := nextSeed(tc.seed, func(uint64) uint64 { return tc.mixed })
		assert.Equal(t, tc.want, got, "seed %d, mixed %d", tc.seed, tc.mixed)
		assert.NotEqual(t, tc.seed, got)
		assert.Less(t, got, uint64(seedModulus))
	}
}

func TestSpeedCommand(t *testing.T) {
	assert.Equal(t, CmdSpeed1, SpeedCommand(1))
	assert.Equal(t, CmdSpeed10, SpeedCommand(10))
	assert.Equal(t, CmdSpeed60, SpeedCommand(60))
	assert.Equal(t, CmdSpeedMax, SpeedCommand(SpeedMax))
	assert.Equal(t, CmdNone, SpeedCommand(7))
	for _, s := range Speeds {
		assert.Equal(t, s, Speeds[SpeedCommand(s)-CmdSpeed1])
	}
}
