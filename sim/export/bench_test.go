package export

import (
	"bytes"
	"io"
	"testing"
	"time"

	"swarmsim/sim/engine"
)

// benchRun is a one-hour run at the default 1 s interval: 3600 samples.
func benchRun(b *testing.B) *Run {
	r := testRun(&testing.T{})
	r.Series = make([]engine.Sample, 3600)
	for i := range r.Series {
		r.Series[i] = engine.Sample{T: float64(i + 1), Clients: 10000, Playing: 9000, Buffering: 1000,
			SegmentRate: 5000.5, ThroughputBps: 2.66e9, SegLatP50: 0.08, SegLatP99: 0.31, AvgInstantSpeed: 0.99}
	}
	r.Interval = time.Second
	return r
}

func BenchmarkWriteJSON1h(b *testing.B) {
	r := benchRun(b)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadJSON1h(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, benchRun(b)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadJSON(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSV1h(b *testing.B) {
	r := benchRun(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteCSV(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
