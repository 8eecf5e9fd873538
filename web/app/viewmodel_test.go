package app

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func TestOverallHealth(t *testing.T) {
	counts := func(playing, backoff int) StateCounts {
		var c StateCounts
		c[clients.Playing], c[clients.Backoff] = playing, backoff
		return c
	}
	healthy := &stats.AggregatedStats{TotalClients: 100, ActiveClients: 100, ClientsAboveRealtime: 100, AverageSpeed: 1.0}
	name, h := OverallHealth(healthy, counts(100, 0))
	assert.Equal(t, "healthy", name)
	assert.Equal(t, HealthGood, h)

	// An outage with refused connections: no HTTP errors, everyone backs off.
	name, h = OverallHealth(&stats.AggregatedStats{TotalClients: 100} /* all exited: none active */, counts(0, 100))
	assert.Equal(t, "100 % reconnecting", name)
	assert.Equal(t, HealthBad, h)
	name, h = OverallHealth(healthy, counts(95, 5))
	assert.Equal(t, "5 % reconnecting", name)
	assert.Equal(t, HealthWarn, h)

	errs := *healthy
	errs.ErrorRate = 0.06
	name, h = OverallHealth(&errs, counts(100, 0))
	assert.Equal(t, "HTTP Unhealthy", name)
	assert.Equal(t, HealthBad, h)

	slow := *healthy
	slow.AverageSpeed = 0.85
	name, h = OverallHealth(&slow, counts(100, 0))
	assert.Equal(t, "degraded playback", name)
	assert.Equal(t, HealthBad, h)

	name, _ = OverallHealth(&stats.AggregatedStats{}, StateCounts{})
	assert.Equal(t, "idle", name)
}

func TestCountStates(t *testing.T) {
	c := CountStates([]uint8{uint8(clients.Playing), uint8(clients.Playing), uint8(clients.Stalled), 200})
	assert.Equal(t, 2, c[clients.Playing])
	assert.Equal(t, 1, c[clients.Stalled])
	total := 0
	for _, n := range c {
		total += n
	}
	assert.Equal(t, 3, total, "unknown codes are ignored")
}

func TestSummaryShowsAnOutage(t *testing.T) {
	// Every connection refused: no HTTP errors, so the real tool's error
	// rate reads 0 % and the HTTP layer Healthy, but the connects line is
	// red, and the rates are the current ones (0), not the run's averages.
	a := &stats.AggregatedStats{TotalClients: 1000, ActiveClients: 1000, ThroughputBytesPerSec: 70e6, SegmentReqRate: 135, ManifestReqRate: 143,
		TCPConnectCount: 9000, TCPConnectRefused: 3000}
	live := LiveFigures{Sample: &engine.Sample{T: 200, Backoff: 1000}, Interval: time.Second,
		Connects: ConnectWindow{Window: time.Minute, Attempts: 3000, Refused: 3000}}
	var got []string
	health := map[string]Health{}
	for _, s := range SummaryStats(a, live) {
		got = append(got, s.Label+"="+s.Value)
		health[s.Label] = s.Health
	}
	assert.Contains(t, got, "error rate=0 %")
	assert.Contains(t, got, "HTTP layer=Healthy")
	assert.Contains(t, got, "TCP failed (last 1:00)="+FormatPercent(1))
	assert.Equal(t, HealthBad, health["TCP failed (last 1:00)"])
	assert.Contains(t, got, "throughput (last 1 s)="+FormatRate(0, "B"))
	assert.Contains(t, got, "segments (last 1 s)="+FormatRate(0, ""))
	assert.Contains(t, got, "speed (instant)=–", "no client has a speed reading")
	assert.Contains(t, got, "speed (FFmpeg avg)=–")
	assert.Contains(t, got, "avg drift=–", "nor a drift reading: not 0 s")
	assert.Contains(t, got, "max drift=–")

	// Before the first sample and window: dashes, not zeros.
	got = got[:0]
	for _, s := range SummaryStats(a, LiveFigures{}) {
		got = append(got, s.Label+"="+s.Value)
	}
	assert.Contains(t, got, "throughput (last –)=–")
	assert.Contains(t, got, "TCP failed (last –)=–")
}

func TestConnectHealthAndWindow(t *testing.T) {
	cases := []struct {
		w    ConnectWindow
		want Health
	}{
		{ConnectWindow{Attempts: 500}, HealthGood},
		{ConnectWindow{Attempts: 500, Refused: 1}, HealthWarn},
		{ConnectWindow{Attempts: 500, Refused: 60, Timeouts: 39}, HealthWarn}, // 19.8 %
		{ConnectWindow{Attempts: 500, Refused: 60, Timeouts: 40}, HealthBad},  // 20 %
		{ConnectWindow{}, HealthGood},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, ConnectHealth(tc.w.FailedShare()), "%+v", tc.w)
	}
	assert.InDelta(t, 0.2, ConnectWindow{Attempts: 500, Refused: 60, Timeouts: 40}.FailedShare(), 1e-12)
	for d, want := range map[time.Duration]string{0: "–", time.Second: "1 s", 1500 * time.Millisecond: "2 s", 10 * time.Second: "10 s",
		time.Minute: "1:00", 132 * time.Second: "2:12"} {
		assert.Equal(t, want, FormatWindow(d))
	}
}

func TestSummaryAndErrorStats(t *testing.T) {
	a := &stats.AggregatedStats{TotalClients: 1000, ActiveClients: 1000, StalledClients: 20, ClientsAboveRealtime: 900, ClientsBelowRealtime: 100,
		AverageSpeed: 0.95, AverageFFmpegSpeed: 0.99, ErrorRate: 0.02, MaxDrift: 6 * time.Second, TotalTimeouts: 3, TCPConnectRefused: 7}
	a.TotalHTTPErrors = map[int]int64{503: 40, 404: 2, 0: 1} // 0: "other", outside 400..599
	a.HTTPErrorsTotal = 43
	byLabel := func(ss []Stat) map[string]Stat {
		m := map[string]Stat{}
		for _, s := range ss {
			m[s.Label] = s
		}
		return m
	}
	live := LiveFigures{Sample: &engine.Sample{ThroughputBps: 2.5e6, SegmentRate: 12, ManifestRate: 30}, Interval: time.Second,
		Connects: ConnectWindow{Window: 10 * time.Second, Attempts: 100, Refused: 7}}
	sum := byLabel(SummaryStats(a, live))
	assert.Equal(t, FormatRate(2.5e6, "B"), sum["throughput (last 1 s)"].Value, "the current rate, labelled as such")
	assert.Equal(t, FormatRate(12, ""), sum["segments (last 1 s)"].Value)
	assert.Equal(t, FormatRate(30, ""), sum["manifests (last 1 s)"].Value)
	assert.Equal(t, "7.00 %", sum["TCP failed (last 10 s)"].Value, "7 of 100 connects refused")
	assert.Equal(t, HealthWarn, sum["TCP failed (last 10 s)"].Health)
	assert.Len(t, SummaryStats(a, live), 16, "two columns of eight rows")
	assert.Equal(t, HealthBad, sum["stalled"].Health, "2 % stalled")
	assert.Equal(t, "0.95x", sum["speed (instant)"].Value)
	assert.Equal(t, HealthWarn, sum["speed (instant)"].Health)
	assert.Equal(t, "0.99x", sum["speed (FFmpeg avg)"].Value, "FFmpeg's running average, the real tool's speed, named apart")
	assert.Equal(t, HealthWarn, sum["speed (FFmpeg avg)"].Health)
	assert.Equal(t, "2.00 %", sum["error rate"].Value)
	assert.Equal(t, HealthBad, sum["error rate"].Health)
	assert.Equal(t, "Degraded", sum["HTTP layer"].Value)
	assert.Equal(t, HealthBad, sum["max drift"].Health)

	errs := ErrorStats(a)
	labels := []string{}
	for _, s := range errs {
		labels = append(labels, s.Label)
	}
	assert.Equal(t, []string{"HTTP errors", "timeouts", "reconnections", "refused connects", "connect timeouts",
		stats.HTTPErrorLabel(0), stats.HTTPErrorLabel(404), stats.HTTPErrorLabel(503)}, labels, "codes in ascending order, other first")
	assert.Equal(t, "43", errs[0].Value)
	assert.Equal(t, "40", errs[7].Value)
	assert.Equal(t, HealthGood, byLabel(errs)["reconnections"].Health)
}

func TestInspectorStatsAndHistory(t *testing.T) {
	v := engine.ClientView{ID: 7, State: clients.Stalled, Cohort: "mobile", BitrateKbps: 2000, BandwidthMbps: 3,
		Speed: 0.5, Drift: 8 * time.Second, Starts: 2,
		Stats:   stats.Summary{SegmentRequests: 10, HTTPErrors: map[int]int64{503: 4, 0: 1}},
		History: []engine.StateChange{{At: 1500 * time.Millisecond, State: clients.Playing}, {At: 61200 * time.Millisecond, State: clients.Stalled}}}
	m := map[string]Stat{}
	for _, s := range InspectorStats(v) {
		m[s.Label] = s
	}
	assert.Equal(t, "stalled", m["state"].Value)
	assert.Equal(t, HealthBad, m["speed (instant)"].Health)
	assert.Equal(t, HealthBad, m["drift"].Health)
	assert.Equal(t, stats.HTTPErrorLabel(0)+": 1, "+stats.HTTPErrorLabel(503)+": 4", m["HTTP errors"].Value)
	h := HistoryLines(v.History, 10)
	require.Len(t, h, 2)
	assert.Equal(t, Stat{Label: "1:01.2", Value: "stalled", Plain: true}, h[0], "newest first")
	assert.Equal(t, "0:01.5", h[1].Label)
	assert.Len(t, HistoryLines(v.History, 1), 1)
}

func TestSeriesChartsShowGapsWithoutReadings(t *testing.T) {
	// An outage: at t=3 no request completes (the engine sends NaN
	// latencies) and every client is in backoff (no speed reading); at t=4
	// readings are back; at t=5 a latency of 0 (a request that cost
	// nothing) is a value like any other.
	nan := math.NaN()
	samples := []engine.Sample{
		{T: 2, AboveRealtime: 8, BelowRealtime: 2, SegLatP50: 0.1, SegLatP95: 0.3, SegLatP99: 0.5, AvgDrift: 0.4, MaxDrift: 2},
		{T: 3, Backoff: 10, SegLatP50: nan, SegLatP95: nan, SegLatP99: nan, AvgDrift: nan, MaxDrift: nan},
		{T: 4, BelowRealtime: 1, Backoff: 9, SegLatP50: 0.2, SegLatP95: 0.2, SegLatP99: 0.2, AvgDrift: 0, MaxDrift: 0},
		{T: 5, BelowRealtime: 1, Backoff: 9, SegLatP50: 0, SegLatP95: 0, SegLatP99: 0.1},
	}
	sc := NewSeriesCharts()
	sc.Update(samples, nil, 5*time.Second)
	lat, drift := &sc.Charts[ChartLatency], &sc.Charts[ChartDrift]
	for j, want := range [][]float64{{0.1, 0.2, 0}, {0.3, 0.2, 0}, {0.5, 0.2, 0.1}} {
		v := lat.Lines[j].Values
		require.Len(t, v, 4)
		assert.Equal(t, want[0], v[0])
		assert.True(t, IsGap(v[1]), "%s: no samples is a gap", lat.Lines[j].Name)
		assert.Equal(t, want[1], v[2])
		assert.Equal(t, want[2], v[3], "%s: a latency of 0 is drawn as 0, not as a gap", lat.Lines[j].Name)
		assert.Equal(t, lat.Lines[j].Name+": no samples", lat.ValueText(j, 1))
	}
	for j, want := range []float64{0.4, 2} {
		v := drift.Lines[j].Values
		assert.Equal(t, want, v[0])
		assert.True(t, IsGap(v[1]), "%s drift without a speed reading", drift.Lines[j].Name)
		assert.Equal(t, 0.0, v[2], "one client with a reading: its drift 0 is a real 0")
	}
	assert.Equal(t, "average: no samples", drift.ValueText(0, 1))
}

func TestSeriesChartsAppendOnlyNewSamples(t *testing.T) {
	sc := NewSeriesCharts()
	samples := []engine.Sample{
		{T: 1, AboveRealtime: 10, SegmentRate: 5, ErrorRate: 0.01, SegLatP99: 0.2},
		{T: 2, AboveRealtime: 12, Backoff: 3, SegmentRate: 6, ConnectFailRate: 1,
			SegLatP50: math.NaN(), SegLatP95: math.NaN(), SegLatP99: math.NaN()},
	}
	marks := []engine.EventMark{{Start: 90 * time.Second, End: 150 * time.Second, Kind: scenario.KindOutage, Caption: "down"}}
	sc.Update(samples[:1], nil, time.Second)
	sc.Update(samples, marks, 2*time.Second)
	c := sc.Charts[ChartClients]
	assert.Equal(t, []float64{1, 2}, c.Times)
	assert.Equal(t, []float64{10, 12}, c.Lines[0].Values)
	assert.Equal(t, []float64{0, 3}, c.Lines[3].Values, "backoff line")
	assert.Equal(t, []float64{1, 0}, sc.Charts[ChartErrors].Lines[0].Values, "error rate in percent")
	assert.Equal(t, []float64{0, 100}, sc.Charts[ChartErrors].Lines[1].Values,
		"an interval whose every connect was refused: no HTTP error, 100 % failed connects")
	assert.Equal(t, []float64{5, 6}, sc.Charts[ChartRequests].Lines[0].Values)
	require.Len(t, sc.Charts[ChartLatency].Bands, 1)
	assert.Equal(t, Band{Start: 90, End: 150, Kind: "outage", Caption: "down", Color: ColRed}, sc.Charts[ChartLatency].Bands[0])

	// Sample 2 completed no segment and no client had a speed reading.
	assert.Equal(t, 0.2, sc.Charts[ChartLatency].Lines[2].Values[0])
	for j := range 3 {
		assert.True(t, IsGap(sc.Charts[ChartLatency].Lines[j].Values[1]), "latency line %d", j)
	}

	// A restarted run (fewer samples) starts over.
	sc.Update(samples[:1], nil, time.Second)
	assert.Equal(t, []float64{1}, sc.Charts[ChartDrift].Times)
	assert.Empty(t, sc.Charts[ChartDrift].Bands)
}

func TestStoryLinesShowTheEventsInFull(t *testing.T) {
	sc, err := scenario.Preset("origin-outage")
	require.NoError(t, err)
	e, err := engine.New(sc)
	require.NoError(t, err)
	bands := BandsFromMarks(nil, e.Events())
	require.Len(t, bands, 2)
	end := sc.Duration.D()

	lines := StoryLines(sc.Description, bands, 10*time.Second, end)
	assert.Equal(t, StoryLine{"story", sc.Description, ColText}, lines[0], "the story is the description, in full")
	assert.Equal(t, "no event: between events", lines[1].Text)
	assert.Equal(t, "at 3:00: "+sc.Events[0].Caption, lines[2].Text)

	lines = StoryLines(sc.Description, bands, 200*time.Second, end)
	assert.Equal(t, "3:00–4:00 "+sc.Events[0].Caption, lines[1].Text, "the caption under way, not cut")
	assert.Equal(t, ColRed, lines[1].Color, "in the event's colour")
	assert.Equal(t, "at 6:00: "+sc.Events[1].Caption, lines[2].Text)

	lines = StoryLines(sc.Description, bands, 7*time.Minute, end)
	assert.Equal(t, "no more events; the run ends at 8:00", lines[2].Text)

	// A live fault and a join (no duration: "now" for InstantEventShown).
	live := append(bands, Band{Start: 420, End: 435, Kind: "outage", Caption: "the origin refuses every connection for 15 s.", Live: true, Color: ColRed},
		Band{Start: 425, End: 425, Kind: "add_clients", Caption: "30 viewers join.", Color: ColGreen})
	lines = StoryLines(sc.Description, live, 430*time.Second, end)
	assert.Equal(t, "7:00–7:15 Live: the origin refuses every connection for 15 s.  •  7:05 30 viewers join.", lines[1].Text)
	lines = StoryLines("", nil, 0, end)
	assert.Equal(t, "a custom scenario (no description)", lines[0].Text)
	assert.Equal(t, "no event: the scenario has no events", lines[1].Text)
}
