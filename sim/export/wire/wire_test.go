package wire

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/stats"
)

type inner struct {
	P50, P99 time.Duration
}

type Embedded struct {
	Shared int
}

type codecSample struct {
	Embedded
	At       time.Duration
	Clients  int
	Rate     float64
	Name     string
	OK       bool
	Lat      inner
	States   [3]int64
	Errors   stats.HTTPErrorCounts
	Tags     []string
	private  int
	Missing  float64
	Pointers *inner
}

func TestCodecRoundTrip(t *testing.T) {
	in := codecSample{
		Embedded: Embedded{Shared: 7},
		At:       1500 * time.Millisecond,
		Clients:  42,
		Rate:     0.1 + 0.2,
		Name:     "a,b",
		OK:       true,
		Lat:      inner{P50: 12345678 * time.Nanosecond, P99: 2 * time.Second},
		States:   [3]int64{1, 2, 3},
		Tags:     []string{"x"},
		private:  9,
		Missing:  math.NaN(),
		Pointers: &inner{P50: time.Millisecond},
	}
	in.Errors.Add(503, 4)
	in.Errors.Add(0, 1)

	var b bytes.Buffer
	require.NoError(t, Encode(&b, reflect.ValueOf(in)))

	// Keys are Go field names; durations are seconds; the embedded field is inlined;
	// HTTP errors keep their own form; NaN is null.
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &generic), b.String())
	assert.Equal(t, 1.5, generic["At"])
	assert.Equal(t, 7.0, generic["Shared"])
	assert.Equal(t, map[string]any{"P50": 0.012345678, "P99": 2.0}, generic["Lat"])
	assert.Equal(t, map[string]any{"503": 4.0, "other": 1.0}, generic["Errors"])
	assert.Nil(t, generic["Missing"])
	assert.NotContains(t, generic, "private")

	var out codecSample
	require.NoError(t, Decode(b.Bytes(), reflect.ValueOf(&out).Elem()))
	assert.True(t, math.IsNaN(out.Missing))
	out.Missing, in.Missing = 0, 0
	in.private = 0
	assert.Equal(t, in, out)
}

func TestDecodeErrorsNameTheField(t *testing.T) {
	var out codecSample
	err := Decode([]byte(`{"Lat":{"P50":"fast"}}`), reflect.ValueOf(&out).Elem())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Lat: P50: want seconds")

	err = Decode([]byte(`{"States":[1,2,3,4]}`), reflect.ValueOf(&out).Elem())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "States")

	err = Decode([]byte(`{"Errors":{"abc":1}}`), reflect.ValueOf(&out).Elem())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Errors")
}

func TestColumns(t *testing.T) {
	cols := Columns(reflect.TypeFor[codecSample]())
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"Shared", "At", "Clients", "Rate", "Name", "OK", "Lat.P50", "Lat.P99",
		"States[0]", "States[1]", "States[2]", "Errors", "Missing"}, names)

	s := codecSample{At: 2 * time.Second, Rate: 0.5, Lat: inner{P99: 250 * time.Millisecond}, States: [3]int64{4, 5, 6}, Missing: math.Inf(1)}
	s.Errors.Add(404, 2)
	v := reflect.ValueOf(s)
	var cells []string
	for _, c := range cols {
		cell, err := c.Cell(v)
		require.NoError(t, err)
		cells = append(cells, cell)
	}
	assert.Equal(t, []string{"0", "2", "0", "0.5", "", "false", "0", "0.25", "4", "5", "6", `{"404":2}`, ""}, cells)
}
