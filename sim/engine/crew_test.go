package engine

import (
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
//
// The interleaving is forced rather than hoped for: the crew has no workers
// of its own, and two test goroutines play them by claiming shard 15 with
// try. In each odd job, goroutine 1 takes shard 15, finishes it last, and
// is held in afterLastShard while the caller, spinning, sees the job done
// and goes on. In the even job that follows, goroutine 2 holds shard 15
// until the caller has blocked on that job and goroutine 1 has gone on to
// signal the end of the odd one: the even job must still wait for shard 15.
func TestCrewLateEndOfJobDoesNotEndTheNext(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		// the caller spins until goroutine 1 has finished; with one P
		// (wasm) goroutine 1 would never run
		t.Skip("needs the caller and goroutine 1 to run at once: GOMAXPROCS >= 2")
	}
	var shards [NumShards]shard
	c := newCrew(&shards, 0, 0)
	defer c.close()
	const last = NumShards - 1
	var heldUp, signalled atomic.Uint64 // the odd job whose end goroutine 1 holds up; the last one it went on to signal
	c.afterLastShard = func(g int, job uint64) {
		if g != 1 {
			return
		}
		heldUp.Store(job)
		for c.waiting.Load() != job+1 { // the caller blocked on the next job
			runtime.Gosched()
		}
	}
	// await returns once the crew has started job
	await := func(job uint64) {
		for c.job.Load() != job {
			runtime.Gosched()
		}
	}
	for round := uint64(0); round < 20; round++ {
		odd, even := 2*round+1, 2*round+2
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // goroutine 1: shard 15 of the odd job, ended late
			defer wg.Done()
			await(odd)
			c.try(1, last, odd)
			signalled.Store(odd)
		}()
		go func() { // goroutine 2: shard 15 of the even job, held until the late end has gone by
			defer wg.Done()
			await(even)
			c.try(2, last, even)
		}()

		// the odd job: the caller spins until done (goroutine 1 finishes
		// shard 15 last, after the caller's 15 shards)
		c.spin = 1 << 62
		var done atomic.Int32
		c.run(func(sh *shard) {
			if sh == &shards[0] {
				for c.claimed[last].Load() != odd { // goroutine 1 has shard 15
					runtime.Gosched()
				}
			}
			if sh == &shards[last] {
				for done.Load() < last {
					runtime.Gosched()
				}
			}
			done.Add(1)
		})
		require.EqualValues(t, NumShards, done.Load(), "job %d", odd)
		// goroutine 1 counted the last shard (the caller saw the job done)
		// and is now held up in afterLastShard, or about to be
		for i := 0; heldUp.Load() != odd; i++ {
			require.Less(t, i, 1_000_000, "goroutine 1 did not end job %d", odd)
			runtime.Gosched()
		}

		// the even job: the caller blocks at once (no spin) on shard 15
		c.spin = 0
		done.Store(0)
		var returned atomic.Bool // run returned
		c.run(func(sh *shard) {
			if sh == &shards[0] {
				for c.claimed[last].Load() != even { // goroutine 2 has shard 15
					runtime.Gosched()
				}
			}
			if sh == &shards[last] {
				for signalled.Load() != odd { // the late end of the odd job went by
					runtime.Gosched()
				}
				// and had time to wake the caller if it (wrongly) did
				for i := 0; i < 1000 && !returned.Load(); i++ {
					runtime.Gosched()
				}
			}
			done.Add(1)
		})
		returned.Store(true)
		require.EqualValues(t, NumShards, done.Load(), "job %d ended early, by the late end of job %d", even, odd)
		wg.Wait()
	}
}
