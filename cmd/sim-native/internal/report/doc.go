// Package report writes the HTML report of a sim-native run: one self-contained file
// (no scripts, no fonts or styles from the network) with the exit summary, the scenario's
// events and time-series charts drawn with gonum/plot as inline SVG, the events shaded
// and labelled on the time axis, and optionally a baseline run overlaid dashed.
package report
