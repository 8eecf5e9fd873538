package main

import (
	"errors"
	"fmt"
	"os"

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
