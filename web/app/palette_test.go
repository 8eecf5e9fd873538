package app

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"swarmsim/internal/palette"
	"swarmsim/sim/clients"
	"swarmsim/sim/stats"
)

func TestErrorRateHealth(t *testing.T) {
	cases := []struct {
		rate float64
		want Health
	}{
		{0, HealthGood},
		{0.0001, HealthWarn},
		{0.0099, HealthWarn},
		{0.01, HealthBad},
		{0.5, HealthBad},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, ErrorRateHealth(tc.rate), "rate %v", tc.rate)
	}
	assert.Equal(t, ColGreen, HealthGood.Color())
	assert.Equal(t, ColAmber, HealthWarn.Color())
	assert.Equal(t, ColRed, HealthBad.Color())
}

func TestHTTPLayerStatus(t *testing.T) {
	cases := []struct {
		rate   float64
		name   string
		health Health
	}{
		{0, "Healthy", HealthGood},
		{0.01, "Healthy", HealthGood}, // "> 1 %" is degraded, 1 % itself is not
		{0.0101, "Degraded", HealthWarn},
		{0.05, "Degraded", HealthWarn},
		{0.051, "Unhealthy", HealthBad},
		{0.20, "Unhealthy", HealthBad},
		{0.21, "Critical", HealthBad},
	}
	for _, tc := range cases {
		name, h := HTTPLayerStatus(tc.rate)
		assert.Equal(t, tc.name, name, "rate %v", tc.rate)
		assert.Equal(t, tc.health, h, "rate %v", tc.rate)
	}
}

func TestSpeedDriftCountDropHealth(t *testing.T) {
	assert.Equal(t, HealthGood, SpeedHealth(1.0))
	assert.Equal(t, HealthWarn, SpeedHealth(0.95))
	assert.Equal(t, HealthWarn, SpeedHealth(0.9))
	assert.Equal(t, HealthBad, SpeedHealth(0.89))

	assert.Equal(t, HealthGood, DriftHealth(2.5))
	assert.Equal(t, HealthWarn, DriftHealth(2.6))
	assert.Equal(t, HealthWarn, DriftHealth(5))
	assert.Equal(t, HealthBad, DriftHealth(5.01))

	assert.Equal(t, HealthGood, CountHealth(0, 100))
	assert.Equal(t, HealthWarn, CountHealth(9, 1000))
	assert.Equal(t, HealthBad, CountHealth(10, 1000))
	assert.Equal(t, HealthBad, CountHealth(1, 0))

	assert.Equal(t, HealthGood, DropRateHealth(0))
	assert.Equal(t, HealthWarn, DropRateHealth(0.01))
	assert.Equal(t, HealthBad, DropRateHealth(0.011))

	assert.Equal(t, HealthBad, Worst(HealthGood, HealthBad, HealthWarn))
	assert.Equal(t, HealthGood, Worst())
}

func TestPaletteHexAndAlpha(t *testing.T) {
	assert.Equal(t, [4]uint8{0xE5, 0xE7, 0xEB, 0xFF}, [4]uint8{ColText.R, ColText.G, ColText.B, ColText.A})
	assert.Equal(t, [4]uint8{0x06, 0xB6, 0xD4, 0xFF}, [4]uint8{ColCyan.R, ColCyan.G, ColCyan.B, ColCyan.A})
	half := WithAlpha(ColRed, 128) // 0xEF * 128 / 255 = 119.9 -> 119
	assert.Equal(t, uint8(119), half.R)
	assert.Equal(t, uint8(128), half.A)
}

func TestThresholdsFollowTheStatsCore(t *testing.T) {
	assert.Equal(t, HealthGood, SpeedHealth(stats.RealtimeSpeed))
	assert.Equal(t, HealthWarn, SpeedHealth(math.Nextafter(stats.RealtimeSpeed, 0)))
	assert.Equal(t, HealthWarn, SpeedHealth(stats.StallThreshold))
	assert.Equal(t, HealthBad, SpeedHealth(math.Nextafter(stats.StallThreshold, 0)), "below the stall threshold")
	drift := stats.HighDriftThreshold.Seconds()
	assert.Equal(t, HealthWarn, DriftHealth(drift))
	assert.Equal(t, HealthBad, DriftHealth(math.Nextafter(drift, 100)), "high drift as the aggregator counts it")
	assert.Equal(t, HealthWarn, DropRateHealth(stats.DefaultDropThreshold))
	assert.Equal(t, HealthBad, DropRateHealth(math.Nextafter(stats.DefaultDropThreshold, 1)), "metrics degraded")
}

// The lines of a chart are told apart at a glance: no two closer than the
// blue and cyan that shared the throughput, request and drift charts.
func TestChartLinesAreToldApart(t *testing.T) {
	sc := NewSeriesCharts()
	for _, c := range sc.Charts {
		for i := range c.Lines {
			for j := i + 1; j < len(c.Lines); j++ {
				a, b := c.Lines[i], c.Lines[j]
				assert.Greater(t, palette.Distance(a.Color, b.Color), palette.Distance(ColBlue, ColCyan),
					"%s: %q and %q", c.Title, a.Name, b.Name)
			}
		}
	}
	// the grid's states, as in the report
	assert.Greater(t, palette.Distance(StateColor(clients.NotStarted), StateColor(clients.Stopped)), 80.0,
		"the legend's not started and stopped")
}
