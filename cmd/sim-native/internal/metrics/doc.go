// Package metrics serves the latest simulated snapshot on /metrics in the Prometheus
// exposition format under the real HLS swarm tool's metric names (hls_swarm_...), so an
// existing Grafana dashboard works on simulated data. It uses a private registry and a
// custom collector that reads the most recently published snapshot.
package metrics
