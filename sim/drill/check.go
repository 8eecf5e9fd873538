package drill

import (
	"fmt"
	"math"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

// Departure is what Check measured: the evidence metric's mean over the
// evidence window in the drill's run and in the same run without the fault.
type Departure struct {
	Metric   string
	From, To time.Duration
	// Faulted is the metric's mean over the window in the drill's run;
	// Baseline the same in the run without its events (for a control drill,
	// the run itself).
	Faulted, Baseline float64
	// Departure is Faulted - Baseline; for a control drill, the largest
	// distance of a sample in the window from the window's mean.
	Departure float64
	Margin    float64
	Direction string
	Control   bool
	// OK is whether the drill is answerable: the departure reaches the
	// margin in the stated direction; for a control, it stays below it.
	OK bool
}

// String says what was measured, for messages and reports.
func (p Departure) String() string {
	if p.Control {
		return fmt.Sprintf("%s in (%s, %s] strays at most %s from its mean %s (control: must stay below the margin %s)",
			p.Metric, scenario.Duration(p.From), scenario.Duration(p.To), num(p.Departure), num(p.Faulted), num(p.Margin))
	}
	want := "at least"
	switch p.Direction {
	case DirectionUp:
		want = "a rise of at least"
	case DirectionDown:
		want = "a fall of at least"
	}
	return fmt.Sprintf("%s in (%s, %s] averages %s against %s without the fault: a departure of %s (the drill states %s %s)",
		p.Metric, scenario.Duration(p.From), scenario.Duration(p.To), num(p.Faulted), num(p.Baseline), signed(p.Departure), want, num(p.Margin))
}

func num(f float64) string { return fmt.Sprintf("%.4g", f) }

func signed(f float64) string { return fmt.Sprintf("%+.4g", f) }

// Check runs the drill's scenario and the same scenario without its events
// (same seed), each up to the end of the evidence window, and measures the
// evidence metric's departure. The error is for a run that cannot be made or
// a metric without any value in the window; an unanswerable drill is a
// Departure with OK false (Answerable turns it into an error).
func Check(d *Drill) (Departure, error) {
	p, _, err := CheckRuns(d, 0)
	return p, err
}

// Runs are the series Check compared: the drill's run and the same run
// without its events (nil for a control drill, which has none to compare).
type Runs struct {
	Faulted, Baseline []engine.Sample
}

// CheckRuns is Check, and also returns the two runs' series up to until
// (at least the end of the evidence window, at most the scenario's end), for
// a reveal that draws the evidence metric beside its value without the fault.
func CheckRuns(d *Drill, until time.Duration) (Departure, Runs, error) {
	ev := d.Evidence
	until = max(until, ev.To)
	p := Departure{Metric: ev.Metric, From: ev.From, To: ev.To, Margin: ev.Margin, Direction: ev.Direction, Control: d.Control()}
	var runs Runs
	var xs []float64
	var err error
	if runs.Faulted, xs, err = measure(d.Scenario, until, ev, "the run"); err != nil {
		return p, runs, err
	}
	p.Faulted = mean(xs)
	if p.Control {
		p.Baseline = p.Faulted
		for _, x := range xs {
			p.Departure = max(p.Departure, math.Abs(x-p.Faulted))
		}
		p.OK = p.Departure < ev.Margin
		return p, runs, nil
	}
	calm := d.Scenario.Clone()
	calm.Events = nil
	var bs []float64
	if runs.Baseline, bs, err = measure(calm, until, ev, "the run without the fault"); err != nil {
		return p, runs, err
	}
	p.Baseline = mean(bs)
	p.Departure = p.Faulted - p.Baseline
	switch ev.Direction {
	case DirectionUp:
		p.OK = p.Departure >= ev.Margin
	case DirectionDown:
		p.OK = -p.Departure >= ev.Margin
	default:
		p.OK = math.Abs(p.Departure) >= ev.Margin
	}
	return p, runs, nil
}

// Answerable runs Check and returns what it measured, and nil when the drill
// is answerable, else a *scenario.FieldError at drill.evidence saying what was
// measured.
func Answerable(d *Drill) (Departure, error) {
	p, err := Check(d)
	fe := &scenario.FieldError{File: d.file, Line: d.evidencePos[0], Column: d.evidencePos[1], Path: Section + ".evidence"}
	switch {
	case err != nil:
		fe.Msg = "not answerable: " + err.Error()
	case !p.OK && p.Control:
		fe.Msg = "a control drill must not show a departure: " + p.String()
	case !p.OK:
		fe.Msg = "not answerable: " + p.String()
	default:
		return p, nil
	}
	return p, fe
}

// measure runs sc up to until and returns its samples and the evidence
// metric's values in the window; an error when it has none there (named
// which run by what).
func measure(sc *scenario.Scenario, until time.Duration, ev Evidence, what string) ([]engine.Sample, []float64, error) {
	samples, err := series(sc, until)
	if err != nil {
		return nil, nil, err
	}
	xs := window(samples, ev)
	if len(xs) == 0 {
		return samples, nil, fmt.Errorf("%s has no value in (%s, %s] of %s", ev.Metric, scenario.Duration(ev.From), scenario.Duration(ev.To), what)
	}
	return samples, xs, nil
}

// series runs sc up to `until` (or its end) and returns the recorded samples.
func series(sc *scenario.Scenario, until time.Duration) ([]engine.Sample, error) {
	e, err := engine.New(sc)
	if err != nil {
		return nil, err
	}
	e.RunUntil(min(until+time.Second, e.Duration()))
	return e.Series().Samples, nil
}

// window returns the metric's values at the samples with From < T <= To,
// leaving out those without a value (NaN).
func window(samples []engine.Sample, ev Evidence) []float64 {
	var out []float64
	from, to := ev.From.Seconds(), ev.To.Seconds()
	for i := range samples {
		s := &samples[i]
		if s.T <= from || s.T > to {
			continue
		}
		if v := MetricValue(s, ev.Metric); !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
