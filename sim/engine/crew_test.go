package engine

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every job of a crew visits every shard exactly once, whichever goroutine
// claims it, and the job returns only when all shards are done.
func TestCrewVisitsEveryShardOncePerJob(t *testing.T) {
	for _, workers := range []int{1, 2, 3, NumShards - 1} {
		var shards [NumShards]shard
		c := newCrew(&shards, workers)
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
	newCrew(&shards, 3).close() // before any job
	c := newCrew(&shards, 3)
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
