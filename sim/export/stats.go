package export

import (
	"bytes"
	"reflect"

	"swarmsim/sim/export/wire"
	"swarmsim/sim/stats"
)

// Stats is an aggregate snapshot that marshals to JSON in the export's form, as a run's
// "final" holds it: Go field names, durations in seconds. The browser app's
// window.swarmsim.snapshot() carries its aggregate this way, so that a snapshot and a
// downloaded run read alike.
type Stats struct{ *stats.AggregatedStats }

// MarshalJSON writes the aggregate in the export's form; a nil aggregate is null.
func (s Stats) MarshalJSON() ([]byte, error) {
	if s.AggregatedStats == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	if err := wire.EncodeStruct(&b, reflect.ValueOf(s.AggregatedStats).Elem(), finalNoValue(s.AggregatedStats)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
