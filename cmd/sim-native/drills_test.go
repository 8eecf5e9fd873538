package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

func TestDrillsListsCodesForTrainers(t *testing.T) {
	r := cli(t, "", "drills")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	infos := drill.Builtins()
	require.Len(t, lines, len(infos)+2, "a warning, a header and a line per drill")
	assert.Contains(t, lines[0], "do not show this to trainees")
	for i, info := range infos {
		fields := strings.Fields(lines[i+2])
		require.GreaterOrEqual(t, len(fields), 4, lines[i+2])
		assert.Equal(t, []string{drill.Code(info.Name), string(rune('0' + info.Difficulty)), info.Name}, fields[:3])
	}
}

func TestDrillsPrintsOneFile(t *testing.T) {
	want, err := drill.BuiltinYAML("outage")
	require.NoError(t, err)
	for _, ref := range []string{"outage", drill.Code("outage")} {
		r := cli(t, "", "drills", ref)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, string(want), r.stdout, ref)
	}
	r := cli(t, "", "drills", "nope")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown drill "nope"`)
	assert.NotContains(t, r.stderr, "outage", "the error lists codes, not names")
	r = cli(t, "", "drills", "a", "b")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "at most one drill")
}

func TestDrillsTabulatesResultLines(t *testing.T) {
	dir := t.TempDir()
	d, err := drill.Builtin("outage")
	require.NoError(t, err)
	lines := []string{
		"alice: " + drill.Score(d, drill.Answer{Choice: d.Answer, Start: 82 * time.Second, StartGiven: true, At: 150 * time.Second}).Line(),
		"bob - " + drill.Score(d, drill.Answer{Choice: d.Answer%len(d.Choices) + 1, At: 180 * time.Second}).Line(),
		"",
		drill.Score(d, drill.Answer{Choice: d.Answer, Start: 70 * time.Second, StartGiven: true, At: 100 * time.Second}).Line(),
	}
	path := filepath.Join(dir, "class.txt")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	r := cli(t, "", "drills", "--results", path)
	require.Equal(t, 0, r.code, r.stderr)
	out := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, out, 7, r.stdout)
	assert.Equal(t, []string{"alice", "outage", "11", "right", "+2s", "-", "2:30", "100"}, strings.Fields(out[1]))
	assert.Equal(t, []string{"bob", "outage", "11", "wrong", "none", "-", "3:00", "0"}, strings.Fields(out[2]))
	assert.Equal(t, []string{"-", "outage", "11", "right", "-10s", "-", "1:40"}, strings.Fields(out[3])[:7])
	// By hand: the outage asks no follow-up, so 90 points are possible; 10 s
	// early earns 30 x (60-5)/60 = 27.5, rounded down to 27, so 87 of 90
	// scale to 97. Mean of 100, 0 and 97: 65.7. Start errors 2 s and 10 s:
	// median 6 s.
	assert.Equal(t, "97", strings.Fields(out[3])[7])
	assert.Equal(t, []string{"outage", "11", "3", "65.7", "2", "of", "3", "6.0", "s", "(2", "marked)"}, strings.Fields(out[6]))

	// Lines that are not result lines: each with its number, exit 2.
	require.NoError(t, os.WriteFile(path, []byte(lines[0]+"\nbob joined\ndrill=x seed=1 cause=maybe score=1/100\n"), 0o644))
	r = cli(t, "", "drills", "--results", path)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "class.txt:2: no drill= field")
	assert.Contains(t, r.stderr, "class.txt:3: cause=maybe: want right or wrong")
	r = cli(t, "", "drills", "--results", filepath.Join(dir, "nope.txt"))
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, "nope.txt")
	r = cli(t, "", "drills", "outage", "--results", path)
	assert.Equal(t, 2, r.code)
}

// --results - reads the env's standard input, bounded as a file is; a drill
// file's name with spaces reads back from its quoted form.
func TestDrillsReadsResultLinesFromStdin(t *testing.T) {
	d, err := drill.Builtin("outage")
	require.NoError(t, err)
	odd := drill.Score(d, drill.Answer{Choice: d.Answer, At: 90 * time.Second})
	odd.Drill = "week 2 outage"
	in := "alice: " + drill.Score(d, drill.Answer{Choice: d.Answer, Start: 82 * time.Second, StartGiven: true, At: 150 * time.Second}).Line() +
		"\ncarol: " + odd.Line() + "\n"
	run1 := func(stdin io.Reader) (string, string, int) {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), []string{"drills", "--results", "-"}, env{stdin: stdin, stdout: &stdout, stderr: &stderr})
		return stdout.String(), stderr.String(), code
	}
	out, errs, code := run1(strings.NewReader(in))
	require.Equal(t, 0, code, errs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(t, len(lines), 3, out)
	assert.Equal(t, []string{"alice", "outage", "11", "right", "+2s", "-", "2:30", "100"}, strings.Fields(lines[1]))
	assert.Equal(t, "carol", strings.Fields(lines[2])[0])
	assert.Contains(t, lines[2], "week 2 outage")
	assert.Equal(t, []string{"11", "right", "none", "-", "1:30"}, strings.Fields(lines[2])[4:9])

	_, errs, code = run1(strings.NewReader(strings.Repeat("x", maxResultsBytes+1)))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, fmt.Sprintf("standard input: more than %d bytes", maxResultsBytes))

	_, errs, code = run1(strings.NewReader("bob joined\n"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "standard input:1: no drill= field")

	_, errs, code = run1(nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "standard input: no result lines")
}
