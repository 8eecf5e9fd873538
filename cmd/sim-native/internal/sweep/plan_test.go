package sweep

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func testPlan() Plan {
	return Plan{Scenario: json.RawMessage(`{"name":"steady","clients":{"count":10}}`), ScenarioName: "steady",
		Key: "clients", Values: []string{"10", "20", "30"}, Seeds: 2, FirstSeed: 5, SLO: "stalled_ratio<0.01", Build: "(devel) abc"}
}

// Everything that affects the results changes the id; the id is stable otherwise.
func TestPlanIDCoversWhatAffectsResults(t *testing.T) {
	p := testPlan()
	assert.Len(t, p.ID(), 16)
	assert.Equal(t, p.ID(), testPlan().ID())
	assert.Equal(t, 6, p.Runs())
	assert.Equal(t, Point{5, 2, "30", 6}, p.Points()[5])
	changes := map[string]func(*Plan){
		"scenario":  func(q *Plan) { q.Scenario = json.RawMessage(`{"name":"steady","clients":{"count":11}}`) },
		"parameter": func(q *Plan) { q.Values = []string{"10", "20", "31"} },
		"seeds":     func(q *Plan) { q.FirstSeed = 6 },
		"SLO":       func(q *Plan) { q.SLO = "stalled_ratio<0.02" },
		"build":     func(q *Plan) { q.Build = "(devel) abd" },
	}
	for what, change := range changes {
		q := testPlan()
		change(&q)
		assert.NotEqual(t, p.ID(), q.ID(), what)
		d := p.Differences(q)
		if assert.Len(t, d, 1, what) {
			assert.Contains(t, d[0], what)
		}
	}
}
