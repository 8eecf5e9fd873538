package app

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"swarmsim/sim/drill"
)

// DrillRef is how a link names a drill: a built-in drill's code, a random
// drill's seed, or a drill file on the server (?drill=CODE,
// ?drill=random&seed=N, ?drill=NAME for drills/NAME.yaml). A built-in
// drill's name is accepted in a link too, and written back as its code,
// because a name such as "outage" gives the answer away.
type DrillRef struct {
	Code   string // a built-in drill's code
	Random bool
	Seed   uint64 // a random drill's seed
	File   string // a drill file's NAME (drills/NAME.yaml on the server)
}

// DrillFilesDir is where the app fetches drill files, relative to the page
// (web/server serves it).
const DrillFilesDir = "drills/"

// MaxDrillFileName is the longest drill file name in a link.
const MaxDrillFileName = 64

// FetchFunc reads a file of the server the page came from, by its path
// relative to the page.
type FetchFunc func(path string) ([]byte, error)

// validDrillFile reports whether name can name a drill file: 1..64 letters,
// digits, '-', '_' and '.', not starting with '.'.
func validDrillFile(name string) bool {
	if name == "" || len(name) > MaxDrillFileName || name[0] == '.' {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// RandomDrillRef is the name of random drills in a link.
const RandomDrillRef = "random"

// ParseDrillRef reads the drill= and seed= values of a link. seed is used
// only by a random drill (seedGiven: the link has one; a random drill
// without one uses seed 1).
func ParseDrillRef(value, seed string, seedGiven bool) (DrillRef, error) {
	v := strings.TrimSpace(value)
	if strings.EqualFold(v, RandomDrillRef) {
		ref := DrillRef{Random: true, Seed: 1}
		if seedGiven {
			n, err := strconv.ParseUint(strings.TrimSpace(seed), 10, 64)
			if err != nil {
				return DrillRef{}, fmt.Errorf("seed=%s: a random drill's seed is a whole number 0..%d", seed, uint64(1<<64-1))
			}
			ref.Seed = n
		}
		return ref, nil
	}
	d, err := drill.Lookup(v)
	if err == nil {
		return DrillRef{Code: drill.Code(d.Name())}, nil
	}
	if validDrillFile(v) {
		return DrillRef{File: v}, nil
	}
	return DrillRef{}, fmt.Errorf("%v; a drill file's name (drills/NAME.yaml) is 1..%d letters, digits, '-', '_' and '.'", err, MaxDrillFileName)
}

// Load builds the drill the ref names; fetch reads a drill file (nil: no
// server to read from).
func (r DrillRef) Load(fetch FetchFunc) (*drill.Drill, error) {
	switch {
	case r.Random:
		return drill.Random(r.Seed)
	case r.File != "":
		path := DrillFilesDir + r.File + ".yaml"
		var data []byte
		err := fmt.Errorf("%s: no server to read drill files from", path)
		if fetch != nil {
			data, err = fetch(path)
		}
		if err != nil {
			_, lookup := drill.Lookup(r.File)
			return nil, fmt.Errorf("%w (and %v)", err, lookup)
		}
		return drill.Parse(path, data)
	}
	return drill.Lookup(r.Code)
}

// Query is the ref as link parameters: "drill=CODE" or
// "drill=random&seed=N".
func (r DrillRef) Query() string {
	switch {
	case r.Random:
		return "drill=" + RandomDrillRef + "&seed=" + strconv.FormatUint(r.Seed, 10)
	case r.File != "":
		return "drill=" + url.QueryEscape(r.File)
	}
	return "drill=" + url.QueryEscape(r.Code)
}

// Title names the drill without giving it away: "drill 974e9f",
// "random drill, seed 7".
func (r DrillRef) Title() string {
	switch {
	case r.Random:
		return fmt.Sprintf("random drill, seed %d", r.Seed)
	case r.File != "":
		return "drill " + r.File
	}
	return "drill " + r.Code
}

// Next is the drill after this one: the next built-in drill (easiest first,
// back to the first after the last), or the random drill of the next seed;
// after a drill file, the first built-in drill.
func (r DrillRef) Next() DrillRef {
	if r.Random {
		return DrillRef{Random: true, Seed: NextSeed(r.Seed)}
	}
	list := drill.Builtins()
	for i, info := range list {
		if info.Code == r.Code {
			return DrillRef{Code: list[(i+1)%len(list)].Code}
		}
	}
	return DrillRef{Code: list[0].Code}
}

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
	return &DrillSession{Ref: ref, Drill: d}, nil
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

// Submit scores the answer and reveals the drill. A cause must be chosen;
// the start and the follow-up may be left out (they then earn nothing).
// The evidence is measured on the drill's run and the same run without the
// fault, up to the scenario's end.
func (s *DrillSession) Submit() (drill.Result, error) {
	if s.revealed {
		return s.result, errSubmitted
	}
	if s.answer.Choice == 0 {
		return drill.Result{}, fmt.Errorf("choose what is happening (1..%d) before you submit", len(s.Drill.Choices))
	}
	s.result = drill.Score(s.Drill, s.answer)
	s.departure, s.runs, s.checkErr = drill.CheckRuns(s.Drill, s.Drill.Scenario.Duration.D())
	s.revealed = true
	s.version++
	return s.result, nil
}

// DrillState is what window.swarmsim.drill() and the snapshot tell of the
// drill being played: everything the trainee may see. The name and the
// result are there only after the reveal.
type DrillState struct {
	Ref        string             `json:"ref"` // the link's parameters: "drill=974e9f"
	Title      string             `json:"title"`
	Difficulty int                `json:"difficulty"`
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
	st := DrillState{Ref: s.Ref.Query(), Title: s.Title(), Difficulty: d.Difficulty, Revealed: s.revealed,
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
	st.Name = d.Name()
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

// DrillMenuEntry is one line of the Drills menu: a drill named without
// giving it away.
type DrillMenuEntry struct {
	Ref        DrillRef
	Label      string
	Difficulty int // 0 for the random drill
}

// DrillMenu lists the built-in drills, easiest first, then a random drill
// of seed randomSeed.
func DrillMenu(randomSeed uint64) []DrillMenuEntry {
	var out []DrillMenuEntry
	for _, info := range drill.Builtins() {
		ref := DrillRef{Code: info.Code}
		out = append(out, DrillMenuEntry{Ref: ref, Label: ref.Title(), Difficulty: info.Difficulty})
	}
	ref := DrillRef{Random: true, Seed: randomSeed}
	return append(out, DrillMenuEntry{Ref: ref, Label: ref.Title()})
}
