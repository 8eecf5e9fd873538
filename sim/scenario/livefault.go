package scenario

import (
	"fmt"
	"math"
	"time"
)

// LiveFault names a fault that a dashboard injects into a running swarm: the
// browser's fault menu and the terminal dashboard's keys offer the same ones,
// sized the same way by LiveEvent.
type LiveFault string

// The live faults, in menu order.
const (
	LiveOutage   LiveFault = "outage"   // the origin refuses every connection for 15 s
	Live503      LiveFault = "503"      // half of the requests get 503 for 20 s
	LiveCapacity LiveFault = "capacity" // the origin's egress drops to 20 % of the demand for 30 s
	LiveStale    LiveFault = "stale"    // the playlist goes stale for 10 s, then jumps
	LiveAdd      LiveFault = "add"      // a tenth of the scenario's viewers join
	LiveRemove   LiveFault = "remove"   // a tenth of the viewers running leave
)

// LiveFaults lists the live faults in menu order.
func LiveFaults() []LiveFault {
	return []LiveFault{LiveOutage, Live503, LiveCapacity, LiveStale, LiveAdd, LiveRemove}
}

// LiveEvent is the event that injecting f at virtual time now adds to a run
// of s in which active clients exist (0 or less: the scenario's count). The
// capacity drop is 20 % of what the active clients demand at the first
// rendition's bit rate plus audio; the viewers who leave are a tenth of the
// active ones, those who join a tenth of the scenario's count.
func (s *Scenario) LiveEvent(f LiveFault, active int, now time.Duration) (Event, error) {
	sec := func(n int) Duration { return Duration(time.Duration(n) * time.Second) }
	if active <= 0 {
		active = s.Clients.Count
	}
	var ev Event
	switch f {
	case LiveOutage:
		ev = Event{Kind: KindOutage, Duration: sec(15), Mode: ModeRefused,
			Caption: "Live: the origin refuses every connection for 15 s."}
	case Live503:
		ev = Event{Kind: KindErrorBurst, Duration: sec(20), Status: 503, Rate: 0.5,
			Caption: "Live: half of the requests get 503 for 20 s."}
	case LiveCapacity:
		kbps := 0
		if len(s.Stream.BitratesKbps) > 0 {
			kbps = s.Stream.BitratesKbps[0]
		}
		demand := float64(active*(kbps+s.Stream.AudioKbps)) / 1000 // Mbit/s
		mbps := math.Max(1, math.Round(demand*0.2))
		ev = Event{Kind: KindCapacity, Duration: sec(30), CapacityMbps: mbps,
			Caption: fmt.Sprintf("Live: origin egress drops to %.0f Mbps (20 %% of demand) for 30 s.", mbps)}
	case LiveStale:
		ev = Event{Kind: KindStalePlaylist, Duration: sec(10),
			Caption: "Live: the playlist goes stale for 10 s, then jumps."}
	case LiveAdd:
		n := max(1, s.Clients.Count/10)
		ev = Event{Kind: KindAddClients, Clients: n, Caption: fmt.Sprintf("Live: %d viewers join.", n)}
	case LiveRemove:
		n := max(1, active/10)
		ev = Event{Kind: KindRemoveClients, Clients: n, Caption: fmt.Sprintf("Live: %d viewers leave.", n)}
	default:
		return Event{}, fmt.Errorf("unknown fault %q; allowed outage, 503, capacity, stale, add, remove", string(f))
	}
	ev.At = Duration(now)
	return ev, nil
}
