// Package progress draws a one-line progress bar on a terminal for long sim-native runs:
// virtual time done, the speed as a multiple of real time and the estimated time left.
// It draws nothing when the output is not a terminal, and nothing for runs that finish
// within a moment.
package progress
