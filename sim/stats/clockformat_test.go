package stats

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormatClock(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0:00"},
		{-time.Second, "0:00"},
		{999 * time.Millisecond, "0:00"},
		{65 * time.Second, "1:05"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour, "1:00:00"},
		{2*time.Hour + time.Second, "2:00:01"},
		{3*time.Hour + 2*time.Minute + time.Second + 900*time.Millisecond, "3:02:01"},
		{100 * time.Hour, "100:00:00"},
	} {
		assert.Equal(t, c.want, FormatClock(c.in), "%v", c.in)
	}
}
