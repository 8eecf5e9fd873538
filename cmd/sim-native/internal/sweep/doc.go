// Package sweep varies one scenario parameter over a range of values, runs every
// (value, seed) point on a bounded pool of workers and finds the knee: the first value
// at which a chosen service-level objective fails for a majority of the seeds.
//
// A sweep is a Plan: everything that decides its results (the resolved scenario, the
// parameter and its values, the seeds, the objective, the simulator's build), named by
// an id derived from all of it. Its runs can be split into shards (Shard, ShardFromEnv
// for the index a batch engine gives: Kubernetes Indexed Jobs, Slurm arrays) run by
// separate processes, each appending its finished runs to a part file (Journal, ReadPart)
// as they finish, so that an interrupted shard keeps them and a re-run skips them (two
// processes on one shard append whole lines, under a file lock); the parts of one plan
// merge into the same table as one process gives.
//
// Concurrent runs are bounded by memory: RunMemory estimates a run from the engine's
// measured memory per client, Available reads what the system and the cgroup leave.
//
// It holds no simulation logic: the caller supplies a function that runs one point.
package sweep
