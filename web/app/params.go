package app

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"swarmsim/sim/scenario"
)

// Speed is how many seconds of virtual time pass per real second; SpeedMax
// runs as fast as the frame budget allows.
type Speed int

// SpeedMax is "as fast as the frame allows".
const SpeedMax Speed = 0

// Speeds are the selectable speeds, in key order (1 2 3 4).
var Speeds = []Speed{1, 10, 60, SpeedMax}

// String names a speed: "1x", "10x", "60x", "max".
func (s Speed) String() string {
	if s == SpeedMax {
		return "max"
	}
	return strconv.Itoa(int(s)) + "x"
}

// ParseSpeed reads "1", "10x", "60", "max".
func ParseSpeed(text string) (Speed, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "max" || t == "0" {
		return SpeedMax, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(t, "x"))
	if err == nil {
		for _, s := range Speeds {
			if s == Speed(n) && s != SpeedMax {
				return s, nil
			}
		}
	}
	return 0, fmt.Errorf("speed %q is not allowed; allowed 1, 10, 60 or max", text)
}

// DefaultSpeed is the speed a page starts at.
const DefaultSpeed Speed = 10

// RunConfig is what the page starts: a validated scenario, the preset it
// came from, the speed, and the problems found in the URL (each shown to the
// user; the affected value fell back to its default).
type RunConfig struct {
	Preset   string
	Scenario *scenario.Scenario
	Speed    Speed
	// Overrides are the scenario settings the URL changed and that were
	// accepted, in the order they were applied; Query writes them back so
	// a shared or reloaded URL reproduces the same run.
	Overrides []Override
	Problems  []string
	// Drill, when set, is the drill the link opens (?drill=), loaded; the
	// run is the drill's scenario, which no other parameter changes. Set is
	// the set of drills the link sends (?set=), which Next drill follows.
	Drill *DrillSession
	Set   *DrillSet
}

// Override is one accepted scenario.Set key and its value, as given in the
// URL (the key keeps its spelling: "capacity", "origin.capacity_mbps").
type Override struct {
	Key, Value string
}

// ParamKeys are the URL parameters the page documents; any other key that
// scenario.Set accepts (capacity, segment_duration, ...) works too.
var ParamKeys = []string{"scenario", "clients", "seed", "speed", "drill"}

// ParseParams reads a URL query (with or without the leading '?'):
// scenario= picks a preset, speed= the speed, and every other key goes
// through scenario.Set, so values are checked against the same ranges as
// scenario files. A bad value is reported in Problems and ignored. drill=
// opens a drill instead (ParseParamsWith reads drill files).
func ParseParams(query string) RunConfig { return ParseParamsWith(query, nil) }

// ParseParamsWith is ParseParams with a way to read drill files from the
// page's server, for ?drill=NAME.
func ParseParamsWith(query string, fetch FetchFunc) RunConfig {
	cfg := RunConfig{Preset: scenario.DefaultPreset, Speed: DefaultSpeed}
	values, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		cfg.Problems = append(cfg.Problems, fmt.Sprintf("the URL parameters cannot be read (%v); using the defaults", err))
		values = url.Values{}
	}
	last := func(key string) (string, bool) {
		v, ok := values[key]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[len(v)-1], true
	}

	if v, ok := last("set"); ok {
		set, err := ParseDrillSet(v, fetch)
		if err != nil {
			cfg.Problems = append(cfg.Problems, fmt.Sprintf("set=%s: %v; no set", v, err))
		} else if _, named := last("drill"); !named {
			cfg.Set, cfg.Drill = set, set.Session(0)
			parseDrillParams(&cfg, values, cfg.Drill.Ref)
			return cfg
		} else {
			cfg.Set = set
		}
		delete(values, "set")
	}
	if v, ok := last("drill"); ok {
		seed, seedGiven := last("seed")
		ref, err := ParseDrillRef(v, seed, seedGiven)
		var s *DrillSession
		if i := cfg.Set.Index(ref); err == nil && i >= 0 {
			s = cfg.Set.Session(i)
		} else if err == nil {
			s, err = NewDrillSession(ref, fetch)
		}
		if err == nil {
			cfg.Drill = s
			parseDrillParams(&cfg, values, ref)
			return cfg
		}
		cfg.Problems = append(cfg.Problems, fmt.Sprintf("drill=%s: %v; showing preset %q", v, err, scenario.DefaultPreset))
		delete(values, "drill")
	}
	cfg.Set = nil
	if name, ok := last("scenario"); ok {
		if _, err := scenario.Preset(name); err != nil {
			cfg.Problems = append(cfg.Problems, fmt.Sprintf("scenario=%s: %v; using %q", name, err, scenario.DefaultPreset))
		} else {
			cfg.Preset = strings.TrimSpace(name)
		}
	}
	sc, err := scenario.Preset(cfg.Preset)
	if err != nil {
		// The embedded presets failed to load: nothing to fall back to.
		cfg.Problems = append(cfg.Problems, err.Error())
		d := scenario.Defaults()
		sc = &d
	}

	if sp, ok := last("speed"); ok {
		s, err := ParseSpeed(sp)
		if err != nil {
			cfg.Problems = append(cfg.Problems, fmt.Sprintf("speed=%s: %v; using %s", sp, err, DefaultSpeed))
		} else {
			cfg.Speed = s
		}
	}

	keys := make([]string, 0, len(values))
	for k := range values {
		if k != "scenario" && k != "speed" {
			keys = append(keys, k)
		}
	}
	// seed and clients first, then the rest by name: a stable order.
	slices.SortFunc(keys, func(a, b string) int {
		ra, rb := slices.Index(ParamKeys, a), slices.Index(ParamKeys, b)
		if ra < 0 {
			ra = len(ParamKeys)
		}
		if rb < 0 {
			rb = len(ParamKeys)
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		v, _ := last(k)
		if err := sc.Set(k, v); err != nil {
			cfg.Problems = append(cfg.Problems, fmt.Sprintf("%s=%s: %v; using the default", k, v, err))
			continue
		}
		cfg.Overrides = append(cfg.Overrides, Override{Key: k, Value: v})
	}
	if err := sc.Validate(); err != nil {
		cfg.Problems = append(cfg.Problems, fmt.Sprintf("the URL parameters make an invalid scenario (%v); using preset %q unchanged", err, cfg.Preset))
		sc, _ = scenario.Preset(cfg.Preset)
		cfg.Overrides = nil
	}
	limitClients(&cfg, sc)
	cfg.Scenario = sc
	return cfg
}

// parseDrillParams reads the parameters of a drill's link: the speed; any
// other setting is refused, since a drill is one run, the same for everyone
// who plays it.
func parseDrillParams(cfg *RunConfig, values url.Values, ref DrillRef) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := values[k][len(values[k])-1]
		switch {
		case k == "drill" || k == "set" || k == "seed" && ref.Random:
		case k == "speed":
			s, err := ParseSpeed(v)
			if err != nil {
				cfg.Problems = append(cfg.Problems, fmt.Sprintf("speed=%s: %v; using %s", v, err, DefaultSpeed))
				continue
			}
			cfg.Speed = s
		default:
			cfg.Problems = append(cfg.Problems, fmt.Sprintf("%s=%s is not used: a drill runs its own scenario, the same for everyone who plays it (allowed with drill=: set, speed, and seed for drill=random)", k, v))
		}
	}
}

// MaxBrowserClients is the most viewers a run in the browser may have at once
// (clients.count plus those its add_clients events bring). Each viewer holds about
// 3.3 kB of the tab's memory (measured in wasm and natively alike, 10 000 to 30 000
// viewers of the steady preset after a minute), so 100 000 take about 330 MB, and the
// garbage collector's headroom up to twice that: a tab a desktop browser keeps. A
// million (a shared link asked for one) took a tab past 3 GB. sim-native runs up to
// scenario.MaxClients.
const MaxBrowserClients = 100_000

// BytesPerClient is the measured memory of one viewer in the tab (see MaxBrowserClients).
const BytesPerClient = 3300

// limitClients lowers the client count of a run that would pass MaxBrowserClients, and
// says so in the problems shown to the user.
func limitClients(cfg *RunConfig, sc *scenario.Scenario) {
	added := 0
	for _, ev := range sc.Events {
		if ev.Kind == scenario.KindAddClients {
			added += ev.Clients
		}
	}
	if sc.Clients.Count+added <= MaxBrowserClients {
		return
	}
	asked := sc.Clients.Count
	sc.Clients.Count = max(1, MaxBrowserClients-added)
	peak := asked + added
	cfg.Problems = append(cfg.Problems, fmt.Sprintf(
		"%d clients would take about %d MB of this tab's memory; the browser runs at most %d (about %d MB), so this run has %d. "+
			"sim-native runs up to %d clients on the command line.",
		peak, int64(peak)*BytesPerClient/1_000_000, MaxBrowserClients, int64(MaxBrowserClients)*BytesPerClient/1_000_000,
		sc.Clients.Count, scenario.MaxClients))
}

// Query writes the URL query that reproduces a run: the preset, the client
// count and seed, every other accepted override in the order ParseParams
// applied it, and the speed. Client count and seed are written from sc, so
// "new seed" and restarts show their current values; the other overrides
// keep the value given, which applied to the preset gives sc again.
func Query(preset string, sc *scenario.Scenario, speed Speed, overrides []Override) string {
	clients, seed := strconv.Itoa(sc.Clients.Count), strconv.FormatUint(sc.Seed, 10)
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	add("scenario", preset)
	hasClients := slices.ContainsFunc(overrides, func(o Override) bool { return isSetting(o.Key, "clients.count") })
	hasSeed := slices.ContainsFunc(overrides, func(o Override) bool { return isSetting(o.Key, "seed") })
	if !hasClients {
		add("clients", clients)
	}
	if !hasSeed {
		add("seed", seed)
	}
	for _, o := range overrides {
		switch {
		case isSetting(o.Key, "clients.count"):
			add(o.Key, clients)
		case isSetting(o.Key, "seed"):
			add(o.Key, seed)
		default:
			add(o.Key, o.Value)
		}
	}
	add("speed", speed.String())
	return "?" + b.String()
}

// isSetting reports whether key (as scenario.Set accepts it: canonical,
// alias, any case, '-' for '_') names the setting canon.
func isSetting(key, canon string) bool {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), "-", "_")
	if k == canon {
		return true
	}
	for _, st := range scenario.Settings() {
		if st.Key == canon {
			return slices.Contains(st.Aliases, k)
		}
	}
	return false
}

// NextSeed derives a new seed below 10^9 from the current one (splitmix64),
// so "new seed" is itself reproducible and never repeats the current seed.
func NextSeed(seed uint64) uint64 {
	return nextSeed(seed, splitmix64)
}

func splitmix64(seed uint64) uint64 {
	z := seed + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// nextSeed reduces mix(seed) to a seed below seedModulus that differs from
// seed.
func nextSeed(seed uint64, mix func(uint64) uint64) uint64 {
	z := mix(seed) % seedModulus // short enough to read and share
	// Compare after the modulo: that is the value returned.
	if z == seed {
		z = (z + 1) % seedModulus
	}
	return z
}

// seedModulus bounds the seeds NextSeed returns (nine digits).
const seedModulus = 1_000_000_000

// SpeedCommand is the command that selects a speed.
func SpeedCommand(s Speed) Command {
	for i, sp := range Speeds {
		if sp == s {
			return CmdSpeed1 + Command(i)
		}
	}
	return CmdNone
}
