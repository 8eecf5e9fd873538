package sweep

import (
	"errors"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRunMemory(t *testing.T) {
	// 1 000 000 clients for an hour: 8 MiB + 4 KiB x 10^6 + 1 KiB x 3600.
	assert.Equal(t, uint64(8<<20+4096*1_000_000+1024*3600), RunMemory(1_000_000, time.Hour))
	// Two workers of that need about 8.2 GB; 6 GiB hold one.
	assert.Equal(t, 1, Fit(6<<30, RunMemory(1_000_000, time.Hour)))
	assert.Equal(t, 0, Fit(1<<30, RunMemory(1_000_000, time.Hour)))
	assert.Equal(t, 2, Fit(9<<30, RunMemory(1_000_000, time.Hour)))
}

func TestAvailable(t *testing.T) {
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(p string) ([]byte, error) {
			if s, ok := m[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	meminfo := "MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    4000000 kB\n"
	m, ok := Available(files(map[string]string{"/proc/meminfo": meminfo}))
	assert.True(t, ok)
	assert.Equal(t, Memory{4000000 << 10, "MemAvailable in /proc/meminfo"}, m)

	// A container's limit below the host's available memory: the limit less the usage.
	m, _ = Available(files(map[string]string{"/proc/meminfo": meminfo,
		"/sys/fs/cgroup/memory.max": "2147483648\n", "/sys/fs/cgroup/memory.current": "1073741824\n"}))
	assert.Equal(t, uint64(1<<30), m.Bytes)
	assert.Contains(t, m.Source, "memory.max")

	// No limit ("max") leaves the host's figure.
	m, _ = Available(files(map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}))
	assert.Equal(t, uint64(4000000<<10), m.Bytes)

	// cgroup v1.
	m, _ = Available(files(map[string]string{"/sys/fs/cgroup/memory/memory.limit_in_bytes": "3000", "/sys/fs/cgroup/memory/memory.usage_in_bytes": "1000"}))
	assert.Equal(t, uint64(2000), m.Bytes)

	_, ok = Available(func(string) ([]byte, error) { return nil, errors.New("no such file") })
	assert.False(t, ok, "nothing known (GOMEMLIMIT unset in tests)")
}
