package stats

import (
	"maps"
	"time"
)

// Exit categories of a player process, by the real tool's rule on its exit
// code (ExitCategory).
const (
	ExitSuccess = "success" // exit code 0
	ExitError   = "error"   // 1..128 (and negative codes)
	ExitSignal  = "signal"  // above 128: ended by a signal
)

// ExitCategory returns the category of a process exit code: 0 is a
// success, a code above 128 an end by signal (FFmpeg exits with 255 after
// SIGTERM), anything else an error.
func ExitCategory(code int) string {
	switch {
	case code == 0:
		return ExitSuccess
	case code > 128:
		return ExitSignal
	default:
		return ExitError
	}
}

// ProcessExits records the player processes that ended: how many ended
// with each exit code, and the uptime of each (from its start to its exit)
// in a histogram. Both only grow, as Prometheus counters and histograms
// must, unlike the uptimes of the live clients in a snapshot.
//
// It is a plain value, not safe for concurrent mutation: each writer keeps
// its own and readers Merge them. The zero value is empty.
type ProcessExits struct {
	byCode map[int]int64
	// Uptime holds the uptime of every ended process.
	Uptime HistogramSnapshot
}

// Record adds one process that exited with code after running for uptime.
func (p *ProcessExits) Record(code int, uptime time.Duration) {
	if p.byCode == nil {
		p.byCode = make(map[int]int64, 2)
	}
	p.byCode[code]++
	p.Uptime.Record(uptime)
}

// Merge adds every exit of o to p.
func (p *ProcessExits) Merge(o *ProcessExits) {
	for code, n := range o.byCode {
		if p.byCode == nil {
			p.byCode = make(map[int]int64, len(o.byCode))
		}
		p.byCode[code] += n
	}
	p.Uptime.Merge(&o.Uptime)
}

// Reset empties p, keeping its memory.
func (p *ProcessExits) Reset() {
	clear(p.byCode)
	p.Uptime.Reset()
}

// Count returns the number of exits recorded.
func (p *ProcessExits) Count() int64 { return p.Uptime.Count() }

// ByCode returns a copy of the exit counts keyed by exit code.
func (p *ProcessExits) ByCode() map[int]int64 {
	out := make(map[int]int64, len(p.byCode))
	maps.Copy(out, p.byCode)
	return out
}

// ByCategory returns the exit counts keyed by ExitCategory; every category
// is present, with 0 when no process ended that way.
func (p *ProcessExits) ByCategory() map[string]int64 {
	out := map[string]int64{ExitSuccess: 0, ExitError: 0, ExitSignal: 0}
	for code, n := range p.byCode {
		out[ExitCategory(code)] += n
	}
	return out
}
