package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each variant picks its renditions from an unsorted ladder; a cohort's
// variant overrides the clients' one, and a cohort's bitrate overrides both.
func TestRenditions(t *testing.T) {
	for _, tc := range []struct {
		variant, cohortVariant string
		cohortKbps             int
		want                   []int
	}{
		{VariantAll, "", 0, []int{2000, 5000, 1000}},
		{VariantHighest, "", 0, []int{5000}},
		{VariantLowest, "", 0, []int{1000}},
		{VariantFirst, "", 0, []int{2000}},
		{VariantAll, VariantLowest, 0, []int{1000}},
		{VariantHighest, VariantAll, 0, []int{2000, 5000, 1000}},
		{VariantAll, "", 5000, []int{5000}},
	} {
		s := Defaults()
		s.Stream.BitratesKbps = []int{2000, 5000, 1000}
		s.Clients.Variant = tc.variant
		s.Clients.Cohorts[0].Variant = tc.cohortVariant
		s.Clients.Cohorts[0].BitrateKbps = tc.cohortKbps
		require.NoError(t, s.Validate())
		assert.Equal(t, tc.want, s.Renditions(0), "%+v", tc)
	}
	s := Defaults()
	assert.Nil(t, s.Renditions(1), "no such cohort")
	assert.Equal(t, VariantAll, s.Clients.Variant, "the real tool's default")
}

// A cohort's variant reads from a file and is checked like the clients' one.
func TestCohortVariantParses(t *testing.T) {
	s, err := Parse("v.yaml", []byte("stream:\n  bitrates_kbps: [5000, 2000, 1000]\nclients:\n  variant: all\n  cohorts:\n    - {name: a, share: 0.5, variant: lowest}\n    - {name: b, share: 0.5}\n"))
	require.NoError(t, err)
	assert.Equal(t, []int{1000}, s.Renditions(0))
	assert.Equal(t, []int{5000, 2000, 1000}, s.Renditions(1))
	_, err = Parse("v.yaml", []byte("clients:\n  cohorts:\n    - {variant: best}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `v.yaml:3:`)
	assert.Contains(t, err.Error(), `clients.cohorts[0].variant: "best" is not allowed`)
}
