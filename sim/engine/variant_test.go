package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// variantRun runs 100 clients on a 3-rung ladder (3000, 1500, 500 kbps +
// 128 audio, 2 s segments, no size spread, room for all on the origin) for
// 2 minutes with the given variant and returns the totals.
func variantRun(t *testing.T, variant string, cohortKbps int) *stats.AggregatedStats {
	t.Helper()
	sc := scenario.Defaults()
	sc.Duration = scenario.Duration(2 * time.Minute)
	sc.Stream.BitratesKbps = []int{3000, 1500, 500}
	sc.Stream.SizeSpread = 0
	sc.Clients.Count = 100
	sc.Clients.RampRate = 0
	sc.Clients.RampJitter = 0
	sc.Clients.Variant = variant
	sc.Clients.Cohorts[0].BitrateKbps = cohortKbps
	sc.Origin.CapacityMbps = 0
	e, err := New(&sc)
	require.NoError(t, err)
	e.Run()
	return e.Aggregate()
}

// A variant "all" client downloads every rung: its bytes are the sum of
// the rungs' (3128 + 1628 + 628 = 5384 kbps, 8.57 times the lowest rung's
// 628), with three requests per segment and per playlist reload; highest, lowest and first download
// the right single rung, byte for byte the run of a cohort pinned to it.
func TestVariantBytes(t *testing.T) {
	all := variantRun(t, scenario.VariantAll, 0)
	rung := map[int]*stats.AggregatedStats{}
	sum := int64(0)
	for _, kbps := range []int{3000, 1500, 500} {
		rung[kbps] = variantRun(t, scenario.VariantAll, kbps) // the cohort pins one rung
		sum += rung[kbps].TotalBytes
	}
	assert.InEpsilon(t, float64(sum), float64(all.TotalBytes), 0.02, "all = the sum of the rungs")
	assert.InEpsilon(t, 5384.0/628, float64(all.TotalBytes)/float64(rung[500].TotalBytes), 0.02)
	// one request per rung (the loads take a little longer, so a few fewer
	// of them fit in the run)
	assert.Zero(t, all.TotalSegmentReqs%3)
	assert.Zero(t, all.TotalManifestReqs%3)
	assert.InEpsilon(t, float64(3*rung[500].TotalSegmentReqs), float64(all.TotalSegmentReqs), 0.02)
	assert.InEpsilon(t, float64(3*rung[500].TotalManifestReqs), float64(all.TotalManifestReqs), 0.02)
	assert.Zero(t, all.StalledClients, "5.4 Mbit/s fits every 50-100 Mbit/s downlink")

	for variant, kbps := range map[string]int{scenario.VariantHighest: 3000, scenario.VariantLowest: 500, scenario.VariantFirst: 3000} {
		got := variantRun(t, variant, 0)
		assert.Equal(t, rung[kbps].TotalBytes, got.TotalBytes, "%s downloads the %d kbps rung", variant, kbps)
		assert.Equal(t, rung[kbps].TotalSegmentReqs, got.TotalSegmentReqs, variant)
	}
}

// A downlink that carries the sum of the rungs only in part stalls a
// variant "all" client, while a single rung plays.
func TestVariantAllNeedsTheSumOfTheRungs(t *testing.T) {
	run := func(variant string) *stats.AggregatedStats {
		sc := scenario.Defaults()
		sc.Duration = scenario.Duration(90 * time.Second)
		sc.Stream.BitratesKbps = []int{3000, 1500, 500}
		sc.Clients.Count = 20
		sc.Clients.Variant = variant
		sc.Clients.Cohorts[0].BandwidthMbps = scenario.Range{Min: 4, Max: 4} // 4 Mbit/s < 5.384
		e, err := New(&sc)
		require.NoError(t, err)
		e.Run()
		return e.Aggregate()
	}
	assert.Zero(t, run(scenario.VariantHighest).StalledClients, "3.128 Mbit/s fits 4")
	assert.Equal(t, 20, run(scenario.VariantAll).StalledClients, "5.384 Mbit/s does not")
}
