package main

import (
	"strings"
	"testing"

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
