package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/cmd/sim-native/internal/tui"
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

func TestTUIFlag(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "--tui", "--duration", "10s"}, exitUsage, "--tui needs a paced run: give --speed"},
		{[]string{"run", "--tui=maybe", "--speed", "10"}, exitUsage, "--tui"},
		{[]string{"run", "--tui=false", "--speed", "1000000", "--duration", "10s", "--quiet"}, exitOK, ""},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, env{stdout: &out, stderr: &errb})
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errb.String())
		assert.Contains(t, errb.String(), tc.msg, "%v", tc.args)
	}
}

// Unset, --tui is on only for a paced run that writes to a terminal.
func TestWantDashboard(t *testing.T) {
	buf := env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	on, err := wantDashboard(buf, tuiFlag{}, 10, false)
	require.NoError(t, err)
	assert.False(t, on, "piped: off")
	on, err = wantDashboard(buf, tuiFlag{set: true, on: true}, 10, false)
	require.NoError(t, err)
	assert.True(t, on, "--tui: on")
	on, err = wantDashboard(buf, tuiFlag{set: true, on: false}, 10, false)
	require.NoError(t, err)
	assert.False(t, on, "--tui=false: off")
}

// A run driven by the dashboard is a whole run: every sample, the final
// snapshot at the end, and the exporter fed as it goes.
func TestSimulateWithDashboard(t *testing.T) {
	sc, err := scenario.Preset("steady")
	require.NoError(t, err)
	sc.Duration = scenario.Duration(20 * time.Second)
	sc.Clients.Count = 30
	published := 0
	o := driveOpts{speed: 1e6, dashboard: func(ctx context.Context, eng *engine.Engine, publish func()) (bool, error) {
		in, w := io.Pipe()
		defer w.Close()
		return tui.Run(ctx, tui.Config{Engine: eng, Speed: 0, Publish: func() { published++; publish() }},
			tui.Terminal{In: in, Out: io.Discard})
	}}
	run, interrupted, err := simulate(context.Background(), sc, o)
	require.NoError(t, err)
	assert.False(t, interrupted)
	assert.Equal(t, 20*time.Second, run.Final.Elapsed)
	assert.Len(t, run.Series, 20, "one sample per virtual second")
	assert.Positive(t, published)

	// The same run without the dashboard: the same final figures.
	plain, _, err := simulate(context.Background(), sc, driveOpts{})
	require.NoError(t, err)
	assert.Equal(t, plain.Final.TotalSegmentReqs, run.Final.TotalSegmentReqs)
	assert.Equal(t, plain.Final.TotalBytes, run.Final.TotalBytes)
}
