package engine

import (
	"fmt"
	"math"
	"time"

	"swarmsim/sim/stats"
)

// Pacer runs an engine at real time x Factor against a clock (stats.RealClock
// natively, the browser's clock in wasm). Call Advance regularly (every
// frame); it steps the engine to where the clock says the run should be.
type Pacer struct {
	e      *Engine
	clock  stats.Clock
	factor float64
	// MaxTicks bounds the ticks one Advance may run (0 = no bound), so a
	// frame never blocks for long; a pacer that falls behind re-anchors
	// instead of trying to catch up.
	MaxTicks int

	anchorWall time.Time
	anchorSim  time.Duration
	anchored   bool
}

// NewPacer returns a pacer for e at real time x factor; factor 0 runs as
// fast as possible (bounded by MaxTicks per Advance). A factor that is not a
// finite number >= 0 (negative, NaN, +-Inf) counts as 0; use
// NewPacerChecked to get an error instead.
func NewPacer(e *Engine, clock stats.Clock, factor float64) *Pacer {
	if clock == nil {
		clock = stats.RealClock{}
	}
	return &Pacer{e: e, clock: clock, factor: pacerFactor(factor)}
}

// NewPacerChecked is NewPacer, but a factor that CheckFactor rejects gives
// an error.
func NewPacerChecked(e *Engine, clock stats.Clock, factor float64) (*Pacer, error) {
	if err := CheckFactor(factor); err != nil {
		return nil, err
	}
	return NewPacer(e, clock, factor), nil
}

// CheckFactor reports whether f is a usable speed factor: a finite number
// >= 0 (0 = as fast as possible).
func CheckFactor(f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return fmt.Errorf("engine: speed factor %v is out of range: a finite number >= 0 (0 = as fast as possible)", f)
	}
	return nil
}

// pacerFactor maps every factor CheckFactor rejects to 0.
func pacerFactor(f float64) float64 {
	if CheckFactor(f) != nil {
		return 0
	}
	return f
}

// Factor returns the speed factor.
func (p *Pacer) Factor() float64 { return p.factor }

// SetFactor changes the speed from now on (the run does not jump). Like
// NewPacer, a factor that is not a finite number >= 0 counts as 0.
func (p *Pacer) SetFactor(f float64) {
	p.factor = pacerFactor(f)
	p.anchored = false
}

// Pause stops the pacing clock until the next Advance (call it when the run
// is paused, so that it does not jump ahead on resume).
func (p *Pacer) Pause() { p.anchored = false }

// Advance steps the engine to the virtual time the clock calls for and
// returns the number of ticks it ran.
func (p *Pacer) Advance() int {
	e := p.e
	if e.Done() {
		return 0
	}
	now := p.clock.Now()
	if !p.anchored {
		p.anchorWall, p.anchorSim, p.anchored = now, e.Now(), true
		if p.factor != 0 {
			return 0
		}
	}
	target := e.Duration()
	if p.factor > 0 {
		target = p.anchorSim + time.Duration(float64(now.Sub(p.anchorWall))*p.factor)
	}
	ticks := 0
	if e.holdCrew() { // one crew for this call's ticks, not one per Step
		defer e.dismissCrew()
	}
	for e.Now()+Tick <= target || (p.factor == 0 && !e.Done()) {
		if e.Done() || (p.MaxTicks > 0 && ticks >= p.MaxTicks) {
			break
		}
		e.Step()
		ticks++
	}
	if p.MaxTicks > 0 && ticks >= p.MaxTicks && p.factor > 0 && e.Now()+Tick <= target {
		p.anchorWall, p.anchorSim = now, e.Now() // fell behind: re-anchor
	}
	return ticks
}
