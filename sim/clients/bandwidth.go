package clients

import "math"

// Bandwidth classes order the downlink caps of in-flight segment transfers
// for the origin's max-min fair share (water-filling) without sorting
// clients: class k holds caps in [ClassFloor(k), ClassFloor(k+1)), the floors
// growing by classRatio from classBase bytes/s. The floors are built by
// repeated multiplication (no math.Pow), so they are bit-identical on every
// platform.
const (
	// NumClasses is the number of bandwidth classes.
	NumClasses = 672
	classBase  = 1000.0 // bytes/s (8 kbit/s)
	classRatio = 1.025
)

var classFloor = func() (f [NumClasses + 1]float64) {
	v := classBase
	for i := range f {
		f[i] = v
		v *= classRatio
	}
	return f
}()

// classOfRate returns the largest k with classFloor[k] <= b (0 below the
// first floor) in O(1): the float's exponent and top mantissa bits name a
// bucket of 1/64 of an octave, whose ratio (at most 65/64) is below classRatio, so
// at most one floor falls inside it.
func classOfRate(b float64) uint16 {
	if !(b >= classFloor[0]) {
		return 0
	}
	if b >= classFloor[NumClasses-1] {
		return NumClasses - 1
	}
	k := bucketClass[int(math.Float64bits(b)>>bucketShift)-bucketFirst]
	if classFloor[k+1] <= b {
		k++
	}
	return k
}

const bucketShift = 52 - 6 // keep the exponent and 6 mantissa bits

var (
	bucketFirst = int(math.Float64bits(classBase) >> bucketShift)
	// bucketClass[i]: the class of the lowest value of bucket bucketFirst+i
	// (the classes are found by comparing with the floors, so they are exact)
	bucketClass = func() []uint16 {
		last := int(math.Float64bits(classFloor[NumClasses-1]) >> bucketShift)
		t := make([]uint16, last-bucketFirst+1)
		k := uint16(0)
		for i := range t {
			lo := math.Float64frombits(uint64(bucketFirst+i) << bucketShift)
			for int(k)+1 < NumClasses && classFloor[k+1] <= lo {
				k++
			}
			t[i] = k
		}
		return t
	}()
)
