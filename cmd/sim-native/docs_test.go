package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/cmd/sim-native/internal/slo"
)

// The --help text and docs/CLI.md say the same of avg_speed, and what the aggregator
// computes: the mean over the clients with a speed reading (not every active client).
func TestAvgSpeedDefinitionAgrees(t *testing.T) {
	doc, err := os.ReadFile("../../docs/CLI.md")
	require.NoError(t, err)
	row := regexp.MustCompile("(?m)^\\| `avg_speed` \\|.*$").Find(doc)
	require.NotNil(t, row, "docs/CLI.md has an avg_speed row")
	var help string
	for _, m := range slo.Metrics {
		if m.Name == "avg_speed" {
			help = m.Description
		}
	}
	const def = "of the clients with a speed reading"
	assert.Contains(t, help, def)
	assert.Contains(t, string(row), def)
}

// An exit code the README promises is one the shell sees: `go run` reports "exit
// status N" and exits 1 whatever the program's code, so a command whose code the README
// states runs the built binary.
func TestReadmeExitCodesComeFromTheBinary(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var command []string // the lines of the last command, continuation lines included
	stated := 0
	for _, line := range strings.Split(string(doc), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case exitCodeClaim.MatchString(trimmed):
			stated++
			require.NotEmpty(t, command, "README: %q follows no command", trimmed)
			assert.NotContains(t, command[0], "go run", "README: %q is stated of a command run with go run: %s", trimmed, command[0])
		case strings.HasPrefix(trimmed, "#") || trimmed == "" || strings.HasPrefix(trimmed, "echo $?"):
		case len(command) > 0 && strings.HasSuffix(command[len(command)-1], "\\"):
			command = append(command, trimmed)
		default:
			command = []string{trimmed}
		}
	}
	assert.Positive(t, stated, "the README states an exit code (the what-if example)")
}

var exitCodeClaim = regexp.MustCompile(`(?i)(^#\s*exit (code|status) \d)|(^echo \$\?\s+#\s*\d)`)
