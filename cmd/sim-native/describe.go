package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"swarmsim/sim/scenario"
)

// describeRun describes a scenario from its values, for a run whose options changed
// it: a preset's or a file's own description tells the story of its values and would
// be false of the run (200 viewers, a 20x headroom, for a run of 3000 viewers on an
// origin that cannot carry them). options lists the overriding options as given.
func describeRun(sc *scenario.Scenario, options []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s viewers", strconv.Itoa(sc.Clients.Count))
	if r := sc.Clients.RampRate; r > 0 {
		fmt.Fprintf(&b, " join at %s/s and", num(r))
	}
	lo, hi, demand, several := renditions(sc)
	switch {
	case several && lo == hi: // a client downloads several renditions: the sum, audio included
		fmt.Fprintf(&b, " play %d kbps (every rendition they download, audio included)", lo)
	case several:
		fmt.Fprintf(&b, " play %d to %d kbps (every rendition they download, audio included)", lo, hi)
	case lo == hi:
		fmt.Fprintf(&b, " play %d+%d kbps", lo, sc.Stream.AudioKbps)
	default:
		fmt.Fprintf(&b, " play %d to %d kbps (+%d audio)", lo, hi, sc.Stream.AudioKbps)
	}
	fmt.Fprintf(&b, " for %s; ", sc.Duration)
	if c := sc.Origin.CapacityMbps; c > 0 {
		if ratio := c / demand; ratio >= 1 {
			fmt.Fprintf(&b, "the %s Mbit/s origin has %sx the %s Mbit/s they play", num(c), num(ratio), num(demand))
		} else {
			fmt.Fprintf(&b, "the %s Mbit/s origin carries at most %s%% of the %s Mbit/s they play", num(c), num(100*ratio), num(demand))
		}
	} else {
		fmt.Fprintf(&b, "the origin is unlimited (they play %s Mbit/s)", num(demand))
	}
	if n := len(sc.Events); n > 0 {
		kinds := make([]string, n)
		for i, e := range sc.Events {
			kinds[i] = fmt.Sprintf("%s at %s", e.Kind, e.At)
		}
		fmt.Fprintf(&b, "; %s: %s", plural(n, "event"), strings.Join(kinds, ", "))
	}
	fmt.Fprintf(&b, ". Overrides of %s: %s.", sc.Name, strings.Join(options, ", "))
	return b.String()
}

// renditions returns the lowest and highest video bitrate a client of a cohort
// downloads (kbps) and the bitrate of the whole swarm in Mbit/s (video and audio,
// every client playing). When a cohort's clients download several renditions
// (variant all), several is true and lo and hi include their audio.
func renditions(sc *scenario.Scenario) (lo, hi int, mbps float64, several bool) {
	cohorts := sc.Clients.Cohorts
	for i := range cohorts {
		several = several || len(sc.Renditions(i)) > 1
	}
	var kbps float64
	for i, c := range cohorts {
		v, audio := 0, 0
		for _, r := range sc.Renditions(i) {
			v += r
			audio += sc.Stream.AudioKbps
		}
		if several {
			v += audio
		}
		if i == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
		if several {
			kbps += c.Share * float64(v)
		} else {
			kbps += c.Share * float64(v+audio)
		}
	}
	return lo, hi, kbps * float64(sc.Clients.Count) / 1000, several
}

// num writes a figure with at most two decimals and no trailing zeros: 2128, 0.78, 20.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+0.5))/100, 'f', -1, 64)
}

// givenOptions lists the overriding options as given on the command line: --clients,
// --duration and --seed, then every --set in order.
func (o *overrides) givenOptions(fs *flag.FlagSet) []string {
	var opts []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "clients", "duration", "seed":
			opts = append(opts, "--"+f.Name+" "+f.Value.String())
		}
	})
	for _, kv := range o.sets {
		opts = append(opts, "--set "+kv)
	}
	return opts
}
