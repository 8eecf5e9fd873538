package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"swarmsim/sim/drill"
	"swarmsim/sim/scenario"
)

// validateDrill checks path as a drill file when it is one (a scenario with a
// top-level drill key): the file's problems as validate reports a scenario's,
// then whether the drill is answerable (sim/drill.Answerable), which runs it
// and the same run without its fault. isDrill is false for anything else,
// unreadable files included, which validate then reads as a scenario. Only a
// regular file is looked into: a pipe or device can be read only once, and
// scenario.Load reports those as before.
func validateDrill(path string) (summary string, isDrill bool, err error) {
	if st, serr := os.Stat(path); serr != nil || !st.Mode().IsRegular() {
		return "", false, nil
	}
	data, rerr := scenario.ReadLimited(path, scenario.MaxFileBytes)
	if rerr != nil || !drill.HasSection(path, data) {
		return "", false, nil
	}
	d, err := drill.Parse(path, data)
	if err != nil {
		return "", true, err
	}
	p, err := drill.Answerable(d)
	if err != nil {
		var fe *scenario.FieldError
		if errors.As(err, &fe) {
			return "", true, scenario.Errors{fe}
		}
		return "", true, err
	}
	sc := d.Scenario
	head := fmt.Sprintf("ok (drill %s: %d clients, %s, %s, difficulty %d; ",
		scenario.Printable(sc.Name), sc.Clients.Count, sc.Duration, plural(len(sc.Events), "event"), d.Difficulty)
	if d.Control() {
		return head + fmt.Sprintf("control: %s strays at most %.4g, below the margin %g)", p.Metric, p.Departure, p.Margin), true, nil
	}
	return head + fmt.Sprintf("answerable: %s departs by %+.4g, margin %g)", p.Metric, p.Departure, p.Margin), true, nil
}

// cmdDrills lists the built-in drills for a trainer (their names and stories
// give the answers away, which is why links use codes), or prints one drill's
// file, a starting point for a new drill.
func cmdDrills(_ context.Context, e env, args []string) error {
	fs := newFlagSet(e, "drills", "[NAME|CODE]",
		"Lists the built-in incident drills for a trainer: the code a link uses (the browser app's ?drill=CODE), the difficulty, the name and what happens. With a name or code, prints that drill's file, a starting point for a new one.", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
	case 1:
		d, err := drill.Lookup(fs.Arg(0))
		if err != nil {
			return usageErr("drills: %v", err)
		}
		src, err := drill.BuiltinYAML(d.Name())
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(src)
		return err
	default:
		return usageErr("drills: want at most one drill name or code, got %d arguments", fs.NArg())
	}
	fmt.Fprintln(e.stdout, "The answers are below: do not show this to trainees. Send ?drill=CODE (or ?drill=random&seed=N) with the browser app's address.")
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tDIFFICULTY\tNAME\tWHAT HAPPENS")
	for _, info := range drill.Builtins() {
		d, err := drill.Builtin(info.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", info.Code, info.Difficulty, info.Name, d.Scenario.Description)
	}
	return tw.Flush()
}
