// Package palette is the one set of colours of swarmsim's views: the
// browser dashboard (web/app) and the HTML report (cmd/sim-native's
// report) draw client states, health levels and chart lines with the same
// colour for the same thing.
package palette
