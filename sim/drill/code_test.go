package drill

import (
	"fmt"
	"hash/fnv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCodes(t *testing.T) {
	seen := map[string]string{}
	for _, info := range Builtins() {
		h := fnv.New64a()
		h.Write([]byte(info.Name))
		assert.Equal(t, fmt.Sprintf("%x", h.Sum(nil)[:3]), info.Code, "six hex digits of the name's FNV-1a hash")
		assert.Equal(t, Code(info.Name), info.Code)
		assert.NotContains(t, info.Code, info.Name)
		if other, dup := seen[info.Code]; dup {
			t.Errorf("drills %s and %s share the code %s", other, info.Name, info.Code)
		}
		seen[info.Code] = info.Name

		byCode, err := Lookup(info.Code)
		require.NoError(t, err)
		byName, err := Lookup(" " + info.Name + " ")
		require.NoError(t, err)
		assert.Equal(t, info.Name, byCode.Name())
		assert.Equal(t, byName.Scenario, byCode.Scenario)
	}
}

func TestLookupUnknownListsCodesNotNames(t *testing.T) {
	_, err := Lookup("outages")
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `unknown drill "outages"`)
	_, list, ok := strings.Cut(msg, "built-in drills: ")
	require.True(t, ok, msg)
	for _, info := range Builtins() {
		assert.Contains(t, list, info.Code)
		assert.NotContains(t, list, info.Name, "names would give the drills away")
	}
	for _, bad := range []string{"", "../outage", "random", "OUTAGE"} {
		_, err := Lookup(bad)
		assert.Error(t, err, "%q", bad)
	}
}
