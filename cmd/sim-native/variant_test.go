package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"swarmsim/sim/scenario"
)

// A run's description and hls_swarm_info's variant label follow
// clients.variant: with variant all on a 3-rung ladder every client
// downloads 3000 + 1500 + 500 + 3 x 128 = 5384 kbps, 100 clients 538.4
// Mbit/s; with lowest, 500 + 128.
func TestVariantInDescriptionAndInfo(t *testing.T) {
	sc := scenario.Defaults()
	sc.Clients.Count = 100
	sc.Stream.BitratesKbps = []int{3000, 1500, 500}
	sc.Origin.CapacityMbps = 1076.8
	d := describeRun(&sc, []string{"-variant all"})
	assert.Contains(t, d, "play 5384 kbps (every rendition they download, audio included)")
	assert.Contains(t, d, "has 2x the 538.4 Mbit/s they play")
	assert.Equal(t, "all", variantLabel(&sc))

	sc.Clients.Variant = scenario.VariantLowest
	assert.Contains(t, describeRun(&sc, nil), "play 500+128 kbps")
	assert.Equal(t, "lowest", variantLabel(&sc))
}
