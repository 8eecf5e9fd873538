package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// maxDurationSeconds bounds a duration written as a number of seconds so that
// the conversion to nanoseconds cannot overflow.
const maxDurationSeconds = 9e9

// ParseDuration reads a duration as a scenario file writes it: a Go duration
// string ("250ms", "2s", "1h30m") or a bare number of seconds ("2", "0.5",
// "1e3"; numbers follow the rule in number.go).
func ParseDuration(text string) (Duration, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, fmt.Errorf("empty duration (use e.g. 250ms, 2s, 10m, 1h30m or a number of seconds)")
	}
	if isNumberText(t) {
		sec, err := parseNumber(t)
		switch {
		case err == nil:
			return secondsToDuration(sec, t)
		case errors.Is(err, errNotFinite) || errors.Is(err, errOutOfRange):
			return 0, fmt.Errorf("%s is not a usable number of seconds", visible(shortText(t)))
		}
		return 0, fmt.Errorf("%s %s (a duration is e.g. 250ms, 2s, 10m, 1h30m or a number of seconds)", visible(shortText(t)), err)
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (use e.g. 250ms, 2s, 10m, 1h30m or a number of seconds)", text)
	}
	return Duration(d), nil
}

// SecondsToDuration converts a number of seconds, as files and exports write
// durations, to a time.Duration rounded to the nanosecond. NaN, infinities
// and magnitudes above 9e9 s (where nanoseconds would overflow) are errors.
// Every reader of seconds in swarmsim converts through it, so that a
// duration read back is the duration written.
func SecondsToDuration(sec float64) (time.Duration, error) {
	if math.IsNaN(sec) || math.IsInf(sec, 0) || math.Abs(sec) > maxDurationSeconds {
		return 0, fmt.Errorf("%v is not a usable number of seconds", sec)
	}
	return time.Duration(math.Round(sec * 1e9)), nil
}

// secondsToDuration is SecondsToDuration with the error naming the text the
// number was read from (a file's "1e400" rather than +Inf).
func secondsToDuration(sec float64, text string) (Duration, error) {
	d, err := SecondsToDuration(sec)
	if err != nil {
		return 0, fmt.Errorf("%s is not a usable number of seconds", text)
	}
	return Duration(d), nil
}

// String writes the duration in its shortest Go form: "2s", "250ms", "10m",
// "1h30m", "0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalYAML writes the duration as a string such as "2s".
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalText writes the duration as a string such as "2s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a duration string or a bare number of seconds.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the duration as a JSON string such as "2s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a JSON string ("2s") or a number of seconds (2, 0.5).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return d.UnmarshalText([]byte(s))
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("duration must be a string such as \"2s\" or a number of seconds, got %s", b)
	}
	v, err := secondsToDuration(f, string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalJSON reads a number (both ends), a pair [min, max] or an object
// {"min": .., "max": ..}.
func (r *Range) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*r = Range{f, f}
		return nil
	}
	var pair []float64
	if err := json.Unmarshal(b, &pair); err == nil {
		if len(pair) != 2 {
			return fmt.Errorf("range must be [min, max], got %d numbers", len(pair))
		}
		*r = Range{pair[0], pair[1]}
		return nil
	}
	var obj struct {
		Min *float64 `json:"min"`
		Max *float64 `json:"max"`
	}
	if err := json.Unmarshal(b, &obj); err != nil || obj.Min == nil || obj.Max == nil {
		return fmt.Errorf("range must be a number, [min, max] or {\"min\": .., \"max\": ..}, got %s", b)
	}
	*r = Range{*obj.Min, *obj.Max}
	return nil
}
