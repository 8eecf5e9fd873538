package app

import (
	"fmt"
	"strconv"
	"strings"

	"swarmsim/sim/drill"
)

// DrillSet is an ordered list of drills that a trainer sends as one link
// (?set=A,B,C): the page opens the first (or the set's drill that drill=
// names), and Next drill goes through them in order. Its entries are
// built-in drills' codes or names, drill files' names, and random drills as
// random:SEED. Every drill is loaded with the page, so that a drill file
// later in the set does not wait on the server.
type DrillSet struct {
	Refs   []DrillRef
	drills []*drill.Drill
}

// MaxDrillSet is the most drills a set may list.
const MaxDrillSet = 30

// ParseDrillSet reads a set= value; fetch reads drill files.
func ParseDrillSet(value string, fetch FetchFunc) (*DrillSet, error) {
	items := strings.Split(value, ",")
	if len(items) > MaxDrillSet {
		return nil, fmt.Errorf("%d drills; a set lists 1..%d", len(items), MaxDrillSet)
	}
	set := &DrillSet{}
	for i, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("drill %d of %d is empty (a set is CODE,NAME,random:SEED,... without empty entries)", i+1, len(items))
		}
		var ref DrillRef
		var err error
		if seed, ok := strings.CutPrefix(item, RandomDrillRef+":"); ok {
			ref, err = ParseDrillRef(RandomDrillRef, seed, true)
		} else {
			ref, err = ParseDrillRef(item, "", false)
			if err == nil && ref.Random {
				err = fmt.Errorf("a random drill in a set is random:SEED")
			}
		}
		var d *drill.Drill
		if err == nil {
			d, err = ref.Load(fetch)
		}
		if err != nil {
			return nil, fmt.Errorf("drill %d of %d (%q): %w", i+1, len(items), item, err)
		}
		if j := set.Index(ref); j >= 0 {
			// Next drill follows the set by its drills, so each is there once.
			return nil, fmt.Errorf("drill %d of %d (%q) is drill %d again; a set lists each drill once", i+1, len(items), item, j+1)
		}
		set.Refs = append(set.Refs, ref)
		set.drills = append(set.drills, d)
	}
	return set, nil
}

// Index is the place of ref in the set (-1 when it is not in it).
func (s *DrillSet) Index(ref DrillRef) int {
	if s == nil {
		return -1
	}
	for i, r := range s.Refs {
		if r == ref {
			return i
		}
	}
	return -1
}

// Session starts a play of the set's drill i.
func (s *DrillSet) Session(i int) *DrillSession {
	return &DrillSession{Ref: s.Refs[i], Drill: s.drills[i].Shuffled()}
}

// Query is the set as a link parameter: "set=974e9f,week2,random:7".
func (s *DrillSet) Query() string {
	items := make([]string, len(s.Refs))
	for i, r := range s.Refs {
		switch {
		case r.Random:
			items[i] = RandomDrillRef + ":" + strconv.FormatUint(r.Seed, 10)
		case r.File != "":
			items[i] = r.File
		default:
			items[i] = r.Code
		}
	}
	return "set=" + strings.Join(items, ",")
}
