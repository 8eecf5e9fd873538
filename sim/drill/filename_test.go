package drill

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckFileName(t *testing.T) {
	for _, name := range []string{"week1", "Week-2_b.v3", "a", strings.Repeat("x", MaxFileName), "randoms", "outage2", "OUTAGE"} {
		assert.NoError(t, CheckFileName(name), name)
	}
	outage := Code("outage")
	for name, want := range map[string]string{
		"":                                 "empty name: a drill file's name (drills/NAME.yaml) is 1..64 letters, digits, '-', '_' and '.'",
		strings.Repeat("x", MaxFileName+1): "name of 65 bytes: a drill file's name",
		".hidden":                          `name ".hidden" starts with '.'`,
		"week 2":                           `name "week 2" holds ' ': a drill file's name`,
		"wöche":                            `name "wöche" holds 'ö'`,
		"a/b":                              `name "a/b" holds '/'`,
		"random":                           `name "random": ?drill=random opens a random drill instead`,
		"RanDom":                           `name "RanDom": ?drill=RanDom opens a random drill instead`,
		"outage":                           `name "outage" is a built-in drill's name: ?drill=outage opens that drill instead`,
		outage:                             `name "` + outage + `" is a built-in drill's code: ?drill=` + outage + ` opens that drill instead`,
	} {
		assert.ErrorContains(t, CheckFileName(name), want, name)
	}
	// Every built-in drill's name and code is refused.
	for _, info := range Builtins() {
		assert.Error(t, CheckFileName(info.Name), info.Name)
		assert.Error(t, CheckFileName(info.Code), info.Code)
	}
}
