package palette

import (
	"fmt"
	"image/color"
	"math"

	"swarmsim/sim/clients"
)

// The colours: the real tool's terminal dashboard (green, amber, red,
// blue, cyan, purple) plus the dark greys the browser draws on and the
// greys of clients that are not (or no longer) playing.
var (
	Background = RGB(0x111827)
	Panel      = RGB(0x1F2937)
	Text       = RGB(0xE5E7EB)
	Muted      = RGB(0x9CA3AF)
	Border     = RGB(0x374151)
	Green      = RGB(0x10B981)
	Amber      = RGB(0xF59E0B)
	Red        = RGB(0xEF4444)
	Blue       = RGB(0x3B82F6)
	Cyan       = RGB(0x06B6D4)
	Purple     = RGB(0xA855F7)
	Pink       = RGB(0xEC4899)
	// NotStarted is a dim slate (an empty seat); Stopped a light grey
	// (left): told apart at a glance in the grid and its legend.
	NotStarted = RGB(0x334155)
	Stopped    = RGB(0xCBD5E1)
)

// RGB makes an opaque colour of 0xRRGGBB.
func RGB(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}

// Hex is "#rrggbb", for HTML and SVG.
func Hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// State is the colour of a client state: starting cyan, playing green,
// buffering amber (below real time, not yet stalled), stalled red, backoff
// purple, not started and stopped greys.
func State(s clients.State) color.RGBA {
	switch s {
	case clients.NotStarted:
		return NotStarted
	case clients.Starting:
		return Cyan
	case clients.Playing:
		return Green
	case clients.Buffering:
		return Amber
	case clients.Stalled:
		return Red
	case clients.Backoff:
		return Purple
	case clients.Stopped:
		return Stopped
	}
	return Muted
}

// Lines are the colours of a chart's lines in order, when they stand for
// no state or level: neighbours differ in hue (no blue next to cyan).
var Lines = []color.RGBA{Blue, Amber, Pink, Green, Purple, Red, Muted}

// Distance is the Euclidean distance of two colours in RGB (0..441).
func Distance(a, b color.RGBA) float64 {
	dr, dg, db := float64(a.R)-float64(b.R), float64(a.G)-float64(b.G), float64(a.B)-float64(b.B)
	return math.Sqrt(dr*dr + dg*dg + db*db)
}
