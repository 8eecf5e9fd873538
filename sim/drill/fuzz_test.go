package drill

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
)

// FuzzParse feeds arbitrary bytes to the drill parser. It must never panic and
// must return either a drill whose fields are in their ranges or located
// errors naming the file.
func FuzzParse(f *testing.F) {
	for _, info := range Builtins() {
		src, err := BuiltinYAML(info.Name)
		require.NoError(f, err)
		f.Add(src)
	}
	f.Add([]byte(validDrill))
	f.Add([]byte("drill: {}\n"))
	f.Add([]byte("drill: &a {question: *a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parse("fuzz.yaml", data) // not Parse: its recover would hide a panic
		if err != nil {
			require.Nil(t, d)
			var list scenario.Errors
			require.True(t, errors.As(err, &list), "%T: %v", err, err)
			require.NotEmpty(t, list)
			for _, fe := range list {
				require.Equal(t, "fuzz.yaml", fe.File)
				require.NotEmpty(t, fe.Msg)
				require.True(t, strings.HasPrefix(fe.Error(), "fuzz.yaml"), fe.Error())
			}
			return
		}
		require.NoError(t, d.Scenario.Validate())
		require.NotEmpty(t, d.Question)
		require.GreaterOrEqual(t, len(d.Choices), MinChoices)
		require.LessOrEqual(t, len(d.Choices), MaxChoices)
		require.GreaterOrEqual(t, d.Answer, 1)
		require.LessOrEqual(t, d.Answer, len(d.Choices))
		require.GreaterOrEqual(t, d.Difficulty, 1)
		require.LessOrEqual(t, d.Difficulty, 5)
		require.True(t, IsMetric(d.Evidence.Metric))
		require.Less(t, d.Evidence.From, d.Evidence.To)
		require.LessOrEqual(t, d.Evidence.To, d.Scenario.Duration.D())
		require.Greater(t, d.Evidence.Margin, 0.0)
		if d.Followup != nil {
			require.GreaterOrEqual(t, d.Followup.Answer, 1)
			require.LessOrEqual(t, d.Followup.Answer, len(d.Followup.Choices))
		}
		if start, ok := d.Start(); ok {
			require.Less(t, start, d.Scenario.Duration.D())
		}
	})
}
