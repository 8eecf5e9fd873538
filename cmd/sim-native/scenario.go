package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"swarmsim/sim/scenario"
)

// looksLikeFile reports whether a --scenario value names a file rather than a preset:
// it does when it contains a path separator or ends in .yaml, .yml or .json (in any
// case). Anything else is a preset name, whatever the working directory holds, so a
// file or directory called "steady" never shadows the preset.
func looksLikeFile(v string) bool {
	if strings.ContainsAny(v, `/\`) {
		return true
	}
	switch strings.ToLower(filepath.Ext(v)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// loadScenario resolves a preset name or a file path (see looksLikeFile). A missing or
// broken file and an unknown preset are input errors (exit 2); other read failures are
// I/O errors (exit 1).
func loadScenario(v string) (*scenario.Scenario, error) {
	if v == "" {
		v = scenario.DefaultPreset
	}
	if !looksLikeFile(v) {
		sc, err := scenario.Preset(v)
		if err != nil {
			hint := "or give a scenario file: a path with a / or a .yaml, .yml or .json name"
			if _, serr := os.Stat(v); serr == nil {
				hint = fmt.Sprintf("to read the file %q, write --scenario ./%s", v, v)
			}
			return nil, usageErr("--scenario: %v (%s)", err, hint)
		}
		return sc, nil
	}
	sc, err := scenario.Load(v)
	if err != nil {
		return nil, &cliError{readErrCode(v, err), err}
	}
	return sc, nil
}

// readErrCode is the exit code of a failure to read the input file path (a scenario or
// a run), the same for every command: a file that is missing, a directory or broken is
// bad input (2); a file that exists but cannot be read (permissions, a device error) is
// an I/O failure (1).
func readErrCode(path string, err error) int {
	if errors.Is(err, fs.ErrNotExist) {
		return exitUsage
	}
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		return exitUsage
	}
	var ferr *scenario.FieldError
	if errors.As(err, &ferr) {
		return exitUsage
	}
	var perr *fs.PathError
	if errors.As(err, &perr) {
		return exitFailure
	}
	return exitUsage
}

// overrides are the scenario flags shared by run and sweep.
type overrides struct {
	clients  int
	duration string
	seed     uint64
	sets     multiFlag
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (o *overrides) register(fs *flag.FlagSet) {
	fs.IntVar(&o.clients, "clients", 0, "override the number of clients (clients.count, an integer, 1..1000000)")
	fs.StringVar(&o.duration, "duration", "", "override the run length in virtual time (e.g. 30s, 10m, 1h; 1s..48h)")
	fs.Uint64Var(&o.seed, "seed", 0, "override the scenario's random seed (an integer, 0..18446744073709551615)")
	fs.Var(&o.sets, "set", "override any settable key, key=value (repeatable), e.g. --set capacity=2000")
}

// settingKey resolves a --set key or alias to the parameter it changes, as
// scenario.Set does ("Clients" and "clients.count" are one parameter; bitrate and
// ladder both set the rendition ladder). ok is false for a key Set rejects.
func settingKey(key string) (canon string, ok bool) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), "-", "_")
	if code, ok := strings.CutPrefix(k, "origin.error_rates."); ok && code != "" {
		return k, true
	}
	for _, st := range scenario.Settings() {
		if st.Key == k || slices.Contains(st.Aliases, k) {
			if st.Key == "stream.bitrate_kbps" {
				return "stream.bitrates_kbps", true
			}
			return st.Key, true
		}
	}
	return "", false
}

// setters lists the parameters the override flags change, with the option that changes
// each ("--clients 7", "--set clients=5"), and fails when two options change the same
// parameter: which should win is not for sim-native to guess.
func (o *overrides) setters(fs *flag.FlagSet) (map[string]string, error) {
	by := map[string]string{}
	add := func(key, option string) error {
		if prev, dup := by[key]; dup {
			return usageErr("%s and %s both set %s; give only one", prev, option, key)
		}
		by[key] = option
		return nil
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err != nil {
			return
		}
		switch f.Name {
		case "clients":
			err = add("clients.count", "--clients "+f.Value.String())
		case "duration", "seed":
			err = add(f.Name, "--"+f.Name+" "+f.Value.String())
		default:
			if key, option, ok := realSetter(f); ok {
				err = add(key, option)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, kv := range o.sets {
		k, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue // apply reports it
		}
		if canon, ok := settingKey(k); ok {
			if err := add(canon, "--set "+kv); err != nil {
				return nil, err
			}
		}
	}
	return by, nil
}

// apply changes sc by the flags that were given on the command line, then validates it.
// Two options that change the same parameter are an error.
func (o *overrides) apply(fs *flag.FlagSet, sc *scenario.Scenario) error {
	if _, err := o.setters(fs); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	set := func(flagName, key, value string) error {
		if err := sc.Set(key, value); err != nil {
			return usageErr("--%s: %v", flagName, err)
		}
		return nil
	}
	if given["clients"] {
		if err := set("clients", "clients.count", fmt.Sprint(o.clients)); err != nil {
			return err
		}
	}
	if given["duration"] {
		if err := set("duration", "duration", o.duration); err != nil {
			return err
		}
	}
	if given["seed"] {
		if err := set("seed", "seed", fmt.Sprint(o.seed)); err != nil {
			return err
		}
	}
	if err := applyRealFlags(fs, sc); err != nil {
		return err
	}
	for _, kv := range o.sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usageErr("--set %q: expected key=value (keys: %s)", kv, strings.Join(scenario.SettableKeys(), ", "))
		}
		if err := set("set", k, v); err != nil {
			return err
		}
	}
	if err := sc.Validate(); err != nil {
		return usageErr("scenario %s after overrides: %v", sc.Name, err)
	}
	if opts := o.givenOptions(fs); len(opts) > 0 {
		// The scenario's own description is of its own values.
		sc.Description = describeRun(sc, opts)
	}
	return nil
}
