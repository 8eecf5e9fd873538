package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

// isQuit reports whether cmd is bubbletea's quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// A tick advances the virtual clock by the wall time x the speed; paused,
// it does not move, and on resume it does not jump.
func TestTicksPaceAndPause(t *testing.T) {
	clock := newClock()
	eng := newEngine(t, "steady", 0)
	m := newModel(t, eng, 10, 120, 40, clock)

	m.Update(TickMsg{}) // anchors the pacer
	clock.Advance(time.Second)
	m.Update(TickMsg{})
	assert.Equal(t, 10*time.Second, eng.Now(), "1 s of wall time at 10x")
	assert.Equal(t, eng.Now(), m.Frame().Now, "the frame is read after the advance")

	m.Update(key(" "))
	require.True(t, m.Paused())
	clock.Advance(5 * time.Second)
	m.Update(TickMsg{})
	assert.Equal(t, 10*time.Second, eng.Now(), "paused: no advance")
	assert.Contains(t, screen(m), "PAUSED")

	m.Update(key(" "))
	require.False(t, m.Paused())
	m.Update(TickMsg{}) // re-anchors: the paused 5 s are not caught up
	clock.Advance(time.Second)
	m.Update(TickMsg{})
	assert.Equal(t, 20*time.Second, eng.Now())
}

// Keys 1-4 set 1x, 10x, 60x and max; the pace follows.
func TestSpeedKeys(t *testing.T) {
	clock := newClock()
	eng := newEngine(t, "steady", 0)
	m := newModel(t, eng, 10, 120, 40, clock)
	for k, want := range map[string]float64{"1": 1, "2": 10, "3": 60, "4": 0} {
		m.Update(key(k))
		assert.Equal(t, want, m.Speed(), "key %s", k)
	}
	m.Update(key("3"))
	m.Update(TickMsg{})
	before := eng.Now()
	clock.Advance(500 * time.Millisecond)
	m.Update(TickMsg{})
	assert.Equal(t, 30*time.Second, eng.Now()-before, "0.5 s at 60x")
	assert.Contains(t, screen(m), "speed 60x")

	m.Update(key("4"))
	assert.Contains(t, screen(m), "speed max")
	// At max a tick runs for a wall-time budget; the manual clock stands
	// still, so this one runs to the end, and the end quits.
	_, cmd := m.Update(TickMsg{})
	assert.True(t, eng.Done())
	assert.True(t, isQuit(cmd))
	assert.False(t, m.Interrupted())
}

// Every fault key injects the browser's event at the current virtual time,
// and the panel shows it with its caption.
func TestFaultKeysInject(t *testing.T) {
	for k, f := range faultKeys {
		t.Run(string(f), func(t *testing.T) {
			eng := newEngine(t, "steady", 42*time.Second)
			m := newModel(t, eng, 10, 120, 40, nil)
			n := len(eng.Events())
			m.Update(key(k))
			evs := eng.Events()
			require.Len(t, evs, n+1, "one event more")
			ev := evs[len(evs)-1]
			assert.True(t, ev.Injected)
			assert.Equal(t, 42*time.Second, ev.Start)
			want, err := LiveEvent(f, eng.Scenario(), m.Frame().Stats, 42*time.Second)
			require.NoError(t, err)
			assert.Equal(t, want.Kind, ev.Kind)
			if ev.End > ev.Start {
				assert.Contains(t, screen(m), "now: "+string(ev.Kind)+" (injected)")
				assert.Contains(t, screen(m), ev.Caption)
			}
		})
	}
}

// An outage injected from the keyboard refuses connections: after it the
// origin has no open connections and the clients reconnect.
func TestInjectedOutageEmptiesTheOrigin(t *testing.T) {
	eng := newEngine(t, "steady", time.Minute)
	m := newModel(t, eng, 10, 120, 40, nil)
	require.Positive(t, m.Frame().Origin.Connections)
	m.Update(key("o"))
	eng.RunUntil(70 * time.Second)
	m.Update(key("r"))
	assert.Zero(t, m.Frame().Origin.Connections)
	assert.Positive(t, m.Frame().Stats.TotalReconnections)
}

// An inject the engine refuses (the run is over) is shown, not fatal.
func TestInjectAfterTheEndShowsTheError(t *testing.T) {
	sc, err := scenario.Preset("steady")
	require.NoError(t, err)
	sc.Duration = scenario.Duration(10 * time.Second)
	eng, err := engine.New(sc)
	require.NoError(t, err)
	eng.Run()
	m := newModel(t, eng, 10, 120, 40, nil)
	m.Update(key("o"))
	assert.Contains(t, screen(m), "inject outage:")
}

// q, Ctrl-C and Esc quit; before the end the run is interrupted.
func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c", "esc"} {
		eng := newEngine(t, "steady", 5*time.Second)
		m := newModel(t, eng, 10, 120, 40, nil)
		var msg tea.KeyMsg
		if k == "esc" {
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		} else {
			msg = key(k)
		}
		_, cmd := m.Update(msg)
		assert.True(t, isQuit(cmd), k)
		assert.True(t, m.Interrupted(), k)
		assert.Empty(t, m.View(), "%s: nothing is drawn once quitting", k)
	}
	// A QuitMsg (a signal, a cancelled context) quits the same way.
	m := newModel(t, newEngine(t, "steady", 5*time.Second), 10, 120, 40, nil)
	_, cmd := m.Update(QuitMsg{})
	assert.True(t, isQuit(cmd))
	assert.True(t, m.Interrupted())
}

// The run's end quits without interruption.
func TestEndOfRunQuits(t *testing.T) {
	sc, err := scenario.Preset("steady")
	require.NoError(t, err)
	sc.Duration = scenario.Duration(3 * time.Second)
	eng, err := engine.New(sc)
	require.NoError(t, err)
	clock := newClock()
	m := newModel(t, eng, 10, 120, 40, clock)
	m.Update(TickMsg{})
	clock.Advance(time.Second)
	_, cmd := m.Update(TickMsg{})
	require.True(t, eng.Done())
	assert.True(t, isQuit(cmd))
	assert.False(t, m.Interrupted())
}

// The engine advances at every tick; the frame is read and drawn every
// Redraw of wall time (and at once on a key).
func TestRedrawEvery(t *testing.T) {
	clock := newClock()
	eng := newEngine(t, "steady", 0)
	m := newModel(t, eng, 10, 120, 40, clock)
	m.Update(TickMsg{})
	clock.Advance(Redraw)
	m.Update(TickMsg{})
	require.Equal(t, eng.Now(), m.Frame().Now)
	drawn := screen(m)

	before := eng.Now()
	clock.Advance(Refresh)
	m.Update(TickMsg{})
	assert.Greater(t, eng.Now(), before, "the engine ran on")
	assert.Less(t, m.Frame().Now, eng.Now(), "no new frame before Redraw")
	assert.Equal(t, drawn, screen(m), "the same screen")

	clock.Advance(Redraw - Refresh)
	m.Update(TickMsg{})
	assert.Equal(t, eng.Now(), m.Frame().Now, "a new frame after Redraw")
	assert.NotEqual(t, drawn, screen(m))

	m.Update(key(" "))
	assert.Contains(t, screen(m), "PAUSED", "a key redraws at once")
}
