package scenario

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// section is one top-level key of a file that is not the scenario's (a drill
// file's "drill"): the decoder sets its value aside instead of calling the key
// unknown.
type section struct {
	name  string
	key   ast.Node // the key as it stands in the file; nil when the file has none
	value ast.Node
}

func (s *section) takes(key string) bool { return s != nil && key == s.name }

// ParseWithSection parses a file that holds a scenario and one more top-level
// key, name, that belongs to another format built on scenarios (a drill file's
// "drill"). The scenario is read exactly as Parse reads the file without that
// key: the same rules, limits, messages, lines and columns. The key's node and
// its value's node come back as goccy/go-yaml parsed them (both nil when the
// file has no such key), also when the scenario has problems, so that the
// caller can report its own alongside; they are nil when the file could not be
// read as YAML at all. Anchors defined inside the section are not seen by the
// scenario part.
func ParseWithSection(file string, data []byte, name string) (sc *Scenario, key, value ast.Node, err error) {
	sec := &section{name: name}
	defer func() {
		if r := recover(); r != nil {
			sc, key, value = nil, nil, nil
			err = Errors{{File: file, Msg: fmt.Sprintf("cannot read the file: %v", r)}}
		}
	}()
	sc, err = parseWith(file, data, sec)
	return sc, sec.key, sec.value, err
}
