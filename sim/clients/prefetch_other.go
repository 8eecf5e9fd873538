//go:build !amd64

package clients

import "unsafe"

// prefetchLines is a no-op where Go has no prefetch instruction (wasm has
// none); see prefetch_amd64.go.
func prefetchLines(unsafe.Pointer, int) {}
