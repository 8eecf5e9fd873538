package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dashboardQuery is one line of testdata/dashboard-queries.txt.
type dashboardQuery struct {
	source, panel, expr string
	alert               bool // an alert rule: panel is its name
}

func readDashboardQueries(t *testing.T) []dashboardQuery {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "dashboard-queries.txt"))
	require.NoError(t, err)
	var out []dashboardQuery
	source := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "== ") && strings.HasSuffix(line, " =="):
			source = strings.TrimSuffix(strings.TrimPrefix(line, "== "), " ==")
			continue
		}
		panel, expr, ok := strings.Cut(line, " | ")
		require.True(t, ok, "dashboard-queries.txt:%d: want \"panel | query\": %q", i+1, line)
		q := dashboardQuery{source: source, panel: strings.TrimSpace(panel), expr: strings.TrimSpace(expr)}
		if name, isAlert := strings.CutPrefix(q.panel, "alert "); isAlert {
			q.panel, q.alert = name, true
		}
		out = append(out, q)
	}
	return out
}

// prometheusBinary is Debian's Prometheus server (make test installs it),
// or SWARMSIM_PROMETHEUS.
func prometheusBinary(t *testing.T) string {
	t.Helper()
	p := os.Getenv("SWARMSIM_PROMETHEUS")
	if p == "" {
		p = "/usr/bin/prometheus"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the Prometheus server is needed: %v (make test installs it: apt-get install prometheus; or set SWARMSIM_PROMETHEUS)", err)
	}
	return p
}

// freePort returns a loopback address whose port was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// startPrometheus starts a Prometheus server on a free loopback port with
// dir/prometheus.yml and storage in dir, stopped at the end of the test. It
// returns its API once the server is ready, or a zero promAPI and the
// server's log when it exited first.
func startPrometheus(t *testing.T, bin, dir string, attempt int, deadline time.Time) (promAPI, string) {
	t.Helper()
	listen := freePort(t)
	logPath := filepath.Join(dir, fmt.Sprintf("prometheus%d.log", attempt))
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	defer logFile.Close()
	prom := exec.Command(bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, fmt.Sprintf("data%d", attempt)),
		"--web.listen-address="+listen,
		"--log.level=warn")
	prom.Stdout, prom.Stderr = logFile, logFile
	require.NoError(t, prom.Start())
	exited := make(chan error, 1)
	go func() { exited <- prom.Wait() }()
	t.Cleanup(func() {
		_ = prom.Process.Kill()
		<-exited
	})
	readLog := func() string {
		b, _ := os.ReadFile(logPath)
		return string(b)
	}
	api := promAPI{base: "http://" + listen}
	for {
		select {
		case err := <-exited:
			exited <- err // for the clean-up
			return promAPI{}, fmt.Sprintf("%v\n%s", err, readLog())
		default:
		}
		if resp, err := http.Get(api.base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return api, ""
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready in time:\n%s", readLog())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// promAPI queries a Prometheus server's HTTP API.
type promAPI struct {
	base string
}

// get decodes the "data" of a successful API answer into data; it reports
// whether the server answered (false while it is still starting).
func (p promAPI) get(path string, params url.Values, data any) (bool, error) {
	resp, err := http.Get(p.base + path + "?" + params.Encode())
	if err != nil {
		return false, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, nil
	}
	var env struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return true, fmt.Errorf("%s: %d %s", path, resp.StatusCode, body)
	}
	if env.Status != "success" {
		return true, fmt.Errorf("%s %v: %s", path, params, env.Error)
	}
	return true, json.Unmarshal(env.Data, data)
}

type promVector struct {
	ResultType string `json:"resultType"`
	Result     []struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"`
	} `json:"result"`
}

// query runs an instant query; ok is false while the server is not up.
func (p promAPI) query(expr string) (promVector, bool, error) {
	var v promVector
	ok, err := p.get("/api/v1/query", url.Values{"query": {expr}}, &v)
	return v, ok, err
}

// waitFor polls cond every 100 ms until it holds or the deadline passes; it
// fails the test with what describes the last state.
func waitFor(t *testing.T, deadline time.Time, what string, cond func() (bool, string)) {
	t.Helper()
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %s", what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The real tool's documented Grafana dashboard works unchanged on simulated
// data: a real Prometheus server scrapes `sim-native run --metrics-addr`,
// and every dashboard and example query of the real tool's documents
// (testdata/dashboard-queries.txt) returns data; its alert rules load and
// evaluate without error.
func TestDashboardQueriesOnPrometheus(t *testing.T) {
	queries := readDashboardQueries(t)
	require.GreaterOrEqual(t, len(queries), 50, "the whole list")
	promBin := prometheusBinary(t)
	// Generous for a busy two-core machine: the test waits for conditions
	// and ends as soon as they hold.
	deadline := time.Now().Add(3 * time.Minute)
	dir := t.TempDir()

	// The simulation: the origin-outage preset (exits, restarts, timeouts)
	// degraded further, with an origin too small for its 300 viewers (500
	// Mbit/s for 638: every viewer stalls, segments take seconds) and 5 %
	// of requests failing, stretched to 2 h at 30x, so it outlives the
	// test, which stops it.
	sim := startServing(t, "run", "--scenario", "origin-outage", "--duration", "2h", "--speed", "30",
		"--set", "capacity=500", "--set", "error_rate=0.05", "--metrics-addr", "127.0.0.1:0", "--quiet")
	target := sim.Addr

	// The alert rules, as a Prometheus rules file.
	var rules strings.Builder
	rules.WriteString("groups:\n  - name: hls-swarm\n    rules:\n")
	var alerts []dashboardQuery
	for _, q := range queries {
		if q.alert {
			alerts = append(alerts, q)
			fmt.Fprintf(&rules, "      - alert: %s\n        expr: %s\n", q.panel, strconv.Quote(q.expr))
		}
	}
	require.NotEmpty(t, alerts)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "alerts.yml"), []byte(rules.String()), 0o644))
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: hls-swarm
    static_configs:
      - targets: [%q]
`, filepath.Join(dir, "alerts.yml"), target)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o644))

	// Our own Prometheus: own config, storage and port (never the system
	// service). A port taken between freePort and the server's bind makes
	// it exit: then it tries another.
	var api promAPI
	for attempt := 1; ; attempt++ {
		var log string
		api, log = startPrometheus(t, promBin, dir, attempt, deadline)
		if api.base != "" {
			break
		}
		if attempt == 3 || !strings.Contains(log, "address already in use") {
			t.Fatalf("prometheus did not start:\n%s", log)
		}
	}

	// The target is up and every series has several samples (rate() over
	// 1m needs two).
	waitFor(t, deadline, "the sim-native target to be up", func() (bool, string) {
		var targets struct {
			ActiveTargets []struct {
				Health    string `json:"health"`
				LastError string `json:"lastError"`
				ScrapeURL string `json:"scrapeUrl"`
			} `json:"activeTargets"`
		}
		ok, err := api.get("/api/v1/targets", nil, &targets)
		if !ok || err != nil || len(targets.ActiveTargets) != 1 {
			return false, fmt.Sprintf("%+v %v", targets, err)
		}
		tg := targets.ActiveTargets[0]
		return tg.Health == "up", fmt.Sprintf("%s: %s %s", tg.ScrapeURL, tg.Health, tg.LastError)
	})
	waitFor(t, deadline, "three scrapes of sim-native", func() (bool, string) {
		v, ok, err := api.query(`count_over_time(hls_swarm_test_elapsed_seconds[1m]) >= 3`)
		return ok && err == nil && len(v.Result) == 1, fmt.Sprintf("%+v %v", v, err)
	})

	// Every query returns data.
	for _, q := range queries {
		expr := q.expr
		if q.alert {
			// the alert's metric: what the rule compares with its threshold
			expr = strings.Fields(q.expr)[0]
		}
		var v promVector
		var qerr error
		var ok bool
		for {
			v, ok, qerr = api.query(expr)
			if (ok && qerr == nil && len(v.Result) > 0) || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if assert.NoError(t, qerr, "%s / %s: %s", q.source, q.panel, expr) &&
			assert.NotEmpty(t, v.Result, "%s / %s: %s returns no data", q.source, q.panel, expr) {
			t.Logf("%-45s %-60s -> %v", q.panel, expr, v.Result[0].Value[1])
		}
	}

	// The alert rules load and evaluate without error, and the degraded
	// run fires the real tool's alerts on errors, stalls and latency. Not
	// the one on dropped output lines: the simulated load generator's
	// parser keeps up with a few hundred viewers (it drops lines beyond
	// about 20 000).
	wantFiring := []string{"HLSSwarmHighErrorRate", "HLSSwarmClientsStalling", "HLSSwarmHighLatency"}
	waitFor(t, deadline, "the alerts to fire", func() (bool, string) {
		var data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		}
		ok, err := api.get("/api/v1/alerts", nil, &data)
		if !ok || err != nil {
			return false, fmt.Sprint(err)
		}
		var firing []string
		for _, a := range data.Alerts {
			if a.State == "firing" {
				firing = append(firing, a.Labels["alertname"])
			}
		}
		slices.Sort(firing)
		want := slices.Sorted(slices.Values(wantFiring))
		return slices.Equal(firing, want), fmt.Sprintf("firing %v, want %v", firing, want)
	})

	// Every rule evaluates without error.
	waitFor(t, deadline, "the alert rules to be evaluated", func() (bool, string) {
		var data struct {
			Groups []struct {
				Rules []struct {
					Name           string `json:"name"`
					Health         string `json:"health"`
					LastError      string `json:"lastError"`
					LastEvaluation string `json:"lastEvaluation"`
				} `json:"rules"`
			} `json:"groups"`
		}
		ok, err := api.get("/api/v1/rules", nil, &data)
		if !ok || err != nil || len(data.Groups) != 1 {
			return false, fmt.Sprintf("%+v %v", data, err)
		}
		evaluated := 0
		for _, r := range data.Groups[0].Rules {
			if r.Health == "ok" && !strings.HasPrefix(r.LastEvaluation, "0001-") {
				evaluated++
			}
		}
		return len(data.Groups[0].Rules) == len(alerts) && evaluated == len(alerts), fmt.Sprintf("%+v", data.Groups[0].Rules)
	})

	// The data is the run's: its scenario and size, and the outage's failed
	// processes (from 3 min of virtual time, 6 s into the run) counted as
	// error exits with their uptimes.
	for _, expr := range []string{
		`hls_swarm_info{stream_url="swarmsim://scenario/origin-outage"} == 1`,
		`hls_swarm_target_clients == 300`,
		`hls_swarm_client_exits_total{category="error"} > 0`,
		`hls_swarm_client_uptime_seconds_count == on() sum(hls_swarm_client_exits_total)`,
	} {
		waitFor(t, deadline, expr, func() (bool, string) {
			v, ok, err := api.query(expr)
			return ok && err == nil && len(v.Result) == 1, fmt.Sprintf("%+v %v", v, err)
		})
	}

	// The run is still going: it served the whole test.
	require.Nil(t, sim.cmd.ProcessState, "sim-native ran until stopped")
	require.NoError(t, sim.cmd.Process.Signal(os.Interrupt))
}
