package tui

import (
	"time"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Fault is a live fault the dashboard can inject: the browser's fault menu
// offers the same ones (scenario.LiveFaults).
type Fault = scenario.LiveFault

// faultKeys maps the dashboard's keys (the browser's fault menu letters) to
// faults.
var faultKeys = map[string]Fault{
	"o": scenario.LiveOutage, "b": scenario.Live503, "c": scenario.LiveCapacity,
	"s": scenario.LiveStale, "+": scenario.LiveAdd, "-": scenario.LiveRemove,
}

// LiveEvent is the event a fault injects at virtual time now, sized by
// scenario.LiveEvent for the clients of the current snapshot (agg may be nil).
func LiveEvent(f Fault, sc *scenario.Scenario, agg *stats.AggregatedStats, now time.Duration) (scenario.Event, error) {
	active := 0
	if agg != nil {
		active = agg.TotalClients
	}
	return sc.LiveEvent(f, active, now)
}
