package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzReadJSONSeeds are FuzzReadJSON's starting inputs. They are small (at most 1 KiB)
// but hold every kind of value a run has (a scenario, durations, a timestamp, HTTP codes,
// a histogram, nulls, a sample, an event with its scenario event, exit codes): the
// fuzzer minimises every input that finds new code, and with a whole run as a seed
// (4.5 kB) it spent its time minimising instead of fuzzing.
var fuzzReadJSONSeeds = []string{
	`{"format":"swarmsim.run/v1","scenario":{"name":"u","seed":4,"duration":"1m","stream":{"bitrates_kbps":[800]},` +
		`"clients":{"count":2},"events":[{"at":"1s","duration":"2s","kind":"outage"}]},"seed":4,"interval":1,` +
		`"final":{"Timestamp":"2025-01-01T00:01:00Z","Elapsed":60,"TotalClients":2,"ErrorRate":0.5,"MinUptime":null,` +
		`"MetricsDegraded":false,"TotalHTTPErrors":{"503":3,"other":1},"SegmentLatencyHist":{"count":1,"buckets":[[80216064,1]]}},` +
		`"series":[{"T":1,"Clients":2,"Playing":2,"SegLatP99":0.08,"AvgSpeed":1}],` +
		`"events":[{"Start":1,"End":3,"Kind":"outage","Caption":"c","Injected":true,"Event":{"At":"1s","Duration":"2s","Kind":"outage"}}],` +
		`"exit_codes":{"1":2}}`,
	`{"scenario":{},"final":{"TotalHTTPErrors":{"503":1},"SegmentLatencyHist":{"count":1,"buckets":[[5,1]]}}}`,
	`{"scenario":{},"final":{},"series":[{"T":1e308,"Clients":-1}],"events":[{"Start":-5}]}`,
	`{"scenario":{},"final":{"Elapsed":1e300}}`,
}

// The seeds stay small, and the first, a whole run, is one ReadJSON accepts.
func TestFuzzReadJSONSeeds(t *testing.T) {
	for _, seed := range fuzzReadJSONSeeds {
		assert.LessOrEqual(t, len(seed), 1024, "%.60s", seed)
	}
	r, err := ReadJSON(strings.NewReader(fuzzReadJSONSeeds[0]))
	require.NoError(t, err)
	assert.Equal(t, 2, r.Scenario.Clients.Count)
	assert.Len(t, r.Series, 1)
	assert.Len(t, r.Events, 1)
	assert.Equal(t, map[int]int{1: 2}, r.ExitCodes)
	assert.Equal(t, int64(3), r.Final.TotalHTTPErrors[503])
}

// FuzzReadJSON: whatever file compare or --baseline is given, ReadJSON returns a run or
// an error, never panics, and a run it accepts writes back and reads again.
func FuzzReadJSON(f *testing.F) {
	for _, seed := range fuzzReadJSONSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteJSON(&out, r); err != nil {
			return // e.g. a scenario value its own marshaller rejects
		}
		if _, err := ReadJSON(bytes.NewReader(out.Bytes())); err != nil {
			t.Fatalf("a run ReadJSON accepted does not read back after WriteJSON: %v\n%s", err, out.Bytes())
		}
	})
}
