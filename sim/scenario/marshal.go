package scenario

import (
	"maps"
	"slices"

	"github.com/goccy/go-yaml"
)

// Clone returns a deep copy: changing the copy (Set, events, cohorts,
// error rates) never changes s.
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Stream.BitratesKbps = slices.Clone(s.Stream.BitratesKbps)
	if s.Clients.Reconnect != nil {
		r := *s.Clients.Reconnect
		c.Clients.Reconnect = &r
	}
	c.Clients.Cohorts = slices.Clone(s.Clients.Cohorts)
	c.Origin.ErrorRates = maps.Clone(s.Origin.ErrorRates)
	c.Events = slices.Clone(s.Events)
	return &c
}

// plainScenario has Scenario's fields without its methods, so that
// MarshalYAML can hand it to the encoder without recursing.
type plainScenario Scenario

// MarshalYAML writes the scenario as YAML with the same snake_case keys the
// parser reads; Parse(ToYAML(s)) gives s back.
func (s *Scenario) MarshalYAML() ([]byte, error) {
	return yaml.Marshal((*plainScenario)(s))
}

// ToYAML writes the scenario as YAML, for exporting a resolved scenario
// (presets and overrides applied) to a file.
func (s *Scenario) ToYAML() ([]byte, error) { return s.MarshalYAML() }
