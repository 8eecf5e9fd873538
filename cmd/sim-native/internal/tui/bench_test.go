package tui

import (
	"testing"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

// BenchmarkRefresh10k is one refresh of the dashboard (a frame read from
// the engine, then drawn) with 10 000 viewers, against one second of the
// same run in virtual time (what a refresh at 10x follows).
func BenchmarkRefresh10k(b *testing.B) {
	sc, err := scenario.Preset("steady")
	if err != nil {
		b.Fatal(err)
	}
	sc.Clients.Count = 10_000
	sc.Clients.RampRate = 10_000
	eng, err := engine.New(sc)
	if err != nil {
		b.Fatal(err)
	}
	eng.RunUntil(30 * time.Second)
	m := New(Config{Engine: eng, Speed: 10, Clock: newClock(), Renderer: plain()})
	m.Update(teaSize(120, 40))
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			m.refresh()
			_ = m.View()
		}
	})
	b.Run("virtual-second", func(b *testing.B) {
		for b.Loop() {
			eng.RunFor(time.Second)
		}
	})
}
