package progress

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRender(t *testing.T) {
	// 15 of 60 virtual minutes in 3 real seconds: 300x, 45 min left -> 9 s.
	line := Render(15*time.Minute, time.Hour, 3*time.Second, 20)
	assert.Equal(t, "[=====>              ] 15:00 / 1:00:00  25%  speed 300x  ETA 0:09", line)

	line = Render(0, time.Minute, 0, 10)
	assert.Contains(t, line, "speed -  ETA -")
	assert.Contains(t, line, "  0%")

	line = Render(time.Minute, time.Minute, 30*time.Second, 10)
	assert.Contains(t, line, "[==========]")
	assert.Contains(t, line, "100%")
	assert.Contains(t, line, "speed 2.0x")
	assert.Contains(t, line, "ETA 0:00")
}

type fakeClock struct{ t time.Time }

func (f *fakeClock) now() time.Time { return f.t }

func TestBarThrottlesAndDelays(t *testing.T) {
	clk := &fakeClock{t: time.Unix(0, 0)}
	var buf bytes.Buffer
	b := New(&buf, time.Hour, true, clk.now)

	clk.t = clk.t.Add(100 * time.Millisecond)
	b.Update(time.Minute)
	assert.Empty(t, buf.String(), "nothing for a run that has only taken a moment")

	clk.t = clk.t.Add(400 * time.Millisecond)
	b.Update(2 * time.Minute)
	first := buf.String()
	require.Contains(t, first, "2:00 / 1:00:00")

	clk.t = clk.t.Add(10 * time.Millisecond)
	b.Update(3 * time.Minute)
	assert.Equal(t, first, buf.String(), "redraws are throttled")

	clk.t = clk.t.Add(200 * time.Millisecond)
	b.Update(4 * time.Minute)
	assert.Contains(t, buf.String(), "4:00 / 1:00:00")

	b.Finish()
	assert.True(t, bytes.HasSuffix(buf.Bytes(), []byte("\r\x1b[K")))
}

func TestBarDisabledWritesNothing(t *testing.T) {
	clk := &fakeClock{t: time.Unix(0, 0)}
	var buf bytes.Buffer
	b := New(&buf, time.Hour, false, clk.now)
	clk.t = clk.t.Add(time.Hour)
	b.Update(time.Minute)
	b.Finish()
	assert.Empty(t, buf.String())
}

func TestIsTerminalOnPipe(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, IsTerminal(w))
}
