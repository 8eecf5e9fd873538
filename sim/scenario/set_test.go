package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setCase sets one key to a good value (checked by got) and to a bad one.
type setCase struct {
	key     string
	good    string
	got     func(s *Scenario) any
	want    any
	bad     string
	badWant string // the allowed range or reason the error must name
}

var setCases = []setCase{
	{"name", "sweep-1", func(s *Scenario) any { return s.Name }, "sweep-1", "", "must not be empty"},
	{"description", "one line", func(s *Scenario) any { return s.Description }, "one line", "a\nb", "one line"},
	{"seed", "18446744073709551615", func(s *Scenario) any { return s.Seed }, uint64(18446744073709551615), "-1", "0..18446744073709551615"},
	{"duration", "1h30m", func(s *Scenario) any { return s.Duration }, Duration(90 * time.Minute), "0.5", "1s..48h"},
	{"stream.segment_duration", "4s", func(s *Scenario) any { return s.Stream.SegmentDuration }, Duration(4 * time.Second), "x", "500ms..1m"},
	{"stream.bitrate_kbps", "5000", func(s *Scenario) any { return s.Stream.BitratesKbps }, []int{5000}, "10", "50..100000"},
	{"stream.bitrates_kbps", "5000, 2000,1000", func(s *Scenario) any { return s.Stream.BitratesKbps }, []int{5000, 2000, 1000}, "5000,abc", "50..100000"},
	{"stream.audio_kbps", "64", func(s *Scenario) any { return s.Stream.AudioKbps }, 64, "2000", "0..1024"},
	{"stream.container", "fmp4", func(s *Scenario) any { return s.Stream.Container }, "fmp4", "mp4", `"ts" | "fmp4"`},
	{"stream.playlist_size", "6", func(s *Scenario) any { return s.Stream.PlaylistSize }, 6, "1", "3..100"},
	{"stream.manifest_bytes", "800", func(s *Scenario) any { return s.Stream.ManifestBytes }, 800, "1.5", "50..1000000"},
	{"stream.size_spread", "0.1", func(s *Scenario) any { return s.Stream.SizeSpread }, 0.1, "NaN", "0..0.5"},
	{"clients.count", "2500", func(s *Scenario) any { return s.Clients.Count }, 2500, "0", "1..1000000"},
	{"clients.ramp_rate", "0", func(s *Scenario) any { return s.Clients.RampRate }, 0.0, "-3", "0..100000"},
	{"clients.ramp_jitter", "500ms", func(s *Scenario) any { return s.Clients.RampJitter }, Duration(500 * time.Millisecond), "2m", "0s..1m"},
	{"clients.reconnect", "false", func(s *Scenario) any { return s.Clients.ReconnectEnabled() }, false, "nope", "true | false"},
	{"clients.timeout", "5s", func(s *Scenario) any { return s.Clients.Timeout }, Duration(5 * time.Second), "1ms", "100ms..10m"},
	{"clients.segment_retries", "0", func(s *Scenario) any { return s.Clients.SegmentRetries }, 0, "-1", "0..100"},
	{"clients.variant", "highest", func(s *Scenario) any { return s.Clients.Variant }, "highest", "best", `"all" | "highest" | "lowest" | "first"`},
	{"clients.stats_buffer", "200", func(s *Scenario) any { return s.Clients.StatsBuffer }, 200, "0", "1..1000000"},
	{"clients.backoff.initial", "100ms", func(s *Scenario) any { return s.Clients.Backoff.Initial }, Duration(100 * time.Millisecond), "10s", "max must be >= initial"},
	{"clients.backoff.multiplier", "2", func(s *Scenario) any { return s.Clients.Backoff.Multiplier }, 2.0, "0.9", "1..10"},
	{"clients.backoff.max", "10s", func(s *Scenario) any { return s.Clients.Backoff.Max }, Duration(10 * time.Second), "1ms", "max must be >= initial"},
	{"clients.backoff.jitter", "0", func(s *Scenario) any { return s.Clients.Backoff.Jitter }, 0.0, "2", "0..1"},
	{"clients.backoff.reset_after", "1m", func(s *Scenario) any { return s.Clients.Backoff.ResetAfter }, Duration(time.Minute), "2h", "0s..1h"},
	{"origin.capacity_mbps", "2128", func(s *Scenario) any { return s.Origin.CapacityMbps }, 2128.0, "-1", "0..10000000"},
	{"origin.latency", "5ms", func(s *Scenario) any { return s.Origin.Latency }, Duration(5 * time.Millisecond), "-1ms", "0s..1m"},
	{"origin.error_rate", "0.05", func(s *Scenario) any { return s.Origin.ErrorRate }, 0.05, "1.1", "0..1"},
	{"origin.error_status", "502", func(s *Scenario) any { return s.Origin.ErrorStatus }, 502, "99", "400..599"},
	{"origin.error_rates.<status>", "0.01", func(s *Scenario) any { return s.Origin.ErrorRates[404] }, 0.01, "-0.5", "0..1"},
}

func TestSetEveryKey(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range setCases {
		t.Run(tc.key, func(t *testing.T) {
			covered[tc.key] = true
			key := strings.Replace(tc.key, "<status>", "404", 1)
			s := Defaults()
			require.NoError(t, s.Set(key, tc.good))
			assert.Equal(t, tc.want, tc.got(&s))
			require.NoError(t, s.Validate())

			before := s.Clone()
			err := s.Set(key, tc.bad)
			require.Error(t, err)
			assert.Contains(t, err.Error(), key+": ", "the error names the key")
			assert.Contains(t, err.Error(), tc.badWant, "the error names the allowed range")
			if tc.bad != "" && !strings.Contains(tc.bad, "\n") {
				assert.Contains(t, err.Error(), tc.bad, "the error names the bad value")
			}
			assert.Equal(t, before, &s, "a failed Set leaves the scenario unchanged")
		})
	}
	for _, st := range Settings() {
		assert.True(t, covered[st.Key], "no Set case for %s", st.Key)
	}
}

func TestSetAliases(t *testing.T) {
	tests := []struct {
		alias, value string
		got          func(s *Scenario) any
		want         any
	}{
		{"clients", "300", func(s *Scenario) any { return s.Clients.Count }, 300},
		{"capacity", "500", func(s *Scenario) any { return s.Origin.CapacityMbps }, 500.0},
		{"capacity_mbps", "600", func(s *Scenario) any { return s.Origin.CapacityMbps }, 600.0},
		{"capacity-mbps", "700", func(s *Scenario) any { return s.Origin.CapacityMbps }, 700.0},
		{"bitrate", "1000", func(s *Scenario) any { return s.Stream.BitratesKbps }, []int{1000}},
		{"ladder", "[1000, 500]", func(s *Scenario) any { return s.Stream.BitratesKbps }, []int{1000, 500}},
		{"seed", "42", func(s *Scenario) any { return s.Seed }, uint64(42)},
		{"duration", "90", func(s *Scenario) any { return s.Duration }, Duration(90 * time.Second)},
		{"segment_duration", "1", func(s *Scenario) any { return s.Stream.SegmentDuration }, Duration(time.Second)},
		{"ramp_rate", "50", func(s *Scenario) any { return s.Clients.RampRate }, 50.0},
		{"error_rate", "0.01", func(s *Scenario) any { return s.Origin.ErrorRate }, 0.01},
		{"latency", "20ms", func(s *Scenario) any { return s.Origin.Latency }, Duration(20 * time.Millisecond)},
		{"timeout", "3s", func(s *Scenario) any { return s.Clients.Timeout }, Duration(3 * time.Second)},
		{"reconnect", "false", func(s *Scenario) any { return s.Clients.ReconnectEnabled() }, false},
		{"container", "fmp4", func(s *Scenario) any { return s.Stream.Container }, "fmp4"},
		{" Clients.Count ", " 7 ", func(s *Scenario) any { return s.Clients.Count }, 7},
	}
	for _, tt := range tests {
		t.Run(tt.alias, func(t *testing.T) {
			s := Defaults()
			require.NoError(t, s.Set(tt.alias, tt.value))
			assert.Equal(t, tt.want, tt.got(&s))
		})
	}
}

func TestSetErrors(t *testing.T) {
	s := Defaults()
	err := s.Set("clients", "0")
	require.Error(t, err)
	assert.Equal(t, "clients (clients.count): 0 is out of range 1..1000000", err.Error())

	err = s.Set("clients.count", "many")
	require.Error(t, err)
	assert.Equal(t, `clients.count: "many" is not an integer; allowed 1..1000000`, err.Error())

	err = s.Set("capacity", "1e99")
	require.Error(t, err)
	assert.Equal(t, "capacity (origin.capacity_mbps): 1e+99 is out of range 0..10000000 (given \"1e99\")", err.Error())

	err = s.Set("nonsense", "1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `nonsense: unknown key; settable keys: name, description, seed, duration, stream.segment_duration`)
	for _, k := range SettableKeys() {
		assert.Contains(t, err.Error(), k)
	}

	err = s.Set("origin.error_rates.200", "0.1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "400..599")

	err = s.Set("stream.bitrates_kbps", "5000,5000")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "5000 appears twice")
	assert.Equal(t, Defaults(), s, "failed Sets changed nothing")
}

func TestSetBitratePointsCohortsAtTheNewRendition(t *testing.T) {
	s, err := Preset("mobile-congestion")
	require.NoError(t, err)
	require.NoError(t, s.Set("bitrate", "3000"))
	assert.Equal(t, []int{3000}, s.Stream.BitratesKbps)
	for _, c := range s.Clients.Cohorts {
		assert.Equal(t, 0, c.BitrateKbps)
	}
	require.NoError(t, s.Validate())
}

func TestSetErrorRatesZeroRemoves(t *testing.T) {
	s := Defaults()
	require.NoError(t, s.Set("origin.error_rates.404", "0.2"))
	require.NoError(t, s.Set("origin.error_rates.500", "0.3"))
	assert.Equal(t, map[int]float64{404: 0.2, 500: 0.3}, s.Origin.ErrorRates)
	require.NoError(t, s.Set("origin.error_rates.404", "0"))
	assert.Equal(t, map[int]float64{500: 0.3}, s.Origin.ErrorRates)
	err := s.Set("origin.error_rates.502", "0.8")
	require.Error(t, err, "0.3 + 0.8 > 1")
	assert.Contains(t, err.Error(), "add up to 1.1; at most 1")
}

func TestSetLeavesCrossFieldRulesToValidate(t *testing.T) {
	s, err := Preset("origin-outage") // events up to 6m20s
	require.NoError(t, err)
	require.NoError(t, s.Set("duration", "2m"), "the duration itself is in range")
	err = s.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "events[0].at: 3m is at or after the end of the run (duration 2m)")
}

func TestSettableKeysListsCanonicalKeysThenAliases(t *testing.T) {
	keys := SettableKeys()
	assert.Equal(t, "name", keys[0])
	assert.Contains(t, keys, "clients.count")
	assert.Contains(t, keys, "origin.capacity_mbps")
	for _, alias := range []string{"clients", "capacity", "capacity_mbps", "bitrate", "seed", "duration"} {
		assert.Contains(t, keys, alias)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		assert.False(t, seen[k], "%s listed twice", k)
		seen[k] = true
	}
	for _, st := range Settings() {
		assert.NotEmpty(t, st.Allowed, st.Key)
	}
}

func TestCheckEvent(t *testing.T) {
	s := Defaults()
	good := Event{At: Duration(time.Minute), Duration: Duration(30 * time.Second), Kind: KindErrorBurst, Rate: 0.5}
	good.ApplyDefaults()
	assert.Equal(t, 503, good.Status)
	assert.Equal(t, "50% of requests fail with HTTP 503 for 30s", good.Caption)
	require.NoError(t, s.CheckEvent(good))

	bad := Event{At: Duration(time.Minute), Duration: Duration(30 * time.Second), Kind: KindErrorBurst, Rate: 2, Latency: Duration(time.Second)}
	err := s.CheckEvent(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "event.rate: 2 is out of range (0, 1]")
	assert.Contains(t, err.Error(), "event.latency: is not used by kind error_burst (it uses status, rate)")

	late := Event{At: Duration(9*time.Minute + 50*time.Second), Duration: Duration(time.Minute), Kind: KindOutage}
	err = s.CheckEvent(late)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "event.duration: 1m makes the event end at 10m50s, after the end of the run (duration 10m)")
}

func TestDefaultCaptions(t *testing.T) {
	m := Duration(time.Minute)
	tests := []struct {
		e    Event
		want string
	}{
		{Event{Kind: KindOutage, Duration: m}, "Origin unreachable: connections refused for 1m"},
		{Event{Kind: KindOutage, Mode: ModeTimeout, Duration: m}, "Origin stops answering: requests time out for 1m"},
		{Event{Kind: KindOutage, Mode: ModeStatus, Status: 502, Duration: m}, "Origin answers every request with HTTP 502 for 1m"},
		{Event{Kind: KindErrorBurst, Rate: 0.125, Status: 404, Duration: m}, "12.5% of requests fail with HTTP 404 for 1m"},
		{Event{Kind: KindCapacity, CapacityMbps: 2128, Duration: m}, "Origin egress limited to 2128 Mbps for 1m"},
		{Event{Kind: KindLatencySpike, Latency: Duration(400 * time.Millisecond), Duration: m}, "Origin adds 400ms latency to every request for 1m"},
		{Event{Kind: KindStalePlaylist, Jump: 5, Duration: Duration(10 * time.Second)}, "Playlist stops updating for 10s, then jumps 5 segments"},
		{Event{Kind: KindBandwidthDrop, Share: 0.3, BandwidthMbps: 0.8, Duration: m}, "30% of clients drop to 0.8 Mbps downlink for 1m"},
		{Event{Kind: KindChurn, JoinRate: 2, LeaveRate: 1.5, Duration: m}, "Churn: 2 clients/s join and 1.5 clients/s leave for 1m"},
		{Event{Kind: KindAddClients, Clients: 200}, "200 viewers join at once"},
		{Event{Kind: KindAddClients, Clients: 500, Duration: m}, "500 viewers join over 1m"},
		{Event{Kind: KindRemoveClients, Clients: 250, Duration: Duration(30 * time.Second)}, "250 viewers leave over 30s"},
		{Event{Kind: KindRemoveClients, Clients: 3}, "3 viewers leave at once"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, DefaultCaption(tt.e))
		assert.LessOrEqual(t, len(tt.want), maxCaption)
	}
	assert.Len(t, tests, len(EventKinds())+4, "every kind has a caption case")
}

func TestJumpSegments(t *testing.T) {
	two := Duration(2 * time.Second)
	assert.Equal(t, 5, (&Event{Duration: Duration(10 * time.Second)}).JumpSegments(two), "10 s / 2 s")
	assert.Equal(t, 7, (&Event{Duration: Duration(15 * time.Second)}).JumpSegments(two), "15 s / 2 s, rounded down")
	// the segments completed inside the window: 61..70 s holds 62, 64, 66, 68 and 70
	assert.Equal(t, 5, (&Event{At: Duration(61 * time.Second), Duration: Duration(9 * time.Second)}).JumpSegments(two), "61 s + 9 s")
	assert.Equal(t, 0, (&Event{At: Duration(500 * time.Millisecond), Duration: Duration(time.Second)}).JumpSegments(two), "no segment completed")
	assert.Equal(t, 4, (&Event{Jump: 4, Duration: Duration(10 * time.Second)}).JumpSegments(two), "explicit jump")
}

// MaxNewClients counts what an event can add: add_clients its clients,
// churn ceil(join_rate x seconds), other kinds nothing; CheckEvent applies
// the client limit to it.
func TestMaxNewClients(t *testing.T) {
	cases := []struct {
		name string
		ev   Event
		want int
	}{
		{"add", Event{Kind: KindAddClients, Clients: 20}, 20},
		{"churn 2/s for 30s", Event{Kind: KindChurn, Duration: Duration(30 * time.Second), JoinRate: 2}, 60},
		{"churn 0.3/s for 10s rounds up", Event{Kind: KindChurn, Duration: Duration(10 * time.Second), JoinRate: 0.35}, 4},
		{"churn leaves only", Event{Kind: KindChurn, Duration: Duration(time.Minute), LeaveRate: 5}, 0},
		{"churn far above the limit", Event{Kind: KindChurn, Duration: Duration(time.Hour), JoinRate: 100000}, MaxClients + 1},
		{"remove", Event{Kind: KindRemoveClients, Clients: 20}, 0},
		{"outage", Event{Kind: KindOutage, Duration: Duration(time.Minute)}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, c.ev.MaxNewClients()) })
	}

	s := Defaults()
	s.Duration = Duration(2 * time.Hour)
	churn := Event{At: Duration(time.Minute), Duration: Duration(time.Hour), Kind: KindChurn, JoinRate: 100000}
	churn.ApplyDefaults()
	err := s.CheckEvent(churn)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "event.join_rate: 100000 joins/s over 1h can add 360000000 clients")
	assert.Contains(t, err.Error(), "above the limit 1000000")
	churn.JoinRate = 100
	require.NoError(t, s.CheckEvent(churn), "360 000 joins fit")
}
