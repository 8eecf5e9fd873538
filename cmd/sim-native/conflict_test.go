package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSettingKey(t *testing.T) {
	tests := []struct {
		key, canon string
		ok         bool
	}{
		{"clients", "clients.count", true},
		{" Clients.Count ", "clients.count", true},
		{"capacity", "origin.capacity_mbps", true},
		{"origin.capacity-mbps", "origin.capacity_mbps", true},
		{"bitrate", "stream.bitrates_kbps", true},
		{"ladder", "stream.bitrates_kbps", true},
		{"origin.error_rates.503", "origin.error_rates.503", true},
		{"colour", "", false},
	}
	for _, tc := range tests {
		canon, ok := settingKey(tc.key)
		assert.Equal(t, tc.ok, ok, tc.key)
		assert.Equal(t, tc.canon, canon, tc.key)
	}
}

// Two options that set the same thing are an error naming both, whatever their order,
// instead of one silently winning.
func TestConflictingOptions(t *testing.T) {
	tests := []struct {
		args     []string
		contains []string
	}{
		{[]string{"run", "--duration", "5s", "--set", "clients=5", "--clients", "7"}, []string{"--clients 7", "--set clients=5", "clients.count"}},
		{[]string{"run", "--duration", "5s", "--clients", "7", "--set", "clients.count=5"}, []string{"--clients 7", "--set clients.count=5"}},
		{[]string{"run", "--duration", "5s", "--set", "duration=10s"}, []string{"--duration 5s", "--set duration=10s"}},
		{[]string{"run", "--duration", "5s", "--seed", "3", "--set", "seed=4"}, []string{"--seed 3", "--set seed=4"}},
		{[]string{"run", "--duration", "5s", "--set", "capacity=100", "--set", "origin.capacity_mbps=200"}, []string{"--set capacity=100", "--set origin.capacity_mbps=200", "origin.capacity_mbps"}},
		{[]string{"run", "--duration", "5s", "--duration", "6s"}, []string{`--duration given twice ("5s" and "6s")`}},
		{[]string{"run", "--duration", "5s", "--json", "x.json", "--csv", "x.json"}, []string{"--json x.json", "--csv x.json", "same file"}},
		{[]string{"run", "--duration", "5s", "--csv", "out/../x.csv", "--report", "x.csv"}, []string{"--csv out/../x.csv", "--report x.csv"}},
		{[]string{"sweep", "--duration", "5s", "--seeds", "1", "--slo", "error_rate<1", "--param", "clients=1..2:1", "--param", "clients=3..4:1"}, []string{`--param given twice ("clients=1..2:1" and "clients=3..4:1")`}},
		{[]string{"sweep", "--duration", "5s", "--seeds", "1", "--slo", "error_rate<1", "--param", "clients=1..2:1", "--clients", "5"}, []string{"--param clients=1..2:1", "--clients 5"}},
		{[]string{"sweep", "--duration", "5s", "--seeds", "1", "--slo", "error_rate<1", "--param", "capacity=100,200", "--set", "origin.capacity_mbps=50"}, []string{"--param capacity=100,200", "--set origin.capacity_mbps=50"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, t.TempDir(), tc.args...)
			assert.Equal(t, 2, r.code, r.stderr)
			for _, s := range tc.contains {
				assert.Contains(t, r.stderr, s)
			}
		})
	}
}
