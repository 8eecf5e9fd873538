package drill

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every line Result.Line writes reads back as the same result.
func TestParseLineReadsWhatLineWrites(t *testing.T) {
	for _, info := range Builtins() {
		d, err := Builtin(info.Name)
		require.NoError(t, err)
		for _, a := range []Answer{
			{},
			{Choice: d.Answer, Start: 83 * time.Second, StartGiven: true, Followup: 1, At: 150 * time.Second},
			{Choice: 1, Start: 20 * time.Second, StartGiven: true, At: 3725 * time.Second},
		} {
			r := Score(d, a)
			got, who, err := ParseLine("  alice: " + r.Line())
			require.NoError(t, err, r.Line())
			assert.Equal(t, "alice", who)
			want := r
			want.StartError = r.StartError.Round(time.Second)
			want.At = r.At.Truncate(time.Second)
			if !want.StartGiven {
				want.StartError = 0
			}
			assert.Equal(t, want, got, r.Line())
		}
	}
}

func TestParseLineErrors(t *testing.T) {
	for line, want := range map[string]string{
		"hello":                      "no drill= field",
		"drill=x seed=1 cause=right": "score= is missing",
		"drill=x seed=one cause=right score=1/100":           "seed=one: want a whole number",
		"drill=x seed=1 cause=maybe score=1/100":             "cause=maybe: want right or wrong",
		"drill=x seed=1 cause=right score=101/100":           "score=101/100: want 0/100..100/100",
		"drill=x seed=1 cause=right start=12 score=1/100":    "start=12: want -, none or a signed number",
		"drill=x seed=1 cause=right at=1:5 score=1/100":      "at=1:5: want the clock",
		"drill=x seed=1 cause=right cause=wrong score=1/100": "cause is given twice",
		"drill=x seed=1 cause=right oops score=1/100":        `"oops" is not a key=value field`,
	} {
		_, _, err := ParseLine(line)
		assert.ErrorContains(t, err, want, line)
	}
}
