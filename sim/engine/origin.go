package engine

// OriginStatus is what an origin's own metrics would show at the current
// virtual time: its egress limit and its open connections. What the origin
// carries per second is in the recorder's samples (Sample.ThroughputBps and
// the request rates).
type OriginStatus struct {
	// CapacityBps is the egress limit in force in bytes/s (the scenario's,
	// or that of a capacity window in effect); 0 = unlimited.
	CapacityBps float64
	// Connections counts the viewers holding an open keep-alive connection
	// (an nginx's active connections).
	Connections int
	// Transfers counts the segment transfers in progress.
	Transfers int
}

// Origin returns the origin's status now. It only reads the engine.
func (e *Engine) Origin() OriginStatus {
	o := OriginStatus{CapacityBps: e.currentCapacity()}
	for s := range e.shards {
		sh := &e.shards[s]
		for i := range sh.viewers {
			if sh.viewers[i].Connected() {
				o.Connections++
			}
			if sh.xfer[i] {
				o.Transfers++
			}
		}
	}
	return o
}
