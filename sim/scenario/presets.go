package scenario

import (
	"embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed presets/*.yaml
var presetFiles embed.FS

// DefaultPreset is the preset run when none is named.
const DefaultPreset = "steady"

// presetOrder is the order Presets lists them in: from a healthy swarm to
// the failures, simplest first.
var presetOrder = []string{
	"steady",
	"ramp-up",
	"capacity-knee",
	"origin-outage",
	"reconnect-storm",
	"error-storm",
	"stale-playlist",
	"mobile-congestion",
	"churn",
	"low-latency",
}

// PresetInfo names a preset and says in one line what it shows.
type PresetInfo struct {
	Name        string
	Description string
}

var (
	presetsOnce   sync.Once
	presetParsed  map[string]*Scenario
	presetLoadErr error
)

func loadPresets() {
	presetParsed = map[string]*Scenario{}
	for _, name := range presetOrder {
		file := "presets/" + name + ".yaml"
		data, err := presetFiles.ReadFile(file)
		if err != nil {
			presetLoadErr = fmt.Errorf("preset %s: %w", name, err)
			return
		}
		s, err := Parse(file, data)
		if err != nil {
			presetLoadErr = fmt.Errorf("preset %s: %w", name, err)
			return
		}
		presetParsed[name] = s
	}
}

// Presets lists the embedded presets in a stable order, DefaultPreset first.
func Presets() []PresetInfo {
	presetsOnce.Do(loadPresets)
	out := make([]PresetInfo, 0, len(presetOrder))
	for _, name := range presetOrder {
		if s, ok := presetParsed[name]; ok {
			out = append(out, PresetInfo{Name: name, Description: s.Description})
		}
	}
	return out
}

// Preset returns a fresh copy of the named embedded preset, ready to change.
// An unknown name gives an error listing the valid names.
func Preset(name string) (*Scenario, error) {
	presetsOnce.Do(loadPresets)
	if presetLoadErr != nil {
		return nil, presetLoadErr
	}
	s, ok := presetParsed[strings.TrimSpace(name)]
	if !ok {
		return nil, fmt.Errorf("unknown preset %q; presets: %s", name, strings.Join(presetOrder, ", "))
	}
	return s.Clone(), nil
}

// PresetYAML returns the embedded YAML source of a preset, comments included,
// as a starting point for a scenario file.
func PresetYAML(name string) ([]byte, error) {
	if _, err := Preset(name); err != nil {
		return nil, err
	}
	return presetFiles.ReadFile("presets/" + name + ".yaml")
}
