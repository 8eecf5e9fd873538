package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

const (
	enterAltScreen = "\x1b[?1049h"
	exitAltScreen  = "\x1b[?1049l"
)

func shortEngine(t *testing.T, d time.Duration) *engine.Engine {
	t.Helper()
	sc, err := scenario.Preset("steady")
	require.NoError(t, err)
	sc.Duration = scenario.Duration(d)
	sc.Clients.Count = 20
	eng, err := engine.New(sc)
	require.NoError(t, err)
	return eng
}

// q on the terminal ends the program before the run's end: interrupted,
// and the terminal is left as it was (the alternate screen is left).
func TestRunQuitKey(t *testing.T) {
	eng := shortEngine(t, time.Hour)
	var out bytes.Buffer
	interrupted, err := Run(context.Background(), Config{Engine: eng, Speed: 1, Renderer: plain()},
		Terminal{In: strings.NewReader("q"), Out: &out})
	require.NoError(t, err)
	assert.True(t, interrupted)
	assert.False(t, eng.Done())
	s := out.String()
	require.Contains(t, s, enterAltScreen)
	assert.Greater(t, strings.LastIndex(s, exitAltScreen), strings.LastIndex(s, enterAltScreen), "the terminal is restored")
}

// The run's end ends the program, not interrupted.
func TestRunToTheEnd(t *testing.T) {
	eng := shortEngine(t, 4*time.Second)
	in, w := io.Pipe() // no keys
	defer w.Close()
	var out bytes.Buffer
	interrupted, err := Run(context.Background(), Config{Engine: eng, Speed: 0, Renderer: plain()},
		Terminal{In: in, Out: &out})
	require.NoError(t, err)
	assert.False(t, interrupted)
	assert.True(t, eng.Done())
	assert.Contains(t, out.String(), exitAltScreen)
}

// A cancelled context (Ctrl-C as a signal) ends the program: interrupted.
func TestRunCancelled(t *testing.T) {
	eng := shortEngine(t, time.Hour)
	in, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	published := make(chan struct{}, 1)
	publish := func() {
		select {
		case published <- struct{}{}:
		default:
		}
	}
	go func() { <-published; cancel() }() // once the program runs
	var out bytes.Buffer
	interrupted, err := Run(ctx, Config{Engine: eng, Speed: 60, Renderer: plain(), Publish: publish},
		Terminal{In: in, Out: &out})
	require.NoError(t, err)
	assert.True(t, interrupted)
	assert.Contains(t, out.String(), exitAltScreen)
}
