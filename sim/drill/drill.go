package drill

import (
	"time"

	"swarmsim/sim/scenario"
)

// Drill is one incident drill: a scenario whose faults the trainee must find,
// and the questions, answer and evidence that go with it.
type Drill struct {
	// Scenario is the run the trainee watches; its events are the drill's
	// faults (none for a control drill). Its name and description, and the
	// events' captions, give the answer away and are hidden until the reveal.
	Scenario *scenario.Scenario

	Question    string   // what is happening?
	Choices     []string // 3..5 plausible causes
	Answer      int      // the right choice, 1-based
	Explanation string   // how to read the evidence, shown at the reveal
	Evidence    Evidence // what the reveal highlights, and what Check verifies
	Difficulty  int      // 1 (easy) .. 5 (hard)
	// StartAt is the fault's start as the drill states it (drill.start); 0
	// when the file gives none. Start resolves it.
	StartAt time.Duration
	// Followup is the optional drill-specific second question.
	Followup *Followup

	evidencePos [2]int // line and column of drill.evidence in the file
	file        string
}

// Evidence is the metric that shows the fault: a field of engine.Sample
// (the run's series as sim/export writes it), a window of the run, and the
// margin by which its mean over the window must depart from the same run
// without the fault.
type Evidence struct {
	Metric    string        // an engine.Sample field name, e.g. ErrorRate
	From, To  time.Duration // the window (From, To] of sample times
	Margin    float64       // > 0, in the metric's unit
	Direction string        // DirectionUp, DirectionDown or DirectionEither
}

// Directions of a departure.
const (
	DirectionUp     = "up"
	DirectionDown   = "down"
	DirectionEither = "either"
)

// Followup is a drill-specific second question (which cohort, which metric
// showed it first, what would you change).
type Followup struct {
	Question string
	Choices  []string // 2..5
	Answer   int      // 1-based
}

// Name is the drill's name: its scenario's.
func (d *Drill) Name() string { return d.Scenario.Name }

// Control reports whether the drill is a control: nothing is wrong (the
// scenario has no events).
func (d *Drill) Control() bool { return len(d.Scenario.Events) == 0 }

// Start is the fault's start: drill.start when given, else the earliest
// event's start. ok is false for a control drill.
func (d *Drill) Start() (start time.Duration, ok bool) {
	if d.Control() {
		return 0, false
	}
	if d.StartAt > 0 {
		return d.StartAt, true
	}
	start = d.Scenario.Events[0].At.D()
	for _, e := range d.Scenario.Events[1:] {
		start = min(start, e.At.D())
	}
	return start, true
}
