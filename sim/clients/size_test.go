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
	assert.LessOrEqual(t, unsafe.Sizeof(v), uintptr(448))
	assert.LessOrEqual(t, unsafe.Offsetof(v.speedCls), uintptr(63))
	assert.LessOrEqual(t, unsafe.Offsetof(v.linesDirty), uintptr(127))
	t.Logf("Viewer: %d bytes", unsafe.Sizeof(v))
}
