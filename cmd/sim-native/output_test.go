package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listDir is the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// An output that is not a regular file is written in place, never replaced by one:
// a link to a character device (/dev/null), a named pipe, "-" and a path that is the
// process's stdout. Before, each was replaced by a regular file renamed over it (as
// root: /dev/null itself).
func TestOutputWritesDevicesPipesAndStdoutInPlace(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Symlink("/dev/null", filepath.Join(dir, "null.json")))
	r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--json", "null.json", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	dest, err := os.Readlink(filepath.Join(dir, "null.json"))
	require.NoError(t, err, "the link is still a link")
	assert.Equal(t, "/dev/null", dest)

	t.Run("named pipe", func(t *testing.T) {
		fifo := filepath.Join(dir, "pipe.csv")
		require.NoError(t, syscall.Mkfifo(fifo, 0o644))
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo) // waits for the writer
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--csv", "pipe.csv", "--quiet")
		require.Equal(t, 0, r.code, r.stderr)
		data := <-got
		assert.True(t, strings.HasPrefix(string(data), "T,Clients,"), "the reader got the CSV: %.60q", data)
		st, err := os.Lstat(fifo)
		require.NoError(t, err)
		assert.NotZero(t, st.Mode()&os.ModeNamedPipe, "still a named pipe")
	})

	for _, target := range []string{"-", "/dev/stdout", "stdout.json"} {
		t.Run(target, func(t *testing.T) {
			if target == "stdout.json" {
				// A link to the process's own stdout, wherever it points.
				require.NoError(t, os.Symlink("/proc/self/fd/1", filepath.Join(dir, target)))
			}
			r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--json", target)
			require.Equal(t, 0, r.code, r.stderr)
			var run map[string]any
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &run), "stdout holds the JSON alone: %.80q", r.stdout)
			assert.Equal(t, "swarmsim.run/v1", run["format"])
			assert.Contains(t, r.stderr, "swarmsim Exit Summary", "the summary goes to stderr")
		})
	}
	assert.NotContains(t, listDir(t, dir), "-", "no file named -")
	dest, err = os.Readlink(filepath.Join(dir, "stdout.json"))
	require.NoError(t, err, "the link to stdout is still a link")
	assert.Equal(t, "/proc/self/fd/1", dest)

	r = cli(t, dir, "run", "--duration", "10s", "--json", "-", "--csv", "-")
	assert.Equal(t, 2, r.code, "two outputs on stdout: %s", r.stderr)
	assert.Contains(t, r.stderr, "--json - and --csv -")
}

// What sim-native does not write is refused before the run, naming the option, the path
// and what is wrong with it.
func TestOutputRefusesWhatItCannotWrite(t *testing.T) {
	dir := t.TempDir()
	sock, err := net.Listen("unix", filepath.Join(dir, "s.json"))
	require.NoError(t, err)
	defer sock.Close()
	require.NoError(t, os.Symlink("nowhere", filepath.Join(dir, "dangling.json")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d.json"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain"), nil, 0o644))
	for _, tc := range []struct{ path, want string }{
		{"s.json", "--json s.json: is a socket; an output is a regular file, a character device, a named pipe or - (stdout)"},
		{"dangling.json", "--json dangling.json: is a symbolic link to nowhere, which cannot be opened: no such file or directory"},
		{"d.json", "--json d.json: is a directory"},
		{"missing/x.json", "--json missing/x.json: directory missing does not exist"},
		{"/dev/null/x", "--json /dev/null/x: /dev/null is not a directory"},
		{"plain/a/b.json", "--json plain/a/b.json: plain is not a directory"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := cli(t, dir, "run", "--duration", "10s", "--json", tc.path)
			assert.Equal(t, 1, r.code, r.stderr)
			assert.Empty(t, r.stdout, "nothing ran")
			assert.Equal(t, "sim-native: "+tc.want, strings.SplitN(r.stderr, "\n", 2)[0])
		})
	}
	r := cli(t, dir, "run", "--duration", "10s", "--json", "d.json", "--csv", "missing/x.csv")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, 2, strings.Count(r.stderr, "\n"), "each problem on its line: %s", r.stderr)
	assert.Contains(t, r.stderr, "--csv missing/x.csv")
}

// The temporary file is created exclusively under a unique name: a symbolic link planted
// where it used to be (FILE.tmp) is not followed, and its target is untouched.
func TestOutputDoesNotFollowPlantedTempLink(t *testing.T) {
	dir := t.TempDir()
	victim := writeTestFile(t, dir, "victim.txt", "precious\n")
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, "out.json.tmp")))
	r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--json", "out.json", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "precious\n", string(data))
	assert.Equal(t, 5, readRunJSON(t, filepath.Join(dir, "out.json")).Scenario.Clients.Count)
	assert.ElementsMatch(t, []string{"out.json", "out.json.tmp", "victim.txt"}, listDir(t, dir))
}

// Runs writing the same output at once each put a whole file in place: the file left is
// one of them, valid, and no temporary file remains.
func TestConcurrentRunsWriteWholeFiles(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	results := make([]result, 4)
	for i := range results {
		wg.Go(func() {
			results[i] = cli(t, dir, "run", "--duration", "2m", "--clients", "50", "--quiet",
				"--json", "same.json", "--csv", "same.csv", "--report", "same.html")
		})
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, 0, r.code, r.stderr)
	}
	assert.Equal(t, 50, readRunJSON(t, filepath.Join(dir, "same.json")).Scenario.Clients.Count)
	assert.ElementsMatch(t, []string{"same.json", "same.csv", "same.html"}, listDir(t, dir))
}

// A late failure on one output does not keep the others from being written, and every
// failure names its option. (/dev/full accepts the open and fails on the write.)
func TestEveryOutputThatCanBeWrittenIs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Symlink("/dev/full", filepath.Join(dir, "full.json")))
	require.NoError(t, os.Symlink("/dev/full", filepath.Join(dir, "full.html")))
	r := cli(t, dir, "run", "--duration", "10s", "--clients", "5", "--quiet",
		"--json", "full.json", "--csv", "ok.csv", "--report", "full.html")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "sim-native: --json full.json: no space left on device\n"+
		"sim-native: --report full.html: no space left on device\n", r.stderr)
	data, err := os.ReadFile(filepath.Join(dir, "ok.csv"))
	require.NoError(t, err, "the CSV, between the failed outputs, is written")
	assert.True(t, strings.HasPrefix(string(data), "T,Clients,"))
}

// A rename that fails (here the target became a directory during the run) is an error
// that names the option, and leaves no temporary file.
func TestFailedRenameIsAnError(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.json")
	o, err := resolveOutput(env{}, "--json", target)
	require.NoError(t, err)
	require.NoError(t, o.check())
	require.NoError(t, os.MkdirAll(filepath.Join(target, "inside"), 0o755))
	err = o.write(env{}, func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--json "+target+": cannot put it in place")
	assert.Equal(t, []string{"out.json"}, listDir(t, dir))
}

// A write that fails halfway leaves the target as it was.
func TestFailedWriteKeepsTheTarget(t *testing.T) {
	dir := t.TempDir()
	target := writeTestFile(t, dir, "out.json", "old")
	require.NoError(t, os.Chmod(target, 0o600))
	o, err := resolveOutput(env{}, "--json", target)
	require.NoError(t, err)
	err = o.write(env{}, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("encoder failed")
	})
	assert.EqualError(t, err, "--json "+target+": encoder failed")
	data, _ := os.ReadFile(target)
	assert.Equal(t, "old", string(data))
	assert.Equal(t, []string{"out.json"}, listDir(t, dir))

	require.NoError(t, o.write(env{}, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }))
	data, _ = os.ReadFile(target)
	assert.Equal(t, "new", string(data))
	st, err := os.Stat(target)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a replaced file keeps its permissions")
}
