//go:build !unix

package stats

func processCPUNanos() int64 { return 0 }
