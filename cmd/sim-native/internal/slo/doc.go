// Package slo parses and evaluates service-level objectives given on the sim-native
// command line, such as "error_rate<0.01,stalled_ratio<0.02". A violated objective makes
// `sim-native run` exit with code 3 so that a CI pipeline can gate on simulated capacity.
//
// Objectives are evaluated on the final aggregated snapshot of a run; the peak_* metrics
// are the worst value over all recorded samples of the run.
package slo
