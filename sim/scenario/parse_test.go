package scenario

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseExampleGivesExactValues(t *testing.T) {
	s, err := Load("testdata/capacity-check.yaml")
	require.NoError(t, err)

	reconnect := true
	want := &Scenario{
		Name:     "capacity-check",
		Seed:     7,
		Duration: Duration(10 * time.Minute),
		Stream: Stream{
			SegmentDuration: Duration(2 * time.Second),
			BitratesKbps:    []int{5000},
			AudioKbps:       128,
			Container:       "ts",
			PlaylistSize:    10,
			ManifestBytes:   374,
			SizeSpread:      0.02,
		},
		Clients: Clients{
			Count:          2500,
			RampRate:       100,
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
			StatsBuffer: 1000,
			Cohorts:     []Cohort{{Name: "broadband", Share: 1, BandwidthMbps: Range{50, 100}, RTT: Duration(20 * time.Millisecond)}},
		},
		Origin: Origin{CapacityMbps: 10000, Latency: Duration(time.Millisecond), ErrorRate: 0.001, ErrorStatus: 503},
		Events: []Event{
			{At: Duration(3 * time.Minute), Duration: Duration(time.Minute), Kind: KindErrorBurst, Status: 503, Rate: 0.2,
				Caption: "20% of requests fail with HTTP 503 for 1m"},
			{At: Duration(6 * time.Minute), Duration: Duration(30 * time.Second), Kind: KindOutage, Mode: ModeRefused,
				Caption: "Origin unreachable: connections refused for 30s"},
		},
	}
	assert.Equal(t, want, s)
	assert.True(t, s.Clients.ReconnectEnabled())
	assert.Equal(t, Duration(4*time.Minute), s.Events[0].End())
}

func TestParseEmptyMappingGivesDefaults(t *testing.T) {
	s, err := Parse("my-run.yaml", []byte("{}\n"))
	require.NoError(t, err)
	d := Defaults()
	d.Name = "my-run" // the name comes from the file name when absent
	assert.Equal(t, &d, s)
	require.NoError(t, d.Validate(), "Defaults() must be valid")
}

func TestDefaultsValues(t *testing.T) {
	d := Defaults()
	assert.Equal(t, Duration(10*time.Minute), d.Duration)
	assert.Equal(t, Duration(2*time.Second), d.Stream.SegmentDuration)
	assert.Equal(t, []int{2000}, d.Stream.BitratesKbps)
	assert.Equal(t, 128, d.Stream.AudioKbps)
	assert.Equal(t, "ts", d.Stream.Container)
	assert.Equal(t, 10, d.Stream.PlaylistSize)
	assert.Equal(t, 374, d.Stream.ManifestBytes)
	assert.Equal(t, 0.02, d.Stream.SizeSpread)
	assert.Equal(t, 50, d.Clients.Count)
	assert.Equal(t, 5.0, d.Clients.RampRate)
	assert.Equal(t, Duration(200*time.Millisecond), d.Clients.RampJitter)
	assert.True(t, d.Clients.ReconnectEnabled())
	assert.Equal(t, Duration(15*time.Second), d.Clients.Timeout)
	assert.Equal(t, 3, d.Clients.SegmentRetries)
	assert.Equal(t, Backoff{Duration(250 * time.Millisecond), 1.7, Duration(5 * time.Second), 0.2, Duration(30 * time.Second)}, d.Clients.Backoff)
	assert.Equal(t, []Cohort{{Name: "broadband", Share: 1, BandwidthMbps: Range{50, 100}, RTT: Duration(20 * time.Millisecond)}}, d.Clients.Cohorts)
	assert.Equal(t, Origin{CapacityMbps: 10000, Latency: Duration(time.Millisecond), ErrorStatus: 503}, d.Origin)
	assert.Empty(t, d.Events)
}

func TestParseKeepsExplicitZeroes(t *testing.T) {
	// A zero that means something must not be replaced by the default.
	s, err := Parse("z.yaml", []byte(`
stream: {audio_kbps: 0, size_spread: 0}
clients: {ramp_rate: 0, ramp_jitter: 0, reconnect: false, segment_retries: 0, backoff: {jitter: 0, reset_after: 0}}
origin: {capacity_mbps: 0, latency: 0}
`))
	require.NoError(t, err)
	assert.Equal(t, 0, s.Stream.AudioKbps)
	assert.Equal(t, 0.0, s.Stream.SizeSpread)
	assert.Equal(t, 0.0, s.Clients.RampRate)
	assert.Equal(t, Duration(0), s.Clients.RampJitter)
	assert.False(t, s.Clients.ReconnectEnabled())
	assert.Equal(t, 0, s.Clients.SegmentRetries)
	assert.Equal(t, 0.0, s.Clients.Backoff.Jitter)
	assert.Equal(t, Duration(0), s.Clients.Backoff.ResetAfter)
	assert.Equal(t, 0.0, s.Origin.CapacityMbps)
	assert.Equal(t, Duration(0), s.Origin.Latency)
	// Untouched siblings keep their defaults.
	assert.Equal(t, Duration(250*time.Millisecond), s.Clients.Backoff.Initial)
	assert.Equal(t, 503, s.Origin.ErrorStatus)
}

func TestParseDurationForms(t *testing.T) {
	tests := []struct {
		text string
		want time.Duration
	}{
		{"250ms", 250 * time.Millisecond},
		{"2s", 2 * time.Second},
		{"10m", 10 * time.Minute},
		{"1h", time.Hour},
		{"59m30s", 59*time.Minute + 30*time.Second},
		{"2", 2 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{`"3"`, 3 * time.Second},
		{"1.25", 1250 * time.Millisecond},
		{"0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			// clients.backoff.reset_after takes 0..1h.
			s, err := Parse("d.yaml", []byte("clients: {backoff: {reset_after: "+tt.text+"}}\n"))
			require.NoError(t, err)
			assert.Equal(t, Duration(tt.want), s.Clients.Backoff.ResetAfter)
		})
	}
}

func TestDurationStringIsShortest(t *testing.T) {
	tests := map[time.Duration]string{
		0:                              "0s",
		250 * time.Millisecond:         "250ms",
		2 * time.Second:                "2s",
		10 * time.Minute:               "10m",
		time.Hour:                      "1h",
		90 * time.Minute:               "1h30m",
		time.Hour + 5*time.Second:      "1h0m5s",
		1500 * time.Millisecond:        "1.5s",
		48 * time.Hour:                 "48h",
		-2 * time.Second:               "-2s",
		time.Minute + time.Millisecond: "1m0.001s",
	}
	for d, want := range tests {
		assert.Equal(t, want, Duration(d).String())
		back, err := ParseDuration(want)
		require.NoError(t, err)
		assert.Equal(t, Duration(d), back, "round trip of %s", want)
	}
}

func TestParseRangeForms(t *testing.T) {
	tests := []struct {
		text string
		want Range
	}{
		{"20", Range{20, 20}},
		{"2.5", Range{2.5, 2.5}},
		{"[10, 50]", Range{10, 50}},
		{"{min: 10, max: 50}", Range{10, 50}},
		{`{"min": 1.5, "max": 6}`, Range{1.5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := Parse("r.yaml", []byte("clients:\n  cohorts:\n    - {name: a, bandwidth_mbps: "+tt.text+"}\n"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.Clients.Cohorts[0].BandwidthMbps)
		})
	}
}

func TestParseCohortDefaults(t *testing.T) {
	s, err := Parse("c.yaml", []byte(`
stream: {bitrates_kbps: [5000, 1000]}
clients:
  cohorts:
    - {bitrate_kbps: 1000}
    - {name: fast, rtt: 5ms}
    - {}
`))
	require.NoError(t, err)
	require.Len(t, s.Clients.Cohorts, 3)
	assert.Equal(t, "cohort1", s.Clients.Cohorts[0].Name)
	assert.Equal(t, "fast", s.Clients.Cohorts[1].Name)
	assert.Equal(t, "cohort3", s.Clients.Cohorts[2].Name)
	for _, c := range s.Clients.Cohorts {
		assert.InDelta(t, 1.0/3, c.Share, 1e-15, "shares split evenly when none is given")
		assert.Equal(t, Range{50, 100}, c.BandwidthMbps)
	}
	assert.Equal(t, Duration(20*time.Millisecond), s.Clients.Cohorts[0].RTT)
	assert.Equal(t, Duration(5*time.Millisecond), s.Clients.Cohorts[1].RTT)
	assert.Equal(t, 1000, s.Clients.Cohorts[0].BitrateKbps)
}

func TestParseEventDefaultsAndSorting(t *testing.T) {
	s, err := Parse("e.yaml", []byte(`
duration: 10m
events:
  - {at: 5m, kind: add_clients, clients: 10}
  - {at: 1m, duration: 30s, kind: outage, mode: status}
  - {at: 2m, duration: 10s, kind: stale_playlist}
  - {at: 1m, duration: 1m, kind: error_burst, rate: 0.5, caption: "Custom text."}
`))
	require.NoError(t, err)
	require.Len(t, s.Events, 4)
	// Sorted by At, stable for equal starts (outage was given before error_burst).
	assert.Equal(t, []EventKind{KindOutage, KindErrorBurst, KindStalePlaylist, KindAddClients},
		[]EventKind{s.Events[0].Kind, s.Events[1].Kind, s.Events[2].Kind, s.Events[3].Kind})
	assert.Equal(t, 503, s.Events[0].Status, "status outage defaults to 503")
	assert.Equal(t, "Origin answers every request with HTTP 503 for 30s", s.Events[0].Caption)
	assert.Equal(t, 503, s.Events[1].Status, "error_burst defaults to 503")
	assert.Equal(t, "Custom text.", s.Events[1].Caption)
	assert.Equal(t, "Playlist stops updating for 10s, then jumps the missed segments", s.Events[2].Caption)
	assert.Equal(t, 5, s.Events[2].JumpSegments(s.Stream.SegmentDuration), "10s / 2s = 5 segments")
	assert.Equal(t, "10 viewers join at once", s.Events[3].Caption)
}

func TestParseAnchorsAndAliases(t *testing.T) {
	s, err := Parse("a.yaml", []byte(`
clients:
  cohorts:
    - {name: a, share: 0.5, bandwidth_mbps: &bw [10, 20]}
    - {name: b, share: 0.5, bandwidth_mbps: *bw}
`))
	require.NoError(t, err)
	assert.Equal(t, Range{10, 20}, s.Clients.Cohorts[1].BandwidthMbps)
}

func TestJSONAndYAMLGiveTheSameScenario(t *testing.T) {
	yamlSrc, err := os.ReadFile("testdata/capacity-check.yaml")
	require.NoError(t, err)
	jsonSrc := `{
  "name": "capacity-check",
  "seed": 7,
  "duration": "10m",
  "stream": {"segment_duration": "2s", "bitrates_kbps": [5000], "audio_kbps": 128},
  "clients": {"count": 2500, "ramp_rate": 100},
  "origin": {"capacity_mbps": 10000, "error_rate": 0.001},
  "events": [
    {"at": "3m", "duration": 60, "kind": "error_burst", "status": 503, "rate": 0.2},
    {"at": 360, "duration": "30s", "kind": "outage"}
  ]
}`
	fromYAML, err := Parse("capacity-check.yaml", yamlSrc)
	require.NoError(t, err)
	fromJSON, err := Parse("capacity-check.json", []byte(jsonSrc))
	require.NoError(t, err)
	assert.Equal(t, fromYAML, fromJSON)
}

func TestMarshalParseRoundTrip(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			s, err := Preset(p.Name)
			require.NoError(t, err)
			s.Origin.ErrorRates = map[int]float64{404: 0.01, 502: 0.1 + 0.2} // a float that needs all its digits
			s.Clients.Cohorts[0].BandwidthMbps.Min = 0.1

			y, err := s.ToYAML()
			require.NoError(t, err)
			fromYAML, err := Parse(p.Name+".yaml", y)
			require.NoError(t, err, "%s", y)
			assert.Equal(t, s, fromYAML)

			j, err := json.Marshal(s)
			require.NoError(t, err)
			fromJSON, err := Parse(p.Name+".json", j)
			require.NoError(t, err, "%s", j)
			assert.Equal(t, s, fromJSON)

			var viaStd Scenario // encoding/json alone, as export.ReadJSON does
			require.NoError(t, json.Unmarshal(j, &viaStd))
			assert.Equal(t, s, &viaStd)
		})
	}
}

func TestJSONKeysAreSnakeCase(t *testing.T) {
	s, err := Preset("mobile-congestion")
	require.NoError(t, err)
	j, err := json.Marshal(s)
	require.NoError(t, err)
	for _, key := range []string{`"segment_duration":"2s"`, `"bitrates_kbps":[5000,2000,1000]`, `"ramp_rate":20`,
		`"capacity_mbps":10000`, `"bandwidth_mbps":{"min":1.5,"max":6}`, `"bitrate_kbps":1000`, `"error_status":503`} {
		assert.Contains(t, string(j), key)
	}
	assert.NotContains(t, string(j), "SegmentDuration")
}

func TestCloneIsDeep(t *testing.T) {
	s, err := Preset("mobile-congestion")
	require.NoError(t, err)
	s.Origin.ErrorRates = map[int]float64{404: 0.1}
	c := s.Clone()
	require.Equal(t, s, c)
	c.Stream.BitratesKbps[0] = 1
	c.Clients.Cohorts[0].Name = "x"
	*c.Clients.Reconnect = false
	c.Origin.ErrorRates[404] = 0.5
	c.Events[0].Caption = "changed"
	assert.Equal(t, 5000, s.Stream.BitratesKbps[0])
	assert.Equal(t, "broadband", s.Clients.Cohorts[0].Name)
	assert.True(t, s.Clients.ReconnectEnabled())
	assert.Equal(t, 0.1, s.Origin.ErrorRates[404])
	assert.NotEqual(t, "changed", s.Events[0].Caption)
}

func TestLoadErrorsNameThePath(t *testing.T) {
	_, err := Load("testdata/no-such-file.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/no-such-file.yaml")

	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte("clients:\n  count: -3\n"), 0o600))
	_, err = Load(path)
	require.Error(t, err)
	assert.Equal(t, path+":2:10: clients.count: -3 is out of range 1..1000000", err.Error())
}

func TestParseReportsAllValidationErrors(t *testing.T) {
	_, err := Parse("many.yaml", []byte(`
clients:
  count: 0
  ramp_rate: -1
origin:
  error_rate: 2
`))
	require.Error(t, err)
	var list Errors
	require.True(t, errors.As(err, &list))
	require.Len(t, list, 3)
	assert.Equal(t, "many.yaml:3:10: clients.count: 0 is out of range 1..1000000", list[0].Error())
	assert.Equal(t, "many.yaml:4:14: clients.ramp_rate: -1 is out of range 0..100000", list[1].Error())
	assert.Equal(t, "many.yaml:6:15: origin.error_rate: 2 is out of range 0..1", list[2].Error())
	assert.Equal(t, 3, list[0].Line)
	assert.Equal(t, "clients.count", list[0].Path)
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "many.yaml", fe.File)
	assert.Equal(t, strings.Join([]string{list[0].Error(), list[1].Error(), list[2].Error()}, "\n"), err.Error())
}
