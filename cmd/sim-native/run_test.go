package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/cmd/sim-native/internal/progress"
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
		{"complete", time.Minute, false, `(?m)^Run Duration:\s+00:01:00$`},
		{"interrupted", 2400 * time.Millisecond, true, `(?m)^Run Duration:\s+00:00:02 of 00:01:00 \(interrupted\)$`},
		{"interrupted at once", 0, true, `(?m)^Run Duration:\s+00:00:00 of 00:01:00 \(interrupted\)$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := &export.Run{Scenario: &sc, Final: &stats.AggregatedStats{Elapsed: tc.elapsed}}
			assert.Regexp(t, regexp.MustCompile(tc.want), exitSummary(run, "", nil, tc.interrupted))
		})
	}
}

// The exit summary's exit-code section comes from the engine: an outage that
// makes processes fail shows how many exited with FFmpeg's error code.
func TestExitSummaryExitCodes(t *testing.T) {
	sc, err := scenario.Preset("origin-outage")
	require.NoError(t, err)
	run, interrupted, err := simulate(context.Background(), sc, driveOpts{bar: progress.New(io.Discard, sc.Duration.D(), false, time.Now)})
	require.NoError(t, err)
	require.False(t, interrupted)
	require.Positive(t, run.ExitCodes[1], "the outage made processes exit")
	assert.Equal(t, run.Final.TotalProcessRestarts, int64(run.ExitCodes[1]), "every restart followed an exit")
	out := exitSummary(run, "", nil, false)
	assert.Regexp(t, regexp.MustCompile(fmt.Sprintf(`(?m)^\s+1 \(error\)\s+%d$`, run.ExitCodes[1])), out)
}

// A run whose context is cancelled (Ctrl-C) shows the virtual time that ran, not the
// planned duration, and exits with 1.
func TestInterruptedRunSummaryShowsElapsed(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"run", "--duration", "1m", "--clients", "5"}, env{stdout: &stdout, stderr: &stderr})
	assert.Equal(t, exitFailure, code)
	assert.Regexp(t, `(?m)^Run Duration:\s+00:00:00 of 00:01:00 \(interrupted\)$`, stdout.String())
	assert.Contains(t, stderr.String(), "interrupted at")
}

// Every output is checked by creating a temporary file beside it before the run: an
// output that cannot be written fails at once (exit 1, the I/O code of docs/CLI.md),
// before any summary is printed, instead of after the whole run.
func TestUnwritableOutputFailsBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "blocked.json"), 0o755))
	tests := []struct {
		args     []string
		contains string
	}{
		{[]string{"run", "--duration", "30s", "--json", "blocked.json"}, "--json blocked.json: is a directory"},
		{[]string{"run", "--duration", "30s", "--csv", "ok.csv", "--report", "blocked.json"}, "--report blocked.json"},
		{[]string{"sweep", "--duration", "30s", "--param", "clients=5,10", "--seeds", "1", "--slo", "error_rate<1", "--csv", "blocked.json"}, "--csv blocked.json"},
	}
	if st, err := os.Stat("/proc"); err == nil && st.IsDir() && runtime.GOOS == "linux" {
		tests = append(tests, struct {
			args     []string
			contains string
		}{[]string{"run", "--duration", "30s", "--json", "/proc/x.json"}, "--json /proc/x.json: cannot create a file in /proc"})
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, dir, tc.args...)
			assert.Equal(t, 1, r.code, r.stderr)
			assert.Empty(t, r.stdout, "nothing ran")
			assert.Contains(t, r.stderr, tc.contains)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the check leaves no file behind")
	assert.Equal(t, "blocked.json", entries[0].Name())
}

// A run with overrides is described from its values, with the options that changed
// it: the preset's story (200 viewers, a 20x headroom) would be false of it. The
// description travels with the scenario into the summary, the JSON and the report.
func TestOverridesDescribeTheRun(t *testing.T) {
	parse := func(args ...string) (*scenario.Scenario, error) {
		sc, err := scenario.Preset("steady")
		require.NoError(t, err)
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		var ov overrides
		ov.register(fs)
		require.NoError(t, fs.Parse(args))
		return sc, ov.apply(fs, sc)
	}
	sc, err := parse("--clients", "3000", "--set", "capacity=5000", "--duration", "10m")
	require.NoError(t, err)
	// 3000 x (2000 + 128) kbps = 6384 Mbit/s; 5000 / 6384 = 78.32 %
	assert.Equal(t, "3000 viewers join at 20/s and play 2000+128 kbps for 10m; the 5000 Mbit/s origin "+
		"carries at most 78.32% of the 6384 Mbit/s they play. "+
		"Overrides of steady: --clients 3000, --duration 10m, --set capacity=5000.", sc.Description)
	out := exitSummary(&export.Run{Scenario: sc, Final: &stats.AggregatedStats{}}, "", nil, false)
	assert.Contains(t, out, sc.Description)
	assert.NotContains(t, out, "200 viewers")

	// 200 x 2.128 = 425.6 Mbit/s on 10 Gbit/s: 23.5x
	sc, err = parse("--seed", "9")
	require.NoError(t, err)
	assert.Equal(t, "200 viewers join at 20/s and play 2000+128 kbps for 5m; the 10000 Mbit/s origin "+
		"has 23.5x the 425.6 Mbit/s they play. Overrides of steady: --seed 9.", sc.Description)

	sc, err = parse()
	require.NoError(t, err)
	preset, err := scenario.Preset("steady")
	require.NoError(t, err)
	assert.Equal(t, preset.Description, sc.Description, "without overrides, the preset's own story")
}

// --metrics-addr :PORT is loopback; an address beyond it is served with a warning.
func TestMetricsAddrBeyondLoopbackWarns(t *testing.T) {
	for addr, beyond := range map[string]bool{
		":9100": false, "127.0.0.1:9100": false, "[::1]:0": false, "localhost:9100": false,
		"0.0.0.0:9100": true, "[::]:9100": true, "192.0.2.7:9100": true, "metrics.example:9100": true,
	} {
		assert.Equal(t, beyond, beyondLoopback(addr), addr)
	}
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"run", "--duration", "5s", "--clients", "2", "--quiet", "--metrics-addr", "0.0.0.0:0"}, env{stdout: &stdout, stderr: &stderr})
	require.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stderr.String(), "sim-native: warning: --metrics-addr 0.0.0.0:0 listens beyond this machine")
	stderr.Reset()
	code = run(t.Context(), []string{"run", "--duration", "5s", "--clients", "2", "--quiet", "--metrics-addr", ":0"}, env{stdout: &stdout, stderr: &stderr})
	require.Equal(t, exitOK, code, stderr.String())
	assert.NotContains(t, stderr.String(), "warning")
}

// The exit summary names both speeds: the instantaneous one (states, stalls) and
// FFmpeg's running average, the figure the real tool reads.
func TestExitSummaryNamesBothSpeeds(t *testing.T) {
	sc := scenario.Defaults()
	final := &stats.AggregatedStats{ActiveClients: 10, ClientsBelowRealtime: 10, AverageSpeed: 0.5, AverageFFmpegSpeed: 0.97}
	out := exitSummary(&export.Run{Scenario: &sc, Final: final}, "", nil, false)
	assert.Regexp(t, `(?m)^  Average speed \(instantaneous\):\s+0\.50x$`, out)
	assert.Regexp(t, `(?m)^  Average speed \(FFmpeg avg\):\s+0\.97x$`, out)
}
