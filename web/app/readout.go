package app

import (
	"fmt"

	"swarmsim/sim/clients"
	"swarmsim/sim/stats"
)

// PanelReadout is what one panel on screen shows, as it was last drawn:
// its figures and the virtual instant (seconds) they are of. The browser
// exposes the readouts as window.swarmsim.drawn(), so that tests check what
// the screen shows rather than what the controller holds.
type PanelReadout struct {
	At     float64            `json:"at"`
	Values map[string]float64 `json:"values"`
}

// String names a panel in readouts and timings.
func (p Panel) String() string {
	switch p {
	case PanelHeader:
		return "header"
	case PanelToolbar:
		return "toolbar"
	case PanelGrid:
		return "grid"
	case PanelGridCells:
		return "cells"
	case PanelSummary:
		return "summary"
	case PanelErrors:
		return "errors"
	case PanelStory:
		return "story"
	case PanelInspector:
		return "inspector"
	}
	if p >= PanelChart && p < PanelChart+Panel(NumCharts) {
		return fmt.Sprintf("chart%d", p-PanelChart)
	}
	return fmt.Sprintf("panel%d", int(p))
}

// cellsReadout counts the cells drawn by state ("total": all).
func cellsReadout(states []uint8) map[string]float64 {
	counts := CountStates(states)
	out := map[string]float64{"total": float64(len(states))}
	for s := clients.State(0); s < clients.NumStates; s++ {
		out[s.String()] = float64(counts[s])
	}
	return out
}

// summaryReadout is the summary's figures as numbers.
func summaryReadout(a *stats.AggregatedStats, live LiveFigures) map[string]float64 {
	out := map[string]float64{
		"active":         float64(a.ActiveClients),
		"stalled":        float64(a.StalledClients),
		"bytes":          float64(a.TotalBytes),
		"error_rate":     a.ErrorRate,
		"segments_total": float64(a.TotalSegmentReqs),
	}
	if live.Sample != nil {
		out["sample_t"] = live.Sample.T
		out["throughput"] = live.Sample.ThroughputBps
	}
	return out
}

// errorsReadout is the errors panel's figures.
func errorsReadout(a *stats.AggregatedStats) map[string]float64 {
	return map[string]float64{
		"http_errors":      float64(a.HTTPErrorsTotal),
		"timeouts":         float64(a.TotalTimeouts),
		"reconnections":    float64(a.TotalReconnections),
		"refused_connects": float64(a.TCPConnectRefused),
		"connect_timeouts": float64(a.TCPConnectTimeout),
	}
}

// chartReadout is a chart's extent: its end (the instant it is drawn to),
// its samples and the time of the last; the event bands, marked moments and
// highlighted window it draws (what a drill hides until its reveal).
func chartReadout(d *ChartData) map[string]float64 {
	out := map[string]float64{"end": d.Now, "samples": float64(len(d.Times)), "bands": float64(len(d.Bands)), "markers": float64(len(d.Markers))}
	if d.Highlight != nil {
		out["highlight"] = 1
	}
	if n := len(d.Times); n > 0 {
		out["last_t"] = d.Times[n-1]
	}
	return out
}
