package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Parse reads a scenario from YAML or JSON (JSON is YAML's flow syntax; a name
// ending in ".json" is also checked as strict JSON). It starts from
// Defaults(), overrides whatever the file gives, fills event defaults,
// validates and sorts the events by At.
//
// Parsing is strict: unknown keys, duplicate keys, wrong types, bad durations,
// out-of-range values, events outside the run, overlapping events of one kind,
// unknown kinds and missing kind-specific fields are errors. The error is an
// Errors value; every entry names the file, the line and column, the field
// path and the allowed range, e.g.
//
//	capacity-check.yaml:9:10: clients.count: 0 is out of range 1..1000000
//
// Every problem is reported in one pass: structural ones (unknown keys,
// wrong types) and validation ones together, leaving out what follows from
// a field that could not be read. A file that cannot be read at all
// (syntax) reports that alone.
func Parse(name string, data []byte) (sc *Scenario, err error) {
	defer func() {
		// The YAML library is third-party code: whatever it does, bad input
		// must come back as an error, never as a panic.
		if r := recover(); r != nil {
			sc, err = nil, Errors{{File: name, Msg: fmt.Sprintf("cannot read the file: %v", r)}}
		}
	}()
	return parse(name, data)
}

func parse(name string, data []byte) (*Scenario, error) { return parseWith(name, data, nil) }

// parseWith is parse, setting aside the top-level key of sec (section.go) when given.
func parseWith(name string, data []byte, sec *section) (*Scenario, error) {
	fail := func(line, col int, format string, args ...any) (*Scenario, error) {
		return nil, Errors{{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > maxFileBytes {
		return fail(0, 0, "file is %d bytes, at most %d allowed", len(data), maxFileBytes)
	}
	// A byte order mark (editors on Windows write one) is no part of the
	// scenario; YAML would read it as part of the first key.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(0, 0, "file is empty; a scenario is a mapping such as \"clients: {count: 100}\"")
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line, col := offsetPos(data, int64(off))
		return fail(line, col, "file is not valid UTF-8 text")
	}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		if line, col, msg, bad := jsonSyntax(data); bad {
			return fail(line, col, "invalid JSON: %s", Printable(msg))
		}
	}
	// The YAML parser takes time quadratic in the keys of one mapping, so
	// count first: a scenario needs far fewer keys and values than the limits.
	tokens := lexer.Tokenize(string(data))
	keys, widest, line := countKeys(tokens)
	if len(tokens) > maxTokens || keys > maxKeys {
		return fail(0, 0, "file has %d keys and %d tokens in all; a scenario has at most %d keys and %d tokens",
			keys, len(tokens), maxKeys, maxTokens)
	}
	if widest > maxMappingKeys {
		return fail(line, 0, "a mapping here has %d keys; a scenario mapping has at most %d", widest, maxMappingKeys)
	}
	if depth, line := nestingDepth(tokens, maxDepth); depth > maxDepth {
		return fail(line, 0, "lists and mappings nest more than %d deep here; a scenario nests at most %d deep", maxDepth, maxDepth)
	}
	file, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			line, col := tokenPos(ye.GetToken())
			return fail(line, col, "invalid YAML: %s", Printable(ye.GetMessage()))
		}
		return fail(0, 0, "invalid YAML: %s", Printable(err.Error()))
	}
	var body ast.Node
	docs := 0
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if dir, ok := doc.Body.(*ast.DirectiveNode); ok {
			// %YAML 1.x or %TAG before the document: no document of its own.
			if err := checkDirective(dir); err != "" {
				line, col := nodePos(dir)
				return fail(line, col, "%s", err)
			}
			continue
		}
		if docs++; docs > 1 {
			line, col := nodePos(doc.Body)
			return fail(line, col, "holds more than one YAML document; a scenario file holds one")
		}
		body = doc.Body
	}
	if body == nil {
		return fail(0, 0, "file has no content; a scenario is a mapping such as \"clients: {count: 100}\"")
	}

	d := &decoder{file: name, present: map[string]bool{}, pos: map[string][2]int{}, anchors: map[string]ast.Node{}, section: sec}
	s := Defaults()
	s.Name = ""
	d.decode(body, reflect.ValueOf(&s).Elem(), "")
	structural := d.errs.errs
	d.applyDefaults(&s)
	// Validate what could be read even when some fields could not: a file's
	// problems are reported in one pass, not its range problems only after
	// its structure is fixed. A field that could not be read keeps its
	// default, so what the validator says of it, or of the rules that
	// involve it, would be about a value the file never gave: left out.
	errs := append(Errors(nil), structural...)
	for _, fe := range validateSafely(&s, d.present) {
		if len(errs) >= maxErrors {
			break
		}
		if !followsFrom(fe, structural) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return nil, d.locate(errs)
	}
	s.SortEvents()
	return &s, nil
}

// validateSafely runs the validator on a scenario that may have been read in
// part; should a partly read scenario trip it, only the validation problems are
// lost, never the structural ones.
func validateSafely(s *Scenario, present map[string]bool) (errs Errors) {
	defer func() {
		if recover() != nil {
			errs = nil
		}
	}()
	v := validator{s: s, present: present}
	v.run()
	return v.errs.errs
}

// dependents lists, for a field, the fields whose validation rules read it
// without naming it in their messages (paths as normalize writes them): event
// times are checked against the run's duration, error_rates against
// error_rate.
var dependents = map[string][]string{
	"duration":          {"events[].at", "events[].duration"},
	"origin.error_rate": {"origin.error_rates"},
}

// followsFrom reports whether a validation problem may stem from a field that
// could not be read (broken): the problem is about that field, a field inside
// it or one containing it; its message names the field or the list entry it
// belongs to ("overlaps events[0]", "is not in stream.bitrates_kbps"; paths
// with a dot or an index only); or it is
// a field whose rules depend on the broken one.
func followsFrom(fe *FieldError, broken Errors) bool {
	for _, b := range broken {
		if b.Path == "" {
			continue
		}
		if onOneBranch(fe.Path, b.Path) {
			return true
		}
		for p := b.Path; p != ""; p = parentPath(p) {
			// a qualified path: a bare word ("name") is in messages as a word
			named := strings.ContainsAny(p, ".[") && (p == b.Path || strings.HasSuffix(p, "]"))
			if named && strings.Contains(fe.Msg, p) {
				return true
			}
		}
		for p := b.Path; p != ""; p = parentPath(p) {
			for _, dep := range dependents[normalize(p)] {
				if onOneBranch(normalize(fe.Path), dep) {
					return true
				}
			}
		}
	}
	return false
}

// onOneBranch reports whether one path is the other or lies inside it:
// "clients.cohorts" and "clients.cohorts[1].share" do, "origin.error_rate" and
// "origin.error_rates" do not.
func onOneBranch(a, b string) bool {
	inside := func(x, y string) bool {
		return x == y || (strings.HasPrefix(x, y) && (x[len(y)] == '.' || x[len(y)] == '['))
	}
	return a != "" && (inside(a, b) || inside(b, a))
}

// checkDirective accepts the directives a scenario may start with: %YAML (the parser
// accepts only 1.x) and %TAG. It returns what is wrong with another.
func checkDirective(d *ast.DirectiveNode) string {
	name := ""
	if d.Name != nil {
		name = d.Name.String()
	}
	if name != "YAML" && name != "TAG" {
		return fmt.Sprintf("unknown directive %%%s (a scenario may start with %%YAML 1.x or %%TAG)", Printable(name))
	}
	return ""
}

// countKeys counts the "key:" pairs of a token stream, in all and in the
// largest single mapping (approximately: block mappings are told apart by
// the key's column, flow mappings by their braces), and the line where that
// mapping starts.
func countKeys(tokens token.Tokens) (total, widest, line int) {
	type open struct{ col, keys, line int }
	var block []open // block mappings by key column, innermost last
	var flow []*open // flow mappings, innermost last
	note := func(o *open) {
		if o.keys > widest {
			widest, line = o.keys, o.line
		}
	}
	for _, tk := range tokens {
		if tk == nil || tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.MappingStartType:
			flow = append(flow, &open{line: tk.Position.Line})
		case token.MappingEndType:
			if n := len(flow); n > 0 {
				flow = flow[:n-1]
			}
		case token.SequenceEntryType:
			col := tk.Position.Column
			for len(block) > 0 && block[len(block)-1].col > col {
				block = block[:len(block)-1]
			}
		case token.MappingValueType:
			total++
			if n := len(flow); n > 0 {
				flow[n-1].keys++
				note(flow[n-1])
				continue
			}
			col := tk.Position.Column
			if tk.Prev != nil && tk.Prev.Position != nil {
				col = tk.Prev.Position.Column
			}
			for len(block) > 0 && block[len(block)-1].col > col {
				block = block[:len(block)-1]
			}
			if n := len(block); n > 0 && block[n-1].col == col {
				block[n-1].keys++
			} else {
				block = append(block, open{col: col, keys: 1, line: tk.Position.Line})
			}
			note(&block[len(block)-1])
		}
	}
	return total, widest, line
}

// applyDefaults fills what depends on what the file gave: the name from the
// file name, cohort names and even shares, event defaults.
func (d *decoder) applyDefaults(s *Scenario) {
	if !d.present["name"] {
		base := filepath.Base(d.file)
		s.Name = strings.TrimSuffix(base, filepath.Ext(base))
		if s.Name == "" || s.Name == "." || len(s.Name) > maxName {
			s.Name = "scenario"
		}
	}
	if d.present["clients.cohorts"] {
		anyShare := false
		for i := range s.Clients.Cohorts {
			if d.present[fmt.Sprintf("clients.cohorts[%d].share", i)] {
				anyShare = true
			}
		}
		for i := range s.Clients.Cohorts {
			c := &s.Clients.Cohorts[i]
			if !d.present[fmt.Sprintf("clients.cohorts[%d].name", i)] {
				c.Name = "cohort" + strconv.Itoa(i+1)
			}
			if !anyShare {
				c.Share = 1 / float64(len(s.Clients.Cohorts))
			}
		}
	}
	if len(s.Events) == 0 {
		s.Events = nil
	}
	if len(s.Origin.ErrorRates) == 0 {
		s.Origin.ErrorRates = nil
	}
	for i := range s.Events {
		e := &s.Events[i]
		if e.Kind == KindOutage && e.Mode == ModeStatus && !d.present[fmt.Sprintf("events[%d].status", i)] {
			e.Status = DefaultStatus
		}
		if e.Kind == KindErrorBurst && !d.present[fmt.Sprintf("events[%d].status", i)] {
			e.Status = DefaultStatus
		}
		if e.Kind == KindOutage && e.Mode == "" {
			e.Mode = ModeRefused
		}
		if e.Caption == "" && e.Kind.Valid() {
			e.Caption = DefaultCaption(*e)
		}
	}
}

// locate adds the file name and, where the field (or a parent) was in the
// file, its line and column.
func (d *decoder) locate(errs Errors) Errors {
	for _, e := range errs {
		e.File = d.file
		if e.Line != 0 {
			continue
		}
		for p := e.Path; p != ""; p = parentPath(p) {
			if lc, ok := d.pos[p]; ok {
				e.Line, e.Column = lc[0], lc[1]
				break
			}
		}
	}
	// In file order; problems of the whole file (no line) first.
	sort.SliceStable(errs, func(a, b int) bool {
		if errs[a].Line != errs[b].Line {
			return errs[a].Line < errs[b].Line
		}
		return errs[a].Column < errs[b].Column
	})
	return errs
}

// parentPath drops the last element of a path: "a.b[2]" -> "a.b" -> "a" -> "".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// jsonSyntax checks data as strict JSON and reports where it is broken.
func jsonSyntax(data []byte) (line, col int, msg string, bad bool) {
	var v json.RawMessage // checks the syntax only: 1e400 is a JSON number too
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&v)
	if err == nil {
		end := int(dec.InputOffset())
		rest := bytes.TrimLeft(data[end:], " \t\r\n")
		if len(rest) == 0 {
			return 0, 0, "", false
		}
		line, col = offsetPos(data, int64(len(data)-len(rest)))
		return line, col, "unexpected data after the top-level value", true
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col = offsetPos(data, se.Offset-1) // Offset counts the bytes read, the bad one included
		return line, col, se.Error(), true
	}
	line, col = offsetPos(data, int64(len(data)))
	return line, col, err.Error(), true
}

// offsetPos converts a 0-based byte index to a 1-based line and column.
func offsetPos(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// decoder walks the YAML tree into a Scenario, recording which fields the
// file gave and where.
type decoder struct {
	file    string
	present map[string]bool
	pos     map[string][2]int
	anchors map[string]ast.Node
	errs    errorList
	section *section // a top-level key that is not the scenario's (section.go); nil for none
}

func (d *decoder) errAt(n ast.Node, path, format string, args ...any) {
	line, col := nodePos(n)
	d.errs.add(&FieldError{File: d.file, Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func nodePos(n ast.Node) (int, int) {
	if n == nil {
		return 0, 0
	}
	if rv := reflect.ValueOf(n); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return 0, 0
	}
	return tokenPos(n.GetToken())
}

func tokenPos(tk *token.Token) (int, int) {
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

var (
	durationType = reflect.TypeOf(Duration(0))
	rangeType    = reflect.TypeOf(Range{})
)

// resolve follows anchors and aliases; it returns nil after reporting a
// problem.
func (d *decoder) resolve(n ast.Node, path string) ast.Node {
	for range 8 {
		switch t := n.(type) {
		case *ast.AnchorNode:
			if t.Name != nil && t.Name.GetToken() != nil {
				d.anchors[t.Name.GetToken().Value] = t.Value
			}
			n = t.Value
		case *ast.AliasNode:
			name := ""
			if t.Value != nil && t.Value.GetToken() != nil {
				name = t.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				d.errAt(t, path, "alias *%s refers to no anchor defined before it", visible(shortText(name)))
				return nil
			}
			n = target
		case *ast.TagNode:
			d.errAt(t, path, "YAML tags such as %s are not supported; write the plain value", visible(shortText(tagName(t))))
			return nil
		default:
			return n
		}
	}
	d.errAt(n, path, "anchors and aliases nest too deeply")
	return nil
}

func tagName(t *ast.TagNode) string {
	if t.Start != nil {
		return t.Start.Value
	}
	return "!tag"
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

func (d *decoder) decode(n ast.Node, rv reflect.Value, path string) {
	if isNull(n) {
		return // null (or an empty value) keeps the default
	}
	if n = d.resolve(n, path); n == nil || isNull(n) {
		return
	}
	switch rv.Type() {
	case durationType:
		d.decodeDuration(n, rv, path)
		return
	case rangeType:
		d.decodeRange(n, rv, path)
		return
	}
	switch rv.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, rv, path)
	case reflect.Slice:
		d.decodeSlice(n, rv, path)
	case reflect.Map:
		d.decodeStatusMap(n, rv, path)
	case reflect.Pointer:
		text, plain := plainText(n)
		v, err := parseBool(text)
		if _, isBool := n.(*ast.BoolNode); isBool && err != nil {
			d.errAt(n, path, "expects true or false (in lower case), got %s", visible(shortText(text)))
			return
		}
		if !plain || err != nil {
			d.typeError(n, path, "true or false")
			return
		}
		rv.Set(reflect.ValueOf(&v))
	case reflect.Int:
		i, ok := d.intValue(n, path)
		if ok {
			rv.SetInt(i)
		}
	case reflect.Uint64:
		d.decodeUint(n, rv, path)
	case reflect.Float64:
		if f, ok := d.floatValue(n, path); ok {
			rv.SetFloat(f)
		}
	case reflect.String:
		if s, ok := stringValue(n); ok {
			rv.SetString(s)
		} else {
			hint := ""
			if _, scalar := n.(ast.ScalarNode); scalar {
				hint = " (quote it)"
			}
			d.typeError(n, path, "a string"+hint)
		}
	default:
		d.errAt(n, path, "cannot be decoded (internal: kind %s)", rv.Kind())
	}
}

func stringValue(n ast.Node) (string, bool) {
	switch t := n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		if t.Value != nil {
			return t.Value.Value, true
		}
	}
	return "", false
}

// typeError reports a value of the wrong type.
func (d *decoder) typeError(n ast.Node, path, want string) {
	if allowed := allowedText(path); allowed != "" {
		want += " in " + allowed
	}
	d.errAt(n, path, "expects %s, got %s", want, DescribeNode(n))
}

// DescribeNode names a YAML node's type and value for messages, as every
// error of the scenario parser (and of files that embed a scenario) does:
// "the string \"abc\"", "the number 12", "a list", "a mapping".
func DescribeNode(n ast.Node) string {
	switch t := n.(type) {
	case *ast.StringNode:
		return "the string " + quoteShort(t.Value)
	case *ast.LiteralNode:
		return "a text block"
	case *ast.IntegerNode, *ast.FloatNode:
		return "the number " + shortText(n.GetToken().Value)
	case *ast.InfinityNode, *ast.NanNode:
		return "the number " + shortText(n.GetToken().Value)
	case *ast.BoolNode:
		return "the boolean " + strconv.FormatBool(t.Value)
	case *ast.SequenceNode:
		return "a list"
	case ast.MapNode:
		return "a mapping"
	}
	return "a " + strings.ToLower(n.Type().String())
}

func quoteShort(s string) string { return strconv.Quote(shortText(s)) }

// shortText cuts s to about 40 bytes, at a character boundary.
func shortText(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// plainText returns the text of an unquoted scalar (a number, a boolean or
// a plain word), which the number and boolean rules (number.go) read.
// Quoted strings and text blocks are text, never numbers.
func plainText(n ast.Node) (string, bool) {
	tk := n.GetToken()
	if tk == nil {
		return "", false
	}
	switch t := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode, *ast.BoolNode:
		return tk.Value, true
	case *ast.StringNode:
		if tk.Type == token.StringType {
			return t.Value, true
		}
	}
	return "", false
}

// numberError reports a number the rule refuses, naming the allowed values
// (or what the field takes when it has no range).
func (d *decoder) numberError(n ast.Node, path, text string, err error, takes string) {
	allowed := orText(allowedText(path), takes)
	if errors.Is(err, errOutOfRange) {
		d.errAt(n, path, "%s is out of range %s", visible(shortText(text)), allowed)
		return
	}
	d.errAt(n, path, "%s %s; allowed %s", visible(shortText(text)), err, allowed)
}

func (d *decoder) intValue(n ast.Node, path string) (int64, bool) {
	text, plain := plainText(n)
	if !plain || !isNumberText(text) {
		d.typeError(n, path, "an integer")
		return 0, false
	}
	i, err := parseInt(text)
	if err != nil {
		d.numberError(n, path, text, err, "integers")
		return 0, false
	}
	return int64(i), true
}

func orText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (d *decoder) decodeUint(n ast.Node, rv reflect.Value, path string) {
	const rangeText = "0..18446744073709551615"
	text, plain := plainText(n)
	if !plain || !isNumberText(text) {
		d.typeError(n, path, "an integer in "+rangeText)
		return
	}
	u, err := parseUint(text)
	if err != nil {
		d.numberError(n, path, text, err, rangeText)
		return
	}
	rv.SetUint(u)
}

func (d *decoder) floatValue(n ast.Node, path string) (float64, bool) {
	text, plain := plainText(n)
	if !plain || !isNumberText(text) {
		d.typeError(n, path, "a number")
		return 0, false
	}
	f, err := parseNumber(text)
	if err != nil {
		d.numberError(n, path, text, err, "finite numbers")
		return 0, false
	}
	return f, true
}

func (d *decoder) decodeDuration(n ast.Node, rv reflect.Value, path string) {
	var (
		v   Duration
		err error
	)
	if s, ok := stringValue(n); ok {
		v, err = ParseDuration(s)
	} else if text, plain := plainText(n); plain && isNumberText(text) {
		v, err = ParseDuration(text)
	} else {
		d.typeError(n, path, "a duration such as 250ms, 2s, 10m, 1h30m or a number of seconds")
		return
	}
	if err != nil {
		msg := err.Error()
		if allowed := allowedText(path); allowed != "" {
			msg += "; allowed " + allowed
		}
		d.errAt(n, path, "%s", msg)
		return
	}
	rv.SetInt(int64(v))
}

func (d *decoder) decodeRange(n ast.Node, rv reflect.Value, path string) {
	const want = "a number, [min, max] or {min: .., max: ..}"
	if text, plain := plainText(n); plain && isNumberText(text) {
		if f, ok := d.floatValue(n, path); ok {
			rv.Set(reflect.ValueOf(Range{f, f}))
		}
		return
	}
	switch t := n.(type) {
	case *ast.SequenceNode:
		if len(t.Values) != 2 {
			d.errAt(n, path, "expects [min, max], got a list of %d", len(t.Values))
			return
		}
		var r [2]float64
		for i, item := range t.Values {
			item = d.resolve(item, path)
			if item == nil {
				return
			}
			f, ok := d.floatValue(item, path)
			if !ok {
				return
			}
			r[i] = f
		}
		rv.Set(reflect.ValueOf(Range{r[0], r[1]}))
	case ast.MapNode:
		before := len(d.errs.errs)
		var r Range
		d.decodeStruct(n, reflect.ValueOf(&r).Elem(), path)
		if len(d.errs.errs) > before {
			return
		}
		for _, k := range []string{"min", "max"} {
			if !d.present[path+"."+k] {
				d.errAt(n, path, "missing %s; a range needs both min and max", k)
				return
			}
		}
		rv.Set(reflect.ValueOf(r))
	default:
		d.typeError(n, path, want)
	}
}

// fieldInfo maps a struct's YAML keys to field indices.
type fieldInfo struct {
	index map[string]int
	keys  []string
}

var fieldCache sync.Map // reflect.Type -> *fieldInfo

func fieldsOf(t reflect.Type) *fieldInfo {
	if fi, ok := fieldCache.Load(t); ok {
		return fi.(*fieldInfo)
	}
	fi := &fieldInfo{index: map[string]int{}}
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		fi.index[name] = i
		fi.keys = append(fi.keys, name)
	}
	fieldCache.Store(t, fi)
	return fi
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func (d *decoder) mapKey(k ast.MapKeyNode) (string, bool) {
	switch t := k.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode:
		return t.GetToken().Value, true
	}
	return "", false
}

func (d *decoder) decodeStruct(n ast.Node, rv reflect.Value, path string) {
	m, ok := n.(ast.MapNode)
	if !ok {
		d.typeError(n, path, "a mapping of keys ("+strings.Join(fieldsOf(rv.Type()).keys, ", ")+")")
		return
	}
	fi := fieldsOf(rv.Type())
	seen := map[string]int{}
	it := m.MapRange()
	for it.Next() {
		if d.errs.full() {
			return
		}
		kv := it.KeyValue()
		if kv == nil {
			continue
		}
		keyNode := kv.Key
		if _, merge := keyNode.(*ast.MergeKeyNode); merge {
			d.errAt(keyNode, path, "merge keys (<<) are not supported; write the keys out")
			continue
		}
		key, ok := d.mapKey(keyNode)
		if !ok {
			d.errAt(keyNode, path, "keys must be plain words (%s)", strings.Join(fi.keys, ", "))
			continue
		}
		// Known keys are plain words; an unknown one is shown quoted when it
		// holds invisible characters ("\ufeffname").
		p := joinPath(path, visible(key))
		line, col := nodePos(keyNode)
		if prev, dup := seen[key]; dup {
			d.errAt(keyNode, p, "duplicate key (first given on line %d)", prev)
			continue
		}
		seen[key] = line
		if path == "" && d.section.takes(key) {
			d.section.key, d.section.value = keyNode, kv.Value
			continue
		}
		idx, known := fi.index[key]
		if !known {
			where := "the top level"
			if path != "" {
				where = path
			}
			d.errAt(keyNode, p, "unknown key; %s takes %s", where, strings.Join(fi.keys, ", "))
			continue
		}
		d.present[p] = true
		d.pos[p] = [2]int{line, col}
		if _, scalar := kv.Value.(ast.ScalarNode); scalar && !isNull(kv.Value) {
			// Point at the value itself: "count: 0" reports the 0.
			if vl, vc := nodePos(kv.Value); vl == line {
				d.pos[p] = [2]int{vl, vc}
			}
		}
		d.decode(kv.Value, rv.Field(idx), p)
	}
}

// listLimit is the most entries a list field may hold.
func listLimit(path string) int {
	switch normalize(path) {
	case "stream.bitrates_kbps":
		return maxLadder
	case "clients.cohorts":
		return maxCohorts
	}
	return maxEvents
}

func (d *decoder) decodeSlice(n ast.Node, rv reflect.Value, path string) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.typeError(n, path, "a list")
		return
	}
	if limit := listLimit(path); len(seq.Values) > limit {
		d.errAt(n, path, "has %d entries, at most %d allowed", len(seq.Values), limit)
		return
	}
	out := reflect.MakeSlice(rv.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		if d.errs.full() {
			return
		}
		p := fmt.Sprintf("%s[%d]", path, i)
		elem := out.Index(i)
		if elem.Type() == reflect.TypeOf(Cohort{}) {
			elem.Set(reflect.ValueOf(defaultCohort("", 0)))
		}
		line, col := nodePos(item)
		d.pos[p] = [2]int{line, col}
		d.present[p] = true
		d.decode(item, elem, p)
	}
	rv.Set(out)
}

// decodeStatusMap reads origin.error_rates: HTTP status -> share.
func (d *decoder) decodeStatusMap(n ast.Node, rv reflect.Value, path string) {
	m, ok := n.(ast.MapNode)
	if !ok {
		d.typeError(n, path, "a mapping of HTTP status (400..599) to share (0..1)")
		return
	}
	out := reflect.MakeMap(rv.Type())
	seen := map[int]int{}
	it := m.MapRange()
	for it.Next() {
		if d.errs.full() {
			return
		}
		kv := it.KeyValue()
		if kv == nil {
			continue
		}
		key, _ := d.mapKey(kv.Key)
		code, err := strconv.Atoi(key)
		if err != nil || code < 400 || code > 599 {
			d.errAt(kv.Key, path+"."+visible(shortText(key)), "key must be an HTTP status in 400..599")
			continue
		}
		p := path + "." + strconv.Itoa(code)
		line, col := nodePos(kv.Key)
		if prev, dup := seen[code]; dup {
			d.errAt(kv.Key, p, "duplicate key (first given on line %d)", prev)
			continue
		}
		seen[code] = line
		d.present[p] = true
		d.pos[p] = [2]int{line, col}
		if isNull(kv.Value) {
			d.errAt(kv.Value, p, "expects a share in %s, got nothing", allowedText(p))
			continue
		}
		v := d.resolve(kv.Value, p)
		if v == nil {
			continue
		}
		if f, ok := d.floatValue(v, p); ok {
			out.SetMapIndex(reflect.ValueOf(code), reflect.ValueOf(f))
		}
	}
	rv.Set(out)
}
