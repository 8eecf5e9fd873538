package app

import "swarmsim/sim/drill"

// DrillMenuEntry is one line of the Drills menu: a drill named without
// giving it away.
type DrillMenuEntry struct {
	Ref        DrillRef
	Label      string
	Difficulty int // 0 for the random drill
}

// DrillMenu lists the built-in drills, easiest first, then a random drill
// of seed randomSeed.
func DrillMenu(randomSeed uint64) []DrillMenuEntry {
	var out []DrillMenuEntry
	for _, info := range drill.Builtins() {
		ref := DrillRef{Code: info.Code}
		out = append(out, DrillMenuEntry{Ref: ref, Label: ref.Title(), Difficulty: info.Difficulty})
	}
	ref := DrillRef{Random: true, Seed: randomSeed}
	return append(out, DrillMenuEntry{Ref: ref, Label: ref.Title()})
}
