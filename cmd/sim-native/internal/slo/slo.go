package slo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Op is a comparison operator of an objective.
type Op int

// The operators an objective may use.
const (
	Less Op = iota
	LessOrEqual
	Greater
	GreaterOrEqual
)

func (o Op) String() string {
	switch o {
	case Less:
		return "<"
	case LessOrEqual:
		return "<="
	case Greater:
		return ">"
	case GreaterOrEqual:
		return ">="
	}
	return "?"
}

// Objective is one term of an SLO expression: metric op threshold.
type Objective struct {
	Metric    string
	Op        Op
	Threshold float64
}

func (o Objective) String() string {
	return o.Metric + o.Op.String() + strconv.FormatFloat(o.Threshold, 'g', -1, 64)
}

// Holds reports whether value satisfies the objective. NaN never satisfies it.
func (o Objective) Holds(value float64) bool {
	if math.IsNaN(value) {
		return false
	}
	switch o.Op {
	case Less:
		return value < o.Threshold
	case LessOrEqual:
		return value <= o.Threshold
	case Greater:
		return value > o.Threshold
	case GreaterOrEqual:
		return value >= o.Threshold
	}
	return false
}

// Set is a parsed SLO expression: every objective must hold.
type Set []Objective

func (s Set) String() string {
	parts := make([]string, len(s))
	for i, o := range s {
		parts[i] = o.String()
	}
	return strings.Join(parts, ",")
}

// Parse reads a comma-separated list of objectives such as
// "error_rate<0.01, stalled_ratio<=0.02". Errors name the offending term and, for an
// unknown metric, list the valid metric names. An empty expression is an empty Set.
func Parse(expr string) (Set, error) {
	var set Set
	if strings.TrimSpace(expr) == "" {
		return set, nil
	}
	for _, term := range strings.Split(expr, ",") {
		o, err := parseTerm(strings.TrimSpace(term))
		if err != nil {
			return nil, err
		}
		set = append(set, o)
	}
	return set, nil
}

func parseTerm(term string) (Objective, error) {
	if term == "" {
		return Objective{}, fmt.Errorf("empty term (expected metric<value, e.g. error_rate<0.01)")
	}
	i := strings.IndexAny(term, "<>=!")
	if i < 0 {
		return Objective{}, fmt.Errorf("term %q has no operator (use one of < <= > >=)", term)
	}
	name := strings.TrimSpace(term[:i])
	rest := term[i:]
	var op Op
	switch {
	case strings.HasPrefix(rest, "<="):
		op, rest = LessOrEqual, rest[2:]
	case strings.HasPrefix(rest, ">="):
		op, rest = GreaterOrEqual, rest[2:]
	case strings.HasPrefix(rest, "<"):
		op, rest = Less, rest[1:]
	case strings.HasPrefix(rest, ">"):
		op, rest = Greater, rest[1:]
	default:
		return Objective{}, fmt.Errorf("term %q has an unsupported operator (use one of < <= > >=)", term)
	}
	if name == "" {
		return Objective{}, fmt.Errorf("term %q has no metric name; valid metrics: %s", term, strings.Join(MetricNames(), ", "))
	}
	if _, ok := lookup(name); !ok {
		return Objective{}, fmt.Errorf("term %q: unknown metric %q; valid metrics: %s", term, name, strings.Join(MetricNames(), ", "))
	}
	num := strings.TrimSpace(rest)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Objective{}, fmt.Errorf("term %q: threshold %q is not a finite number", term, num)
	}
	return Objective{Metric: name, Op: op, Threshold: v}, nil
}

// Result is the outcome of one objective on one run.
type Result struct {
	Objective
	Value float64
	OK    bool
}

func (r Result) String() string {
	verdict := "ok"
	if !r.OK {
		verdict = "VIOLATED"
	}
	return fmt.Sprintf("%-28s %-8s actual %s", r.Objective.String(), verdict, r.Actual())
}

// Actual formats the measured value: "n/a (no client to measure)" when the
// metric is undefined for the run (NaN), which violates the objective.
func (r Result) Actual() string {
	if math.IsNaN(r.Value) {
		return "n/a (no client to measure)"
	}
	return strconv.FormatFloat(r.Value, 'g', 6, 64)
}

// Evaluate checks every objective against the metric values of a run.
func (s Set) Evaluate(v Values) []Result {
	out := make([]Result, len(s))
	for i, o := range s {
		val := v.Get(o.Metric)
		out[i] = Result{Objective: o, Value: val, OK: o.Holds(val)}
	}
	return out
}

// AllOK reports whether every result holds.
func AllOK(rs []Result) bool {
	for _, r := range rs {
		if !r.OK {
			return false
		}
	}
	return true
}
