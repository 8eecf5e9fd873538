package drill

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"swarmsim/sim/stats"
)

// Answer is what a trainee submitted.
type Answer struct {
	Choice int // 1-based choice of the cause; 0 for none
	// Start is when the trainee says the fault started (a click on the time
	// axis); StartGiven is false when they gave none.
	Start      time.Duration
	StartGiven bool
	Followup   int // 1-based choice of the follow-up question; 0 for none
	// At is the virtual time of the run when the answer was submitted: an
	// answer given while the fault is under way reads better than one
	// given after watching the whole run.
	At time.Duration
}

// Points of a score out of 100: the cause, the start time and the follow-up
// question weigh 60, 30 and 10; a part the drill does not ask (no start in a
// control drill, no follow-up question) is left out and the rest scaled to
// 100.
const (
	causePoints    = 60
	startPoints    = 30
	followupPoints = 10
	// A start within startExact of the fault's earns every start point; the
	// points then fall linearly to none at startExact + startSlope.
	startExact = 5 * time.Second
	startSlope = time.Minute
)

// Result is a scored answer.
type Result struct {
	Drill string
	Seed  uint64

	CauseRight bool
	// StartAsked is false for a control drill. StartError is the answer's
	// start minus the fault's (negative: too early); meaningful when
	// StartGiven.
	StartAsked bool
	StartGiven bool
	StartError time.Duration
	// FollowupAsked is whether the drill has a follow-up question.
	FollowupAsked bool
	FollowupRight bool
	// At is when the answer was submitted (Answer.At).
	At time.Duration

	Score int // 0..100
}

// Score scores an answer to a drill.
func Score(d *Drill, a Answer) Result {
	r := Result{Drill: d.Name(), Seed: d.Scenario.Seed, CauseRight: a.Choice == d.Answer, At: a.At}
	earned, possible := 0, causePoints
	if r.CauseRight {
		earned += causePoints
	}
	if start, ok := d.Start(); ok {
		r.StartAsked = true
		possible += startPoints
		if a.StartGiven {
			r.StartGiven = true
			r.StartError = a.Start - start
			earned += StartPoints(r.StartError)
		}
	}
	if d.Followup != nil {
		r.FollowupAsked = true
		possible += followupPoints
		if a.Followup == d.Followup.Answer {
			r.FollowupRight = true
			earned += followupPoints
		}
	}
	// Rounded to the nearest point, halves up.
	r.Score = (200*earned + possible) / (2 * possible)
	return r
}

// StartPoints is the points (0..30) a start-time error earns: all within
// 5 s of the fault's start either way, then one point less for every 2 s
// more, none from 65 s.
func StartPoints(errAbs time.Duration) int {
	if errAbs < 0 {
		errAbs = -errAbs
		if errAbs < 0 { // math.MinInt64 has no positive counterpart
			return 0
		}
	}
	if errAbs <= startExact {
		return startPoints
	}
	late := errAbs - startExact
	if late >= startSlope {
		return 0
	}
	// startPoints x (1 - late/startSlope), rounded down; the product is in
	// nanoseconds, at most 30 x 60e9, far from overflowing.
	return int(int64(startPoints) * int64(startSlope-late) / int64(startSlope))
}

// Line is the result as one line a trainee can copy to the trainer:
//
//	drill=outage seed=11 cause=right start=+12s followup=- at=1:45 score=96/100
//
// start is the signed error in whole seconds (rounded), "none" when not
// given and "-" when the drill asks none; followup is right, wrong or "-";
// at is the run's clock when the answer was submitted (m:ss). A drill name
// that is empty or holds a space, '=', '"' or a character that does not
// print is written quoted (strconv.Quote), so that the line reads back.
func (r Result) Line() string {
	return fmt.Sprintf("drill=%s seed=%d cause=%s start=%s followup=%s at=%s score=%d/100",
		lineValue(r.Drill), r.Seed, r.CauseText(), r.StartText(), r.FollowupText(), stats.FormatClock(r.At), r.Score)
}

// CauseText is the cause's mark: right or wrong.
func (r Result) CauseText() string { return rightWrong(r.CauseRight) }

// StartText is the start time's mark: the signed error in whole seconds
// (rounded) such as +12s, "none" when not given, "-" when the drill asks
// none.
func (r Result) StartText() string {
	switch {
	case !r.StartAsked:
		return "-"
	case !r.StartGiven:
		return "none"
	}
	return fmt.Sprintf("%+ds", int64(r.StartError.Round(time.Second)/time.Second))
}

// FollowupText is the follow-up question's mark: right, wrong, or "-" when
// the drill asks none.
func (r Result) FollowupText() string {
	if !r.FollowupAsked {
		return "-"
	}
	return rightWrong(r.FollowupRight)
}

func rightWrong(ok bool) string {
	if ok {
		return "right"
	}
	return "wrong"
}

// lineValue is v as a result line's value: as it is when it is one word,
// quoted (strconv.Quote) otherwise.
func lineValue(v string) string {
	if v == "" || strings.IndexFunc(v, func(c rune) bool {
		return c == '=' || c == '"' || unicode.IsSpace(c) || !unicode.IsPrint(c)
	}) >= 0 {
		return strconv.Quote(v)
	}
	return v
}
