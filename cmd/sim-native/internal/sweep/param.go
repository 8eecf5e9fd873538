package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Param is a parsed --param flag: a settable scenario key and the values it takes.
type Param struct {
	Key    string
	Values []string
}

// maxPoints bounds the number of values a range may expand to.
const maxPoints = 10000

// ParseParam reads "key=start..end:step" (inclusive numeric range) or "key=v1,v2,v3"
// (an explicit list). Numbers in a range may be integers or decimals; the step must be
// positive; a range whose end is below its start counts down (capacity=4000..1000:500),
// for parameters where smaller is worse. Errors name the part that is wrong.
func ParseParam(s string) (Param, error) {
	key, spec, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	spec = strings.TrimSpace(spec)
	if !ok || key == "" || spec == "" {
		return Param{}, fmt.Errorf("--param %q: expected key=start..end:step (e.g. clients=500..5000:500) or key=v1,v2,...", s)
	}
	if strings.Contains(spec, "..") {
		vals, err := parseRange(spec)
		if err != nil {
			return Param{}, fmt.Errorf("--param %q: %w", s, err)
		}
		return Param{Key: key, Values: vals}, nil
	}
	var vals []string
	for _, v := range strings.Split(spec, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return Param{}, fmt.Errorf("--param %q: empty value in list", s)
		}
		vals = append(vals, v)
	}
	return Param{Key: key, Values: vals}, nil
}

func parseRange(spec string) ([]string, error) {
	bounds, stepStr, hasStep := strings.Cut(spec, ":")
	if !hasStep {
		return nil, fmt.Errorf("range %q has no step (write start..end:step)", spec)
	}
	startStr, endStr, _ := strings.Cut(bounds, "..")
	start, err := parseNumber("start", startStr)
	if err != nil {
		return nil, err
	}
	end, err := parseNumber("end", endStr)
	if err != nil {
		return nil, err
	}
	step, err := parseNumber("step", stepStr)
	if err != nil {
		return nil, err
	}
	if step <= 0 {
		return nil, fmt.Errorf("step %s must be > 0", stepStr)
	}
	dir := 1.0
	if end < start {
		dir = -1
	}
	n := math.Floor(dir*(end-start)/step+1e-9) + 1
	if n > maxPoints {
		return nil, fmt.Errorf("range expands to %.0f values; at most %d allowed", n, maxPoints)
	}
	decimals := max(decimalsOf(startStr), decimalsOf(stepStr))
	vals := make([]string, 0, int(n))
	for i := 0; i < int(n); i++ {
		v := start + float64(dir*float64(i)*step)
		vals = append(vals, strconv.FormatFloat(v, 'f', decimals, 64))
	}
	return vals, nil
}

func parseNumber(what, s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not a number", what, s)
	}
	return v, nil
}

func decimalsOf(s string) int {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}
