package clients

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// TestViewerSize keeps the per-client state small (the budget is 4 KB per
// client including its ClientStats) and the hot fields in the first line.
func TestViewerSize(t *testing.T) {
	var v Viewer
	assert.Equal(t, uintptr(0), unsafe.Sizeof(v)%64, "a whole number of cache lines")
	assert.LessOrEqual(t, unsafe.Sizeof(v), uintptr(512))
	assert.LessOrEqual(t, unsafe.Offsetof(v.histN), uintptr(63), "first line")
	assert.Equal(t, uintptr(64), unsafe.Offsetof(v.playPos), "second line")
	assert.LessOrEqual(t, unsafe.Offsetof(v.refresh)+unsafe.Sizeof(v.refresh), uintptr(5*64), "the wake-up path fits 5 lines")
	t.Logf("Viewer: %d bytes", unsafe.Sizeof(v))
}
