package main

import (
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func TestNumberFormatting(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		num  string
		diff string
	}{
		{1500, "", "1500", "+1500"},
		{-2.25, "", "-2.250", "-2.250"},
		{0.0125, "%", "1.25%", "+1.25pp"},
		{0, "", "0", "0"},
		{math.NaN(), "", "-", "-"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.num, fmtNum(tc.v, tc.unit))
		assert.Equal(t, tc.diff, fmtDelta(tc.v, tc.unit))
	}
	assert.Equal(t, "+100.0%", relChange(20, 40))
	assert.Equal(t, "-25.0%", relChange(4, 3))
	assert.Equal(t, "0%", relChange(3, 3))
	assert.Equal(t, "new", relChange(0, 3))
	assert.Equal(t, "-", relChange(math.NaN(), 3))
}

// Hand-edited run files can hold values no run produces: negative totals, 1e308. The
// table says "n/a" where a figure means nothing instead of printing nonsense.
func TestCompareAbsurdValues(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name      string
		a, b      float64
		unit      string
		num, diff string
		rel       string
	}{
		{"negative base", -5, 8020408, "", "-5", "+8020413", "n/a"},
		{"negative to zero", -5, 0, "", "-5", "+5", "n/a"},
		{"zero to negative", 0, -3, "", "0", "-3", "n/a"},
		{"infinite b", 12.8, inf, "", "12.800", "n/a", "n/a"},
		{"infinite both", inf, inf, "", "n/a", "n/a", "n/a"},
		{"huge", 1, 1e308, "", "1", "+1e+308", "n/a"},
		{"huge both", 1e308, 1e308, "", "1e+308", "0", "0%"},
		{"huge negative base", -1e308, 1e308, "", "-1e+308", "n/a", "n/a"},
		{"tiny base", 1e-300, 1e10, "", "0.000", "+10000000000", "n/a"},
		{"huge ratio", 0.01, 1e307, "%", "1.00%", "n/a", "n/a"},
		{"missing", math.NaN(), inf, "", "-", "-", "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.num, fmtNum(tc.a, tc.unit), "A")
			assert.Equal(t, tc.diff, fmtDiff(tc.a, tc.b, tc.unit), "B-A")
			assert.Equal(t, tc.rel, relChange(tc.a, tc.b), "change")
		})
	}
}

func TestCompareRowsListEveryHTTPCodeOnce(t *testing.T) {
	sc := scenario.Defaults()
	a := &export.Run{Scenario: &sc, Final: &stats.AggregatedStats{TotalClients: 10, MaxDrift: 2 * time.Second}}
	b := &export.Run{Scenario: &sc, Final: &stats.AggregatedStats{TotalClients: 12, MaxDrift: 3 * time.Second}}
	a.Final.TotalHTTPErrors = map[int]int64{503: 4, 404: 1}
	b.Final.TotalHTTPErrors = map[int]int64{503: 9, 0: 2}
	rows := compareRows(a, b)
	byLabel := map[string]compareRow{}
	var codes []string
	for _, r := range rows {
		byLabel[r.label] = r
		if len(r.label) > 5 && r.label[:5] == "HTTP " && r.label != "HTTP errors" {
			codes = append(codes, r.label)
		}
	}
	assert.Equal(t, []string{"HTTP other", "HTTP 404", "HTTP 503"}, codes)
	assert.Equal(t, compareRow{"HTTP 503", 4, 9, ""}, byLabel["HTTP 503"])
	assert.Equal(t, compareRow{"HTTP other", 0, 2, ""}, byLabel["HTTP other"])
	assert.Equal(t, compareRow{"clients", 10, 12, ""}, byLabel["clients"])
	assert.Equal(t, compareRow{"max drift (s)", 2, 3, ""}, byLabel["max drift (s)"])
}

// Bytes and bit rates read in SI units, as the exit summary writes them.
func TestCompareHumanUnits(t *testing.T) {
	tests := []struct {
		v          float64
		unit       string
		num, delta string
	}{
		{15.96e9, "B", "15.96 GB", "+15.96 GB"},
		{999, "B", "999 B", "+999 B"},
		{-2.5e6, "B", "-2.50 MB", "-2.50 MB"},
		{425.6e6, "bit/s", "425.60 Mbit/s", "+425.60 Mbit/s"},
		{6.384e9, "bit/s", "6.38 Gbit/s", "+6.38 Gbit/s"},
		{1e25, "B", "10000000.00 EB", "+10000000.00 EB"},
		{math.NaN(), "B", "-", "-"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.num, fmtNum(tc.v, tc.unit))
		assert.Equal(t, tc.delta, fmtDelta(tc.v, tc.unit))
	}
}

// Two runs of one preset are told apart by the parameters that differ, not only by
// the preset's name and seed; a latency without a completed request is no value.
func TestCompareNamesTheDifference(t *testing.T) {
	a := scenario.Defaults()
	b := scenario.Defaults()
	require.NoError(t, b.Set("clients", "40"))
	require.NoError(t, b.Set("capacity", "5000"))
	b.Description = "another text"
	ra := &export.Run{Scenario: &a, Seed: 1, Final: &stats.AggregatedStats{}}
	rb := &export.Run{Scenario: &b, Seed: 1, Final: &stats.AggregatedStats{SegmentLatencyCount: 3, SegmentLatencyP95: time.Second}}
	assert.Equal(t, fmt.Sprintf("A / B differ in: clients.count %d / 40, origin.capacity_mbps %s / 5000", a.Clients.Count, strconv.FormatFloat(a.Origin.CapacityMbps, 'f', -1, 64)),
		describeDifference(ra, rb))
	assert.Equal(t, "A and B ran the same scenario with the same seed.", describeDifference(ra, ra))
	rc := *ra
	rc.Seed = 2
	assert.Equal(t, "A / B differ in: run seed 1 / 2", describeDifference(ra, &rc))

	for _, r := range compareRows(ra, rb) {
		if r.label == "segment p95 (s)" {
			assert.True(t, math.IsNaN(r.a), "A completed no segment: no value")
			assert.Equal(t, 1.0, r.b)
		}
	}
}
