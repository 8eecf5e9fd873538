package slo

import (
	"math"
	"strings"
	"testing"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/stats"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		expr string
		want Set
	}{
		{"", nil},
		{"error_rate<0.01", Set{{"error_rate", Less, 0.01}}},
		{" error_rate < 0.01 , stalled_ratio<=0.02", Set{{"error_rate", Less, 0.01}, {"stalled_ratio", LessOrEqual, 0.02}}},
		{"avg_speed>=0.95", Set{{"avg_speed", GreaterOrEqual, 0.95}}},
		{"active_clients>100", Set{{"active_clients", Greater, 100}}},
		{"seg_p99<1.5e0", Set{{"seg_p99", Less, 1.5}}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := Parse(tc.expr)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		expr     string
		contains []string
	}{
		{"latency<1", []string{`"latency<1"`, `unknown metric "latency"`, "valid metrics:", "error_rate", "stalled_ratio", "seg_p99"}},
		{"error_rate", []string{`"error_rate"`, "no operator"}},
		{"error_rate=0.1", []string{"unsupported operator"}},
		{"error_rate!=0.1", []string{"unsupported operator"}},
		{"error_rate<abc", []string{`threshold "abc"`}},
		{"error_rate<NaN", []string{"not a finite number"}},
		{"<0.1", []string{"no metric name", "valid metrics"}},
		{"error_rate<0.1,", []string{"empty term"}},
		{"error_rate<0.1,,stalled_ratio<1", []string{"empty term"}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := Parse(tc.expr)
			require.Error(t, err)
			for _, s := range tc.contains {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestHolds(t *testing.T) {
	tests := []struct {
		op    Op
		value float64
		want  bool
	}{
		{Less, 0.5, true}, {Less, 1, false}, {Less, 2, false},
		{LessOrEqual, 1, true}, {LessOrEqual, 1.0001, false},
		{Greater, 1, false}, {Greater, 1.5, true},
		{GreaterOrEqual, 1, true}, {GreaterOrEqual, 0.99, false},
		{Less, math.NaN(), false}, {Greater, math.NaN(), false},
	}
	for _, tc := range tests {
		o := Objective{"avg_speed", tc.op, 1}
		assert.Equal(t, tc.want, o.Holds(tc.value), "%v %v", o, tc.value)
	}
}

func TestEvaluate(t *testing.T) {
	set, err := Parse("error_rate<0.01,stalled_ratio<0.02,avg_speed>=0.9")
	require.NoError(t, err)
	rs := set.Evaluate(Values{"error_rate": 0.005, "stalled_ratio": 0.03, "avg_speed": 0.9})
	require.Len(t, rs, 3)
	assert.True(t, rs[0].OK)
	assert.False(t, rs[1].OK)
	assert.Equal(t, 0.03, rs[1].Value)
	assert.True(t, rs[2].OK)
	assert.False(t, AllOK(rs))
	assert.Contains(t, rs[1].String(), "VIOLATED")
	assert.True(t, AllOK(rs[:1]))

	// A metric the run could not compute fails rather than passing silently.
	rs = set.Evaluate(Values{})
	assert.False(t, AllOK(rs))
}

func TestSetStringRoundTrip(t *testing.T) {
	set, err := Parse("error_rate<0.01, seg_p95<=2.5,avg_speed>0.9,active_clients>=10")
	require.NoError(t, err)
	again, err := Parse(set.String())
	require.NoError(t, err)
	assert.Equal(t, set, again)
}

func TestRatio(t *testing.T) {
	assert.Equal(t, 0.0, Ratio(3, 0))
	assert.Equal(t, 0.25, Ratio(1, 4))
}

func TestMetricNamesSortedAndUnique(t *testing.T) {
	names := MetricNames()
	require.Len(t, names, len(Metrics))
	for i := 1; i < len(names); i++ {
		assert.Less(t, names[i-1], names[i])
	}
}

func TestFromRun(t *testing.T) {
	final := &stats.AggregatedStats{
		ActiveClients:         200,
		StalledClients:        4,
		ClientsBelowRealtime:  10,
		ClientsWithHighDrift:  2,
		ErrorRate:             0.03,
		AverageSpeed:          0.95,
		SegmentLatencyP95:     1500 * time.Millisecond,
		SegmentLatencyP99:     2 * time.Second,
		MaxDrift:              7 * time.Second,
		ThroughputBytesPerSec: 53.2e6,
	}
	samples := []engine.Sample{
		{Clients: 200, NotStarted: 100, Stalled: 10, Buffering: 20, Backoff: 25, Playing: 45}, // 10/100 stalled, 30/100 buffering, 25/100 down
		{Clients: 200, Stopped: 40, Stalled: 4, Buffering: 12, Backoff: 8, Playing: 136},      // 4/160, 16/160, 8/160, 136/160 playing
	}
	v := FromRun(final, samples)
	assert.Equal(t, 0.02, v["stalled_ratio"])
	assert.Equal(t, 0.05, v["below_realtime_ratio"])
	assert.Equal(t, 0.01, v["high_drift_ratio"])
	assert.Equal(t, 0.1, v["peak_stalled_ratio"])
	assert.Equal(t, 0.1, v["buffering_ratio"])
	assert.InDelta(t, 0.3, v["peak_buffering_ratio"], 1e-12)
	assert.Equal(t, 0.85, v["playing_ratio"])
	assert.Equal(t, 0.25, v["peak_down_ratio"])
	assert.Equal(t, 1.5, v["seg_p95"])
	assert.Equal(t, 2.0, v["seg_p99"])
	assert.Equal(t, 7.0, v["max_drift"])
	assert.InDelta(t, 425.6, v["throughput_mbps"], 1e-9)
	for _, m := range Metrics {
		assert.Contains(t, v, m.Name, "every catalogue metric is computed")
	}
	assert.Empty(t, FromRun(nil, nil))

	// The peak is over the samples only (stalled / running clients): a final
	// snapshot with a higher stalled share (another definition) does not
	// raise it; without samples the snapshot is all there is.
	final.StalledClients = 100
	assert.Equal(t, 0.1, FromRun(final, samples)["peak_stalled_ratio"])
	assert.Equal(t, 0.5, FromRun(final, nil)["peak_stalled_ratio"])
}

// A swarm that is entirely down at the end has no active client: its shares
// of active clients are undefined and violate their objectives, where 0/0 = 0
// used to let "stalled_ratio<0.01" pass; playing_ratio shows the outage.
func TestRatiosOfASwarmThatIsDown(t *testing.T) {
	final := &stats.AggregatedStats{TotalClients: 100, ActiveClients: 0}
	samples := []engine.Sample{{Clients: 100, Backoff: 100}}
	v := FromRun(final, samples)
	for _, m := range []string{"stalled_ratio", "below_realtime_ratio", "high_drift_ratio"} {
		assert.True(t, math.IsNaN(v[m]), m)
	}
	assert.Equal(t, 0.0, v["playing_ratio"])
	assert.Equal(t, 1.0, v["peak_down_ratio"])
	set, err := Parse("stalled_ratio<0.01,playing_ratio>=0.99")
	require.NoError(t, err)
	rs := set.Evaluate(v)
	assert.False(t, AllOK(rs))
	assert.False(t, rs[0].OK)
	assert.Contains(t, rs[0].String(), "VIOLATED")
	assert.Contains(t, rs[0].String(), "n/a")
	assert.False(t, rs[1].OK)

	// a run whose viewers all left has nobody stalled
	left := FromRun(&stats.AggregatedStats{TotalClients: 0, RemovedClients: 20}, []engine.Sample{{Clients: 20, Stopped: 20}})
	assert.Equal(t, 0.0, left["stalled_ratio"])
	assert.True(t, set.Evaluate(left)[0].OK)
}

// A table column names its unit where the metric has one, so a latency of 2.2
// is not read as milliseconds; ratios and speeds have none.
func TestHeadingNamesTheUnit(t *testing.T) {
	for name, want := range map[string]string{
		"seg_p95":         "seg_p95 [s]",
		"manifest_p99":    "manifest_p99 [s]",
		"max_drift":       "max_drift [s]",
		"stalled_ratio":   "stalled_ratio",
		"avg_speed":       "avg_speed",
		"throughput_mbps": "throughput_mbps",
		"no_such_metric":  "no_such_metric",
	} {
		assert.Equal(t, want, Heading(name), name)
	}
	for _, m := range Metrics {
		if strings.Contains(m.Description, "in seconds") || strings.Contains(m.Description, "latency") {
			assert.Equal(t, "s", m.Unit, "%s is a time: its column must say so", m.Name)
		}
	}
}
