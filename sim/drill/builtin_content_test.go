package drill

import (
	"math"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
)

// The tests of this file check what built-in drills tell the trainee (the
// start they score, the follow-up's answer) against the series the
// dashboard charts, so that the text agrees with the screen.

// builtinRuns runs a built-in drill to its end, and the same run without
// its events.
func builtinRuns(t *testing.T, name string) (*Drill, Runs) {
	t.Helper()
	d, err := Builtin(name)
	require.NoError(t, err)
	_, runs, err := CheckRuns(d, d.Scenario.Duration.D())
	require.NoError(t, err)
	return d, runs
}

// stat is the mean, minimum and maximum of a metric over the samples with
// from < T <= to that have a value.
type stat struct{ mean, min, max float64 }

func over(t *testing.T, samples []engine.Sample, metric string, from, to time.Duration) stat {
	t.Helper()
	xs := window(samples, Evidence{Metric: metric, From: from, To: to})
	require.NotEmpty(t, xs, "%s in (%s, %s]", metric, from, to)
	s := stat{mean: mean(xs), min: math.Inf(1), max: math.Inf(-1)}
	for _, x := range xs {
		s.min, s.max = min(s.min, x), max(s.max, x)
	}
	return s
}

// followupAnswer is the text of a drill's follow-up answer.
func followupAnswer(t *testing.T, d *Drill) string {
	t.Helper()
	require.NotNil(t, d.Followup)
	return d.Followup.Choices[d.Followup.Answer-1]
}

// TestSlowBurnShowsAtItsStart checks that slow-burn's scored start is when
// the dashboard first shows trouble, and that segment latency (the
// follow-up's answer) moves first: in the 15 s after the start the median
// segment latency is at least 1.5 times the run's without the fault, while
// in the 40 s after it throughput stays within 10 % of the run's without the
// fault and no viewer stalls, falls below real time or gets an error.
func TestSlowBurnShowsAtItsStart(t *testing.T) {
	d, runs := builtinRuns(t, "slow-burn")
	start, ok := d.Start()
	require.True(t, ok)
	assert.Equal(t, 60*time.Second, start)
	assert.Equal(t, "Segment latency", followupAnswer(t, d))

	lat := over(t, runs.Faulted, "SegLatP50", start, start+15*time.Second)
	calm := over(t, runs.Baseline, "SegLatP50", start, start+15*time.Second)
	assert.GreaterOrEqual(t, lat.mean, 1.5*calm.mean, "latency in the 15 s after the start: %.3f s against %.3f s", lat.mean, calm.mean)

	before := over(t, runs.Faulted, "SegLatP50", start-15*time.Second, start)
	assert.Less(t, before.mean, 1.2*calm.mean, "nothing shows before the start")

	quiet := start + 40*time.Second
	thr := over(t, runs.Faulted, "ThroughputBps", start, quiet)
	calmThr := over(t, runs.Baseline, "ThroughputBps", start, quiet)
	assert.InEpsilon(t, calmThr.mean, thr.mean, 0.1, "throughput does not move yet")
	for _, m := range []string{"Stalled", "BelowRealtime"} {
		assert.Zero(t, over(t, runs.Faulted, m, start, quiet).max, "%s before %s", m, quiet)
	}
	assert.Zero(t, over(t, runs.Faulted, "ErrorRate", start, quiet).max, "errors before %s", quiet)
}

// TestReconnectStormEvidenceReadsRight checks that reconnect-storm's
// evidence covers both faults (the outage from 1:00, the capacity limit to
// 2:30) and reads as trouble in every second of them: each sample has a
// value (viewers in backoff have no speed reading, so a speed or a count of
// slow viewers would read as calm during the outage) and lies at least the
// margin below the mean of the run without the fault.
func TestReconnectStormEvidenceReadsRight(t *testing.T) {
	d, runs := builtinRuns(t, "reconnect-storm")
	ev := d.Evidence
	require.Len(t, d.Scenario.Events, 2)
	outage, limit := d.Scenario.Events[0], d.Scenario.Events[1]
	assert.Equal(t, outage.At.D(), ev.From, "the window opens with the outage")
	assert.Equal(t, limit.At.D()+limit.Duration.D(), ev.To, "and closes with the capacity limit")
	assert.Equal(t, DirectionDown, ev.Direction)

	calm := over(t, runs.Baseline, ev.Metric, ev.From, ev.To)
	n := 0
	for i := range runs.Faulted {
		s := &runs.Faulted[i]
		if s.T <= ev.From.Seconds() || s.T > ev.To.Seconds() {
			continue
		}
		n++
		v := MetricValue(s, ev.Metric)
		require.False(t, math.IsNaN(v), "%s has a value at %gs", ev.Metric, s.T)
		assert.LessOrEqual(t, v, calm.mean-ev.Margin, "%s at %gs", ev.Metric, s.T)
	}
	assert.Equal(t, int((ev.To-ev.From)/time.Second), n, "one sample a second")
}

// last is the run's last sample.
func last(t *testing.T, samples []engine.Sample) *engine.Sample {
	t.Helper()
	require.NotEmpty(t, samples)
	return &samples[len(samples)-1]
}

// at is the sample at T = sec.
func at(t *testing.T, samples []engine.Sample, sec float64) *engine.Sample {
	t.Helper()
	for i := range samples {
		if samples[i].T == sec {
			return &samples[i]
		}
	}
	require.Failf(t, "no sample", "at %gs", sec)
	return nil
}

// TestBuiltinFollowups checks each built-in follow-up's answer against the
// run, as the dashboard shows it.
func TestBuiltinFollowups(t *testing.T) {
	cases := map[string]func(t *testing.T, d *Drill, runs Runs, answer string){
		"capacity-knee": func(t *testing.T, _ *Drill, runs Runs, answer string) {
			assert.Equal(t, "All of them", answer)
			s := at(t, runs.Faulted, 150)
			assert.Equal(t, s.Clients, s.Stalled, "every viewer stalled at 2:30")
		},
		"latency-spike": func(t *testing.T, _ *Drill, runs Runs, answer string) {
			assert.Equal(t, "None", answer)
			assert.Zero(t, over(t, runs.Faulted, "Stalled", 0, 3*time.Minute).max, "no viewer stalls")
		},
		"stale-playlist": func(t *testing.T, _ *Drill, runs Runs, answer string) {
			assert.Equal(t, "None", answer)
			end := last(t, runs.Faulted)
			assert.Zero(t, end.HTTPErrors+end.Timeouts, "no request fails")
			assert.Zero(t, over(t, runs.Faulted, "ErrorRate", 0, 3*time.Minute).max)
		},
		"error-storm": func(t *testing.T, d *Drill, runs Runs, answer string) {
			assert.Equal(t, "HTTP 503 Service Unavailable", answer)
			require.Len(t, d.Scenario.Events, 1)
			assert.Equal(t, 503, d.Scenario.Events[0].Status)
			assert.Positive(t, last(t, runs.Faulted).HTTPErrors)
			assert.Zero(t, last(t, runs.Faulted).Timeouts, "no timeout")
			if cf := window(runs.Faulted, Evidence{Metric: "ConnectFailRate", To: 3 * time.Minute}); len(cf) > 0 {
				assert.Zero(t, slices.Max(cf), "no refused connection")
			}
		},
		// The swarm is back in real time about 1.5 minutes after the outage
		// began: the capacity limit that follows it lasts a minute.
		"reconnect-storm": func(t *testing.T, d *Drill, runs Runs, answer string) {
			assert.Equal(t, "About 1.5 minutes", answer)
			start, _ := d.Start()
			back := time.Duration(-1)
			for _, s := range runs.Faulted {
				sec := time.Duration(s.T) * time.Second
				calm := s.BelowRealtime == 0 && s.Stalled == 0 && s.Backoff == 0 && s.Playing == s.Clients
				switch {
				case sec <= start:
				case !calm:
					back = -1
				case back < 0:
					back = sec
				}
			}
			require.Positive(t, back, "the swarm recovers")
			assert.InDelta(t, 90, (back - start).Seconds(), 15, "back in real time at %s", back)
		},
	}
	// bandwidth-cohort's is read from the inspector (TestBandwidthCohortFollowup
	// checks that only that cohort falls below real time): at 2:20 the
	// largest drift of the answer's cohort is over 10 s, that of the
	// others' under 2 s.
	t.Run("bandwidth-cohort", func(t *testing.T) {
		d, err := Builtin("bandwidth-cohort")
		require.NoError(t, err)
		answer := followupAnswer(t, d)
		assert.Equal(t, "broadband", answer)
		e, err := engine.New(d.Scenario)
		require.NoError(t, err)
		e.RunUntil(140 * time.Second)
		drift := map[string]time.Duration{}
		for id := range e.ClientCount() {
			v, ok := e.Client(id)
			require.True(t, ok)
			drift[v.Cohort] = max(drift[v.Cohort], v.Drift)
		}
		require.Len(t, drift, len(d.Followup.Choices), "a choice for each cohort")
		for cohort, dr := range drift {
			if cohort == answer {
				assert.Greater(t, dr, 10*time.Second, cohort)
			} else {
				assert.Less(t, dr, 2*time.Second, cohort)
			}
		}
	})
	for name, check := range cases {
		t.Run(name, func(t *testing.T) {
			d, runs := builtinRuns(t, name)
			check(t, d, runs, followupAnswer(t, d))
		})
	}
}

// TestCapacityKneeStartsAtTheKnee checks that capacity-knee scores the
// start the throughput chart shows: within 5 s of the first second from
// which throughput stays within 3 % of the origin's capacity (100 Mbps,
// 12.5 MB/s) to the end of the run.
func TestCapacityKneeStartsAtTheKnee(t *testing.T) {
	d, runs := builtinRuns(t, "capacity-knee")
	start, ok := d.Start()
	require.True(t, ok)
	capBps := d.Scenario.Origin.CapacityMbps * 1e6 / 8
	flat := time.Duration(-1)
	for _, s := range runs.Faulted {
		switch {
		case s.ThroughputBps < 0.97*capBps:
			flat = -1
		case flat < 0:
			flat = time.Duration(s.T) * time.Second
		}
	}
	require.Positive(t, flat, "throughput reaches the capacity")
	assert.InDelta(t, flat.Seconds(), start.Seconds(), 5, "throughput flat from %s, start %s", flat, start)
}

// clockTime finds a moment of the run written in seconds ("at 80 s",
// "from 70 s"): the dashboard's clock and axes write m:ss, and so must the
// text a trainee reads beside them. Lengths ("for 40 s", "a 2 s segment")
// are fine.
var clockTime = regexp.MustCompile(`(?i)\b(at|from|until|by|to|after|before)( about)? \d+ ?s\b`)

// TestBuiltinTimesAsTheDashboard checks that the built-in drills write the
// moments of a run as the dashboard does, in every text a trainee reads at
// the reveal: the explanation, the description and the captions.
func TestBuiltinTimesAsTheDashboard(t *testing.T) {
	assert.True(t, clockTime.MatchString("From 80 s a part"), "the pattern finds a time in seconds")
	assert.False(t, clockTime.MatchString("From 1:20 a part, for 40 s"))
	for _, info := range Builtins() {
		d, err := Builtin(info.Name)
		require.NoError(t, err)
		texts := []string{d.Explanation, d.Scenario.Description}
		for _, e := range d.Scenario.Events {
			texts = append(texts, e.Caption)
		}
		for _, s := range texts {
			assert.Empty(t, clockTime.FindAllString(s, -1), "%s: %q", info.Name, s)
		}
	}
}
