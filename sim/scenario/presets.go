package scenario

import (
	"embed"
	"fmt"
	"slices"
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

// Presets are parsed on first use, each on its own (in the browser, parsing
// all ten before the first frame cost 0.15-0.3 s).
var (
	presetMu     sync.Mutex
	presetParsed = map[string]*Scenario{}
)

// loadPreset returns the parsed preset name (not a copy).
func loadPreset(name string) (*Scenario, error) {
	if !slices.Contains(presetOrder, name) {
		return nil, fmt.Errorf("unknown preset %q; presets: %s", name, strings.Join(presetOrder, ", "))
	}
	presetMu.Lock()
	defer presetMu.Unlock()
	if s, ok := presetParsed[name]; ok {
		return s, nil
	}
	file := "presets/" + name + ".yaml"
	data, err := presetFiles.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	s, err := Parse(file, data)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	presetParsed[name] = s
	return s, nil
}

// Presets lists the embedded presets in a stable order, DefaultPreset first.
func Presets() []PresetInfo {
	out := make([]PresetInfo, 0, len(presetOrder))
	for _, name := range presetOrder {
		if s, err := loadPreset(name); err == nil {
			out = append(out, PresetInfo{Name: name, Description: s.Description})
		}
	}
	return out
}

// Preset returns a fresh copy of the named embedded preset, ready to change.
// An unknown name gives an error listing the valid names.
func Preset(name string) (*Scenario, error) {
	s, err := loadPreset(strings.TrimSpace(name))
	if err != nil {
		return nil, err
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
