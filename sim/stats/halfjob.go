package stats

import (
	"runtime"
	"sync"
)

// parallelFrom is the client count from which AggregateInto sums the two
// halves of the client list apart, the second on the helper goroutine when
// GOMAXPROCS allows (below, handing work over costs more than it saves).
const parallelFrom = 8192

// halfJob is the second half of a large AggregateInto: its own counters,
// sums and latency scratch, merged into the snapshot afterwards.
type halfJob struct {
	clients  []*ClientStats
	nowNs    int64
	part     AggregatedStats // only the fields clientSums.add fills
	sums     clientSums
	scratch  *keyCounts
	mask     uint64
	done     chan struct{}
	onHelper bool
	errs     httpErrorSums // the HTTP error counts of part
}

func newHalfJob() *halfJob {
	return &halfJob{scratch: new(keyCounts), done: make(chan struct{}, 1)}
}

// start sums clients on the helper goroutine, or does nothing when there is
// a single P or the helper is busy (wait then sums them).
func (j *halfJob) start(clients []*ClientStats, nowNs int64) {
	j.clients, j.nowNs = clients, nowNs
	j.part.resetScalars()
	j.errs.clear()
	j.part.errs = &j.errs
	j.sums = clientSums{}
	j.onHelper = false
	if runtime.GOMAXPROCS(0) > 1 {
		startHelper.Do(func() { go helper() })
		select {
		case helperJobs <- j:
			j.onHelper = true
		default: // the helper is busy with another aggregator's job
		}
	}
}

// wait returns when the job's sums are ready.
func (j *halfJob) wait() {
	if j.onHelper {
		<-j.done
		j.onHelper = false
	} else {
		j.run()
	}
	j.clients = nil
}

func (j *halfJob) run() {
	j.mask = j.sums.addClients(&j.part, j.clients, j.scratch, j.nowNs)
}

// The helper goroutine sums the second halves of large aggregates, for every
// aggregator of the process. It is started on first use and never exits
// (parked on its channel it costs nothing).
var (
	startHelper sync.Once
	helperJobs  = make(chan *halfJob)
)

func helper() {
	for j := range helperJobs {
		j.run()
		j.done <- struct{}{}
	}
}
