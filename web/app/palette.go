package app

import (
	"image/color"
	"time"

	"swarmsim/internal/palette"
	"swarmsim/sim/stats"
)

// The dashboard's colours: the shared palette, which the HTML report
// uses too (one colour for one thing in every view).
var (
	ColBackground = palette.Background
	ColPanel      = palette.Panel
	ColText       = palette.Text
	ColMuted      = palette.Muted
	ColBorder     = palette.Border
	ColGreen      = palette.Green
	ColAmber      = palette.Amber
	ColRed        = palette.Red
	ColBlue       = palette.Blue
	ColCyan       = palette.Cyan
	ColPurple     = palette.Purple
	ColPink       = palette.Pink
)

func rgb(v uint32) color.RGBA { return palette.RGB(v) }

// WithAlpha returns c with alpha a, premultiplied (Ebiten and image/color
// use premultiplied alpha).
func WithAlpha(c color.RGBA, a uint8) color.RGBA {
	return color.RGBA{
		R: uint8(uint16(c.R) * uint16(a) / 255),
		G: uint8(uint16(c.G) * uint16(a) / 255),
		B: uint8(uint16(c.B) * uint16(a) / 255),
		A: a,
	}
}

// Health is a traffic-light level.
type Health int

// The levels, in increasing severity.
const (
	HealthGood Health = iota
	HealthWarn
	HealthBad
)

// Color returns the palette colour of a level.
func (h Health) Color() color.RGBA {
	switch h {
	case HealthGood:
		return ColGreen
	case HealthWarn:
		return ColAmber
	default:
		return ColRed
	}
}

// Worst returns the most severe of the levels (HealthGood for none).
func Worst(hs ...Health) Health {
	w := HealthGood
	for _, h := range hs {
		if h > w {
			w = h
		}
	}
	return w
}

// The real tool's thresholds. Those the stats core defines come from
// there (stats.RealtimeSpeed, stats.StallThreshold,
// stats.HighDriftThreshold, stats.DefaultDropThreshold), so the dashboard
// colours agree with what the aggregator counts.
const (
	// ErrorRateRed: the error rate at and above which health is red (1 %).
	ErrorRateRed = 0.01
	// highDriftSeconds is stats.HighDriftThreshold in seconds.
	highDriftSeconds = float64(stats.HighDriftThreshold) / float64(time.Second)
)

// ErrorRateHealth colours an error rate: green at 0, amber below 1 %, red at
// 1 % and above.
func ErrorRateHealth(rate float64) Health { return zeroIsGood(rate, ErrorRateRed) }

// zeroIsGood colours a share that should be 0: green at 0 (or below), amber
// below red, red at red and above.
func zeroIsGood(x, red float64) Health {
	switch {
	case x <= 0:
		return HealthGood
	case x < red:
		return HealthWarn
	}
	return HealthBad
}

// HTTPLayerStatus names the HTTP layer state for an error rate as the real
// tool does: Healthy, Degraded (> 1 %), Unhealthy (> 5 %), Critical (> 20 %).
func HTTPLayerStatus(rate float64) (string, Health) {
	switch {
	case rate > 0.20:
		return "Critical", HealthBad
	case rate > 0.05:
		return "Unhealthy", HealthBad
	case rate > 0.01:
		return "Degraded", HealthWarn
	default:
		return "Healthy", HealthGood
	}
}

// SpeedHealth colours an average playback speed: green >= 1.0, amber >= 0.9,
// red below.
func SpeedHealth(speed float64) Health {
	switch {
	case speed >= stats.RealtimeSpeed:
		return HealthGood
	case speed >= stats.StallThreshold:
		return HealthWarn
	default:
		return HealthBad
	}
}

// DriftHealth colours a drift in seconds: red above 5 s (high drift), amber
// above half of it, green otherwise.
func DriftHealth(seconds float64) Health {
	switch {
	case seconds > highDriftSeconds:
		return HealthBad
	case seconds > highDriftSeconds/2:
		return HealthWarn
	default:
		return HealthGood
	}
}

// CountHealth colours a count of troubled clients (stalled, high drift) out
// of active: green at 0, amber below 1 % of active, red at 1 % and above.
func CountHealth(count, active int64) Health {
	switch {
	case count <= 0:
		return HealthGood
	case active > 0 && float64(count)/float64(active) < 0.01:
		return HealthWarn
	default:
		return HealthBad
	}
}

// DropRateHealth colours the metrics pipeline drop rate: red above 1 %
// (metrics degraded), amber above 0, green at 0.
func DropRateHealth(rate float64) Health {
	switch {
	case rate > stats.DefaultDropThreshold:
		return HealthBad
	case rate > 0:
		return HealthWarn
	default:
		return HealthGood
	}
}
