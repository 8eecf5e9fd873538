package app

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"swarmsim/sim/drill"
)

// DrillRef is how a link names a drill: a built-in drill's code, a random
// drill's seed, or a drill file on the server (?drill=CODE,
// ?drill=random&seed=N, ?drill=NAME for drills/NAME.yaml). A built-in
// drill's name is accepted in a link too, and written back as its code,
// because a name such as "outage" gives the answer away.
type DrillRef struct {
	Code   string // a built-in drill's code
	Random bool
	Seed   uint64 // a random drill's seed
	File   string // a drill file's NAME (drills/NAME.yaml on the server)
}

// DrillFilesDir is where the app fetches drill files, relative to the page
// (web/server serves it).
const DrillFilesDir = "drills/"

// FetchFunc reads a file of the server the page came from, by its path
// relative to the page.
type FetchFunc func(path string) ([]byte, error)

// RandomDrillRef is the name of random drills in a link.
const RandomDrillRef = drill.RandomRef

// ParseDrillRef reads the drill= and seed= values of a link. seed is used
// only by a random drill (seedGiven: the link has one; a random drill
// without one uses seed 1).
func ParseDrillRef(value, seed string, seedGiven bool) (DrillRef, error) {
	v := strings.TrimSpace(value)
	if strings.EqualFold(v, RandomDrillRef) {
		ref := DrillRef{Random: true, Seed: 1}
		if seedGiven {
			n, err := strconv.ParseUint(strings.TrimSpace(seed), 10, 64)
			if err != nil {
				return DrillRef{}, fmt.Errorf("seed=%s: a random drill's seed is a whole number 0..%d", seed, uint64(1<<64-1))
			}
			ref.Seed = n
		}
		return ref, nil
	}
	info, err := drill.LookupInfo(v) // Load parses the drill, once
	if err == nil {
		return DrillRef{Code: info.Code}, nil
	}
	// Not random nor a built-in drill: a drill file, if drill.CheckFileName
	// allows the name (the one rule the server's announcement applies too).
	ferr := drill.CheckFileName(v)
	if ferr == nil {
		return DrillRef{File: v}, nil
	}
	return DrillRef{}, fmt.Errorf("%v; nor a drill file: %v", err, ferr)
}

// Load builds the drill the ref names; fetch reads a drill file (nil: no
// server to read from).
func (r DrillRef) Load(fetch FetchFunc) (*drill.Drill, error) {
	switch {
	case r.Random:
		return drill.Random(r.Seed)
	case r.File != "":
		path := DrillFilesDir + r.File + ".yaml"
		var data []byte
		err := fmt.Errorf("%s: no server to read drill files from", path)
		if fetch != nil {
			data, err = fetch(path)
		}
		if err != nil {
			_, lookup := drill.LookupInfo(r.File)
			return nil, fmt.Errorf("%w (and %v)", err, lookup)
		}
		return drill.Parse(path, data)
	}
	return drill.Lookup(r.Code)
}

// Query is the ref as link parameters: "drill=CODE" or
// "drill=random&seed=N".
func (r DrillRef) Query() string {
	switch {
	case r.Random:
		return "drill=" + RandomDrillRef + "&seed=" + strconv.FormatUint(r.Seed, 10)
	case r.File != "":
		return "drill=" + url.QueryEscape(r.File)
	}
	return "drill=" + url.QueryEscape(r.Code)
}

// Title names the drill without giving it away: "drill 974e9f",
// "random drill, seed 7".
func (r DrillRef) Title() string {
	switch {
	case r.Random:
		return fmt.Sprintf("random drill, seed %d", r.Seed)
	case r.File != "":
		return "drill " + r.File
	}
	return "drill " + r.Code
}

// Next is the drill after this one: the next built-in drill (easiest first,
// back to the first after the last), or the random drill of the next seed;
// after a drill file, the first built-in drill.
func (r DrillRef) Next() DrillRef {
	if r.Random {
		return DrillRef{Random: true, Seed: NextSeed(r.Seed)}
	}
	list := drill.Builtins()
	for i, info := range list {
		if info.Code == r.Code {
			return DrillRef{Code: list[(i+1)%len(list)].Code}
		}
	}
	return DrillRef{Code: list[0].Code}
}
