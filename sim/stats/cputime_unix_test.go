//go:build unix

package stats

import "syscall"

// processCPUNanos returns the user+system CPU time of the process. The
// shared benchmark machine is busy, so wall-clock ns/op includes time the
// benchmark was not running; cpu-ns/op does not.
func processCPUNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
