package drill

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// CodeLen is the length of a built-in drill's code.
const CodeLen = 6

// Code is the code of the built-in drill of that name: the first six hex
// digits of the name's 64-bit FNV-1a hash (hash/fnv: no cryptography, which
// would add a tenth to the browser app's download, and none is needed). Links and the browser's Drills menu name a drill by its
// code, because a name such as "outage" gives the answer away; a trainer
// finds which code is which drill with sim-native drills. A code stays the
// same as long as the drill's name does.
func Code(name string) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	return fmt.Sprintf("%016x", h.Sum64())[:CodeLen]
}

// Lookup returns the built-in drill that ref names, by its code or its name
// (a fresh copy). The error for an unknown ref lists the codes, not the names.
func Lookup(ref string) (*Drill, error) {
	info, err := LookupInfo(ref)
	if err != nil {
		return nil, err
	}
	return Builtin(info.Name)
}

// LookupInfo is Lookup without parsing the drill: the built-in drill that
// ref names, by its code or its name.
func LookupInfo(ref string) (Info, error) {
	ref = strings.TrimSpace(ref)
	var codes []string
	for _, info := range Builtins() {
		if ref == info.Code || ref == info.Name {
			return info, nil
		}
		codes = append(codes, info.Code)
	}
	return Info{}, fmt.Errorf("unknown drill %q; built-in drills: %s (or random with a seed)", ref, strings.Join(codes, ", "))
}
