package palette

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"swarmsim/sim/clients"
)

// Every client state has its own colour, far enough from every other's to
// be told apart in a 4-pixel grid cell (the greys of "not started" and
// "stopped" were 20 apart).
func TestStateColoursAreDistinct(t *testing.T) {
	for a := clients.State(0); a < clients.NumStates; a++ {
		for b := a + 1; b < clients.NumStates; b++ {
			assert.Greater(t, Distance(State(a), State(b)), 80.0, "%s and %s", a, b)
		}
		assert.Greater(t, Distance(State(a), Panel), 25.0, "%s on a panel", a)
	}
	assert.Equal(t, Amber, State(clients.Buffering), "buffering is amber (the real tool's warning)")
	assert.Equal(t, Red, State(clients.Stalled), "stalled is red")
}

// Neighbouring line colours differ clearly (blue next to cyan did not).
func TestLineColoursDiffer(t *testing.T) {
	for i := 1; i < len(Lines); i++ {
		assert.Greater(t, Distance(Lines[i-1], Lines[i]), 150.0, "lines %d and %d", i-1, i)
	}
	assert.Less(t, Distance(Blue, Cyan), 150.0, "the pair this rule keeps apart")
}

func TestHex(t *testing.T) {
	assert.Equal(t, "#3b82f6", Hex(Blue))
	assert.Equal(t, 0.0, Distance(Red, Red))
	assert.InDelta(t, 441.67, Distance(RGB(0), RGB(0xFFFFFF)), 0.01)
}
