// Package sweep varies one scenario parameter over a range of values, runs every
// (value, seed) point on a bounded pool of workers and finds the knee: the first value
// at which a chosen service-level objective fails for a majority of the seeds.
//
// It holds no simulation logic: the caller supplies a function that runs one point.
package sweep
