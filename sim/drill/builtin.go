package drill

import (
	"embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Info describes a built-in drill without giving its answer away.
type Info struct {
	Name       string
	Code       string // what links and menus show instead of the name (Code)
	Difficulty int
}

// Builtins lists the built-in drills, easiest first (by name within a
// difficulty). The list is made once (parsing every embedded drill takes
// milliseconds, more in the browser, whose Drills menu asks for it on every
// redraw); each call returns its own copy of it.
func Builtins() []Info {
	return slices.Clone(builtinList())
}

var builtinList = sync.OnceValue(func() []Info {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		d, err := Builtin(name)
		if err != nil {
			panic(fmt.Sprintf("built-in drill %s: %v", name, err)) // the tests parse every one
		}
		out = append(out, Info{Name: name, Code: Code(name), Difficulty: d.Difficulty})
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Difficulty != out[b].Difficulty {
			return out[a].Difficulty < out[b].Difficulty
		}
		return out[a].Name < out[b].Name
	})
	return out
})

// Builtin parses the built-in drill of that name (a fresh copy).
func Builtin(name string) (*Drill, error) {
	src, err := BuiltinYAML(name)
	if err != nil {
		return nil, err
	}
	return Parse(name+".yaml", src)
}

// BuiltinYAML returns the source of a built-in drill, a starting point for a
// drill file.
func BuiltinYAML(name string) ([]byte, error) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, fmt.Errorf("unknown drill %q", name)
	}
	src, err := builtinFS.ReadFile("builtin/" + name + ".yaml")
	if err != nil {
		var names []string
		entries, _ := builtinFS.ReadDir("builtin")
		for _, e := range entries {
			names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
		}
		return nil, fmt.Errorf("unknown drill %q; built-in drills: %s", name, strings.Join(names, ", "))
	}
	return src, nil
}
