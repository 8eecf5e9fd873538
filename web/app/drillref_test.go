package app

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

// A link opens a drill file exactly when drill.CheckFileName, the rule the
// server's announcement applies, allows its name; a refused name's error
// says why.
func TestParseDrillRefFollowsCheckFileName(t *testing.T) {
	for _, name := range []string{"week1", "Week-2_b.v3", strings.Repeat("x", drill.MaxFileName), "OUTAGE"} {
		require.NoError(t, drill.CheckFileName(name))
		ref, err := ParseDrillRef(name, "", false)
		require.NoError(t, err, name)
		assert.Equal(t, DrillRef{File: name}, ref)
	}
	for _, name := range []string{".hidden", "week 2", strings.Repeat("x", drill.MaxFileName+1), "a/b"} {
		ferr := drill.CheckFileName(name)
		require.Error(t, ferr, name)
		_, err := ParseDrillRef(name, "", false)
		assert.ErrorContains(t, err, "nor a drill file: "+ferr.Error(), name)
	}
	// Names CheckFileName refuses as shadowed open the drill that shadows
	// them.
	ref, err := ParseDrillRef("outage", "", false)
	require.NoError(t, err)
	assert.Equal(t, DrillRef{Code: drill.Code("outage")}, ref)
	ref, err = ParseDrillRef("RANDOM", "", false)
	require.NoError(t, err)
	assert.True(t, ref.Random)
}
