//go:build race

package engine

// raceEnabled shortens the heaviest tests under the race detector, which
// runs them about 20x slower; what they check is unchanged.
const raceEnabled = true
