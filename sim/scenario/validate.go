package scenario

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validate checks every field of the scenario against its allowed range and
// the rules between fields (shares sum to 1, cohort bitrates in the ladder,
// events inside the run and not overlapping their own kind, ...). It returns
// nil or an Errors value listing every problem; paths name the fields
// ("clients.count", "events[1].rate") with the allowed range. Validate does
// not change the scenario.
func (s *Scenario) Validate() error {
	v := validator{s: s}
	v.run()
	return v.errs.err()
}

// validator checks a scenario. present, when not nil, says which fields the
// file gave (Parse); without it required fields are judged by their values.
type validator struct {
	s       *Scenario
	present map[string]bool
	errs    errorList
}

func (v *validator) addf(path, format string, args ...any) { v.errs.addf(path, format, args...) }

func (v *validator) outOfRange(path, value string) {
	v.addf(path, "%s is out of range %s", value, bounds[normalize(path)].text)
}

func (v *validator) checkInt(path string, val int) {
	if !bounds[normalize(path)].contains(float64(val)) {
		v.outOfRange(path, strconv.Itoa(val))
	}
}

func (v *validator) checkFloat(path string, val float64) {
	if math.IsNaN(val) || !bounds[normalize(path)].contains(val) {
		v.outOfRange(path, num(val))
	}
}

func (v *validator) checkDur(path string, val Duration) {
	if !bounds[normalize(path)].contains(float64(val)) {
		v.outOfRange(path, val.String())
	}
}

func (v *validator) checkEnum(path, val string) {
	for _, w := range enums[normalize(path)] {
		if w == val {
			return
		}
	}
	v.addf(path, "%q is not allowed; use %s", val, allowedText(path))
}

func (v *validator) checkText(path, val string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(val) == "":
		v.addf(path, "must not be empty (1..%d characters, one line)", max)
	case len(val) > max:
		v.addf(path, "is %d characters long, at most %d allowed", len(val), max)
	case strings.ContainsAny(val, "\r\n"):
		v.addf(path, "must be one line (at most %d characters)", max)
	case !utf8.ValidString(val):
		v.addf(path, "is not valid UTF-8 text")
	case strings.ContainsFunc(val, unicode.IsControl):
		v.addf(path, "must not hold control characters (one line of at most %d characters)", max)
	}
}

func (v *validator) run() {
	s := v.s
	v.checkText("name", s.Name, maxName, true)
	v.checkText("description", s.Description, maxDescr, false)
	v.checkDur("duration", s.Duration)
	v.stream()
	v.clients()
	v.origin()
	v.events()
}

func (v *validator) stream() {
	st := &v.s.Stream
	v.checkDur("stream.segment_duration", st.SegmentDuration)
	switch n := len(st.BitratesKbps); {
	case n == 0:
		v.addf("stream.bitrates_kbps", "needs 1..%d renditions, got none", maxLadder)
	case n > maxLadder:
		v.addf("stream.bitrates_kbps", "has %d renditions, at most %d allowed", n, maxLadder)
	}
	seen := map[int]bool{}
	for i, b := range st.BitratesKbps {
		p := fmt.Sprintf("stream.bitrates_kbps[%d]", i)
		v.checkInt(p, b)
		if seen[b] {
			v.addf(p, "%d appears twice in the ladder; renditions must differ", b)
		}
		seen[b] = true
	}
	v.checkInt("stream.audio_kbps", st.AudioKbps)
	v.checkEnum("stream.container", st.Container)
	v.checkInt("stream.playlist_size", st.PlaylistSize)
	v.checkInt("stream.manifest_bytes", st.ManifestBytes)
	v.checkFloat("stream.size_spread", st.SizeSpread)
}

func (v *validator) clients() {
	c := &v.s.Clients
	v.checkInt("clients.count", c.Count)
	v.checkFloat("clients.ramp_rate", c.RampRate)
	v.checkDur("clients.ramp_jitter", c.RampJitter)
	v.checkDur("clients.timeout", c.Timeout)
	v.checkInt("clients.segment_retries", c.SegmentRetries)
	v.checkEnum("clients.variant", c.Variant)
	v.checkInt("clients.stats_buffer", c.StatsBuffer)
	b := &c.Backoff
	v.checkDur("clients.backoff.initial", b.Initial)
	v.checkFloat("clients.backoff.multiplier", b.Multiplier)
	v.checkDur("clients.backoff.max", b.Max)
	if b.Max < b.Initial {
		v.addf("clients.backoff.max", "%s is below clients.backoff.initial %s; max must be >= initial", b.Max, b.Initial)
	}
	v.checkFloat("clients.backoff.jitter", b.Jitter)
	v.checkDur("clients.backoff.reset_after", b.ResetAfter)

	switch n := len(c.Cohorts); {
	case n == 0:
		v.addf("clients.cohorts", "needs 1..%d cohorts, got none", maxCohorts)
	case n > maxCohorts:
		v.addf("clients.cohorts", "has %d cohorts, at most %d allowed", n, maxCohorts)
	}
	names := map[string]int{}
	sum := 0.0
	for i := range c.Cohorts {
		co := &c.Cohorts[i]
		p := fmt.Sprintf("clients.cohorts[%d]", i)
		v.checkText(p+".name", co.Name, 40, true)
		if j, dup := names[co.Name]; dup && co.Name != "" {
			v.addf(p+".name", "%q is already the name of clients.cohorts[%d]; names must be unique", co.Name, j)
		} else {
			names[co.Name] = i
		}
		v.checkFloat(p+".share", co.Share)
		sum += co.Share
		bw := p + ".bandwidth_mbps"
		r := co.BandwidthMbps
		switch {
		case !bounds[normalize(bw)].contains(r.Min) || !bounds[normalize(bw)].contains(r.Max):
			v.addf(bw, "[%s, %s] is out of range: min and max must be in %s", num(r.Min), num(r.Max), bounds[normalize(bw)].text)
		case r.Min > r.Max:
			v.addf(bw, "min %s is above max %s; need min <= max", num(r.Min), num(r.Max))
		}
		v.checkDur(p+".rtt", co.RTT)
		if co.BitrateKbps != 0 && !slices.Contains(v.s.Stream.BitratesKbps, co.BitrateKbps) {
			v.addf(p+".bitrate_kbps", "%d is not in stream.bitrates_kbps %s; use 0 (the renditions variant picks) or one of those",
				co.BitrateKbps, intList(v.s.Stream.BitratesKbps))
		}
		if co.Variant != "" {
			v.checkEnum(p+".variant", co.Variant)
			if co.BitrateKbps != 0 {
				v.addf(p+".variant", "%q given with bitrate_kbps %d; a cohort plays one rendition or a variant, give one", co.Variant, co.BitrateKbps)
			}
		}
	}
	if len(c.Cohorts) > 0 && !(math.Abs(sum-1) <= 0.001) {
		v.addf("clients.cohorts", "shares sum to %s; they must sum to 1 (+-0.001)", num(roundSum(sum)))
	}
}

func (v *validator) origin() {
	o := &v.s.Origin
	v.checkFloat("origin.capacity_mbps", o.CapacityMbps)
	v.checkDur("origin.latency", o.Latency)
	v.checkFloat("origin.error_rate", o.ErrorRate)
	v.checkInt("origin.error_status", o.ErrorStatus)
	total := o.ErrorRate
	for _, code := range sortedKeys(o.ErrorRates) {
		p := "origin.error_rates." + strconv.Itoa(code)
		if code < 400 || code > 599 {
			v.addf(p, "status %d is out of range 400..599", code)
		}
		v.checkFloat(p, o.ErrorRates[code])
		total += o.ErrorRates[code]
	}
	if len(o.ErrorRates) > 0 && total > 1+1e-9 {
		v.addf("origin.error_rates", "error_rate plus error_rates add up to %s; at most 1", num(roundSum(total)))
	}
}

func (v *validator) events() {
	s := v.s
	if n := len(s.Events); n > maxEvents {
		v.addf("events", "has %d events, at most %d allowed", n, maxEvents)
		return
	}
	clients := s.Clients.Count
	for i := range s.Events {
		if v.errs.full() {
			return
		}
		v.event(i, &s.Events[i], &clients)
	}
	v.overlaps()
}

// has reports whether an event field was given: by the file when parsing,
// else by a non-zero value.
func (v *validator) has(i int, e *Event, field string) bool {
	if v.present != nil {
		return v.present[fmt.Sprintf("events[%d].%s", i, field)]
	}
	return !eventFieldZero(e, field)
}

func (v *validator) event(i int, e *Event, clients *int) {
	s := v.s
	p := fmt.Sprintf("events[%d]", i)
	spec, ok := kindSpecs[e.Kind]
	if !ok {
		if e.Kind == "" {
			v.addf(p+".kind", "missing; use %s", allowedText("events[].kind"))
		} else {
			v.addf(p+".kind", "%q is not an event kind; use %s", string(e.Kind), allowedText("events[].kind"))
		}
		return
	}
	switch {
	case e.At < 0:
		v.addf(p+".at", "%s is out of range 0s..%s (before the end of the run)", e.At, s.Duration)
	case e.At >= s.Duration:
		v.addf(p+".at", "%s is at or after the end of the run (duration %s); must be in 0s..%s, end excluded", e.At, s.Duration, s.Duration)
	}
	switch {
	case e.Duration < 0 || (e.Duration == 0 && !e.Kind.Instant()):
		v.addf(p+".duration", "%s is out of range (0s, %s]; only add_clients and remove_clients may be instant", e.Duration, s.Duration)
	case e.At >= 0 && e.At < s.Duration && e.End() > s.Duration:
		v.addf(p+".duration", "%s makes the event end at %s, after the end of the run (duration %s)", e.Duration, e.End(), s.Duration)
	}
	v.checkText(p+".caption", e.Caption, maxCaption, false)
	for _, f := range eventFields {
		if !spec.usesField(f) && v.has(i, e, f) {
			v.addf(p+"."+f, "is not used by kind %s (%s)", e.Kind, usesText(spec))
		}
	}
	for _, f := range spec.required {
		if !v.has(i, e, f) {
			v.addf(p+"."+f, "missing; kind %s needs %s in %s", e.Kind, f, bounds["events[]."+f].text)
		}
	}
	switch e.Kind {
	case KindOutage:
		if e.Mode != "" {
			v.checkEnum(p+".mode", e.Mode)
		}
		if e.Mode == ModeStatus {
			v.checkInt(p+".status", e.Status)
		} else if v.has(i, e, "status") {
			v.addf(p+".status", "is only used with mode %q (mode is %q)", ModeStatus, e.Mode)
		}
	case KindErrorBurst:
		if e.Status != 0 || v.has(i, e, "status") {
			v.checkInt(p+".status", e.Status)
		}
		if v.has(i, e, "rate") {
			v.checkFloat(p+".rate", e.Rate)
		}
	case KindCapacity:
		if v.has(i, e, "capacity_mbps") {
			v.checkFloat(p+".capacity_mbps", e.CapacityMbps)
		}
	case KindLatencySpike:
		if v.has(i, e, "latency") {
			v.checkDur(p+".latency", e.Latency)
		}
	case KindStalePlaylist:
		v.checkInt(p+".jump", e.Jump)
	case KindBandwidthDrop:
		if v.has(i, e, "share") {
			v.checkFloat(p+".share", e.Share)
		}
		if v.has(i, e, "bandwidth_mbps") {
			v.checkFloat(p+".bandwidth_mbps", e.BandwidthMbps)
		}
	case KindChurn:
		v.checkFloat(p+".join_rate", e.JoinRate)
		v.checkFloat(p+".leave_rate", e.LeaveRate)
		if !(e.JoinRate > 0) && !(e.LeaveRate > 0) {
			v.addf(p+".join_rate", "churn needs join_rate or leave_rate above 0 (each %s clients per second)", bounds["events[].join_rate"].text)
		}
	case KindAddClients, KindRemoveClients:
		if v.has(i, e, "clients") {
			v.checkInt(p+".clients", e.Clients)
		}
	}
	v.clientLimit(p, e, clients)
}

// clientLimit adds the clients event e can create (Event.MaxNewClients) to
// *clients and reports when the total passes MaxClients.
func (v *validator) clientLimit(p string, e *Event, clients *int) {
	add := e.MaxNewClients()
	if add == 0 {
		return
	}
	before := *clients
	*clients = min(before+add, MaxClients+1)
	if before > MaxClients || *clients <= MaxClients {
		return // already reported, or within the limit
	}
	if e.Kind == KindChurn {
		joins := math.Ceil(e.JoinRate * e.Duration.Seconds())
		v.addf(p+".join_rate", "%s joins/s over %s can add %s clients, bringing the clients to %s, above the limit %d (clients.count + add_clients + churn joins)",
			num(e.JoinRate), e.Duration, num(joins), num(float64(before)+joins), MaxClients)
		return
	}
	v.addf(p+".clients", "adding %d brings the clients to %d, above the limit %d (clients.count + add_clients + churn joins)", e.Clients, before+add, MaxClients)
}

// overlaps reports windows of one kind that overlap in time.
func (v *validator) overlaps() {
	evs := v.s.Events
	idx := make([]int, len(evs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return evs[idx[a]].At < evs[idx[b]].At })
	last := map[EventKind]int{}
	for _, i := range idx {
		e := &evs[i]
		if e.Duration <= 0 || !e.Kind.Valid() {
			continue
		}
		if j, ok := last[e.Kind]; ok && e.At < evs[j].End() {
			v.addf(fmt.Sprintf("events[%d].at", i), "%s %s..%s overlaps events[%d] (%s..%s); events of one kind must not overlap",
				e.Kind, e.At, e.End(), j, evs[j].At, evs[j].End())
			if e.End() <= evs[j].End() {
				continue
			}
		}
		last[e.Kind] = i
	}
}

// roundSum hides float noise in sums shown in messages (0.30000000000000004).
func roundSum(x float64) float64 {
	if math.Abs(x) > 1e9 {
		return x
	}
	return math.Round(x*1e9) / 1e9
}

func usesText(k kindSpec) string {
	if len(k.uses) == 0 {
		return "it has no kind-specific fields"
	}
	return "it uses " + strings.Join(k.uses, ", ")
}

// eventFieldZero reports whether a kind-specific event field has its zero value.
func eventFieldZero(e *Event, field string) bool {
	switch field {
	case "status":
		return e.Status == 0
	case "rate":
		return e.Rate == 0
	case "mode":
		return e.Mode == ""
	case "capacity_mbps":
		return e.CapacityMbps == 0
	case "latency":
		return e.Latency == 0
	case "share":
		return e.Share == 0
	case "bandwidth_mbps":
		return e.BandwidthMbps == 0
	case "jump":
		return e.Jump == 0
	case "clients":
		return e.Clients == 0
	case "join_rate":
		return e.JoinRate == 0
	case "leave_rate":
		return e.LeaveRate == 0
	}
	return true
}

func intList(list []int) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = strconv.Itoa(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func sortedKeys(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// SortEvents orders the events by start time, keeping the given order for
// events that start together. Parse does this; call it after building or
// changing events in code.
func (s *Scenario) SortEvents() {
	sort.SliceStable(s.Events, func(a, b int) bool { return s.Events[a].At < s.Events[b].At })
}

// CheckEvent checks one event on its own against this scenario, for events
// injected while a run goes (the browser's fault buttons): a known kind, the
// kind's fields present and in range, no fields of other kinds, and the
// window inside the run. It does not check overlaps with other events. Paths
// in the error read "event.rate". Call ApplyDefaults first to fill the mode,
// status and caption.
func (s *Scenario) CheckEvent(e Event) error {
	v := validator{s: s}
	clients := s.Clients.Count
	v.event(0, &e, &clients)
	for _, fe := range v.errs.errs {
		fe.Path = "event" + strings.TrimPrefix(fe.Path, "events[0]")
	}
	return v.errs.err()
}
