package scenario

import (
	"runtime"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/lexer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allocated is the memory f allocates, in bytes.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The nesting of lists and mappings is bounded before the YAML parser sees the file:
// 39 000 levels in a 78 kB file took 2.4 GB inside the parser.
func TestParseRefusesDeepNesting(t *testing.T) {
	const n = 39000
	tests := []struct {
		name, data, want string
	}{
		{"flow", "events: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
			"deep.yaml:1: lists and mappings nest more than 32 deep here; a scenario nests at most 32 deep"},
		{"flow after a line", "seed: 1\nx: " + strings.Repeat("{a: ", 100) + "1" + strings.Repeat("}", 100) + "\n",
			"deep.yaml:2: lists and mappings nest more than 32 deep here; a scenario nests at most 32 deep"},
		{"block", "events:\n" + strings.Repeat("- ", 5000) + "x\n",
			"deep.yaml:2: lists and mappings nest more than 32 deep here; a scenario nests at most 32 deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = Parse("deep.yaml", []byte(tc.data)) })
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Less(t, alloc, uint64(64<<20), "bounded before the parser")
		})
	}
	// The limit leaves room: every preset nests far less.
	for _, p := range Presets() {
		data, err := PresetYAML(p.Name)
		require.NoError(t, err)
		depth, _ := nestingDepth(lexer.Tokenize(string(data)), 1000)
		assert.LessOrEqual(t, depth, 6, p.Name)
	}
}

// A %YAML 1.x or %TAG directive before the document is no document of its own.
func TestParseDirectives(t *testing.T) {
	for _, tc := range []struct{ data, err string }{
		{"%YAML 1.1\n---\nclients: {count: 10}\n", ""},
		{"%YAML 1.2\n---\nclients: {count: 10}\n", ""},
		{"%TAG !e! tag:example.com,2000:\n---\nclients: {count: 10}\n", ""},
		{"%YAML 2.0\n---\nclients: {count: 10}\n", "d.yaml:1:7: invalid YAML: unknown YAML version \"2.0\""},
		{"%FOO bar\n---\nclients: {count: 10}\n", "d.yaml:1:1: unknown directive %FOO (a scenario may start with %YAML 1.x or %TAG)"},
		{"%YAML 1.2\n---\nclients: {count: 10}\n---\nseed: 2\n", "d.yaml:5:5: holds more than one YAML document; a scenario file holds one"},
	} {
		sc, err := Parse("d.yaml", []byte(tc.data))
		if tc.err == "" {
			require.NoError(t, err, tc.data)
			assert.Equal(t, 10, sc.Clients.Count)
			continue
		}
		assert.EqualError(t, err, tc.err, tc.data)
	}
}
