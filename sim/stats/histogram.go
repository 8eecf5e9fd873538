package stats

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/bits"
	"slices"
	"sync/atomic"
	"time"
)

// Bucket layout of every latency/uptime histogram in this package.
//
// Values are durations in nanoseconds. Values below 128 ns get one bucket
// each (exact). Above that each power-of-two octave [2^e, 2^(e+1)) is split
// into 64 equal linear sub-buckets, for octaves up to e = 47; larger values
// (about 78 hours and more) are clamped into the last bucket. A bucket is
// reported by its midpoint, so any value read back (Quantile, Max, Min,
// Mean) is within HistogramRelativeError = 1/128 (0.78 %) of a value
// actually in that bucket. The bucket index is computed from the bit length
// of the value (no logarithm), so it is exact and identical on every
// platform.
const (
	histSubBits = 6
	histSub     = 1 << histSubBits // linear sub-buckets per octave
	histExact   = 2 * histSub      // values below this are stored exactly
	histMinExp  = 7                // log2(histExact)
	histMaxExp  = 47

	// NumHistogramBuckets is the number of buckets of a HistogramSnapshot.
	NumHistogramBuckets = histExact + (histMaxExp-histMinExp+1)*histSub

	// MaxHistogramValue is the largest duration recorded without clamping.
	MaxHistogramValue = time.Duration(1<<(histMaxExp+1) - 1)
)

// HistogramRelativeError is the bound on |reported - true| / true for any
// value read back from a histogram (quantiles are nearest-rank quantiles of
// the recorded values, reported as their bucket's midpoint).
const HistogramRelativeError = 1.0 / 128

// bucketOf maps a duration in nanoseconds to its bucket index. Negative
// values count as 0; values above MaxHistogramValue go to the last bucket.
func bucketOf(v int64) int {
	if v < histExact {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	e := bits.Len64(uint64(v)) - 1
	if e > histMaxExp {
		return NumHistogramBuckets - 1
	}
	return histExact + (e-histMinExp)*histSub + int((uint64(v)>>(e-histSubBits))&(histSub-1))
}

// bucketLower returns the smallest value of bucket i.
func bucketLower(i int) int64 {
	if i < histExact {
		return int64(i)
	}
	j := i - histExact
	e := histMinExp + j/histSub
	s := j % histSub
	return int64(histSub+s) << (e - histSubBits)
}

// bucketWidth returns the number of distinct nanosecond values in bucket i.
func bucketWidth(i int) int64 {
	if i < histExact {
		return 1
	}
	e := histMinExp + (i-histExact)/histSub
	return int64(1) << (e - histSubBits)
}

// bucketValue returns the value that represents bucket i (its midpoint).
func bucketValue(i int) time.Duration {
	return time.Duration(bucketLower(i) + bucketWidth(i)/2)
}

// ---------------------------------------------------------------------------
// Sparse lock-free counts (per client).

// A slot packs a 14-bit key (2-bit kind, 12-bit bucket) and an 18-bit count.
// Zero means "unused". A slot whose count is saturated is left alone and the
// key gets another slot; duplicates of a key are harmless because every
// reader sums all slots.
const (
	slotCountBits = 18
	slotCountMask = 1<<slotCountBits - 1
	slotBucketBit = 12
)

// latency kinds sharing one client's slot tables.
const (
	kindSegment  = 0
	kindManifest = 1
	kindTCP      = 2
	numKinds     = 3
)

func slotKey(kind, bucket int) uint32 { return uint32(kind)<<slotBucketBit | uint32(bucket) }

// headSlots is the number of slots stored inline in a sparseCounts: with
// its header they take 128 bytes, two cache lines right after a client's hot
// counters.
const headSlots = 26

type chainTable struct {
	n     atomic.Uint32
	next  atomic.Pointer[chainTable]
	slots []atomic.Uint32
}

// usedSlots returns the prefix of slots that may hold data.
func usedSlots(n *atomic.Uint32, slots []atomic.Uint32) []atomic.Uint32 {
	u := n.Load()
	if u > uint32(len(slots)) {
		return slots
	}
	return slots[:u]
}

// incExisting increments an unsaturated slot holding key, if there is one.
func incExisting(slots []atomic.Uint32, key uint32) bool {
	for i := range slots {
		sl := &slots[i]
		for {
			v := sl.Load()
			// skip other keys, saturated slots and claimed slots whose key
			// is not stored yet (count 0): count-1 wraps below zero
			if v>>slotCountBits != key || v&slotCountMask-1 >= slotCountMask-1 {
				break
			}
			if sl.CompareAndSwap(v, v+1) {
				return true
			}
		}
	}
	return false
}

// claim stores key with count 1 in the next free slot, if any is left.
func claim(n *atomic.Uint32, slots []atomic.Uint32, key uint32) bool {
	if n.Load() >= uint32(len(slots)) {
		return false
	}
	idx := n.Add(1) - 1
	if idx >= uint32(len(slots)) {
		return false
	}
	slots[idx].Store(key<<slotCountBits | 1)
	return true
}

// maxBatch is the most keys addKeys takes.
const maxBatch = 32

// keyBatch is a batch of distinct keys with their counts, and an index from
// a key's low 6 bits to the first key in the batch that has them, so that
// finding a key costs one comparison unless two keys share those bits (a
// client's segment latencies fill neighbouring buckets, whose low bits
// differ).
type keyBatch struct {
	ks, ns [maxBatch]uint32
	at     [64]uint8 // 1 + index in ks of the first key with these low bits; 0: none
	m      int
}

// find returns the index of key in b, or -1.
func (b *keyBatch) find(key uint32) int {
	a := int(b.at[key&63]) - 1
	if a < 0 {
		return -1
	}
	if b.ks[a] == key {
		return a
	}
	for j := a + 1; j < b.m; j++ { // a later key with the same low bits
		if b.ks[j] == key {
			return j
		}
	}
	return -1
}

// addKeys increments the count of each of keys by one (keys may repeat; at
// most maxBatch of them). The counts end up as with add for each key, but
// each slot is read once for the whole batch: a client holds about ten
// slots, and add reads half of them per key.
func (s *sparseCounts) addKeys(keys []uint32) {
	var b keyBatch
	for _, k := range keys {
		if j := b.find(k); j >= 0 {
			b.ns[j]++
			continue
		}
		if b.at[k&63] == 0 {
			b.at[k&63] = uint8(b.m + 1)
		}
		b.ks[b.m], b.ns[b.m] = k, 1
		b.m++
	}
	left := b.incSlots(usedSlots(&s.n, s.slots[:]), b.m)
	for t := s.next.Load(); t != nil && left > 0; t = t.next.Load() {
		left = b.incSlots(usedSlots(&t.n, t.slots), left)
	}
	if left == 0 {
		return
	}
	for j := range b.m { // keys without a slot (or only saturated ones)
		for ; b.ns[j] > 0; b.ns[j]-- {
			s.add(b.ks[j])
		}
	}
}

// incSlots adds ns[j] to the unsaturated slots holding key ks[j], as far as
// they have room, and returns how many of the left keys with a non-zero ns
// still have one.
func (b *keyBatch) incSlots(slots []atomic.Uint32, left int) int {
	for i := range slots {
		sl := &slots[i]
		v := sl.Load()
		key := v >> slotCountBits
		if b.at[key&63] == 0 {
			continue
		}
		j := b.find(key)
		if j < 0 || b.ns[j] == 0 {
			continue
		}
		for v>>slotCountBits == key && v&slotCountMask-1 < slotCountMask-1 { // stored, unsaturated
			add := min(b.ns[j], slotCountMask-v&slotCountMask)
			if sl.CompareAndSwap(v, v+add) {
				if b.ns[j] -= add; b.ns[j] == 0 {
					left--
				}
				break
			}
			v = sl.Load()
		}
		if left == 0 {
			return 0
		}
	}
	return left
}

// sparseCounts is an insert-only table of packed slots: writers claim the
// next free inline slot with the atomic counter n; when all are taken,
// chained tables of doubling size are installed behind it with
// CompareAndSwap. The zero value is empty.
type sparseCounts struct {
	n    atomic.Uint32
	_    uint32
	next atomic.Pointer[chainTable]
	// blocks has bit b set once a slot in any table was claimed for a key
	// with key>>6&63 == b (set before the slot is stored), so a reader that
	// loads it after the slots knows every 64-bucket block they touch
	// without working it out per slot.
	blocks atomic.Uint64
	slots  [headSlots]atomic.Uint32
}

// add increments the count of key by one. Lock-free.
func (s *sparseCounts) add(key uint32) {
	h := s
	for {
		if incExisting(usedSlots(&h.n, h.slots[:]), key) {
			return
		}
		var last *chainTable
		for t := h.next.Load(); t != nil; t = t.next.Load() {
			if incExisting(usedSlots(&t.n, t.slots), key) {
				return
			}
			last = t
		}
		h.blocks.Or(1 << (key >> 6 & 63)) // before claim stores the slot
		if last == nil {
			if claim(&h.n, h.slots[:], key) {
				return
			}
			if h.next.Load() == nil {
				h.next.CompareAndSwap(nil, &chainTable{slots: make([]atomic.Uint32, 2*headSlots)})
			}
			continue
		}
		if claim(&last.n, last.slots, key) {
			return
		}
		if last.next.Load() == nil {
			last.next.CompareAndSwap(nil, &chainTable{slots: make([]atomic.Uint32, 2*len(last.slots))})
		}
	}
}

// mergeSlots adds packed slots into dst[kind] (nil entries are skipped).
func mergeSlots(slots []atomic.Uint32, dst *[numKinds]*HistogramSnapshot) {
	for i := range slots {
		v := slots[i].Load()
		if v == 0 {
			continue
		}
		key := v >> slotCountBits
		if h := dst[key>>slotBucketBit]; h != nil {
			h.add(int(key&(1<<slotBucketBit-1)), uint64(v&slotCountMask))
		}
	}
}

// keyCounts is a dense scratch array indexed by slot key (kind<<12 |
// bucket), the target of mergeChained and the aggregator's merge loop.
// Indexing by the key itself keeps that loop to a handful of instructions
// per slot.
type keyCounts = [1 << (slotBucketBit + 2)]uint64

// mergeChained adds the slot counts of the chained tables to dst[key] (the
// caller merges the inline slots and takes the blocks touched from
// sparseCounts.blocks).
func (s *sparseCounts) mergeChained(dst *keyCounts) {
	for t := s.next.Load(); t != nil; t = t.next.Load() {
		slots := usedSlots(&t.n, t.slots)
		for i := range slots {
			v := slots[i].Load() // 0 (claimed, not yet stored) adds 0 to key 0
			dst[v>>slotCountBits] += uint64(v & slotCountMask)
		}
	}
}

// moveKind moves the counts of one kind from src (blocks in mask) into h,
// clears them in src and updates h's total and range (its window is made
// to cover them; call h.canon afterwards).
func moveKind(src *keyCounts, kind int, mask uint64, h *HistogramSnapshot) {
	moveBlocks(src, kind, kindBlocks(src, kind, mask), h)
}

// kindBlocks returns the blocks of mask (which has every kind's) that hold
// counts of kind in src.
func kindBlocks(src *keyCounts, kind int, mask uint64) uint64 {
	base := kind << slotBucketBit
	var kmask uint64
	for m := mask; m != 0; m &= m - 1 {
		blk := bits.TrailingZeros64(m)
		if !blockZero(src[base+blk*64 : base+min(blk*64+64, NumHistogramBuckets)]) {
			kmask |= 1 << blk
		}
	}
	return kmask
}

// moveBlocks is moveKind for the blocks kmask of kind.
func moveBlocks(src *keyCounts, kind int, kmask uint64, h *HistogramSnapshot) {
	if kmask == 0 {
		return
	}
	base := kind << slotBucketBit
	h.cover(bits.TrailingZeros64(kmask), 64-bits.LeadingZeros64(kmask))
	lo, hi := int32(NumHistogramBuckets), int32(-1)
	var total uint64
	for ; kmask != 0; kmask &= kmask - 1 {
		blk := bits.TrailingZeros64(kmask)
		first := blk * 64
		part := src[base+first : base+min(first+64, NumHistogramBuckets)]
		for i, c := range part {
			if c != 0 {
				*h.at(first + i) += c
				part[i] = 0
				total += c
				lo = min(lo, int32(first+i))
				hi = int32(first + i + 1)
			}
		}
	}
	if h.total == 0 {
		h.lo, h.hi = lo, hi
	} else {
		h.lo, h.hi = min(h.lo, lo), max(h.hi, hi)
	}
	h.total += total
}

// blockZero reports whether every count of a block is 0 (eight at a time).
func blockZero(p []uint64) bool {
	for len(p) >= 8 {
		if p[0]|p[1]|p[2]|p[3]|p[4]|p[5]|p[6]|p[7] != 0 {
			return false
		}
		p = p[8:]
	}
	for _, c := range p {
		if c != 0 {
			return false
		}
	}
	return true
}

// mergeInto adds the counts of every kind into dst[kind] (dst may hold nil
// entries for kinds the caller does not want).
func (s *sparseCounts) mergeInto(dst *[numKinds]*HistogramSnapshot) {
	h := s
	mergeSlots(usedSlots(&h.n, h.slots[:]), dst)
	for t := h.next.Load(); t != nil; t = t.next.Load() {
		mergeSlots(usedSlots(&t.n, t.slots), dst)
	}
}

// forEachSlot calls fn for every non-empty slot.
func (s *sparseCounts) forEachSlot(fn func(v uint32)) {
	h := s
	each := func(slots []atomic.Uint32) {
		for i := range slots {
			if v := slots[i].Load(); v != 0 {
				fn(v)
			}
		}
	}
	each(usedSlots(&h.n, h.slots[:]))
	for t := h.next.Load(); t != nil; t = t.next.Load() {
		each(usedSlots(&t.n, t.slots))
	}
}

// ---------------------------------------------------------------------------

// Histogram is a lock-free, sparse latency histogram: Record may be called
// from any number of goroutines while others take snapshots. It takes 128
// bytes while the recorded values fall into at most 26 buckets and grows (by
// chained tables of 52, 104, ... slots, never by copying) when they spread.
// The zero value is ready to use.
type Histogram struct {
	c sparseCounts
}

// Record adds one observation.
func (h *Histogram) Record(d time.Duration) {
	h.c.add(slotKey(0, bucketOf(int64(d))))
}

// MergeInto adds the histogram's counts to dst.
func (h *Histogram) MergeInto(dst *HistogramSnapshot) {
	k := [numKinds]*HistogramSnapshot{dst}
	h.c.mergeInto(&k)
}

// Snapshot returns a dense copy of the histogram.
func (h *Histogram) Snapshot() *HistogramSnapshot {
	s := &HistogramSnapshot{}
	h.MergeInto(s)
	return s
}

// ---------------------------------------------------------------------------

// HistogramSnapshot is a mergeable histogram of durations (see
// NumHistogramBuckets for the layout and HistogramRelativeError for the
// accuracy). It is not safe for concurrent mutation. Snapshots of different
// clients merge exactly (Merge adds bucket counts), so percentiles of a
// merged snapshot are percentiles of all observations. The zero value is an
// empty histogram.
//
// Its counts are dense over the 64-bucket blocks its observations span (a
// latency distribution typically spans one to three blocks, 0.5 to 1.5 KB)
// and held in a slice: a copy of a HistogramSnapshot shares its counts
// with the original, so use Clone for an independent copy.
type HistogramSnapshot struct {
	total  uint64
	lo, hi int32 // non-empty buckets lie in [lo, hi); lo == hi when empty
	// counts[i] is the count of bucket base+i. The window is whole
	// blocks (base a multiple of 64) and covers [lo, hi); counts beyond
	// len(counts) up to cap(counts) are zero.
	base   int32
	counts []uint64
}

// cover widens the window to cover the blocks [blo, bhi) too, keeping the
// counts.
func (h *HistogramSnapshot) cover(blo, bhi int) {
	n := len(h.counts) >> 6
	b0 := int(h.base) >> 6
	if n > 0 {
		if blo >= b0 && bhi <= b0+n {
			return
		}
		blo, bhi = min(blo, b0), max(bhi, b0+n)
	}
	need := (bhi - blo) << 6
	if need <= cap(h.counts) {
		c := h.counts[:need]
		if shift := (b0 - blo) << 6; n > 0 && shift > 0 {
			copy(c[shift:], c[:n<<6])
			clear(c[:min(shift, n<<6)])
		}
		h.counts = c
	} else {
		c := make([]uint64, need)
		if n > 0 {
			copy(c[(b0-blo)<<6:], h.counts)
		}
		h.counts = c
	}
	h.base = int32(blo << 6)
}

// canon makes the window exactly the blocks of [lo, hi) (nil when empty),
// so that equal histograms are equal values (reflect.DeepEqual).
func (h *HistogramSnapshot) canon() {
	if h.total == 0 {
		h.counts, h.base = nil, 0
		return
	}
	blo, bhi := int(h.lo)>>6, int(h.hi-1)>>6+1
	shift := blo<<6 - int(h.base)
	n := (bhi - blo) << 6
	if shift == 0 && n == len(h.counts) {
		return
	}
	copy(h.counts, h.counts[shift:shift+n])
	clear(h.counts[n:])
	h.counts = h.counts[:n]
	h.base = int32(blo << 6)
}

// shareWindows gives the empty histograms among hs, whose windows hold no
// memory yet, windows over the blocks [spans[i][0], spans[i][1]) carved
// from one allocation (each capped, so that growing one never touches
// another).
func shareWindows(hs []*HistogramSnapshot, spans [][2]int) {
	n := 0
	for i, h := range hs {
		if cap(h.counts) == 0 && h.total == 0 {
			n += spans[i][1] - spans[i][0]
		}
	}
	if n == 0 {
		return
	}
	buf := make([]uint64, n<<6)
	for i, h := range hs {
		if cap(h.counts) == 0 && h.total == 0 && spans[i][1] > spans[i][0] {
			k := (spans[i][1] - spans[i][0]) << 6
			h.counts, buf = buf[:k:k], buf[k:]
			h.base = int32(spans[i][0] << 6)
		}
	}
}

// Clone returns an independent copy of h.
func (h *HistogramSnapshot) Clone() HistogramSnapshot {
	c := *h
	c.counts = slices.Clone(h.counts)
	return c
}

// at returns a pointer to the count of bucket b, which the window covers.
func (h *HistogramSnapshot) at(b int) *uint64 { return &h.counts[b-int(h.base)] }

func (h *HistogramSnapshot) add(b int, n uint64) {
	if n == 0 {
		return
	}
	if uint(b-int(h.base)) >= uint(len(h.counts)) {
		h.cover(b>>6, b>>6+1)
	}
	if h.total == 0 {
		h.lo, h.hi = int32(b), int32(b+1)
	} else {
		if int32(b) < h.lo {
			h.lo = int32(b)
		}
		if int32(b) >= h.hi {
			h.hi = int32(b + 1)
		}
	}
	h.counts[b-int(h.base)] += n
	h.total += n
}

// Record adds one observation of d.
func (h *HistogramSnapshot) Record(d time.Duration) { h.add(bucketOf(int64(d)), 1) }

// RecordN adds n observations of d (n <= 0 is ignored).
func (h *HistogramSnapshot) RecordN(d time.Duration, n int64) {
	if n > 0 {
		h.add(bucketOf(int64(d)), uint64(n))
	}
}

// Reset empties the histogram, keeping its memory for the next counts.
func (h *HistogramSnapshot) Reset() {
	if h.total != 0 || h.hi != 0 {
		clear(h.counts[int(h.lo)-int(h.base) : int(h.hi)-int(h.base)])
	}
	h.total, h.lo, h.hi = 0, 0, 0
}

// Count returns the number of observations.
func (h *HistogramSnapshot) Count() int64 { return int64(h.total) }

// Merge adds all observations of o to h.
func (h *HistogramSnapshot) Merge(o *HistogramSnapshot) {
	if o.total == 0 {
		return
	}
	h.cover(int(o.lo)>>6, int(o.hi-1)>>6+1)
	for i := o.lo; i < o.hi; i++ {
		h.add(int(i), *o.at(int(i)))
	}
}

// Sub removes the observations of o from h, bucket by bucket, never going
// below zero. With consecutive cumulative snapshots (h later than o) it
// yields the observations made in between.
func (h *HistogramSnapshot) Sub(o *HistogramSnapshot) {
	if h.total == 0 || o.total == 0 {
		return
	}
	lo, hi := max(h.lo, o.lo), min(h.hi, o.hi)
	for i := lo; i < hi; i++ {
		p := h.at(int(i))
		c := min(*p, *o.at(int(i)))
		*p -= c
		h.total -= c
	}
	h.shrink()
}

// shrink recomputes lo/hi after counts were removed.
func (h *HistogramSnapshot) shrink() {
	if h.total == 0 {
		h.lo, h.hi = 0, 0
		h.canon()
		return
	}
	for *h.at(int(h.lo)) == 0 {
		h.lo++
	}
	for *h.at(int(h.hi - 1)) == 0 {
		h.hi--
	}
	h.canon()
}

// Quantile returns the nearest-rank q-quantile (0 <= q <= 1; q is clamped):
// the smallest recorded value v such that at least ceil(q*Count) values are
// <= v, reported as its bucket's midpoint. It returns 0 for an empty
// histogram.
func (h *HistogramSnapshot) Quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	if !(q > 0) { // also NaN
		return h.Min()
	}
	if q >= 1 {
		return h.Max()
	}
	r := float64(q * float64(h.total)) // float64(): never fused (see nearestRank)
	rank := uint64(r)
	if float64(rank) < r {
		rank++
	}
	if rank < 1 {
		rank = 1
	}
	var cum uint64
	for i := h.lo; i < h.hi; i++ {
		cum += *h.at(int(i))
		if cum >= rank {
			return bucketValue(int(i))
		}
	}
	return h.Max()
}

// nearestRank is the 1-based rank of quantile q among total observations
// (nearest-rank definition): ceil(q x total), at least 1.
func nearestRank(q float64, total uint64) uint64 {
	r := float64(q * float64(total)) // float64(): a conversion to uint64 may subtract 2^63, which some platforms would fuse with the product
	rank := uint64(r)
	if float64(rank) < r {
		rank++
	}
	return max(rank, 1)
}

// quantiles fills out with the quantiles qs in one pass (qs ascending, at
// most 8 of them).
func (h *HistogramSnapshot) quantiles(qs []float64, out []time.Duration) {
	if h.total == 0 {
		clear(out)
		return
	}
	var ranks [8]uint64 // qs has at most 8 entries
	for j, q := range qs {
		ranks[j] = nearestRank(q, h.total)
	}
	j := 0
	var cum uint64
	for i := h.lo; i < h.hi && j < len(qs); i++ {
		cum += *h.at(int(i))
		for j < len(qs) {
			if cum < ranks[j] {
				break
			}
			out[j] = bucketValue(int(i))
			j++
		}
	}
	for ; j < len(qs); j++ {
		out[j] = h.Max()
	}
}

// Max returns the largest observation (bucket midpoint), 0 when empty.
func (h *HistogramSnapshot) Max() time.Duration {
	if h.total == 0 {
		return 0
	}
	return bucketValue(int(h.hi - 1))
}

// Min returns the smallest observation (bucket midpoint), 0 when empty.
func (h *HistogramSnapshot) Min() time.Duration {
	if h.total == 0 {
		return 0
	}
	return bucketValue(int(h.lo))
}

// Mean returns the mean of the observations computed from bucket midpoints
// (within HistogramRelativeError of the true mean), 0 when empty.
func (h *HistogramSnapshot) Mean() time.Duration {
	if h.total == 0 {
		return 0
	}
	var sum float64
	for i := h.lo; i < h.hi; i++ {
		if c := *h.at(int(i)); c != 0 {
			sum += float64(float64(c) * float64(bucketValue(int(i))))
		}
	}
	return time.Duration(sum / float64(h.total))
}

// Buckets iterates over the non-empty buckets in ascending order, yielding
// each bucket's representative value and its count.
func (h *HistogramSnapshot) Buckets() iter.Seq2[time.Duration, int64] {
	return func(yield func(time.Duration, int64) bool) {
		if h.total == 0 {
			return
		}
		for i := h.lo; i < h.hi; i++ {
			if c := *h.at(int(i)); c != 0 {
				if !yield(bucketValue(int(i)), int64(c)) {
					return
				}
			}
		}
	}
}

// BucketBounds returns the half-open range [lower, upper) of the bucket
// that holds d, for exporters that need explicit bucket boundaries.
func BucketBounds(d time.Duration) (lower, upper time.Duration) {
	b := bucketOf(int64(d))
	return time.Duration(bucketLower(b)), time.Duration(bucketLower(b) + bucketWidth(b))
}

type histogramJSON struct {
	Count   int64      `json:"count"`
	Buckets [][2]int64 `json:"buckets"`
}

// MarshalJSON writes {"count":N,"buckets":[[value_ns,count],...]} with one
// pair per non-empty bucket (value = bucket midpoint in nanoseconds).
func (h *HistogramSnapshot) MarshalJSON() ([]byte, error) {
	out := histogramJSON{Count: int64(h.total), Buckets: [][2]int64{}}
	for v, c := range h.Buckets() {
		out.Buckets = append(out.Buckets, [2]int64{int64(v), c})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the form written by MarshalJSON.
func (h *HistogramSnapshot) UnmarshalJSON(data []byte) error {
	var in histogramJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	h.Reset()
	var sum int64
	for i, p := range in.Buckets {
		if p[1] < 0 {
			return fmt.Errorf("histogram: buckets[%d]: count %d is negative (allowed: >= 0)", i, p[1])
		}
		h.RecordN(time.Duration(p[0]), p[1])
		sum += p[1]
	}
	if sum != in.Count {
		return fmt.Errorf("histogram: count %d does not match the sum of bucket counts %d", in.Count, sum)
	}
	return nil
}
