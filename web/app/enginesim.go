package app

import (
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// engineSim adapts *engine.Engine to Sim.
type engineSim struct{ *engine.Engine }

func (s engineSim) AggregateInto(dst *stats.AggregatedStats) {
	s.Engine.AggregateInto(dst, stats.AggregateOptions{})
}

// NewEngineSim starts the real engine. In the browser there is one thread,
// so it runs without worker goroutines (results are identical either way).
func NewEngineSim(workers int) NewSimFunc {
	return func(sc *scenario.Scenario) (Sim, error) {
		e, err := engine.New(sc, engine.WithWorkers(workers))
		if err != nil {
			return nil, err
		}
		return engineSim{e}, nil
	}
}
