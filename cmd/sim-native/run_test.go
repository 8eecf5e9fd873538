package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/export"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

func TestExitSummaryDuration(t *testing.T) {
	sc := scenario.Defaults()
	require.NoError(t, sc.Set("duration", "1m"))
	tests := []struct {
		name        string
		elapsed     time.Duration
		interrupted bool
		want        string
	}{
		{"complete", time.Minute, false, `(?m)^  Duration:\s+1m00s$`},
		{"interrupted", 2400 * time.Millisecond, true, `(?m)^  Duration:\s+2\.4s of 1m00s \(interrupted\)$`},
		{"interrupted at once", 0, true, `(?m)^  Duration:\s+0ms of 1m00s \(interrupted\)$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := &export.Run{Scenario: &sc, Final: &stats.AggregatedStats{Elapsed: tc.elapsed}}
			assert.Regexp(t, regexp.MustCompile(tc.want), exitSummary(run, "", nil, tc.interrupted))
		})
	}
}

// A run whose context is cancelled (Ctrl-C) shows the virtual time that ran, not the
// planned duration, and exits with 1.
func TestInterruptedRunSummaryShowsElapsed(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"run", "--duration", "1m", "--clients", "5"}, env{stdout: &stdout, stderr: &stderr})
	assert.Equal(t, exitFailure, code)
	assert.Regexp(t, `(?m)^  Duration:\s+0ms of 1m00s \(interrupted\)$`, stdout.String())
	assert.Contains(t, stderr.String(), "interrupted at")
}
