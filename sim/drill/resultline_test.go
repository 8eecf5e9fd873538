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
			{Choice: 1, Start: 20 * time.Second, StartGiven: true, At: time.Hour},
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
		// Values past a drill's longest run (1 h) overflowed to nonsense.
		"drill=x seed=1 cause=right start=+9999999999999s score=1/100":   "start=+9999999999999s: want a start error within -3600s..+3600s",
		"drill=x seed=1 cause=right start=-3601s score=1/100":            "start=-3601s: want a start error within -3600s..+3600s",
		"drill=x seed=1 cause=right at=99999999999999999:00 score=1/100": "at=99999999999999999:00: want the clock as m:ss or h:mm:ss, 0:00..1:00:00",
		"drill=x seed=1 cause=right at=1:00:01 score=1/100":              "at=1:00:01: want the clock as m:ss or h:mm:ss, 0:00..1:00:00",
		"drill=x seed=1 cause=right at=60:01 score=1/100":                "at=60:01: want",
	} {
		_, _, err := ParseLine(line)
		assert.ErrorContains(t, err, want, line)
	}
	// The bounds themselves are accepted.
	r, _, err := ParseLine("drill=x seed=1 cause=right start=-3600s at=1:00:00 score=1/100")
	require.NoError(t, err)
	assert.Equal(t, -time.Hour, r.StartError)
	assert.Equal(t, time.Hour, r.At)
	r, _, err = ParseLine("drill=x seed=1 cause=right start=+3600s at=60:00 score=1/100")
	require.NoError(t, err)
	assert.Equal(t, time.Hour, r.StartError)
	assert.Equal(t, time.Hour, r.At)
}

// A drill name with spaces, '=' or '"' is written quoted and reads back;
// a one-word name stays unquoted.
func TestParseLineReadsOddDrillNames(t *testing.T) {
	for _, name := range []string{"week 2 outage", "a=b", `say "hi"`, "tab\there", "", " lead", "drill=x", "ünïcode", "line\nbreak", "plain-name_1.0"} {
		r := Result{Drill: name, Seed: 3, CauseRight: true, StartAsked: true, At: 61 * time.Second, Score: 60}
		line := r.Line()
		assert.NotContains(t, line, "\n", name)
		got, who, err := ParseLine("bob: " + line)
		require.NoError(t, err, line)
		assert.Equal(t, "bob", who)
		assert.Equal(t, r, got, line)
	}
	assert.Equal(t, "drill=plain-name_1.0 seed=0 cause=wrong start=- followup=- at=0:00 score=0/100", Result{Drill: "plain-name_1.0"}.Line())
	assert.Equal(t, `drill="week 2" seed=0 cause=wrong start=- followup=- at=0:00 score=0/100`, Result{Drill: "week 2"}.Line())
	for _, line := range []string{`drill="week 2 seed=1 cause=right score=1/100`, `drill="week"2 seed=1 cause=right score=1/100`} {
		_, _, err := ParseLine(line)
		assert.ErrorContains(t, err, "want a name or a quoted name", line)
	}
}
