package drill

import (
	"fmt"
	"strings"
)

// MaxFileName is the longest NAME of a drill file (drills/NAME.yaml) that a
// link can name.
const MaxFileName = 64

// RandomRef is what a link names random drills by (?drill=random&seed=N), in
// any case.
const RandomRef = "random"

// fileNameRule is what a drill file's name may be.
var fileNameRule = fmt.Sprintf("a drill file's name (drills/NAME.yaml) is 1..%d letters, digits, '-', '_' and '.', not starting with '.'", MaxFileName)

// CheckFileName says why a drill file drills/NAME.yaml cannot be opened by a
// link's ?drill=NAME, or returns nil when it can: NAME is 1..MaxFileName
// ASCII letters, digits, '-', '_' and '.', not starting with '.', and is
// neither a built-in drill's name or code nor "random" in any case (a link
// opens those drills instead: built-in drills are looked up first).
func CheckFileName(name string) error {
	if name == "" {
		return fmt.Errorf("empty name: %s", fileNameRule)
	}
	if len(name) > MaxFileName {
		return fmt.Errorf("name of %d bytes: %s", len(name), fileNameRule)
	}
	if name[0] == '.' {
		return fmt.Errorf("name %q starts with '.': %s", name, fileNameRule)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("name %q holds %q: %s", name, r, fileNameRule)
		}
	}
	if strings.EqualFold(name, RandomRef) {
		return fmt.Errorf("name %q: ?drill=%s opens a random drill instead; rename the file", name, name)
	}
	for _, info := range Builtins() {
		if name == info.Name || name == info.Code {
			what := "name"
			if name == info.Code {
				what = "code"
			}
			return fmt.Errorf("name %q is a built-in drill's %s: ?drill=%s opens that drill instead; rename the file", name, what, name)
		}
	}
	return nil
}
