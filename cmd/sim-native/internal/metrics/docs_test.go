package metrics

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expandBraces expands the name{a,b}rest patterns of the docs into one name
// per alternative.
func expandBraces(text string) string {
	re := regexp.MustCompile(`([a-z0-9_]*)\{([a-z0-9_,]+)\}([a-z0-9_]*)`)
	return re.ReplaceAllStringFunc(text, func(m string) string {
		p := re.FindStringSubmatch(m)
		var out []string
		for _, alt := range strings.Split(p[2], ",") {
			out = append(out, p[1]+alt+p[3])
		}
		return strings.Join(out, " ")
	})
}

// docs/REAL-TOOL.md's table names every metric the exporter serves.
func TestRealToolDocListsEveryMetric(t *testing.T) {
	doc, err := os.ReadFile("../../../../docs/REAL-TOOL.md")
	require.NoError(t, err)
	text := string(doc)
	start := strings.Index(text, "## Prometheus metrics")
	require.GreaterOrEqual(t, start, 0, "REAL-TOOL.md has a Prometheus metrics section")
	section := text[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	section = expandBraces(section)
	for _, m := range realToolMetrics {
		assert.Regexp(t, "`"+m.name+"`|[ `]"+m.name+"[ `]", section, "REAL-TOOL.md lists %s", m.name)
	}
}
