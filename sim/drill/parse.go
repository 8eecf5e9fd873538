package drill

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
)

// Section is the top-level key of a drill file that holds the drill.
const Section = "drill"

// Limits of the drill section's fields.
const (
	MinChoices     = 3
	MaxChoices     = 5
	maxQuestion    = 300
	maxChoice      = 200
	maxExplanation = 2000
	maxMargin      = 1e12
	// MaxClients and MaxDuration bound a drill's scenario: a trainee watches
	// it in a browser (which holds at most 100 000 clients), and validate runs
	// it twice.
	MaxClients  = 100_000
	MaxDuration = time.Hour
)

// Load reads and parses a drill file (at most scenario.MaxFileBytes).
func Load(path string) (*Drill, error) {
	data, err := scenario.ReadLimited(path, scenario.MaxFileBytes)
	if err != nil {
		var tl *scenario.TooLargeError
		if errors.As(err, &tl) {
			return nil, scenario.Errors{{File: path, Msg: tl.Msg()}}
		}
		return nil, fmt.Errorf("drill %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse reads a drill file: a scenario (read by sim/scenario, with its rules
// and messages) and a top-level drill section, read as strictly. Every
// problem of both parts comes back in one scenario.Errors value, in file
// order, each naming the file, line, column, field and allowed range.
func Parse(name string, data []byte) (d *Drill, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, scenario.Errors{{File: name, Msg: fmt.Sprintf("cannot read the file: %v", r)}}
		}
	}()
	return parse(name, data)
}

func parse(name string, data []byte) (*Drill, error) {
	sc, key, value, err := scenario.ParseWithSection(name, data, Section)
	var errs scenario.Errors
	if err != nil {
		if !errors.As(err, &errs) {
			return nil, err
		}
		if key == nil {
			return nil, err // not readable as YAML, or no drill part to check
		}
	}
	dec := &decoder{file: name}
	d := &Drill{Scenario: sc, file: name}
	if key == nil {
		dec.errAt(nil, "", "no drill section; a drill file is a scenario with a top-level drill: mapping (question, choices, answer, explanation, evidence)")
	} else {
		dec.drill(value, d)
		if sc != nil && len(dec.errs) == 0 {
			dec.cross(d, key, value)
		}
	}
	errs = append(errs, dec.errs...)
	if len(errs) > 0 {
		sort.SliceStable(errs, func(a, b int) bool {
			if errs[a].Line != errs[b].Line {
				return errs[a].Line < errs[b].Line
			}
			return errs[a].Column < errs[b].Column
		})
		return nil, errs
	}
	return d, nil
}

// decoder reads the drill section's nodes, collecting located problems.
type decoder struct {
	file string
	errs scenario.Errors
}

func (dec *decoder) errAt(n ast.Node, path, format string, args ...any) {
	line, col := nodePos(n)
	dec.errs = append(dec.errs, &scenario.FieldError{File: dec.file, Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func nodePos(n ast.Node) (int, int) {
	if n == nil {
		return 0, 0
	}
	if rv := reflect.ValueOf(n); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return 0, 0
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// field is one key of a mapping as given.
type field struct {
	key, value ast.Node
}

// mapping reads a mapping with the given keys, refusing unknown and duplicate
// keys, tags, anchors, aliases and merge keys; missing required keys are
// reported at the mapping.
func (dec *decoder) mapping(n ast.Node, path string, keys []string, required []string) (map[string]field, bool) {
	where := path
	if !dec.plain(n, path) {
		return nil, false
	}
	m, ok := n.(ast.MapNode)
	if !ok {
		dec.errAt(n, path, "expects a mapping of keys (%s), got %s", strings.Join(keys, ", "), scenario.DescribeNode(n))
		return nil, false
	}
	out := map[string]field{}
	it := m.MapRange()
	for it.Next() {
		kv := it.KeyValue()
		if kv == nil {
			continue
		}
		if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
			dec.errAt(kv.Key, path, "merge keys (<<) are not supported; write the keys out")
			continue
		}
		k, ok := kv.Key.(*ast.StringNode)
		if !ok {
			dec.errAt(kv.Key, path, "keys must be plain words (%s)", strings.Join(keys, ", "))
			continue
		}
		p := path + "." + visible(k.Value)
		if prev, dup := out[k.Value]; dup {
			line, _ := nodePos(prev.key)
			dec.errAt(kv.Key, p, "duplicate key (first given on line %d)", line)
			continue
		}
		if !containsString(keys, k.Value) {
			dec.errAt(kv.Key, p, "unknown key; %s takes %s", where, strings.Join(keys, ", "))
			continue
		}
		out[k.Value] = field{kv.Key, kv.Value}
	}
	for _, r := range required {
		if f, ok := out[r]; !ok || isNull(f.value) {
			at := n
			if mn, block := n.(*ast.MappingNode); block && !mn.IsFlowStyle && len(mn.Values) > 0 {
				at = mn.Values[0].Key // a block mapping's node is its first colon
			}
			if ok {
				at = f.key
			}
			dec.errAt(at, path+"."+r, "missing; %s needs %s", path, strings.Join(required, ", "))
		}
	}
	return out, true
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// plain refuses anchors, aliases and tags in the drill section.
func (dec *decoder) plain(n ast.Node, path string) bool {
	switch n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		dec.errAt(n, path, "anchors and aliases are not supported in the drill section; write the value out")
		return false
	case *ast.TagNode:
		dec.errAt(n, path, "YAML tags are not supported; write the plain value")
		return false
	}
	return true
}

// text reads a string of 1..limit characters; oneLine refuses line breaks.
func (dec *decoder) text(n ast.Node, path string, limit int, oneLine bool) (string, bool) {
	if !dec.plain(n, path) {
		return "", false
	}
	var s string
	switch t := n.(type) {
	case *ast.StringNode:
		s = t.Value
	case *ast.LiteralNode:
		if t.Value == nil {
			return "", false
		}
		s = t.Value.Value
	default:
		dec.errAt(n, path, "expects text of 1..%d characters, got %s", limit, scenario.DescribeNode(n))
		return "", false
	}
	s = strings.TrimSpace(s)
	switch runes := len([]rune(s)); {
	case runes == 0:
		dec.errAt(n, path, "is empty; allowed 1..%d characters", limit)
		return "", false
	case runes > limit:
		dec.errAt(n, path, "has %d characters, at most %d allowed", runes, limit)
		return "", false
	}
	if oneLine && strings.ContainsAny(s, "\r\n") {
		dec.errAt(n, path, "must be one line")
		return "", false
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && !strconv.IsPrint(r) }) {
		dec.errAt(n, path, "holds control or invisible characters: %s", strconv.Quote(short(s)))
		return "", false
	}
	return s, true
}

var numberRE = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// number reads a plain decimal number.
func (dec *decoder) number(n ast.Node, path, allowed string) (float64, bool) {
	if !dec.plain(n, path) {
		return 0, false
	}
	text := ""
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		text = n.GetToken().Value
	case *ast.StringNode:
		if tk := n.GetToken(); tk != nil && tk.Type == token.StringType {
			text = tk.Value
		}
	}
	if text == "" {
		dec.errAt(n, path, "expects a number in %s, got %s", allowed, scenario.DescribeNode(n))
		return 0, false
	}
	if len(text) > 1 && (text[0] == '0' && text[1] >= '0' && text[1] <= '9') || !numberRE.MatchString(text) {
		dec.errAt(n, path, "%s is not a decimal number; allowed %s", visible(short(text)), allowed)
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		dec.errAt(n, path, "%s is out of range %s", visible(short(text)), allowed)
		return 0, false
	}
	return f, true
}

// integer reads a whole number in lo..hi.
func (dec *decoder) integer(n ast.Node, path string, lo, hi int) (int, bool) {
	allowed := fmt.Sprintf("%d..%d", lo, hi)
	f, ok := dec.number(n, path, allowed)
	if !ok {
		return 0, false
	}
	if f != math.Trunc(f) {
		dec.errAt(n, path, "%s is not a whole number; allowed %s", n.GetToken().Value, allowed)
		return 0, false
	}
	if f < float64(lo) || f > float64(hi) {
		dec.errAt(n, path, "%s is out of range %s", n.GetToken().Value, allowed)
		return 0, false
	}
	return int(f), true
}

// duration reads a duration ("90s", "1m30s") or a number of seconds, at least 0.
func (dec *decoder) duration(n ast.Node, path string) (time.Duration, bool) {
	if !dec.plain(n, path) {
		return 0, false
	}
	text := ""
	switch t := n.(type) {
	case *ast.StringNode:
		text = t.Value
	case *ast.IntegerNode, *ast.FloatNode:
		text = n.GetToken().Value
	default:
		dec.errAt(n, path, "expects a duration such as 90s or 1m30s, got %s", scenario.DescribeNode(n))
		return 0, false
	}
	v, err := scenario.ParseDuration(text)
	if err != nil {
		dec.errAt(n, path, "%s", err)
		return 0, false
	}
	if v < 0 {
		dec.errAt(n, path, "%s is negative; a time in the run is at least 0s", v)
		return 0, false
	}
	return v.D(), true
}

// choices reads a list of lo..hi different one-line texts.
func (dec *decoder) choices(n ast.Node, path string, lo, hi int) ([]string, bool) {
	if !dec.plain(n, path) {
		return nil, false
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		dec.errAt(n, path, "expects a list of %d..%d choices, got %s", lo, hi, scenario.DescribeNode(n))
		return nil, false
	}
	if len(seq.Values) < lo || len(seq.Values) > hi {
		dec.errAt(n, path, "has %d choices; allowed %d..%d", len(seq.Values), lo, hi)
		return nil, false
	}
	out := make([]string, 0, len(seq.Values))
	good := true
	for i, v := range seq.Values {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, ok := dec.text(v, p, maxChoice, true)
		if !ok {
			good = false
			continue
		}
		for j, prev := range out {
			if strings.EqualFold(prev, s) {
				dec.errAt(v, p, "repeats %s[%d]; choices differ", path, j)
				good = false
			}
		}
		out = append(out, s)
	}
	return out, good
}

// drill reads the drill section.
func (dec *decoder) drill(n ast.Node, d *Drill) {
	const path = Section
	keys := []string{"question", "choices", "answer", "explanation", "evidence", "start", "followup", "difficulty"}
	fs, ok := dec.mapping(n, path, keys, []string{"question", "choices", "answer", "explanation", "evidence", "difficulty"})
	if !ok {
		return
	}
	if f, ok := fs["question"]; ok && !isNull(f.value) {
		d.Question, _ = dec.text(f.value, path+".question", maxQuestion, true)
	}
	choicesOK := false
	if f, ok := fs["choices"]; ok && !isNull(f.value) {
		d.Choices, choicesOK = dec.choices(f.value, path+".choices", MinChoices, MaxChoices)
	}
	if f, ok := fs["answer"]; ok && !isNull(f.value) {
		hi := MaxChoices
		if choicesOK {
			hi = len(d.Choices)
		}
		d.Answer, _ = dec.integer(f.value, path+".answer", 1, hi)
	}
	if f, ok := fs["explanation"]; ok && !isNull(f.value) {
		d.Explanation, _ = dec.text(f.value, path+".explanation", maxExplanation, false)
	}
	if f, ok := fs["difficulty"]; ok && !isNull(f.value) {
		d.Difficulty, _ = dec.integer(f.value, path+".difficulty", 1, 5)
	}
	if f, ok := fs["start"]; ok && !isNull(f.value) {
		if v, ok := dec.duration(f.value, path+".start"); ok {
			if v == 0 {
				dec.errAt(f.value, path+".start", "0s is out of range (0s, run duration); leave start out to use the first event's start")
			}
			d.StartAt = v
		}
	}
	if f, ok := fs["evidence"]; ok && !isNull(f.value) {
		d.evidencePos[0], d.evidencePos[1] = nodePos(f.key)
		dec.evidence(f.value, path+".evidence", &d.Evidence)
	}
	if f, ok := fs["followup"]; ok && !isNull(f.value) {
		d.Followup = &Followup{}
		dec.followup(f.value, path+".followup", d.Followup)
	}
}

func (dec *decoder) evidence(n ast.Node, path string, ev *Evidence) {
	fs, ok := dec.mapping(n, path, []string{"metric", "from", "to", "margin", "direction"}, []string{"metric", "from", "to", "margin"})
	if !ok {
		return
	}
	ev.Direction = DirectionEither
	if f, ok := fs["metric"]; ok && !isNull(f.value) {
		if s, ok := dec.text(f.value, path+".metric", 40, true); ok {
			if !IsMetric(s) {
				dec.errAt(f.value, path+".metric", "%s is not a metric; allowed %s", visible(short(s)), strings.Join(Metrics(), ", "))
			} else {
				ev.Metric = s
			}
		}
	}
	var fromOK, toOK bool
	if f, ok := fs["from"]; ok && !isNull(f.value) {
		ev.From, fromOK = dec.duration(f.value, path+".from")
	}
	if f, ok := fs["to"]; ok && !isNull(f.value) {
		ev.To, toOK = dec.duration(f.value, path+".to")
		if fromOK && toOK && ev.To <= ev.From {
			dec.errAt(f.value, path+".to", "%s is not after from (%s); the window is (from, to]", scenario.Duration(ev.To), scenario.Duration(ev.From))
		}
	}
	if f, ok := fs["margin"]; ok && !isNull(f.value) {
		allowed := fmt.Sprintf("(0, %g]", maxMargin)
		if v, ok := dec.number(f.value, path+".margin", allowed); ok {
			if v <= 0 || v > maxMargin {
				dec.errAt(f.value, path+".margin", "%s is out of range %s", f.value.GetToken().Value, allowed)
			}
			ev.Margin = v
		}
	}
	if f, ok := fs["direction"]; ok && !isNull(f.value) {
		if s, ok := dec.text(f.value, path+".direction", 10, true); ok {
			switch s {
			case DirectionUp, DirectionDown, DirectionEither:
				ev.Direction = s
			default:
				dec.errAt(f.value, path+".direction", "%s is not a direction; allowed up, down, either", visible(short(s)))
			}
		}
	}
}

func (dec *decoder) followup(n ast.Node, path string, fu *Followup) {
	fs, ok := dec.mapping(n, path, []string{"question", "choices", "answer"}, []string{"question", "choices", "answer"})
	if !ok {
		return
	}
	if f, ok := fs["question"]; ok && !isNull(f.value) {
		fu.Question, _ = dec.text(f.value, path+".question", maxQuestion, true)
	}
	choicesOK := false
	if f, ok := fs["choices"]; ok && !isNull(f.value) {
		fu.Choices, choicesOK = dec.choices(f.value, path+".choices", 2, MaxChoices)
	}
	if f, ok := fs["answer"]; ok && !isNull(f.value) {
		hi := MaxChoices
		if choicesOK {
			hi = len(fu.Choices)
		}
		fu.Answer, _ = dec.integer(f.value, path+".answer", 1, hi)
	}
}

// cross checks the drill against its scenario.
func (dec *decoder) cross(d *Drill, key, section ast.Node) {
	dur := d.Scenario.Duration.D()
	if dur > MaxDuration {
		dec.errAt(key, "duration", "%s is too long for a drill; a drill runs at most %s", d.Scenario.Duration, scenario.Duration(MaxDuration))
	}
	clients := d.Scenario.Clients.Count
	for i := range d.Scenario.Events {
		clients += d.Scenario.Events[i].MaxNewClients()
	}
	if clients > MaxClients {
		dec.errAt(key, "clients.count", "%d clients in all (with those events add) are too many for a drill; a drill has at most %d", clients, MaxClients)
	}
	fs, _ := dec.mapping(section, Section, []string{"question", "choices", "answer", "explanation", "evidence", "start", "followup", "difficulty"}, nil)
	at := func(key string) ast.Node {
		if f, ok := fs[key]; ok {
			return f.value
		}
		return section
	}
	if d.Evidence.To > dur {
		dec.errAt(at("evidence"), Section+".evidence.to", "%s is after the end of the run; allowed up to the duration, %s", scenario.Duration(d.Evidence.To), d.Scenario.Duration)
	}
	if d.StartAt > 0 {
		if d.Control() {
			dec.errAt(at("start"), Section+".start", "a control drill (no events) has no fault and no start; leave start out")
		} else if d.StartAt >= dur {
			dec.errAt(at("start"), Section+".start", "%s is at or after the end of the run; allowed (0s, %s)", scenario.Duration(d.StartAt), d.Scenario.Duration)
		}
	}
}

// Metrics lists the metrics evidence may name: the numeric fields of
// engine.Sample but its time T.
func Metrics() []string {
	t := reflect.TypeFor[engine.Sample]()
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int64, reflect.Float64:
			if f.Name != "T" && f.IsExported() {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// IsMetric reports whether name is one of Metrics.
func IsMetric(name string) bool { return containsString(Metrics(), name) }

// MetricValue reads a metric (one of Metrics) of a sample; NaN when the
// sample has no value for it or name is no metric.
func MetricValue(s *engine.Sample, name string) float64 {
	f := reflect.ValueOf(s).Elem().FieldByName(name)
	switch f.Kind() {
	case reflect.Int, reflect.Int64:
		return float64(f.Int())
	case reflect.Float64:
		return f.Float()
	}
	return math.NaN()
}

// visible quotes text with invisible characters or spaces around it.
func visible(s string) string {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsFunc(s, func(r rune) bool { return !strconv.IsPrint(r) || r == '"' }) {
		return strconv.Quote(s)
	}
	return s
}

// short cuts s to about 40 characters.
func short(s string) string {
	r := []rune(s)
	if len(r) <= 40 {
		return s
	}
	return string(r[:40]) + "..."
}

// HasSection reports whether a file's data has a top-level drill key: a drill
// file rather than a plain scenario. Data that cannot be read as YAML has none.
func HasSection(name string, data []byte) bool {
	_, key, _, _ := scenario.ParseWithSection(name, data, Section)
	return key != nil
}
