package main

import (
	"flag"
	"fmt"
	"runtime/debug"

	"swarmsim/cmd/sim-native/internal/metrics"
	"swarmsim/sim/scenario"
)

// metricsFlags are run's Prometheus options: swarmsim's --metrics-addr, the
// real tool's -metrics (the same address; a real command line replays
// unchanged) and its -prom-client-metrics.
type metricsFlags struct {
	addr, realAddr string
	perClient      bool
	used           string // the flag the address came from, for messages
}

func (m *metricsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.addr, "metrics-addr", "", "serve Prometheus /metrics, /health and /ready on this address (\":9100\" = 127.0.0.1:9100; give a host to listen elsewhere), with the real tool's hls_swarm_* metrics; off by default")
	fs.StringVar(&m.realAddr, "metrics", "", "the real tool's name for --metrics-addr")
	fs.BoolVar(&m.perClient, "prom-client-metrics", false, "also serve per-client series (hls_swarm_client_speed, _client_drift_seconds, _client_bytes_total; one series per client, meant for fewer than 200 clients)")
}

// address returns the address to serve on ("" = none), or a usage error
// when --metrics-addr and --metrics disagree or --prom-client-metrics has
// nothing to serve on.
func (m *metricsFlags) address() (string, error) {
	addr := m.addr
	m.used = "--metrics-addr"
	if m.realAddr != "" {
		if addr != "" && addr != m.realAddr {
			return "", usageErr("--metrics-addr %s and --metrics %s name two addresses; give one", addr, m.realAddr)
		}
		addr, m.used = m.realAddr, "--metrics"
	}
	if addr == "" && m.perClient {
		return "", usageErr("--prom-client-metrics needs --metrics-addr to serve them on")
	}
	if addr != "" {
		if _, err := metrics.ListenAddr(addr); err != nil {
			return "", usageErr("%s %v", m.used, err)
		}
	}
	return addr, nil
}

// serve starts the endpoint for a run of sc on addr and hooks its exporter
// into o.
func (m *metricsFlags) serve(addr string, sc *scenario.Scenario, o *driveOpts) (*metrics.Server, error) {
	o.exporter = metrics.New(metrics.Config{
		Version:       version(),
		StreamURL:     "swarmsim://scenario/" + sc.Name,
		Variant:       variantLabel(sc),
		TargetClients: sc.Clients.Count,
		TestDuration:  sc.Duration.D(),
		PerClient:     m.perClient,
	})
	srv, err := metrics.Serve(addr, o.exporter)
	if err != nil {
		return nil, ioErr(fmt.Errorf("%s %w", m.used, err)) // e.g. the port is taken
	}
	return srv, nil
}

// version is hls_swarm_info's version label: swarmsim and the version the
// Go toolchain stamped into the binary.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return "swarmsim " + v
}

// variantLabel is hls_swarm_info's variant label: the run's -variant
// (clients.variant), "all" when unset as in the real tool. A cohort may
// choose otherwise for its clients; the label, like the real tool's
// single flag, names the run's choice.
func variantLabel(sc *scenario.Scenario) string {
	if sc.Clients.Variant == "" {
		return scenario.VariantAll
	}
	return sc.Clients.Variant
}
