package tui

import (
	"fmt"
	"math"
	"time"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Fault is a live fault the dashboard can inject, as the browser's fault
// menu offers them.
type Fault string

// The faults, by the browser's names.
const (
	FaultOutage   Fault = "outage"
	Fault503      Fault = "503"
	FaultCapacity Fault = "capacity"
	FaultStale    Fault = "stale"
	FaultAdd      Fault = "add"
	FaultRemove   Fault = "remove"
)

// faultKeys maps the dashboard's keys (the browser's fault menu letters) to
// faults.
var faultKeys = map[string]Fault{
	"o": FaultOutage, "b": Fault503, "c": FaultCapacity, "s": FaultStale, "+": FaultAdd, "-": FaultRemove,
}

// LiveEvent is the event a fault injects at virtual time now, sized as the
// browser sizes it: from the scenario and, for the client counts and the
// capacity drop, the current snapshot (agg may be nil).
func LiveEvent(f Fault, sc *scenario.Scenario, agg *stats.AggregatedStats, now time.Duration) (scenario.Event, error) {
	sec := func(s int) scenario.Duration { return scenario.Duration(time.Duration(s) * time.Second) }
	active := sc.Clients.Count
	if agg != nil && agg.TotalClients > 0 {
		active = agg.TotalClients
	}
	var ev scenario.Event
	switch f {
	case FaultOutage:
		ev = scenario.Event{Kind: scenario.KindOutage, Duration: sec(15), Mode: scenario.ModeRefused,
			Caption: "Live: the origin refuses every connection for 15 s."}
	case Fault503:
		ev = scenario.Event{Kind: scenario.KindErrorBurst, Duration: sec(20), Status: 503, Rate: 0.5,
			Caption: "Live: half of the requests get 503 for 20 s."}
	case FaultCapacity:
		kbps := 0
		if len(sc.Stream.BitratesKbps) > 0 {
			kbps = sc.Stream.BitratesKbps[0]
		}
		demand := float64(active) * float64(kbps+sc.Stream.AudioKbps) / 1000 // Mbit/s
		mbps := math.Max(1, math.Round(demand*0.2))
		ev = scenario.Event{Kind: scenario.KindCapacity, Duration: sec(30), CapacityMbps: mbps,
			Caption: fmt.Sprintf("Live: origin egress drops to %.0f Mbps (20 %% of demand) for 30 s.", mbps)}
	case FaultStale:
		ev = scenario.Event{Kind: scenario.KindStalePlaylist, Duration: sec(10),
			Caption: "Live: the playlist goes stale for 10 s, then jumps."}
	case FaultAdd:
		n := max(1, sc.Clients.Count/10)
		ev = scenario.Event{Kind: scenario.KindAddClients, Clients: n, Caption: fmt.Sprintf("Live: %d viewers join.", n)}
	case FaultRemove:
		n := max(1, active/10)
		ev = scenario.Event{Kind: scenario.KindRemoveClients, Clients: n, Caption: fmt.Sprintf("Live: %d viewers leave.", n)}
	default:
		return ev, fmt.Errorf("unknown fault %q; allowed outage, 503, capacity, stale, add, remove", f)
	}
	ev.At = scenario.Duration(now)
	return ev, nil
}
