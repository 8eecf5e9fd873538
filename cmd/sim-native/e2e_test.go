package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"swarmsim/cmd/sim-native/internal/report"
)

// binary is the sim-native executable built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sim-native-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "sim-native")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building sim-native:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testEnv is the environment of the binary under test: the race detector's default
// one-second pause at exit is turned off (the race build still reports races, exit 66).
func testEnv() []string {
	return append(os.Environ(), "GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
}

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the binary in dir (a temporary directory when empty) and returns its output
// and exit code.
func cli(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return cliEnv(t, dir, nil, args...)
}

// cliEnv is cli with extra environment variables: it runs sim-native in dir and
// requires that it did not panic.
func cliEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(testEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	r := result{out.String(), errb.String(), code}
	assert.NotContains(t, r.stderr, "panic", "sim-native %v", args)
	assert.NotContains(t, r.stderr, "goroutine ", "sim-native %v", args)
	return r
}

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestDefaultRun(t *testing.T) {
	r := cli(t, t.TempDir())
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "no progress bar when stderr is not a terminal")
	for _, s := range []string{"swarmsim Exit Summary", "Request Statistics", "Latency (merged over all clients)",
		"Playback Health", "Scenario", "steady (seed 1)", "Events", "Target Clients:"} {
		assert.Contains(t, r.stdout, s)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"sweep", "--help"}, {"compare", "--help"}, {"validate", "--help"}, {"scenarios", "--help"}} {
		r := cli(t, "", args...)
		assert.Equal(t, 0, r.code, "%v", args)
		assert.Contains(t, r.stdout, "sim-native", "%v", args)
	}
	r := cli(t, "", "run", "--help")
	assert.Equal(t, 1, strings.Count(r.stdout, "Usage: sim-native run"), "usage printed once")
	assert.Contains(t, r.stdout, "final snapshot")
	assert.Contains(t, r.stdout, "stalled_ratio")
	assert.Contains(t, r.stdout, "exits with code 3")
	assert.Contains(t, r.stdout, "\nFlags:\n")
	for _, cmd := range []string{"compare", "validate", "scenarios", "version"} {
		r = cli(t, "", cmd, "--help")
		assert.NotContains(t, r.stdout, "Flags:", "%s has no flags: no empty section", cmd)
	}
	r = cli(t, "", "sweep", "--help")
	assert.Contains(t, r.stdout, "strict\nmajority")
	assert.NotContains(t, r.stdout, "code 3", "sweep exits 0 whatever the SLO verdicts")
	assert.Contains(t, r.stdout, "sweep exits with code 0 whatever the verdicts")
}

func TestScenariosListsPresets(t *testing.T) {
	r := cli(t, "", "scenarios")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "steady (default)")
	assert.Contains(t, r.stdout, "capacity-knee")
	assert.GreaterOrEqual(t, strings.Count(r.stdout, "\n"), 5)
}

// runJSON is the part of the JSON file the tests read.
type runJSON struct {
	Scenario struct {
		Name     string
		Seed     uint64
		Duration string
		Stream   struct {
			SegmentDuration string    `json:"segment_duration"`
			BitratesKbps    []float64 `json:"bitrates_kbps"`
			AudioKbps       float64   `json:"audio_kbps"`
			ManifestBytes   float64   `json:"manifest_bytes"`
		}
		Clients struct {
			Count    int
			RampRate float64 `json:"ramp_rate"`
		}
		Origin struct {
			CapacityMbps float64 `json:"capacity_mbps"`
		}
		Events []any
	}
	Seed   uint64
	Final  map[string]any
	Series []map[string]float64
	Events []map[string]any
}

func readRunJSON(t *testing.T, path string) runJSON {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var r runJSON
	require.NoError(t, json.Unmarshal(data, &r))
	return r
}

// The default preset (steady) over 60 s, checked against arithmetic on the scenario as
// the JSON resolves it. With N viewers starting one after another at R per second, viewer
// i plays from about i/R to the end, so together they play sum(D - i/R) seconds: that
// many seconds / segment duration segments, plus at most 3 extra per viewer for the start
// burst; each segment carries (video + audio kbps) x segment seconds / 8 bytes. For the
// preset as written (200 viewers at 20/s, 2 s of 2000+128 kbps) that is 11005 viewer-
// seconds, 5502 segments of 532000 bytes, and 100 segments/s once everyone plays.
func TestPresetJSONMatchesArithmetic(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, dir, "run", "--scenario", "steady", "--duration", "60s", "--json", "run.json", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stdout, "--quiet prints no summary")
	run := readRunJSON(t, filepath.Join(dir, "run.json"))
	sc := run.Scenario

	assert.Equal(t, "steady", sc.Name)
	assert.Equal(t, "1m", sc.Duration, "the override is in the resolved scenario")
	assert.Equal(t, sc.Seed, run.Seed)
	require.Empty(t, sc.Events, "the arithmetic below assumes no events")
	segSec, err := time.ParseDuration(sc.Stream.SegmentDuration)
	require.NoError(t, err)
	clients, rampRate, dur := float64(sc.Clients.Count), sc.Clients.RampRate, 60.0
	require.Positive(t, rampRate)
	kbps := sc.Stream.BitratesKbps[0] + sc.Stream.AudioKbps
	require.Less(t, clients*kbps/1000, sc.Origin.CapacityMbps, "the origin has headroom")

	f := run.Final
	assert.Equal(t, clients, f["TotalClients"])
	assert.Equal(t, dur, f["Elapsed"], "durations are seconds")

	playSeconds := 0.0
	for i := 0.0; i < clients; i++ {
		playSeconds += max(0, dur-i/rampRate)
	}
	segs := f["TotalSegmentReqs"].(float64)
	assert.GreaterOrEqual(t, segs, playSeconds/segSec.Seconds()-clients, "segments")
	assert.LessOrEqual(t, segs, playSeconds/segSec.Seconds()+3*clients, "segments")

	segBytes := kbps * 1000 * segSec.Seconds() / 8
	manifestBytes := sc.Stream.ManifestBytes * f["TotalManifestReqs"].(float64)
	perSeg := (f["TotalBytes"].(float64) - manifestBytes) / segs
	assert.InEpsilon(t, segBytes, perSeg, 0.01, "bytes per segment from the bitrate")

	// Steady state (everyone started after clients/rampRate s): one segment per viewer
	// per segment duration.
	require.Less(t, clients/rampRate+2*segSec.Seconds(), dur)
	last := run.Series[len(run.Series)-1]
	assert.InEpsilon(t, clients/segSec.Seconds(), last["SegmentRate"], 0.1)
	assert.InEpsilon(t, clients*kbps*1000/8, last["ThroughputBps"], 0.15)
	assert.Equal(t, last["SegmentRate"], f["InstantSegmentRate"], "the final instant rates are the last interval's")
	require.Len(t, run.Series, 60, "one sample per second")
	assert.Equal(t, map[string]any{}, f["TotalHTTPErrors"])
}

func TestCSVHeaderAndRows(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, dir, "run", "--duration", "30s", "--clients", "20", "--csv", "series.csv", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	f, err := os.Open(filepath.Join(dir, "series.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+30, "a header and one row per second")
	assert.Equal(t, "T", rows[0][0])
	assert.Contains(t, rows[0], "Clients")
	assert.Contains(t, rows[0], "SegmentRate")
	for i, row := range rows[1:] {
		assert.Equal(t, strconv.Itoa(i+1), row[0])
	}
}

func TestSLOExitCodes(t *testing.T) {
	tests := []struct {
		slo    string
		code   int
		stderr string
	}{
		{"error_rate<0.5,avg_speed>=0.9", 0, ""},
		{"avg_speed>2", 3, "SLO violated: avg_speed>2"},
		{"error_rate<0.5,active_clients<10", 3, "SLO violated: active_clients<10"},
		{"latency<1", 2, `unknown metric "latency"; valid metrics:`},
		{"error_rate=1", 2, "unsupported operator"},
	}
	for _, tc := range tests {
		t.Run(tc.slo, func(t *testing.T) {
			r := cli(t, t.TempDir(), "run", "--duration", "20s", "--clients", "20", "--slo", tc.slo)
			assert.Equal(t, tc.code, r.code, r.stderr)
			if tc.stderr != "" {
				assert.Contains(t, r.stderr, tc.stderr)
			}
			if tc.code == 2 {
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one clear line: %q", r.stderr)
				assert.Contains(t, r.stderr, `--slo: term "`+tc.slo+`"`, "no 'slo: slo:' stutter")
			} else {
				assert.Contains(t, r.stdout, "SLO (final snapshot)")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeTestFile(t, dir, "good.yaml", "name: ok\nduration: 1m\nclients:\n  count: 10\n")
	tests := []struct {
		name, content string
		contains      []string
	}{
		{"range.yaml", "name: r\nclients:\n  count: 0\n", []string{"range.yaml:3", "clients.count", "1..1000000"}},
		{"unknown.yaml", "name: u\nclinets:\n  count: 5\n", []string{"unknown.yaml:2", "clinets"}},
		{"syntax.yaml", "name: [unclosed\n", []string{"syntax.yaml"}},
		{"event.yaml", "name: e\nduration: 1m\nevents:\n  - at: 2m\n    duration: 10s\n    kind: outage\n", []string{"event.yaml:4", "events[0].at"}},
		{"bad.json", `{"name": "j", "clients": {"count": "many"}}`, []string{"bad.json", "clients.count"}},
		// structure and range problems in one pass
		{"both.yaml", "name: b\nclinets: 5\nclients:\n  count: 0\n", []string{"both.yaml:2", "clinets", "both.yaml:4", "clients.count: 0 is out of range 1..1000000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTestFile(t, dir, tc.name, tc.content)
			r := cli(t, dir, "validate", p)
			assert.Equal(t, 2, r.code)
			for _, s := range tc.contains {
				assert.Contains(t, r.stderr, s)
			}
			// The same file given to run fails the same way.
			r = cli(t, dir, "run", "--scenario", p)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, tc.contains[0])
		})
	}
	oneEvent := writeTestFile(t, dir, "one.yaml", "name: one\nduration: 1m\nevents:\n  - at: 10s\n    duration: 5s\n    kind: outage\n")
	r := cli(t, dir, "validate", good, oneEvent)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "good.yaml: ok (ok: 10 clients, 1m, 0 events)")
	assert.Contains(t, r.stdout, "one.yaml: ok (one: ")
	assert.Contains(t, r.stdout, ", 1 event)")

	r = cli(t, dir, "validate", filepath.Join(dir, "missing.yaml"))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "missing.yaml")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--scenario", "nosuch"}, 2, `unknown preset "nosuch"`},
		{[]string{"run", "--clients", "0"}, 2, "1..1000000"},
		{[]string{"run", "--duration", "forever"}, 2, "duration"},
		{[]string{"run", "--speed", "-1"}, 2, "--speed"},
		{[]string{"run", "--speed", "NaN"}, 2, "--speed NaN"},
		{[]string{"run", "--speed", "+Inf"}, 2, "--speed +Inf"},
		{[]string{"run", "--set", "nokey"}, 2, "expected key=value"},
		{[]string{"run", "--set", "colour=blue"}, 2, "unknown key"},
		{[]string{"run", "--metrics-addr", "9100"}, 2, "expected host:port"},
		{[]string{"sweep", "--slo", "error_rate<0.1"}, 2, "--param is required"},
		{[]string{"sweep", "--param", "clients=1..10:1"}, 2, "--slo is required"},
		{[]string{"sweep", "--param", "clients=1..10:0", "--slo", "error_rate<1"}, 2, "step 0 must be > 0"},
		{[]string{"sweep", "--param", "colour=1..2:1", "--slo", "error_rate<1"}, 2, "unknown key"},
		{[]string{"sweep", "--param", "clients=0..10:5", "--slo", "error_rate<1"}, 2, "1..1000000"},
		{[]string{"sweep", "--param", "seed=1..3:1", "--slo", "error_rate<1"}, 2, "--seeds"},
		{[]string{"compare", "a.json"}, 2, "exactly two"},
		{[]string{"compare", "a.json", "b.json"}, 2, "a.json"},
		{[]string{"run", "--duration", "5s", "--json", "/nonexistent-dir/x.json"}, 1, "/nonexistent-dir/x.json"},
		{[]string{"run", "--baseline", "x.json"}, 2, "--baseline needs --report"},
		{[]string{"run", "steady"}, 2, "--scenario steady"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, t.TempDir(), tc.args...)
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.contains)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, "sim-native: "), r.stderr)
		})
	}
}

// A flag the flag package rejects gives its error and a pointer to --help, not the
// whole usage.
func TestFlagErrorsDoNotPrintUsage(t *testing.T) {
	tests := []struct {
		args     []string
		contains string
	}{
		{[]string{"run", "--seed", "-1"}, `invalid value "-1" for flag -seed: parse error; --seed: override the scenario's random seed (an integer, 0..18446744073709551615)`},
		{[]string{"--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"run", "--quiet=maybe"}, "--quiet: do not print the exit summary"},
		{[]string{"sweep", "--seeds", "x"}, "--seeds: runs per value"},
		{[]string{"compare", "--bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, t.TempDir(), tc.args...)
			assert.Equal(t, 2, r.code, r.stderr)
			assert.Empty(t, r.stdout, "no usage dump")
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			require.Len(t, lines, 2, r.stderr)
			assert.Contains(t, lines[0], tc.contains)
			cmd := tc.args[0]
			if strings.HasPrefix(cmd, "-") {
				cmd = "run"
			}
			assert.Equal(t, "run 'sim-native "+cmd+" --help' for the flags", lines[1])
		})
	}
}

func TestVersion(t *testing.T) {
	r := cli(t, "", "version")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^sim-native \S+.*, go1\.\d+`, r.stdout)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"))
}

func TestCompareBrokenRunFile(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "a.json", `{"scenario":{},"final":{"AverageDrift":"slow"}}`)
	writeTestFile(t, dir, "b.json", `not json`)
	r := cli(t, dir, "compare", "a.json", "b.json")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "a.json: final: AverageDrift")
}

// kneeScenario has an origin of 106.4 Mbit/s and viewers of 2.128 Mbit/s (2000 kbps video
// + 128 audio): the analytic capacity is 106.4 / 2.128 = 50 viewers. The viewers join at
// 20/s (at most 4 s for 80 viewers) and the run lasts 60 s.
const kneeScenario = `name: knee-test
description: "Analytic capacity: 106.4 Mbit/s / 2.128 Mbit/s per viewer = 50 viewers."
seed: 1
duration: 60s
stream:
  segment_duration: 2s
  bitrates_kbps: [2000]
  audio_kbps: 128
clients:
  count: 10
  ramp_rate: 20
origin:
  capacity_mbps: 106.4
`

var kneeLine = regexp.MustCompile(`knee: clients=(\d+) `)

func TestSweepKneeMatchesAnalyticCapacity(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "knee.yaml", kneeScenario)
	const capacity, perViewer, step = 106.4, 2.128, 10
	limit := capacity / perViewer
	require.InDelta(t, 50, limit, 1e-9)

	var outputs []string
	for _, workers := range []string{"1", "2"} {
		r := cli(t, dir, "sweep", "--scenario", "knee.yaml", "--param", "clients=20..80:10", "--seeds", "3",
			"--slo", "stalled_ratio<0.01", "--workers", workers, "--csv", "knee.csv")
		require.Equal(t, 0, r.code, r.stderr)
		m := kneeLine.FindStringSubmatch(r.stdout)
		require.NotNil(t, m, r.stdout)
		knee, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		// The knee is the first count that fails. 50 viewers fit exactly; at
		// 60 every viewer's fair share, 106.4 / 60 = 1.77 Mbit/s, is below
		// 0.9 x 2.128 = 1.92 Mbit/s, so all of them stall (the stall limit is
		// 106.4 / (0.9 x 2.128) = 55.6 viewers): on a 10-viewer grid, 60.
		stallLimit := limit / 0.9
		assert.Equal(t, step*int(math.Ceil(stallLimit/step)), knee, "knee vs analytic %v (stall limit %.1f)", limit, stallLimit)
		assert.Contains(t, r.stdout, "<- knee")
		for _, l := range strings.Split(r.stdout, "\n") {
			assert.Equal(t, strings.TrimRight(l, " "), l, "no trailing blanks")
		}
		outputs = append(outputs, r.stdout)
	}
	// The same table whatever the number of workers (apart from the header's worker count).
	strip := regexp.MustCompile(`\d+ workers`)
	assert.Equal(t, strip.ReplaceAllString(outputs[0], ""), strip.ReplaceAllString(outputs[1], ""))

	f, err := os.Open(filepath.Join(dir, "knee.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+7)
	assert.Equal(t, []string{"clients", "runs", "failures", "fails_majority", "knee", "stalled_ratio"}, rows[0][:6])
	knees := 0
	for _, row := range rows[1:] {
		if row[4] == "true" {
			knees++
		}
	}
	assert.Equal(t, 1, knees)
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ clients, file string }{{"20", "a.json"}, {"40", "b.json"}} {
		r := cli(t, dir, "run", "--duration", "30s", "--clients", c.clients, "--json", c.file, "--quiet")
		require.Equal(t, 0, r.code, r.stderr)
	}
	r := cli(t, dir, "compare", "a.json", "b.json")
	require.Equal(t, 0, r.code, r.stderr)
	var clientsLine string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "clients") {
			clientsLine = l
		}
	}
	require.NotEmpty(t, clientsLine, r.stdout)
	assert.Equal(t, []string{"clients", "20", "40", "+20", "+100.0%"}, strings.Fields(clientsLine))
	// Both are "steady, seed 1": the header names what differs.
	assert.Contains(t, r.stdout, "A / B differ in: clients.count 20 / 40\n")
	assert.Regexp(t, `(?m)^\s+bytes\s+\d+\.\d\d MB\s+\d+\.\d\d MB\s+\+\d+\.\d\d MB\s`, r.stdout)
	assert.Regexp(t, `(?m)^\s+throughput\s+\d+\.\d\d Mbit/s\s+\d+\.\d\d Mbit/s\s`, r.stdout)
	for _, s := range []string{"segment requests", "bytes", "error rate", "segment p95 (s)",
		"average speed (instantaneous)", "average speed (FFmpeg's running average)"} {
		assert.Contains(t, r.stdout, s)
	}
}

const outageScenario = `name: outage-test
seed: 3
duration: 60s
clients:
  count: 30
  ramp_rate: 10
events:
  - at: 20s
    duration: 10s
    kind: outage
    caption: "Origin down for ten seconds"
`

func TestReportIsSelfContainedHTML(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "outage.yaml", outageScenario)
	r := cli(t, dir, "run", "--scenario", "outage.yaml", "--json", "base.json", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	r = cli(t, dir, "run", "--scenario", "outage.yaml", "--seed", "4", "--report", "report.html",
		"--baseline", "base.json", "--slo", "error_rate<1", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)

	data, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	doc, err := html.Parse(bytes.NewReader(data))
	require.NoError(t, err)
	counts := map[string]int{}
	var texts []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			counts[n.Data]++
			for _, a := range n.Attr {
				if a.Key == "src" || (a.Key == "href" && !strings.HasPrefix(a.Val, "#")) {
					t.Errorf("<%s %s=%q> refers outside the file", n.Data, a.Key, a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			texts = append(texts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	assert.Equal(t, len(report.ChartIDs()), counts["svg"], "one SVG per chart")
	assert.Equal(t, 0, counts["script"])
	assert.Equal(t, 0, counts["link"])
	assert.Empty(t, report.ExternalURLs(string(data)), "no external URL apart from SVG namespaces")
	text := strings.Join(texts, " ")
	assert.Contains(t, text, "Origin down for ten seconds", "the event is listed")
	assert.Contains(t, text, "30 viewers join at 10/s", "the headline describes the run from its values")
	assert.Contains(t, text, "Overrides of outage-test: --seed 4.")
	// The caption is also drawn on the charts (inside the SVG text).
	assert.GreaterOrEqual(t, strings.Count(string(data), "Origin down for ten seconds"), 1+len(report.ChartIDs()))
	assert.Contains(t, text, "baseline average speed", "the baseline is overlaid")
	assert.Contains(t, text, "error_rate<1")
	for _, title := range []string{"Clients by state", "Throughput", "Request rates", "Error rate", "Latency percentiles", "Drift (wall time since start - playback position)"} {
		assert.Contains(t, text, title)
	}
}

// servingRun is a sim-native run serving metrics, started by startServing.
type servingRun struct {
	cmd     *exec.Cmd
	drained chan struct{}
	Addr    string // host:port of the metrics endpoint
}

// startServing starts sim-native with args, which serve metrics on 127.0.0.1:0,
// waits for the line that announces the endpoint and reads the rest of stderr in
// the background (so the run never blocks on it). The process is killed when the
// test ends if it is still running.
func startServing(t *testing.T, args ...string) *servingRun {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = testEnv()
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	r := &servingRun{cmd: cmd, drained: make(chan struct{})}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-r.drained
			_ = cmd.Wait()
		}
	})
	lines := bufio.NewScanner(stderr)
	if !lines.Scan() {
		close(r.drained)
		require.Fail(t, "sim-native announces its metrics endpoint")
	}
	m := regexp.MustCompile(`serving metrics on http://(127\.0\.0\.1:\d+)/metrics`).FindStringSubmatch(lines.Text())
	if m == nil {
		close(r.drained)
		require.Fail(t, "no metrics endpoint announced", lines.Text())
	}
	r.Addr = m[1]
	go func() {
		defer close(r.drained)
		for lines.Scan() {
		}
	}()
	return r
}

// Wait waits for the run to end by itself and returns its exit status.
func (r *servingRun) Wait() error {
	<-r.drained
	return r.cmd.Wait()
}

func TestMetricsEndpoint(t *testing.T) {
	run := startServing(t, "run", "--duration", "30s", "--clients", "20", "--speed", "20",
		"--metrics-addr", "127.0.0.1:0", "--quiet")
	url := "http://" + run.Addr + "/metrics"

	scrape := func() map[string]float64 {
		resp, err := http.Get(url)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
		p := expfmt.NewTextParser(model.LegacyValidation)
		fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
		require.NoError(t, err, "valid exposition format")
		vals := map[string]float64{}
		for name, f := range fams {
			for _, mm := range f.GetMetric() {
				switch {
				case mm.Counter != nil:
					vals[name] += mm.Counter.GetValue()
				case mm.Gauge != nil:
					vals[name] = mm.Gauge.GetValue()
				case mm.Histogram != nil:
					vals[name] = float64(mm.Histogram.GetSampleCount())
				}
			}
		}
		return vals
	}
	first := scrape()
	for _, n := range []string{"target_clients", "active_clients", "segment_requests_total", "http_errors_total",
		"average_speed", "client_uptime_seconds", "stats_lines_parsed_total", "error_rate"} {
		assert.Contains(t, first, "hls_swarm_"+n)
	}
	assert.Equal(t, 20.0, first["hls_swarm_target_clients"])
	second := scrape()
	assert.GreaterOrEqual(t, second["hls_swarm_segment_requests_total"], first["hls_swarm_segment_requests_total"], "counters never go down")
	assert.GreaterOrEqual(t, second["hls_swarm_test_elapsed_seconds"], first["hls_swarm_test_elapsed_seconds"])

	require.NoError(t, run.Wait(), "the paced run finishes with exit 0")
}

func TestInputCanBeJSONScenario(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "s.json", `{"name": "js", "duration": "20s", "clients": {"count": 5}}`)
	r := cli(t, dir, "run", "--scenario", "s.json", "--json", "out.json", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	run := readRunJSON(t, filepath.Join(dir, "out.json"))
	assert.Equal(t, "js", run.Scenario.Name)
	assert.Equal(t, 5.0, run.Final["TotalClients"])
	assert.Len(t, run.Series, 20)
}

// The progress bar appears when stderr is a terminal: script(1) gives the binary a
// pseudo-terminal. A paced run (60 s at 40x = 1.5 s) outlasts the bar's initial delay
// on any machine.
func TestProgressBarOnTerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	cmd := exec.Command(scriptPath, "-qec", binary+" run --clients 10 --duration 60s --speed 40 --quiet", "/dev/null")
	cmd.Env = testEnv()
	out, err := cmd.Output()
	require.NoError(t, err)
	s := string(out)
	assert.Contains(t, s, "\r[")
	assert.Contains(t, s, "/ 1:00")
	assert.Contains(t, s, "speed ")
	assert.Contains(t, s, "ETA ")
	assert.True(t, strings.HasSuffix(strings.TrimRight(s, "\r\n"), "\x1b[K"), "the bar is cleared at the end: %q", s[max(0, len(s)-40):])
}

func TestMetricsPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	r := cli(t, t.TempDir(), "run", "--duration", "5s", "--metrics-addr", ln.Addr().String())
	assert.Equal(t, 1, r.code, "an I/O failure, not a usage error")
	assert.Contains(t, r.stderr, ln.Addr().String())
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
}

// Ctrl-C (SIGINT) and SIGTERM (timeout(1), docker stop, a cancelled CI job) stop a run
// cleanly: the summary of the part that ran is printed, every output is written, the
// exit code is 1 (not death by the signal), the message names the signal, and no
// temporary file is left.
func TestInterruptWritesPartialRun(t *testing.T) {
	for _, c := range []struct {
		sig  os.Signal
		name string
	}{{os.Interrupt, "SIGINT"}, {syscall.SIGTERM, "SIGTERM"}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(binary, "run", "--clients", "10", "--duration", "1h", "--speed", "1",
				"--metrics-addr", "127.0.0.1:0", "--json", "partial.json", "--csv", "partial.csv")
			cmd.Dir = dir
			cmd.Env = testEnv()
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			lines := bufio.NewScanner(stderr)
			require.True(t, lines.Scan(), "the run announces its metrics endpoint once it is under way")
			require.NoError(t, cmd.Process.Signal(c.sig))
			var rest []string
			for lines.Scan() {
				rest = append(rest, lines.Text())
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, 1, ee.ExitCode(), "exit 1, not killed by the signal")
			assert.Regexp(t, `interrupted at \S+ of 1h virtual time \(`+c.name+`\)`, strings.Join(rest, "\n"))
			assert.Contains(t, stdout.String(), "swarmsim Exit Summary")
			assert.Regexp(t, `Run Duration:\s+\S+ of 01:00:00 \(interrupted\)`, stdout.String(), "the summary shows the time that ran")
			run := readRunJSON(t, filepath.Join(dir, "partial.json"))
			assert.Equal(t, 10, run.Scenario.Clients.Count)
			assert.Less(t, run.Final["Elapsed"].(float64), 3600.0, "only the part that ran")
			assert.ElementsMatch(t, []string{"partial.json", "partial.csv"}, listDir(t, dir))
		})
	}
}
