package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"swarmsim/sim/export"
)

// maxDifferences bounds the parameters describeDifference names one by one.
const maxDifferences = 12

// describeDifference says how two runs' scenarios differ, parameter by parameter in
// the scenario file's terms ("clients.count 20 / 40"), so that two runs of one preset
// are told apart by more than its name and seed. The descriptions are left out: they
// follow from the values.
func describeDifference(a, b *export.Run) string {
	fa, fb := flatScenario(a), flatScenario(b)
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	var diffs []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		va, okA := fa[k]
		vb, okB := fb[k]
		if okA && okB && va == vb {
			continue
		}
		if !okA {
			va = "(none)"
		}
		if !okB {
			vb = "(none)"
		}
		diffs = append(diffs, fmt.Sprintf("%s %s / %s", k, va, vb))
	}
	if a.Seed != b.Seed && fa["seed"] == fb["seed"] {
		diffs = append(diffs, fmt.Sprintf("run seed %d / %d", a.Seed, b.Seed))
	}
	if len(diffs) == 0 {
		return "A and B ran the same scenario with the same seed."
	}
	if len(diffs) > maxDifferences {
		diffs = append(diffs[:maxDifferences], fmt.Sprintf("and %d more", len(diffs)-maxDifferences))
	}
	return "A / B differ in: " + strings.Join(diffs, ", ")
}

// flatScenario is a run's scenario as path -> value in its file format
// ("clients.count" -> "20", "events[0].at" -> "1m"), without its description.
func flatScenario(r *export.Run) map[string]string {
	out := map[string]string{}
	if r.Scenario == nil {
		return out
	}
	data, err := json.Marshal(r.Scenario)
	if err != nil {
		return out
	}
	var tree any
	if json.Unmarshal(data, &tree) != nil {
		return out
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, x)
			}
		case []any:
			if len(v) == 0 {
				out[path] = "[]"
			}
			for i, x := range v {
				walk(path+"["+strconv.Itoa(i)+"]", x)
			}
		case nil:
			out[path] = "null"
		case string:
			out[path] = v
		default:
			b, _ := json.Marshal(v)
			out[path] = string(b)
		}
	}
	walk("", tree)
	delete(out, "description")
	return out
}
