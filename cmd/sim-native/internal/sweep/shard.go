package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one of N slices of a plan's runs: I in 1..N. The runs are dealt out in turn
// (run j belongs to shard j mod N + 1), so every shard gets a share of the small and the
// large values of a range.
type Shard struct{ I, N int }

// All is the whole plan as one shard.
var All = Shard{1, 1}

// MaxShards bounds the shard count.
const MaxShards = 100000

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Owns reports whether run index j belongs to the shard.
func (s Shard) Owns(j int) bool { return j%s.N == s.I-1 }

// Of returns the run indexes of a plan of n runs that belong to the shard, ascending.
func (s Shard) Of(n int) []int {
	var idx []int
	for j := s.I - 1; j < n; j += s.N {
		idx = append(idx, j)
	}
	return idx
}

// Index returns the shard that owns run j in a split into n shards.
func Index(j, n int) Shard { return Shard{j%n + 1, n} }

// ParseShard reads "I/N" (1 <= I <= N).
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: expected I/N, e.g. 2/4 (the second of four shards)", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil || n < 1 || n > MaxShards {
		return Shard{}, fmt.Errorf("--shard %q: the count N must be an integer in 1..%d", s, MaxShards)
	}
	i, err := strconv.Atoi(strings.TrimSpace(is))
	if err != nil || i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: the index I must be an integer in 1..%d", s, n)
	}
	return Shard{i, n}, nil
}

// ShardFromEnv is shard I of n where I comes from the environment of the batch engine
// that started the process, an index 0..n-1 (I = index + 1):
//
//   - Kubernetes Indexed Job: JOB_COMPLETION_INDEX (completions: n);
//   - Slurm job array: SLURM_ARRAY_TASK_ID (submitted with --array=0-(n-1); resubmitting
//     some ids, --array=7,12, runs those shards again).
//
// getenv is os.Getenv in the program. Errors name the variable and the range allowed.
func ShardFromEnv(n int, getenv func(string) string) (Shard, error) {
	if n < 1 || n > MaxShards {
		return Shard{}, fmt.Errorf("--shards %d: must be in 1..%d", n, MaxShards)
	}
	k8s, slurm := getenv("JOB_COMPLETION_INDEX"), getenv("SLURM_ARRAY_TASK_ID")
	name, v, how := "JOB_COMPLETION_INDEX", k8s, fmt.Sprintf("set the Job's completions to %d", n)
	switch {
	case k8s != "" && slurm != "":
		return Shard{}, fmt.Errorf("--shards %d: both JOB_COMPLETION_INDEX (%s) and SLURM_ARRAY_TASK_ID (%s) are set; give the shard with --shard I/N", n, k8s, slurm)
	case slurm != "":
		name, v, how = "SLURM_ARRAY_TASK_ID", slurm, fmt.Sprintf("submit the array with --array=0-%d", n-1)
	case k8s == "":
		return Shard{}, fmt.Errorf("--shards %d: no shard index in the environment (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job, SLURM_ARRAY_TASK_ID of a Slurm array); give it with --shard I/N", n)
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("%s=%q: --shards %d needs an index in 0..%d (%s)", name, v, n, n-1, how)
	}
	return Shard{i + 1, n}, nil
}
