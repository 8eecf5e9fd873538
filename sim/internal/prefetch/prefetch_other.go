//go:build !amd64

package prefetch

import "unsafe"

// Lines is a no-op where Go has no prefetch instruction (wasm has none);
// see prefetch_amd64.go.
func Lines(unsafe.Pointer, int) {}
