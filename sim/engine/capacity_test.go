package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// capacityTolerance is what the origin may carry above its capacity in any
// sample interval: LevelTolerance (a level within 1 % of the one in effect is
// not re-broadcast, so shares may be up to 1 % above the fair share).
const capacityTolerance = LevelTolerance

// The origin never carries more than its capacity: in every 1 s sample the
// bytes delivered (ThroughputBps x 8 / 1e6 Mbit/s) stay within capacity x
// (1 + 1 %), including the first second when all viewers start at once and
// the synchronised bursts that follow every 2 s. 80 viewers of a 2000 + 128
// kbit/s stream want 80 x 2.128 = 170.24 Mbit/s; once the run is past its
// start the mean is within 5 % of the capacity when the origin is the
// bottleneck, and at least 95 % of the demand when it is not.
func TestOriginNeverAboveCapacity(t *testing.T) {
	const n = 80
	const demandMbps = n * (2000 + 128) / 1000.0 // 170.24
	type capEvent struct{ at, dur, mbps float64 }
	cases := []struct {
		ramp   float64 // viewers/s, 0 = all at t=0
		factor float64 // capacity / demand
		event  *capEvent
	}{
		{0, 0.5, nil}, {0, 0.9, nil}, {0, 1.5, nil},
		{20, 0.5, nil}, {20, 0.9, nil}, {20, 1.5, nil},
		{0, 0.9, &capEvent{20, 20, 0.4 * demandMbps}},
		{20, 1.5, &capEvent{20, 20, 0.6 * demandMbps}},
		{0, 1.5, &capEvent{20, 20, 2 * demandMbps}},
	}
	for _, c := range cases {
		capacity := c.factor * demandMbps
		name := fmt.Sprintf("ramp %v/s, capacity %.2gx demand", c.ramp, c.factor)
		if c.event != nil {
			name += fmt.Sprintf(", %.1f Mbit/s from %vs for %vs", c.event.mbps, c.event.at, c.event.dur)
		}
		t.Run(name, func(t *testing.T) {
			e := run(t, testScenario(n, 60*time.Second, func(s *scenario.Scenario) {
				s.Clients.RampRate = c.ramp
				s.Origin.CapacityMbps = capacity
				s.Stream.SegmentDuration = sec(2)
				s.Stream.BitratesKbps = []int{2000}
				s.Stream.AudioKbps = 128
				if c.event != nil {
					s.Events = []scenario.Event{{At: sec(c.event.at), Duration: sec(c.event.dur),
						Kind: scenario.KindCapacity, CapacityMbps: c.event.mbps}}
				}
			}))
			capAt := func(t float64) float64 { // capacity during the sample ending at t
				if c.event != nil && t > c.event.at && t <= c.event.at+c.event.dur {
					return c.event.mbps
				}
				return capacity
			}
			samples := e.Series().Samples
			require.Len(t, samples, 60)
			var sumMbps, sumWant float64
			for _, s := range samples {
				mbps := s.ThroughputBps * 8 / 1e6
				require.LessOrEqual(t, mbps, capAt(s.T)*(1+capacityTolerance), "Mbit/s in the second to %v s", s.T)
				if s.T > 10 { // every viewer has started (80 / 20 per s = 4 s) and filled its first segments
					sumMbps += mbps
					sumWant += min(capAt(s.T), demandMbps)
				}
			}
			if saturated := c.factor < 1 && (c.event == nil || c.event.mbps < demandMbps); saturated {
				// the origin is the bottleneck throughout: it carries its capacity
				assert.InEpsilon(t, sumWant, sumMbps, 0.05, "mean Mbit/s from 10 s to 60 s")
			} else {
				// the viewers get at least their stream rate (more while they
				// fill or refill their buffers)
				assert.GreaterOrEqual(t, sumMbps, 0.95*sumWant, "mean Mbit/s from 10 s to 60 s")
			}
		})
	}
}

// Every preset (cohorts, ramps, outages, storms, churn, bandwidth drops and
// capacity events), with its origin cut to a share of its nominal demand of
// clients x 2.128 Mbit/s, never carries more than its capacity in a sample:
// the capacity is checked against the largest capacity in effect during
// each sample's ticks.
func TestPresetsNeverExceedCapacity(t *testing.T) {
	factors := []float64{0.3, 0.8, 1.1}
	if raceEnabled { // about 20x slower: the smaller presets once
		factors = []float64{0.8}
	}
	for _, p := range scenario.Presets() {
		for _, f := range factors {
			t.Run(fmt.Sprintf("%s at %.1fx demand", p.Name, f), func(t *testing.T) {
				sc, err := scenario.Preset(p.Name)
				require.NoError(t, err)
				if raceEnabled && sc.Clients.Count > 300 {
					t.Skip("race detector: the presets of up to 300 clients only")
				}
				sc.Origin.CapacityMbps = f * float64(sc.Clients.Count) * 2.128
				e, err := New(sc)
				require.NoError(t, err)
				var worst float64
				defer func() { t.Logf("largest sample / capacity: %.4f", worst) }()
				var peak float64 // largest capacity (Mbit/s) in the current sample
				checked := 0
				for !e.Done() {
					e.Step()
					peak = max(peak, e.currentCapacity()*8/1e6)
					if s := e.Series().Samples; len(s) > checked {
						mbps := s[len(s)-1].ThroughputBps * 8 / 1e6
						require.LessOrEqual(t, mbps, peak*(1+capacityTolerance), "Mbit/s in the second to %v s", s[len(s)-1].T)
						worst = max(worst, mbps/peak)
						checked, peak = len(s), 0
					}
				}
				require.NotZero(t, checked)
			})
		}
	}
}

// An unlimited origin that gets a capacity only from an event (the engine
// starts tracking the viewers' OriginViews then): within the event the
// origin carries at most the capacity, and after it the swarm recovers.
func TestCapacityFromAnEventOnAnUnlimitedOrigin(t *testing.T) {
	const n = 80
	const demandMbps = n * (2000 + 128) / 1000.0
	for _, live := range []bool{false, true} {
		sc := testScenario(n, 60*time.Second, func(s *scenario.Scenario) {
			s.Origin.CapacityMbps = 0
			s.Stream.SegmentDuration = sec(2)
			s.Stream.BitratesKbps = []int{2000}
			s.Stream.AudioKbps = 128
		})
		ev := scenario.Event{At: sec(20), Duration: sec(20), Kind: scenario.KindCapacity, CapacityMbps: 0.5 * demandMbps}
		if !live {
			sc.Events = []scenario.Event{ev}
		}
		e, err := New(sc)
		require.NoError(t, err)
		e.RunUntil(20 * time.Second)
		if live {
			ev.At = 0
			require.NoError(t, e.Inject(ev))
		}
		e.Run()
		var during int
		for _, s := range e.Series().Samples {
			mbps := s.ThroughputBps * 8 / 1e6
			if s.T > 20 && s.T <= 40 {
				during++
				require.LessOrEqual(t, mbps, 0.5*demandMbps*(1+capacityTolerance), "live %v: Mbit/s in the second to %v s", live, s.T)
			}
		}
		require.Equal(t, 20, during)
		assert.Positive(t, sampleAt(t, e, 40).Stalled+sampleAt(t, e, 40).Buffering, "live %v: half the demand stalls viewers", live)
		assert.Zero(t, sampleAt(t, e, 60).Stalled, "live %v: recovered", live)
	}
}

// An origin starved far below its playlists' needs (80 viewers on 10 kbit/s:
// every transfer's share is some 15 B/s, a TCP packet in 95 s) answers no
// playlist within FFmpeg's 15 s read timeout: the viewers time out, exit and
// reconnect, and once the capacity is back they play again within seconds,
// instead of waiting out playlists that started at the starved rate (a
// 2 kB playlist at 1 B/s would take half an hour).
func TestStarvedOriginTimesOutAndRecovers(t *testing.T) {
	sc := testScenario(80, 150*time.Second, func(s *scenario.Scenario) {
		s.Origin.CapacityMbps = 0
		s.Stream.ManifestBytes = 2000
		s.Events = []scenario.Event{{At: sec(20), Duration: sec(60), Kind: scenario.KindCapacity, CapacityMbps: 0.01}}
	})
	e, err := New(sc)
	require.NoError(t, err)
	e.RunUntil(20 * time.Second)
	before := sampleAt(t, e, 20).Timeouts
	e.RunUntil(80 * time.Second)
	assert.Greater(t, sampleAt(t, e, 80).Timeouts, before, "playlists time out at a starved origin")
	e.Run()
	after := sampleAt(t, e, 150)
	assert.Equal(t, 80, after.Playing, "every viewer plays again after the capacity is back: %+v", after)
}
