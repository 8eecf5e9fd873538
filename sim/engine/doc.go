// Package engine runs a scenario in virtual time: the origin (shared
// capacity divided max-min fairly among transfers), the network, the fault
// timeline (scripted and injected live), the viewers of package clients,
// and a recorder that samples the run into a compact time series.
package engine
