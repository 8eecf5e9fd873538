package tui

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata/")

// manualClock is a wall clock the test moves.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *manualClock { return &manualClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// plain is a renderer without colour, as under NO_COLOR.
func plain() *lipgloss.Renderer {
	return lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
}

// newEngine builds a preset's engine, run to at.
func newEngine(t *testing.T, preset string, at time.Duration) *engine.Engine {
	t.Helper()
	sc, err := scenario.Preset(preset)
	require.NoError(t, err)
	eng, err := engine.New(sc)
	require.NoError(t, err)
	eng.RunUntil(at)
	return eng
}

// newModel is a dashboard of eng at a size, drawn without colour, paced by
// clock (nil: a manual clock).
func newModel(t *testing.T, eng *engine.Engine, speed float64, w, h int, clock *manualClock) *Model {
	t.Helper()
	if clock == nil {
		clock = newClock()
	}
	m := New(Config{Engine: eng, Speed: speed, Clock: clock, Renderer: plain(),
		Stream: "simulated (scenario " + eng.Scenario().Name + ")"})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// screen is the model's view as text: no escape codes, no trailing blanks.
func screen(m *Model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// golden compares got with testdata/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	require.Equal(t, string(want), got, "%s differs (go test ./cmd/sim-native/internal/tui -update rewrites it)", path)
}

func key(k string) tea.KeyMsg {
	switch k {
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
