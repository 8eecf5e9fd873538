package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"swarmsim/sim/drill"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
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
	fs := newFlagSet(e, "drills", "[NAME|CODE] [--results FILE]",
		"Lists the built-in incident drills for a trainer: the code a link uses (the browser app's ?drill=CODE), the difficulty, the name and what happens. With a name or code, prints that drill's file, a starting point for a new one. With --results, reads the result lines trainees copied from the browser (one per line, each optionally after a name, \"alice: drill=...\"; - for standard input) and prints them as a table, then each drill's plays, mean score, right causes and median start error.", "")
	results := fs.String("results", "", "a file of result lines to tabulate (- for standard input)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *results != "" {
		if fs.NArg() > 0 {
			return usageErr("drills: --results takes no drill name (got %q)", fs.Arg(0))
		}
		return drillResults(e, *results)
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

// maxResultsBytes bounds a file of result lines (some 20 000 lines).
const maxResultsBytes = 1 << 20

// readStdin reads e's standard input, at most limit bytes: more is a usage
// error, as for a file.
func readStdin(e env, limit int64) ([]byte, error) {
	if e.stdin == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(e.stdin, limit+1))
	if err != nil {
		return nil, &cliError{exitFailure, fmt.Errorf("standard input: %w", err)}
	}
	if int64(len(data)) > limit {
		return nil, usageErr("standard input: more than %d bytes (at most %d allowed)", limit, limit)
	}
	return data, nil
}

// drillResults tabulates a file of result lines (drill.ParseLine): every
// line, then per drill the plays, mean score, right causes and median start
// error. Every line that is not a result line is reported with its number.
func drillResults(e env, path string) error {
	name := path
	var data []byte
	if path == "-" {
		name = "standard input"
		var err error
		if data, err = readStdin(e, maxResultsBytes); err != nil {
			return err
		}
	} else {
		var err error
		if data, err = scenario.ReadLimited(path, maxResultsBytes); err != nil {
			var tl *scenario.TooLargeError
			if errors.As(err, &tl) {
				return usageErr("%s: %s", name, tl.Msg())
			}
			return &cliError{readErrCode(path, err), err}
		}
	}
	type play struct {
		who string
		r   drill.Result
	}
	var plays []play
	var bad []string
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		r, who, err := drill.ParseLine(line)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s:%d: %v", scenario.Printable(name), i+1, err))
			continue
		}
		plays = append(plays, play{who, r})
	}
	if len(bad) > 0 {
		return usageErr("%s", strings.Join(bad, "\nsim-native: "))
	}
	if len(plays) == 0 {
		return usageErr("%s: no result lines", scenario.Printable(name))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHO\tDRILL\tSEED\tCAUSE\tSTART\tFOLLOW-UP\tAT\tSCORE")
	for _, p := range plays {
		r := p.r
		who := p.who
		if who == "" {
			who = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", scenario.Printable(who), scenario.Printable(r.Drill), r.Seed,
			r.CauseText(), r.StartText(), r.FollowupText(), stats.FormatClock(r.At), r.Score)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	// Per drill (and seed: random drills differ by seed), in first-seen order.
	type key struct {
		drill string
		seed  uint64
	}
	var order []key
	by := map[key][]drill.Result{}
	for _, p := range plays {
		k := key{p.r.Drill, p.r.Seed}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], p.r)
	}
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DRILL\tSEED\tPLAYS\tMEAN SCORE\tRIGHT CAUSE\tMEDIAN |START ERROR|")
	for _, k := range order {
		rs := by[k]
		sum, right := 0, 0
		var errs []time.Duration
		for _, r := range rs {
			sum += r.Score
			if r.CauseRight {
				right++
			}
			if r.StartGiven {
				errs = append(errs, max(r.StartError, -r.StartError))
			}
		}
		median := "-"
		if len(errs) > 0 {
			slices.Sort(errs)
			m := errs[len(errs)/2]
			if len(errs)%2 == 0 {
				m = (errs[len(errs)/2-1] + errs[len(errs)/2]) / 2
			}
			median = fmt.Sprintf("%.1f s (%d marked)", m.Seconds(), len(errs))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%d of %d\t%s\n", scenario.Printable(k.drill), k.seed, len(rs),
			float64(sum)/float64(len(rs)), right, len(rs), median)
	}
	return tw.Flush()
}
