package app

import "swarmsim/sim/drill"

// DrillState is what window.swarmsim.drill() and the snapshot tell of the
// drill being played: everything the trainee may see. The name and the
// result are there only after the reveal.
type DrillState struct {
	Ref        string             `json:"ref"` // the link's parameters: "drill=974e9f"
	Title      string             `json:"title"`
	Difficulty int                `json:"difficulty,omitempty"` // at the reveal: a random drill's would hint at its kind
	Revealed   bool               `json:"revealed"`
	Question   string             `json:"question"`
	Choices    []string           `json:"choices"`
	Followup   *DrillFollowupText `json:"followup,omitempty"`
	Answer     DrillAnswerState   `json:"answer"`
	Name       string             `json:"name,omitempty"`
	Result     *DrillResultState  `json:"result,omitempty"`
}

// DrillFollowupText is a follow-up question and its choices.
type DrillFollowupText struct {
	Question string   `json:"question"`
	Choices  []string `json:"choices"`
}

// DrillAnswerState is the answer so far: choices 1-based (0: none), the
// start in virtual seconds (null: not marked).
type DrillAnswerState struct {
	Cause    int      `json:"cause"`
	Start    *float64 `json:"start"`
	Followup int      `json:"followup"`
}

// DrillResultState is the scored answer, at the reveal.
type DrillResultState struct {
	Score         int      `json:"score"`
	Line          string   `json:"line"`
	CauseRight    bool     `json:"cause_right"`
	Answer        int      `json:"answer"`      // the right cause, 1-based
	FaultStart    *float64 `json:"fault_start"` // seconds; null in a control drill
	StartError    *float64 `json:"start_error"` // seconds, the answer's minus the fault's; null when not scored
	StartPoints   int      `json:"start_points"`
	FollowupRight *bool    `json:"followup_right"` // null without a follow-up question
	Evidence      string   `json:"evidence"`       // what was measured (EvidenceText)
	Bands         int      `json:"bands"`          // the events the reveal shows
}

// State is the session as DrillState.
func (s *DrillSession) State() DrillState {
	d, a := s.Drill, s.answer
	st := DrillState{Ref: s.Ref.Query(), Title: s.Title(), Revealed: s.revealed,
		Question: d.Question, Choices: d.Choices, Answer: DrillAnswerState{Cause: a.Choice, Followup: a.Followup}}
	if f := d.Followup; f != nil {
		st.Followup = &DrillFollowupText{Question: f.Question, Choices: f.Choices}
	}
	if a.StartGiven {
		t := a.Start.Seconds()
		st.Answer.Start = &t
	}
	if !s.revealed {
		return st
	}
	st.Name, st.Difficulty = d.Name(), d.Difficulty
	r := s.result
	rs := &DrillResultState{Score: r.Score, Line: r.Line(), CauseRight: r.CauseRight, Answer: d.Answer,
		Evidence: EvidenceText(s), Bands: len(ScenarioBands(s))}
	if start, ok := d.Start(); ok {
		t := start.Seconds()
		rs.FaultStart = &t
	}
	if r.StartAsked && r.StartGiven {
		e := r.StartError.Seconds()
		rs.StartError = &e
		rs.StartPoints = drill.StartPoints(r.StartError)
	}
	if r.FollowupAsked {
		ok := r.FollowupRight
		rs.FollowupRight = &ok
	}
	st.Result = rs
	return st
}
