package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// A healthy viewer skips the progress reports of the stretch its buffer
// covers (a shortcut: the report it skips would read exactly 1x). The
// shortcut must change no statistic: every run here gives the same
// snapshot with every report run. It hid two things: a stall
// shorter than a report interval when the next segment came after the
// buffer ran dry, and the progress lines of the skipped reports when the
// process exited.
func TestSkippedReportsChangeNothing(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*scenario.Scenario)
	}{
		{"fmp4, errors, no retries", func(s *scenario.Scenario) {
			s.Stream.Container = scenario.ContainerFMP4
			s.Origin.ErrorRate = 0.3
			s.Clients.SegmentRetries = 0
		}},
		{"errors, one retry", func(s *scenario.Scenario) {
			s.Origin.ErrorRate = 0.5
			s.Clients.SegmentRetries = 1
		}},
		{"bandwidth drop", func(s *scenario.Scenario) {
			s.Events = []scenario.Event{{At: sec(20), Duration: sec(30), Kind: scenario.KindBandwidthDrop, Share: 0.5, BandwidthMbps: 2.2}}
		}},
		{"saturated origin", func(s *scenario.Scenario) { s.Origin.CapacityMbps = 150 }},
		{"stale playlist and an outage", func(s *scenario.Scenario) {
			s.Events = []scenario.Event{
				{At: sec(15), Duration: sec(10), Kind: scenario.KindStalePlaylist},
				{At: sec(40), Duration: sec(8), Kind: scenario.KindOutage, Mode: scenario.ModeTimeout},
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := testScenario(200, 90*time.Second, c.mod)
			skipping, err := New(sc)
			require.NoError(t, err)
			every, err := New(sc)
			require.NoError(t, err)
			every.env.EveryReport = true
			skipping.Run()
			every.Run()
			a, b := skipping.Aggregate(), every.Aggregate()
			a.PerClientSummaries, b.PerClientSummaries = nil, nil
			require.Equal(t, b, a)
			// (the series may differ in when a few segments count: a viewer
			// stops running ahead of the tick at its next report)
		})
	}
}
