package scenario

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Outage modes (Event.Mode for KindOutage).
const (
	ModeRefused = "refused" // connections are refused (default)
	ModeTimeout = "timeout" // requests hang until the client's timeout
	ModeStatus  = "status"  // every request is answered with Event.Status
)

// Containers (Stream.Container).
const (
	ContainerTS   = "ts"
	ContainerFMP4 = "fmp4"
)

// DefaultStatus is the HTTP status of error bursts, status outages and
// background errors when none is given.
const DefaultStatus = 503

// DefaultCohortName is the name of the single cohort of Defaults().
const DefaultCohortName = "broadband"

// Defaults returns the scenario every file starts from: 50 clients starting at
// 5 per second, a 2 s TS stream at 2000 kbps video + 128 kbps audio, a
// 10000 Mbps origin, 10 minutes, no events. It is valid.
func Defaults() Scenario {
	reconnect := true
	return Scenario{
		Name:     "scenario",
		Seed:     1,
		Duration: Duration(10 * time.Minute),
		Stream: Stream{
			SegmentDuration: Duration(2 * time.Second),
			BitratesKbps:    []int{2000},
			AudioKbps:       128,
			Container:       ContainerTS,
			PlaylistSize:    10,
			ManifestBytes:   374,
			SizeSpread:      0.02,
		},
		Clients: Clients{
			Count:          50,
			RampRate:       5,
			RampJitter:     Duration(200 * time.Millisecond),
			Reconnect:      &reconnect,
			Timeout:        Duration(15 * time.Second),
			SegmentRetries: 3,
			Backoff: Backoff{
				Initial:    Duration(250 * time.Millisecond),
				Multiplier: 1.7,
				Max:        Duration(5 * time.Second),
				Jitter:     0.2,
				ResetAfter: Duration(30 * time.Second),
			},
			Variant:     VariantAll,
			StatsBuffer: DefaultStatsBuffer,
			Cohorts:     []Cohort{defaultCohort(DefaultCohortName, 1)},
		},
		Origin: Origin{
			CapacityMbps: 10000,
			Latency:      Duration(time.Millisecond),
			ErrorStatus:  DefaultStatus,
		},
	}
}

// defaultCohort is a cohort with the default network profile.
func defaultCohort(name string, share float64) Cohort {
	return Cohort{
		Name:          name,
		Share:         share,
		BandwidthMbps: Range{Min: 50, Max: 100},
		RTT:           Duration(20 * time.Millisecond),
	}
}

// EventKinds lists every event kind in a stable order.
func EventKinds() []EventKind {
	return []EventKind{KindOutage, KindErrorBurst, KindCapacity, KindLatencySpike,
		KindStalePlaylist, KindBandwidthDrop, KindChurn, KindAddClients, KindRemoveClients}
}

// Valid reports whether k is a known event kind.
func (k EventKind) Valid() bool {
	_, ok := kindSpecs[k]
	return ok
}

// Instant reports whether events of this kind may have Duration 0.
func (k EventKind) Instant() bool { return k == KindAddClients || k == KindRemoveClients }

// ApplyDefaults fills the kind-specific defaults of an event: Mode "refused"
// for an outage, Status 503 for an error burst or a status outage, and a
// caption from DefaultCaption when Caption is empty. It leaves fields of
// other kinds alone.
func (e *Event) ApplyDefaults() {
	switch e.Kind {
	case KindOutage:
		if e.Mode == "" {
			e.Mode = ModeRefused
		}
		if e.Mode == ModeStatus && e.Status == 0 {
			e.Status = DefaultStatus
		}
	case KindErrorBurst:
		if e.Status == 0 {
			e.Status = DefaultStatus
		}
	}
	if e.Caption == "" {
		e.Caption = DefaultCaption(*e)
	}
}

// DefaultCaption is the training sentence shown for an event without a
// caption, made from its fields, e.g. "20% of requests fail with HTTP 503
// for 1m".
func DefaultCaption(e Event) string {
	window := ""
	if e.Duration > 0 {
		window = " for " + e.Duration.String()
	}
	switch e.Kind {
	case KindOutage:
		switch e.Mode {
		case ModeTimeout:
			return "Origin stops answering: requests time out" + window
		case ModeStatus:
			return fmt.Sprintf("Origin answers every request with HTTP %d%s", statusOr503(e.Status), window)
		default:
			return "Origin unreachable: connections refused" + window
		}
	case KindErrorBurst:
		return fmt.Sprintf("%s of requests fail with HTTP %d%s", percent(e.Rate), statusOr503(e.Status), window)
	case KindCapacity:
		return fmt.Sprintf("Origin egress limited to %s Mbps%s", num(e.CapacityMbps), window)
	case KindLatencySpike:
		return fmt.Sprintf("Origin adds %s latency to every request%s", e.Latency, window)
	case KindStalePlaylist:
		jump := "the missed segments"
		if e.Jump > 0 {
			jump = strconv.Itoa(e.Jump) + " segments"
		}
		return fmt.Sprintf("Playlist stops updating%s, then jumps %s", window, jump)
	case KindBandwidthDrop:
		return fmt.Sprintf("%s of clients drop to %s Mbps downlink%s", percent(e.Share), num(e.BandwidthMbps), window)
	case KindChurn:
		return fmt.Sprintf("Churn: %s clients/s join and %s clients/s leave%s", num(e.JoinRate), num(e.LeaveRate), window)
	case KindAddClients:
		if e.Duration > 0 {
			return fmt.Sprintf("%d viewers join over %s", e.Clients, e.Duration)
		}
		return fmt.Sprintf("%d viewers join at once", e.Clients)
	case KindRemoveClients:
		if e.Duration > 0 {
			return fmt.Sprintf("%d viewers leave over %s", e.Clients, e.Duration)
		}
		return fmt.Sprintf("%d viewers leave at once", e.Clients)
	}
	return string(e.Kind) + window
}

func statusOr503(s int) int {
	if s == 0 {
		return DefaultStatus
	}
	return s
}

// num formats a float without needless digits.
func num(f float64) string {
	if a := math.Abs(f); a >= 1e15 || (a != 0 && a < 1e-6) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// percent formats a share 0..1 as a percentage.
func percent(f float64) string { return strconv.FormatFloat(f*100, 'g', 4, 64) + "%" }
