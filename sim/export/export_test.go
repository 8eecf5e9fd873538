package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func testRun(t *testing.T) *Run {
	t.Helper()
	sc := scenario.Defaults()
	sc.Name = "unit"
	sc.Seed = 42
	sc.Events = []scenario.Event{{At: scenario.Duration(10 * time.Second), Duration: scenario.Duration(5 * time.Second),
		Kind: scenario.KindOutage, Mode: scenario.ModeRefused, Caption: "Origin unreachable"}}
	final := &stats.AggregatedStats{
		Timestamp:            stats.VirtualEpoch.Add(time.Minute),
		Elapsed:              time.Minute,
		TotalClients:         50,
		ActiveClients:        50,
		StalledClients:       2,
		ClientsAboveRealtime: 48,
		ClientsBelowRealtime: 2,
		TotalLinesRead:       3000,
		TotalManifestReqs:    1500,
		TotalSegmentReqs:     1500,
		TotalBytes:           1500 * 532000,
		ErrorRate:            0.0125,
		AverageSpeed:         0.99,
		AverageDrift:         1250 * time.Millisecond,
		ClientsWithDrift:     50,
		SegmentLatencyP99:    87 * time.Millisecond,
		SegmentLatencyCount:  2,
	}
	final.TotalHTTPErrors = map[int]int64{503: 30, 0: 7}
	final.SegmentLatencyHist.Record(80 * time.Millisecond)
	final.SegmentLatencyHist.Record(90 * time.Millisecond)
	series := &engine.Series{Interval: time.Second}
	for i := 1; i <= 3; i++ {
		series.Samples = append(series.Samples, engine.Sample{T: float64(i), Clients: 5 * i, Playing: 5 * i,
			AboveRealtime: 5 * i, SegmentRate: 2.5 * float64(i), SegLatP99: 0.087, AvgInstantSpeed: 1})
	}
	events := []engine.EventMark{{Start: 10 * time.Second, End: 15 * time.Second, Kind: scenario.KindOutage,
		Caption: "Origin unreachable", Event: sc.Events[0]}}
	run := New(&sc, final, series, events)
	run.ExitCodes = map[int]int{1: 12, 255: 3}
	return run
}

func TestJSONRoundTrip(t *testing.T) {
	run := testRun(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, run))

	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, run.Scenario, back.Scenario)
	assert.Equal(t, uint64(42), back.Seed)
	assert.Equal(t, time.Second, back.Interval)
	assert.Equal(t, run.Series, back.Series)
	assert.Equal(t, run.Events, back.Events)
	assert.Equal(t, run.ExitCodes, back.ExitCodes)
	assert.Contains(t, buf.String(), `"exit_codes":{"1":12,"255":3}`)

	// Histograms round-trip by content; compare them apart from the rest.
	assert.Equal(t, run.Final.SegmentLatencyHist.Count(), back.Final.SegmentLatencyHist.Count())
	assert.Equal(t, run.Final.SegmentLatencyHist.Quantile(0.99), back.Final.SegmentLatencyHist.Quantile(0.99))
	wantFinal, gotFinal := *run.Final, *back.Final
	wantFinal.SegmentLatencyHist, gotFinal.SegmentLatencyHist = stats.HistogramSnapshot{}, stats.HistogramSnapshot{}
	assert.Equal(t, wantFinal.Timestamp.UnixNano(), gotFinal.Timestamp.UnixNano())
	wantFinal.Timestamp, gotFinal.Timestamp = time.Time{}, time.Time{}
	assert.Equal(t, wantFinal, gotFinal)

	// Writing what was read gives the same bytes.
	var again bytes.Buffer
	require.NoError(t, WriteJSON(&again, back))
	assert.Equal(t, buf.String(), again.String())
}

func TestJSONLayout(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, testRun(t)))
	var doc struct {
		Format   string
		Scenario map[string]any
		Seed     uint64
		Interval float64
		Final    map[string]any
		Series   []map[string]any
		Events   []map[string]any
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, Format, doc.Format)
	assert.Equal(t, "unit", doc.Scenario["name"])
	assert.Equal(t, "10m", doc.Scenario["duration"]) // the scenario keeps its own file format
	assert.Equal(t, uint64(42), doc.Seed)
	assert.Equal(t, 1.0, doc.Interval)
	assert.Equal(t, 50.0, doc.Final["TotalClients"])
	assert.Equal(t, 1500.0, doc.Final["TotalSegmentReqs"])
	assert.Equal(t, 1500.0*532000, doc.Final["TotalBytes"])
	assert.Equal(t, 0.0125, doc.Final["ErrorRate"])
	assert.Equal(t, 2.0, doc.Final["StalledClients"])
	assert.Equal(t, 0.99, doc.Final["AverageSpeed"])
	assert.Equal(t, 1.25, doc.Final["AverageDrift"], "durations are seconds")
	assert.Equal(t, 60.0, doc.Final["Elapsed"])
	assert.Equal(t, 0.087, doc.Final["SegmentLatencyP99"])
	assert.Equal(t, map[string]any{"503": 30.0, "other": 7.0}, doc.Final["TotalHTTPErrors"])
	require.Len(t, doc.Series, 3)
	assert.Equal(t, 7.5, doc.Series[2]["SegmentRate"])
	require.Len(t, doc.Events, 1)
	assert.Equal(t, 10.0, doc.Events[0]["Start"])
	assert.Equal(t, 15.0, doc.Events[0]["End"])
	assert.Equal(t, "outage", doc.Events[0]["Kind"])
}

func TestCSV(t *testing.T) {
	run := testRun(t)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, run))
	rows, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(run.Series), "a header and one row per sample")
	header := rows[0]
	assert.Equal(t, CSVHeader(), header)
	assert.Equal(t, "T", header[0])
	assert.Contains(t, header, "Clients")
	assert.Contains(t, header, "SegmentRate")
	// the series' speed is the instantaneous one, named so; FFmpeg's running
	// average is final.AverageFFmpegSpeed
	assert.Contains(t, header, "AvgInstantSpeed")
	assert.NotContains(t, header, "AvgSpeed")
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	assert.Equal(t, "3", rows[3][col["T"]])
	assert.Equal(t, "15", rows[3][col["Clients"]])
	assert.Equal(t, "7.5", rows[3][col["SegmentRate"]])
	assert.Equal(t, "0.087", rows[1][col["SegLatP99"]])
	for _, r := range rows {
		assert.Len(t, r, len(header))
	}
}

func TestCSVEmptySeries(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, &Run{}))
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"))
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct{ doc, contains string }{
		{`[1,2]`, "not a swarmsim run"},
		{`{"scenario":{}}`, `"final" is missing`},
		{`{"format":"other/v9","scenario":{},"final":{}}`, "format"},
		{`{"scenario":{},"final":{"AverageDrift":"slow"}}`, "final: AverageDrift: want seconds"},
		{`{"scenario":{},"final":{"TotalHTTPErrors":{"999":1}}}`, "final: TotalHTTPErrors"},
		{`{"scenario":{},"final":{},"series":[{"T":1},{"Clients":"x"}]}`, "series[1]: Clients"},
		{`{"scenario":{"duration":"forever"},"final":{}}`, "scenario"},
		{`{"scenario":{},"final":{},"seed":-1}`, "seed"},
		{`{"scenario":{},"final":{},"exit_codes":[1]}`, "exit_codes"},
	}
	for _, tc := range tests {
		t.Run(tc.contains, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.contains)
		})
	}
}

// A snapshot's aggregate reads like a run's "final": the same keys, durations in seconds.
func TestStatsMarshalsAsFinal(t *testing.T) {
	run := testRun(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, run))
	var doc struct{ Final json.RawMessage }
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))

	got, err := json.Marshal(struct {
		Stats Stats `json:"stats"`
	}{Stats{run.Final}})
	require.NoError(t, err)
	var snap struct{ Stats json.RawMessage }
	require.NoError(t, json.Unmarshal(got, &snap))
	assert.JSONEq(t, string(doc.Final), string(snap.Stats))
	var fields map[string]any
	require.NoError(t, json.Unmarshal(snap.Stats, &fields))
	assert.Equal(t, 60.0, fields["Elapsed"], "seconds, not nanoseconds")

	null, err := json.Marshal(Stats{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(null))
}

// A figure without a value is null in JSON and an empty cell in CSV, never 0: the
// latencies of an interval in which no segment completed (an outage), the error rate
// of one in which no request ended, the speed and drift without readings; in the final
// snapshot, the figures over requests or readings of which there were none.
func TestNoValueIsNullNotZero(t *testing.T) {
	nan := math.NaN()
	sc := scenario.Defaults()
	final := &stats.AggregatedStats{TotalClients: 10, ActiveClients: 10, ClientsNoReading: 10}
	series := &engine.Series{Interval: time.Second, Samples: []engine.Sample{
		{T: 1, Clients: 10, Backoff: 10, ErrorRate: nan, SegLatP50: nan, SegLatP95: nan, SegLatP99: nan,
			ManLatP50: nan, ManLatP95: nan, AvgInstantSpeed: nan, AvgDrift: nan, MaxDrift: nan},
	}}
	run := New(&sc, final, series, nil)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, run))
	var doc struct {
		Final  map[string]any
		Series []map[string]any
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	for _, f := range []string{"ErrorRate", "SegLatP50", "SegLatP95", "SegLatP99", "ManLatP50", "ManLatP95", "AvgInstantSpeed", "AvgDrift", "MaxDrift"} {
		v, ok := doc.Series[0][f]
		assert.True(t, ok, f)
		assert.Nil(t, v, "series %s", f)
	}
	assert.Equal(t, 10.0, doc.Series[0]["Backoff"])
	for _, f := range []string{"ErrorRate", "AverageSpeed", "AverageFFmpegSpeed", "AverageDrift", "SegmentLatencyP50",
		"SegmentLatencyMax", "ManifestLatencyP99", "TCPConnectAvg", "TCPConnectLatencyP95", "UptimeP50", "MinUptime",
		"PlaylistJitterAvg", "CurrentDropRate"} {
		v, ok := doc.Final[f]
		assert.True(t, ok, f)
		assert.Nil(t, v, "final %s", f)
	}
	assert.Equal(t, 0.0, doc.Final["SegmentLatencyCount"], "a count is a value")

	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	assert.True(t, math.IsNaN(back.Final.ErrorRate))
	assert.True(t, math.IsNaN(back.Series[0].SegLatP95))
	assert.Zero(t, back.Final.SegmentLatencyP50)

	var out bytes.Buffer
	require.NoError(t, WriteCSV(&out, run))
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, f := range []string{"ErrorRate", "SegLatP95", "ManLatP50", "AvgInstantSpeed", "AvgDrift", "MaxDrift"} {
		assert.Equal(t, "", rows[1][col[f]], f)
	}
	assert.Equal(t, "10", rows[1][col["Backoff"]])
}

// The exported types leave the program only through the export's encoding: no JSON
// tags that encoding/json alone would read, and so no second shape of them.
func TestExportedTypesHaveNoJSONTags(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[engine.Sample](), reflect.TypeFor[engine.Series](), reflect.TypeFor[engine.EventMark]()} {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			_, tagged := f.Tag.Lookup("json")
			assert.False(t, tagged, "%s.%s has a json tag", typ.Name(), f.Name)
		}
	}
}
