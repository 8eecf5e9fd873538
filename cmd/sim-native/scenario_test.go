package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

func TestLooksLikeFile(t *testing.T) {
	tests := []struct {
		v    string
		file bool
	}{
		{"steady", false},
		{"capacity-knee", false},
		{"nosuch", false},
		{"notes.txt", false},
		{"s.yaml", true},
		{"s.YML", true},
		{"s.json", true},
		{"./steady", true},
		{"dir/steady", true},
		{`dir\steady`, true},
		{"/abs/path/x", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.file, looksLikeFile(tc.v), "%q", tc.v)
	}
}

// Entries of the working directory never shadow a preset name: only a path with a
// separator or a .yaml/.yml/.json name is read as a file.
func TestWorkingDirectoryDoesNotShadowPresets(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "steady"), 0o755))
	writeTestFile(t, dir, "low-latency", "not: [a scenario\n")
	writeTestFile(t, dir, "mine", "name: mine\nduration: 5s\nclients:\n  count: 3\n")

	r := cli(t, dir, "--duration", "5s", "--clients", "5")
	require.Equal(t, 0, r.code, "a directory named steady is not the default scenario: %s", r.stderr)
	assert.Contains(t, r.stdout, "steady (seed")

	r = cli(t, dir, "run", "--scenario", "low-latency", "--clients", "5", "--quiet")
	assert.Equal(t, 0, r.code, "a file named low-latency does not replace the preset: %s", r.stderr)

	r = cli(t, dir, "run", "--scenario", "mine")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown preset "mine"`)
	assert.Contains(t, r.stderr, "--scenario ./mine", "the error suggests the file form")
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)

	r = cli(t, dir, "run", "--scenario", "./mine")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "mine (seed")
}

func TestReadErrCode(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub.yaml")
	require.NoError(t, os.Mkdir(sub, 0o755))
	file := writeTestFile(t, dir, "f.yaml", "name: x\n")
	tests := []struct {
		name string
		path string
		err  error
		code int
	}{
		{"missing", filepath.Join(dir, "nope.yaml"), &fs.PathError{Op: "open", Path: "nope.yaml", Err: fs.ErrNotExist}, exitUsage},
		{"directory", sub, &fs.PathError{Op: "read", Path: sub, Err: errors.New("is a directory")}, exitUsage},
		{"broken", file, &scenario.FieldError{File: file, Path: "clients.count", Msg: "bad"}, exitUsage},
		{"unreadable", file, &fs.PathError{Op: "open", Path: file, Err: fs.ErrPermission}, exitFailure},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.code, readErrCode(tc.path, tc.err), tc.name)
	}
}

// A directory where a file is expected is bad input (exit 2) for every command.
func TestDirectoryAsInputFileExits2(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d.yaml"), 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d.json"), 0o755))
	for _, args := range [][]string{
		{"validate", "d.yaml"},
		{"run", "--scenario", "d.yaml"},
		{"sweep", "--scenario", "d.yaml", "--param", "clients=1,2", "--slo", "error_rate<1"},
		{"compare", "d.json", "d.json"},
		{"run", "--duration", "5s", "--report", "r.html", "--baseline", "d.json"},
	} {
		r := cli(t, dir, args...)
		assert.Equal(t, 2, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "is a directory", "%v", args)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
	}
}
