package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // internal or I/O failure
	exitUsage    = 2 // bad flags, unknown presets, bad files
	exitViolated = 3 // an SLO was violated
)

// cliError carries an exit code with its message.
type cliError struct {
	code int
	err  error
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &cliError{exitUsage, fmt.Errorf(format, args...)}
}

func ioErr(err error) error { return &cliError{exitFailure, err} }

// errViolated is returned when an SLO failed; its details are already printed.
var errViolated = &cliError{exitViolated, errors.New("SLO violated")}

// env is what a command reads and writes; tests substitute buffers.
type env struct {
	stdin          io.Reader // what "-" reads (drills --results -); nil reads as empty
	stdout, stderr io.Writer
	stderrFile     *os.File // for the terminal check of the progress bar; nil = not a terminal
	stdoutFile     *os.File // to recognise an output path that is stdout (/dev/stdout); may be nil
}

func main() {
	ctx, stop := stopOnSignals(context.Background(), os.Stderr)
	code := run(ctx, os.Args[1:], processEnv())
	stop()
	os.Exit(code)
}

// stopOnSignals returns a context cancelled by the first SIGINT (Ctrl-C) or SIGTERM
// (timeout(1), docker stop, a CI job cancelled), whose cause names the signal: the run
// stops, prints its summary and writes its outputs of the part that ran (exit 1). A
// second signal stops the process at once (exit 1): the temporary files of outputs being
// written are removed, the targets left as they were.
func stopOnSignals(parent context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			cancel(errors.New(signalName(s)))
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			pending.removePending()
			fmt.Fprintf(stderr, "sim-native: %s again: stopped at once, outputs not written\n", signalName(s))
			os.Exit(exitFailure)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"run", "[flags]", "run a scenario and print the exit summary (the default command)", cmdRun},
		{"scenarios", "", "list the built-in presets with their descriptions", cmdScenarios},
		{"validate", "FILE...", "check scenario and drill files and report every problem", cmdValidate},
		{"drills", "[NAME|CODE]", "list the built-in incident drills with their codes, or print one", cmdDrills},
		{"sweep", "--param key=start..end:step --slo EXPR [flags]", "vary one parameter over seeds and find the knee", cmdSweep},
		{"compare", "A.json B.json", "compare two runs side by side with deltas", cmdCompare},
		{"version", "", "print the version, commit and Go version of this build", cmdVersion},
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `sim-native: seeded what-if runs of an HLS load test in virtual time.

Usage:
  sim-native                      run the default preset as fast as possible
  sim-native <command> [flags]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run "sim-native <command> --help" for a command's flags. Exit codes: 0 ok, 1 I/O or
internal failure, 2 bad usage or input, 3 SLO violated. See docs/CLI.md.
`)
}

func run(ctx context.Context, args []string, e env) int {
	err := dispatch(ctx, args, e)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ce *cliError
	if errors.As(err, &ce) {
		if ce != errViolated {
			fmt.Fprintf(e.stderr, "sim-native: %v\n", oneLine(ce.err))
		}
		return ce.code
	}
	fmt.Fprintf(e.stderr, "sim-native: %v\n", oneLine(err))
	return exitFailure
}

// oneLine keeps a multi-problem message readable on one line per problem, prefixed.
func oneLine(err error) string {
	return strings.TrimRight(err.Error(), "\n")
}

func dispatch(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return cmdRun(ctx, e, nil)
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help", "help":
		printUsage(e.stdout)
		return nil
	}
	if strings.HasPrefix(name, "-") {
		// Flags without a command: the run command.
		return cmdRun(ctx, e, args)
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return usageErr("unknown command %q (commands: %s; see sim-native --help)", name, strings.Join(names, ", "))
}

// newFlagSet returns a flag set whose errors become usage errors (exit 2) and whose
// --help prints the command's usage to stdout.
func newFlagSet(e env, name, args, summary, details string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := e.stdout
		fmt.Fprintf(w, "Usage: sim-native %s %s\n\n%s\n", name, args, summary)
		if details != "" {
			fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(details))
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if !hasFlags {
			return
		}
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args; --help prints the usage and returns flag.ErrHelp, other problems
// become usage errors naming the command and pointing at its --help, without the usage
// (the flag package would print it on every error).
func parseFlags(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {}
	// A flag given twice is an error, not "the last one wins" (--set is repeatable).
	var twice error
	values := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if _, repeatable := f.Value.(*multiFlag); !repeatable {
			f.Value = &onceValue{Value: f.Value, name: f.Name, values: values, twice: &twice}
		}
	})
	err := fs.Parse(args)
	fs.VisitAll(func(f *flag.Flag) {
		if o, ok := f.Value.(*onceValue); ok {
			f.Value = o.Value
		}
	})
	fs.Usage = usage
	if twice != nil {
		return usageErr("%s: %v\nrun 'sim-native %s --help' for the flags", fs.Name(), twice, fs.Name())
	}
	if errors.Is(err, flag.ErrHelp) {
		usage()
		return err
	}
	if err != nil {
		msg := err.Error()
		// A bad value: say what the flag takes (the flag package says "parse error").
		if m := badValue.FindStringSubmatch(msg); m != nil {
			if f := fs.Lookup(m[1]); f != nil {
				msg += fmt.Sprintf("; --%s: %s", f.Name, f.Usage)
			}
		}
		return usageErr("%s: %s\nrun 'sim-native %s --help' for the flags", fs.Name(), msg, fs.Name())
	}
	return nil
}

var badValue = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for (?:flag )?-([^:]+):`)

// onceValue wraps a flag's value during parsing to reject a second occurrence.
type onceValue struct {
	flag.Value
	name   string
	values map[string]string // flag name -> the value given first
	twice  *error
}

func (o *onceValue) Set(v string) error {
	if first, dup := o.values[o.name]; dup {
		if *o.twice == nil {
			*o.twice = fmt.Errorf("--%s given twice (%q and %q); give it once", o.name, first, v)
		}
		return *o.twice
	}
	o.values[o.name] = v
	return o.Value.Set(v)
}

func (o *onceValue) IsBoolFlag() bool {
	b, ok := o.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
