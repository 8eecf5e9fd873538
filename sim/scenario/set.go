package scenario

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Setting describes one parameter Set accepts.
type Setting struct {
	Key     string   // canonical dotted key, e.g. "clients.count"
	Aliases []string // short names for the same parameter, e.g. "clients"
	Allowed string   // allowed values, e.g. "1..1000000"
}

// settings lists the parameters in documentation order.
var settings = []Setting{
	{Key: "name"},
	{Key: "description"},
	{Key: "seed", Allowed: "0..18446744073709551615"},
	{Key: "duration"},
	{Key: "stream.segment_duration", Aliases: []string{"segment_duration"}},
	{Key: "stream.bitrate_kbps", Aliases: []string{"bitrate"}},
	{Key: "stream.bitrates_kbps", Aliases: []string{"ladder"}},
	{Key: "stream.audio_kbps"},
	{Key: "stream.container", Aliases: []string{"container"}},
	{Key: "stream.playlist_size"},
	{Key: "stream.manifest_bytes"},
	{Key: "stream.size_spread"},
	{Key: "clients.count", Aliases: []string{"clients"}},
	{Key: "clients.ramp_rate", Aliases: []string{"ramp_rate"}},
	{Key: "clients.ramp_jitter"},
	{Key: "clients.reconnect", Aliases: []string{"reconnect"}},
	{Key: "clients.timeout", Aliases: []string{"timeout"}},
	{Key: "clients.segment_retries"},
	{Key: "clients.variant", Aliases: []string{"variant"}},
	{Key: "clients.stats_buffer", Aliases: []string{"stats_buffer"}},
	{Key: "clients.backoff.initial"},
	{Key: "clients.backoff.multiplier"},
	{Key: "clients.backoff.max"},
	{Key: "clients.backoff.jitter"},
	{Key: "clients.backoff.reset_after"},
	{Key: "origin.capacity_mbps", Aliases: []string{"capacity", "capacity_mbps"}},
	{Key: "origin.latency", Aliases: []string{"latency"}},
	{Key: "origin.error_rate", Aliases: []string{"error_rate"}},
	{Key: "origin.error_status"},
	{Key: "origin.error_rates.<status>"},
}

func init() {
	for i := range settings {
		st := &settings[i]
		if st.Allowed != "" {
			continue
		}
		switch st.Key {
		case "name":
			st.Allowed = fmt.Sprintf("text, 1..%d characters, one line", maxName)
		case "description":
			st.Allowed = fmt.Sprintf("text, up to %d characters, one line", maxDescr)
		case "stream.bitrate_kbps":
			st.Allowed = bounds["stream.bitrates_kbps[]"].text + " (the ladder becomes this one rendition)"
		case "stream.bitrates_kbps":
			st.Allowed = fmt.Sprintf("comma-separated list of 1..%d renditions, each %s", maxLadder, bounds["stream.bitrates_kbps[]"].text)
		case "clients.reconnect":
			st.Allowed = "true | false"
		case "clients.backoff.max":
			st.Allowed = bounds[st.Key].text + " and >= clients.backoff.initial"
		case "origin.error_rates.<status>":
			st.Allowed = "status 400..599, share " + bounds["origin.error_rates.*"].text + " (0 removes it)"
		default:
			st.Allowed = allowedText(st.Key)
		}
	}
}

// Settings lists every parameter Set accepts, with aliases and allowed values.
func Settings() []Setting {
	out := slices.Clone(settings)
	for i := range out {
		out[i].Aliases = slices.Clone(out[i].Aliases)
	}
	return out
}

// SettableKeys lists every key Set accepts: the canonical dotted keys in
// documentation order, then the short aliases.
func SettableKeys() []string {
	var keys, aliases []string
	for _, st := range settings {
		keys = append(keys, st.Key)
		aliases = append(aliases, st.Aliases...)
	}
	return append(keys, aliases...)
}

// canonicalKey resolves an alias ("clients") or a spelling variant
// ("Clients.Count", "capacity-mbps") to its dotted key.
func canonicalKey(key string) (string, bool) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), "-", "_")
	if code, ok := strings.CutPrefix(k, "origin.error_rates."); ok && code != "" {
		return k, true
	}
	for _, st := range settings {
		if st.Key == k || slices.Contains(st.Aliases, k) {
			return st.Key, true
		}
	}
	return "", false
}

// Set changes one parameter from text, for command-line overrides, URL
// parameters and sweeps. key is a dotted key ("clients.count",
// "origin.capacity_mbps") or an alias ("clients", "capacity", "bitrate");
// SettableKeys lists them. Durations take "250ms", "2s", "1h30m" or a number
// of seconds; stream.bitrates_kbps takes a comma-separated list;
// stream.bitrate_kbps makes the ladder one rendition and points every cohort
// at it.
//
// Set checks the value against the field's own range and leaves the scenario
// unchanged when it fails; the error names the key, the bad value and the
// allowed range. Rules between fields (events inside a shorter run, cohort
// bitrates in a new ladder) are checked by Validate, which callers run once
// after their last Set.
func (s *Scenario) Set(key, value string) error {
	canon, ok := canonicalKey(key)
	if !ok {
		return &FieldError{Path: visible(shortText(key)), Msg: fmt.Sprintf("unknown key; settable keys: %s", strings.Join(SettableKeys(), ", "))}
	}
	label := canon
	if k := strings.TrimSpace(key); k != canon {
		label = k + " (" + canon + ")"
	}
	fail := func(format string, args ...any) error {
		return &FieldError{Path: label, Msg: fmt.Sprintf(format, args...)}
	}
	value = strings.TrimSpace(value)

	trial := s.Clone()
	switch {
	case canon == "stream.bitrate_kbps":
		b, err := parseInt(value)
		if err != nil {
			return fail("%q %s; allowed %s", value, intReason(err), bounds["stream.bitrates_kbps[]"].text)
		}
		trial.Stream.BitratesKbps = []int{b}
		for i := range trial.Clients.Cohorts {
			trial.Clients.Cohorts[i].BitrateKbps = 0
		}
		canon = "stream.bitrates_kbps"
	case canon == "stream.bitrates_kbps":
		ladder, err := parseIntList(value)
		if err != nil {
			return fail("%q is not a list of integers such as 5000,2000,1000 (%s); each allowed %s", value, err, bounds["stream.bitrates_kbps[]"].text)
		}
		trial.Stream.BitratesKbps = ladder
	case strings.HasPrefix(canon, "origin.error_rates."):
		code, err := strconv.Atoi(strings.TrimPrefix(canon, "origin.error_rates."))
		if err != nil || code < 400 || code > 599 {
			return fail("the status must be an HTTP status in 400..599")
		}
		f, err := parseNumber(value)
		if err != nil {
			return fail("%q %s; allowed %s", value, err, bounds["origin.error_rates.*"].text)
		}
		if f == 0 {
			delete(trial.Origin.ErrorRates, code)
		} else {
			if trial.Origin.ErrorRates == nil {
				trial.Origin.ErrorRates = map[int]float64{}
			}
			trial.Origin.ErrorRates[code] = f
		}
		canon = "origin.error_rates"
	default:
		field, ok := fieldByPath(reflect.ValueOf(trial).Elem(), canon)
		if !ok {
			return fail("cannot be set (internal: no field)")
		}
		if err := setFromText(field, value); err != nil {
			return fail("%q %s; allowed %s", value, err, allowedFor(canon))
		}
	}
	v := validator{s: trial}
	v.run()
	for _, e := range v.errs.errs {
		// Problems of this field, or of a rule that names it
		// ("max is below clients.backoff.initial").
		if e.Path == canon || strings.HasPrefix(e.Path, canon+".") || strings.HasPrefix(e.Path, canon+"[") ||
			(strings.Contains(canon, ".") && strings.Contains(e.Msg, canon)) {
			msg := e.Msg
			if value != "" && !strings.Contains(msg, value) {
				msg += fmt.Sprintf(" (given %q)", value)
			}
			return fail("%s", msg)
		}
	}
	*s = *trial
	return nil
}

func allowedFor(canon string) string {
	for _, st := range settings {
		if st.Key == canon {
			return st.Allowed
		}
	}
	return allowedText(canon)
}

// fieldByPath finds a struct field by its dotted YAML path.
func fieldByPath(v reflect.Value, path string) (reflect.Value, bool) {
	for _, part := range strings.Split(path, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		idx, ok := fieldsOf(v.Type()).index[part]
		if !ok {
			return reflect.Value{}, false
		}
		v = v.Field(idx)
	}
	return v, true
}

// setFromText parses text into a field of the scenario; the error reads
// after the quoted value ("is not an integer").
func setFromText(field reflect.Value, text string) error {
	if field.Type() == durationType {
		d, err := ParseDuration(text)
		if err != nil {
			if isNumberText(text) {
				if _, nerr := parseNumber(text); nerr != nil && !errors.Is(nerr, errOutOfRange) && !errors.Is(nerr, errNotFinite) {
					return nerr
				}
				return errors.New("is not a usable number of seconds")
			}
			return fmt.Errorf("is not a duration such as 250ms, 2s, 10m, 1h30m or a number of seconds")
		}
		field.SetInt(int64(d))
		return nil
	}
	switch field.Kind() {
	case reflect.String:
		field.SetString(text)
	case reflect.Int:
		i, err := parseInt(text)
		if err != nil {
			return intReason(err)
		}
		field.SetInt(int64(i))
	case reflect.Uint64:
		u, err := parseUint(text)
		if err != nil {
			return intReason(err)
		}
		field.SetUint(u)
	case reflect.Float64:
		f, err := parseNumber(text)
		if err != nil {
			return err
		}
		field.SetFloat(f)
	case reflect.Pointer:
		b, err := parseBool(text)
		if err != nil {
			return err
		}
		field.Set(reflect.ValueOf(&b))
	default:
		return fmt.Errorf("cannot be set (internal: kind %s)", field.Kind())
	}
	return nil
}

// intReason words a failed parseInt or parseUint: text that is no number
// "is not an integer".
func intReason(err error) error {
	if errors.Is(err, errNotNumber) {
		return errors.New("is not an integer")
	}
	return err
}

// parseIntList reads "5000,2000,1000" or "[5000, 2000]".
func parseIntList(text string) ([]int, error) {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(text), "["), "]")
	if strings.TrimSpace(t) == "" {
		return nil, fmt.Errorf("empty list")
	}
	parts := strings.Split(t, ",")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		item := strings.TrimSpace(p)
		i, err := parseInt(item)
		if err != nil {
			if item == "" {
				return nil, errors.New("an empty entry")
			}
			return nil, fmt.Errorf("%s %w", visible(shortText(item)), intReason(err))
		}
		out = append(out, i)
	}
	return out, nil
}
