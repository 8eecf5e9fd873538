package scenario

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorCase is one bad scenario file and the problem Parse must report.
type errorCase struct {
	name string
	file string // default t.yaml
	src  string
	line int      // the reported line
	path string   // the reported field path ("" for whole-file problems)
	want []string // more text the message must hold: the allowed range, the bad value
}

// ev is a file with one event on line 2.
func ev(fields string) string { return "events:\n  - {" + fields + "}\n" }

// cohort is a file with one cohort on line 3.
func cohort(fields string) string { return "clients:\n  cohorts:\n    - {" + fields + "}\n" }

var errorCases = []errorCase{
	// Syntax and structure.
	{name: "yaml syntax", src: "clients: [\n", line: 1, want: []string{"invalid YAML"}},
	{name: "bad json", file: "t.json", src: "{\n  \"seed\": 1,\n}\n", line: 3, want: []string{"invalid JSON", "t.json:3:1:"}},
	{name: "json trailing data", file: "t.json", src: "{\"seed\": 1} {}\n", line: 1, want: []string{"t.json:1:13: invalid JSON", "after the top-level value"}},
	{name: "empty file", src: "  \n", want: []string{"file is empty"}},
	{name: "comment only", src: "# nothing\n", want: []string{"no content"}},
	{name: "two documents", src: "seed: 1\n---\nseed: 2\n", line: 3, want: []string{"more than one YAML document"}},
	{name: "top level is a list", src: "- a\n- b\n", line: 1, want: []string{"expects a mapping", "got a list"}},
	{name: "unknown top key", src: "seed: 1\ncolour: red\n", line: 2, path: "colour", want: []string{"unknown key", "name, description, seed, duration, stream, clients, origin, events"}},
	{name: "unknown nested key", src: "clients:\n  cuont: 5\n", line: 2, path: "clients.cuont", want: []string{"unknown key", "count, ramp_rate"}},
	{name: "unknown event key", src: ev("at: 1m, duration: 1m, kind: outage, rat: 0.2"), line: 2, path: "events[0].rat", want: []string{"unknown key", "join_rate"}},
	{name: "duplicate key", src: "seed: 1\nseed: 2\n", line: 2, path: "seed", want: []string{"duplicate key (first given on line 1)"}},
	{name: "duplicate flow key", src: "origin: {latency: 1ms, latency: 2ms}\n", line: 1, path: "origin.latency", want: []string{"duplicate key"}},
	{name: "duplicate json key", file: "t.json", src: "{\"seed\": 1,\n \"seed\": 2}\n", line: 2, path: "seed", want: []string{"duplicate key"}},
	{name: "duplicate error_rates key", src: "origin:\n  error_rates: {404: 0.1, \"404\": 0.2}\n", line: 2, path: "origin.error_rates.404", want: []string{"duplicate key"}},
	{name: "bad duration", src: "duration: 10x\n", line: 1, path: "duration", want: []string{`"10x" is not a duration`, "1s..48h"}},
	{name: "duration of wrong type", src: "duration: [1]\n", line: 1, path: "duration", want: []string{"expects a duration", "1s..48h", "got a list"}},
	{name: "infinite duration", src: "duration: .inf\n", line: 1, path: "duration", want: []string{"not a usable number of seconds", "1s..48h"}},
	{name: "string for integer", src: "clients: {count: abc}\n", line: 1, path: "clients.count", want: []string{"expects an integer in 1..1000000", `"abc"`}},
	{name: "fraction for integer", src: "clients: {count: 2.5}\n", line: 1, path: "clients.count", want: []string{"2.5 is not a whole number; allowed 1..1000000"}},
	{name: "huge integer", src: "clients: {count: 99999999999999999999}\n", line: 1, path: "clients.count", want: []string{"out of range 1..1000000"}},
	{name: "number for string", src: "name: 2024\n", line: 1, path: "name", want: []string{"expects a string (quote it)", "2024"}},
	{name: "bad bool", src: "clients: {reconnect: maybe}\n", line: 1, path: "clients.reconnect", want: []string{"expects true or false", `"maybe"`}},
	{name: "scalar for mapping", src: "stream: 5\n", line: 1, path: "stream", want: []string{"expects a mapping of keys (segment_duration, bitrates_kbps"}},
	{name: "scalar for list", src: "stream: {bitrates_kbps: 5000}\n", line: 1, path: "stream.bitrates_kbps", want: []string{"expects a list", "5000"}},
	{name: "negative seed", src: "seed: -1\n", line: 1, path: "seed", want: []string{"-1 is out of range 0..18446744073709551615"}},
	{name: "nan", src: "origin: {error_rate: .nan}\n", line: 1, path: "origin.error_rate", want: []string{"not a finite number", "0..1"}},
	{name: "yaml tag", src: "seed: !!str 5\n", line: 1, path: "seed", want: []string{"tags", "not supported"}},
	{name: "unknown alias", src: "seed: *nothing\n", line: 1, path: "seed", want: []string{"alias *nothing", "no anchor"}},
	{name: "merge key", src: "stream:\n  <<: {audio_kbps: 64}\n", line: 2, path: "stream", want: []string{"merge keys (<<) are not supported"}},
	{name: "range of three", src: cohort("bandwidth_mbps: [1, 2, 3]"), line: 3, path: "clients.cohorts[0].bandwidth_mbps", want: []string{"expects [min, max]", "list of 3"}},
	{name: "range without max", src: cohort("bandwidth_mbps: {min: 1}"), line: 3, path: "clients.cohorts[0].bandwidth_mbps", want: []string{"missing max"}},
	{name: "range of text", src: cohort("bandwidth_mbps: fast"), line: 3, path: "clients.cohorts[0].bandwidth_mbps", want: []string{"a number, [min, max] or {min: .., max: ..}", "(0, 100000]"}},
	{name: "error_rates key not a status", src: "origin:\n  error_rates: {200: 0.1}\n", line: 2, path: "origin.error_rates.200", want: []string{"HTTP status in 400..599"}},
	{name: "error_rates value text", src: "origin:\n  error_rates: {404: lots}\n", line: 2, path: "origin.error_rates.404", want: []string{"expects a number in 0..1"}},
	{name: "mapping too wide", src: "seed: 1\norigin:\n  error_rates:\n" + strings.Repeat("    404: 0.001\n", 501), line: 4, want: []string{"501 keys", "at most 500"}},
	{name: "too many tokens", src: "stream: {bitrates_kbps: [" + strings.Repeat("1,", 40000) + "1]}\n", want: []string{"at most 20000 keys and 80000 tokens"}},
	{name: "file too big", src: "# " + strings.Repeat("x", 1<<20) + "\n", want: []string{"at most 1048576 allowed"}},
	{name: "too many events", src: "events:\n" + strings.Repeat("  - {at: 1m, kind: add_clients, clients: 1}\n", 1001), line: 2, path: "events", want: []string{"1001 entries, at most 1000"}},

	// Ranges of scenario fields.
	{name: "empty name", src: "name: \"\"\n", line: 1, path: "name", want: []string{"must not be empty", "1..100 characters"}},
	{name: "long name", src: "name: " + strings.Repeat("n", 101) + "\n", line: 1, path: "name", want: []string{"101 characters long, at most 100"}},
	{name: "invalid utf-8", src: "seed: 1\nname: \"a\xadb\"\n", line: 2, want: []string{"t.yaml:2:9: file is not valid UTF-8"}},
	{name: "control character in description", src: "description: \"a\\tb\"\n", line: 1, path: "description", want: []string{"control characters"}},
	{name: "two-line description", src: "description: \"a\\nb\"\n", line: 1, path: "description", want: []string{"one line"}},
	{name: "duration too short", src: "duration: 0.5s\n", line: 1, path: "duration", want: []string{"500ms is out of range 1s..48h"}},
	{name: "duration too long", src: "duration: 49h\n", line: 1, path: "duration", want: []string{"49h is out of range 1s..48h"}},
	{name: "segment too short", src: "stream:\n  segment_duration: 0.4s\n", line: 2, path: "stream.segment_duration", want: []string{"400ms is out of range 500ms..1m"}},
	{name: "segment too long", src: "stream:\n  segment_duration: 61\n", line: 2, path: "stream.segment_duration", want: []string{"1m1s is out of range 500ms..1m"}},
	{name: "empty ladder", src: "stream:\n  bitrates_kbps: []\n", line: 2, path: "stream.bitrates_kbps", want: []string{"needs 1..20 renditions"}},
	{name: "long ladder", src: "stream:\n  bitrates_kbps: [" + strings.Repeat("100, ", 20) + "100]\n", line: 2, path: "stream.bitrates_kbps", want: []string{"21 entries, at most 20"}},
	{name: "bitrate too low", src: "stream:\n  bitrates_kbps: [5000, 49]\n", line: 2, path: "stream.bitrates_kbps[1]", want: []string{"49 is out of range 50..100000"}},
	{name: "bitrate too high", src: "stream:\n  bitrates_kbps: [100001]\n", line: 2, path: "stream.bitrates_kbps[0]", want: []string{"100001 is out of range 50..100000"}},
	{name: "bitrate twice", src: "stream:\n  bitrates_kbps: [5000, 2000, 5000]\n", line: 2, path: "stream.bitrates_kbps[2]", want: []string{"5000 appears twice"}},
	{name: "negative audio", src: "stream:\n  audio_kbps: -1\n", line: 2, path: "stream.audio_kbps", want: []string{"-1 is out of range 0..1024"}},
	{name: "audio too high", src: "stream:\n  audio_kbps: 1025\n", line: 2, path: "stream.audio_kbps", want: []string{"1025 is out of range 0..1024"}},
	{name: "bad container", src: "stream:\n  container: mkv\n", line: 2, path: "stream.container", want: []string{`"mkv" is not allowed`, `"ts" | "fmp4"`}},
	{name: "playlist too short", src: "stream:\n  playlist_size: 2\n", line: 2, path: "stream.playlist_size", want: []string{"2 is out of range 3..100"}},
	{name: "manifest too small", src: "stream:\n  manifest_bytes: 10\n", line: 2, path: "stream.manifest_bytes", want: []string{"10 is out of range 50..1000000"}},
	{name: "size spread too wide", src: "stream:\n  size_spread: 0.6\n", line: 2, path: "stream.size_spread", want: []string{"0.6 is out of range 0..0.5"}},
	{name: "zero clients", src: "clients:\n  count: 0\n", line: 2, path: "clients.count", want: []string{"0 is out of range 1..1000000"}},
	{name: "too many clients", src: "clients:\n  count: 1000001\n", line: 2, path: "clients.count", want: []string{"1000001 is out of range 1..1000000"}},
	{name: "negative ramp", src: "clients:\n  ramp_rate: -1\n", line: 2, path: "clients.ramp_rate", want: []string{"-1 is out of range 0..100000"}},
	{name: "negative ramp jitter", src: "clients:\n  ramp_jitter: -1s\n", line: 2, path: "clients.ramp_jitter", want: []string{"-1s is out of range 0s..1m"}},
	{name: "short timeout", src: "clients:\n  timeout: 50ms\n", line: 2, path: "clients.timeout", want: []string{"50ms is out of range 100ms..10m"}},
	{name: "negative retries", src: "clients:\n  segment_retries: -1\n", line: 2, path: "clients.segment_retries", want: []string{"-1 is out of range 0..100"}},
	{name: "too many retries", src: "clients:\n  segment_retries: 101\n", line: 2, path: "clients.segment_retries", want: []string{"101 is out of range 0..100"}},
	{name: "empty stats buffer", src: "clients:\n  stats_buffer: 0\n", line: 2, path: "clients.stats_buffer", want: []string{"0 is out of range 1..1000000"}},
	{name: "unknown variant", src: "clients:\n  variant: best\n", line: 2, path: "clients.variant", want: []string{`"best" is not allowed; use "all" | "highest" | "lowest" | "first"`}},
	{name: "cohort variant with a bitrate", src: "stream:\n  bitrates_kbps: [2000, 1000]\nclients:\n  cohorts:\n    - {bitrate_kbps: 1000, variant: lowest}\n", line: 5, path: "clients.cohorts[0].variant", want: []string{"give one"}},
	{name: "zero backoff", src: "clients:\n  backoff: {initial: 0}\n", line: 2, path: "clients.backoff.initial", want: []string{"0s is out of range 1ms..1m"}},
	{name: "shrinking backoff", src: "clients:\n  backoff: {multiplier: 0.5}\n", line: 2, path: "clients.backoff.multiplier", want: []string{"0.5 is out of range 1..10"}},
	{name: "backoff cap too high", src: "clients:\n  backoff: {max: 11m}\n", line: 2, path: "clients.backoff.max", want: []string{"11m is out of range 1ms..10m"}},
	{name: "backoff cap below start", src: "clients:\n  backoff: {initial: 2s, max: 1s}\n", line: 2, path: "clients.backoff.max", want: []string{"1s is below clients.backoff.initial 2s"}},
	{name: "backoff jitter", src: "clients:\n  backoff: {jitter: 1.5}\n", line: 2, path: "clients.backoff.jitter", want: []string{"1.5 is out of range 0..1"}},
	{name: "backoff reset", src: "clients:\n  backoff: {reset_after: -1s}\n", line: 2, path: "clients.backoff.reset_after", want: []string{"-1s is out of range 0s..1h"}},
	{name: "no cohorts", src: "clients:\n  cohorts: []\n", line: 2, path: "clients.cohorts", want: []string{"needs 1..50 cohorts"}},
	{name: "zero share", src: cohort("name: a, share: 0"), line: 3, path: "clients.cohorts[0].share", want: []string{"0 is out of range (0, 1]"}},
	{name: "share above one", src: cohort("name: a, share: 1.5"), line: 3, path: "clients.cohorts[0].share", want: []string{"1.5 is out of range (0, 1]"}},
	{name: "shares do not sum to one", src: "clients:\n  cohorts:\n    - {name: a, share: 0.5}\n    - {name: b, share: 0.4}\n", line: 2, path: "clients.cohorts", want: []string{"shares sum to 0.9", "must sum to 1 (+-0.001)"}},
	{name: "duplicate cohort name", src: "clients:\n  cohorts:\n    - {name: a, share: 0.5}\n    - {name: a, share: 0.5}\n", line: 4, path: "clients.cohorts[1].name", want: []string{`"a" is already the name of clients.cohorts[0]`}},
	{name: "zero bandwidth", src: cohort("bandwidth_mbps: 0"), line: 3, path: "clients.cohorts[0].bandwidth_mbps", want: []string{"[0, 0] is out of range", "(0, 100000]"}},
	{name: "bandwidth min above max", src: cohort("bandwidth_mbps: [50, 10]"), line: 3, path: "clients.cohorts[0].bandwidth_mbps", want: []string{"min 50 is above max 10"}},
	{name: "long rtt", src: cohort("rtt: 11s"), line: 3, path: "clients.cohorts[0].rtt", want: []string{"11s is out of range 0s..10s"}},
	{name: "bitrate not in ladder", src: "stream: {bitrates_kbps: [5000, 2000]}\n" + cohort("bitrate_kbps: 3000"), line: 4, path: "clients.cohorts[0].bitrate_kbps", want: []string{"3000 is not in stream.bitrates_kbps [5000, 2000]"}},
	{name: "negative capacity", src: "origin:\n  capacity_mbps: -1\n", line: 2, path: "origin.capacity_mbps", want: []string{"-1 is out of range 0..10000000"}},
	{name: "long origin latency", src: "origin:\n  latency: 2m\n", line: 2, path: "origin.latency", want: []string{"2m is out of range 0s..1m"}},
	{name: "negative error rate", src: "origin:\n  error_rate: -0.1\n", line: 2, path: "origin.error_rate", want: []string{"-0.1 is out of range 0..1"}},
	{name: "error status not an error", src: "origin:\n  error_status: 200\n", line: 2, path: "origin.error_status", want: []string{"200 is out of range 400..599"}},
	{name: "error_rates share", src: "origin:\n  error_rates: {404: 1.5}\n", line: 2, path: "origin.error_rates.404", want: []string{"1.5 is out of range 0..1"}},
	{name: "error shares above one", src: "origin:\n  error_rate: 0.6\n  error_rates: {404: 0.3, 500: 0.2}\n", line: 3, path: "origin.error_rates", want: []string{"add up to 1.1; at most 1"}},

	// Events.
	{name: "unknown kind", src: ev("at: 1m, duration: 1m, kind: meteor"), line: 2, path: "events[0].kind", want: []string{`"meteor" is not an event kind`, `"outage" | "error_burst"`}},
	{name: "missing kind", src: ev("at: 1m, duration: 1m"), line: 2, path: "events[0].kind", want: []string{"missing", `"churn"`}},
	{name: "event at the end", src: "duration: 10m\n" + ev("at: 10m, kind: add_clients, clients: 5"), line: 3, path: "events[0].at", want: []string{"10m is at or after the end of the run (duration 10m)", "0s..10m"}},
	{name: "event after the end", src: ev("at: 11m, duration: 1m, kind: outage"), line: 2, path: "events[0].at", want: []string{"11m is at or after the end"}},
	{name: "negative at", src: ev("at: -1s, duration: 1m, kind: outage"), line: 2, path: "events[0].at", want: []string{"-1s is out of range 0s..10m"}},
	{name: "event ends after the run", src: ev("at: 9m30s, duration: 1m, kind: outage"), line: 2, path: "events[0].duration", want: []string{"end at 10m30s, after the end of the run (duration 10m)"}},
	{name: "window of zero", src: ev("at: 1m, kind: outage"), line: 2, path: "events[0].duration", want: []string{"0s is out of range (0s, 10m]", "only add_clients and remove_clients may be instant"}},
	{name: "overlapping outages", src: "events:\n  - {at: 1m, duration: 2m, kind: outage}\n  - {at: 2m, duration: 1m, kind: outage, mode: timeout}\n", line: 3, path: "events[1].at", want: []string{"outage 2m..3m overlaps events[0] (1m..3m)"}},
	{name: "bad outage mode", src: ev("at: 1m, duration: 1m, kind: outage, mode: crash"), line: 2, path: "events[0].mode", want: []string{`"crash" is not allowed`, `"refused" | "timeout" | "status"`}},
	{name: "status on refused outage", src: ev("at: 1m, duration: 1m, kind: outage, status: 502"), line: 2, path: "events[0].status", want: []string{`only used with mode "status"`}},
	{name: "status outage code", src: ev("at: 1m, duration: 1m, kind: outage, mode: status, status: 302"), line: 2, path: "events[0].status", want: []string{"302 is out of range 400..599"}},
	{name: "field of another kind", src: ev("at: 1m, duration: 1m, kind: outage, rate: 0.2"), line: 2, path: "events[0].rate", want: []string{"not used by kind outage (it uses mode, status)"}},
	{name: "error_burst without rate", src: ev("at: 1m, duration: 1m, kind: error_burst"), line: 2, path: "events[0].rate", want: []string{"missing; kind error_burst needs rate in (0, 1]"}},
	{name: "error_burst zero rate", src: ev("at: 1m, duration: 1m, kind: error_burst, rate: 0"), line: 2, path: "events[0].rate", want: []string{"0 is out of range (0, 1]"}},
	{name: "error_burst rate above one", src: ev("at: 1m, duration: 1m, kind: error_burst, rate: 1.5"), line: 2, path: "events[0].rate", want: []string{"1.5 is out of range (0, 1]"}},
	{name: "error_burst status", src: ev("at: 1m, duration: 1m, kind: error_burst, rate: 0.1, status: 600"), line: 2, path: "events[0].status", want: []string{"600 is out of range 400..599"}},
	{name: "capacity missing", src: ev("at: 1m, duration: 1m, kind: capacity"), line: 2, path: "events[0].capacity_mbps", want: []string{"missing; kind capacity needs capacity_mbps in (0, 10000000]"}},
	{name: "capacity zero", src: ev("at: 1m, duration: 1m, kind: capacity, capacity_mbps: 0"), line: 2, path: "events[0].capacity_mbps", want: []string{"0 is out of range (0, 10000000]"}},
	{name: "latency missing", src: ev("at: 1m, duration: 1m, kind: latency_spike"), line: 2, path: "events[0].latency", want: []string{"missing; kind latency_spike needs latency in (0s, 1m]"}},
	{name: "latency too long", src: ev("at: 1m, duration: 1m, kind: latency_spike, latency: 2m"), line: 2, path: "events[0].latency", want: []string{"2m is out of range (0s, 1m]"}},
	{name: "bandwidth_drop missing share", src: ev("at: 1m, duration: 1m, kind: bandwidth_drop, bandwidth_mbps: 1"), line: 2, path: "events[0].share", want: []string{"missing; kind bandwidth_drop needs share in (0, 1]"}},
	{name: "bandwidth_drop share", src: ev("at: 1m, duration: 1m, kind: bandwidth_drop, share: 1.5, bandwidth_mbps: 1"), line: 2, path: "events[0].share", want: []string{"1.5 is out of range (0, 1]"}},
	{name: "bandwidth_drop missing bandwidth", src: ev("at: 1m, duration: 1m, kind: bandwidth_drop, share: 0.5"), line: 2, path: "events[0].bandwidth_mbps", want: []string{"missing; kind bandwidth_drop needs bandwidth_mbps in (0, 100000]"}},
	{name: "bandwidth_drop zero bandwidth", src: ev("at: 1m, duration: 1m, kind: bandwidth_drop, share: 0.5, bandwidth_mbps: 0"), line: 2, path: "events[0].bandwidth_mbps", want: []string{"0 is out of range (0, 100000]"}},
	{name: "negative jump", src: ev("at: 1m, duration: 10s, kind: stale_playlist, jump: -1"), line: 2, path: "events[0].jump", want: []string{"-1 is out of range 0..1000"}},
	{name: "huge jump", src: ev("at: 1m, duration: 10s, kind: stale_playlist, jump: 1001"), line: 2, path: "events[0].jump", want: []string{"1001 is out of range 0..1000"}},
	{name: "churn without rates", src: ev("at: 1m, duration: 1m, kind: churn"), line: 2, path: "events[0].join_rate", want: []string{"churn needs join_rate or leave_rate above 0", "0..100000"}},
	{name: "negative join rate", src: ev("at: 1m, duration: 1m, kind: churn, join_rate: -1, leave_rate: 1"), line: 2, path: "events[0].join_rate", want: []string{"-1 is out of range 0..100000"}},
	{name: "leave rate too high", src: ev("at: 1m, duration: 1m, kind: churn, leave_rate: 100001"), line: 2, path: "events[0].leave_rate", want: []string{"100001 is out of range 0..100000"}},
	{name: "add_clients missing", src: ev("at: 1m, kind: add_clients"), line: 2, path: "events[0].clients", want: []string{"missing; kind add_clients needs clients in 1..1000000"}},
	{name: "remove_clients zero", src: ev("at: 1m, kind: remove_clients, clients: 0"), line: 2, path: "events[0].clients", want: []string{"0 is out of range 1..1000000"}},
	{name: "adds above the limit", src: "clients: {count: 999999}\n" + ev("at: 1m, kind: add_clients, clients: 2"), line: 3, path: "events[0].clients", want: []string{"brings the clients to 1000001, above the limit 1000000"}},
	{name: "churn joins above the limit", src: "duration: 2h\n" + ev("at: 1m, duration: 1h, kind: churn, join_rate: 100000"), line: 3, path: "events[0].join_rate",
		want: []string{"100000 joins/s over 1h can add 360000000 clients", "bringing the clients to 360000050, above the limit 1000000"}},
	{name: "count, adds and churn joins add up", src: "clients: {count: 999000}\nevents:\n  - {at: 1m, kind: add_clients, clients: 500}\n  - {at: 2m, duration: 10m, kind: churn, join_rate: 1, leave_rate: 1}\n",
		line: 4, path: "events[1].join_rate", want: []string{"can add 600 clients, bringing the clients to 1000100, above the limit 1000000"}},
	{name: "long caption", src: ev("at: 1m, duration: 1m, kind: outage, caption: " + strings.Repeat("x", 161)), line: 2, path: "events[0].caption", want: []string{"161 characters long, at most 160"}},
	{name: "two-line caption", src: ev(`at: 1m, duration: 1m, kind: outage, caption: "a\nb"`), line: 2, path: "events[0].caption", want: []string{"one line"}},
}

func TestParseErrorsNameFileLineFieldAndRange(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "t.yaml"
			}
			s, err := Parse(file, []byte(tc.src))
			require.Error(t, err)
			assert.Nil(t, s)
			var list Errors
			require.True(t, errors.As(err, &list), "Parse returns Errors, got %T", err)
			var found *FieldError
			for _, fe := range list {
				if fe.Path == tc.path {
					found = fe
					break
				}
			}
			require.NotNil(t, found, "no error for path %q in:\n%v", tc.path, err)
			msg := found.Error()
			assert.Equal(t, file, found.File)
			assert.Equal(t, tc.line, found.Line, msg)
			prefix := file + ":"
			if tc.line > 0 {
				prefix = fmt.Sprintf("%s:%d:", file, tc.line)
			}
			assert.True(t, strings.HasPrefix(msg, prefix), "%q should start with %q", msg, prefix)
			if tc.path != "" {
				assert.Contains(t, msg, " "+tc.path+": ")
			}
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
		})
	}
}

// Every ranged or enumerated field has at least one error case.
func TestErrorCasesCoverEveryRangedField(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range errorCases {
		covered[normalize(tc.path)] = true
	}
	for path := range bounds {
		assert.True(t, covered[path], "no error case for %s", path)
	}
	for path := range enums {
		assert.True(t, covered[path], "no error case for %s", path)
	}
}

func TestParseErrorColumns(t *testing.T) {
	_, err := Parse("capacity-check.yaml", []byte("name: x\nseed: 7\nduration: 10m\nstream:\n  segment_duration: 2s\n  bitrates_kbps: [5000]\n  audio_kbps: 128\nclients:\n  count: 0\n"))
	require.Error(t, err)
	assert.Equal(t, "capacity-check.yaml:9:10: clients.count: 0 is out of range 1..1000000", err.Error())

	_, err = Parse("t.yaml", []byte("events:\n  - {at: 3m, duration: 1m, kind: error_burst, status: 503, rate: 1.2}\n"))
	require.Error(t, err)
	assert.Equal(t, "t.yaml:2:66: events[0].rate: 1.2 is out of range (0, 1]", err.Error())
}

func TestParseNeverPanicsOnOddInput(t *testing.T) {
	odd := []string{
		"\x00", "{", "}", "[", "- - -", ":", "? a\n: b\n", "a: &x\n  b: *x\n", "&a [*a]", "!!binary x",
		"stream: {bitrates_kbps: [*a]}", "events: [{}]", "events: [[]]", "events: [null]", "clients: {cohorts: [1]}",
		"origin: {error_rates: []}", "origin: {error_rates: {null: 1}}", "%YAML 1.2\n---\nseed: 1\n", "seed: 0x10\n",
		"seed: 18446744073709551615\n", "seed: 18446744073709551616\n", "clients: {count: 1e300}\n", "duration: 1e300\n",
		"'a': 1", "\"seed\": \"1\"", "description: |\n  block\n  text\n", "name: >\n  folded\n",
	}
	for _, src := range odd {
		assert.NotPanics(t, func() { _, _ = Parse("odd.yaml", []byte(src)) }, "%q", src)
		assert.NotPanics(t, func() { _, _ = Parse("odd.json", []byte(src)) }, "%q", src)
	}
}

// A file with problems of structure and of range has all of them reported in one
// pass, not its range problems only once its structure is fixed; what follows from a
// field that could not be read (its default judged against the file's other values)
// is left out.
func TestParseReportsEveryProblemInOnePass(t *testing.T) {
	paths := func(src string) []string {
		_, err := Parse("t.yaml", []byte(src))
		require.Error(t, err)
		var list Errors
		require.True(t, errors.As(err, &list))
		var out []string
		for _, fe := range list {
			out = append(out, fe.Path)
		}
		return out
	}
	assert.Equal(t, []string{"clinets", "clients.count", "clients.ramp_rate", "origin.error_rate", "events[0].rat"}, paths(
		"name: x\nclinets:\n  count: 5\nclients:\n  count: 0\n  ramp_rate: fast\norigin:\n  error_rate: 2\n"+
			"events:\n  - {at: 1m, duration: 10s, kind: outage, rat: 0.2}\n"))

	// The duration could not be read: the events' times are not judged against the
	// default; the rate of the second event is wrong whatever the duration.
	assert.Equal(t, []string{"duration", "events[1].rate"}, paths(
		"duration: forever\nevents:\n  - {at: 6m, duration: 10s, kind: outage}\n  - {at: 20s, duration: 10s, kind: error_burst, rate: 3}\n"))

	// A wrong type is not also reported as a missing or out-of-range value.
	assert.Equal(t, []string{"events[0].kind"}, paths("events:\n  - {at: 1m, duration: 10s, kind: [outage]}\n"))
	assert.Equal(t, []string{"clients.cohorts[0].share"}, paths(
		"clients:\n  cohorts:\n    - {share: lots}\n    - {share: 0.5}\n"))
	// The overlap of two events is not judged from a start that could not be read.
	assert.Equal(t, []string{"events[0].at"}, paths(
		"events:\n  - {at: soon, duration: 1m, kind: outage}\n  - {at: 20s, duration: 1m, kind: outage}\n"))
}
