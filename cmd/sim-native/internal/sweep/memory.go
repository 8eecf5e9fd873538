package sweep

import (
	"bufio"
	"bytes"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// The memory a run needs, estimated from the engine's measured figure (docs/PERFORMANCE.md,
// "engine memory per client, everything included": 3.1-3.2 KB) with a quarter on top for
// the garbage collector's headroom, plus the recorded series.
const (
	BytesPerClient = 4 << 10 // per client of the run
	BytesPerSample = 1 << 10 // per second of virtual time (one sample, its slice growing by doubling)
	BytesPerRun    = 8 << 20 // per run, whatever its size
)

// RunMemory estimates the memory one run of clients viewers over d of virtual time needs.
func RunMemory(clients int, d time.Duration) uint64 {
	return BytesPerRun + uint64(max(clients, 0))*BytesPerClient + uint64(max(d/time.Second, 0))*BytesPerSample
}

// Memory is the memory the process may use and where that figure comes from.
type Memory struct {
	Bytes  uint64
	Source string // e.g. "MemAvailable in /proc/meminfo", "the cgroup's memory.max"
}

// Available is the memory the process may still use: the least of the system's
// available memory (MemAvailable), what the cgroup's limit leaves (a container's memory
// limit, v2 or v1) and the Go memory limit (GOMEMLIMIT). ok is false when none is known
// (not Linux). readFile is os.ReadFile in the program.
func Available(readFile func(string) ([]byte, error)) (m Memory, ok bool) {
	m.Bytes = math.MaxUint64
	take := func(b uint64, source string) {
		if b < m.Bytes {
			m, ok = Memory{b, source}, true
		}
	}
	if b, err := readFile("/proc/meminfo"); err == nil {
		if kb, found := meminfo(b, "MemAvailable:"); found {
			take(kb<<10, "MemAvailable in /proc/meminfo")
		}
	}
	if limit, found := number(readFile, "/sys/fs/cgroup/memory.max"); found { // cgroup v2
		used, _ := number(readFile, "/sys/fs/cgroup/memory.current")
		take(limit-min(used, limit), "the cgroup's memory.max less memory.current")
	} else if limit, found := number(readFile, "/sys/fs/cgroup/memory/memory.limit_in_bytes"); found && limit < 1<<60 { // v1
		used, _ := number(readFile, "/sys/fs/cgroup/memory/memory.usage_in_bytes")
		take(limit-min(used, limit), "the cgroup's memory.limit_in_bytes less its usage")
	}
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		take(uint64(l), "GOMEMLIMIT")
	}
	return m, ok
}

func meminfo(b []byte, key string) (kb uint64, ok bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, found := strings.CutPrefix(sc.Text(), key); found {
			v, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}

// number reads a file holding one integer ("max" or a missing file: not found).
func number(readFile func(string) ([]byte, error), path string) (uint64, bool) {
	b, err := readFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}

// Fit is how many runs of perRun bytes fit in avail at once.
func Fit(avail, perRun uint64) int {
	if perRun == 0 {
		return math.MaxInt
	}
	return int(min(avail/perRun, math.MaxInt32))
}
