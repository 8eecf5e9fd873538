package app

import (
	"fmt"
	"strings"
	"time"

	"swarmsim/sim/drill"
	"swarmsim/sim/stats"
)

// The dashboard of a drill shows what an operator would see (grid, charts,
// inspector, summary, errors) and hides what gives the answer away until
// the reveal: the scenario's name and story, and its events (the charts'
// bands and captions, the story strip's current and next event). These are
// the pieces of the dashboard that a drill changes, as plain functions of
// the session, so that tests can read them without a screen.

// DrillStoryLines are the story strip's lines during a drill: the question
// and the answer so far until the reveal; then the result, the scenario's
// story and every event with its caption.
func DrillStoryLines(s *DrillSession) [StoryRows]StoryLine {
	var out [StoryRows]StoryLine
	d := s.Drill
	if s.Hidden() {
		out[0] = StoryLine{Label: "drill", Text: s.Title() + ": " + d.Question, Color: ColCyan}
		out[1] = StoryLine{Label: "answer", Text: AnswerSummary(s), Color: ColText}
		out[2] = StoryLine{Label: "how", Text: "Read the swarm as an operator would: pause, inspect clients, hover the charts. Click a chart where the trouble began to mark the start; press a (Answer…) to answer and submit. The scenario's events stay hidden until you submit.", Color: ColMuted}
		return out
	}
	out[0] = StoryLine{Label: "result", Text: s.Result().Line() + "  (a: the explanation)", Color: ColCyan}
	out[1] = StoryLine{Label: "story", Text: d.Scenario.Description, Color: ColText}
	out[2] = StoryLine{Label: "events", Text: "none: nothing was wrong (a control drill)", Color: ColMuted}
	if bands := ScenarioBands(s); len(bands) > 0 {
		var parts []string
		for _, b := range bands {
			span := stats.FormatClock(seconds(b.Start))
			if b.End > b.Start {
				span += "–" + stats.FormatClock(seconds(b.End))
			}
			c := b.Caption
			if c == "" {
				c = b.Kind
			}
			parts = append(parts, span+" "+c)
		}
		out[2] = StoryLine{Label: "events", Text: strings.Join(parts, "  •  "), Color: bands[0].Color}
	}
	return out
}

// AnswerSummary is the answer so far in one line: "cause 2 · start 1:25 ·
// follow-up not chosen".
func AnswerSummary(s *DrillSession) string {
	a := s.Answer()
	cause := "not chosen"
	if a.Choice > 0 {
		cause = fmt.Sprintf("%d (%s)", a.Choice, s.Drill.Choices[a.Choice-1])
	}
	start := "not marked"
	if a.StartGiven {
		start = stats.FormatClock(a.Start)
	}
	out := "cause " + cause + " · start " + start
	if f := s.Drill.Followup; f != nil {
		fu := "not chosen"
		if a.Followup > 0 {
			fu = fmt.Sprintf("%d (%s)", a.Followup, f.Choices[a.Followup-1])
		}
		out += " · follow-up " + fu
	}
	return out
}

// ResultLines say how each part of the answer scored.
func ResultLines(s *DrillSession) []StoryLine {
	r, a, d := s.Result(), s.Answer(), s.Drill
	var out []StoryLine
	if r.CauseRight {
		out = append(out, StoryLine{Label: "cause", Text: "right: " + d.Choices[d.Answer-1], Color: ColGreen})
	} else {
		out = append(out, StoryLine{Label: "cause", Text: fmt.Sprintf("wrong: you chose %q; it was %q", choiceText(d.Choices, a.Choice), d.Choices[d.Answer-1]), Color: ColRed})
	}
	start, ok := d.Start()
	switch {
	case !ok && a.StartGiven:
		out = append(out, StoryLine{Label: "start", Text: "not scored: nothing was wrong, so there was no start to find", Color: ColMuted})
	case !ok:
		out = append(out, StoryLine{Label: "start", Text: "not scored: nothing was wrong", Color: ColMuted})
	case !a.StartGiven:
		out = append(out, StoryLine{Label: "start", Text: "not marked; the fault started at " + stats.FormatClock(start), Color: ColRed})
	default:
		pts := drill.StartPoints(r.StartError)
		off := r.StartError.Round(time.Second)
		when := "on time"
		if off > 0 {
			when = fmt.Sprintf("%d s late", int64(off/time.Second))
		} else if off < 0 {
			when = fmt.Sprintf("%d s early", int64(-off/time.Second))
		}
		col := ColGreen
		if pts < 30 {
			col = ColAmber
		}
		if pts == 0 {
			col = ColRed
		}
		out = append(out, StoryLine{Label: "start", Text: fmt.Sprintf("you marked %s; the fault started at %s: %s (%d of 30 points)",
			stats.FormatClock(a.Start), stats.FormatClock(start), when, pts), Color: col})
	}
	if f := d.Followup; f != nil {
		if r.FollowupRight {
			out = append(out, StoryLine{Label: "follow-up", Text: "right: " + f.Choices[f.Answer-1], Color: ColGreen})
		} else {
			out = append(out, StoryLine{Label: "follow-up", Text: fmt.Sprintf("wrong: you chose %q; it was %q", choiceText(f.Choices, a.Followup), f.Choices[f.Answer-1]), Color: ColRed})
		}
	}
	return out
}

func choiceText(choices []string, i int) string {
	if i < 1 || i > len(choices) {
		return "nothing"
	}
	return choices[i-1]
}

// drillPhase is 0 without a drill, 1 while its answer is hidden and 2 after
// the reveal.
func drillPhase(s *DrillSession) int {
	switch {
	case s == nil:
		return 0
	case s.Hidden():
		return 1
	}
	return 2
}

// upperFirst writes s with a capital first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
