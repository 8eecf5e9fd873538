package stats

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestExitCategory(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{0, ExitSuccess},
		{1, ExitError},
		{-1, ExitError},
		{128, ExitError},
		{129, ExitSignal}, // 128 + SIGHUP
		{137, ExitSignal}, // 128 + SIGKILL
		{255, ExitSignal}, // FFmpeg after SIGTERM
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ExitCategory(tc.code), "code %d", tc.code)
	}
}

func TestProcessExits_RecordAndMerge(t *testing.T) {
	var zero ProcessExits
	assert.Zero(t, zero.Count())
	assert.Equal(t, map[string]int64{"success": 0, "error": 0, "signal": 0}, zero.ByCategory())
	assert.Empty(t, zero.ByCode())

	var a, b ProcessExits
	a.Record(1, 3*time.Second)
	a.Record(1, 90*time.Second)
	b.Record(255, 10*time.Minute)
	b.Record(0, time.Second)
	b.Record(1, 3*time.Second)

	var sum ProcessExits
	sum.Merge(&a)
	sum.Merge(&b)
	sum.Merge(&zero)
	assert.EqualValues(t, 5, sum.Count())
	assert.Equal(t, map[int]int64{0: 1, 1: 3, 255: 1}, sum.ByCode())
	assert.Equal(t, map[string]int64{"success": 1, "error": 3, "signal": 1}, sum.ByCategory())
	// uptimes: 1 s, 3 s, 3 s, 90 s, 600 s; each read back within the
	// histogram's relative error
	assert.InEpsilon(t, 3*time.Second, sum.Uptime.Quantile(0.5), HistogramRelativeError)
	assert.InEpsilon(t, 10*time.Minute, sum.Uptime.Max(), HistogramRelativeError)
	assert.InEpsilon(t, time.Second, sum.Uptime.Min(), HistogramRelativeError)

	// the operands are unchanged, and ByCode is a copy
	assert.EqualValues(t, 2, a.Count())
	sum.ByCode()[1] = 100
	assert.Equal(t, int64(3), sum.ByCode()[1])

	sum.Reset()
	assert.Zero(t, sum.Count())
	assert.Empty(t, sum.ByCode())
	sum.Record(137, 5*time.Second)
	assert.Equal(t, map[string]int64{"success": 0, "error": 0, "signal": 1}, sum.ByCategory())
}
