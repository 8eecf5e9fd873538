package scenario

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// bound is the allowed range of one numeric field.
type bound struct {
	lo, hi float64 // for durations: nanoseconds
	loOpen bool    // lo itself is not allowed
	text   string  // the range as messages print it
}

func (b bound) contains(v float64) bool {
	if b.loOpen {
		return v > b.lo && v <= b.hi
	}
	return v >= b.lo && v <= b.hi
}

// intBound is lo..hi inclusive.
func intBound(lo, hi int) bound {
	return bound{lo: float64(lo), hi: float64(hi), text: strconv.Itoa(lo) + ".." + strconv.Itoa(hi)}
}

// floatBound is lo..hi inclusive.
func floatBound(lo, hi float64) bound {
	return bound{lo: lo, hi: hi, text: num(lo) + ".." + num(hi)}
}

// floatAbove is (lo, hi]: above lo, up to hi.
func floatAbove(lo, hi float64) bound {
	return bound{lo: lo, hi: hi, loOpen: true, text: "(" + num(lo) + ", " + num(hi) + "]"}
}

// durBound is lo..hi inclusive.
func durBound(lo, hi time.Duration) bound {
	return bound{lo: float64(lo), hi: float64(hi), text: Duration(lo).String() + ".." + Duration(hi).String()}
}

// durAbove is (lo, hi].
func durAbove(lo, hi time.Duration) bound {
	return bound{lo: float64(lo), hi: float64(hi), loOpen: true,
		text: "(" + Duration(lo).String() + ", " + Duration(hi).String() + "]"}
}

// MaxClients is the most clients a run may create: clients.count plus
// every client that add_clients and churn joins (ceil(join_rate x
// duration)) can add. Validate, CheckEvent and the engine's Inject count
// against it (see Event.MaxNewClients).
const MaxClients = 1_000_000

// Limits on list lengths.
const (
	maxLadder      = 20
	maxCohorts     = 50
	maxEvents      = 1000
	maxClients     = MaxClients
	maxCaption     = 160
	maxName        = 100
	maxDescr       = 300
	maxFileBytes   = 1 << 20
	maxKeys        = 20000 // "key:" pairs in the whole file; 1000 events with every field need 15000
	maxTokens      = 80000 // YAML tokens in the whole file
	maxMappingKeys = 500   // keys in one mapping (origin.error_rates has at most 200)
	maxDepth       = 32    // nesting of lists and mappings (a scenario needs 4)
)

// bounds holds the numeric ranges by normalized path (list indices as "[]",
// map keys as "*").
var bounds = map[string]bound{
	"duration":                         durBound(time.Second, 48*time.Hour),
	"stream.segment_duration":          durBound(500*time.Millisecond, time.Minute),
	"stream.bitrates_kbps[]":           intBound(50, 100000),
	"stream.audio_kbps":                intBound(0, 1024),
	"stream.playlist_size":             intBound(3, 100),
	"stream.manifest_bytes":            intBound(50, 1000000),
	"stream.size_spread":               floatBound(0, 0.5),
	"clients.count":                    intBound(1, maxClients),
	"clients.ramp_rate":                floatBound(0, 100000),
	"clients.ramp_jitter":              durBound(0, time.Minute),
	"clients.timeout":                  durBound(100*time.Millisecond, 10*time.Minute),
	"clients.segment_retries":          intBound(0, 100),
	"clients.stats_buffer":             intBound(1, 1000000),
	"clients.backoff.initial":          durBound(time.Millisecond, time.Minute),
	"clients.backoff.multiplier":       floatBound(1, 10),
	"clients.backoff.max":              durBound(time.Millisecond, 10*time.Minute),
	"clients.backoff.jitter":           floatBound(0, 1),
	"clients.backoff.reset_after":      durBound(0, time.Hour),
	"clients.cohorts[].share":          floatAbove(0, 1),
	"clients.cohorts[].bandwidth_mbps": floatAbove(0, 100000),
	"clients.cohorts[].rtt":            durBound(0, 10*time.Second),
	"origin.capacity_mbps":             floatBound(0, 10000000),
	"origin.latency":                   durBound(0, time.Minute),
	"origin.error_rate":                floatBound(0, 1),
	"origin.error_status":              intBound(400, 599),
	"origin.error_rates.*":             floatBound(0, 1),
	"events[].status":                  intBound(400, 599),
	"events[].rate":                    floatAbove(0, 1),
	"events[].capacity_mbps":           floatAbove(0, 10000000),
	"events[].latency":                 durAbove(0, time.Minute),
	"events[].share":                   floatAbove(0, 1),
	"events[].bandwidth_mbps":          floatAbove(0, 100000),
	"events[].jump":                    intBound(0, 1000),
	"events[].clients":                 intBound(1, maxClients),
	"events[].join_rate":               floatBound(0, 100000),
	"events[].leave_rate":              floatBound(0, 100000),
}

// enums holds the allowed words of text fields by normalized path.
var enums = map[string][]string{
	"stream.container":          {ContainerTS, ContainerFMP4},
	"clients.variant":           Variants(),
	"clients.cohorts[].variant": Variants(),
	"events[].mode":             {ModeRefused, ModeTimeout, ModeStatus},
	"events[].kind":             kindNames(),
}

func kindNames() []string {
	var out []string
	for _, k := range EventKinds() {
		out = append(out, string(k))
	}
	return out
}

// kindSpec says which kind-specific event fields a kind uses and which of
// them must be given.
type kindSpec struct {
	uses     []string
	required []string
}

// eventFields are the kind-specific event keys, in struct order.
var eventFields = []string{"status", "rate", "mode", "capacity_mbps", "latency", "share",
	"bandwidth_mbps", "jump", "clients", "join_rate", "leave_rate"}

var kindSpecs = map[EventKind]kindSpec{
	KindOutage:        {uses: []string{"mode", "status"}},
	KindErrorBurst:    {uses: []string{"status", "rate"}, required: []string{"rate"}},
	KindCapacity:      {uses: []string{"capacity_mbps"}, required: []string{"capacity_mbps"}},
	KindLatencySpike:  {uses: []string{"latency"}, required: []string{"latency"}},
	KindStalePlaylist: {uses: []string{"jump"}},
	KindBandwidthDrop: {uses: []string{"share", "bandwidth_mbps"}, required: []string{"share", "bandwidth_mbps"}},
	KindChurn:         {uses: []string{"join_rate", "leave_rate"}},
	KindAddClients:    {uses: []string{"clients"}, required: []string{"clients"}},
	KindRemoveClients: {uses: []string{"clients"}, required: []string{"clients"}},
}

func (k kindSpec) usesField(f string) bool {
	for _, u := range k.uses {
		if u == f {
			return true
		}
	}
	return false
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// normalize turns a concrete path ("events[3].rate", "origin.error_rates.503")
// into its key in bounds and enums ("events[].rate", "origin.error_rates.*").
func normalize(path string) string {
	p := indexRE.ReplaceAllString(path, "[]")
	if strings.HasPrefix(p, "origin.error_rates.") {
		return "origin.error_rates.*"
	}
	return p
}

// allowedText describes what a field accepts, for messages; "" when there
// is nothing to add.
func allowedText(path string) string {
	n := normalize(path)
	if b, ok := bounds[n]; ok {
		return b.text
	}
	if e, ok := enums[n]; ok {
		return oneOf(e)
	}
	return ""
}

// oneOf formats allowed words: "ts" | "fmp4".
func oneOf(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	return strings.Join(q, " | ")
}
