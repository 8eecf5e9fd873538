package stats

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// latencies returns a client's three latency histograms.
func latencies(s *ClientStats) (seg, man, tcp HistogramSnapshot) {
	s.LatencySnapshot(&seg, &man, &tcp)
	return
}

// The batch methods leave a client exactly as the per-event methods do.
func TestClientStats_BatchesEqualSingleEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name    string
		value   func() time.Duration // one latency
		batches int
	}{
		{"few buckets", func() time.Duration { return time.Duration(40+r.IntN(3)) * time.Millisecond }, 200},
		{"spread over a chain of tables", func() time.Duration { return time.Duration(1+r.IntN(400)) * 37 * time.Microsecond }, 200},
		{"zero and huge", func() time.Duration { return []time.Duration{0, time.Hour, -time.Second}[r.IntN(3)] }, 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			single, batch := NewClientStats(1), NewClientStats(1)
			for range tc.batches {
				seg := make([]time.Duration, r.IntN(MaxLatencyBatch/2+1))
				man := make([]time.Duration, r.IntN(MaxLatencyBatch-len(seg)+1))
				sizes := make([]int64, len(seg))
				for i := range seg {
					seg[i] = tc.value()
					sizes[i] = int64(r.IntN(3_000_000)) - 1000 // some negative: clamped
					single.RecordSegmentLatency(seg[i])
					single.RecordSegmentSize(sizes[i])
				}
				late := 0
				for i := range man {
					man[i] = tc.value()
					single.RecordManifestLatency(man[i])
				}
				for i := range man { // as refresh jitters too: late ones first
					single.RecordPlaylistRefresh(man[i], i < len(man)/3)
					if i < len(man)/3 {
						late++
					}
				}
				batch.RecordLatencies(seg, man)
				batch.RecordSegmentSizes(sizes)
				batch.RecordPlaylistRefreshes(man, late)
			}
			s1, m1, _ := latencies(single)
			s2, m2, _ := latencies(batch)
			require.Equal(t, s1.counts, s2.counts, "segment latencies")
			require.Equal(t, m1.counts, m2.counts, "playlist latencies")
			require.Positive(t, s1.Count())
			assert.Equal(t, single.GetAverageSegmentSize(), batch.GetAverageSegmentSize())
			assert.Equal(t, single.segmentCount.Load(), batch.segmentCount.Load())
			for i := range SegmentSizeRingSize {
				assert.Equal(t, single.arrays().segmentSizes[i].Load(), batch.arrays().segmentSizes[i].Load(), "ring slot %d", i)
			}
			n1, l1, a1, x1 := single.PlaylistRefreshes()
			n2, l2, a2, x2 := batch.PlaylistRefreshes()
			assert.Equal(t, []any{n1, l1, a1, x1}, []any{n2, l2, a2, x2})
		})
	}
}

// A batch adds to a slot up to its 18-bit limit and spills the rest into a
// new slot, as single adds do.
func TestClientStats_BatchSaturatesSlots(t *testing.T) {
	s := NewClientStats(1)
	for range slotCountMask - 5 {
		s.RecordSegmentLatency(time.Millisecond)
	}
	batch := make([]time.Duration, MaxLatencyBatch)
	for i := range batch {
		batch[i] = time.Millisecond
	}
	s.RecordLatencies(batch, nil)
	s.RecordLatencies(batch[:3], batch[:4])
	seg, man, _ := latencies(s)
	assert.Equal(t, int64(slotCountMask-5+MaxLatencyBatch+3), seg.Count())
	assert.Equal(t, int64(4), man.Count())
	assert.Equal(t, 3, s.slotsInUse(), "a saturated segment slot, its overflow and the playlist slot")
}

// Batch and single writers on one client at once lose nothing (run with
// -race).
func TestClientStats_BatchesConcurrent(t *testing.T) {
	s := NewClientStats(1)
	var want HistogramSnapshot
	const per = 300
	val := func(g, i int) time.Duration { return time.Duration(1+(i*7+g)%90) * time.Millisecond }
	var wg sync.WaitGroup
	for g := range 4 {
		for i := range per {
			want.Record(val(g, i))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b []time.Duration
			for i := range per {
				if g%2 == 0 {
					s.RecordSegmentLatency(val(g, i))
					continue
				}
				if b = append(b, val(g, i)); len(b) == 7 || i == per-1 {
					s.RecordLatencies(b, nil)
					b = b[:0]
				}
			}
		}()
	}
	wg.Wait()
	seg, _, _ := latencies(s)
	assert.Equal(t, want.counts, seg.counts)
}

// slotsInUse returns the number of latency slots holding a count.
func (s *ClientStats) slotsInUse() (n int) {
	s.latency.forEachSlot(func(uint32) { n++ })
	return n
}

// A batch finds every key it holds, also among keys that share their low 6
// bits (the index points at the first of them), and no key it does not hold.
func TestKeyBatch_FindWithSharedLowBits(t *testing.T) {
	keys := []uint32{
		slotKey(kindSegment, 5), slotKey(kindManifest, 5), slotKey(kindTCP, 5), // all end in ...000101
		slotKey(kindSegment, 69), slotKey(kindSegment, 6), slotKey(kindManifest, 69),
	}
	var b keyBatch
	for _, k := range keys {
		require.Negative(t, b.find(k), "key %#x before it was added", k)
		if b.at[k&63] == 0 {
			b.at[k&63] = uint8(b.m + 1)
		}
		b.ks[b.m] = k
		b.m++
	}
	for i, k := range keys {
		assert.Equal(t, i, b.find(k), "key %#x", k)
	}
	for _, k := range []uint32{slotKey(kindTCP, 69), slotKey(kindManifest, 6), slotKey(kindSegment, 133)} {
		assert.Negative(t, b.find(k), "key %#x was never added", k)
	}
}
