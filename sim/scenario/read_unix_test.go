//go:build unix

package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file that is not regular is read up to the limit + 1 byte, then refused naming the
// file: memory stays bounded whatever it gives. (Before, it was read to its end, so
// /dev/zero grew the process until it died; the pipe here gives 64 MiB and ends.)
func TestLoadReadsAtMostTheLimitFromDevicesAndPipes(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fed.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		chunk := make([]byte, 1<<20)
		for range 64 {
			if _, err := f.Write(chunk); err != nil {
				return // the reader stopped
			}
		}
	}()
	var err error
	alloc := allocated(func() { _, err = Load(fifo) })
	<-fed
	require.Error(t, err)
	assert.Equal(t, fifo+": this named pipe gives more than 1048576 bytes without ending (at most 1048576 allowed; give a regular file)", err.Error())
	assert.Less(t, alloc, uint64(8<<20))
	var fe *FieldError
	assert.ErrorAs(t, err, &fe, "bad input, not an I/O failure")

	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		alloc := allocated(func() { _, err = Load(dev) })
		assert.EqualError(t, err, dev+": this character device gives more than 1048576 bytes without ending (at most 1048576 allowed; give a regular file)")
		assert.Less(t, alloc, uint64(8<<20))
	}
}

// A regular file over the limit is refused from its size, without being read.
func TestLoadRefusesALargeFileUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(path, make([]byte, 8<<20), 0o644))
	var err error
	alloc := allocated(func() { _, err = Load(path) })
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("%s: file is 8388608 bytes, at most 1048576 allowed", path), err.Error())
	assert.Less(t, alloc, uint64(1<<20), "the file is not read")
	var fe *FieldError
	assert.ErrorAs(t, err, &fe, "bad input, not an I/O failure")
}

// ReadLimited's limit is exact: limit bytes are read, limit + 1 are refused.
func TestReadLimitedAtTheLimit(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at")
	require.NoError(t, os.WriteFile(at, []byte(strings.Repeat("x", 100)), 0o644))
	data, err := ReadLimited(at, 100)
	require.NoError(t, err)
	assert.Len(t, data, 100)
	_, err = ReadLimited(at, 99)
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(100), tl.Size)
	_, err = ReadLimited(dir, 100)
	assert.EqualError(t, err, "read "+dir+": is a directory")
	_, err = ReadLimited(filepath.Join(dir, "missing"), 100)
	assert.True(t, errors.Is(err, os.ErrNotExist))
}
