package stats

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBucketLayout(t *testing.T) {
	assert.Equal(t, 2752, NumHistogramBuckets)
	for i := 0; i < NumHistogramBuckets; i++ {
		lo, w := bucketLower(i), bucketWidth(i)
		require.Equal(t, i, bucketOf(lo), "lower bound of bucket %d", i)
		require.Equal(t, i, bucketOf(lo+w-1), "upper value of bucket %d", i)
		if i+1 < NumHistogramBuckets {
			require.Equal(t, lo+w, bucketLower(i+1), "buckets %d and %d are contiguous", i, i+1)
		}
		// midpoint error bound for every value in the bucket
		mid := int64(bucketValue(i))
		for _, v := range []int64{lo, lo + w - 1} {
			if v == 0 {
				continue
			}
			err := float64(mid-v) / float64(v)
			if err < 0 {
				err = -err
			}
			require.LessOrEqual(t, err, HistogramRelativeError, "bucket %d value %d", i, v)
		}
	}
	assert.Equal(t, 0, bucketOf(-5))
	assert.Equal(t, NumHistogramBuckets-1, bucketOf(int64(MaxHistogramValue)))
	assert.Equal(t, NumHistogramBuckets-1, bucketOf(int64(MaxHistogramValue)+1))
	assert.Equal(t, NumHistogramBuckets-1, bucketOf(1<<62))
	lo, hi := BucketBounds(time.Millisecond)
	assert.True(t, lo <= time.Millisecond && time.Millisecond < hi)
}

// exactQuantile is the nearest-rank quantile of sorted samples.
func exactQuantile(sorted []time.Duration, q float64) time.Duration {
	r := q * float64(len(sorted))
	rank := int(r)
	if float64(rank) < r {
		rank++
	}
	rank = max(rank, 1)
	return sorted[rank-1]
}

func sampleSets(n int) map[string][]time.Duration {
	rng := rand.New(rand.NewPCG(1, 2))
	sets := map[string][]time.Duration{}
	var uni, wide, bimodal, narrow []time.Duration
	for i := 0; i < n; i++ {
		uni = append(uni, time.Duration(rng.Int64N(int64(2*time.Second))))
		// log-uniform over 10 us .. 100 s (by repeated multiplication)
		v := float64(10 * time.Microsecond)
		for k := rng.IntN(24); k > 0; k-- {
			v *= 1.95
		}
		wide = append(wide, time.Duration(v*(1+rng.Float64())))
		if rng.IntN(10) == 0 {
			bimodal = append(bimodal, 2*time.Second+time.Duration(rng.Int64N(int64(time.Second))))
		} else {
			bimodal = append(bimodal, 40*time.Millisecond+time.Duration(rng.Int64N(int64(20*time.Millisecond))))
		}
		narrow = append(narrow, time.Duration(1000+rng.Int64N(40))) // around 1 us, some exact buckets
	}
	sets["uniform"], sets["wide"], sets["bimodal"], sets["narrow"] = uni, wide, bimodal, narrow
	return sets
}

func TestHistogramQuantilesMatchExact(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 4000
	}
	qs := []float64{0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}
	for name, samples := range sampleSets(n) {
		t.Run(name, func(t *testing.T) {
			var h Histogram
			var d HistogramSnapshot
			for _, v := range samples {
				h.Record(v)
				d.Record(v)
			}
			s := h.Snapshot()
			sorted := slices.Clone(samples)
			slices.Sort(sorted)
			require.Equal(t, int64(len(samples)), s.Count())
			for _, q := range qs {
				want := exactQuantile(sorted, q)
				got := s.Quantile(q)
				assertWithin(t, want, got, "q=%v", q)
				assert.Equal(t, got, d.Quantile(q), "sparse and dense agree at q=%v", q)
			}
			assertWithin(t, sorted[len(sorted)-1], s.Max())
			assertWithin(t, sorted[0], s.Min())
			var sum float64
			for _, v := range samples {
				sum += float64(v)
			}
			assertWithin(t, time.Duration(sum/float64(len(samples))), s.Mean())
			// one-pass quantiles agree with Quantile
			out := make([]time.Duration, len(qs)-2)
			s.quantiles(qs[1:len(qs)-1], out)
			for i, q := range qs[1 : len(qs)-1] {
				assert.Equal(t, s.Quantile(q), out[i], "q=%v", q)
			}
		})
	}
}

func TestHistogramMergeEqualsUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var all []time.Duration
	var merged HistogramSnapshot
	for c := 0; c < 50; c++ {
		var h Histogram
		base := time.Duration(1+c) * time.Millisecond // clients differ a lot
		for i := 0; i < 200; i++ {
			v := base + time.Duration(rng.Int64N(int64(base)))
			h.Record(v)
			all = append(all, v)
		}
		merged.Merge(h.Snapshot())
	}
	slices.Sort(all)
	require.Equal(t, int64(len(all)), merged.Count())
	for _, q := range []float64{0.25, 0.5, 0.75, 0.95, 0.99} {
		assertWithin(t, exactQuantile(all, q), merged.Quantile(q), "q=%v", q)
	}
}

func TestHistogramSub(t *testing.T) {
	var a, b HistogramSnapshot
	for i := 1; i <= 10; i++ {
		a.Record(time.Duration(i) * time.Millisecond)
	}
	b = a
	for i := 11; i <= 20; i++ {
		b.Record(time.Duration(i) * time.Millisecond)
	}
	b.Sub(&a) // observations 11..20 ms
	assert.Equal(t, int64(10), b.Count())
	assertWithin(t, 11*time.Millisecond, b.Min())
	assertWithin(t, 20*time.Millisecond, b.Max())
	assertWithin(t, 15*time.Millisecond, b.Quantile(0.5))
	// Sub never goes below zero
	var c HistogramSnapshot
	c.Record(time.Second)
	c.Sub(&a)
	assert.Equal(t, int64(1), c.Count())
	a.Sub(&a)
	assert.Equal(t, int64(0), a.Count())
	assert.Equal(t, time.Duration(0), a.Quantile(0.5))
	assert.Equal(t, time.Duration(0), a.Max())
	assert.Equal(t, time.Duration(0), a.Mean())
}

func TestHistogramSaturationAndGrowth(t *testing.T) {
	n := slotCountMask + 1000 // forces a second slot for the same key
	var h Histogram
	for i := 0; i < n; i++ {
		h.Record(time.Millisecond)
	}
	s := h.Snapshot()
	assert.Equal(t, int64(n), s.Count())
	assertWithin(t, time.Millisecond, s.Quantile(0.5))

	// 500 distinct buckets spill over the first 24-slot table into a chain.
	var g Histogram
	var want HistogramSnapshot
	for k := 0; k < 3; k++ {
		for i := 0; i < 500; i++ {
			v := time.Duration(1000 + 37*i*i)
			g.Record(v)
			want.Record(v)
		}
	}
	got := g.Snapshot()
	assert.Equal(t, want.counts, got.counts)
	assert.Equal(t, int64(1500), got.Count())
}

func TestHistogramConcurrent(t *testing.T) {
	var h Histogram
	var wg sync.WaitGroup
	per := 2000
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				h.Record(time.Duration(1+(i*7+g)%300) * time.Microsecond)
			}
		}()
	}
	// a concurrent reader
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			s := h.Snapshot()
			assert.LessOrEqual(t, s.Count(), int64(8*per))
		}
	}()
	wg.Wait()
	var want HistogramSnapshot
	for g := 0; g < 8; g++ {
		for i := 0; i < per; i++ {
			want.Record(time.Duration(1+(i*7+g)%300) * time.Microsecond)
		}
	}
	assert.Equal(t, want.counts, h.Snapshot().counts)
}

func TestHistogramJSONRoundTrip(t *testing.T) {
	var h HistogramSnapshot
	h.RecordN(time.Millisecond, 3)
	h.Record(2 * time.Second)
	h.RecordN(5, 0)
	data, err := json.Marshal(&h)
	require.NoError(t, err)
	// 1 ms lies in octave 2^19 (width 2^13 = 8192): bucket [999424, 1007616), midpoint 1003520.
	// 2 s lies in octave 2^30 (width 2^24): bucket [1996488704, 2013265920), midpoint 2004877312.
	assert.JSONEq(t, `{"count":4,"buckets":[[1003520,3],[2004877312,1]]}`, string(data))
	lo, hi := BucketBounds(time.Millisecond)
	assert.Equal(t, [2]time.Duration{999424, 1007616}, [2]time.Duration{lo, hi})
	var back HistogramSnapshot
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, h, back)

	var empty HistogramSnapshot
	data, err = json.Marshal(&empty)
	require.NoError(t, err)
	assert.JSONEq(t, `{"count":0,"buckets":[]}`, string(data))

	assert.ErrorContains(t, json.Unmarshal([]byte(`{"count":1,"buckets":[[5,-1]]}`), &back), "negative")
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"count":2,"buckets":[[5,1]]}`), &back), "does not match")
	assert.Error(t, json.Unmarshal([]byte(`[`), &back))
}

// nearestRank is ceil(q x total), at least 1: the rank both the dense
// snapshots and the per-client summaries use.
func TestNearestRank(t *testing.T) {
	cases := []struct {
		q     float64
		total uint64
		want  uint64
	}{
		{0, 10, 1}, {0.001, 10, 1}, {0.5, 4, 2}, {0.5, 5, 3}, {0.25, 4, 1},
		{0.95, 20, 19}, {0.99, 100, 99}, {0.999, 100, 100}, {1, 7, 7},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, nearestRank(c.q, c.total), "q=%v of %d", c.q, c.total)
	}
	// both users of the rank agree on one sample: values 1..20 ms
	var h HistogramSnapshot
	s := NewClientStats(1)
	for i := 1; i <= 20; i++ {
		h.Record(time.Duration(i) * time.Millisecond)
		s.RecordSegmentLatency(time.Duration(i) * time.Millisecond)
	}
	sum := s.GetSummary()
	assert.Equal(t, h.Quantile(0.5), sum.SegmentLatencyP50)
	assert.Equal(t, h.Quantile(0.95), sum.SegmentLatencyP95)
}

func TestLatencyPercentiles(t *testing.T) {
	// 100 segment latencies of 1..100 ms: nearest-rank p25 = 25 ms, p50 =
	// 50 ms, p75 = 75 ms, p95 = 95 ms, p99 = 99 ms, max 100 ms (each
	// within HistogramRelativeError).
	_, a, cs := newVirtualSwarm(2)
	for i := 1; i <= 100; i++ {
		cs[i%2].RecordSegmentLatency(time.Duration(i) * time.Millisecond)
	}
	cs[0].RecordManifestLatency(7 * time.Millisecond)
	cs[1].RecordTCPConnect(3*time.Millisecond, TCPSuccess)
	st := a.Aggregate()
	seg := st.SegmentLatency()
	for want, got := range map[time.Duration]time.Duration{25: seg.P25, 50: seg.P50, 75: seg.P75, 95: seg.P95, 99: seg.P99, 100: seg.Max} {
		assertWithin(t, want*time.Millisecond, got)
	}
	assert.Equal(t, int64(100), seg.Count)
	assert.Equal(t, st.SegmentLatencyP95, seg.P95)
	man := st.ManifestLatency()
	assertWithin(t, 7*time.Millisecond, man.P25)
	assert.Equal(t, man.P25, man.Max)
	assert.Equal(t, int64(1), man.Count)
	tcp := st.TCPConnectLatency()
	assertWithin(t, 3*time.Millisecond, tcp.P99)
	assert.Equal(t, int64(1), tcp.Count)
	assert.Equal(t, LatencyPercentiles{}, new(AggregatedStats).SegmentLatency())
}

// The windowed counts agree with a dense reference through every way a
// histogram changes (growing down and up, merging, subtracting, resetting
// and reusing its memory), and equal contents make equal values.
func TestHistogramSnapshot_WindowMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	randomValue := func() time.Duration { return time.Duration(rng.Int64N(1 << uint(rng.IntN(40)))) }
	var h, o HistogramSnapshot
	ref := map[int]uint64{}
	check := func(step int) {
		t.Helper()
		got := map[int]uint64{}
		var total uint64
		for b := int(h.lo); b < int(h.hi); b++ {
			if c := *h.at(b); c != 0 {
				got[b] = c
				total += c
			}
		}
		require.Equal(t, ref, got, "step %d", step)
		require.Equal(t, total, h.total, "step %d", step)
		for i, c := range h.counts { // nothing outside [lo, hi)
			if b := int(h.base) + i; b < int(h.lo) || b >= int(h.hi) {
				require.Zero(t, c, "step %d bucket %d", step, b)
			}
		}
	}
	for step := 0; step < 3000; step++ {
		switch k := rng.IntN(10); {
		case k < 6:
			d := randomValue()
			h.Record(d)
			ref[bucketOf(int64(d))]++
		case k < 7:
			o.Reset()
			for range rng.IntN(5) {
				o.Record(randomValue())
			}
			h.Merge(&o)
			for v, c := range o.Buckets() {
				ref[bucketOf(int64(v))] += uint64(c)
			}
		case k < 8:
			var s HistogramSnapshot
			for b, c := range ref {
				if rng.IntN(2) == 0 {
					s.RecordN(bucketValue(b), int64(c))
					delete(ref, b)
				}
			}
			h.Sub(&s)
		case k < 9:
			// a canonical window equals one built afresh from the buckets
			c := h.Clone()
			c.canon()
			var rebuilt HistogramSnapshot
			for v, n := range h.Buckets() {
				rebuilt.RecordN(v, n)
			}
			require.Equal(t, c, rebuilt, "step %d", step)
		default:
			if rng.IntN(20) == 0 {
				h.Reset()
				clear(ref)
			}
		}
		check(step)
	}
	// equal contents, equal values
	var a, b HistogramSnapshot
	a.Record(time.Millisecond)
	a.Record(time.Hour)
	b.Record(time.Hour)
	b.Record(time.Millisecond)
	assert.Equal(t, a, b)
	a.Sub(&b)
	assert.Equal(t, HistogramSnapshot{}, a, "empty after Sub: the zero value")
	c := b.Clone()
	c.Record(time.Second)
	assert.Equal(t, int64(2), b.Count(), "a clone does not share counts")
}
