package prefetch

import "unsafe"

// Lines asks the CPU to load the n cache lines from p on (x86
// PREFETCHT0). Unlike an ordinary load it retires at once, so the work that
// follows never waits for it; it cannot fault and changes no value.
//
//go:noescape
func Lines(p unsafe.Pointer, n int)
