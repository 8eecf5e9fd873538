package main

import (
	"strings"
	"testing"

	"swarmsim/sim/scenario"

	"github.com/stretchr/testify/assert"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"steady":               "steady",
		"café 🎥 ok":            "café 🎥 ok",
		"evil\u202emoc.exe":    `evil\u202emoc.exe`,
		"a\u2066b\u2069c":      `a\u2066b\u2069c`,
		"zero\u200bwidth":      `zero\u200bwidth`,
		"bell\x07 and \x1b[2J": `bell\a and \x1b[2J`,
	} {
		assert.Equal(t, want, scenario.Printable(in), "%q", in)
	}
}

// A bidi override in a scenario's name, description or caption, or in a file's path, is
// printed escaped: it would otherwise reorder what the terminal shows.
func TestBidiOverrideIsEscapedInTheTerminal(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, "x\u202eyz.yaml", "name: \"evil\u202emoc.exe\"\ndescription: \"a \u202e b\"\nclients: {count: 3}\nduration: 10s\n"+
		"events:\n  - {at: 2s, duration: 2s, kind: outage, caption: \"c \u202e d\"}\n")
	r := cli(t, dir, "validate", "x\u202eyz.yaml")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, `x\u202eyz.yaml: ok (evil\u202emoc.exe: 3 clients, 10s, 1 event)`+"\n", r.stdout)

	r = cli(t, dir, "run", "--scenario", "./x\u202eyz.yaml", "--json", "run.json")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\u202e")
	for _, s := range []string{`evil\u202emoc.exe (seed`, `a \u202e b`, `c \u202e d`} {
		assert.Contains(t, r.stdout, s)
	}
	r = cli(t, dir, "compare", "run.json", "run.json")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\u202e")
	assert.True(t, strings.HasPrefix(r.stdout, `A: run.json  (evil\u202emoc.exe, seed`), r.stdout)
}
