package stats

import (
	"sync/atomic"
	"time"
)

// Clock tells the stats core what time it is. Every time-based rule in this
// package (stall duration, drift, uptime, rates) reads time only through a
// Clock, so the simulator can run it on virtual time.
type Clock interface {
	Now() time.Time
}

// RealClock is the wall clock. It is the only place in sim/ that calls
// time.Now.
type RealClock struct{}

// Now returns the current wall-clock time.
func (RealClock) Now() time.Time { return time.Now() }

// VirtualEpoch is the instant a VirtualClock reads when it is at zero.
// It is a fixed date so that simulated timestamps are reproducible.
var VirtualEpoch = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// VirtualClock is a manually driven clock for simulations: it holds the
// number of nanoseconds since VirtualEpoch in an atomic integer, so it may be
// read from any goroutine while one goroutine advances it.
// The zero value reads VirtualEpoch.
type VirtualClock struct {
	ns atomic.Int64
}

// NewVirtualClock returns a clock reading VirtualEpoch + offset.
func NewVirtualClock(offset time.Duration) *VirtualClock {
	c := &VirtualClock{}
	c.ns.Store(int64(offset))
	return c
}

// Now returns VirtualEpoch plus the elapsed virtual time.
func (c *VirtualClock) Now() time.Time { return VirtualEpoch.Add(time.Duration(c.ns.Load())) }

// Elapsed returns the virtual time since VirtualEpoch.
func (c *VirtualClock) Elapsed() time.Duration { return time.Duration(c.ns.Load()) }

// Set moves the clock to VirtualEpoch + d (it may move backwards; callers that
// need monotonic time should only use Advance).
func (c *VirtualClock) Set(d time.Duration) { c.ns.Store(int64(d)) }

// Advance moves the clock forward by d and returns the new time.
func (c *VirtualClock) Advance(d time.Duration) time.Time {
	return VirtualEpoch.Add(time.Duration(c.ns.Add(int64(d))))
}
