package engine

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// crew is a set of worker goroutines that stays up for the length of one
// RunUntil, Step or Pacer.Advance call (see Engine.holdCrew), so that the shards of each tick reach the workers
// without a goroutine start and wake-up per tick (18 000 ticks per simulated
// hour; the hand-off cost about a tenth of the run's CPU time on 2 cores).
//
// Each job is one function over all shards. The caller and the workers claim
// shards one at a time (a compare-and-swap of the shard's last job number),
// each its own shards first, then any left, so a goroutine that got cheap
// shards takes more of them. Which goroutine advances a shard never changes
// its result: shards are independent within a job and are reduced in shard
// order afterwards.
//
// Between jobs a worker spins on the job counter for about as long as a
// tick of a large swarm takes, and only then parks: the gap it waits through
// is not just the engine's serial work between ticks (microseconds) but also
// the last shard another goroutine is still advancing (a sixteenth of the
// tick's work, tens of microseconds at 10 000 clients).
type crew struct {
	shards *[NumShards]shard
	fn     func(*shard) // the current job; written before job is bumped

	// job has a cache line of its own: the workers poll it while the
	// claims below are written
	_       [64]byte
	job     atomic.Uint64 // jobs started; a worker runs job k once
	_       [56]byte
	claimed [NumShards]atomic.Uint64 // the last job that claimed each shard
	done    atomic.Int32             // shards finished in the current job
	waiting atomic.Uint64            // the job whose end the caller blocks on finished for (0: none)
	stop    atomic.Bool
	parked  []atomic.Bool // worker i blocks on wake[i]
	spin    int           // polls before parking: spinChecks, or 0 when the goroutines outnumber the Ps

	wake     []chan struct{}
	finished chan struct{}
	exited   sync.WaitGroup

	// afterLastShard, when set (tests only), is called by goroutine g (0 =
	// the caller) that finished job's last shard, before it signals the end.
	afterLastShard func(g int, job uint64)
}

// spinChecks is how many times a goroutine polls before it parks: about
// 180 us on the project's machine, where a tick of 10 000 clients takes
// about 130 us. With 1<<14 polls (15 us) the worker parked in 40 % of the
// gaps between ticks (7 251 of 18 000 in the 10 000-client hour), and each
// park and wake-up cost more than the spin it saved; with 1<<18 it parks
// about ten times per hour, and the hour took 2.3-2.4 s instead of 2.9-3.4
// s (see docs/PERFORMANCE.md). A crew lives for one RunUntil, Step or
// Pacer.Advance call, so it never spins between the calls of a paced run.
const spinChecks = 1 << 18

// crewSpin is the polling of a crew of workers goroutines plus the caller:
// spinChecks when each can have a P of its own, else none (a spinning one
// would only delay the others).
func crewSpin(workers int) int {
	if workers+1 <= runtime.GOMAXPROCS(0) {
		return spinChecks
	}
	return 0
}

// newCrew starts workers goroutines that poll spin times between jobs
// before they park (see crewSpin).
func newCrew(shards *[NumShards]shard, workers, spin int) *crew {
	c := &crew{
		spin:     spin,
		shards:   shards,
		parked:   make([]atomic.Bool, workers),
		wake:     make([]chan struct{}, workers),
		finished: make(chan struct{}, 1),
	}
	for i := range workers {
		c.wake[i] = make(chan struct{}, 1)
		c.exited.Add(1)
		go c.work(i)
	}
	return c
}

// run calls fn on every shard, on the caller's goroutine and the workers',
// and returns when all shards are done.
func (c *crew) run(fn func(*shard)) {
	c.done.Store(0)
	c.fn = fn
	job := c.job.Add(1)
	c.rouse()
	c.claim(0, job)
	for range c.spin {
		if c.done.Load() == NumShards {
			return
		}
	}
	c.waiting.Store(job)
	if c.done.Load() == NumShards && c.waiting.CompareAndSwap(job, 0) {
		return
	}
	<-c.finished
}

// close stops the workers and waits for them to exit.
func (c *crew) close() {
	c.stop.Store(true)
	c.job.Add(1)
	c.rouse()
	c.exited.Wait()
}

// rouse wakes the workers that parked.
func (c *crew) rouse() {
	for i := range c.parked {
		if c.parked[i].CompareAndSwap(true, false) {
			c.wake[i] <- struct{}{}
		}
	}
}

// claim advances the shards of job that goroutine g (0 = the caller, the
// workers from 1) can claim: its own first (shards g, g+n, ... of n
// goroutines, which then stay in the same core's caches from tick to tick),
// then any left.
func (c *crew) claim(g int, job uint64) {
	n := len(c.wake) + 1
	for s := g; s < NumShards; s += n {
		c.try(g, s, job)
	}
	for s := range NumShards {
		if s%n != g {
			c.try(g, s, job)
		}
	}
}

func (c *crew) try(g, s int, job uint64) {
	old := c.claimed[s].Load()
	if old >= job || !c.claimed[s].CompareAndSwap(old, job) {
		return
	}
	c.fn(&c.shards[s])
	if c.done.Add(1) == NumShards {
		if c.afterLastShard != nil {
			c.afterLastShard(g, job)
		}
		// Only this job's waiter: the goroutine that ended job k may get here
		// after the caller went on to job k+1 and blocked on it.
		if c.waiting.CompareAndSwap(job, 0) {
			c.finished <- struct{}{}
		}
	}
}

func (c *crew) work(i int) {
	defer c.exited.Done()
	var seen uint64
	for {
		seen = c.await(i, seen)
		if c.stop.Load() {
			return
		}
		c.claim(i+1, seen)
	}
}

// await returns the next job number after seen, spinning and then parking
// until there is one.
func (c *crew) await(i int, seen uint64) uint64 {
	for {
		for range c.spin {
			if j := c.job.Load(); j != seen {
				return j
			}
		}
		c.parked[i].Store(true)
		if j := c.job.Load(); j != seen {
			if !c.parked[i].CompareAndSwap(true, false) {
				<-c.wake[i] // rouse saw the flag and is sending
			}
			return j
		}
		<-c.wake[i]
	}
}
