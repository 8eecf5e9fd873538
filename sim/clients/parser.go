package clients

import "time"

// The load generator's output parser.
const (
	// ProgressLines is the number of lines of one FFmpeg -progress block.
	ProgressLines = 12
	// StderrLinesPerRequest / StderrLinesPerError: log lines per request
	// ("Opening ... for reading") and per failure.
	StderrLinesPerRequest = 1
	StderrLinesPerError   = 2
	// ParseBufferLines is the real tool's default per-client parser buffer
	// (Env.ParseBuffer is the run's); lines beyond it are dropped.
	ParseBufferLines = 1000
)

// parseLines models the real tool's lossy output parser: each report brings
// ProgressLines progress lines plus the stderr lines logged since the last
// one; the load generator drains env.ParseRate lines/s for this viewer; what
// does not fit the env.ParseBuffer buffer is dropped.
func (v *Viewer) parseLines(env *Env) {
	prog := float32(ProgressLines)
	errs := float32(v.stderrNew)
	v.stderrNew = 0
	p := v.pending + prog + errs - float32(env.ParseRate*ReportGrid.Seconds())
	if p < 0 {
		p = 0
	}
	var dp, de int64
	if buf := env.ParseBuffer; p > buf {
		drop := p - buf
		p = buf
		dp = int64(drop * prog / (prog + errs))
		de = int64(drop) - dp
	}
	v.pending = p
	v.progRead += ProgressLines
	v.stderrRead += uint32(errs)
	if dp|de != 0 {
		v.progDrop += uint32(dp)
		v.stderrDrop += uint32(de)
	}
	v.linesDirty = true
}

// skipLines accounts the progress lines of the report-grid instants in
// (lastGrid, now] that were skipped (the parser kept up, see report), and
// the stderr lines logged so far (called by report only).
func (v *Viewer) skipLines(now time.Duration) {
	n := (now - v.lastGrid) / ReportGrid
	if n <= 0 {
		return
	}
	v.lastGrid += n * ReportGrid
	v.progRead += uint32(n) * ProgressLines
	v.stderrRead += uint32(v.stderrNew)
	v.stderrNew = 0
	v.linesDirty = true
}
