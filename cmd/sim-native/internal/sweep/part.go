package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// PartFormat names the format of a part file in its header.
const PartFormat = "swarmsim.sweep-part/v1"

// A part file holds the results of one shard of a plan, as JSON lines: a header, then one
// record per finished run, appended as each run finishes. A process that is stopped
// (Ctrl-C, SIGTERM, a preempted node) keeps every run it finished; a line cut short by a
// kill is ignored when the file is read and rewritten when the shard resumes. A part
// killed before its header was whole (ErrNoHeader) holds no runs: the shard's next run
// writes the header again.

// ErrNoHeader is the error of ReadPart for a part file that is empty or holds only the
// beginning of a header: the process that created it was stopped before it wrote the
// header whole, so it holds no runs.
var ErrNoHeader = errors.New("no header: the shard was stopped before writing it (the part holds no runs)")

// headerStart is how every header line begins (json.Marshal writes Format first).
var headerStart = []byte(`{"format":"` + PartFormat + `"`)

// headerCut reports whether b, a first line without its newline, is a header cut short.
func headerCut(b []byte) bool {
	return bytes.HasPrefix(headerStart, b) || bytes.HasPrefix(b, headerStart)
}

// PartHeader is the first line of a part file.
type PartHeader struct {
	Format string `json:"format"`
	PlanID string `json:"plan_id"`
	Shard  int    `json:"shard"`  // 1..Shards
	Shards int    `json:"shards"` // the shard count
	Points []int  `json:"points"` // the run indexes of the shard
	Plan   Plan   `json:"plan"`
}

// Record is one finished run in a part file.
type Record struct {
	Index   int     `json:"index"`
	Value   string  `json:"value"`
	Seed    uint64  `json:"seed"`
	OK      bool    `json:"ok"` // every objective held
	Metrics Metrics `json:"metrics,omitempty"`
	Error   string  `json:"error,omitempty"` // the run failed (it counts as failing the SLO)
}

// Metrics are a run's metric values; a value that is undefined for the run (NaN) is
// written as null, an infinite one as "+Inf" or "-Inf", every other one exactly.
type Metrics map[string]float64

// MarshalJSON writes the metrics with their keys in order.
func (m Metrics) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch {
		case math.IsNaN(v):
			out[k] = nil
		case math.IsInf(v, 1):
			out[k] = "+Inf"
		case math.IsInf(v, -1):
			out[k] = "-Inf"
		default:
			out[k] = v
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Metrics) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = make(Metrics, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case nil:
			(*m)[k] = math.NaN()
		case float64:
			(*m)[k] = x
		case string:
			switch x {
			case "+Inf":
				(*m)[k] = math.Inf(1)
			case "-Inf":
				(*m)[k] = math.Inf(-1)
			default:
				return fmt.Errorf("metric %s: %q is not a number", k, x)
			}
		default:
			return fmt.Errorf("metric %s: %v is not a number", k, v)
		}
	}
	return nil
}

// RecordOf is the record of a finished run.
func RecordOf(o Outcome) Record {
	r := Record{Index: o.Seq, Value: o.Value, Seed: o.Seed, OK: o.OK, Metrics: o.Metrics}
	if o.Err != nil {
		r.Error = o.Err.Error()
		r.OK = false
		r.Metrics = nil
	}
	return r
}

// Outcome is the record as the outcome of its run of plan p.
func (r Record) Outcome(p Plan) Outcome {
	o := Outcome{Point: Point{Seq: r.Index, Index: r.Index / p.Seeds, Value: r.Value, Seed: r.Seed}, OK: r.OK, Metrics: r.Metrics, Done: true}
	if r.Error != "" {
		o.Err = errors.New(r.Error)
	}
	return o
}

// PartName is the file name of a shard's part: part-I-of-N.jsonl, I zero-padded to the
// width of N so that the parts list in order.
func PartName(s Shard) string {
	w := len(fmt.Sprint(s.N))
	return fmt.Sprintf("part-%0*d-of-%d.jsonl", w, s.I, s.N)
}

// Part is a part file as read.
type Part struct {
	Path    string
	Header  PartHeader
	Records []Record
	size    int64 // bytes of complete lines (a torn last line excluded)
}

// maxLine bounds a line of a part file (a record is well under 4 KiB; the header holds
// the scenario and the shard's indexes).
const maxLine = 64 << 20

// ReadPart reads a part file. A last line without its newline (the process was killed
// while writing it) is left out; a part without a whole header is ErrNoHeader; any other
// line that cannot be read is an error naming the file and line. Records are checked
// against the header's plan.
func ReadPart(path string) (*Part, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	return readPart(path, f)
}

func readPart(path string, r io.Reader) (*Part, error) {
	p := &Part{Path: path}
	br := bufio.NewReaderSize(r, 1<<16)
	for line := 1; ; line++ {
		b, err := readLine(br)
		if errors.Is(err, io.EOF) {
			if line == 1 {
				if headerCut(b) {
					return nil, fmt.Errorf("%s: %w", path, ErrNoHeader)
				}
				return nil, fmt.Errorf("%s:1: not a sweep part file (want a %s header)", path, PartFormat)
			}
			break // a torn last line (b without newline) is dropped
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if line == 1 {
			if err := decodeStrict(b, &p.Header); err != nil || p.Header.Format != PartFormat {
				return nil, fmt.Errorf("%s:1: not a sweep part file (want a %s header)", path, PartFormat)
			}
			if err := p.Header.check(); err != nil {
				return nil, fmt.Errorf("%s:1: %w", path, err)
			}
		} else {
			var rec Record
			if err := decodeStrict(b, &rec); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			if err := p.Header.checkRecord(rec); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			p.Records = append(p.Records, rec)
		}
		p.size += int64(len(b)) + 1
	}
	return p, nil
}

// readLine returns the next line without its newline; io.EOF when there is no complete
// line left.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		switch {
		case err == nil:
			return buf[:len(buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return buf, io.EOF
		default:
			return nil, err
		}
	}
}

func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func (h PartHeader) check() error {
	if h.Shards < 1 || h.Shards > MaxShards || h.Shard < 1 || h.Shard > h.Shards {
		return fmt.Errorf("shard %d/%d is out of range", h.Shard, h.Shards)
	}
	if h.Plan.Seeds < 1 || len(h.Plan.Values) == 0 {
		return errors.New("the plan has no runs")
	}
	if id := h.Plan.ID(); id != h.PlanID {
		return fmt.Errorf("the plan id %s does not match the plan it describes (%s): the file was changed", h.PlanID, id)
	}
	if !slices.Equal(h.Points, Shard{h.Shard, h.Shards}.Of(h.Plan.Runs())) {
		return fmt.Errorf("the points of shard %d/%d are not those of the plan", h.Shard, h.Shards)
	}
	return nil
}

func (h PartHeader) checkRecord(r Record) error {
	n := h.Plan.Runs()
	if r.Index < 0 || r.Index >= n {
		return fmt.Errorf("run %d is not in the plan (0..%d)", r.Index, n-1)
	}
	want := h.Plan.Values[r.Index/h.Plan.Seeds]
	seed := h.Plan.FirstSeed + uint64(r.Index%h.Plan.Seeds)
	if r.Value != want || r.Seed != seed {
		return fmt.Errorf("run %d is %s=%s seed %d in the plan, not %s seed %d", r.Index, h.Plan.Key, want, seed, r.Value, r.Seed)
	}
	return nil
}

// Journal appends the records of a shard's finished runs to its part file. Another
// process may be running the same shard (a batch engine that started a task again):
// where the file system has locks, each journal reads and appends under an exclusive
// lock of the part, so that every line is whole whatever the other writes; the run both
// compute is then in the part twice, with the same record.
type Journal struct {
	mu      sync.Mutex // Append is safe for concurrent use
	f       *os.File
	Path    string
	noLocks error // why the part is written without locks; nil: with
}

// OpenJournal opens the part file of h's shard in dir for appending, creating it with
// its header when it does not exist or holds no whole header (ErrNoHeader). An existing
// file must be a part of the same plan and shard; a torn last line is cut off. It
// returns the records already there.
func OpenJournal(dir string, h PartHeader) (*Journal, []Record, error) {
	path := filepath.Join(dir, PartName(Shard{h.Shard, h.Shards}))
	line, err := json.Marshal(h)
	if err != nil {
		return nil, nil, err
	}
	line = append(line, '\n')
	if err := createPart(path, line); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, nil, err
	}
	// O_NOFOLLOW: a part is a regular file written here, never through a link. O_CREATE:
	// where hard links fail, the part is created here and its header written below.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|noFollow, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	j := &Journal{f: f, Path: path}
	recs, err := j.open(h, line)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return j, recs, nil
}

// open reads the part under its lock, writing the header when there is none and
// cutting off a torn last line.
func (j *Journal) open(h PartHeader, header []byte) (_ []Record, err error) {
	unlock, err := j.lock()
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := unlock(); err == nil {
			err = uerr
		}
	}()
	st, err := j.f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", j.Path)
	}
	p, err := readPart(j.Path, j.f)
	if errors.Is(err, ErrNoHeader) {
		if err := writeHeader(j.f, header); err != nil {
			return nil, fmt.Errorf("%s: %w", j.Path, unwrapPath(err))
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p.Header.PlanID != h.PlanID {
		return nil, fmt.Errorf("%s is a part of plan %s, not of this sweep's plan %s (they differ in %s): give this sweep another --out directory",
			j.Path, p.Header.PlanID, h.PlanID, strings.Join(p.Header.Plan.Differences(h.Plan), ", "))
	}
	if p.size < st.Size() {
		if err := j.f.Truncate(p.size); err != nil {
			return nil, fmt.Errorf("%s: cutting off a torn last line: %w", j.Path, unwrapPath(err))
		}
	}
	return p.Records, nil
}

// errNoLocks: the file system (or the system) has no file locks.
var errNoLocks = errors.New("no file locks")

// lock takes the part's lock (not where the file system has none) and returns its
// release.
func (j *Journal) lock() (unlock func() error, err error) {
	if j.noLocks == nil {
		err = lockFile(j.f)
	}
	if errors.Is(err, errNoLocks) {
		j.noLocks = err
	}
	if j.noLocks != nil {
		return func() error { return nil }, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: locking: %w", j.Path, err)
	}
	return func() error {
		if err := unlockFile(j.f); err != nil {
			return fmt.Errorf("%s: unlocking: %w", j.Path, err)
		}
		return nil
	}, nil
}

// Unlocked is why the part is written without a lock (the file system has none), or
// nil. Without one, two processes running the same shard at once may tear its lines.
func (j *Journal) Unlocked() error { return j.noLocks }

// createPart writes the header line to a new file and links it into place, so the part
// appears with its header, never without (another process may be creating the same
// part: then fs.ErrExist). On a file system without hard links (some network and
// object-store mounts) it does nothing: OpenJournal creates the part and writes its
// header, and a part a kill left without one is ErrNoHeader, written again on resume.
func createPart(path string, line []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Dir(path), unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(line)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		return fs.ErrExist
	}
	return nil
}

// writeHeader replaces what f holds (no whole header) with the header line.
func writeHeader(f *os.File, line []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		return err
	}
	return f.Sync()
}

// Append writes one record as one line, under the part's lock, and syncs it to disk.
func (j *Journal) Append(r Record) (err error) {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("%s: %w", j.Path, err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	unlock, err := j.lock()
	if err != nil {
		return err
	}
	defer func() {
		if uerr := unlock(); err == nil {
			err = uerr
		}
	}()
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("%s: %w", j.Path, unwrapPath(err))
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", j.Path, unwrapPath(err))
	}
	return nil
}

// Close closes the part file.
func (j *Journal) Close() error { return j.f.Close() }

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
