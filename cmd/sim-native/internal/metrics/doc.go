// Package metrics serves a simulated run on /metrics in the Prometheus
// exposition format with the metrics of the real HLS swarm tool
// (go-ffmpeg-hls-swarm): the same names (hls_swarm_...), types, labels and
// meanings, so its Grafana dashboard and alert rules work on simulated
// data. Beside them it serves the standard go_* and process_* collectors
// and promhttp's handler metrics, as the real tool's default registry does,
// and /health and /ready.
//
// The Exporter is a prometheus.Collector over the most recently published
// snapshot (stats.AggregatedStats) and record of ended processes
// (stats.ProcessExits). Times and rates are in the run's virtual time.
// docs/REAL-TOOL.md lists every metric and each difference from the real
// tool with its reason.
package metrics
