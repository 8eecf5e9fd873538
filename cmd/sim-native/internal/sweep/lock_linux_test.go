package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// otherWriter is another process's journal on the same part, holding its lock in the
// middle of a line.
type otherWriter struct {
	f   *os.File
	ino uint64
}

func lockedMidLine(t *testing.T, path, half string) *otherWriter {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX))
	_, err = f.WriteString(half)
	require.NoError(t, err)
	st, err := f.Stat()
	require.NoError(t, err)
	return &otherWriter{f: f, ino: st.Sys().(*syscall.Stat_t).Ino}
}

// finish ends the line and releases the lock.
func (w *otherWriter) finish(t *testing.T, rest string) {
	t.Helper()
	_, err := w.f.WriteString(rest)
	require.NoError(t, err)
	require.NoError(t, syscall.Flock(int(w.f.Fd()), syscall.LOCK_UN))
}

// waitsForLock reports whether a flock waiter on w's file shows in /proc/locks before
// done is closed (the call under test returned without waiting).
func (w *otherWriter) waitsForLock(t *testing.T, done <-chan struct{}) bool {
	t.Helper()
	suffix := fmt.Sprintf(":%d", w.ino)
	for {
		select {
		case <-done:
			return false
		default:
		}
		b, err := os.ReadFile("/proc/locks")
		require.NoError(t, err)
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) >= 7 && f[1] == "->" && f[2] == "FLOCK" && strings.HasSuffix(f[6], suffix) {
				return true
			}
		}
		time.Sleep(time.Millisecond) // polling /proc/locks, not a wait for an event
	}
}

// Two processes running the same shard (a requeued batch task): a journal neither
// appends nor cuts off a "torn" line while the other holds the part's lock in the middle
// of writing it; it waits, and every line of the part is whole. The run both computed is
// then in the part twice, with the same record.
func TestJournalWaitsForAnotherWriter(t *testing.T) {
	p := testPlan()
	h := testHeader(p, All)
	rec := RecordOf(Outcome{Point: p.Points()[1], Done: true, OK: true, Metrics: Metrics{"stalled_ratio": 0.25}})
	line := `{"index":1,"value":"10","seed":6,"ok":true,"metrics":{"stalled_ratio":0.25}}` + "\n"
	half := len(line) / 2

	t.Run("append", func(t *testing.T) {
		dir := t.TempDir()
		j, _, err := OpenJournal(dir, h)
		require.NoError(t, err)
		defer j.Close()
		other := lockedMidLine(t, j.Path, line[:half])
		done := make(chan struct{})
		var appendErr error
		go func() { defer close(done); appendErr = j.Append(rec) }()
		require.True(t, other.waitsForLock(t, done), "Append wrote while another writer held the lock")
		other.finish(t, line[half:])
		<-done
		require.NoError(t, appendErr)

		part, err := ReadPart(j.Path)
		require.NoError(t, err)
		assert.Equal(t, []Record{rec, rec}, part.Records)
	})

	t.Run("open", func(t *testing.T) {
		dir := t.TempDir()
		j, _, err := OpenJournal(dir, h)
		require.NoError(t, err)
		require.NoError(t, j.Close())
		other := lockedMidLine(t, j.Path, line[:half])
		done := make(chan struct{})
		var (
			j2   *Journal
			recs []Record
		)
		go func() { defer close(done); j2, recs, err = OpenJournal(dir, h) }()
		require.True(t, other.waitsForLock(t, done), "OpenJournal read while another writer held the lock")
		other.finish(t, line[half:])
		<-done
		require.NoError(t, err)
		defer j2.Close()
		assert.Equal(t, []Record{rec}, recs, "the other's line is read whole, not cut off")
		require.NoError(t, j2.Append(rec))
		part, err := ReadPart(filepath.Join(dir, PartName(All)))
		require.NoError(t, err)
		assert.Equal(t, []Record{rec, rec}, part.Records)
	})
}
