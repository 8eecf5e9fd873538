package main

import (
	"os"
	"regexp"
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
