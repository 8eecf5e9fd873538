package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Inputs that never end (/dev/zero, /dev/urandom) or that give more than a file may
// hold (a pipe) are read up to the limit + 1 byte and refused with exit 2, naming the
// file, in every command that reads one. Before, they were read to their end: memory grew
// until the process died.
func TestEndlessInputsAreRefused(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--quiet", "--json", "a.json")
	require.Equal(t, 0, r.code, r.stderr)
	const scen = "this character device gives more than 1048576 bytes without ending (at most 1048576 allowed; give a regular file)"
	const runs = "this character device gives more than 268435456 bytes without ending (at most 268435456 allowed; give a regular file)"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "/dev/zero", "/dev/urandom"}, "sim-native: /dev/zero: " + scen + "\nsim-native: /dev/urandom: " + strings.Replace(scen, "zero", "urandom", 1) + "\n"},
		{[]string{"run", "--scenario", "/dev/zero"}, "sim-native: /dev/zero: " + scen + "\n"},
		{[]string{"compare", "a.json", "/dev/zero"}, "sim-native: /dev/zero: " + runs + "\n"},
		{[]string{"run", "--duration", "10s", "--report", "r.html", "--baseline", "/dev/zero"}, "sim-native: /dev/zero: " + runs + "\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, dir, tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Equal(t, tc.want, r.stderr)
		})
	}

	// A pipe that gives 2 MiB and ends: refused after 1 MiB + 1 byte, the writer stopped.
	fifo := filepath.Join(dir, "fed.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	wrote := make(chan int)
	go func() {
		n := 0
		defer func() { wrote <- n }()
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		chunk := make([]byte, 64<<10)
		for range 32 {
			m, err := f.Write(chunk)
			n += m
			if err != nil {
				return
			}
		}
	}()
	r = cli(t, dir, "validate", "fed.yaml")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "sim-native: fed.yaml: this named pipe gives more than 1048576 bytes without ending (at most 1048576 allowed; give a regular file)\n", r.stderr)
	assert.Less(t, <-wrote, 2<<20, "the reader stopped before the end")
}
