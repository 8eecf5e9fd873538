package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testHeader(p Plan, s Shard) PartHeader {
	return PartHeader{Format: PartFormat, PlanID: p.ID(), Shard: s.I, Shards: s.N, Points: s.Of(p.Runs()), Plan: p}
}

// A record keeps every metric exactly, undefined (NaN) and infinite ones included, and a
// failed run's message.
func TestJournalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := testPlan()
	h := testHeader(p, Shard{2, 2})
	j, recs, err := OpenJournal(dir, h)
	require.NoError(t, err)
	assert.Empty(t, recs)
	assert.Equal(t, filepath.Join(dir, "part-2-of-2.jsonl"), j.Path)
	pts := p.Points()
	outs := []Outcome{
		{Point: pts[1], Done: true, OK: true, Metrics: map[string]float64{"a": 0.1 + 0.2, "b": math.NaN(), "c": math.Inf(1), "d": 1e-300}},
		{Point: pts[3], Done: true, Err: errors.New("scenario steady: boom")},
	}
	for _, o := range outs {
		require.NoError(t, j.Append(RecordOf(o)))
	}
	require.NoError(t, j.Close())

	part, err := ReadPart(j.Path)
	require.NoError(t, err)
	assert.Equal(t, h.PlanID, part.Header.PlanID)
	require.Len(t, part.Records, 2)
	got := part.Records[0].Outcome(p)
	assert.Equal(t, outs[0].Point, got.Point)
	assert.True(t, got.Done && got.OK)
	assert.Equal(t, 0.1+0.2, got.Metrics["a"], "exactly, not rounded")
	assert.True(t, math.IsNaN(got.Metrics["b"]))
	assert.True(t, math.IsInf(got.Metrics["c"], 1))
	assert.Equal(t, 1e-300, got.Metrics["d"])
	failed := part.Records[1].Outcome(p)
	assert.EqualError(t, failed.Err, "scenario steady: boom")
	assert.False(t, failed.OK)
}

// A line cut short by a kill is left out when read and cut off when the shard resumes, so
// the next record starts on a line of its own.
func TestJournalTornLine(t *testing.T) {
	dir := t.TempDir()
	p := testPlan()
	h := testHeader(p, All)
	j, _, err := OpenJournal(dir, h)
	require.NoError(t, err)
	pts := p.Points()
	require.NoError(t, j.Append(RecordOf(Outcome{Point: pts[0], Done: true, OK: true})))
	require.NoError(t, j.Close())
	f, err := os.OpenFile(j.Path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"index":1,"value":"10","se`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	part, err := ReadPart(j.Path)
	require.NoError(t, err)
	assert.Len(t, part.Records, 1)

	j, recs, err := OpenJournal(dir, h)
	require.NoError(t, err)
	assert.Len(t, recs, 1)
	require.NoError(t, j.Append(RecordOf(Outcome{Point: pts[1], Done: true, OK: true})))
	require.NoError(t, j.Close())
	part, err = ReadPart(j.Path)
	require.NoError(t, err)
	require.Len(t, part.Records, 2)
	assert.Equal(t, 1, part.Records[1].Index)
}

func TestJournalRefusesAnotherPlan(t *testing.T) {
	dir := t.TempDir()
	p := testPlan()
	j, _, err := OpenJournal(dir, testHeader(p, All))
	require.NoError(t, err)
	require.NoError(t, j.Close())
	q := testPlan()
	q.SLO = "error_rate<0.1"
	_, _, err = OpenJournal(dir, testHeader(q, All))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is a part of plan "+p.ID())
	assert.Contains(t, err.Error(), "differ in SLO")
}

// Damage is named with the file and the line.
func TestReadPartErrors(t *testing.T) {
	dir := t.TempDir()
	p := testPlan()
	j, _, err := OpenJournal(dir, testHeader(p, All))
	require.NoError(t, err)
	require.NoError(t, j.Close())
	header, err := os.ReadFile(j.Path)
	require.NoError(t, err)
	tests := []struct{ name, content, msg string }{
		{"first line cut short, not a header", `{"index":1,"value":"10","se`, ":1: not a sweep part file"},
		{"not a part", "{\"format\":\"swarmsim.run/v1\"}\n", ":1: not a sweep part file"},
		{"changed plan", strings.Replace(string(header), `"seeds":2`, `"seeds":3`, 1), ":1: the plan id " + p.ID() + " does not match"},
		{"bad record", string(header) + "{\"index\":1,\n{\"index\":2}\n", ":2: "},
		{"run not in plan", string(header) + "{\"index\":6,\"value\":\"30\",\"seed\":5,\"ok\":true}\n", ":2: run 6 is not in the plan"},
		{"wrong point", string(header) + "{\"index\":1,\"value\":\"20\",\"seed\":6,\"ok\":true}\n", ":2: run 1 is clients=10 seed 6 in the plan, not 20 seed 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "part-1-of-1.jsonl")
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o644))
			_, err := ReadPart(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

// A part killed before its header was whole (created where hard links fail, then killed)
// holds no runs: ReadPart says so, and the shard's next run writes the header and keeps
// its runs there.
func TestJournalRewritesAPartWithoutHeader(t *testing.T) {
	p := testPlan()
	h := testHeader(p, Shard{1, 2})
	line, err := json.Marshal(h)
	require.NoError(t, err)
	for _, content := range []string{"", `{"form`, string(line[:len(line)/2]), string(line)} {
		t.Run(fmt.Sprintf("%.12q", content), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, PartName(Shard{1, 2}))
			require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			_, err := ReadPart(path)
			require.ErrorIs(t, err, ErrNoHeader)
			assert.Contains(t, err.Error(), path)

			j, recs, err := OpenJournal(dir, h)
			require.NoError(t, err)
			assert.Empty(t, recs)
			require.NoError(t, j.Append(RecordOf(Outcome{Point: p.Points()[2], Done: true, OK: true})))
			require.NoError(t, j.Close())
			part, err := ReadPart(path)
			require.NoError(t, err)
			assert.Equal(t, h.PlanID, part.Header.PlanID)
			require.Len(t, part.Records, 1)
			assert.Equal(t, 2, part.Records[0].Index)
		})
	}
}

// A first line cut short that is not a header is not taken for one: the file is left
// as it is.
func TestJournalKeepsAFileThatIsNotAPart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, PartName(All))
	require.NoError(t, os.WriteFile(path, []byte("keep"), 0o644))
	_, _, err := OpenJournal(dir, testHeader(testPlan(), All))
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":1: not a sweep part file")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(b))
}

// A part is never written through a symbolic link.
func TestJournalRefusesASymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	require.NoError(t, os.WriteFile(victim, []byte("keep"), 0o644))
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, PartName(All))))
	_, _, err := OpenJournal(dir, testHeader(testPlan(), All))
	require.Error(t, err)
	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(b))
}

func TestPartName(t *testing.T) {
	assert.Equal(t, "part-1-of-1.jsonl", PartName(All))
	assert.Equal(t, "part-007-of-120.jsonl", PartName(Shard{7, 120}))
}
