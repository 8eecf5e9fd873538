package app

import (
	"testing"

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
