package sweep

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The shards of a split deal the runs out in turn: together they hold every run once.
func TestShardsPartitionTheRuns(t *testing.T) {
	assert.Equal(t, []int{1, 4, 7}, Shard{2, 3}.Of(9))
	assert.Equal(t, []int{2, 5}, Shard{3, 3}.Of(8))
	assert.Empty(t, Shard{5, 5}.Of(3), "more shards than runs: the last ones are empty")
	for _, n := range []int{1, 2, 3, 7, 40} {
		seen := make([]int, 33)
		for i := 1; i <= n; i++ {
			for _, j := range (Shard{i, n}).Of(33) {
				seen[j]++
				assert.True(t, Shard{i, n}.Owns(j))
				assert.Equal(t, Shard{i, n}, Index(j, n))
			}
		}
		for j, c := range seen {
			assert.Equal(t, 1, c, "run %d in %d shards of %d", j, c, n)
		}
	}
}

func TestParseShard(t *testing.T) {
	s, err := ParseShard("2/4")
	require.NoError(t, err)
	assert.Equal(t, Shard{2, 4}, s)
	assert.Equal(t, "2/4", s.String())
	for in, msg := range map[string]string{
		"2":        "expected I/N",
		"0/4":      "index I must be an integer in 1..4",
		"5/4":      "in 1..4",
		"1/0":      "count N must be an integer in 1..100000",
		"x/4":      "index I",
		"1/999999": "count N",
	} {
		_, err := ParseShard(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), msg, in)
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name  string
		n     int
		env   func(string) string
		shard Shard
		err   string
	}{
		{"k8s first", 4, env("JOB_COMPLETION_INDEX", "0"), Shard{1, 4}, ""},
		{"k8s last", 4, env("JOB_COMPLETION_INDEX", "3"), Shard{4, 4}, ""},
		{"k8s beyond", 4, env("JOB_COMPLETION_INDEX", "4"), Shard{}, "index in 0..3"},
		{"slurm first", 4, env("SLURM_ARRAY_TASK_ID", "0"), Shard{1, 4}, ""},
		{"slurm last", 4, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "3", "SLURM_ARRAY_TASK_COUNT", "1"), Shard{4, 4}, ""},
		{"slurm beyond", 4, env("SLURM_ARRAY_TASK_ID", "4"), Shard{}, "index in 0..3 (submit the array with --array=0-3)"},
		{"slurm not a number", 4, env("SLURM_ARRAY_TASK_ID", "x"), Shard{}, `SLURM_ARRAY_TASK_ID="x"`},
		{"both", 4, env("SLURM_ARRAY_TASK_ID", "1", "JOB_COMPLETION_INDEX", "1"), Shard{}, "both"},
		{"none", 4, env(), Shard{}, "no shard index in the environment"},
		{"bad count", 0, env("JOB_COMPLETION_INDEX", "0"), Shard{}, "--shards 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ShardFromEnv(tc.n, tc.env)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.shard, s)
		})
	}
}
