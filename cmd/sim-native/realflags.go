package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"swarmsim/sim/scenario"
)

// The real tool's command line. sim-native run accepts every flag of
// go-ffmpeg-hls-swarm under its own name (-clients 300 -ramp-rate 50
// -variant all ...), so that a real load test's command line replays in
// simulation: a flag that changes what the clients do sets its scenario
// key; a flag that matters only to real networks, processes or outputs is
// accepted and reported on stderr as having no effect. A flag neither tool
// knows is still an error.

// realKind is the type of a real flag's value, parsed as the real tool's
// flag package parses it.
type realKind uint8

const (
	realBool realKind = iota
	realInt
	realDuration
	realFloat
	realString
	realList // repeatable string (-header)
)

// realFlag is one flag of go-ffmpeg-hls-swarm.
type realFlag struct {
	name string
	kind realKind
	def  string // the real tool's default, as its -help prints it
	// key is the scenario key the flag sets; "" when it has no effect in
	// simulation, for the reason in effect.
	key    string
	effect string
	// value turns the flag's value into the key's (nil: the same text).
	value func(string) string
}

// realFlags lists the real tool's flags (its internal/config/flags.go),
// except those sim-native run has itself with the same meaning: -clients,
// -duration, -metrics (--metrics-addr), -prom-client-metrics and -tui.
var realFlags = []realFlag{
	{name: "ramp-rate", kind: realInt, def: "5", key: "clients.ramp_rate"},
	{name: "ramp-jitter", kind: realDuration, def: "200ms", key: "clients.ramp_jitter"},
	{name: "variant", kind: realString, def: "all", key: "clients.variant"},
	{name: "timeout", kind: realDuration, def: "15s", key: "clients.timeout"},
	{name: "seg-retry", kind: realInt, def: "3", key: "clients.segment_retries"},
	{name: "stats-buffer", kind: realInt, def: "1000", key: "clients.stats_buffer", value: func(s string) string {
		if n, err := strconv.ParseInt(s, 0, 64); err == nil && n <= 0 {
			return strconv.Itoa(scenario.DefaultStatsBuffer) // the real tool's rule: <= 0 is the default
		}
		return s
	}},

	{name: "reconnect", kind: realBool, def: "true",
		effect: "FFmpeg's HTTP reconnects after a network error, with growing delays; swarmsim retries a failed request at once (clients.segment_retries) and restarts the process after clients.backoff"},
	{name: "reconnect-delay", kind: realInt, def: "5",
		effect: "the cap of FFmpeg's HTTP reconnect delay; swarmsim retries a failed request at once"},
	{name: "restart-on-stall", kind: realBool, def: "false",
		effect: "the real tool parses it but never reads it: stalled clients are not restarted there either"},
	{name: "target-duration", kind: realDuration, def: "6s",
		effect: "the real tool parses it but never reads it; the simulated segment duration is stream.segment_duration"},
	{name: "probe-failure-policy", kind: realString, def: "fallback",
		effect: "what the real tool does when ffprobe cannot read the master playlist; the simulated ladder is known"},
	{name: "stats", kind: realBool, def: "true",
		effect: "turns the real tool's output parsing off; the simulation always collects its statistics"},
	{name: "stats-loglevel", kind: realString, def: "debug",
		effect: "FFmpeg's log level for the parser; the simulated parser sees one stderr line per request"},
	{name: "stats-drop-threshold", kind: realFloat, def: "0.01",
		effect: "the drop rate above which the real tool calls a client's parsing degraded; swarmsim uses 0.01"},
	{name: "ffmpeg-debug", kind: realBool, def: "false",
		effect: "FFmpeg's debug log level; the simulated parser's lines do not change"},
	{name: "resolve", kind: realString, def: "",
		effect: "connects to this IP instead of the URL's host; the simulated origin has no address"},
	{name: "dangerous", kind: realBool, def: "false",
		effect: "turns TLS verification off for -resolve; the simulation has no TLS"},
	{name: "no-cache", kind: realBool, def: "false",
		effect: "adds no-cache headers to bypass CDN caches; the simulated origin has no cache"},
	{name: "header", kind: realList, def: "",
		effect: "adds an HTTP header; simulated requests have none"},
	{name: "user-agent", kind: realString, def: "go-ffmpeg-hls-swarm/1.0",
		effect: "the HTTP User-Agent; simulated requests have none"},
	{name: "ffmpeg", kind: realString, def: "ffmpeg",
		effect: "the FFmpeg binary; no process runs in simulation"},
	{name: "print-cmd", kind: realBool, def: "false",
		effect: "prints the FFmpeg command and exits; there is none to print"},
	{name: "check", kind: realBool, def: "false",
		effect: "the real tool's preflight run of 1 client for 10 s; use --clients 1 --duration 10s"},
	{name: "skip-preflight", kind: realBool, def: "false",
		effect: "skips the real tool's checks of the host (ffmpeg, file descriptors); there is no host to check"},
	{name: "v", kind: realBool, def: "false",
		effect: "the real tool's verbose logging"},
	{name: "log-format", kind: realString, def: "json",
		effect: "the real tool's log format"},
	{name: "origin-metrics", kind: realString, def: "",
		effect: "scrapes the origin's node_exporter; the simulated origin has none"},
	{name: "nginx-metrics", kind: realString, def: "",
		effect: "scrapes the origin's nginx_exporter; the simulated origin has none"},
	{name: "origin-metrics-host", kind: realString, def: "",
		effect: "the origin host to scrape; the simulated origin has none"},
	{name: "origin-metrics-interval", kind: realDuration, def: "2s",
		effect: "how often the origin is scraped; the simulated origin has no exporter"},
	{name: "origin-metrics-window", kind: realDuration, def: "30s",
		effect: "the window of the origin's scraped rates; the simulated origin has no exporter"},
	{name: "origin-metrics-node-port", kind: realInt, def: "9100",
		effect: "the origin's node_exporter port; the simulated origin has none"},
	{name: "origin-metrics-nginx-port", kind: realInt, def: "9113",
		effect: "the origin's nginx_exporter port; the simulated origin has none"},
	{name: "segment-sizes-url", kind: realString, def: "",
		effect: "where the real tool reads the origin's segment sizes; simulated sizes are known"},
	{name: "segment-sizes-interval", kind: realDuration, def: "1s",
		effect: "how often the origin's segment sizes are read; simulated sizes are known"},
	{name: "segment-sizes-jitter", kind: realDuration, def: "500ms",
		effect: "the jitter of reading the origin's segment sizes; simulated sizes are known"},
	{name: "segment-cache-window", kind: realInt, def: "300",
		effect: "how many segment sizes the real tool keeps; simulated sizes are known"},
}

func realFlagNamed(name string) *realFlag {
	for i := range realFlags {
		if realFlags[i].name == name {
			return &realFlags[i]
		}
	}
	return nil
}

// realValue holds what a real flag was given; it parses the value as the
// real tool's flag package does.
type realValue struct {
	f    *realFlag
	vals []string
}

func (v *realValue) String() string {
	if v == nil || v.f == nil {
		return ""
	}
	return strings.Join(v.vals, ", ") // empty when not given: the scenario's value holds
}

func (v *realValue) Set(s string) error {
	var err error
	switch v.f.kind {
	case realBool:
		_, err = strconv.ParseBool(s)
	case realInt:
		_, err = strconv.ParseInt(s, 0, 64)
	case realDuration:
		_, err = time.ParseDuration(s)
	case realFloat:
		_, err = strconv.ParseFloat(s, 64)
	}
	if err != nil {
		return fmt.Errorf("%q is not %s", s, realKindText[v.f.kind])
	}
	v.vals = append(v.vals, s)
	return nil
}

func (v *realValue) IsBoolFlag() bool { return v.f.kind == realBool }

var realKindName = [...]string{
	realInt:      "int",
	realDuration: "duration",
	realFloat:    "number",
	realString:   "string",
	realList:     "string",
}

var realKindText = [...]string{
	realBool:     "true or false",
	realInt:      "an integer",
	realDuration: "a duration such as 200ms, 15s or 5m",
	realFloat:    "a number",
}

// registerRealFlags adds the real tool's flags to fs, except those fs has
// already (sim-native's own flag of that name wins).
func registerRealFlags(fs *flag.FlagSet) {
	for i := range realFlags {
		f := &realFlags[i]
		if fs.Lookup(f.name) != nil {
			continue
		}
		usage := "go-ffmpeg-hls-swarm's flag"
		if f.kind != realBool {
			usage = "go-ffmpeg-hls-swarm's `" + realKindName[f.kind] + "` flag"
		}
		if f.def != "" {
			usage += " (its default " + f.def + ")"
		}
		usage += ": "
		if f.key != "" {
			usage += "sets " + f.key
		} else {
			usage += "no effect in simulation"
		}
		if f.kind == realList { // repeatable, like --set
			fs.Var(new(multiFlag), f.name, usage+" (repeatable)")
			continue
		}
		fs.Var(&realValue{f: f}, f.name, usage)
	}
}

// givenRealFlag returns the real flag f names when its value is one of
// registerRealFlags', with the values given.
func givenRealFlag(f *flag.Flag) (*realFlag, []string) {
	switch v := f.Value.(type) {
	case *realValue:
		return v.f, v.vals
	case *multiFlag:
		if rf := realFlagNamed(f.Name); rf != nil && rf.kind == realList {
			return rf, *v
		}
	}
	return nil, nil
}

// realSetter names the scenario key a given real flag sets and the option
// that set it ("-ramp-rate 50"), for overrides.setters' check that no two
// options set one key; ok is false for other flags and for real flags
// without effect.
func realSetter(f *flag.Flag) (key, option string, ok bool) {
	rf, vals := givenRealFlag(f)
	if rf == nil || rf.key == "" || len(vals) == 0 {
		return "", "", false
	}
	return rf.key, "-" + rf.name + " " + vals[len(vals)-1], true
}

// applyRealFlags sets the scenario keys of the real flags given in fs.
func applyRealFlags(fs *flag.FlagSet, sc *scenario.Scenario) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		rf, vals := givenRealFlag(f)
		if err != nil || rf == nil || rf.key == "" || len(vals) == 0 {
			return
		}
		val := vals[len(vals)-1]
		if rf.value != nil {
			val = rf.value(val)
		}
		if e := sc.Set(rf.key, val); e != nil {
			err = usageErr("-%s: %v", rf.name, e)
		}
	})
	return err
}

// noteRealFlags writes one line on w for each given real flag that has no
// effect in simulation, and one for the stream URL of a real command line.
func noteRealFlags(fs *flag.FlagSet, streamURL string, w io.Writer) {
	fs.Visit(func(f *flag.Flag) {
		rf, vals := givenRealFlag(f)
		if rf == nil || rf.key != "" {
			return
		}
		given := "-" + rf.name
		switch rf.kind {
		case realBool:
		case realList:
			for i, v := range vals {
				if i > 0 {
					given += " -" + rf.name
				}
				given += " " + strconv.Quote(v)
			}
		default:
			given += " " + vals[len(vals)-1]
		}
		fmt.Fprintf(w, "sim-native: %s has no effect in simulation (%s)\n", given, rf.effect)
	})
	if streamURL != "" {
		fmt.Fprintf(w, "sim-native: the stream URL %s has no effect in simulation (the scenario's stream is simulated)\n", streamURL)
	}
}

// realStreamURL returns the stream URL that ends a real command line
// (go-ffmpeg-hls-swarm [flags] URL): one argument with a scheme.
func realStreamURL(args []string) (string, bool) {
	if len(args) == 1 && strings.Contains(args[0], "://") {
		return args[0], true
	}
	return "", false
}
