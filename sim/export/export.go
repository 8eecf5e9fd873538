package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"swarmsim/sim/engine"
	"swarmsim/sim/export/wire"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Format identifies the JSON layout; ReadJSON accepts files without it or with this value.
const Format = "swarmsim.run/v1"

// Run is one simulated run as exported.
type Run struct {
	Scenario *scenario.Scenario
	Seed     uint64
	Interval time.Duration // recorder interval between samples
	Final    *stats.AggregatedStats
	Series   []engine.Sample
	Events   []engine.EventMark
	// ExitCodes counts the player processes that ended during the run by
	// exit code (engine.Engine.ExitCodes); nil when not known.
	ExitCodes map[int]int
}

// New assembles a Run from a scenario, the final snapshot, the recorder's series
// (may be nil) and the event marks. The seed is the scenario's.
func New(sc *scenario.Scenario, final *stats.AggregatedStats, series *engine.Series, events []engine.EventMark) *Run {
	r := &Run{Scenario: sc, Final: final, Events: events}
	if sc != nil {
		r.Seed = sc.Seed
	}
	if series != nil {
		r.Interval = series.Interval
		r.Series = series.Samples
	}
	return r
}

// WriteJSON writes the run as one JSON object (see the package documentation).
func WriteJSON(w io.Writer, r *Run) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	b.WriteString(`"format":` + `"` + Format + `",` + "\n")
	sc, err := json.Marshal(r.Scenario)
	if err != nil {
		return fmt.Errorf("export: scenario: %w", err)
	}
	b.WriteString(`"scenario":`)
	b.Write(sc)
	fmt.Fprintf(&b, ",\n\"seed\":%d,\n\"interval\":", r.Seed)
	if err := wire.Encode(&b, reflect.ValueOf(r.Interval)); err != nil {
		return fmt.Errorf("export: interval: %w", err)
	}
	b.WriteString(",\n\"final\":")
	if r.Final == nil {
		b.WriteString("null")
	} else if err := wire.EncodeStruct(&b, reflect.ValueOf(r.Final).Elem(), finalNoValue(r.Final)); err != nil {
		return fmt.Errorf("export: final: %w", err)
	}
	b.WriteString(",\n\"series\":[")
	for i := range r.Series {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		if err := wire.Encode(&b, reflect.ValueOf(&r.Series[i]).Elem()); err != nil {
			return fmt.Errorf("export: series[%d]: %w", i, err)
		}
	}
	b.WriteString("],\n\"events\":[")
	for i := range r.Events {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		if err := wire.Encode(&b, reflect.ValueOf(&r.Events[i]).Elem()); err != nil {
			return fmt.Errorf("export: events[%d]: %w", i, err)
		}
	}
	b.WriteString("]")
	if r.ExitCodes != nil {
		codes, err := json.Marshal(r.ExitCodes) // keys as strings, sorted
		if err != nil {
			return fmt.Errorf("export: exit codes: %w", err)
		}
		b.WriteString(",\n\"exit_codes\":")
		b.Write(codes)
	}
	b.WriteString("\n}\n")
	_, err = w.Write(b.Bytes())
	return err
}

// ReadJSON reads a run written by WriteJSON. Errors name the top-level key (and the
// field inside it) that is wrong. Unknown keys are ignored.
func ReadJSON(rd io.Reader) (*Run, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a swarmsim run (want a JSON object): %w", err)
	}
	if f, ok := top["format"]; ok {
		var s string
		if json.Unmarshal(f, &s) != nil || s != Format {
			return nil, fmt.Errorf("format: %s is not %q", truncate(f), Format)
		}
	}
	for _, key := range []string{"scenario", "final"} {
		if _, ok := top[key]; !ok {
			return nil, fmt.Errorf("%q is missing: not a swarmsim run", key)
		}
	}
	r := &Run{Scenario: &scenario.Scenario{}, Final: &stats.AggregatedStats{}}
	if err := json.Unmarshal(top["scenario"], r.Scenario); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if raw, ok := top["seed"]; ok {
		if err := json.Unmarshal(raw, &r.Seed); err != nil {
			return nil, fmt.Errorf("seed: want an unsigned integer, got %s", truncate(raw))
		}
	}
	if raw, ok := top["interval"]; ok {
		if err := wire.Decode(raw, reflect.ValueOf(&r.Interval).Elem()); err != nil {
			return nil, fmt.Errorf("interval: %w", err)
		}
	}
	if err := wire.Decode(top["final"], reflect.ValueOf(r.Final).Elem()); err != nil {
		return nil, fmt.Errorf("final: %w", err)
	}
	if raw, ok := top["exit_codes"]; ok {
		if err := json.Unmarshal(raw, &r.ExitCodes); err != nil {
			return nil, fmt.Errorf("exit_codes: want an object of exit code: count, got %s", truncate(raw))
		}
	}
	if raw, ok := top["series"]; ok {
		if err := wire.Decode(raw, reflect.ValueOf(&r.Series).Elem()); err != nil {
			return nil, fmt.Errorf("series%w", prefixIndex(err))
		}
	}
	if raw, ok := top["events"]; ok {
		if err := wire.Decode(raw, reflect.ValueOf(&r.Events).Elem()); err != nil {
			return nil, fmt.Errorf("events%w", prefixIndex(err))
		}
	}
	return r, nil
}

// prefixIndex makes "[3]: T: ..." read as "series[3]: T: ..." and anything else as
// "series: ...".
func prefixIndex(err error) error {
	if strings.HasPrefix(err.Error(), "[") {
		return err
	}
	return fmt.Errorf(": %w", err)
}

// CSVHeader lists the CSV columns: Sample field names (durations in seconds).
func CSVHeader() []string {
	cols := sampleColumns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func sampleColumns() []wire.Column { return wire.Columns(reflect.TypeFor[engine.Sample]()) }

// WriteCSV writes a header and one row per sample of the run's series.
func WriteCSV(w io.Writer, r *Run) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	cols := sampleColumns()
	if err := cw.Write(CSVHeader()); err != nil {
		return err
	}
	row := make([]string, len(cols))
	for i := range r.Series {
		v := reflect.ValueOf(&r.Series[i]).Elem()
		for j, c := range cols {
			cell, err := c.Cell(v)
			if err != nil {
				return fmt.Errorf("export: series[%d].%s: %w", i, c.Name, err)
			}
			row[j] = cell
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}
