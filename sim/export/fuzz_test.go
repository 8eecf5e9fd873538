package export

import (
	"bytes"
	"testing"
)

// FuzzReadJSON: whatever file compare or --baseline is given, ReadJSON returns a run or
// an error, never panics, and a run it accepts writes back and reads again.
func FuzzReadJSON(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, testRun(&testing.T{})); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"scenario":{},"final":{"TotalHTTPErrors":{"503":1},"SegmentLatencyHist":{"count":1,"buckets":[[5,1]]}}}`))
	f.Add([]byte(`{"scenario":{},"final":{},"series":[{"T":1e308,"Clients":-1}],"events":[{"Start":-5}]}`))
	f.Add([]byte(`{"scenario":{},"final":{"Elapsed":1e300}}`))
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
