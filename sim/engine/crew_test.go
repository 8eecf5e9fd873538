package engine

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every job of a crew visits every shard exactly once, whichever goroutine
// claims it, and the job returns only when all shards are done.
func TestCrewVisitsEveryShardOncePerJob(t *testing.T) {
	for _, workers := range []int{1, 2, 3, NumShards - 1} {
		var shards [NumShards]shard
		c := newCrew(&shards, workers, crewSpin(workers))
		const jobs = 2000
		for j := 1; j <= jobs; j++ {
			c.run(func(sh *shard) { sh.tally.Bytes++ })
			for s := range shards {
				// a shard done twice or not at all in job j shows here at once
				require.EqualValues(t, j, shards[s].tally.Bytes, "workers %d, job %d, shard %d", workers, j, s)
			}
		}
		c.close()
	}
}

// Workers that parked between jobs wake up for the next one, and close
// stops them whether they spin or park (it waits for them to exit).
func TestCrewWakesParkedWorkers(t *testing.T) {
	var shards [NumShards]shard
	newCrew(&shards, 3, spinChecks).close() // before any job
	c := newCrew(&shards, 3, spinChecks)
	for j := 1; j <= 3; j++ {
		for !c.allParked() {
			runtime.Gosched()
		}
		visits := make(map[*shard]int)
		var mu sync.Mutex
		c.run(func(sh *shard) {
			mu.Lock()
			visits[sh]++
			mu.Unlock()
		})
		require.Len(t, visits, NumShards, "job %d", j)
		for _, n := range visits {
			require.Equal(t, 1, n, "job %d", j)
		}
	}
	c.close()
}

func (c *crew) allParked() bool {
	for i := range c.parked {
		if !c.parked[i].Load() {
			return false
		}
	}
	return true
}

// The goroutine that finishes a job's last shard may be held up before it
// signals the end, until the caller has gone on to the next job and blocked
// on it: that signal must not end the next job (regression test).
func TestCrewLateEndOfJobDoesNotEndTheNext(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		// with one P (wasm) the workers only run while the caller blocks,
		// so a job can never end after the caller went on to the next
		t.Skip("needs a worker running while the caller does: GOMAXPROCS >= 2")
	}
	var shards [NumShards]shard
	c := newCrew(&shards, 2, spinChecks)
	defer c.close()
	// odd jobs: a worker that ends one is held up until the caller blocks on
	// the next; entered/left say which job's end was held up
	var entered, left atomic.Uint64
	c.afterLastShard = func(g int, job uint64) {
		if g == 0 || job%2 == 0 {
			return
		}
		entered.Store(job)
		for c.waiting.Load() == 0 && c.job.Load() <= job+1 {
			runtime.Gosched()
		}
		left.Store(job)
	}
	caller := goroutineID()
	late := 0
	for job := uint64(1); job <= 400; job++ {
		var done atomic.Int32
		var holding atomic.Bool
		c.run(func(sh *shard) {
			// odd jobs: the first shard a worker takes is the last to end
			if job%2 == 1 && goroutineID() != caller && holding.CompareAndSwap(false, true) {
				for done.Load() < NumShards-1 {
					runtime.Gosched()
				}
			}
			// even jobs: the first shard a worker takes waits until the
			// caller blocks on the job and the previous job's held-up end
			// has gone on to signal (or not)
			if job%2 == 0 && goroutineID() != caller && holding.CompareAndSwap(false, true) {
				for c.waiting.Load() == 0 {
					runtime.Gosched()
				}
				if entered.Load() == job-1 {
					late++
					for left.Load() != job-1 {
						runtime.Gosched()
					}
					for range 100 { // time for its signal
						runtime.Gosched()
					}
				}
			}
			done.Add(1)
		})
		require.EqualValues(t, NumShards, done.Load(), "job %d ended early", job)
	}
	require.Positive(t, late, "no job's end was held up past the next job's start")
}

// goroutineID returns the current goroutine's id (from its stack header).
func goroutineID() string {
	var b [64]byte
	return string(bytes.Fields(b[:runtime.Stack(b[:], false)])[1])
}
