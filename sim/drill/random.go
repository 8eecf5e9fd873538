package drill

import (
	"fmt"
	"math/rand/v2"
	"time"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// RandomKinds are the faults Random draws from, each as likely; "control"
// is a drill where nothing is wrong.
var RandomKinds = []string{
	string(scenario.KindOutage), string(scenario.KindErrorBurst), string(scenario.KindCapacity),
	string(scenario.KindLatencySpike), string(scenario.KindStalePlaylist), string(scenario.KindBandwidthDrop),
	string(scenario.KindChurn), "control",
}

// causes is the choice text of each kind: the right answer of its drills and
// a distractor in the others.
var causes = map[string]string{
	string(scenario.KindOutage):        "The origin is down: every connection is refused",
	string(scenario.KindErrorBurst):    "The origin answers part of the requests with an HTTP error",
	string(scenario.KindCapacity):      "The origin's egress capacity dropped below what the viewers need",
	string(scenario.KindLatencySpike):  "The origin is slow: every request waits longer",
	string(scenario.KindStalePlaylist): "The playlist stopped advancing: no new segments appear",
	string(scenario.KindBandwidthDrop): "Some viewers lost downstream bandwidth",
	string(scenario.KindChurn):         "Viewers are joining and leaving at a high rate",
	"control":                          "Nothing is wrong: the swarm is healthy",
}

// RandomDuration is the length of every random drill's run, whatever is
// drawn: the latest start (110 s) plus the longest fault (churn, 90 s) plus
// 40 s for the recovery to show. A run whose length followed the fault's end
// would tell the trainee that something is wrong before the charts do.
const RandomDuration = 4 * time.Minute

// RandomDifficulty is every random drill's difficulty. A grade that followed
// the drawn kind (an outage easier than a bandwidth drop) would name the cause
// before the trainee looks, and the drawn magnitudes are not calibrated into
// a grade of their own, so every random drill is rated in the middle.
const RandomDifficulty = 3

// randomStream is the tag that sets Random's generator apart from the
// engine's (which also derive from the seed).
const randomStream = 0x6472696c6c // "drill"

// Random draws a drill from a generator seeded with seed: the fault's kind
// (one of RandomKinds), its start, length and magnitude, the swarm's size,
// and three distractor choices in a random order. The same seed gives the
// same drill everywhere (natively and in wasm), so a class given one seed
// plays one unseen drill; the scenario's seed is the drill's. Every drawn
// drill is answerable (its magnitudes are drawn from ranges whose evidence
// clears the margin; the tests check many seeds).
func Random(seed uint64) (*Drill, error) {
	rng := rand.New(rand.NewPCG(seed, randomStream))
	kind := RandomKinds[rng.IntN(len(RandomKinds))]
	n := 40 + 10*rng.IntN(4)                             // 40..70 viewers
	at := time.Duration(50+5*rng.IntN(13)) * time.Second // 50s..110s
	demandMbps := float64(n) * float64(2000+128) / 1000  // every viewer's 2.128 Mbps
	half := float64(n) / 2                               // segment requests per second, 2 s segments

	s := scenario.Defaults()
	s.Name = fmt.Sprintf("random-%d", seed)
	s.Seed = seed
	s.Duration = scenario.Duration(RandomDuration)
	s.Clients.Count = n
	s.Clients.RampRate = 20

	d := &Drill{Scenario: &s, Question: "What is happening to this swarm?", Difficulty: RandomDifficulty}
	ev := scenario.Event{At: scenario.Duration(at), Kind: scenario.EventKind(kind)}
	secs := func(lo, steps int) time.Duration { return time.Duration(lo+5*rng.IntN(steps)) * time.Second }
	switch kind {
	case string(scenario.KindOutage):
		ev.Duration = scenario.Duration(secs(30, 5)) // 30..50s
		d.Evidence = Evidence{Metric: "SegmentRate", From: at, To: at + ev.Duration.D(), Margin: half / 2, Direction: DirectionDown}
		d.Explanation = fmt.Sprintf("At %s segment requests and throughput fall to nothing at once and the viewers back off and reconnect: the origin refuses every connection, so no request even gets an HTTP answer. It returns %g s later, at %s.",
			stats.FormatClock(at), ev.Duration.Seconds(), stats.FormatClock(at+ev.Duration.D()))
	case string(scenario.KindErrorBurst):
		ev.Duration = scenario.Duration(secs(40, 5))
		ev.Rate = float64(20+5*rng.IntN(7)) / 100 // 0.2..0.5
		d.Evidence = Evidence{Metric: "ErrorRate", From: at, To: at + ev.Duration.D(), Margin: ev.Rate / 2, Direction: DirectionUp}
		d.Explanation = fmt.Sprintf("From %s the error rate sits near %.2f while the other requests succeed: the origin answers that share with HTTP 503. Retries fetch the segments, so throughput barely moves; an outage would fail every request.",
			stats.FormatClock(at), ev.Rate)
	case string(scenario.KindCapacity):
		ev.Duration = scenario.Duration(secs(60, 5))
		factor := float64(50+5*rng.IntN(6)) / 100 // 0.5..0.75 of the demand
		ev.CapacityMbps = float64(int(demandMbps * factor))
		d.Evidence = Evidence{Metric: "AvgInstantSpeed", From: at + 20*time.Second, To: at + ev.Duration.D(), Margin: 0.1, Direction: DirectionDown}
		d.Explanation = fmt.Sprintf("From %s throughput flattens at %g Mbps, below the %.0f Mbps the %d viewers need, with no errors: every viewer gets less than real time, speed falls under 1x and stalls spread.",
			stats.FormatClock(at), ev.CapacityMbps, demandMbps, n)
	case string(scenario.KindLatencySpike):
		ev.Duration = scenario.Duration(secs(40, 5))
		ev.Latency = scenario.Duration(time.Duration(500+100*rng.IntN(6)) * time.Millisecond) // 500ms..1s
		d.Evidence = Evidence{Metric: "SegLatP50", From: at, To: at + ev.Duration.D(), Margin: ev.Latency.Seconds() / 2, Direction: DirectionUp}
		d.Explanation = fmt.Sprintf("From %s the latency percentiles of segments and playlists rise together by about %d ms, with no errors and no loss of throughput: the origin is slow, not failing and not full.",
			stats.FormatClock(at), ev.Latency.D().Milliseconds())
	case string(scenario.KindStalePlaylist):
		ev.Duration = scenario.Duration(secs(15, 3)) // 15..25s
		d.Evidence = Evidence{Metric: "SegmentRate", From: at + 2*time.Second, To: at + ev.Duration.D(), Margin: half / 2, Direction: DirectionDown}
		d.Explanation = fmt.Sprintf("At %s segment requests stop while playlist requests go on and nothing fails: the viewers reload a playlist that lists no new segment. Buffers drain and viewers stall without a single error until the playlist moves again.",
			stats.FormatClock(at))
	case string(scenario.KindBandwidthDrop):
		ev.Duration = scenario.Duration(secs(60, 5))
		ev.Share = float64(3+rng.IntN(4)) / 10           // 0.3..0.6
		ev.BandwidthMbps = float64(8+2*rng.IntN(5)) / 10 // 0.8..1.6 Mbps, under 2.128
		d.Evidence = Evidence{Metric: "BelowRealtime", From: at + 20*time.Second, To: at + ev.Duration.D(), Margin: ev.Share * float64(n) / 4, Direction: DirectionUp}
		d.Explanation = fmt.Sprintf("From %s about %.0f%% of the viewers play below real time and stall while the rest play on, with no errors and the origin far from its capacity: those viewers' links fell to %g Mbps, under the 2.128 Mbps the stream needs.",
			stats.FormatClock(at), 100*ev.Share, ev.BandwidthMbps)
	case string(scenario.KindChurn):
		ev.Duration = scenario.Duration(secs(60, 7))
		rate := float64(2 + rng.IntN(3)) // 2..4 per second
		ev.JoinRate, ev.LeaveRate = rate, rate
		d.Evidence = Evidence{Metric: "Stopped", From: at + 30*time.Second, To: at + ev.Duration.D(), Margin: 10 * rate, Direction: DirectionUp}
		d.Explanation = fmt.Sprintf("From %s about %g viewers join and %g leave every second: there are always viewers starting, the stopped count climbs, and nothing fails. The origin has headroom, so those who stay play normally.",
			stats.FormatClock(at), rate, rate)
	default: // control
		d.Evidence = Evidence{Metric: "SegLatP50", From: 30 * time.Second, To: RandomDuration, Margin: 0.05, Direction: DirectionEither}
		d.Explanation = "Latencies wobble by a few milliseconds, but nothing fails, throughput matches the viewers' demand, speed stays at 1x and no one stalls. Noise is not a fault."
	}
	if kind != "control" {
		ev.ApplyDefaults()
		ev.Caption = scenario.DefaultCaption(ev)
		s.Events = []scenario.Event{ev}
		s.Description = ev.Caption
	} else {
		s.Description = "Nothing is wrong: a healthy swarm."
	}
	// The right cause and three distractors, in a random order.
	others := make([]string, 0, len(RandomKinds)-1)
	for _, k := range RandomKinds {
		if k != kind {
			others = append(others, k)
		}
	}
	rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	picked := append([]string{kind}, others[:3]...)
	rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	for i, k := range picked {
		d.Choices = append(d.Choices, causes[k])
		if k == kind {
			d.Answer = i + 1
		}
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("random drill %d: %w", seed, err)
	}
	return d, nil
}
