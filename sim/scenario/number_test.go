package scenario

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numberField is a field read by the number or boolean rule: its -set key,
// a scenario file giving it a value, and how to read it back.
type numberField struct {
	key  string
	file string // "%v" is the value, written without quotes
	get  func(s *Scenario) any
}

var numberFields = map[string]numberField{
	"int":      {"clients.count", `{"clients": {"count": %v}}`, func(s *Scenario) any { return s.Clients.Count }},
	"uint":     {"seed", `{"seed": %v}`, func(s *Scenario) any { return s.Seed }},
	"float":    {"origin.capacity_mbps", `{"origin": {"capacity_mbps": %v}}`, func(s *Scenario) any { return s.Origin.CapacityMbps }},
	"rate":     {"origin.error_rate", `{"origin": {"error_rate": %v}}`, func(s *Scenario) any { return s.Origin.ErrorRate }},
	"bool":     {"clients.reconnect", `{"clients": {"reconnect": %v}}`, func(s *Scenario) any { return s.Clients.ReconnectEnabled() }},
	"duration": {"duration", `{"duration": %v}`, func(s *Scenario) any { return s.Duration }},
	"ladder":   {"stream.bitrates_kbps", `{"stream": {"bitrates_kbps": [%v]}}`, func(s *Scenario) any { return s.Stream.BitratesKbps }},
	"status":   {"origin.error_rates.404", `{"origin": {"error_rates": {"404": %v}}}`, func(s *Scenario) any { return s.Origin.ErrorRates[404] }},
}

// numberCases is one table for both ways in: a file (YAML, and JSON where
// the text is a JSON number) and Set. want is the value read, or nil when
// the value is refused with an error containing every string of errWant.
var numberCases = []struct {
	field, text string
	want        any
	errWant     []string
}{
	{"int", "100", 100, nil},
	{"int", "1e2", 100, nil},
	{"int", "1E2", 100, nil},
	{"int", "1e+2", 100, nil},
	{"int", "+1e2", 100, nil},
	{"int", "100.0", 100, nil},
	{"int", "1.5e3", 1500, nil},
	{"int", "0.25e4", 2500, nil},
	{"int", "1000000e-4", 100, nil},
	{"int", "1.5e0", nil, []string{"1.5e0", "is not a whole number", "1..1000000"}},
	{"int", "2.5", nil, []string{"2.5", "is not a whole number", "1..1000000"}},
	{"int", "1e-3", nil, []string{"1e-3", "is not a whole number"}},
	{"int", "100.0000000000000000001", nil, []string{"is not a whole number"}},
	{"int", "1e7", nil, []string{"is out of range 1..1000000"}},
	{"int", "1e400", nil, []string{"1e400", "is out of range"}},
	{"int", "99999999999999999999", nil, []string{"is out of range"}},
	{"int", "1_000", nil, []string{"1_000", "digit separators"}},
	{"int", "0x10", nil, []string{"0x10", "is not a decimal number"}},
	{"int", "0o10", nil, []string{"0o10", "is not a decimal number"}},
	{"int", "0b11", nil, []string{"0b11", "is not a decimal number"}},
	{"int", "010", nil, []string{"010", "leading zero"}},
	{"int", "many", nil, []string{"many", "an integer", "1..1000000"}},
	{"int", "1e", nil, []string{"1e", "an integer"}},

	{"uint", "7", uint64(7), nil},
	{"uint", "1e2", uint64(100), nil},
	{"uint", "-0", uint64(0), nil},
	{"uint", "18446744073709551615", uint64(18446744073709551615), nil},
	{"uint", "1.8446744073709551615e19", uint64(18446744073709551615), nil},
	{"uint", "1.8446744073709551616e19", nil, []string{"is out of range", "0..18446744073709551615"}},
	{"uint", "-1", nil, []string{"-1", "is out of range", "0..18446744073709551615"}},
	{"uint", "0.5", nil, []string{"is not a whole number"}},
	{"uint", "1_0", nil, []string{"digit separators"}},

	{"float", "2128", 2128.0, nil},
	{"float", "1e3", 1000.0, nil},
	{"float", "1E+3", 1000.0, nil},
	{"float", "1.5e3", 1500.0, nil},
	{"float", ".5", 0.5, nil},
	{"float", "2.", 2.0, nil},
	{"float", "0.5e1", 5.0, nil},
	{"float", "1e400", nil, []string{"1e400", "is out of range"}},
	{"float", "1_000", nil, []string{"digit separators"}},
	{"float", "0x10", nil, []string{"is not a decimal number"}},
	{"float", "010", nil, []string{"leading zero"}},
	{"float", ".nan", nil, []string{"not a finite number", "0..10000000"}},
	{"float", ".inf", nil, []string{"not a finite number"}},
	{"float", "-.inf", nil, []string{"not a finite number"}},
	{"float", "fast", nil, []string{"fast", "a number", "0..10000000"}},
	{"rate", "1e-3", 0.001, nil},
	{"rate", "1E-3", 0.001, nil},
	{"rate", "2e0", nil, []string{"is out of range 0..1"}},

	{"bool", "true", true, nil},
	{"bool", "false", false, nil},
	{"bool", "TRUE", nil, []string{"TRUE", "true or false"}},
	{"bool", "True", nil, []string{"True", "true or false"}},
	{"bool", "1", nil, []string{"1", "true or false"}},
	{"bool", "yes", nil, []string{"yes", "true or false"}},

	{"duration", "1e3", Duration(1000 * time.Second), nil},
	{"duration", "1.5e2", Duration(150 * time.Second), nil},
	{"duration", "2m", Duration(2 * time.Minute), nil},
	{"duration", "1_000", nil, []string{"1_000", "digit separators"}},
	{"duration", "010", nil, []string{"010", "leading zero"}},
	{"duration", "0x10", nil, []string{"0x10", "is not a decimal number"}},
	{"duration", "1e400", nil, []string{"not a usable number of seconds"}},

	{"ladder", "5e3", []int{5000}, nil},
	{"ladder", "2.5e3", []int{2500}, nil},
	{"ladder", "2.5", nil, []string{"is not a whole number"}},
	{"ladder", "5_000", nil, []string{"digit separators"}},

	{"status", "1e-2", 0.01, nil},
	{"status", "0x1", nil, []string{"is not a decimal number"}},
}

func TestNumbersReadAlikeInFilesAndSet(t *testing.T) {
	for _, tc := range numberCases {
		f, ok := numberFields[tc.field]
		require.True(t, ok, tc.field)
		src := strings.Replace(f.file, "%v", tc.text, 1)
		names := []string{"t.yaml"}
		if json.Valid([]byte(src)) {
			names = append(names, "t.json")
		}
		for _, name := range names {
			t.Run(name+"/"+tc.field+"/"+tc.text, func(t *testing.T) {
				s, err := Parse(name, []byte(src))
				if tc.want == nil {
					require.Error(t, err, "%s", src)
					assert.Contains(t, err.Error(), name+":1:", "the error names the file and line")
					assert.Contains(t, err.Error(), f.key, "the error names the field")
					for _, w := range tc.errWant {
						assert.Contains(t, err.Error(), w)
					}
					return
				}
				require.NoError(t, err, "%s", src)
				assert.Equal(t, tc.want, f.get(s))
			})
		}
		t.Run("set/"+tc.field+"/"+tc.text, func(t *testing.T) {
			s := Defaults()
			before := s.Clone()
			err := s.Set(f.key, tc.text)
			if tc.want == nil {
				require.Error(t, err)
				assert.Contains(t, err.Error(), f.key+": ", "the error names the key")
				for _, w := range tc.errWant {
					assert.Contains(t, err.Error(), w)
				}
				assert.Equal(t, before, &s, "a failed Set changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, f.get(&s))
		})
	}
}

// Quoted text is text in a file, never a number.
func TestQuotedNumbersAreText(t *testing.T) {
	for _, src := range []string{
		`{"clients": {"count": "1e2"}}`,
		`{"origin": {"capacity_mbps": "1e3"}}`,
		`{"clients": {"reconnect": "true"}}`,
		"clients: {count: '100'}\n",
	} {
		_, err := Parse("t.yaml", []byte(src))
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), "got the string", src)
	}
}

// A bandwidth range reads numbers by the same rule.
func TestRangeReadsExponents(t *testing.T) {
	for src, want := range map[string]Range{
		"bandwidth_mbps: 1e2":                    {100, 100},
		"bandwidth_mbps: [1e1, 1e2]":             {10, 100},
		"bandwidth_mbps: {min: 5e0, max: 2.5e1}": {5, 25},
	} {
		s, err := Parse("t.yaml", []byte("clients:\n  cohorts:\n    - "+src+"\n"))
		require.NoError(t, err, src)
		assert.Equal(t, want, s.Clients.Cohorts[0].BandwidthMbps, src)
	}
	_, err := Parse("t.yaml", []byte("clients:\n  cohorts:\n    - bandwidth_mbps: [1_0, 20]\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "digit separators")
}

func TestSecondsToDuration(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want time.Duration
	}{
		{0, 0},
		{2, 2 * time.Second},
		{0.25, 250 * time.Millisecond},
		{1.0000000004, time.Second},     // rounded down to the nanosecond
		{1.0000000006, time.Second + 1}, // rounded up
		{-1.5, -1500 * time.Millisecond},
		{9e9, 9e9 * time.Second},
	} {
		got, err := SecondsToDuration(c.in)
		require.NoError(t, err, "%v", c.in)
		assert.Equal(t, c.want, got, "%v", c.in)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 9.1e9, -9.1e9} {
		_, err := SecondsToDuration(bad)
		assert.ErrorContains(t, err, "is not a usable number of seconds", "%v", bad)
	}
}
