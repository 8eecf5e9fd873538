package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormatters(t *testing.T) {
	cases := []struct{ got, want string }{
		{FormatRate(512, "req"), "512 req/s"},
		{FormatRate(1250, "req"), "1.25 kreq/s"},
		{FormatRate(0.5, ""), "0.5/s"},
		{FormatRate(71.9e6, "B"), "71.9 MB/s"},
		{FormatPercent(0), "0 %"},
		{FormatPercent(0.00042), "0.042 %"},
		{FormatPercent(0.0123), "1.23 %"},
		{FormatPercent(0.125), "12.5 %"},
		{FormatClock(0), "0:00"},
		{FormatClock(65 * time.Second), "1:05"},
		{FormatClock(3*time.Hour + 2*time.Minute + 1*time.Second + 900*time.Millisecond), "3:02:01"},
		{FormatSeconds(0), "0 s"},
		{FormatSeconds(0.0123), "12.3 ms"},
		{FormatSeconds(2.4), "2.4 s"},
		{FormatSeconds(185), "3m5s"},
		{FormatSeconds(60), "1m"},
		{FormatSeconds(3600), "1h0m"},
		{FormatSeconds(-1), "-1 s"},
		{FormatSeconds(Gap), "–"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.got)
	}
}
