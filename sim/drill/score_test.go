package drill

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartPoints(t *testing.T) {
	for _, tc := range []struct {
		err  time.Duration
		want int
	}{
		{0, 30},
		{5 * time.Second, 30},
		{-5 * time.Second, 30},
		{7 * time.Second, 29},  // 30 x (60-2)/60 = 29
		{-7 * time.Second, 29}, // early counts as late
		{35 * time.Second, 15}, // 30 x 30/60
		{64 * time.Second, 0},  // 30 x 1/60 = 0.5, rounded down
		{65 * time.Second, 0},
		{10 * time.Minute, 0},
		{math.MaxInt64, 0},
		{math.MinInt64, 0}, // its negation overflows
		{math.MinInt64 + 1, 0},
	} {
		assert.Equal(t, tc.want, StartPoints(tc.err), "%s", tc.err)
	}
}

func TestScore(t *testing.T) {
	withFollowup, err := Parse("t.yaml", []byte(validDrill)) // fault at 40s, answer 1, follow-up answer 1
	require.NoError(t, err)
	noFollowup, err := Parse("t.yaml", []byte(strings.Replace(validDrill,
		"  followup: {question: Which status?, choices: [\"503\", \"404\"], answer: 1}\n", "", 1)))
	require.NoError(t, err)
	controlSrc := strings.Replace(strings.Replace(validDrill, "  - {at: 40s, duration: 20s, kind: error_burst, rate: 0.5}\n", "", 1), "events:\n", "", 1)
	control, err := Parse("t.yaml", []byte(controlSrc))
	require.NoError(t, err)

	at := func(sec int) Answer {
		return Answer{Choice: 1, Start: time.Duration(sec) * time.Second, StartGiven: true, Followup: 1}
	}
	for _, tc := range []struct {
		name  string
		d     *Drill
		a     Answer
		score int
		line  string
	}{
		{"all right", withFollowup, at(40), 100, "drill=t seed=1 cause=right start=+0s followup=right at=0:00 score=100/100"},
		{"late 35 s", withFollowup, at(75), 85, "drill=t seed=1 cause=right start=+35s followup=right at=0:00 score=85/100"}, // 60+15+10
		{"early", withFollowup, at(33), 99, "drill=t seed=1 cause=right start=-7s followup=right at=0:00 score=99/100"},      // 60+29+10
		{"wrong cause", withFollowup, Answer{Choice: 2, Start: 40 * time.Second, StartGiven: true, Followup: 2}, 30,
			"drill=t seed=1 cause=wrong start=+0s followup=wrong at=0:00 score=30/100"},
		{"no start given", withFollowup, Answer{Choice: 1, Followup: 1}, 70, "drill=t seed=1 cause=right start=none followup=right at=0:00 score=70/100"},
		{"nothing", withFollowup, Answer{}, 0, "drill=t seed=1 cause=wrong start=none followup=wrong at=0:00 score=0/100"},
		// 60 + 30 of 90: 100; 60 + 15 of 90 = 83.3: 83.
		{"no follow-up asked", noFollowup, at(40), 100, "drill=t seed=1 cause=right start=+0s followup=- at=0:00 score=100/100"},
		{"no follow-up, late", noFollowup, at(75), 83, "drill=t seed=1 cause=right start=+35s followup=- at=0:00 score=83/100"},
		// A control asks no start: 60 + 10 of 70.
		{"control right", control, Answer{Choice: 1, Followup: 1}, 100, "drill=t seed=1 cause=right start=- followup=right at=0:00 score=100/100"},
		{"control, follow-up wrong", control, Answer{Choice: 1, Followup: 2}, 86, "drill=t seed=1 cause=right start=- followup=wrong at=0:00 score=86/100"}, // 60/70 = 85.7
		{"control, fault seen", control, Answer{Choice: 2, Start: time.Minute, StartGiven: true, Followup: 1}, 14,
			"drill=t seed=1 cause=wrong start=- followup=right at=0:00 score=14/100"}, // 10/70 = 14.3
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tc.d, tc.a)
			assert.Equal(t, tc.score, r.Score)
			assert.Equal(t, tc.line, r.Line())
		})
	}
}

// TestScoreDocExample checks the line the package doc shows.
func TestScoreDocExample(t *testing.T) {
	d, err := Builtin("outage")
	require.NoError(t, err)
	r := Score(d, Answer{Choice: 1, Start: 92 * time.Second, StartGiven: true, At: 105 * time.Second})
	assert.Equal(t, "drill=outage seed=11 cause=right start=+12s followup=- at=1:45 score=96/100", r.Line())
}

// The marks a result line and the trainer's table share.
func TestResultTexts(t *testing.T) {
	for _, tc := range []struct {
		r                      Result
		cause, start, followup string
	}{
		{Result{}, "wrong", "-", "-"},
		{Result{CauseRight: true, StartAsked: true}, "right", "none", "-"},
		{Result{StartAsked: true, StartGiven: true, StartError: 12400 * time.Millisecond, FollowupAsked: true}, "wrong", "+12s", "wrong"},
		{Result{StartAsked: true, StartGiven: true, StartError: -2500 * time.Millisecond, FollowupAsked: true, FollowupRight: true}, "wrong", "-3s", "right"},
		{Result{StartAsked: true, StartGiven: true}, "wrong", "+0s", "-"},
	} {
		assert.Equal(t, tc.cause, tc.r.CauseText())
		assert.Equal(t, tc.start, tc.r.StartText())
		assert.Equal(t, tc.followup, tc.r.FollowupText())
		assert.Contains(t, tc.r.Line(), " cause="+tc.cause+" start="+tc.start+" followup="+tc.followup+" ")
	}
}
