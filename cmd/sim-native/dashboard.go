package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"swarmsim/cmd/sim-native/internal/progress"
	"swarmsim/cmd/sim-native/internal/tui"
	"swarmsim/sim/engine"
)

// tuiFlag is --tui: unset (auto), on or off. As a boolean flag, --tui alone
// turns it on and --tui=false off.
type tuiFlag struct {
	set, on bool
}

func (f *tuiFlag) String() string {
	if !f.set {
		return "auto"
	}
	return strconv.FormatBool(f.on)
}

func (f *tuiFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	f.set, f.on = true, b
	return nil
}

func (f *tuiFlag) IsBoolFlag() bool { return true }

const tuiUsage = "show the real tool's live terminal dashboard (needs --speed); on by default when a paced run writes to a terminal without --quiet, --tui=false turns it off"

// wantDashboard decides --tui: given, as given (it needs a paced run);
// unset, on for a paced run whose stdout and stdin are terminals and that
// prints its summary.
func wantDashboard(e env, f tuiFlag, speed float64, quiet bool) (bool, error) {
	if f.set {
		if f.on && speed <= 0 {
			return false, usageErr("--tui needs a paced run: give --speed (e.g. --speed 10)")
		}
		return f.on, nil
	}
	out, ok := e.stdout.(*os.File)
	return speed > 0 && !quiet && ok && progress.IsTerminal(out) && progress.IsTerminal(os.Stdin), nil
}

// dashboard drives a paced run from the live dashboard on the process's
// terminal (see package tui); publish feeds the exporter.
func dashboard(speed float64) func(ctx context.Context, eng *engine.Engine, publish func()) (bool, error) {
	return func(ctx context.Context, eng *engine.Engine, publish func()) (bool, error) {
		stream := fmt.Sprintf("simulated (scenario %s, seed %d)", eng.Scenario().Name, eng.Seed())
		interrupted, err := tui.Run(ctx, tui.Config{Engine: eng, Speed: speed, Publish: publish, Stream: stream}, tui.Terminal{})
		if err != nil {
			return interrupted, ioErr(fmt.Errorf("--tui: %w", err))
		}
		return interrupted, nil
	}
}
