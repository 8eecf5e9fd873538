// Package scenario is the scenario model of swarmsim: what is simulated (stream,
// clients, origin, scripted faults), strict YAML/JSON parsing with defaults and
// validation, parameter overrides by key, and embedded presets.
//
// The full file format is documented below once the parser lands.
package scenario
