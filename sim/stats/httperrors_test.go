package stats

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTTPErrorCounts(t *testing.T) {
	var h HTTPErrorCounts
	h.Add(503, 2)
	h.Add(404, 3)
	h.Add(302, 1) // other
	h.Add(0, 1)   // other
	h.Add(599, 1)
	h.Add(400, 1)

	tests := []struct {
		code int
		want int64
	}{{0, 2}, {400, 1}, {404, 3}, {503, 2}, {599, 1}, {500, 0}, {302, 0}, {600, 0}}
	for _, tt := range tests {
		assert.Equal(t, tt.want, h.Get(tt.code), "Get(%d)", tt.code)
	}
	assert.Equal(t, int64(9), h.Total())

	var codes []int
	var counts []int64
	for c, n := range h.All() {
		codes = append(codes, c)
		counts = append(counts, n)
	}
	assert.Equal(t, []int{0, 400, 404, 503, 599}, codes, "other first, then ascending")
	assert.Equal(t, []int64{2, 1, 3, 2, 1}, counts)
	// early stop
	n := 0
	for range h.All() {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
	assert.Equal(t, map[int]int64{0: 2, 400: 1, 404: 3, 503: 2, 599: 1}, h.Map())
}

func TestHTTPErrorCountsJSON(t *testing.T) {
	var h HTTPErrorCounts
	h.Add(404, 3)
	h.Add(700, 1)
	data, err := json.Marshal(h)
	require.NoError(t, err)
	assert.JSONEq(t, `{"404":3,"other":1}`, string(data))

	var back HTTPErrorCounts
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, h, back)

	// inside a struct (value field) too
	type wrap struct{ E HTTPErrorCounts }
	data, err = json.Marshal(wrap{h})
	require.NoError(t, err)
	assert.JSONEq(t, `{"E":{"404":3,"other":1}}`, string(data))

	var empty HTTPErrorCounts
	data, err = json.Marshal(empty)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(data))

	bad := []struct{ in, msg string }{
		{`{"399":1}`, `key "399"`},
		{`{"abc":1}`, `key "abc"`},
		{`{"404":-1}`, "negative"},
		{`[1]`, "http error counts"},
	}
	for _, b := range bad {
		assert.ErrorContains(t, json.Unmarshal([]byte(b.in), &back), b.msg, b.in)
	}
}

// TotalHTTPErrors is the seed's code -> count map: ranging over it yields
// status codes (an array would yield indexes: 503 as 103), "other" under 0.
func TestAggregate_TotalHTTPErrorsIsCodeMap(t *testing.T) {
	_, a, cs := newVirtualSwarm(2)
	cs[0].RecordHTTPError(503)
	cs[0].RecordHTTPError(503)
	cs[1].RecordHTTPError(404)
	cs[1].RecordHTTPError(302) // outside 400..599: "other"
	st := a.Aggregate()
	got := map[int]int64{}
	for code, n := range st.TotalHTTPErrors {
		got[code] = n
	}
	assert.Equal(t, map[int]int64{503: 2, 404: 1, 0: 1}, got)
	assert.Equal(t, int64(4), st.HTTPErrorsTotal)

	// AggregateInto refills the destination's map without allocating,
	// and drops codes that are gone (here: after Reset).
	var dst AggregatedStats
	a.AggregateInto(&dst, AggregateOptions{})
	m := dst.TotalHTTPErrors
	allocs := testing.AllocsPerRun(20, func() { a.AggregateInto(&dst, AggregateOptions{}) })
	assert.Equal(t, 0.0, allocs)
	assert.Equal(t, got, dst.TotalHTTPErrors)
	a.Reset()
	a.AggregateInto(&dst, AggregateOptions{})
	assert.Empty(t, dst.TotalHTTPErrors)
	assert.Zero(t, dst.HTTPErrorsTotal)
	dst.TotalHTTPErrors[1] = 1 // the same map as before
	assert.Equal(t, int64(1), m[1])

	// A snapshot without errors still has a (empty) map, as the real
	// tool's has.
	assert.NotNil(t, a.Aggregate().TotalHTTPErrors)
}
