package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Marshal returns the wire form of v (see the package documentation).
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := Encode(&b, reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Unmarshal reads the wire form in data into the value v points to.
func Unmarshal(data []byte, v any) error {
	p := reflect.ValueOf(v)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return fmt.Errorf("wire: Unmarshal needs a non-nil pointer, got %T", v)
	}
	return Decode(data, p.Elem())
}

var (
	durationType  = reflect.TypeFor[time.Duration]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	// HTTP error maps (code -> count, "other" under 0) are written in
	// the form of stats.HTTPErrorCounts: {"503": n, "other": m}.
	httpErrorMapType = reflect.TypeFor[map[int]int64]()
)

// hasOwnJSON reports whether values of t marshal themselves.
func hasOwnJSON(t reflect.Type) bool {
	return t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
}

// Encode appends the JSON form of v to b.
func Encode(b *bytes.Buffer, v reflect.Value) error {
	t := v.Type()
	switch {
	case t == durationType:
		writeFloat(b, time.Duration(v.Int()).Seconds())
		return nil
	case t == httpErrorMapType:
		data, err := stats.HTTPErrorCountsOf(v.Interface().(map[int]int64)).MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(data)
		return nil
	case hasOwnJSON(t):
		if !v.CanAddr() {
			// Pointer-receiver marshalers (HistogramSnapshot) need an address.
			c := reflect.New(t).Elem()
			c.Set(v)
			v = c
		}
		data, err := json.Marshal(v.Addr().Interface())
		if err != nil {
			return err
		}
		b.Write(data)
		return nil
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		writeFloat(b, v.Float())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.Write(strconv.AppendInt(b.AvailableBuffer(), v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.Write(strconv.AppendUint(b.AvailableBuffer(), v.Uint(), 10))
	case reflect.Bool:
		b.Write(strconv.AppendBool(b.AvailableBuffer(), v.Bool()))
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		if err := encodeFields(b, v, &first, nil); err != nil {
			return err
		}
		b.WriteByte('}')
	case reflect.Array, reflect.Slice:
		if t.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("null")
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			data, err := json.Marshal(v.Interface())
			if err != nil {
				return err
			}
			b.Write(data)
			return nil
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := Encode(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return Encode(b, v.Elem())
	default:
		data, err := json.Marshal(v.Interface())
		if err != nil {
			return err
		}
		b.Write(data)
	}
	return nil
}

// EncodeStruct appends the struct v as Encode does, writing null for every field
// (embedded ones included) whose name noValue reports: a figure that has no value in
// this snapshot although its type cannot say so (a duration, a count-based rate).
func EncodeStruct(b *bytes.Buffer, v reflect.Value, noValue func(field string) bool) error {
	if v.Kind() != reflect.Struct {
		return fmt.Errorf("wire: EncodeStruct needs a struct, got %s", v.Type())
	}
	b.WriteByte('{')
	first := true
	if err := encodeFields(b, v, &first, noValue); err != nil {
		return err
	}
	b.WriteByte('}')
	return nil
}

// encodeFields writes the exported fields of struct v, inlining embedded structs;
// fields noValue (may be nil) reports are null.
func encodeFields(b *bytes.Buffer, v reflect.Value, first *bool, noValue func(string) bool) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasOwnJSON(f.Type) {
			if err := encodeFields(b, v.Field(i), first, noValue); err != nil {
				return err
			}
			continue
		}
		if !*first {
			b.WriteByte(',')
		}
		*first = false
		b.WriteString(strconv.Quote(f.Name))
		b.WriteByte(':')
		if noValue != nil && noValue(f.Name) {
			b.WriteString("null")
			continue
		}
		if err := Encode(b, v.Field(i)); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

// writeFloat writes f in the shortest form that reads back exactly; NaN and the
// infinities are null (no value).
func writeFloat(b *bytes.Buffer, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		b.WriteString("null")
		return
	}
	b.Write(strconv.AppendFloat(b.AvailableBuffer(), f, 'g', -1, 64))
}

// Decode reads data (written by Encode) into the settable value v. Unknown
// keys are ignored so that files written by newer versions still load.
func Decode(data []byte, v reflect.Value) error {
	t := v.Type()
	data = bytes.TrimSpace(data)
	isNull := bytes.Equal(data, []byte("null"))
	switch {
	case t == durationType:
		if isNull {
			v.SetInt(0)
			return nil
		}
		var s float64
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("want seconds as a number, got %s", truncate(data))
		}
		d, err := scenario.SecondsToDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	case t == httpErrorMapType:
		var h stats.HTTPErrorCounts
		if !isNull {
			if err := h.UnmarshalJSON(data); err != nil {
				return err
			}
		}
		v.Set(reflect.ValueOf(h.Map()))
		return nil
	case hasOwnJSON(t):
		return json.Unmarshal(data, v.Addr().Interface())
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		if isNull {
			v.SetFloat(math.NaN())
			return nil
		}
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil || !isJSONNumber(data) {
			return fmt.Errorf("want a number, got %s", truncate(data))
		}
		v.SetFloat(f)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(string(data), 10, t.Bits())
		if err != nil {
			return fmt.Errorf("want an integer, got %s", truncate(data))
		}
		v.SetInt(n)
	case reflect.Struct:
		if isNull {
			return nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return fmt.Errorf("want an object, got %s", truncate(data))
		}
		return decodeFields(obj, v)
	case reflect.Array, reflect.Slice:
		if isNull {
			if t.Kind() == reflect.Slice {
				v.SetZero()
			}
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return json.Unmarshal(data, v.Addr().Interface())
		}
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return fmt.Errorf("want an array, got %s", truncate(data))
		}
		if t.Kind() == reflect.Slice {
			v.Set(reflect.MakeSlice(t, len(items), len(items)))
		} else if len(items) > v.Len() {
			return fmt.Errorf("array has %d items, at most %d allowed", len(items), v.Len())
		}
		for i, item := range items {
			if err := Decode(item, v.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	case reflect.Pointer:
		if isNull {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := Decode(data, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
	default:
		return json.Unmarshal(data, v.Addr().Interface())
	}
	return nil
}

func decodeFields(obj map[string]json.RawMessage, v reflect.Value) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasOwnJSON(f.Type) {
			if err := decodeFields(obj, v.Field(i)); err != nil {
				return err
			}
			continue
		}
		raw, ok := obj[f.Name]
		if !ok {
			continue
		}
		if err := Decode(raw, v.Field(i)); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

// isJSONNumber rejects what strconv.ParseFloat accepts but JSON does not (Inf, NaN,
// hex, underscores).
func isJSONNumber(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			return false
		}
	}
	return len(b) > 0
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// Column is one CSV column: a path of field indexes into a struct, or an array index.
type Column struct {
	Name string
	path []step
	typ  reflect.Type
}

type step struct {
	field int // field index, or -1 for an array element
	index int
}

// Columns lists the CSV columns of struct type t: scalar fields by Go name, nested
// structs as Parent.Child, fixed arrays of scalars as Name[i], anything with its own
// JSON form as one cell holding that JSON. Slices and maps are left out.
func Columns(t reflect.Type) []Column {
	var cols []Column
	var walk func(t reflect.Type, prefix string, path []step)
	walk = func(t reflect.Type, prefix string, path []step) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			p := append(append([]step(nil), path...), step{field: i})
			name := prefix + f.Name
			if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasOwnJSON(f.Type) {
				walk(f.Type, prefix, p)
				continue
			}
			addColumn(&cols, f.Type, name, p, walk)
		}
	}
	walk(t, "", nil)
	return cols
}

func addColumn(cols *[]Column, t reflect.Type, name string, p []step, walk func(reflect.Type, string, []step)) {
	switch {
	case t == durationType || hasOwnJSON(t):
		*cols = append(*cols, Column{Name: name, path: p, typ: t})
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		walk(t, name+".", p)
	case reflect.Array:
		if t.Len() > 64 {
			return
		}
		for j := 0; j < t.Len(); j++ {
			q := append(append([]step(nil), p...), step{field: -1, index: j})
			addColumn(cols, t.Elem(), fmt.Sprintf("%s[%d]", name, j), q, walk)
		}
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
	default:
		*cols = append(*cols, Column{Name: name, path: p, typ: t})
	}
}

// Cell formats the value of column c in struct v.
func (c Column) Cell(v reflect.Value) (string, error) {
	for _, s := range c.path {
		if s.field >= 0 {
			v = v.Field(s.field)
		} else {
			v = v.Index(s.index)
		}
	}
	t := v.Type()
	switch {
	case t == durationType:
		return strconv.FormatFloat(time.Duration(v.Int()).Seconds(), 'g', -1, 64), nil
	case hasOwnJSON(t):
		var b bytes.Buffer
		if err := Encode(&b, v); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", nil
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.String:
		return v.String(), nil
	}
	return fmt.Sprint(v.Interface()), nil
}
