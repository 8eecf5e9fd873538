package app

import (
	"fmt"
	"time"

	"swarmsim/sim/drill"
)

// DrillSession is one trainee's play of a drill: the answer as it is being
// given, then, once submitted, the reveal (score, the evidence measured by
// drill.CheckRuns). Until the reveal, what gives the answer away (the
// scenario's name, story and events) stays hidden: see Hidden.
type DrillSession struct {
	Ref   DrillRef
	Drill *drill.Drill

	answer   drill.Answer
	revealed bool
	result   drill.Result
	// What the reveal shows: the evidence metric's departure and the two
	// runs it was measured on (the error, when they could not be made).
	departure drill.Departure
	runs      drill.Runs
	checkErr  error
	// version changes with every change of the answer or the phase, so
	// that the views that show them know to redraw.
	version int
}

// NewDrillSession loads the drill a ref names (fetch reads drill files).
func NewDrillSession(ref DrillRef, fetch FetchFunc) (*DrillSession, error) {
	d, err := ref.Load(fetch)
	if err != nil {
		return nil, err
	}
	// The choices in the drill's own shuffled order: the same for everyone,
	// and the right cause no longer where drill files tend to put it.
	return &DrillSession{Ref: ref, Drill: d.Shuffled()}, nil
}

// Hidden reports whether the answer is still hidden (nil: no drill).
func (s *DrillSession) Hidden() bool { return s != nil && !s.revealed }

// Revealed reports whether the answer has been submitted and revealed.
func (s *DrillSession) Revealed() bool { return s != nil && s.revealed }

// Version changes whenever the answer or the phase does.
func (s *DrillSession) Version() int {
	if s == nil {
		return 0
	}
	return s.version
}

// Answer is the answer so far.
func (s *DrillSession) Answer() drill.Answer { return s.answer }

// Result is the scored answer (meaningful once Revealed).
func (s *DrillSession) Result() drill.Result { return s.result }

// Departure is what the reveal measured, with the two runs compared; err
// when the runs could not be made.
func (s *DrillSession) Departure() (drill.Departure, drill.Runs, error) {
	return s.departure, s.runs, s.checkErr
}

// Title names the drill: by its ref until the reveal, then with its name.
func (s *DrillSession) Title() string {
	if s.revealed && !s.Ref.Random {
		return s.Ref.Title() + ": " + s.Drill.Name()
	}
	return s.Ref.Title()
}

// MaxRevealCost bounds the work of a reveal in client-seconds: it runs the
// drill and the same run without the fault, in the page's one thread, as
// the answer is submitted. 2 million client-seconds (two runs of 5 500
// viewers for 3 minutes) take about a second of wasm; the built-in and
// random drills take under 20 000. A larger drill file is revealed without
// the evidence chart and measure.
const MaxRevealCost = 2_000_000

// RevealCost is the client-seconds of a drill's run: every viewer it has at
// once at most (clients.count and those its events add) for its whole
// duration.
func RevealCost(d *drill.Drill) float64 {
	n := d.Scenario.Clients.Count
	for _, e := range d.Scenario.Events {
		n += e.Clients
	}
	return float64(n) * d.Scenario.Duration.D().Seconds()
}

var errRevealTooLarge = fmt.Errorf("this drill is too large to run again in the page (more than %d client-seconds): check it with sim-native validate", MaxRevealCost)

var errSubmitted = fmt.Errorf("the answer is submitted; it can no longer change")

// Choose picks the cause, choice i of the drill's (1-based).
func (s *DrillSession) Choose(i int) error {
	if s.revealed {
		return errSubmitted
	}
	if i < 1 || i > len(s.Drill.Choices) {
		return fmt.Errorf("choice %d is out of range 1..%d", i, len(s.Drill.Choices))
	}
	s.answer.Choice = i
	s.version++
	return nil
}

// ChooseFollowup picks choice i (1-based) of the follow-up question.
func (s *DrillSession) ChooseFollowup(i int) error {
	if s.revealed {
		return errSubmitted
	}
	f := s.Drill.Followup
	if f == nil {
		return fmt.Errorf("this drill has no follow-up question")
	}
	if i < 1 || i > len(f.Choices) {
		return fmt.Errorf("follow-up choice %d is out of range 1..%d", i, len(f.Choices))
	}
	s.answer.Followup = i
	s.version++
	return nil
}

// MarkStart says when the fault started, in virtual time: t rounded to the
// second and kept within 0..end (the run's end).
func (s *DrillSession) MarkStart(t, end time.Duration) error {
	if s.revealed {
		return errSubmitted
	}
	t = min(max(t, 0), end).Round(time.Second)
	s.answer.Start, s.answer.StartGiven = t, true
	s.version++
	return nil
}

// ClearStart takes back the start (the trainee sees no fault).
func (s *DrillSession) ClearStart() error {
	if s.revealed {
		return errSubmitted
	}
	s.answer.Start, s.answer.StartGiven = 0, false
	s.version++
	return nil
}

// Submit scores the answer, given at now on the run's clock, and reveals
// the drill. A cause must be chosen;
// the start and the follow-up may be left out (they then earn nothing).
// The evidence is measured on the drill's run and the same run without the
// fault, up to the scenario's end.
func (s *DrillSession) Submit(now time.Duration) (drill.Result, error) {
	if s.revealed {
		return s.result, errSubmitted
	}
	if s.answer.Choice == 0 {
		return drill.Result{}, fmt.Errorf("choose what is happening (1..%d) before you submit", len(s.Drill.Choices))
	}
	s.answer.At = now
	s.result = drill.Score(s.Drill, s.answer)
	s.departure, s.runs, s.checkErr = drill.Departure{Metric: s.Drill.Evidence.Metric}, drill.Runs{}, errRevealTooLarge
	if RevealCost(s.Drill) <= MaxRevealCost {
		s.departure, s.runs, s.checkErr = drill.CheckRuns(s.Drill, s.Drill.Scenario.Duration.D())
	}
	s.revealed = true
	s.version++
	return s.result, nil
}
