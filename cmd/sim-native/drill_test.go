package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

// readTestDrill is the drill file the tests of sim/drill parse.
func readTestDrill(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "sim", "drill", "testdata", "t.yaml"))
	require.NoError(t, err)
	return string(b)
}

func TestValidateDrill(t *testing.T) {
	testDrill := readTestDrill(t)
	dir := t.TempDir()
	good := writeTestFile(t, dir, "burst.yaml", testDrill)
	control := writeTestFile(t, dir, "calm.yaml", strings.Replace(strings.Replace(testDrill,
		"  - {at: 40s, duration: 20s, kind: error_burst, rate: 0.5}\n", "", 1), "events:\n", "", 1))
	plain := writeTestFile(t, dir, "plain.yaml", "name: plain\nduration: 1m\nclients: {count: 10}\n")
	r := cli(t, dir, "validate", good, control, plain)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "burst.yaml: ok (drill t: 10 clients, 2m, 1 event, difficulty 2; answerable: ErrorRate departs by +0.")
	assert.Contains(t, r.stdout, ", margin 0.2)")
	assert.Contains(t, r.stdout, "calm.yaml: ok (drill t: 10 clients, 2m, 0 events, difficulty 2; control: ErrorRate strays at most 0, below the margin 0.2)")
	assert.Contains(t, r.stdout, "plain.yaml: ok (plain: 10 clients, 1m, 0 events)", "a scenario is validated as before")

	// Problems of both parts, with lines and fields, exit 2.
	broken := writeTestFile(t, dir, "broken.yaml", strings.Replace(strings.Replace(testDrill,
		"count: 10,", "count: 0,", 1), "answer: 1", "answer: 7", 1))
	r = cli(t, dir, "validate", broken)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "sim-native: "+broken+":3:18: clients.count: 0 is out of range 1..1000000\n"+
		broken+":9:11: drill.answer: 7 is out of range 1..3\n", r.stderr)

	// A drill whose evidence does not depart by its margin is not answerable.
	unanswerable := writeTestFile(t, dir, "weak.yaml", strings.Replace(testDrill, "margin: 0.2", "margin: 0.9", 1))
	r = cli(t, dir, "validate", unanswerable, good)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, unanswerable+":11:3: drill.evidence: not answerable: ErrorRate in (40s, 1m] averages")
	assert.Contains(t, r.stderr, "(the drill states a rise of at least 0.9)")
	assert.Contains(t, r.stdout, "burst.yaml: ok (drill t", "the other files are still checked")
}

// TestValidateBuiltinDrills validates every built-in drill's source.
func TestValidateBuiltinDrills(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, info := range drill.Builtins() {
		src, err := drill.BuiltinYAML(info.Name)
		require.NoError(t, err)
		p := filepath.Join(dir, info.Name+".yaml")
		require.NoError(t, os.WriteFile(p, src, 0o644))
		paths = append(paths, p)
	}
	r := cli(t, dir, append([]string{"validate"}, paths...)...)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, len(paths), strings.Count(r.stdout, ": ok (drill "))
}
