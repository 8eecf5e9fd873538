package scenario

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func BenchmarkParseExample(b *testing.B) {
	src, err := os.ReadFile("testdata/capacity-check.yaml")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("capacity-check.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePresetMobileCongestion(b *testing.B) {
	src, err := PresetYAML("mobile-congestion")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("mobile-congestion.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetClients(b *testing.B) {
	s, err := Preset("steady")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Set("clients", "500"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClone(b *testing.B) {
	s, err := Preset("mobile-congestion")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Clone()
	}
}
