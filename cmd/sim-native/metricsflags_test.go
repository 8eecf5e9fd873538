package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

func TestMetricsFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--duration", "5s", "--prom-client-metrics"}, "--prom-client-metrics needs --metrics-addr"},
		{[]string{"run", "--duration", "5s", "--metrics-addr", "127.0.0.1:0", "--metrics", "127.0.0.1:1"}, "name two addresses"},
		{[]string{"run", "--duration", "5s", "-metrics", "9100"}, `--metrics "9100": address 9100: missing port in address (expected host:port`},
		{[]string{"run", "--duration", "5s", "--metrics-addr", ":http"}, `--metrics-addr ":http": port "http" is not a number in 0..65535`},
	}
	for _, tc := range tests {
		r := cli(t, t.TempDir(), tc.args...)
		assert.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.args)
	}
}

// The real tool's -metrics and -prom-client-metrics: the endpoint serves one
// series per client, and /health and /ready answer.
func TestRealToolMetricsFlags(t *testing.T) {
	run := startServing(t, "run", "--duration", "20s", "--clients", "5", "--speed", "10",
		"-metrics", "127.0.0.1:0", "-prom-client-metrics", "--quiet")
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + run.Addr + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	// Poll until every client has started (the run lasts 2 s of wall time).
	var body string
	for deadline := time.Now().Add(time.Minute); ; {
		code, b := get("/metrics")
		require.Equal(t, 200, code)
		body = b
		if strings.Count(body, "hls_swarm_client_drift_seconds{") == 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	assert.Equal(t, 5, strings.Count(body, "hls_swarm_client_drift_seconds{"), "one series per client")
	for _, series := range []string{`hls_swarm_client_speed{client_id="0"}`, `hls_swarm_client_bytes_total{client_id="4"}`,
		`hls_swarm_info{stream_url="swarmsim://scenario/steady",variant="all",version="swarmsim `, "go_goroutines", "process_cpu_seconds_total"} {
		assert.True(t, strings.Contains(body, series), series)
	}
	for _, p := range []string{"/health", "/ready"} {
		code, body := get(p)
		assert.Equal(t, 200, code, p)
		assert.Equal(t, "ok\n", body, p)
	}
	require.NoError(t, run.Wait())
}

// hls_swarm_info's variant label is the run's -variant.
func TestVariantLabel(t *testing.T) {
	for _, v := range []string{"", "all", "highest", "lowest", "first"} {
		sc := scenario.Defaults()
		sc.Clients.Variant = v
		want := v
		if v == "" {
			want = "all"
		}
		assert.Equal(t, want, variantLabel(&sc))
	}
}
