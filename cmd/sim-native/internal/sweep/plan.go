package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// Plan is everything that decides the results of a sweep: the resolved base scenario,
// the swept key and its values, the seeds, the objective and the build of the simulator.
// Two processes given the same plan compute the same runs with the same results, so the
// runs can be split between processes (shards) and their results merged.
type Plan struct {
	Scenario     json.RawMessage `json:"scenario"` // the base scenario, resolved (presets and overrides applied)
	ScenarioName string          `json:"scenario_name"`
	Key          string          `json:"key"`
	Values       []string        `json:"values"`
	Seeds        int             `json:"seeds"`      // runs per value
	FirstSeed    uint64          `json:"first_seed"` // seeds FirstSeed .. FirstSeed+Seeds-1
	SLO          string          `json:"slo"`        // the objective, in its canonical form
	Build        string          `json:"build"`      // the simulator's build (module version and commit)
}

// ID identifies the plan: the first 16 hex digits of the SHA-256 of its JSON encoding
// (fields in a fixed order, the scenario as given). Any change to what affects the
// results changes it.
func (p Plan) ID() string {
	b, err := json.Marshal(p)
	if err != nil { // a RawMessage that is not JSON: a programming error
		panic(fmt.Sprintf("sweep plan: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Runs is the number of runs of the plan: values x seeds.
func (p Plan) Runs() int { return len(p.Values) * p.Seeds }

// Points lists the plan's runs in their fixed order (see Points).
func (p Plan) Points() []Point { return Points(p.Values, p.Seeds, p.FirstSeed) }

// Differences names the fields in which q differs from p, for a message that says why
// two plans are not the same.
func (p Plan) Differences(q Plan) []string {
	var d []string
	if string(p.Scenario) != string(q.Scenario) {
		d = append(d, "scenario")
	}
	if p.Key != q.Key || !slices.Equal(p.Values, q.Values) {
		d = append(d, "parameter")
	}
	if p.Seeds != q.Seeds || p.FirstSeed != q.FirstSeed {
		d = append(d, "seeds")
	}
	if p.SLO != q.SLO {
		d = append(d, "SLO")
	}
	if p.Build != q.Build {
		d = append(d, fmt.Sprintf("build (%s, %s)", p.Build, q.Build))
	}
	return d
}
