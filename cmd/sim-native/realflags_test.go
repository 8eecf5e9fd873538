package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// realToolFlags is every flag go-ffmpeg-hls-swarm's internal/config/flags.go
// defines (at commit 946160b), with its default as its -help prints it.
var realToolFlags = map[string]string{
	"clients": "10", "ramp-rate": "5", "ramp-jitter": "200ms", "duration": "0s",
	"variant": "all", "probe-failure-policy": "fallback",
	"resolve": "", "no-cache": "false", "header": "",
	"dangerous": "false", "print-cmd": "false", "check": "false", "skip-preflight": "false",
	"metrics": "0.0.0.0:17091", "v": "false", "log-format": "json",
	"ffmpeg": "ffmpeg", "user-agent": "go-ffmpeg-hls-swarm/1.0", "timeout": "15s",
	"reconnect": "true", "reconnect-delay": "5", "seg-retry": "3",
	"target-duration": "6s", "restart-on-stall": "false",
	"stats": "true", "stats-loglevel": "debug", "stats-buffer": "1000", "stats-drop-threshold": "0.01",
	"ffmpeg-debug": "false", "tui": "true", "prom-client-metrics": "false",
	"origin-metrics": "", "nginx-metrics": "", "origin-metrics-interval": "2s", "origin-metrics-window": "30s",
	"origin-metrics-host": "", "origin-metrics-node-port": "9100", "origin-metrics-nginx-port": "9113",
	"segment-sizes-url": "", "segment-sizes-interval": "1s", "segment-sizes-jitter": "500ms",
	"segment-cache-window": "300",
}

// runFlags parses args as sim-native run does and applies them to the
// default scenario.
func runFlags(t *testing.T, args ...string) (*scenario.Scenario, *flag.FlagSet, error) {
	t.Helper()
	fs := newFlagSet(env{stdout: io.Discard, stderr: io.Discard}, "run", "", "", "")
	var ov overrides
	ov.register(fs)
	registerRealFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return nil, fs, err
	}
	sc := scenario.Defaults()
	return &sc, fs, ov.apply(fs, &sc)
}

// runHelpFlags returns the flag names sim-native run --help lists.
func runHelpFlags(t *testing.T) map[string]bool {
	t.Helper()
	var stdout bytes.Buffer
	run(context.Background(), []string{"run", "--help"}, env{stdout: &stdout, stderr: io.Discard})
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(stdout.String(), -1) {
		names[m[1]] = true
	}
	require.NotEmpty(t, names)
	return names
}

// sim-native run knows every flag of the real tool; the table's defaults
// are the real tool's, and nothing in it is a flag the real tool lacks.
func TestRealFlagsAreTheRealToolsFlags(t *testing.T) {
	known := runHelpFlags(t)
	for name, def := range realToolFlags {
		assert.True(t, known[name], "sim-native run accepts -%s", name)
		if rf := realFlagNamed(name); rf != nil {
			assert.Equal(t, def, rf.def, "-%s's default", name)
		}
	}
	for _, rf := range realFlags {
		_, ok := realToolFlags[rf.name]
		assert.True(t, ok, "-%s is not a flag of the real tool", rf.name)
		assert.True(t, (rf.key == "") != (rf.effect == ""), "-%s has a key or says why it has no effect", rf.name)
	}
}

// The real tool's defaults are the scenario's defaults for every key its
// flags set, so flags that are left out replay as the real tool runs.
func TestRealFlagDefaultsAreScenarioDefaults(t *testing.T) {
	for _, rf := range realFlags {
		if rf.key == "" {
			continue
		}
		def, _, err := runFlags(t)
		require.NoError(t, err)
		given, _, err := runFlags(t, "-"+rf.name+"="+rf.def)
		require.NoError(t, err, rf.name)
		assert.Equal(t, def, given, "-%s %s is the scenario default", rf.name, rf.def)
	}
}

// Each real flag that changes what the clients do sets its scenario key.
func TestRealFlagsSetScenarioKeys(t *testing.T) {
	for _, tc := range []struct {
		args []string
		got  func(*scenario.Scenario) any
		want any
	}{
		{[]string{"-ramp-rate", "50"}, func(s *scenario.Scenario) any { return s.Clients.RampRate }, 50.0},
		{[]string{"-ramp-rate=0"}, func(s *scenario.Scenario) any { return s.Clients.RampRate }, 0.0},
		{[]string{"-ramp-jitter", "1s"}, func(s *scenario.Scenario) any { return s.Clients.RampJitter }, scenario.Duration(time.Second)},
		{[]string{"-variant", "highest"}, func(s *scenario.Scenario) any { return s.Clients.Variant }, "highest"},
		{[]string{"-variant", "first"}, func(s *scenario.Scenario) any { return s.Clients.Variant }, "first"},
		{[]string{"-timeout", "5s"}, func(s *scenario.Scenario) any { return s.Clients.Timeout }, scenario.Duration(5 * time.Second)},
		{[]string{"-seg-retry", "0"}, func(s *scenario.Scenario) any { return s.Clients.SegmentRetries }, 0},
		{[]string{"-stats-buffer", "200"}, func(s *scenario.Scenario) any { return s.Clients.StatsBuffer }, 200},
		{[]string{"-stats-buffer", "0"}, func(s *scenario.Scenario) any { return s.Clients.StatsBuffer }, 1000},
		{[]string{"-stats-buffer", "-5"}, func(s *scenario.Scenario) any { return s.Clients.StatsBuffer }, 1000},
		{[]string{"-clients", "300"}, func(s *scenario.Scenario) any { return s.Clients.Count }, 300},
		{[]string{"--duration", "5m"}, func(s *scenario.Scenario) any { return s.Duration }, scenario.Duration(5 * time.Minute)},
	} {
		sc, _, err := runFlags(t, tc.args...)
		require.NoError(t, err, "%v", tc.args)
		assert.Equal(t, tc.want, tc.got(sc), "%v", tc.args)
	}
}

// Bad values are errors naming the flag; so are unknown flags and two
// options that set one key.
func TestRealFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-ramp-rate", "2.5"}, `"2.5" is not an integer`},
		{[]string{"-timeout", "15"}, `"15" is not a duration`},
		{[]string{"-reconnect=maybe"}, `"maybe" is not true or false`},
		{[]string{"-variant", "best"}, `-variant: clients.variant: "best" is not allowed`},
		{[]string{"-seg-retry", "1000"}, `-seg-retry: clients.segment_retries: 1000 is out of range 0..100`},
		{[]string{"-ramp-rate", "5", "--set", "ramp_rate=3"}, "both set clients.ramp_rate"},
		{[]string{"-variant", "all", "-variant", "lowest"}, "given twice"},
		{[]string{"-no-such-flag"}, "flag provided but not defined: -no-such-flag"},
	} {
		_, _, err := runFlags(t, tc.args...)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

// Every real flag without effect is accepted by sim-native run and
// reported on stderr, one line each naming the flag, its value and why;
// flags with an effect are not reported.
func TestRealFlagsWithoutEffectAreReported(t *testing.T) {
	args := []string{"run", "--quiet", "--clients", "2", "--duration", "5s", "-variant", "lowest", "-ramp-rate", "50"}
	want := map[string]string{}
	for _, rf := range realFlags {
		if rf.key != "" {
			continue
		}
		arg, shown := "-"+rf.name, "-"+rf.name
		switch rf.kind {
		case realInt:
			arg, shown = arg+"=7", shown+" 7"
		case realDuration:
			arg, shown = arg+"=3s", shown+" 3s"
		case realFloat:
			arg, shown = arg+"=0.5", shown+" 0.5"
		case realString:
			arg, shown = arg+"=x", shown+" x"
		case realList:
			args = append(args, arg, "X-A: 1")
			arg, shown = "X-B: 2", shown+` "X-A: 1" -`+rf.name+` "X-B: 2"`
			args = append(args, "-"+rf.name)
		}
		args = append(args, arg)
		want[rf.name] = "sim-native: " + shown + " has no effect in simulation (" + rf.effect + ")"
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{stdout: &stdout, stderr: &stderr})
	require.Equal(t, 0, code, stderr.String())
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	for name, line := range want {
		assert.Contains(t, lines, line, "-%s", name)
	}
	assert.Len(t, lines, len(want), "one line per flag without effect, none for -variant or -ramp-rate")
}

// Command lines from the real tool's CLI reference replay in simulation:
// the stream URL and the network flags are reported as without effect, the
// others set the run's scenario.
func TestRealCommandLineReplays(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		line    string // documents/user-guide/configuration/CLI_REFERENCE.md
		clients int
		variant string
		dur     time.Duration
		notes   []string
	}{
		{"-clients 100 -variant all -duration 30m https://your-cdn.com/live/master.m3u8", 100, "all", 30 * time.Minute,
			[]string{"the stream URL https://your-cdn.com/live/master.m3u8 has no effect"}},
		{"-clients 200 -variant lowest -duration 1h https://your-cdn.com/live/master.m3u8", 200, "lowest", time.Hour, nil},
		{"-clients 50 -no-cache -resolve 192.168.1.100 --dangerous -duration 1m https://cdn.example.com/live/master.m3u8", 50, "all", time.Minute,
			[]string{"-no-cache has no effect", "-resolve 192.168.1.100 has no effect", "-dangerous has no effect"}},
	} {
		t.Run(tc.line, func(t *testing.T) {
			out := filepath.Join(dir, "run.json")
			args := append([]string{"run", "--quiet", "--json", out}, strings.Fields(tc.line)...)
			// the URL ends the flags, as in the real tool: --json goes first
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, env{stdout: &stdout, stderr: &stderr})
			require.Equal(t, 0, code, stderr.String())
			for _, n := range tc.notes {
				assert.Contains(t, stderr.String(), n)
			}
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			var got struct {
				Scenario scenario.Scenario `json:"scenario"`
			}
			require.NoError(t, json.Unmarshal(data, &got))
			assert.Equal(t, tc.clients, got.Scenario.Clients.Count)
			assert.Equal(t, tc.variant, got.Scenario.Clients.Variant)
			assert.Equal(t, scenario.Duration(tc.dur), got.Scenario.Duration)
		})
	}
	// a positional argument that is no URL is still an error
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "steady"}, env{stdout: io.Discard, stderr: &stderr})
	assert.Equal(t, exitUsage, code)
	assert.True(t, slices.Contains(strings.Fields(stderr.String()), "argument"), stderr.String())
}
